//! `WalkGraph`: compact adjacency arrays (CSR) over `NodeId(u32)`, each undirected
//! edge stored as two arcs (walking ignores `oneway`).

use std::collections::HashMap;

use crate::geo::LocalProjection;
use crate::model::NetworkEdge;

/// A node of the walking graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub(super) u32);

/// An edge (one LineString) of the walking graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EdgeId(pub(super) u32);

impl NodeId {
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// The node at position `i` of a graph's node arrays.
    pub(crate) fn from_index(i: usize) -> Self {
        Self(i as u32)
    }
}

impl EdgeId {
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// The edge at position `i` of a graph's edge arrays.
    pub(crate) fn from_index(i: usize) -> Self {
        Self(i as u32)
    }
}

/// One direction of an edge, as stored in a node's adjacency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arc {
    pub head: NodeId,
    pub edge: EdgeId,
    pub length_dm: u32,
}

/// What an edge is, for the rules of walking.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeInfo {
    pub a: NodeId,
    pub b: NodeId,
    pub length_dm: u32,
    pub private: bool,
    pub bridge: bool,
    pub tunnel: bool,
    /// The vertical layer (OpenStreetMap's `layer`; bridges 1 and tunnels −1 unless
    /// told): lines on different layers cross without meeting.
    pub layer: i8,
    pub ferry: bool,
}

impl EdgeInfo {
    /// A bridge or a tunnel: off the ground, where a point on the ground does not
    /// reach the network while a ground edge is about as near.
    pub fn raised(&self) -> bool {
        self.bridge || self.tunnel
    }
}

/// A polyline in local metres to build the graph from, with the identities its
/// endpoints are compared by.
#[derive(Debug, Clone)]
pub struct GraphLine<K> {
    pub points: Vec<[f64; 2]>,
    pub ends: [K; 2],
    pub private: bool,
    pub bridge: bool,
    pub tunnel: bool,
    pub layer: i8,
    pub ferry: bool,
}

impl<K> GraphLine<K> {
    /// A public ground-level line.
    pub fn street(points: Vec<[f64; 2]>, ends: [K; 2]) -> Self {
        Self {
            points,
            ends,
            private: false,
            bridge: false,
            tunnel: false,
            layer: 0,
            ferry: false,
        }
    }
}

#[derive(Debug, Default)]
pub struct WalkGraph {
    xy: Vec<[f64; 2]>,
    first_arc: Vec<u32>,
    arcs: Vec<Arc>,
    edges: Vec<EdgeInfo>,
    /// Every edge's points, from `a` to `b`, one after another; `first_point[e]` is
    /// where edge `e`'s start.
    points: Vec<[f64; 2]>,
    first_point: Vec<u32>,
}

/// Length of a polyline in metres.
fn length_m(points: &[[f64; 2]]) -> f64 {
    points
        .windows(2)
        .map(|w| {
            let (dx, dy) = (w[1][0] - w[0][0], w[1][1] - w[0][1]);
            (dx * dx + dy * dy).sqrt()
        })
        .sum()
}

impl WalkGraph {
    /// Builds the graph from polylines; nodes are numbered in order of first appearance.
    pub fn from_lines<K: std::hash::Hash + Eq>(
        lines: impl IntoIterator<Item = GraphLine<K>>,
    ) -> Self {
        let mut ids: HashMap<K, NodeId> = HashMap::new();
        let mut xy = Vec::new();
        let mut edges = Vec::new();
        let mut all_points = Vec::new();
        let mut first_point = Vec::new();
        for line in lines {
            let GraphLine {
                points,
                ends: [ka, kb],
                private,
                bridge,
                tunnel,
                layer,
                ferry,
            } = line;
            let (Some(&first), Some(&last)) = (points.first(), points.last()) else {
                continue;
            };
            let mut node = |k: K, p: [f64; 2]| {
                *ids.entry(k).or_insert_with(|| {
                    xy.push(p);
                    NodeId((xy.len() - 1) as u32)
                })
            };
            let a = node(ka, first);
            let b = node(kb, last);
            let length_dm = ((length_m(&points) * 10.0).round() as u32).max(1);
            first_point.push(all_points.len() as u32);
            all_points.extend_from_slice(&points);
            edges.push(EdgeInfo {
                a,
                b,
                length_dm,
                private,
                bridge,
                tunnel,
                layer,
                ferry,
            });
        }
        let mut degree = vec![0u32; xy.len() + 1];
        for e in &edges {
            degree[e.a.index()] += 1;
            degree[e.b.index()] += 1;
        }
        let mut first_arc = Vec::with_capacity(xy.len() + 1);
        let mut total = 0u32;
        for d in &degree[..xy.len()] {
            first_arc.push(total);
            total += d;
        }
        first_arc.push(total);
        let mut fill = first_arc.clone();
        let placeholder = Arc {
            head: NodeId(0),
            edge: EdgeId(0),
            length_dm: 0,
        };
        let mut arcs = vec![placeholder; total as usize];
        for (i, e) in edges.iter().enumerate() {
            for (from, to) in [(e.a, e.b), (e.b, e.a)] {
                let slot = &mut fill[from.index()];
                arcs[*slot as usize] = Arc {
                    head: to,
                    edge: EdgeId(i as u32),
                    length_dm: e.length_dm,
                };
                *slot += 1;
            }
        }
        first_point.push(all_points.len() as u32);
        Self {
            xy,
            first_arc,
            arcs,
            edges,
            points: all_points,
            first_point,
        }
    }

    /// The graph of a dataset's walking network, nodes compared at 7 decimals; edge
    /// `i` is `network[i]`.
    pub fn from_network(network: &[NetworkEdge], projection: &LocalProjection) -> Self {
        Self::from_lines(network_lines(network, projection))
    }

    pub fn node_count(&self) -> usize {
        self.xy.len()
    }

    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }

    /// Position of a node, local metres.
    pub fn position(&self, n: NodeId) -> [f64; 2] {
        self.xy[n.index()]
    }

    pub fn edge(&self, e: EdgeId) -> &EdgeInfo {
        &self.edges[e.index()]
    }

    /// An edge's points in local metres, from its node `a` to its node `b`.
    pub fn geometry(&self, e: EdgeId) -> &[[f64; 2]] {
        let (lo, hi) = (self.first_point[e.index()], self.first_point[e.index() + 1]);
        &self.points[lo as usize..hi as usize]
    }

    /// The arcs leaving a node.
    pub fn arcs(&self, n: NodeId) -> &[Arc] {
        let (lo, hi) = (self.first_arc[n.index()], self.first_arc[n.index() + 1]);
        &self.arcs[lo as usize..hi as usize]
    }

    /// All edges with their ids, in input order.
    pub fn edges(&self) -> impl Iterator<Item = (EdgeId, &EdgeInfo)> {
        self.edges
            .iter()
            .enumerate()
            .map(|(i, e)| (EdgeId(i as u32), e))
    }

    /// All node ids, in order.
    pub fn nodes(&self) -> impl Iterator<Item = NodeId> + use<> {
        (0..self.xy.len() as u32).map(NodeId)
    }
}

/// A node's identity in a dataset's network: lon, lat in 1e-7 degrees.
pub type NodeKey = (i64, i64);

/// The key of a lon/lat position.
pub fn node_key(lon: f64, lat: f64) -> NodeKey {
    ((lon * 1e7).round() as i64, (lat * 1e7).round() as i64)
}

/// A dataset's walking network as lines in local metres, one per edge, in order.
pub fn network_lines(
    network: &[NetworkEdge],
    projection: &LocalProjection,
) -> Vec<GraphLine<NodeKey>> {
    network
        .iter()
        .filter_map(|e| {
            let coords = &e.geometry.0;
            let (first, last) = (coords.first()?, coords.last()?);
            let points = coords
                .iter()
                .map(|c| {
                    let (x, y) = projection.project_xy(c.x, c.y);
                    [x, y]
                })
                .collect();
            Some(GraphLine {
                points,
                ends: [node_key(first.x, first.y), node_key(last.x, last.y)],
                private: matches!(e.props.access.as_deref(), Some("private" | "destination")),
                bridge: e.props.bridge,
                tunnel: e.props.tunnel,
                layer: e.props.level(),
                ferry: e.props.ferry,
            })
        })
        .collect()
}
