//! Coverage and planning, over the reachability engine: which buildings lie within a
//! walking budget of a service point, tallied by street, community and grid and
//! weighted by population; the gaps where uncovered people live; each service
//! point's catchment; site suggestions; what-if changes. Pure: no IO, no HTTP.
//!
//! A building is covered when its walking distance (from its entrance or else its centroid, by the
//! engine's definition) to the nearest service point is within the budget. A
//! building that does not meet the network within the snap radius is uncovered.

mod areas;
mod catchments;
mod cover;
pub mod export;
mod gaps;
mod suggest;
mod table;
mod whatif;

pub use areas::{Area, Areas, Level, NONE};
pub use catchments::{Catchment, CatchmentRules, catchments};
pub use cover::{Reached, reached_from, reached_from_buildings};
pub use gaps::{Demand, GAP_RESOLUTION, Gap, dissolve, gaps, hexagon};
pub use suggest::{
    Instance, Pick, Suggested, covering_instance, greedy_with_swap, node_candidates,
};
pub use table::{Row, Table, tally};
pub use whatif::{Change, Scenario, what_if};

use crate::model::SiteKind;
use crate::network::WalkGraph;
use crate::reach::{Nearest, SearchState, Targets, service_field};
use crate::store::Dataset;

/// Which sites count as service points: those of the given kinds (by default the
/// four of the 5-minute circle), less a station hosted in a centre that already
/// counts, so each place counts once.
pub fn service_point_mask(ds: &Dataset, kinds: &[SiteKind]) -> Vec<bool> {
    let counted = |i: usize| kinds.contains(&ds.sites[i].props.kind);
    (0..ds.sites.len())
        .map(|i| {
            let hosted_by_counted = ds.sites[i]
                .props
                .host_site_id
                .as_ref()
                .and_then(|h| ds.ids().sites.get(h))
                .is_some_and(|&h| h != i && counted(h));
            counted(i) && !hosted_by_counted
        })
        .collect()
}

/// Every building's nearest chosen site within `budget_dm`: the all-service-points
/// field at one budget.
pub fn field(
    graph: &WalkGraph,
    targets: &Targets,
    state: &mut SearchState,
    chosen: &[bool],
    budget_dm: u32,
) -> Vec<Option<Nearest>> {
    service_field(graph, targets, state, |i| chosen[i], budget_dm)
}

/// Population per building, in data order.
pub fn populations(ds: &Dataset) -> Vec<u32> {
    ds.buildings.iter().map(|b| b.props.population).collect()
}

#[cfg(test)]
mod tests;
