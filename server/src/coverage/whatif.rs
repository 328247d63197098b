//! What-if: the buildings covered before and after adding service points at new
//! places and removing existing ones. Each service point's cover set is searched
//! once; a building is covered while at least one point standing reaches it.

use super::cover::reached_from;
use crate::network::WalkGraph;
use crate::reach::{Placed, SearchState, Targets};

/// A change to the service points: sites (positions in `targets.sites`) to remove
/// and new points to add.
#[derive(Debug, Clone, Default)]
pub struct Change {
    pub remove: Vec<usize>,
    pub add: Vec<Placed>,
}

/// Each building covered or not, before and after a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    pub before: Vec<bool>,
    pub after: Vec<bool>,
}

/// The coverage of `service_points` (site positions) within `budget_dm`, before and
/// after `change`.
pub fn what_if(
    graph: &WalkGraph,
    targets: &Targets,
    state: &mut SearchState,
    service_points: &[usize],
    change: &Change,
    budget_dm: u32,
) -> Scenario {
    let mut reaching = vec![0u32; targets.buildings.len()];
    let mut removed_sets = Vec::new();
    for &s in service_points {
        let Some(placed) = targets.sites[s].as_ref() else {
            continue;
        };
        let set = reached_from(graph, targets, state, placed, budget_dm);
        for r in &set {
            reaching[r.building as usize] += 1;
        }
        if change.remove.contains(&s) {
            removed_sets.push(set);
        }
    }
    let before: Vec<bool> = reaching.iter().map(|&n| n > 0).collect();
    for set in removed_sets {
        for r in set {
            reaching[r.building as usize] -= 1;
        }
    }
    for placed in &change.add {
        for r in reached_from(graph, targets, state, placed, budget_dm) {
            reaching[r.building as usize] += 1;
        }
    }
    Scenario {
        before,
        after: reaching.iter().map(|&n| n > 0).collect(),
    }
}
