//! Dijkstra's search from one or more sources, bounded by a budget, over the edges a
//! filter allows. Distances are whole decimetres, so sums are exact.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::graph::{EdgeInfo, NodeId, WalkGraph};

/// Distance of a node the search did not reach within its budget.
pub const UNREACHED: u32 = u32::MAX;

/// Shortest distances, decimetres, from `sources` (each with a starting offset) to
/// every node within `budget_dm`; `UNREACHED` elsewhere.
pub fn distances(
    graph: &WalkGraph,
    sources: &[(NodeId, u32)],
    budget_dm: u32,
    allow: impl Fn(&EdgeInfo) -> bool,
) -> Vec<u32> {
    let mut dist = vec![UNREACHED; graph.node_count()];
    let mut heap = BinaryHeap::new();
    for &(node, offset) in sources {
        if offset <= budget_dm && offset < dist[node.index()] {
            dist[node.index()] = offset;
            heap.push(Reverse((offset, node)));
        }
    }
    while let Some(Reverse((d, node))) = heap.pop() {
        if d > dist[node.index()] {
            continue;
        }
        for arc in graph.arcs(node) {
            if !allow(graph.edge(arc.edge)) {
                continue;
            }
            let next = d.saturating_add(arc.length_dm);
            if next <= budget_dm && next < dist[arc.head.index()] {
                dist[arc.head.index()] = next;
                heap.push(Reverse((next, arc.head)));
            }
        }
    }
    dist
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::GraphLine;

    fn line(points: Vec<[f64; 2]>, ends: [usize; 2], private: bool) -> GraphLine<usize> {
        GraphLine {
            points,
            ends,
            private,
            bridge: false,
            tunnel: false,
            layer: 0,
            ferry: false,
        }
    }

    /// A graph from (a, b, length in dm) triples over nodes 0..n: node ids follow
    /// first appearance of their keys, so zero-length loops first make node i id i.
    fn graph(n: usize, edges: &[(usize, usize, u32)]) -> WalkGraph {
        let mut lines: Vec<GraphLine<usize>> = (0..n)
            .map(|i| line(vec![[0.0, 0.0], [0.0, 0.0]], [i, i], false))
            .collect();
        for &(a, b, dm) in edges {
            // The polyline's length is the wanted length; endpoints are keyed by index.
            lines.push(line(
                vec![[0.0, 0.0], [0.0, f64::from(dm) / 10.0]],
                [a, b],
                false,
            ));
        }
        WalkGraph::from_lines(lines)
    }

    fn floyd_warshall(n: usize, edges: &[(usize, usize, u32)]) -> Vec<Vec<u64>> {
        let mut d = vec![vec![u64::MAX; n]; n];
        for (i, row) in d.iter_mut().enumerate() {
            row[i] = 0;
        }
        for &(a, b, w) in edges {
            let w = u64::from(w);
            d[a][b] = d[a][b].min(w);
            d[b][a] = d[b][a].min(w);
        }
        for k in 0..n {
            for i in 0..n {
                for j in 0..n {
                    if d[i][k] != u64::MAX && d[k][j] != u64::MAX {
                        d[i][j] = d[i][j].min(d[i][k] + d[k][j]);
                    }
                }
            }
        }
        d
    }

    #[test]
    fn matches_floyd_warshall_on_random_graphs() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |m: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % m
        };
        for _ in 0..40 {
            let n = 2 + next(30) as usize;
            let m = next(3 * n as u64) as usize;
            let edges: Vec<(usize, usize, u32)> = (0..m)
                .map(|_| {
                    (
                        next(n as u64) as usize,
                        next(n as u64) as usize,
                        1 + next(5000) as u32,
                    )
                })
                .collect();
            let g = graph(n, &edges);
            let oracle = floyd_warshall(n, &edges);
            let id_of: Vec<NodeId> = g.nodes().collect();
            assert_eq!(id_of.len(), n);
            for s in 0..n {
                let d = distances(&g, &[(id_of[s], 0)], u32::MAX - 1, |_| true);
                for t in 0..n {
                    let got = d[id_of[t].index()];
                    let want = oracle[s][t];
                    if want == u64::MAX {
                        assert_eq!(got, UNREACHED);
                    } else {
                        assert_eq!(u64::from(got), want, "{s}->{t} in {edges:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn stops_at_the_budget_and_respects_the_filter() {
        // 0 -10- 1 -10- 2, and a private shortcut 0 -5- 2.
        let g = WalkGraph::from_lines([
            line(vec![[0.0, 0.0], [1.0, 0.0]], [0, 1], false),
            line(vec![[1.0, 0.0], [2.0, 0.0]], [1, 2], false),
            line(vec![[0.0, 0.0], [0.5, 0.0]], [0, 2], true),
        ]);
        let start = g.nodes().next().unwrap();
        let all = distances(&g, &[(start, 0)], 1000, |_| true);
        assert_eq!(all, vec![0, 10, 5]);
        let public = distances(&g, &[(start, 0)], 1000, |e| !e.private);
        assert_eq!(public, vec![0, 10, 20]);
        let short = distances(&g, &[(start, 0)], 15, |e| !e.private);
        assert_eq!(short, vec![0, 10, UNREACHED]);
        let offset = distances(&g, &[(start, 7)], 15, |e| !e.private);
        assert_eq!(offset, vec![7, UNREACHED, UNREACHED]);
    }
}
