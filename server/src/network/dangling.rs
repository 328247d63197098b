//! Dangling ends: dead ends that stop just short of another edge, the usual trace of a
//! junction drawn without a shared vertex. They are reported, never joined: a line
//! that passes close by may be a bridge.

use super::graph::{EdgeId, NodeId, WalkGraph};
use super::snap::Snapper;

/// A dead end within reach of an edge it does not meet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dangling {
    pub node: NodeId,
    pub near_edge: EdgeId,
    pub gap_m: f64,
}

/// Every dead end (a node with one edge) within `within_m` of an edge not its own,
/// with the nearest such edge.
pub fn dangling_ends(graph: &WalkGraph, snapper: &Snapper, within_m: f64) -> Vec<Dangling> {
    graph
        .nodes()
        .filter(|&n| graph.arcs(n).len() == 1)
        .filter_map(|node| {
            let p = graph.position(node);
            snapper
                .candidates(graph, p, within_m)
                .into_iter()
                .find(|s| {
                    let e = graph.edge(s.edge);
                    e.a != node && e.b != node
                })
                .map(|s| Dangling {
                    node,
                    near_edge: s.edge,
                    gap_m: f64::from(s.offset_dm) / 10.0,
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::GraphLine;

    fn line(points: &[[f64; 2]], ends: [u32; 2]) -> GraphLine<u32> {
        GraphLine {
            points: points.to_vec(),
            ends,
            private: false,
            bridge: false,
            ferry: false,
        }
    }

    #[test]
    fn a_dead_end_short_of_a_street_is_reported_a_far_one_not() {
        let graph = WalkGraph::from_lines([
            line(&[[0.0, 0.0], [100.0, 0.0]], [0, 1]),
            // Stops 1.5 m short of the street.
            line(&[[50.0, 30.0], [50.0, 1.5]], [2, 3]),
            // Stops 10 m short.
            line(&[[80.0, 30.0], [80.0, 10.0]], [4, 5]),
        ]);
        let snapper = Snapper::new(&graph);
        let found = dangling_ends(&graph, &snapper, 2.0);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(graph.position(found[0].node), [50.0, 1.5]);
        assert_eq!(found[0].near_edge.index(), 0);
        assert!((found[0].gap_m - 1.5).abs() < 1e-9);
    }
}
