//! Writing the layers: the data model's own property types, geometry unprojected to
//! lon/lat rounded to 7 decimals, one feature or record per line so diffs stay
//! readable.

use geo::{Coord, MultiPolygon, Polygon};
use serde::Serialize;

use super::simple_rings::simple_rings;
use crate::geo::LocalProjection;

/// Lon/lat of a local point, rounded to 7 decimals.
pub fn lon_lat(projection: &LocalProjection, c: Coord<f64>) -> [f64; 2] {
    let p = projection.unproject(c.x, c.y).rounded7();
    [p.lon(), p.lat()]
}

fn ring(projection: &LocalProjection, ring: &geo::LineString<f64>) -> Vec<Vec<f64>> {
    let mut out: Vec<Vec<f64>> = Vec::with_capacity(ring.0.len());
    for c in &ring.0 {
        let p = lon_lat(projection, *c).to_vec();
        // Rounding can make neighbouring vertices equal.
        if out.last() != Some(&p) {
            out.push(p);
        }
    }
    out
}

fn polygon(projection: &LocalProjection, p: &Polygon<f64>) -> Vec<Vec<Vec<f64>>> {
    std::iter::once(p.exterior())
        .chain(p.interiors())
        .map(|r| ring(projection, r))
        .filter(|r| r.len() >= 4)
        .collect()
}

/// A Polygon when there is one part, else a MultiPolygon.
pub fn area_geometry(projection: &LocalProjection, area: &MultiPolygon<f64>) -> geojson::Value {
    let parts: Vec<Vec<Vec<Vec<f64>>>> = simple_rings(area)
        .iter()
        .map(|p| polygon(projection, p))
        .filter(|p| !p.is_empty())
        .collect();
    match <[_; 1]>::try_from(parts) {
        Ok([one]) => geojson::Value::Polygon(one),
        Err(parts) => geojson::Value::MultiPolygon(parts),
    }
}

pub fn polygon_geometry(projection: &LocalProjection, p: &Polygon<f64>) -> geojson::Value {
    geojson::Value::Polygon(polygon(projection, p))
}

pub fn point_geometry(projection: &LocalProjection, c: Coord<f64>) -> geojson::Value {
    geojson::Value::Point(lon_lat(projection, c).to_vec())
}

#[derive(Serialize)]
struct Feature<'a, P> {
    #[serde(rename = "type")]
    kind: &'static str,
    properties: &'a P,
    geometry: geojson::Geometry,
}

/// A FeatureCollection named `name`, one feature per line.
pub fn collection<P: Serialize>(name: &str, features: &[(P, geojson::Value)]) -> String {
    let mut out = format!("{{\"type\":\"FeatureCollection\",\"name\":\"{name}\",\"features\":[\n");
    for (i, (properties, geometry)) in features.iter().enumerate() {
        let feature = Feature {
            kind: "Feature",
            properties,
            geometry: geojson::Geometry::new(geometry.clone()),
        };
        out.push_str(&serde_json::to_string(&feature).unwrap_or_default());
        out.push_str(if i + 1 < features.len() { ",\n" } else { "\n" });
    }
    out.push_str("]}\n");
    out
}

/// A JSON array, one record per line.
pub fn records<T: Serialize>(items: &[T]) -> String {
    let mut out = String::from("[\n");
    for (i, item) in items.iter().enumerate() {
        out.push_str(&serde_json::to_string(item).unwrap_or_default());
        out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
    }
    out.push_str("]\n");
    out
}
