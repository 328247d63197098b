//! Where people live: residential compounds (小区) and buildings.

use serde::{Deserialize, Serialize};

use super::Id;
use super::feature::impl_has_id;

/// 小区: a residential compound with its entrances.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CompoundProps {
    pub id: Id,
    pub name: String,
    #[serde(default)]
    pub address: Option<String>,
    pub grid_id: Id,
    /// Entrance points, `[lon, lat]`.
    #[serde(default)]
    pub gates: Vec<[f64; 2]>,
    #[serde(default)]
    pub synthetic: bool,
}

/// A residential building with its building party group.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BuildingProps {
    pub id: Id,
    pub address: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compound_id: Option<Id>,
    pub grid_id: Id,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party_group: Option<String>,
    #[serde(default)]
    pub population: u32,
    #[serde(default)]
    pub households: u32,
    #[serde(default)]
    pub floors: u16,
    /// Where its residents walk out, when not from its centroid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entrance: Option<Entrance>,
    #[serde(default)]
    pub synthetic: bool,
}

/// Where a building's residents or a site's visitors walk in and out, when that is
/// not the feature's own point: the point that reaches the walking network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Entrance {
    /// A point, `[lon, lat]`.
    At([f64; 2]),
    /// Gate `gate` (counted from 0) of a compound: `compound_id`, or a building's own.
    Gate {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        compound_id: Option<Id>,
        gate: usize,
    },
}

impl_has_id!(CompoundProps, BuildingProps);
