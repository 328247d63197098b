//! Sites and buildings placed on the network once, at start-up, and an index from
//! each node to the sites reached through it, so a nearest-site search can stop as
//! soon as the k best are settled.

use super::search::next_leg;
use super::{Placed, Reach};
use crate::network::{EdgeId, NodeId, Snap, WalkGraph};

/// A site reachable through a node: the extra walk from the node to the site (along
/// the snapped edge, then the offset) and whether that edge is private.
#[derive(Debug, Clone, Copy)]
pub struct Access {
    pub site: u32,
    pub extra_dm: u32,
    pub private: bool,
}

impl Access {
    /// Whether a walk arriving on `leg` may go on to the site.
    pub fn allowed(&self, leg: super::Leg) -> bool {
        next_leg(leg, self.private).is_some()
    }
}

#[derive(Debug)]
pub struct Targets {
    /// Each site's placement, `None` when no edge is within the snap radius.
    pub sites: Vec<Option<Placed>>,
    pub buildings: Vec<Option<Placed>>,
    /// Sites reached through each node.
    access: Vec<Vec<Access>>,
    /// Sites snapped to each edge, with the snap.
    on_edge: std::collections::HashMap<EdgeId, Vec<(u32, Snap)>>,
}

impl Targets {
    pub fn new(
        graph: &WalkGraph,
        reach: &Reach,
        sites: impl Iterator<Item = [f64; 2]>,
        buildings: impl Iterator<Item = Option<[f64; 2]>>,
    ) -> Self {
        let place = |p: [f64; 2]| reach.place(graph, p).ok();
        let sites: Vec<Option<Placed>> = sites.map(place).collect();
        let buildings = buildings.map(|b| b.and_then(place)).collect();
        let mut access = vec![Vec::new(); graph.node_count()];
        let mut on_edge: std::collections::HashMap<EdgeId, Vec<(u32, Snap)>> =
            std::collections::HashMap::new();
        for (i, placed) in sites.iter().enumerate() {
            for snap in placed.iter().flat_map(|p| &p.snaps) {
                on_edge
                    .entry(snap.edge)
                    .or_default()
                    .push((i as u32, *snap));
                let e = graph.edge(snap.edge);
                for (node, part) in [
                    (e.a, snap.along_dm),
                    (e.b, e.length_dm.saturating_sub(snap.along_dm)),
                ] {
                    access[node.index()].push(Access {
                        site: i as u32,
                        extra_dm: part.saturating_add(snap.offset_dm),
                        private: e.private,
                    });
                }
            }
        }
        Self {
            sites,
            buildings,
            access,
            on_edge,
        }
    }

    /// Sites snapped to `edge`.
    pub fn sites_on(&self, edge: EdgeId) -> &[(u32, Snap)] {
        self.on_edge.get(&edge).map_or(&[], Vec::as_slice)
    }

    /// Sites reached through `node`.
    pub fn access(&self, node: NodeId) -> &[Access] {
        &self.access[node.index()]
    }
}
