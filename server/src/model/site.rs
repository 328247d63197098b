//! Service sites and resources: centres, 芝罘红港 stations, posts, and the units,
//! teams and organisations embedded in the grids.

use serde::{Deserialize, Serialize};

use super::Id;
use super::feature::impl_has_id;

/// What a site is. The first four are the service points of the 5-minute
/// party-mass service circle.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SiteKind {
    DistrictCentre,
    StreetCentre,
    CommunityCentre,
    Station,
    ServicePost,
    Alliance,
    RedProperty,
    PropertyCentre,
    CoBuilding,
    IndustryPartyOrg,
    GovernanceCommittee,
    VolunteerTeam,
    SocialOrg,
}

impl SiteKind {
    /// The service points of the 5-minute party-mass service circle.
    pub const SERVICE_POINTS: [SiteKind; 4] = [
        SiteKind::DistrictCentre,
        SiteKind::StreetCentre,
        SiteKind::CommunityCentre,
        SiteKind::Station,
    ];

    /// Counted as a service point of the 5-minute circle by default.
    pub fn is_service_point(self) -> bool {
        Self::SERVICE_POINTS.contains(&self)
    }
}

/// A site's properties, as in the data file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SiteProps {
    pub id: Id,
    pub kind: SiteKind,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_site_id: Option<Id>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<String>,
    /// Weekly schedule with closures; interpreted by the reachability issue's "open now".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_contact: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paired_community_ids: Vec<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street_id: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub community_id: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grid_id: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_quality: Option<String>,
    #[serde(default)]
    pub synthetic: bool,
}

impl_has_id!(SiteProps);
