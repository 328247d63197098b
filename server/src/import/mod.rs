//! Walking networks from outside the demo: a GeoJSON file of LineStrings or an
//! OpenStreetMap `.osm.pbf` extract, turned into the `walk_network` layer.

mod osm;
mod walkable;

use std::path::Path;

pub use osm::{OsmLine, OsmStats, read_pbf};
pub use walkable::{Walk, WayRule, is_entrance, way_rule};

use crate::error::{Error, Result};

/// Whether a path names an OpenStreetMap PBF file.
pub fn is_pbf(path: &Path) -> bool {
    path.to_string_lossy().ends_with(".pbf")
}

/// The GeoJSON text of a network file: read as it is, or imported from OSM.
pub fn network_geojson(path: &Path) -> Result<Vec<u8>> {
    if !is_pbf(path) {
        return std::fs::read(path).map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        });
    }
    let (lines, stats) = read_pbf(path)?;
    tracing::info!(file = %path.display(), ?stats, "imported the OpenStreetMap walking network");
    Ok(to_geojson(&lines))
}

/// The lines as a GeoJSON FeatureCollection.
pub fn to_geojson(lines: &[OsmLine]) -> Vec<u8> {
    let features: Vec<serde_json::Value> = lines
        .iter()
        .map(|l| {
            serde_json::json!({
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": l.coords},
                "properties": l.props,
            })
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "type": "FeatureCollection",
        "name": "walk_network",
        "features": features,
    }))
    .unwrap_or_default()
}
