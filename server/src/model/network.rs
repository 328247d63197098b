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
    #[serde(default)]
    pub access: Option<String>,
    #[serde(default)]
    pub ferry: bool,
    #[serde(default)]
    pub synthetic: bool,
    /// The OpenStreetMap way the edge was cut from, for imported networks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub osm_way: Option<i64>,
}
