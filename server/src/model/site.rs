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

    /// Every kind, in the order legends list them.
    pub const ALL: [SiteKind; 13] = [
        SiteKind::DistrictCentre,
        SiteKind::StreetCentre,
        SiteKind::CommunityCentre,
        SiteKind::Station,
        SiteKind::ServicePost,
        SiteKind::Alliance,
        SiteKind::RedProperty,
        SiteKind::PropertyCentre,
        SiteKind::CoBuilding,
        SiteKind::IndustryPartyOrg,
        SiteKind::GovernanceCommittee,
        SiteKind::VolunteerTeam,
        SiteKind::SocialOrg,
    ];

    /// Where residents go for service: the service points and the service posts,
    /// drawn at every zoom; the other kinds are resources drawn close up.
    pub fn serves_residents(self) -> bool {
        self.is_service_point() || self == SiteKind::ServicePost
    }

    /// The kind's name in Chinese and in English.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            SiteKind::DistrictCentre => ("区党群服务中心", "District party-mass service centre"),
            SiteKind::StreetCentre => ("街道党群服务中心", "Street party-mass service centre"),
            SiteKind::CommunityCentre => {
                ("社区党群服务中心", "Community party-mass service centre")
            }
            SiteKind::Station => ("芝罘红港驿站", "Zhifu Honggang station"),
            SiteKind::ServicePost => ("服务岗", "Service post"),
            SiteKind::Alliance => ("党建联盟", "Party-building alliance"),
            SiteKind::RedProperty => ("红色物业", "Red property management"),
            SiteKind::PropertyCentre => ("物业党群服务中心", "Property party-mass service centre"),
            SiteKind::CoBuilding => ("共建单位", "Co-building unit"),
            SiteKind::IndustryPartyOrg => ("行业党组织", "Industry party organisation"),
            SiteKind::GovernanceCommittee => ("治理委员会", "Governance committee"),
            SiteKind::VolunteerTeam => ("志愿服务队", "Volunteer team"),
            SiteKind::SocialOrg => ("社会组织", "Social organisation"),
        }
    }

    /// The kind's colour on the map.
    pub fn colour(self) -> &'static str {
        match self {
            SiteKind::DistrictCentre => "#7f0000",
            SiteKind::StreetCentre => "#a50f15",
            SiteKind::CommunityCentre => "#cb181d",
            SiteKind::Station => "#e5322d",
            SiteKind::ServicePost => "#f16913",
            SiteKind::Alliance => "#6a51a3",
            SiteKind::RedProperty => "#d6604d",
            SiteKind::PropertyCentre => "#b2182b",
            SiteKind::CoBuilding => "#2166ac",
            SiteKind::IndustryPartyOrg => "#1b7837",
            SiteKind::GovernanceCommittee => "#35978f",
            SiteKind::VolunteerTeam => "#e7298a",
            SiteKind::SocialOrg => "#8c6d31",
        }
    }

    /// The kind as it is spelled in data files and tiles.
    pub fn as_str(self) -> &'static str {
        match self {
            SiteKind::DistrictCentre => "district_centre",
            SiteKind::StreetCentre => "street_centre",
            SiteKind::CommunityCentre => "community_centre",
            SiteKind::Station => "station",
            SiteKind::ServicePost => "service_post",
            SiteKind::Alliance => "alliance",
            SiteKind::RedProperty => "red_property",
            SiteKind::PropertyCentre => "property_centre",
            SiteKind::CoBuilding => "co_building",
            SiteKind::IndustryPartyOrg => "industry_party_org",
            SiteKind::GovernanceCommittee => "governance_committee",
            SiteKind::VolunteerTeam => "volunteer_team",
            SiteKind::SocialOrg => "social_org",
        }
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
    /// Where visitors walk in, when not at the site's point.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entrance: Option<super::Entrance>,
    #[serde(default)]
    pub synthetic: bool,
}

impl_has_id!(SiteProps);
