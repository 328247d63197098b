//! Walking reachability, the product's core: snapping, walking distances that obey
//! the private-road rule, the nearest sites, routes, and isochrones. Pure: local
//! metres in, local metres out; no IO, no HTTP.
//!
//! The walking distance between two points is the minimum over their candidate snaps
//! (up to 3 edges within the snap radius) of origin offset + network distance between
//! the snap points + destination offset, every part counted in full; two snaps on the
//! same edge also walk directly along it.

mod field;
mod isochrone;
mod lattice;
mod route;
mod search;
mod targets;

use crate::network::{Components, MIN_KEPT_NODES, Snap, SnapAt, Snapper, UNREACHED, WalkGraph};

pub use field::{Nearest, service_field};
pub use isochrone::{Bands, Contour, contours};
pub use lattice::CellSize;
pub use route::route;
pub use search::{FIRST, LAST, Leg, PUBLIC, Pred, SearchPool, SearchState, Seed, leg_on, next_leg};
pub use targets::{Access, Targets};

/// Snap candidates per point.
pub const CANDIDATES: usize = 3;
/// Default snap radius, metres.
pub const SNAP_RADIUS_M: f64 = 100.0;
/// A point's further candidates lie at most this much farther than its nearest: the
/// street on the far side of a river or a rail line is no way out.
pub const CANDIDATE_SLACK_M: f64 = 30.0;

/// No walkable edge within the snap radius of a point.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("no walkable edge within {radius_m} m of the point")]
pub struct NoEdgeNearby {
    pub radius_m: f64,
}

/// A point placed on the network: its position and its snaps.
#[derive(Debug, Clone)]
pub struct Placed {
    pub point: [f64; 2],
    pub snaps: Vec<Snap>,
}

/// How a target was reached: through `node` on `leg` then along the target's edge, or
/// directly along an edge shared with the origin snap `origin`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Via {
    Node {
        node: crate::network::NodeId,
        leg: Leg,
        snap: usize,
    },
    SameEdge {
        origin: usize,
        snap: usize,
    },
}

/// The walking distance to a target and how it was reached.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reached {
    pub dist_dm: u32,
    pub via: Via,
}

/// The engine: the graph's components, the snapper over the kept ones, the search
/// pool and the snap radius.
#[derive(Debug)]
pub struct Reach {
    pub snapper: Snapper,
    pub pool: SearchPool,
    pub snap_radius_m: f64,
    pub components: Components,
    /// Per component: whether points snap to it.
    pub kept: Vec<bool>,
    /// The isochrone lattices' snaps, found on first use.
    lattices: lattice::Lattices,
}

impl Reach {
    /// An engine over every component of the graph.
    pub fn new(graph: &WalkGraph, snap_radius_m: f64) -> Self {
        let components = Components::of(graph);
        let kept = vec![true; components.count()];
        Self::with(graph, snap_radius_m, components, kept)
    }

    /// An engine over the components worth keeping: those of at least
    /// [`MIN_KEPT_NODES`] nodes and those within the snap radius of one of `places`
    /// (buildings and sites). Points never snap to the others.
    pub fn for_places(graph: &WalkGraph, snap_radius_m: f64, places: &[[f64; 2]]) -> Self {
        let components = Components::of(graph);
        let small = |e| components.size(components.of_edge(graph, e)) < MIN_KEPT_NODES;
        let small_snapper = Snapper::over(graph, small);
        let held = places.iter().filter_map(|&p| {
            let snap = small_snapper.nearest(graph, p, snap_radius_m, 1);
            snap.first().map(|s| components.of_edge(graph, s.edge))
        });
        let kept = components.kept(held.collect::<Vec<_>>());
        Self::with(graph, snap_radius_m, components, kept)
    }

    fn with(
        graph: &WalkGraph,
        snap_radius_m: f64,
        components: Components,
        kept: Vec<bool>,
    ) -> Self {
        let snapper = Snapper::over(graph, |e| kept[components.of_edge(graph, e) as usize]);
        Self {
            snapper,
            pool: SearchPool::new(graph.node_count(), 8),
            snap_radius_m,
            components,
            kept,
            lattices: lattice::Lattices::default(),
        }
    }

    /// The component a placed point walks in.
    pub fn component_of(&self, graph: &WalkGraph, placed: &Placed) -> Option<u32> {
        placed
            .snaps
            .first()
            .map(|s| self.components.of_edge(graph, s.edge))
    }

    /// A point's snaps, nearest first; an error when no edge is near enough. A point
    /// whose nearest edge is public is outside any compound: its private candidates
    /// are dropped, so a private road never becomes its short cut (see [`Reach::admit`]
    /// for all the rules).
    pub fn place(&self, graph: &WalkGraph, point: [f64; 2]) -> Result<Placed, NoEdgeNearby> {
        let snaps = self.snaps(graph, point);
        if snaps.is_empty() {
            return Err(NoEdgeNearby {
                radius_m: self.snap_radius_m,
            });
        }
        Ok(Placed { point, snaps })
    }

    /// A point's snaps, possibly none.
    pub fn snaps(&self, graph: &WalkGraph, point: [f64; 2]) -> Vec<Snap> {
        let snaps = self
            .snapper
            .nearest(graph, point, self.snap_radius_m, CANDIDATES);
        self.admit(graph, snaps)
    }

    /// The rules of snapping, applied to a point's candidates nearest first: a point on
    /// the ground never snaps onto a bridge while a ground edge is in reach; a point
    /// outside compounds never onto a private road; and all its snaps lie in the
    /// component of the nearest one left, at most [`CANDIDATE_SLACK_M`] farther.
    pub fn admit(&self, graph: &WalkGraph, mut snaps: Vec<Snap>) -> Vec<Snap> {
        self.admit_in_place(graph, &mut snaps);
        snaps
    }

    /// [`Reach::admit`] on a buffer.
    pub fn admit_in_place(&self, graph: &WalkGraph, snaps: &mut Vec<Snap>) {
        if snaps.iter().any(|s| !graph.edge(s.edge).bridge) {
            snaps.retain(|s| !graph.edge(s.edge).bridge);
        }
        if snaps.first().is_some_and(|s| !graph.edge(s.edge).private) {
            snaps.retain(|s| !graph.edge(s.edge).private);
        }
        if let Some(&first) = snaps.first() {
            let own = self.components.of_edge(graph, first.edge);
            let farthest_dm = first.offset_dm + (CANDIDATE_SLACK_M * 10.0) as u32;
            snaps.retain(|s| {
                self.components.of_edge(graph, s.edge) == own && s.offset_dm <= farthest_dm
            });
        }
    }
}

/// The search seeds of an origin: both ends of each snapped edge, with the offset and
/// the part of the edge walked.
pub fn seeds(graph: &WalkGraph, origin: &Placed) -> Vec<Seed> {
    origin
        .snaps
        .iter()
        .enumerate()
        .flat_map(|(i, s)| {
            let e = graph.edge(s.edge);
            let leg = leg_on(e.private);
            let to_b = e.length_dm.saturating_sub(s.along_dm);
            [
                Seed {
                    node: e.a,
                    dist_dm: s.offset_dm.saturating_add(s.along_dm),
                    leg,
                    source: i as u32,
                },
                Seed {
                    node: e.b,
                    dist_dm: s.offset_dm.saturating_add(to_b),
                    leg,
                    source: i as u32,
                },
            ]
        })
        .collect()
}

/// The walking distance from the searched origin to a target, from a finished search.
pub fn reach_target(
    graph: &WalkGraph,
    state: &SearchState,
    origin: &Placed,
    target: &[Snap],
) -> Option<Reached> {
    reach_snaps(graph, state, origin, target.iter().map(Snap::at))
}

/// [`reach_target`] for a target given by where it meets its edges.
pub fn reach_snaps(
    graph: &WalkGraph,
    state: &SearchState,
    origin: &Placed,
    target: impl IntoIterator<Item = SnapAt>,
) -> Option<Reached> {
    let mut best: Option<Reached> = None;
    let mut offer = |dist_dm: u32, via: Via| {
        if dist_dm < UNREACHED && best.is_none_or(|b| dist_dm < b.dist_dm) {
            best = Some(Reached { dist_dm, via });
        }
    };
    for (t, snap) in target.into_iter().enumerate() {
        let e = graph.edge(snap.edge);
        for (node, part) in [
            (e.a, snap.along_dm),
            (e.b, e.length_dm.saturating_sub(snap.along_dm)),
        ] {
            let (d, leg) = state.dist_before(node, e.private);
            if d < UNREACHED {
                let total = d.saturating_add(part).saturating_add(snap.offset_dm);
                offer(total, Via::Node { node, leg, snap: t });
            }
        }
        for (o, from) in origin.snaps.iter().enumerate() {
            if from.edge == snap.edge {
                let total = from.offset_dm + from.along_dm.abs_diff(snap.along_dm) + snap.offset_dm;
                offer(total, Via::SameEdge { origin: o, snap: t });
            }
        }
    }
    best
}

/// The `k` sites nearest `origin` on foot among those `wanted`, within `budget_dm`,
/// nearest first (ties by site index). The search stops once no unsettled node can
/// lead to a site nearer than the k-th found.
pub fn nearest_sites(
    graph: &WalkGraph,
    targets: &Targets,
    state: &mut SearchState,
    origin: &Placed,
    k: usize,
    budget_dm: u32,
    wanted: impl Fn(usize) -> bool,
) -> Vec<(usize, Reached)> {
    let mut best: std::collections::BTreeMap<usize, u32> = std::collections::BTreeMap::new();
    // Sites on the origin's own edges may be reached directly along them.
    for (i, placed) in targets.sites.iter().enumerate() {
        let Some(placed) = placed else { continue };
        if !wanted(i) {
            continue;
        }
        for s in &placed.snaps {
            for o in origin.snaps.iter().filter(|o| o.edge == s.edge) {
                let d = o.offset_dm + o.along_dm.abs_diff(s.along_dm) + s.offset_dm;
                let entry = best.entry(i).or_insert(UNREACHED);
                *entry = (*entry).min(d);
            }
        }
    }
    let kth = |best: &std::collections::BTreeMap<usize, u32>| {
        let mut d: Vec<u32> = best.values().copied().collect();
        d.sort_unstable();
        d.get(k.saturating_sub(1)).copied().unwrap_or(UNREACHED)
    };
    let mut bound = kth(&best);
    state.run(
        graph,
        &seeds(graph, origin),
        budget_dm,
        |_, node, leg, d| {
            if d >= bound {
                return false;
            }
            let mut changed = false;
            for a in targets.access(node) {
                if a.allowed(leg) && wanted(a.site as usize) {
                    let total = d.saturating_add(a.extra_dm);
                    let entry = best.entry(a.site as usize).or_insert(UNREACHED);
                    if total < *entry {
                        *entry = total;
                        changed = true;
                    }
                }
            }
            if changed {
                bound = kth(&best);
            }
            true
        },
    );
    let mut found: Vec<(usize, Reached)> = best
        .keys()
        .filter_map(|&i| {
            let placed = targets.sites[i].as_ref()?;
            let r = reach_target(graph, state, origin, &placed.snaps)?;
            (r.dist_dm <= budget_dm).then_some((i, r))
        })
        .collect();
    found.sort_by_key(|(i, r)| (r.dist_dm, *i));
    found.truncate(k);
    found
}

/// Searches from `origin` up to `budget_dm`.
pub fn search(graph: &WalkGraph, state: &mut SearchState, origin: &Placed, budget_dm: u32) {
    state.run(graph, &seeds(graph, origin), budget_dm, |_, _, _, _| true);
}

#[cfg(test)]
mod tests;
