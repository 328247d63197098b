//! The reachability engine on the shipped demo district, from seeded random points
//! downtown and across the district: k = 3 nearest service points, the 5-minute
//! isochrone with its polygon, 5/10/15-minute isochrones, placing a point, and the
//! field of every building's nearest service point within 15 minutes.
//! Run: `cargo bench -p redgrid --bench reach`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use geo::Centroid;
use redgrid::config::Profile;
use redgrid::index::Indexes;
use redgrid::network::WalkGraph;
use redgrid::reach::{
    Bands, Reach, SNAP_RADIUS_M, SearchState, Targets, contours, nearest_sites, search,
    service_field,
};
use redgrid::store::Dataset;

struct Demo {
    graph: WalkGraph,
    reach: Reach,
    targets: Targets,
    service_point: Vec<bool>,
    points: Vec<[f64; 2]>,
}

fn demo() -> Demo {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/geojson");
    let ds = Dataset::load(&dir, Profile::Public).unwrap();
    let idx = Indexes::build(&ds);
    let graph = WalkGraph::from_network(&ds.network, &idx.projection);
    let reach = Reach::new(&graph, SNAP_RADIUS_M);
    let project = |p: geo::Point<f64>| {
        let (x, y) = idx.projection.project_xy(p.x(), p.y());
        [x, y]
    };
    let targets = Targets::new(
        &graph,
        &reach,
        ds.sites.iter().map(|s| project(s.geometry)),
        ds.buildings
            .iter()
            .map(|b| b.geometry.centroid().map(project)),
    );
    // Origins: building centroids, the same pseudo-random ones on every run.
    let mut state = 0x5eed_u64;
    let points = (0..256)
        .filter_map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let b = &ds.buildings[(state >> 33) as usize % ds.buildings.len()];
            b.geometry.centroid().map(project)
        })
        .collect();
    Demo {
        graph,
        reach,
        targets,
        service_point: ds
            .sites
            .iter()
            .map(|s| s.props.kind.is_service_point())
            .collect(),
        points,
    }
}

fn engine(c: &mut Criterion) {
    let d = demo();
    let mut state = SearchState::new(d.graph.node_count());
    let origins: Vec<_> = d
        .points
        .iter()
        .filter_map(|&p| d.reach.place(&d.graph, p).ok())
        .collect();
    let mut i = 0;
    c.bench_function("place a point", |b| {
        b.iter(|| {
            i = (i + 1) % d.points.len();
            black_box(d.reach.place(&d.graph, d.points[i]).ok())
        })
    });
    c.bench_function("nearest k=3 service points", |b| {
        b.iter(|| {
            i = (i + 1) % origins.len();
            black_box(nearest_sites(
                &d.graph,
                &d.targets,
                &mut state,
                &origins[i],
                3,
                50_000,
                |s| d.service_point[s],
            ))
        })
    });
    for (name, budgets) in [
        ("isochrone 5 min with polygon", vec![300.0]),
        (
            "isochrone 5,10,15 min with polygons",
            vec![300.0, 600.0, 900.0],
        ),
    ] {
        let budget_dm = (budgets[budgets.len() - 1] * 10.0) as u32;
        c.bench_function(name, |b| {
            b.iter(|| {
                i = (i + 1) % origins.len();
                search(&d.graph, &mut state, &origins[i], budget_dm);
                black_box(contours(
                    &d.graph,
                    &d.reach,
                    &state,
                    &origins[i],
                    &budgets,
                    10.0,
                    Bands::Nested,
                ))
            })
        });
    }
    c.bench_function("service-point field, every building, 1000 m", |b| {
        b.iter(|| {
            black_box(service_field(
                &d.graph,
                &d.targets,
                &mut state,
                |s| d.service_point[s],
                10_000,
            ))
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = engine
}
criterion_main!(benches);
