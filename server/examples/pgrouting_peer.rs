//! The demo network for the pgRouting peer comparison (`bench/pgrouting.sh`): writes
//! the public part of the walking graph (pgRouting has no first/last-leg rule, so
//! private roads are left out of both sides) as edges with decimetre costs, 50 fixed
//! origin nodes, RedGrid's own 300 m reachable sets from them, and the median time of
//! one search.
//!
//!     cargo run --release -p redgrid --example pgrouting_peer -- OUT_DIR

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use redgrid::config::Profile;
use redgrid::index::Indexes;
use redgrid::network::{NodeId, WalkGraph};
use redgrid::reach::{PUBLIC, SearchState, Seed};
use redgrid::store::Dataset;

const BUDGET_DM: u32 = 3_000;

fn main() {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .expect("usage: pgrouting_peer OUT_DIR"),
    );
    std::fs::create_dir_all(&out).unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/geojson");
    let mut ds = Dataset::load(&dir, Profile::Public).unwrap();
    ds.network.retain(|e| e.props.access.is_none());
    let idx = Indexes::build(&ds);
    let graph = WalkGraph::from_network(&ds.network, &idx.projection);

    let mut edges = String::from("id,source,target,cost,x_min,y_min,x_max,y_max\n");
    for (id, e) in graph.edges() {
        let g = graph.geometry(id);
        let (xs, ys) = (g.iter().map(|p| p[0]), g.iter().map(|p| p[1]));
        let (xmin, xmax) = (
            xs.clone().fold(f64::MAX, f64::min),
            xs.fold(f64::MIN, f64::max),
        );
        let (ymin, ymax) = (
            ys.clone().fold(f64::MAX, f64::min),
            ys.fold(f64::MIN, f64::max),
        );
        writeln!(
            edges,
            "{},{},{},{},{xmin:.2},{ymin:.2},{xmax:.2},{ymax:.2}",
            id.index() + 1,
            e.a.index() + 1,
            e.b.index() + 1,
            e.length_dm
        )
        .unwrap();
    }
    std::fs::write(out.join("edges.csv"), edges).unwrap();

    let nodes: Vec<NodeId> = graph.nodes().collect();
    let origins: Vec<NodeId> = nodes
        .iter()
        .step_by(nodes.len() / 50)
        .take(50)
        .copied()
        .collect();
    let mut state = SearchState::new(graph.node_count());
    let (mut reached, mut origin_rows) = (
        String::from("origin,node,cost\n"),
        String::from("origin,x,y\n"),
    );
    let mut times = Vec::new();
    for &o in &origins {
        let seed = Seed {
            node: o,
            dist_dm: 0,
            leg: PUBLIC,
            source: 0,
        };
        for _ in 0..20 {
            let started = Instant::now();
            state.run(&graph, &[seed], BUDGET_DM, |_, _, _, _| true);
            times.push(started.elapsed().as_secs_f64());
        }
        let [x, y] = graph.position(o);
        writeln!(origin_rows, "{},{x:.2},{y:.2}", o.index() + 1).unwrap();
        for &n in state.touched() {
            let d = (0..3).map(|leg| state.dist(n, leg)).min().unwrap();
            if d <= BUDGET_DM {
                writeln!(reached, "{},{},{d}", o.index() + 1, n.index() + 1).unwrap();
            }
        }
    }
    times.sort_by(f64::total_cmp);
    let median_us = times[times.len() / 2] * 1e6;
    std::fs::write(out.join("origins.csv"), origin_rows).unwrap();
    std::fs::write(out.join("redgrid.csv"), reached).unwrap();
    std::fs::write(
        out.join("redgrid_median_us.txt"),
        format!("{median_us:.2}\n"),
    )
    .unwrap();
    println!(
        "{} public edges, {} origins, RedGrid median search {median_us:.1} µs",
        graph.edge_count(),
        origins.len()
    );
}
