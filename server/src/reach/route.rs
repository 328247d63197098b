//! The route of a walk, as a polyline in local metres: from the origin along its
//! access segment to its access point, part of that edge, whole edges back along the
//! search's predecessors, part of the target's edge, and along the target's access
//! segment to the target. Every metre of it is on an edge or an access segment.

use super::search::SearchState;
use super::{Placed, Reached, Via};
use crate::network::{EdgeId, NodeId, Snap, WalkGraph};

/// The points of `edge` between `from_dm` and `to_dm` along it (either direction).
fn part(graph: &WalkGraph, edge: EdgeId, from_dm: u32, to_dm: u32) -> Vec<[f64; 2]> {
    let points = graph.geometry(edge);
    let (lo, hi) = (from_dm.min(to_dm), from_dm.max(to_dm));
    let total = f64::from(graph.edge(edge).length_dm);
    // Positions along the polyline, scaled so the last point sits at the edge's length.
    let mut along = vec![0.0; points.len()];
    for i in 1..points.len() {
        let (a, b) = (points[i - 1], points[i]);
        along[i] =
            along[i - 1] + ((b[0] - a[0]) * (b[0] - a[0]) + (b[1] - a[1]) * (b[1] - a[1])).sqrt();
    }
    let scale = if along[points.len() - 1] > 0.0 {
        total / along[points.len() - 1]
    } else {
        0.0
    };
    let at = |dm: f64| -> [f64; 2] {
        for i in 1..points.len() {
            let (s0, s1) = (along[i - 1] * scale, along[i] * scale);
            if dm <= s1 || i == points.len() - 1 {
                let t = if s1 > s0 {
                    ((dm - s0) / (s1 - s0)).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                let (a, b) = (points[i - 1], points[i]);
                return [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
            }
        }
        points[0]
    };
    let mut out = vec![at(f64::from(lo))];
    for i in 0..points.len() {
        let s = along[i] * scale;
        if s > f64::from(lo) && s < f64::from(hi) {
            out.push(points[i]);
        }
    }
    out.push(at(f64::from(hi)));
    if from_dm > to_dm {
        out.reverse();
    }
    out
}

fn extend(line: &mut Vec<[f64; 2]>, points: impl IntoIterator<Item = [f64; 2]>) {
    for p in points {
        if line.last() != Some(&p) {
            line.push(p);
        }
    }
}

/// The position of `node` along `edge`, decimetres.
fn node_along(graph: &WalkGraph, edge: EdgeId, node: NodeId) -> u32 {
    let e = graph.edge(edge);
    if node == e.a { 0 } else { e.length_dm }
}

/// The route from `origin` to a target reached as `reached`, its access point
/// `target`, its position `to`.
pub fn route(
    graph: &WalkGraph,
    state: &SearchState,
    origin: &Placed,
    target: &Snap,
    to: [f64; 2],
    reached: &Reached,
) -> Vec<[f64; 2]> {
    let from = &origin.snap;
    let mut line = vec![origin.point];
    extend(&mut line, [from.point]);
    match reached.via {
        Via::SameEdge => {
            extend(
                &mut line,
                part(graph, from.edge, from.along_dm, target.along_dm),
            );
        }
        Via::Node { node, leg } => {
            // Edges from the target's node back to a seed.
            let mut edges: Vec<(EdgeId, NodeId)> = Vec::new();
            let (mut n, mut l) = (node, leg);
            for _ in 0..graph.node_count().max(1) {
                let pred = state.pred(n, l);
                let Some(edge) = pred.edge else { break };
                edges.push((edge, n));
                n = NodeId::from_index(pred.node as usize);
                l = pred.leg;
            }
            extend(
                &mut line,
                part(
                    graph,
                    from.edge,
                    from.along_dm,
                    node_along(graph, from.edge, n),
                ),
            );
            for &(edge, head) in edges.iter().rev() {
                let e = graph.edge(edge);
                let tail = if head == e.b { e.a } else { e.b };
                extend(
                    &mut line,
                    part(
                        graph,
                        edge,
                        node_along(graph, edge, tail),
                        node_along(graph, edge, head),
                    ),
                );
            }
            extend(
                &mut line,
                part(
                    graph,
                    target.edge,
                    node_along(graph, target.edge, node),
                    target.along_dm,
                ),
            );
        }
    }
    extend(&mut line, [target.point, to]);
    line
}
