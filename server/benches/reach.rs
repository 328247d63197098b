//! The reachability engine. On the shipped demo district, from seeded random
//! buildings: placing a point, k = 3 nearest service points, the 5-minute isochrone
//! with its polygon, 5/10/15-minute isochrones, the field of every building's nearest
//! service point within 1,000 m, building the graph and engine, and a whole `dispatch`
//! request through the router. The 5-minute isochrone again on the real São Paulo
//! extract and on a synthetic 1,000 × 1,000-node lattice (1M nodes), to show its cost
//! does not grow with the network. Run: `cargo bench -p redgrid --bench reach`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use geo::Centroid;
use redgrid::config::Profile;
use redgrid::index::Indexes;
use redgrid::network::{GraphLine, NodeId, WalkGraph};
use redgrid::reach::{
    Bands, CellSize, Placed, Reach, SNAP_RADIUS_M, SearchState, Targets, contours, nearest_sites,
    search, service_field,
};
use redgrid::store::Dataset;
use tower::ServiceExt;

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
        isochrones(c, name, &d.graph, &d.reach, &origins, &budgets);
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

/// Isochrones at `budgets` from each origin in turn.
fn isochrones(
    c: &mut Criterion,
    name: &str,
    graph: &WalkGraph,
    reach: &Reach,
    origins: &[Placed],
    budgets: &[f64],
) {
    let mut state = SearchState::new(graph.node_count());
    let budget_dm = (budgets[budgets.len() - 1] * 10.0) as u32;
    let mut i = 0;
    c.bench_function(name, |b| {
        b.iter(|| {
            i = (i + 1) % origins.len();
            search(graph, &mut state, &origins[i], budget_dm);
            black_box(contours(
                graph,
                reach,
                &state,
                &origins[i],
                budgets,
                CellSize::M10,
                Bands::Nested,
            ))
        })
    });
}

/// Points placed near pseudo-random nodes, the same on every run.
fn origins_near_nodes(graph: &WalkGraph, reach: &Reach, count: usize) -> Vec<Placed> {
    let nodes: Vec<NodeId> = graph.nodes().collect();
    let mut state = 0x5eed_u64;
    (0..count)
        .filter_map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let [x, y] = graph.position(nodes[(state >> 33) as usize % nodes.len()]);
            reach.place(graph, [x + 7.0, y + 5.0]).ok()
        })
        .collect()
}

fn sao_paulo(c: &mut Criterion) {
    let mut ds = Dataset::default();
    ds.replace_network(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/sao_paulo/sao_paulo_r5py.osm.pbf"),
    )
    .unwrap();
    let idx = Indexes::build(&ds);
    let graph = WalkGraph::from_network(&ds.network, &idx.projection);
    let reach = Reach::for_places(&graph, SNAP_RADIUS_M, &[]);
    let origins = origins_near_nodes(&graph, &reach, 256);
    isochrones(
        c,
        "São Paulo: isochrone 5 min with polygon",
        &graph,
        &reach,
        &origins,
        &[300.0],
    );
}

/// A 1,000 × 1,000 lattice of streets about 40 m apart, nodes jittered by up to 8 m.
fn million_nodes(c: &mut Criterion) {
    const N: usize = 1000;
    let mut seed = 0x1a77_u64;
    let mut jitter = || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((seed >> 33) as f64 / f64::from(1u32 << 31) - 0.5) * 16.0
    };
    let pos: Vec<[f64; 2]> = (0..N * N)
        .map(|k| {
            [
                (k % N) as f64 * 40.0 + jitter(),
                (k / N) as f64 * 40.0 + jitter(),
            ]
        })
        .collect();
    let mut lines = Vec::with_capacity(2 * N * N);
    for k in 0..N * N {
        for next in [
            (k % N + 1 < N).then_some(k + 1),
            (k / N + 1 < N).then_some(k + N),
        ]
        .into_iter()
        .flatten()
        {
            lines.push(GraphLine {
                points: vec![pos[k], pos[next]],
                ends: [k, next],
                private: false,
                bridge: false,
                tunnel: false,
                layer: 0,
                ferry: false,
            });
        }
    }
    let graph = WalkGraph::from_lines(lines);
    let reach = Reach::new(&graph, SNAP_RADIUS_M);
    let origins = origins_near_nodes(&graph, &reach, 256);
    isochrones(
        c,
        "1M-node lattice: isochrone 5 min with polygon",
        &graph,
        &reach,
        &origins,
        &[300.0],
    );
}

/// Building the demo graph and its engine (components, snapper, targets) from the
/// loaded network, and one `dispatch` request through the whole router.
fn demo_service(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/geojson");
    let ds = Dataset::load(&dir, Profile::Public).unwrap();
    let idx = Indexes::build(&ds);
    c.bench_function("build the demo graph and engine", |b| {
        b.iter(|| {
            let graph = WalkGraph::from_network(&ds.network, &idx.projection);
            let places: Vec<[f64; 2]> = ds
                .sites
                .iter()
                .map(|s| {
                    let (x, y) = idx.projection.project_xy(s.geometry.x(), s.geometry.y());
                    [x, y]
                })
                .collect();
            black_box(Reach::for_places(&graph, SNAP_RADIUS_M, &places))
        })
    });
    c.bench_function("find the demo network's near-misses", |b| {
        let graph = WalkGraph::from_network(&ds.network, &idx.projection);
        b.iter(|| black_box(redgrid::network::near_misses(&graph, 2.0)))
    });
    let state = redgrid::state_for_dir(&dir, Profile::Internal, Default::default()).unwrap();
    let app = redgrid::app(state);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let buildings: Vec<geo::Point<f64>> = ds
        .buildings
        .iter()
        .step_by(97)
        .filter_map(|b| b.geometry.centroid())
        .collect();
    let mut i = 0;
    c.bench_function("dispatch, 10 minutes, through the router", |b| {
        b.iter(|| {
            i = (i + 1) % buildings.len();
            let uri = format!(
                "/api/v1/dispatch?lon={:.7}&lat={:.7}",
                buildings[i].x(),
                buildings[i].y()
            );
            let request = axum::http::Request::get(uri)
                .body(axum::body::Body::empty())
                .unwrap();
            let response = runtime.block_on(app.clone().oneshot(request)).unwrap();
            assert_eq!(response.status(), 200);
            black_box(response)
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = engine, sao_paulo, million_nodes, demo_service
}
criterion_main!(benches);
