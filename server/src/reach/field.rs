//! The all-service-points field: one multi-source search from every chosen site
//! giving, for every building, its nearest site on foot and the walking distance —
//! the base of coverage. Walking distance is symmetric (the private-road rule reads
//! the same both ways), so searching from the sites finds each building's nearest.

use super::search::{SearchState, Seed, leg_on};
use super::targets::Targets;
use crate::network::{UNREACHED, WalkGraph};

/// A building's nearest site and its walking distance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nearest {
    pub site: u32,
    pub dist_dm: u32,
}

/// For every building, the nearest of the sites `chosen` within `budget_dm`.
pub fn service_field(
    graph: &WalkGraph,
    targets: &Targets,
    state: &mut SearchState,
    chosen: impl Fn(usize) -> bool,
    budget_dm: u32,
) -> Vec<Option<Nearest>> {
    let mut seeds = Vec::new();
    for (i, placed) in targets.sites.iter().enumerate() {
        let Some(placed) = placed.as_ref().filter(|_| chosen(i)) else {
            continue;
        };
        let s = &placed.snap;
        let e = graph.edge(s.edge);
        for (node, part) in [
            (e.a, s.along_dm),
            (e.b, e.length_dm.saturating_sub(s.along_dm)),
        ] {
            seeds.push(Seed {
                node,
                dist_dm: s.offset_dm.saturating_add(part),
                leg: leg_on(e.private),
                source: i as u32,
            });
        }
    }
    state.run(graph, &seeds, budget_dm, |_, _, _, _| true);
    targets
        .buildings
        .iter()
        .map(|placed| {
            let placed = placed.as_ref()?;
            let mut best: Option<Nearest> = None;
            let mut offer = |dist_dm: u32, site: u32| {
                let better = best.is_none_or(|b| (dist_dm, site) < (b.dist_dm, b.site));
                if dist_dm <= budget_dm && better {
                    best = Some(Nearest { site, dist_dm });
                }
            };
            let t = &placed.snap;
            let e = graph.edge(t.edge);
            for (node, part) in [
                (e.a, t.along_dm),
                (e.b, e.length_dm.saturating_sub(t.along_dm)),
            ] {
                let (d, leg) = state.dist_before(node, e.private);
                if let (true, Some(site)) = (d < UNREACHED, state.source(node, leg)) {
                    offer(d.saturating_add(part).saturating_add(t.offset_dm), site);
                }
            }
            // A site on the same edge walks directly along it.
            for &(site, s) in targets.sites_on(t.edge) {
                if chosen(site as usize) {
                    offer(
                        s.offset_dm + s.along_dm.abs_diff(t.along_dm) + t.offset_dm,
                        site,
                    );
                }
            }
            best
        })
        .collect()
}
