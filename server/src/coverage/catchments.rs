//! Catchments: the buildings each service point serves (those whose nearest service
//! point within the budget it is), the people in them and the farthest walk; and
//! what closing it would cost — the people it alone reaches within the budget.

use super::cover::Reached;
use crate::reach::Nearest;

/// The thresholds a catchment is judged by. They are planning assumptions, not
/// norms, and every answer echoes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatchmentRules {
    /// More people served than this is `overloaded`.
    pub max_population: u64,
    /// Closing a point that loses at most this many people's coverage is `redundant`.
    pub redundant_population: u64,
}

impl Default for CatchmentRules {
    fn default() -> Self {
        Self {
            max_population: 5_000,
            redundant_population: 50,
        }
    }
}

/// One service point's catchment.
#[derive(Debug, Clone, PartialEq)]
pub struct Catchment {
    pub site: usize,
    /// Buildings it is the nearest service point of, within the budget, ascending.
    pub served: Vec<u32>,
    pub population_served: u64,
    /// The longest of those walks; `None` when it serves nobody.
    pub farthest_walk_dm: Option<u32>,
    /// People within the budget of it, whether or not it is their nearest.
    pub population_in_reach: u64,
    /// People no other service point reaches within the budget.
    pub population_lost_if_removed: u64,
    pub overloaded: bool,
    pub redundant: bool,
}

/// The catchment of every service point, from the field (each building's nearest)
/// and each point's cover set (`reached[i]` for site `sites[i]`).
pub fn catchments(
    field: &[Option<Nearest>],
    sites: &[usize],
    reached: &[Vec<Reached>],
    population: &[u32],
    rules: CatchmentRules,
) -> Vec<Catchment> {
    let mut reaching = vec![0u32; field.len()];
    for set in reached {
        for r in set {
            reaching[r.building as usize] += 1;
        }
    }
    let people = |b: u32| u64::from(population[b as usize]);
    sites
        .iter()
        .zip(reached)
        .map(|(&site, set)| {
            let served: Vec<u32> = set
                .iter()
                .filter(|r| field[r.building as usize].is_some_and(|n| n.site as usize == site))
                .map(|r| r.building)
                .collect();
            let farthest_walk_dm = set
                .iter()
                .filter(|r| served.binary_search(&r.building).is_ok())
                .map(|r| r.dist_dm)
                .max();
            let population_served: u64 = served.iter().map(|&b| people(b)).sum();
            let population_lost_if_removed = set
                .iter()
                .filter(|r| reaching[r.building as usize] == 1)
                .map(|r| people(r.building))
                .sum();
            Catchment {
                site,
                population_in_reach: set.iter().map(|r| people(r.building)).sum(),
                overloaded: population_served > rules.max_population,
                redundant: population_lost_if_removed <= rules.redundant_population,
                population_served,
                farthest_walk_dm,
                population_lost_if_removed,
                served,
            }
        })
        .collect()
}
