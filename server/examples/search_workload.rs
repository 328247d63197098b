//! A fixed workload of the core search for instruction counting (`bench/callgrind.sh`):
//! from 200 fixed places of the demo district, the (node, leg) search to 300 m and to
//! 1,000 m. Instruction counts, unlike times, are the same on every run and machine
//! of one build, so they make a stable regression figure.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use redgrid::config::Profile;
use redgrid::index::Indexes;
use redgrid::network::WalkGraph;
use redgrid::reach::{Placed, Reach, SNAP_RADIUS_M, SearchState, search};
use redgrid::store::Dataset;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/geojson");
    let ds = Dataset::load(&dir, Profile::Public).unwrap();
    let idx = Indexes::build(&ds);
    let graph = WalkGraph::from_network(&ds.network, &idx.projection);
    let reach = Reach::new(&graph, SNAP_RADIUS_M);
    let origins: Vec<_> = graph
        .nodes()
        .step_by(graph.node_count() / 200)
        .filter_map(|n| {
            let [x, y] = graph.position(n);
            reach.place(&graph, [x + 5.0, y + 5.0]).ok()
        })
        .collect();
    let settled = searches(&graph, &origins);
    println!("{} searches, {settled} nodes touched", 2 * origins.len());
}

/// The part counted: the searches only.
#[inline(never)]
fn searches(graph: &WalkGraph, origins: &[Placed]) -> usize {
    let mut state = SearchState::new(graph.node_count());
    let mut settled = 0usize;
    for budget_dm in [3_000, 10_000] {
        for origin in origins {
            search(graph, &mut state, origin, budget_dm);
            settled += state.touched().len();
        }
    }
    settled
}
