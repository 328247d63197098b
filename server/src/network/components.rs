//! Connected components of the walking graph, and which of them to keep: a piece of
//! network cut off from everything (a lone footway in a park, a fragment at an
//! extract's edge) is kept only when it is big or something stands on it.

use super::graph::{EdgeId, NodeId, WalkGraph};

/// Components that hold at least this many nodes are kept whatever stands on them.
pub const MIN_KEPT_NODES: usize = 200;

/// The component of every node, numbered by their first node.
#[derive(Debug, Clone, Default)]
pub struct Components {
    of_node: Vec<u32>,
    sizes: Vec<u32>,
}

impl Components {
    pub fn of(graph: &WalkGraph) -> Self {
        let n = graph.node_count();
        let mut of_node = vec![u32::MAX; n];
        let mut sizes = Vec::new();
        let mut stack = Vec::new();
        for start in graph.nodes() {
            if of_node[start.index()] != u32::MAX {
                continue;
            }
            let id = sizes.len() as u32;
            let mut size = 0u32;
            of_node[start.index()] = id;
            stack.push(start);
            while let Some(node) = stack.pop() {
                size += 1;
                for arc in graph.arcs(node) {
                    let seen = &mut of_node[arc.head.index()];
                    if *seen == u32::MAX {
                        *seen = id;
                        stack.push(arc.head);
                    }
                }
            }
            sizes.push(size);
        }
        Self { of_node, sizes }
    }

    pub fn count(&self) -> usize {
        self.sizes.len()
    }

    pub fn of_node(&self, n: NodeId) -> u32 {
        self.of_node[n.index()]
    }

    pub fn of_edge(&self, graph: &WalkGraph, e: EdgeId) -> u32 {
        self.of_node(graph.edge(e).a)
    }

    /// Nodes in component `c`.
    pub fn size(&self, c: u32) -> usize {
        self.sizes[c as usize] as usize
    }

    /// Which components to keep: the big ones, and those `held` marks (the components
    /// a building or site stands by).
    pub fn kept(&self, held: impl IntoIterator<Item = u32>) -> Vec<bool> {
        let mut keep: Vec<bool> = self
            .sizes
            .iter()
            .map(|&s| s as usize >= MIN_KEPT_NODES)
            .collect();
        for c in held {
            keep[c as usize] = true;
        }
        keep
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::GraphLine;

    fn line(a: u32, b: u32) -> GraphLine<u32> {
        GraphLine {
            points: vec![[f64::from(a), 0.0], [f64::from(b), 1.0]],
            ends: [a, b],
            private: false,
            bridge: false,
            tunnel: false,
            layer: 0,
            ferry: false,
        }
    }

    #[test]
    fn components_are_the_connected_pieces() {
        let graph = WalkGraph::from_lines([line(0, 1), line(1, 2), line(3, 4), line(5, 5)]);
        let c = Components::of(&graph);
        assert_eq!(c.count(), 3);
        let at = |i: usize| c.of_node(NodeId::from_index(i));
        assert_eq!((at(0), at(1), at(2)), (0, 0, 0));
        assert_eq!((at(3), at(4)), (1, 1));
        assert_eq!(at(5), 2);
        assert_eq!((c.size(0), c.size(1), c.size(2)), (3, 2, 1));
        assert_eq!(c.kept([1]), [false, true, false]);
    }
}
