//! Near-misses in the walking network: the usual traces of a junction drawn without a
//! shared vertex. A dead end that stops within a few metres of an edge it does not
//! meet, and two lines that cross without a shared vertex, both on the same layer and
//! neither a bridge nor a tunnel (those pass over or under by design). They are
//! reported and never crossed by a walk; the operator may join dead-end gaps
//! explicitly (see [`WalkGraph::joining_gaps`]).

use geo::{Line, LineIntersection, line_intersection::line_intersection};
use rstar::primitives::{GeomWithData, Line as RLine};
use rstar::{AABB, RTree, RTreeObject};

use super::graph::{EdgeId, NodeId, WalkGraph};
use super::snap::Snapper;

/// What kind of near-miss.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GapKind {
    /// A dead end within reach of an edge it does not meet.
    DeadEnd,
    /// Two lines crossing where neither has a vertex the other shares.
    Crossing,
}

impl GapKind {
    /// Its name in answers: `dead_end` or `crossing`.
    pub fn name(self) -> &'static str {
        match self {
            GapKind::DeadEnd => "dead_end",
            GapKind::Crossing => "crossing",
        }
    }

    /// Its name on the Chinese page.
    pub fn name_zh(self) -> &'static str {
        match self {
            GapKind::DeadEnd => "断头路未接",
            GapKind::Crossing => "交叉未连接",
        }
    }
}

/// One near-miss.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NearMiss {
    pub kind: GapKind,
    /// The dead end, or the crossing point, local metres.
    pub at: [f64; 2],
    /// The dead end's node (dead ends only).
    pub node: Option<NodeId>,
    /// The gap, metres: from the dead end to the nearest point of the other edge; 0
    /// for a crossing.
    pub gap_m: f64,
    /// The dead end's edge (or the first line) and the edge it misses.
    pub edges: [EdgeId; 2],
    /// The nearest point of the missed edge (dead ends), local metres, and how far
    /// along that edge it lies, decimetres.
    pub foot: [f64; 2],
    pub foot_along_dm: u32,
}

/// Every near-miss of `graph`: dead ends within `within_m` of an edge, then crossings,
/// each in a stable order (by node, then by edge pair).
pub fn near_misses(graph: &WalkGraph, within_m: f64) -> Vec<NearMiss> {
    near_misses_apart(graph, within_m, |_, _| false)
}

/// [`near_misses`], where two edges `one_area` says lie in one walkable area (a
/// pedestrian square's crossings, drawn by the import, cross its lines by design) are
/// never a crossing.
pub fn near_misses_apart(
    graph: &WalkGraph,
    within_m: f64,
    one_area: impl Fn(EdgeId, EdgeId) -> bool,
) -> Vec<NearMiss> {
    let mut found = dead_ends(graph, within_m);
    found.extend(crossings(graph, one_area));
    found
}

/// Whether two edges may meet: both on the ground and on one layer.
fn may_meet(graph: &WalkGraph, a: EdgeId, b: EdgeId) -> bool {
    let (ea, eb) = (graph.edge(a), graph.edge(b));
    !ea.raised() && !eb.raised() && !ea.ferry && !eb.ferry && ea.layer == eb.layer
}

fn dead_ends(graph: &WalkGraph, within_m: f64) -> Vec<NearMiss> {
    let snapper = Snapper::new(graph);
    graph
        .nodes()
        .filter_map(|node| {
            let [arc] = graph.arcs(node) else {
                return None;
            };
            let own = graph.edge(arc.edge);
            // Edges that meet the dead end's own edge at either end are walked to
            // anyway: a short stub beside them is no gap.
            let touches = |e: EdgeId| {
                let other = graph.edge(e);
                [other.a, other.b]
                    .iter()
                    .any(|n| *n == own.a || *n == own.b)
            };
            let p = graph.position(node);
            let s = snapper
                .candidates(graph, p, within_m)
                .into_iter()
                .find(|s| !touches(s.edge) && may_meet(graph, arc.edge, s.edge))?;
            Some(NearMiss {
                kind: GapKind::DeadEnd,
                at: p,
                node: Some(node),
                gap_m: f64::from(s.offset_dm) / 10.0,
                edges: [arc.edge, s.edge],
                foot: s.point,
                foot_along_dm: s.along_dm,
            })
        })
        .collect()
}

type Segment = GeomWithData<RLine<[f64; 2]>, EdgeId>;

fn crossings(graph: &WalkGraph, one_area: impl Fn(EdgeId, EdgeId) -> bool) -> Vec<NearMiss> {
    let segments: Vec<Segment> = graph
        .edges()
        .filter(|(id, _)| may_meet(graph, *id, *id))
        .flat_map(|(id, _)| {
            graph
                .geometry(id)
                .windows(2)
                .map(move |w| Segment::new(RLine::new(w[0], w[1]), id))
        })
        .collect();
    let tree = RTree::bulk_load(segments.clone());
    let mut found: Vec<NearMiss> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for s in &segments {
        let envelope: AABB<[f64; 2]> = s.envelope();
        for t in tree.locate_in_envelope_intersecting(&envelope) {
            let (a, b) = (s.data, t.data);
            if b <= a || !may_meet(graph, a, b) || one_area(a, b) {
                continue;
            }
            let line = |g: &Segment| {
                let l = g.geom();
                Line::new(
                    geo::coord! { x: l.from[0], y: l.from[1] },
                    geo::coord! { x: l.to[0], y: l.to[1] },
                )
            };
            let Some(LineIntersection::SinglePoint {
                intersection,
                is_proper,
            }) = line_intersection(line(s), line(t))
            else {
                continue;
            };
            let at = [intersection.x, intersection.y];
            if !is_proper && meet_at_node(graph, a, b, at) {
                continue;
            }
            if !is_proper && is_dead_end_at(graph, a, b, at) {
                // Reported as a dead end with no gap.
                continue;
            }
            // Two segments of the same pair of lines may meet at one point (a vertex).
            let key = (
                a,
                b,
                (at[0] * 100.0).round() as i64,
                (at[1] * 100.0).round() as i64,
            );
            if !seen.insert(key) {
                continue;
            }
            found.push(NearMiss {
                kind: GapKind::Crossing,
                at,
                node: None,
                gap_m: 0.0,
                edges: [a, b],
                foot: at,
                foot_along_dm: 0,
            });
        }
    }
    found.sort_by(|x, y| {
        x.edges
            .cmp(&y.edges)
            .then(x.at[0].total_cmp(&y.at[0]))
            .then(x.at[1].total_cmp(&y.at[1]))
    });
    found
}

fn distance(a: [f64; 2], b: [f64; 2]) -> f64 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
}

/// Whether edges `a` and `b` share a node at `at` (where lines joined at a junction
/// touch).
fn meet_at_node(graph: &WalkGraph, a: EdgeId, b: EdgeId, at: [f64; 2]) -> bool {
    let (ea, eb) = (graph.edge(a), graph.edge(b));
    [ea.a, ea.b]
        .into_iter()
        .filter(|n| *n == eb.a || *n == eb.b)
        .any(|n| distance(graph.position(n), at) < 0.01)
}

/// Whether a dead end of `a` or `b` lies at `at`.
fn is_dead_end_at(graph: &WalkGraph, a: EdgeId, b: EdgeId, at: [f64; 2]) -> bool {
    [a, b].into_iter().any(|e| {
        let info = graph.edge(e);
        [info.a, info.b]
            .into_iter()
            .any(|n| graph.arcs(n).len() == 1 && distance(graph.position(n), at) < 0.01)
    })
}

#[cfg(test)]
mod tests;
