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
    #[serde(default)]
    pub synthetic: bool,
}

impl_has_id!(CompoundProps, BuildingProps);
