//! The generator's real inputs, projected to local metres: the district's mainland
//! (the largest part of its land; the islands get no network and no population), the
//! bus stops and the bus lines' stop sequences.

use std::path::Path;

use geo::{Area, Coord, LineString, MultiPolygon, Polygon};

use super::land::LandMask;

use crate::error::{Error, Result};
use crate::geo::{BBox, LocalProjection};

pub struct Inputs {
    pub projection: LocalProjection,
    pub land: LandMask,
    pub stops: Vec<Coord<f64>>,
    /// Each line-direction's stops in order.
    pub routes: Vec<Vec<Coord<f64>>>,
}

fn read_collection(path: &Path) -> Result<geojson::FeatureCollection> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    text.parse::<geojson::GeoJson>()
        .ok()
        .and_then(|g| geojson::FeatureCollection::try_from(g).ok())
        .ok_or_else(|| Error::InvalidFile {
            file: path.display().to_string(),
            reason: "expected a GeoJSON FeatureCollection".to_owned(),
        })
}

fn geometries(
    collection: &geojson::FeatureCollection,
) -> impl Iterator<Item = geo::Geometry<f64>> + '_ {
    collection
        .features
        .iter()
        .filter_map(|f| f.geometry.clone())
        .filter_map(|g| geo::Geometry::try_from(g).ok())
}

impl Inputs {
    pub fn read(data_dir: &Path, sources_dir: &Path) -> Result<Self> {
        let district_path = data_dir.join("district.geojson");
        let district = read_collection(&district_path)?;
        let land: MultiPolygon<f64> = geometries(&district)
            .flat_map(|g| match g {
                geo::Geometry::Polygon(p) => vec![p],
                geo::Geometry::MultiPolygon(mp) => mp.0,
                _ => Vec::new(),
            })
            .collect();
        let extent = BBox::of(&land).ok_or_else(|| Error::InvalidFile {
            file: district_path.display().to_string(),
            reason: "no land polygon".to_owned(),
        })?;
        let projection = LocalProjection::for_extent(extent);
        let project = |c: &Coord<f64>| {
            let (x, y) = projection.project_xy(c.x, c.y);
            Coord { x, y }
        };
        let mainland = land
            .0
            .iter()
            .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))
            .map(|p| {
                Polygon::new(
                    p.exterior().0.iter().map(project).collect(),
                    p.interiors()
                        .iter()
                        .map(|r| r.0.iter().map(project).collect::<LineString<f64>>())
                        .collect(),
                )
            })
            .ok_or_else(|| Error::InvalidFile {
                file: district_path.display().to_string(),
                reason: "no land polygon".to_owned(),
            })?;

        let stops_file =
            read_collection(&sources_dir.join("transit/zhifu_bus_stops_wgs84.geojson"))?;
        let stops = geometries(&stops_file)
            .filter_map(|g| match g {
                geo::Geometry::Point(p) => Some(project(&p.0)),
                _ => None,
            })
            .collect();
        let routes_file = read_collection(
            &sources_dir.join("transit/zhifu_bus_routes_stop_sequence_wgs84.geojson"),
        )?;
        let routes = geometries(&routes_file)
            .filter_map(|g| match g {
                geo::Geometry::LineString(l) => Some(l.0.iter().map(project).collect()),
                _ => None,
            })
            .collect();
        Ok(Self {
            projection,
            land: LandMask::new(mainland),
            stops,
            routes,
        })
    }
}
