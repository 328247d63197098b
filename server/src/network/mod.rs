//! The walking graph and searches over it. Pure: no IO, no HTTP. Nodes are distinct
//! line endpoints (compared at 7 decimals), edges the network's LineStrings; lengths
//! are whole decimetres measured in the local metric projection.

mod components;
mod dangling;
mod dijkstra;
mod graph;
mod snap;

pub use components::{Components, MIN_KEPT_NODES};
pub use dangling::{Dangling, dangling_ends};
pub use dijkstra::{UNREACHED, distances};
pub use graph::{Arc, EdgeId, EdgeInfo, GraphLine, NodeId, WalkGraph};
pub use snap::{Nearby, Snap, SnapAt, Snapper, sources, walk_distance};
