//! The administrative areas: the district, its context, streets, communities, grids.

use serde::{Deserialize, Serialize};

use super::feature::impl_has_id;
use super::{GridCode, Id};

/// The district's land (the sea is not part of it).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DistrictProps {
    pub id: Id,
    pub name: String,
    pub adcode: Id,
    #[serde(default)]
    pub synthetic: bool,
}

/// A neighbouring district, drawn grey for orientation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ContextProps {
    pub id: Id,
    pub name: String,
    pub adcode: Id,
    #[serde(default)]
    pub synthetic: bool,
}

/// 街道: a sub-district with its party working committee.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StreetProps {
    pub id: Id,
    pub name: String,
    #[serde(default)]
    pub name_pinyin: Option<String>,
    #[serde(default)]
    pub committee: Option<String>,
    #[serde(default)]
    pub public_contact: Option<String>,
    #[serde(default)]
    pub synthetic: bool,
}

/// 社区: a community committee inside a street.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CommunityProps {
    pub id: Id,
    pub street_id: Id,
    pub name: String,
    #[serde(default)]
    pub name_pinyin: Option<String>,
    #[serde(default)]
    pub public_contact: Option<String>,
    #[serde(default)]
    pub synthetic: bool,
}

/// 红色网格: a red grid with its party branch.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GridProps {
    pub id: Id,
    pub code: GridCode,
    pub community_id: Id,
    #[serde(default)]
    pub name: Option<String>,
    pub party_branch: String,
    #[serde(default)]
    pub population: u32,
    #[serde(default)]
    pub households: u32,
    #[serde(default)]
    pub public_contact: Option<String>,
    #[serde(default)]
    pub synthetic: bool,
}

impl_has_id!(
    DistrictProps,
    ContextProps,
    StreetProps,
    CommunityProps,
    GridProps
);
