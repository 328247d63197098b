//! The domain: the 4-level grid system (district → street → community → grid →
//! building), compounds, service sites and the people responsible. Every record is
//! WGS-84 and carries its `synthetic` flag.

mod area;
mod feature;
mod hours;
mod ids;
mod network;
mod person;
mod personal;
mod place;
mod site;

pub use area::{CommunityProps, ContextProps, DistrictProps, GridProps, StreetProps};
pub use feature::{Feature, HasId};
pub use hours::{beijing_date, is_open};
pub use ids::{GridCode, Id, IdError};
pub use network::NetworkProps;
pub use person::{BuildingHead, Worker, mask_name, mask_phone};
pub use personal::{normalise_name, normalise_phone};
pub use place::{BuildingProps, CompoundProps, Entrance};
pub use site::{SiteKind, SiteProps};

use geo::{LineString, MultiPolygon, Point};

pub type District = Feature<DistrictProps, MultiPolygon<f64>>;
pub type ContextDistrict = Feature<ContextProps, MultiPolygon<f64>>;
pub type Street = Feature<StreetProps, MultiPolygon<f64>>;
pub type Community = Feature<CommunityProps, MultiPolygon<f64>>;
pub type Grid = Feature<GridProps, MultiPolygon<f64>>;
pub type Compound = Feature<CompoundProps, MultiPolygon<f64>>;
pub type Building = Feature<BuildingProps, MultiPolygon<f64>>;
pub type Site = Feature<SiteProps, Point<f64>>;
pub type NetworkEdge = Feature<NetworkProps, LineString<f64>>;
