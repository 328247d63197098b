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
use crate::error::{Error, Problem, Result};
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
    let mut problems = Vec::new();
    for (index, mut feature) in raw_features.into_iter().enumerate() {
        let fail = |reason: String| Problem::feature(file.clone(), index, reason);
        let props_json = match feature["properties"].take() {
            serde_json::Value::Null => serde_json::Value::Object(Default::default()),
            other => other,
        };
        let props: P = match serde_path_to_error::deserialize(props_json) {
            Ok(props) => props,
            Err(e) => {
                let field = field_of(&e);
                problems.push(fail(format!("property `{field}`: {}", e.inner())).with_field(field));
                continue;
            }
        };
        let parsed = geometry::<G>(feature["geometry"].take())
            .map_err(|reason| fail(reason).with_field("geometry"));
        let (raw_geometry, geometry, bbox) = match parsed {
            Ok(parsed) => parsed,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        let id = id_of(&props, index);
        let json = serde_json::to_string(&ItemJson {
            kind: "Feature",
            id: &id,
            geometry: &raw_geometry,
            properties: &props,
        })
        .and_then(RawValue::from_string);
        let json = match json {
            Ok(json) => json,
            Err(e) => {
                problems.push(fail(format!("cannot serialise: {e}")));
                continue;
            }
        };
        data.synthetic |= synthetic_of(&props);
        data.bbox = Some(data.bbox.map_or(bbox, |b| b.union(bbox)));
        data.items.push(LayerItem { id, bbox, json });
        features.push(Feature {
            props,
            geometry,
            bbox,
        });
    }
    if problems.is_empty() {
        Ok((features, data))
    } else {
        Err(Error::Invalid(problems))
    }
}

/// The field a deserialisation error is about: its path, or the field serde says
/// is missing.
fn field_of<E: std::fmt::Display>(e: &serde_path_to_error::Error<E>) -> String {
    let path = e.path().to_string();
    let message = e.inner().to_string();
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|m| m.split('`').next());
    match (path.as_str(), missing) {
        (".", Some(field)) => field.to_owned(),
        (_, Some(field)) => format!("{path}.{field}"),
        _ => path,
    }
}

/// A feature's GeoJSON geometry as the layer's type, with its bounding box.
fn geometry<G>(
    value: serde_json::Value,
) -> std::result::Result<(geojson::Geometry, G, BBox), String>
where
    G: FromGeometry + geo::BoundingRect<f64>,
    G::Output: Into<Option<geo::Rect<f64>>>,
{
    if value.is_null() {
        return Err(format!("geometry missing, expected {}", G::EXPECTED));
    }
    let raw =
        geojson::Geometry::from_json_value(value).map_err(|e| format!("invalid geometry: {e}"))?;
    let geometry: Geometry<f64> = raw
        .clone()
        .try_into()
        .map_err(|e| format!("invalid geometry: {e}"))?;
    check_coordinates(&geometry)?;
    let geometry =
        G::from_geometry(geometry).ok_or_else(|| format!("geometry must be a {}", G::EXPECTED))?;
    let bbox = BBox::of(&geometry).ok_or_else(|| "geometry is empty".to_owned())?;
    Ok((raw, geometry, bbox))
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
