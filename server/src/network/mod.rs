//! The walking graph and searches over it. Pure: no IO, no HTTP. Nodes are distinct
//! line endpoints (compared at 7 decimals), edges the network's LineStrings; lengths
//! are whole decimetres measured in the local metric projection.

mod components;
mod dijkstra;
mod gaps;
mod graph;
mod join;
mod snap;

pub use components::{Components, MIN_KEPT_NODES};
pub use dijkstra::{UNREACHED, distances};
pub use gaps::{GapKind, NearMiss, near_misses, near_misses_apart};
pub use graph::{
    Arc, EdgeId, EdgeInfo, GraphLine, NodeId, NodeKey, WalkGraph, network_lines, node_key,
};
pub use join::{GapReport, Joined, REPORTED_GAP_M, join_dead_ends};
pub use snap::{Nearby, Snap, SnapAt, Snapper, sources, walk_distance};
