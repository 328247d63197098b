//! Writes the demo district's site-suggestion instance (5-minute walk, candidates
//! every 50 m of public street, no spacing rule) as JSON for an exact solver, with
//! RedGrid's own answer (lazy greedy + one swap pass) and its time. See
//! `bench/suggest_exact.sh`.
//!
//!     cargo run --release -p redgrid --example suggest_instance -- OUT.json COUNT

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::time::Instant;

use geo::Point;
use redgrid::config::Profile;
use redgrid::coverage;
use redgrid::model::SiteKind;
use serde_json::json;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let out = args.get(1).expect("usage: suggest_instance OUT.json COUNT");
    let count: usize = args.get(2).and_then(|c| c.parse().ok()).unwrap_or(10);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/geojson");
    let state = redgrid::state_for_dir(&dir, Profile::Internal, Default::default()).unwrap();
    let ds = state.store.dataset();
    let budget_dm = 3_000;
    let mask = coverage::service_point_mask(ds, &SiteKind::SERVICE_POINTS);
    let population = coverage::populations(ds);
    let started = Instant::now();
    let (instance, found) = state.reach.pool.with(|s| {
        let field = coverage::field(&state.graph, &state.targets, s, &mask, budget_dm);
        let demand: Vec<usize> = (0..population.len())
            .filter(|&b| field[b].is_none() && population[b] > 0)
            .collect();
        let points = coverage::node_candidates(&state.graph, 50.0, |p| {
            state
                .indexes
                .land
                .containing(Point::new(p[0], p[1]))
                .is_some()
        });
        let instance = coverage::covering_instance(
            &state.graph,
            &state.reach,
            &state.targets,
            s,
            &points,
            &demand,
            &population,
            budget_dm,
            0.0,
        );
        let found = coverage::greedy_with_swap(&instance, count);
        (instance, found)
    });
    let seconds = started.elapsed().as_secs_f64();
    let document = json!({
        "count": count,
        "weights": instance.weights,
        "sets": instance.sets,
        "redgrid": {
            "value": found.covered,
            "picks": found.picks.iter().map(|p| p.candidate).collect::<Vec<_>>(),
            "seconds_including_instance": seconds,
        },
    });
    std::fs::write(out, serde_json::to_vec(&document).unwrap()).unwrap();
    eprintln!(
        "{} candidates, {} uncovered buildings; RedGrid covers {} people with {} sites in {:.2} s (instance included)",
        instance.sets.len(),
        instance.weights.len(),
        found.covered,
        found.picks.len(),
        seconds
    );
}
