//! Sites and buildings placed on the network once, at start-up, and an index from
//! each node to the sites reached through it, so a nearest-site search can stop as
//! soon as the k best are settled.

use rstar::RTree;
use rstar::primitives::GeomWithData;

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
    /// Sites whose access point is on each edge, with it.
    on_edge: std::collections::HashMap<EdgeId, Vec<(u32, Snap)>>,
    /// The placed buildings' and sites' points, to find those a budget may reach.
    building_points: RTree<GeomWithData<[f64; 2], usize>>,
    site_points: RTree<GeomWithData<[f64; 2], usize>>,
}

/// An R-tree of the placed points, each with its index.
fn point_tree(placed: &[Option<Placed>]) -> RTree<GeomWithData<[f64; 2], usize>> {
    RTree::bulk_load(
        placed
            .iter()
            .enumerate()
            .filter_map(|(i, p)| Some(GeomWithData::new(p.as_ref()?.point, i)))
            .collect(),
    )
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
        let buildings: Vec<Option<Placed>> = buildings.map(|b| b.and_then(place)).collect();
        let mut access = vec![Vec::new(); graph.node_count()];
        let mut on_edge: std::collections::HashMap<EdgeId, Vec<(u32, Snap)>> =
            std::collections::HashMap::new();
        for (i, placed) in sites.iter().enumerate() {
            if let Some(snap) = placed.as_ref().map(|p| &p.snap) {
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
            building_points: point_tree(&buildings),
            site_points: point_tree(&sites),
            sites,
            buildings,
            access,
            on_edge,
        }
    }

    /// The placed buildings within `radius_m` of `p` in a straight line, which holds
    /// every building a walk of `radius_m` from `p` can reach (a walk is never
    /// shorter than the straight line).
    pub fn buildings_near(&self, p: [f64; 2], radius_m: f64) -> impl Iterator<Item = usize> + '_ {
        self.building_points
            .locate_within_distance(p, radius_m * radius_m)
            .map(|g| g.data)
    }

    /// As [`Targets::buildings_near`], for sites.
    pub fn sites_near(&self, p: [f64; 2], radius_m: f64) -> impl Iterator<Item = usize> + '_ {
        self.site_points
            .locate_within_distance(p, radius_m * radius_m)
            .map(|g| g.data)
    }

    /// Sites whose access point is on `edge`.
    pub fn sites_on(&self, edge: EdgeId) -> &[(u32, Snap)] {
        self.on_edge.get(&edge).map_or(&[], Vec::as_slice)
    }

    /// Sites reached through `node`.
    pub fn access(&self, node: NodeId) -> &[Access] {
        &self.access[node.index()]
    }
}
