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
    /// Every part of the land (mainland and islands), local metres.
    pub land_parts: Vec<Polygon<f64>>,
    pub stops: Vec<Coord<f64>>,
    /// Each stop's name, in the order of `stops`.
    pub stop_names: Vec<String>,
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
        let project_polygon = |p: &Polygon<f64>| {
            Polygon::new(
                p.exterior().0.iter().map(project).collect(),
                p.interiors()
                    .iter()
                    .map(|r| r.0.iter().map(project).collect::<LineString<f64>>())
                    .collect(),
            )
        };
        let land_parts: Vec<Polygon<f64>> = land.0.iter().map(project_polygon).collect();
        let mainland = land_parts
            .iter()
            .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))
            .cloned()
            .ok_or_else(|| Error::InvalidFile {
                file: district_path.display().to_string(),
                reason: "no land polygon".to_owned(),
            })?;

        let stops_file =
            read_collection(&sources_dir.join("transit/zhifu_bus_stops_wgs84.geojson"))?;
        let (stops, stop_names) = stops_file
            .features
            .iter()
            .filter_map(|f| {
                let geometry = geo::Geometry::try_from(f.geometry.clone()?).ok()?;
                let geo::Geometry::Point(p) = geometry else {
                    return None;
                };
                let name = f.property("name").and_then(|n| n.as_str()).unwrap_or("");
                Some((project(&p.0), name.to_owned()))
            })
            .unzip();
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
            land_parts,
            stops,
            stop_names,
            routes,
        })
    }
}
