//! Reading layer files from a data directory into typed features, with messages that
//! name the file, the feature and the field of anything wrong.

use std::path::Path;

use geo::{Geometry, LineString, MultiPolygon, Point};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

use super::layer::{LayerData, LayerId, LayerItem};
use super::source::Source;
use crate::error::{Error, Result};
use crate::geo::{BBox, LonLat};
use crate::model::Feature;

/// Reads a file if it exists; `None` for an absent file.
pub fn read_optional(path: &Path) -> Result<Option<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Io {
            path: path.to_owned(),
            source,
        }),
    }
}

/// A short content hash: equal files have equal versions on every machine.
pub fn content_version(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest[..6].iter().map(|b| format!("{b:02x}")).collect()
}

/// Converts a GeoJSON geometry to the layer's geometry type.
pub trait FromGeometry: Sized {
    const EXPECTED: &'static str;
    fn from_geometry(g: Geometry<f64>) -> Option<Self>;
}

impl FromGeometry for MultiPolygon<f64> {
    const EXPECTED: &'static str = "Polygon or MultiPolygon";
    fn from_geometry(g: Geometry<f64>) -> Option<Self> {
        match g {
            Geometry::Polygon(p) => Some(MultiPolygon(vec![p])),
            Geometry::MultiPolygon(mp) => Some(mp),
            _ => None,
        }
    }
}

impl FromGeometry for Point<f64> {
    const EXPECTED: &'static str = "Point";
    fn from_geometry(g: Geometry<f64>) -> Option<Self> {
        match g {
            Geometry::Point(p) => Some(p),
            _ => None,
        }
    }
}

impl FromGeometry for LineString<f64> {
    const EXPECTED: &'static str = "LineString";
    fn from_geometry(g: Geometry<f64>) -> Option<Self> {
        match g {
            Geometry::LineString(l) => Some(l),
            _ => None,
        }
    }
}

/// Reads one GeoJSON layer. `id_of` gives a feature's stable id (its position for
/// layers without ids).
pub fn read_layer<P, G>(
    source: &dyn Source,
    layer: LayerId,
    id_of: impl Fn(&P, usize) -> String,
    synthetic_of: impl Fn(&P) -> bool,
) -> Result<(Vec<Feature<P, G>>, LayerData)>
where
    P: DeserializeOwned + Serialize,
    G: FromGeometry + geo::BoundingRect<f64>,
    G::Output: Into<Option<geo::Rect<f64>>>,
{
    let name = layer.file_name();
    match source.file(&name)? {
        Some(file) => {
            let (features, mut data) = parse_layer(&name, &file.bytes, id_of, synthetic_of)?;
            data.version.clone_from(&file.version);
            data.modified = file.modified;
            Ok((features, data))
        }
        None => Ok((Vec::new(), LayerData::empty())),
    }
}

/// Parses one GeoJSON layer's text; `file` names it in messages.
pub fn parse_layer<P, G>(
    file: &str,
    bytes: &[u8],
    id_of: impl Fn(&P, usize) -> String,
    synthetic_of: impl Fn(&P) -> bool,
) -> Result<(Vec<Feature<P, G>>, LayerData)>
where
    P: DeserializeOwned + Serialize,
    G: FromGeometry + geo::BoundingRect<f64>,
    G::Output: Into<Option<geo::Rect<f64>>>,
{
    let file = file.to_owned();
    let invalid = |reason: String| Error::InvalidFile {
        file: file.clone(),
        reason,
    };
    let mut root: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| invalid(format!("not JSON: {e}")))?;
    if root["type"] != "FeatureCollection" {
        return Err(invalid("expected a GeoJSON FeatureCollection".to_owned()));
    }
    let serde_json::Value::Array(raw_features) = root["features"].take() else {
        return Err(invalid("`features` must be an array".to_owned()));
    };

    let mut features = Vec::with_capacity(raw_features.len());
    let mut data = LayerData {
        version: content_version(bytes),
        ..LayerData::default()
    };
    for (index, mut feature) in raw_features.into_iter().enumerate() {
        let fail = |reason: String| Error::InvalidFeature {
            file: file.clone(),
            index,
            reason,
        };
        let props_json = match feature["properties"].take() {
            serde_json::Value::Null => serde_json::Value::Object(Default::default()),
            other => other,
        };
        let props: P = serde_path_to_error::deserialize(props_json)
            .map_err(|e| fail(format!("property `{}`: {}", e.path(), e.inner())))?;
        let raw_geometry = match feature["geometry"].take() {
            serde_json::Value::Null => {
                return Err(fail(format!("geometry missing, expected {}", G::EXPECTED)));
            }
            value => geojson::Geometry::from_json_value(value)
                .map_err(|e| fail(format!("invalid geometry: {e}")))?,
        };
        let geometry: Geometry<f64> = raw_geometry
            .clone()
            .try_into()
            .map_err(|e| fail(format!("invalid geometry: {e}")))?;
        check_coordinates(&geometry).map_err(&fail)?;
        let geometry = G::from_geometry(geometry)
            .ok_or_else(|| fail(format!("geometry must be a {}", G::EXPECTED)))?;
        let bbox = BBox::of(&geometry).ok_or_else(|| fail("geometry is empty".to_owned()))?;

        let id = id_of(&props, index);
        let json = serde_json::to_string(&ItemJson {
            kind: "Feature",
            id: &id,
            geometry: &raw_geometry,
            properties: &props,
        })
        .and_then(RawValue::from_string)
        .map_err(|e| fail(format!("cannot serialise: {e}")))?;
        data.synthetic |= synthetic_of(&props);
        data.bbox = Some(data.bbox.map_or(bbox, |b| b.union(bbox)));
        data.items.push(LayerItem { id, bbox, json });
        features.push(Feature {
            props,
            geometry,
            bbox,
        });
    }
    Ok((features, data))
}

#[derive(Serialize)]
struct ItemJson<'a, P> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: &'a str,
    geometry: &'a geojson::Geometry,
    properties: &'a P,
}

fn check_coordinates(geometry: &Geometry<f64>) -> std::result::Result<(), String> {
    use geo::CoordsIter;
    for c in geometry.coords_iter() {
        LonLat::new(c.x, c.y).map_err(|e| format!("invalid coordinate: {e}"))?;
    }
    Ok(())
}

/// Reads a JSON array of records (personal-data files); absent → empty.
pub fn read_records<T: DeserializeOwned>(
    source: &dyn Source,
    file: &str,
) -> Result<(Vec<T>, String)> {
    let Some(found) = source.file(file)? else {
        return Ok((Vec::new(), "0".to_owned()));
    };
    let mut de = serde_json::Deserializer::from_slice(&found.bytes);
    let records = serde_path_to_error::deserialize(&mut de).map_err(|e| Error::InvalidFile {
        file: file.to_owned(),
        reason: format!("at `{}`: {}", e.path(), e.inner()),
    })?;
    Ok((records, found.version.clone()))
}
