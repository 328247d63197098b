//! Walking reachability, the product's core: snapping, walking distances that obey
//! the private-road rule, the nearest sites, routes, and isochrones. Pure: local
//! metres in, local metres out; no IO, no HTTP.
//!
//! A point reaches the network at one access point, the nearest point of its nearest
//! edge within the snap radius (see [`Reach::access`] for the rules that may pass the
//! nearest edge over). The walking distance between two points is origin offset +
//! network distance between their access points + destination offset, every part
//! counted in full; two access points on the same edge also walk directly along it.
//! Nothing ever jumps from one edge to another off the network.

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

/// Default snap radius, metres.
pub const SNAP_RADIUS_M: f64 = 100.0;
/// A point on the ground passes over a nearest bridge or tunnel for a ground edge at
/// most this much farther.
pub const GROUND_SLACK_M: f64 = 10.0;

/// No walkable edge within the snap radius of a point.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("no walkable edge within {radius_m} m of the point")]
pub struct NoEdgeNearby {
    pub radius_m: f64,
}

/// A point placed on the network: its position and its access point.
#[derive(Debug, Clone)]
pub struct Placed {
    pub point: [f64; 2],
    pub snap: Snap,
}

/// How a target was reached: through `node` on `leg` then along the target's edge, or
/// directly along the edge the origin's access point shares with it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Via {
    Node {
        node: crate::network::NodeId,
        leg: Leg,
    },
    SameEdge,
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
    /// The isochrone lattices' access points, found on first use.
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
    pub fn component_of(&self, graph: &WalkGraph, placed: &Placed) -> u32 {
        self.components.of_edge(graph, placed.snap.edge)
    }

    /// A point with its access point; an error when no edge is near enough.
    pub fn place(&self, graph: &WalkGraph, point: [f64; 2]) -> Result<Placed, NoEdgeNearby> {
        match self.access(graph, point) {
            Some(snap) => Ok(Placed { point, snap }),
            None => Err(NoEdgeNearby {
                radius_m: self.snap_radius_m,
            }),
        }
    }

    /// A point's access point, if an edge is within the snap radius: the nearest point
    /// of its nearest edge, unless that edge is a bridge, a tunnel or a private road.
    /// Then the nearest ground edge at most [`GROUND_SLACK_M`] farther is taken, and a
    /// point as near a public edge as any (at a compound's gate it touches the private
    /// road and the street) stands outside compounds and takes no private one; with
    /// none such, the nearest edge. Remaining exact ties go to the lower edge id.
    pub fn access(&self, graph: &WalkGraph, point: [f64; 2]) -> Option<Snap> {
        let two = self.snapper.nearest(graph, point, self.snap_radius_m, 2);
        self.by_the_rules(graph, point, &two)
    }

    /// The rules of [`Reach::access`] for a point whose two nearest edges are `two`
    /// (nearest first; two, so that a tie is seen whichever search found them).
    fn by_the_rules(&self, graph: &WalkGraph, point: [f64; 2], two: &[Snap]) -> Option<Snap> {
        let nearest = *two.first()?;
        let d0 = distance(point, nearest.point);
        let first = graph.edge(nearest.edge);
        let tie = two
            .get(1)
            .is_some_and(|s| distance(point, s.point) <= d0 + TIE_M);
        if !first.raised() && !first.private && !tie {
            return Some(nearest);
        }
        let near = self.snapper.candidates(
            graph,
            point,
            (d0 + GROUND_SLACK_M + TIE_M).min(self.snap_radius_m),
        );
        let public = |s: &Snap| !graph.edge(s.edge).private;
        let tied = |s: &Snap| distance(point, s.point) <= d0 + TIE_M;
        let outside = near.iter().any(|s| tied(s) && public(s));
        let eligible = |s: &&Snap| {
            !graph.edge(s.edge).raised()
                && (public(s) || !outside)
                && distance(point, s.point) <= d0 + GROUND_SLACK_M
        };
        // The nearest eligible one; of those tied with it, the lowest edge id.
        let best = near.iter().find(eligible).map(|s| distance(point, s.point));
        let chosen = best.and_then(|b| {
            near.iter()
                .filter(eligible)
                .filter(|s| distance(point, s.point) <= b + TIE_M)
                .min_by_key(|s| s.edge)
        });
        Some(chosen.copied().unwrap_or(nearest))
    }
}

/// Two access points closer than this are one (a point at a node touches all its
/// edges there), metres.
const TIE_M: f64 = 1e-6;

fn distance(a: [f64; 2], b: [f64; 2]) -> f64 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
}

/// The search seeds of an origin: both ends of its access point's edge, with the
/// offset and the part of the edge walked.
pub fn seeds(graph: &WalkGraph, origin: &Placed) -> [Seed; 2] {
    let s = &origin.snap;
    let e = graph.edge(s.edge);
    [
        (e.a, s.along_dm),
        (e.b, e.length_dm.saturating_sub(s.along_dm)),
    ]
    .map(|(node, part)| Seed {
        node,
        dist_dm: s.offset_dm.saturating_add(part),
        leg: leg_on(e.private),
        source: 0,
    })
}

/// The walk along one edge between two access points on it.
fn along_one_edge(from: &SnapAt, to: &SnapAt) -> Option<u32> {
    (from.edge == to.edge)
        .then(|| from.offset_dm + from.along_dm.abs_diff(to.along_dm) + to.offset_dm)
}

/// The walking distance from the searched origin to a target, from a finished search.
pub fn reach_target(
    graph: &WalkGraph,
    state: &SearchState,
    origin: &Placed,
    target: &Snap,
) -> Option<Reached> {
    reach_snap(graph, state, origin, target.at())
}

/// [`reach_target`] for a target given by where it meets its edge.
pub fn reach_snap(
    graph: &WalkGraph,
    state: &SearchState,
    origin: &Placed,
    target: SnapAt,
) -> Option<Reached> {
    let mut best: Option<Reached> = None;
    let mut offer = |dist_dm: u32, via: Via| {
        if dist_dm < UNREACHED && best.is_none_or(|b| dist_dm < b.dist_dm) {
            best = Some(Reached { dist_dm, via });
        }
    };
    let e = graph.edge(target.edge);
    for (node, part) in [
        (e.a, target.along_dm),
        (e.b, e.length_dm.saturating_sub(target.along_dm)),
    ] {
        let (d, leg) = state.dist_before(node, e.private);
        if d < UNREACHED {
            let total = d.saturating_add(part).saturating_add(target.offset_dm);
            offer(total, Via::Node { node, leg });
        }
    }
    if let Some(direct) = along_one_edge(&origin.snap.at(), &target) {
        offer(direct, Via::SameEdge);
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
    // Sites on the origin's own edge may be reached directly along it.
    for &(i, s) in targets.sites_on(origin.snap.edge) {
        if wanted(i as usize)
            && let Some(d) = along_one_edge(&origin.snap.at(), &s.at())
        {
            let entry = best.entry(i as usize).or_insert(UNREACHED);
            *entry = (*entry).min(d);
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
            let r = reach_target(graph, state, origin, &placed.snap)?;
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
