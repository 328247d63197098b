//! Cover sets: which buildings a point reaches within a walking budget, searched
//! forward from the point, or, for many candidate points at once, backward from each
//! building (walking distance is symmetric, so both give the same sets).

use std::collections::HashMap;

use crate::network::WalkGraph;
use crate::reach::{Placed, SearchState, Targets, reach_target, search, seeds};

/// A building reached within the budget and its walking distance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reached {
    pub building: u32,
    pub dist_dm: u32,
}

/// The buildings of `targets` within `budget_dm` of `origin` on foot, by building.
pub fn reached_from(
    graph: &WalkGraph,
    targets: &Targets,
    state: &mut SearchState,
    origin: &Placed,
    budget_dm: u32,
) -> Vec<Reached> {
    search(graph, state, origin, budget_dm);
    let radius_m = f64::from(budget_dm) / 10.0;
    let mut found: Vec<Reached> = targets
        .buildings_near(origin.point, radius_m)
        .filter_map(|b| {
            let placed = targets.buildings[b].as_ref()?;
            let r = reach_target(graph, state, origin, &placed.snap)?;
            (r.dist_dm <= budget_dm).then_some(Reached {
                building: b as u32,
                dist_dm: r.dist_dm,
            })
        })
        .collect();
    found.sort_by_key(|r| r.building);
    found
}

/// For each candidate (the sites of `candidates`), the buildings among `demand`
/// (positions in `targets.buildings`) within `budget_dm` on foot, ascending. One
/// search from each building finds every candidate it reaches.
pub fn reached_from_buildings(
    graph: &WalkGraph,
    targets: &Targets,
    candidates: &Targets,
    state: &mut SearchState,
    demand: &[usize],
    budget_dm: u32,
) -> Vec<Vec<u32>> {
    let mut sets = vec![Vec::new(); candidates.sites.len()];
    let mut best: HashMap<u32, u32> = HashMap::new();
    for &b in demand {
        let Some(placed) = targets.buildings[b].as_ref() else {
            continue;
        };
        best.clear();
        let offer = |best: &mut HashMap<u32, u32>, c: u32, d: u32| {
            let entry = best.entry(c).or_insert(u32::MAX);
            *entry = (*entry).min(d);
        };
        // Candidates on the building's own edge are also reached directly along it.
        let from = &placed.snap;
        for &(c, s) in candidates.sites_on(from.edge) {
            offer(
                &mut best,
                c,
                from.offset_dm + from.along_dm.abs_diff(s.along_dm) + s.offset_dm,
            );
        }
        state.run(
            graph,
            &seeds(graph, placed),
            budget_dm,
            |_, node, leg, d| {
                for a in candidates.access(node) {
                    if a.allowed(leg) {
                        offer(&mut best, a.site, d.saturating_add(a.extra_dm));
                    }
                }
                true
            },
        );
        for (&c, &d) in &best {
            if d <= budget_dm {
                sets[c as usize].push(b as u32);
            }
        }
    }
    for set in &mut sets {
        set.sort_unstable();
    }
    sets
}
