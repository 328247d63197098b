//! Latency percentiles of the reachability endpoints through the whole router (query
//! parsing, search, polygons, JSON), one request at a time on the demo district, from
//! 500 fixed buildings each: p50, p99 and the worst. Criterion's benches give means;
//! the targets are percentiles. Isochrones run twice: first as the first request in
//! their area after start-up (their lattice snaps not yet found), then as the server
//! runs once its lattices are prepared.
//!
//!     cargo run --release -p redgrid --example latency

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::time::Instant;

use geo::Centroid;
use redgrid::config::Profile;
use redgrid::store::Dataset;
use tower::ServiceExt;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/geojson");
    let ds = Dataset::load(&dir, Profile::Public).unwrap();
    let points: Vec<geo::Point<f64>> = ds
        .buildings
        .iter()
        .step_by(ds.buildings.len() / 500)
        .filter_map(|b| b.geometry.centroid())
        .collect();
    let state = redgrid::state_for_dir(&dir, Profile::Internal, Default::default()).unwrap();
    let app = redgrid::app(state.clone());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let isochrones = [
        ("isochrone 5 min", "/api/v1/isochrone?minutes=5"),
        ("isochrone 5,10,15 min", "/api/v1/isochrone?minutes=5,10,15"),
    ];
    let cold = isochrones.map(|(name, query)| (name, query, " (cold)"));
    let warm = isochrones.map(|(name, query)| (name, query, ""));
    let others = [
        ("nearest k=3", "/api/v1/nearest?k=3", ""),
        ("dispatch 10 min", "/api/v1/dispatch?minutes=10", ""),
    ];
    for (i, (name, query, note)) in cold.into_iter().chain(warm).chain(others).enumerate() {
        if i == cold.len() {
            state.prepare_isochrone_lattices();
        }
        let mut times: Vec<f64> = points
            .iter()
            .map(|p| {
                let uri = format!("{query}&lon={:.7}&lat={:.7}", p.x(), p.y());
                let request = axum::http::Request::get(uri)
                    .body(axum::body::Body::empty())
                    .unwrap();
                let started = Instant::now();
                let response = runtime.block_on(app.clone().oneshot(request)).unwrap();
                let body = runtime.block_on(http_body_util::BodyExt::collect(response.into_body()));
                let elapsed = started.elapsed().as_secs_f64() * 1e3;
                assert!(body.is_ok());
                elapsed
            })
            .collect();
        times.sort_by(f64::total_cmp);
        let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
        println!(
            "{:31} p50 {:7.3} ms   p99 {:7.3} ms   max {:7.3} ms   ({} requests)",
            format!("{name}{note}"),
            at(0.5),
            at(0.99),
            at(1.0),
            times.len()
        );
    }
}
