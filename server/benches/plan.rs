//! Planning through the whole router on the demo district, 5-minute walk: a full
//! coverage recomputation (the field and the grid table as JSON), 10 suggestions
//! from street-node candidates, and one what-if (5 stations closed, 5 points added).
//!
//!     cargo bench -p redgrid --bench plan

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::path::Path;

use axum::body::Body;
use axum::http::Request;
use criterion::{Criterion, criterion_group, criterion_main};
use geo::Centroid;
use redgrid::config::Profile;
use tower::ServiceExt;

fn planning(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/geojson");
    let state = redgrid::state_for_dir(&dir, Profile::Internal, Default::default()).unwrap();
    let ds = state.store.dataset();
    let stations: Vec<String> = ds
        .sites
        .iter()
        .filter(|s| {
            s.props.kind == redgrid::model::SiteKind::Station && s.props.host_site_id.is_none()
        })
        .step_by(40)
        .take(5)
        .map(|s| format!("\"{}\"", s.props.id))
        .collect();
    let added: Vec<String> = ds
        .buildings
        .iter()
        .step_by(2_500)
        .take(5)
        .filter_map(|b| b.geometry.centroid())
        .map(|p| format!("[{:.7}, {:.7}]", p.x(), p.y()))
        .collect();
    let what_if = format!(
        r#"{{"remove": [{}], "add": [{}], "preset": "gb50180_5min"}}"#,
        stations.join(", "),
        added.join(", ")
    );
    let app = redgrid::app(state);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let call = |method: &str, uri: &str, body: &str| {
        let request = Request::builder()
            .method(method)
            .uri(uri)
            .header("content-type", "application/json")
            .body(Body::from(body.to_owned()))
            .unwrap();
        let response = runtime.block_on(app.clone().oneshot(request)).unwrap();
        assert_eq!(response.status(), 200, "{uri}");
        runtime
            .block_on(axum::body::to_bytes(response.into_body(), usize::MAX))
            .unwrap()
    };
    c.bench_function("coverage by grid, 5 min, through the router", |b| {
        b.iter(|| {
            black_box(call(
                "GET",
                "/api/v1/coverage?preset=gb50180_5min&level=grid",
                "",
            ))
        })
    });
    c.bench_function(
        "what-if: 5 closed, 5 added, 5 min, through the router",
        |b| b.iter(|| black_box(call("POST", "/api/v1/plan/what-if", &what_if))),
    );
    c.bench_function(
        "suggest 10 sites from street nodes, 5 min, through the router",
        |b| {
            b.iter(|| {
                black_box(call(
                    "POST",
                    "/api/v1/plan/suggest",
                    r#"{"count": 10, "preset": "gb50180_5min"}"#,
                ))
            })
        },
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = planning
}
criterion_main!(benches);
