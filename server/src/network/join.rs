//! Joining dead-end gaps on the operator's word (`--join-gaps-m`): each dead end that
//! stops at most that far short of an edge gets an explicit connector line to the
//! nearest point of that edge, which is split there. The first piece of a split edge
//! keeps its place, so edge `i` of the joined graph is still line `i` of the input;
//! further pieces and the connectors follow the input's lines.

use std::hash::Hash;

use super::gaps::{GapKind, NearMiss, near_misses_apart};
use super::graph::{GraphLine, WalkGraph, network_lines, node_key};
use crate::geo::LocalProjection;
use crate::model::NetworkEdge;

/// Dead ends this close to an edge they do not meet are reported.
pub const REPORTED_GAP_M: f64 = 2.0;

/// The near-misses of a network as loaded (dead ends within [`REPORTED_GAP_M`], or the
/// join distance when larger, and crossings), each marked when a join closed it.
#[derive(Debug, Default)]
pub struct GapReport {
    pub gaps: Vec<NearMiss>,
    pub joined: Vec<bool>,
}

impl GapReport {
    /// How many near-misses of this kind.
    pub fn count(&self, kind: GapKind) -> usize {
        self.gaps.iter().filter(|g| g.kind == kind).count()
    }

    /// How many connectors the joins added.
    pub fn connectors(&self) -> usize {
        self.joined.iter().filter(|&&j| j).count()
    }
}

impl WalkGraph {
    /// The graph of a dataset's walking network with its dead-end gaps of at most
    /// `join_m` joined (none when 0), and the report of its near-misses. Edge `i` is
    /// still `network[i]` (shortened where a join split it).
    pub fn joining_gaps(
        network: &[NetworkEdge],
        projection: &LocalProjection,
        join_m: f64,
    ) -> (Self, GapReport) {
        let lines = network_lines(network, projection);
        let graph = Self::from_lines(lines.clone());
        // A square's crossings cross its other lines, and lines through it, freely.
        let one_area = |a: super::EdgeId, b: super::EdgeId| {
            let chord = |e: super::EdgeId| {
                network
                    .get(e.index())
                    .is_some_and(|n| n.props.square_crossing)
            };
            chord(a) || chord(b)
        };
        let gaps = near_misses_apart(&graph, REPORTED_GAP_M.max(join_m), one_area);
        if join_m <= 0.0 {
            let joined = vec![false; gaps.len()];
            return (graph, GapReport { gaps, joined });
        }
        let key_of = |p: [f64; 2]| {
            let ll = projection.unproject(p[0], p[1]);
            node_key(ll.lon(), ll.lat())
        };
        let done = join_dead_ends(&graph, lines, &gaps, join_m, key_of);
        let joined = gaps.iter().map(|g| done.joined.contains(g)).collect();
        (Self::from_lines(done.lines), GapReport { gaps, joined })
    }
}

/// The network with its dead-end gaps of at most `join_m` joined, and the gaps joined
/// (as found on the unjoined graph).
pub struct Joined<K> {
    pub lines: Vec<GraphLine<K>>,
    pub joined: Vec<NearMiss>,
}

/// Joins the dead-end gaps among `gaps` (found on `graph`, built from `lines`) of at
/// most `join_m`; `key_of` names a new node at a local position.
pub fn join_dead_ends<K: Clone + Hash + Eq>(
    graph: &WalkGraph,
    mut lines: Vec<GraphLine<K>>,
    gaps: &[NearMiss],
    join_m: f64,
    key_of: impl Fn([f64; 2]) -> K,
) -> Joined<K> {
    let joined: Vec<NearMiss> = gaps
        .iter()
        .filter(|g| g.kind == GapKind::DeadEnd && g.gap_m <= join_m)
        .copied()
        .collect();
    // Where each edge is cut, metres along it, with the key of the node there.
    let mut cuts: std::collections::BTreeMap<usize, Vec<(f64, K)>> = Default::default();
    let mut connectors = Vec::new();
    for gap in &joined {
        let (Some(node), [own, missed]) = (gap.node, gap.edges) else {
            continue;
        };
        let dead_end = graph.position(node);
        let own_line = &lines[own.index()];
        let dead_key = if own_line.points.first() == Some(&dead_end) {
            own_line.ends[0].clone()
        } else {
            own_line.ends[1].clone()
        };
        let missed_line = &lines[missed.index()];
        let along_m = f64::from(gap.foot_along_dm) / 10.0;
        let length_m = polyline_length(&missed_line.points);
        let foot_key = if along_m <= 0.05 {
            missed_line.ends[0].clone()
        } else if along_m >= length_m - 0.05 {
            missed_line.ends[1].clone()
        } else {
            let key = key_of(gap.foot);
            cuts.entry(missed.index())
                .or_default()
                .push((along_m, key.clone()));
            key
        };
        connectors.push(GraphLine::street(
            vec![dead_end, gap.foot],
            [dead_key, foot_key],
        ));
    }
    let mut tails = Vec::new();
    for (edge, mut at) in cuts {
        at.sort_by(|a, b| a.0.total_cmp(&b.0));
        let line = lines[edge].clone();
        let mut pieces = split(&line.points, &at.iter().map(|c| c.0).collect::<Vec<_>>());
        let mut keys: Vec<K> = vec![line.ends[0].clone()];
        keys.extend(at.into_iter().map(|c| c.1));
        keys.push(line.ends[1].clone());
        let first = pieces.remove(0);
        lines[edge] = GraphLine {
            points: first,
            ends: [keys[0].clone(), keys[1].clone()],
            ..line.clone()
        };
        for (i, points) in pieces.into_iter().enumerate() {
            tails.push(GraphLine {
                points,
                ends: [keys[i + 1].clone(), keys[i + 2].clone()],
                ..line.clone()
            });
        }
    }
    lines.extend(tails);
    lines.extend(connectors);
    Joined { lines, joined }
}

fn polyline_length(points: &[[f64; 2]]) -> f64 {
    points
        .windows(2)
        .map(|w| ((w[1][0] - w[0][0]).powi(2) + (w[1][1] - w[0][1]).powi(2)).sqrt())
        .sum()
}

/// A polyline cut at the given distances along it (ascending), into one more piece.
fn split(points: &[[f64; 2]], at_m: &[f64]) -> Vec<Vec<[f64; 2]>> {
    let mut pieces = vec![vec![points[0]]];
    let mut walked = 0.0;
    let mut next = at_m.iter().peekable();
    for w in points.windows(2) {
        let length = ((w[1][0] - w[0][0]).powi(2) + (w[1][1] - w[0][1]).powi(2)).sqrt();
        while let Some(&&cut) = next.peek() {
            if cut > walked + length {
                break;
            }
            let t = if length > 0.0 {
                (cut - walked) / length
            } else {
                0.0
            };
            let p = [
                w[0][0] + t * (w[1][0] - w[0][0]),
                w[0][1] + t * (w[1][1] - w[0][1]),
            ];
            if let Some(piece) = pieces.last_mut() {
                piece.push(p);
            }
            pieces.push(vec![p]);
            next.next();
        }
        walked += length;
        if let Some(piece) = pieces.last_mut() {
            piece.push(w[1]);
        }
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::near_misses;

    #[test]
    fn a_joined_gap_becomes_a_connector_and_the_street_is_split_there() {
        let lines = vec![
            GraphLine::street(vec![[0.0, 0.0], [60.0, 0.0], [100.0, 0.0]], [0u32, 1]),
            GraphLine::street(vec![[50.0, 30.0], [50.0, 1.5]], [2, 3]),
        ];
        let graph = WalkGraph::from_lines(lines.clone());
        let gaps = near_misses(&graph, 2.0);
        let joined = join_dead_ends(&graph, lines, &gaps, 2.0, |_| 99);
        assert_eq!(joined.joined.len(), 1);
        let joined_graph = WalkGraph::from_lines(joined.lines);
        // Street split in two, the footway, the connector.
        assert_eq!(joined_graph.edge_count(), 4);
        assert_eq!(
            joined_graph.geometry(crate::network::EdgeId(0)),
            &[[0.0, 0.0], [50.0, 0.0]]
        );
        assert_eq!(
            joined_graph.geometry(crate::network::EdgeId(2)),
            &[[50.0, 0.0], [60.0, 0.0], [100.0, 0.0]]
        );
        assert_eq!(joined_graph.edge(crate::network::EdgeId(3)).length_dm, 15);
        assert!(near_misses(&joined_graph, 2.0).is_empty());
    }

    #[test]
    fn split_keeps_every_vertex_and_cuts_where_asked() {
        let pieces = split(&[[0.0, 0.0], [10.0, 0.0], [10.0, 10.0]], &[5.0, 15.0]);
        assert_eq!(
            pieces,
            vec![
                vec![[0.0, 0.0], [5.0, 0.0]],
                vec![[5.0, 0.0], [10.0, 0.0], [10.0, 5.0]],
                vec![[10.0, 5.0], [10.0, 10.0]],
            ]
        );
    }
}
