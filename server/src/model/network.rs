//! Walking-network edges as stored in `walk_network.geojson`.

use serde::{Deserialize, Serialize};

/// One LineString of the walking network. Its id is its position in the file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NetworkProps {
    #[serde(default)]
    pub highway: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub bridge: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub tunnel: bool,
    /// OpenStreetMap's `layer`, where given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<i8>,
    #[serde(default)]
    pub access: Option<String>,
    #[serde(default)]
    pub ferry: bool,
    #[serde(default)]
    pub synthetic: bool,
    /// A straight crossing of a pedestrian square between two of its entrances (drawn
    /// by the import, not in the data): it crosses the square's other lines freely.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub square_crossing: bool,
    /// The OpenStreetMap way the edge was cut from, for imported networks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub osm_way: Option<i64>,
}

impl NetworkProps {
    /// The vertical layer: `layer` where given, else 1 on a bridge, −1 in a tunnel, 0.
    pub fn level(&self) -> i8 {
        self.layer.unwrap_or(match (self.bridge, self.tunnel) {
            (true, _) => 1,
            (_, true) => -1,
            _ => 0,
        })
    }
}
