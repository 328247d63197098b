//! The features of `GET /api/v1/nearest`, serialised straight from the dataset's
//! sites (borrowed, no intermediate `serde_json::Value`): the answer is written once,
//! with no map of owned keys built and freed per site.

use serde::Serialize;

use crate::geo::{Crs, LonLat};
use crate::model::Site;

/// A site reached on foot, as a GeoJSON Feature.
#[derive(Debug, Serialize)]
pub struct Nearby<'a> {
    #[serde(rename = "type")]
    feature: &'static str,
    geometry: Geometry<[f64; 2]>,
    properties: NearbyProps<'a>,
}

#[derive(Debug, Serialize)]
struct Geometry<C> {
    #[serde(rename = "type")]
    kind: &'static str,
    coordinates: C,
}

#[derive(Debug, Serialize)]
struct NearbyProps<'a> {
    id: &'a crate::model::Id,
    name: &'a str,
    kind: crate::model::SiteKind,
    network: &'a Option<String>,
    address: &'a Option<String>,
    host: &'a Option<String>,
    services: &'a [String],
    public_contact: &'a Option<String>,
    hours: &'a Option<serde_json::Value>,
    open_now: Option<bool>,
    navigate: Option<Navigate>,
    walk_m: f64,
    walk_min: f64,
    /// The straight line from the point to the site, metres.
    straight_m: f64,
    /// walk_m ÷ straight_m (absent within a metre): how far the walk goes round.
    #[serde(skip_serializing_if = "Option::is_none")]
    detour_ratio: Option<f64>,
    route: Geometry<Vec<[f64; 2]>>,
    synthetic: bool,
}

/// A destination in the datums of the phone map apps a resident hands it to:
/// GCJ-02 (AMap, Tencent) and BD-09 (Baidu), `[lon, lat]` to 7 decimals.
#[derive(Debug, Serialize)]
struct Navigate {
    gcj02: [f64; 2],
    bd09: [f64; 2],
}

impl Navigate {
    fn at(at: geo::Point<f64>) -> Option<Self> {
        let round = |p: LonLat| {
            let p = p.rounded7();
            [p.lon(), p.lat()]
        };
        let p = LonLat::new(at.x(), at.y()).ok()?;
        Some(Self {
            gcj02: round(Crs::Gcj02.from_wgs84(p)),
            bd09: round(Crs::Bd09.from_wgs84(p)),
        })
    }
}

impl<'a> Nearby<'a> {
    /// `site`, `straight_m` away in a straight line, reached after `walk_m` metres
    /// along `route` (lon/lat), at `speed` m/min.
    pub fn new(
        site: &'a Site,
        open_now: Option<bool>,
        (walk_m, straight_m): (f64, f64),
        speed: f64,
        route: Vec<[f64; 2]>,
    ) -> Self {
        let p = &site.props;
        Self {
            feature: "Feature",
            geometry: Geometry {
                kind: "Point",
                coordinates: [site.geometry.x(), site.geometry.y()],
            },
            properties: NearbyProps {
                id: &p.id,
                name: &p.name,
                kind: p.kind,
                network: &p.network,
                address: &p.address,
                host: &p.host,
                services: &p.services,
                public_contact: &p.public_contact,
                hours: &p.hours,
                open_now,
                navigate: Navigate::at(site.geometry),
                walk_m,
                walk_min: (walk_m / speed * 10.0).round() / 10.0,
                straight_m: (straight_m * 10.0).round() / 10.0,
                detour_ratio: (straight_m >= 1.0)
                    .then(|| (walk_m / straight_m * 100.0).round() / 100.0),
                route: Geometry {
                    kind: "LineString",
                    coordinates: route,
                },
                synthetic: p.synthetic,
            },
        }
    }
}
