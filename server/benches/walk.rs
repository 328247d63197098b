//! Walking-graph searches on the shipped demo network (data/geojson), from seeded
//! random starts: a 300 m (5-minute) and a 1,000 m (15-minute) bounded Dijkstra, and
//! snapping a point within 100 m. Run: `cargo bench -p redgrid --bench walk`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use redgrid::config::Profile;
use redgrid::index::Indexes;
use redgrid::network::{NodeId, Snapper, WalkGraph, distances};
use redgrid::store::Dataset;

fn demo() -> (WalkGraph, Snapper) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/geojson");
    let ds = Dataset::load(&dir, Profile::Public).unwrap();
    let idx = Indexes::build(&ds);
    let graph = WalkGraph::from_network(&ds.network, &idx.projection);
    let snapper = Snapper::new(&graph);
    (graph, snapper)
}

/// The same pseudo-random starts on every run.
fn starts(graph: &WalkGraph, count: usize) -> Vec<NodeId> {
    let all: Vec<NodeId> = graph.nodes().collect();
    let mut state = 0x5eed_u64;
    (0..count)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            all[(state >> 33) as usize % all.len()]
        })
        .collect()
}

fn searches(c: &mut Criterion) {
    let (graph, snapper) = demo();
    let starts = starts(&graph, 256);
    for (name, budget_dm) in [("dijkstra 300 m", 3_000), ("dijkstra 1000 m", 10_000)] {
        let mut i = 0;
        c.bench_function(name, |b| {
            b.iter(|| {
                i = (i + 1) % starts.len();
                black_box(distances(&graph, &[(starts[i], 0)], budget_dm, |e| {
                    !e.private
                }))
            })
        });
    }
    let points: Vec<[f64; 2]> = starts
        .iter()
        .map(|&n| {
            let p = graph.position(n);
            [p[0] + 37.0, p[1] - 23.0]
        })
        .collect();
    let mut i = 0;
    c.bench_function("snap within 100 m", |b| {
        b.iter(|| {
            i = (i + 1) % points.len();
            black_box(snapper.candidates(&graph, points[i], 100.0))
        })
    });
}

criterion_group!(benches, searches);
criterion_main!(benches);
