//! Shapefiles: the `.shp` shapes, the `.dbf` attributes in the encoding its `.cpg`
//! names (else UTF-8 when the text is valid UTF-8, else GB18030), and the
//! coordinate system its `.prj` describes.

use std::collections::BTreeMap;
use std::io::Cursor;

use encoding_rs::{Encoding, GB18030};
use serde_json::Value;

use super::sheets::MAX_ROWS;
use super::{FileCrs, text};
use crate::error::{Error, Result};
use crate::geo::{Crs, GaussKruger};

/// A shapefile's parts by extension (`shp`, `shx`, `dbf`, `cpg`, `prj`).
pub type Parts = BTreeMap<String, Vec<u8>>;

/// The rows of a shapefile: attribute headings, cells, one geometry (GeoJSON) per row.
pub struct Read {
    pub headings: Vec<String>,
    pub rows: Vec<Vec<Value>>,
    pub shapes: Vec<Option<Value>>,
    /// What the `.prj` says, if there is one.
    pub crs: Option<FileCrs>,
}

pub fn read(file: &str, parts: &Parts, forced: Option<&'static Encoding>) -> Result<Read> {
    let invalid = |reason: String| Error::InvalidFile {
        file: file.to_owned(),
        reason,
    };
    let part = |ext: &str| {
        parts
            .get(ext)
            .ok_or_else(|| invalid(format!("a shapefile needs its .{ext} beside the .shp")))
    };
    let shp = part("shp")?;
    let dbf = part("dbf")?;
    let encoding = match (forced, parts.get("cpg")) {
        (Some(encoding), _) => Some(encoding),
        (None, Some(cpg)) => {
            let label = String::from_utf8_lossy(cpg);
            Some(text::by_label(&label).ok_or_else(|| {
                invalid(format!(
                    "the .cpg names an unknown encoding {:?}",
                    label.trim()
                ))
            })?)
        }
        (None, None) => None,
    };
    let (headings, rows) = match encoding {
        Some(encoding) => attributes(dbf, shapefile::dbase::encoding::EncodingRs::from(encoding)),
        None => attributes(dbf, shapefile::dbase::Unicode)
            .or_else(|_| attributes(dbf, shapefile::dbase::encoding::EncodingRs::from(GB18030))),
    }
    .map_err(|e| invalid(format!("cannot read the .dbf: {e}")))?;

    let mut shapes = shapefile::ShapeReader::new(Cursor::new(shp.as_slice()))
        .map_err(|e| invalid(format!("not a .shp file: {e}")))?;
    if rows.len() > MAX_ROWS {
        return Err(invalid(format!(
            "more than {MAX_ROWS} rows: split the file"
        )));
    }
    let shapes = shapes
        .iter_shapes()
        .take(MAX_ROWS + 1)
        .map(|shape| {
            let shape = shape.map_err(|e| invalid(format!("cannot read a shape: {e}")))?;
            Ok(geometry(shape))
        })
        .collect::<Result<Vec<_>>>()?;
    if shapes.len() != rows.len() {
        return Err(invalid(format!(
            "the .shp has {} shapes and the .dbf {} records",
            shapes.len(),
            rows.len()
        )));
    }
    let crs = parts
        .get("prj")
        .map(|prj| projection(&String::from_utf8_lossy(prj)).map_err(invalid))
        .transpose()?;
    Ok(Read {
        headings,
        rows,
        shapes,
        crs,
    })
}

fn attributes(
    dbf: &[u8],
    encoding: impl Into<shapefile::dbase::encoding::DynEncoding>,
) -> std::result::Result<super::sheets::Sheet, shapefile::dbase::Error> {
    let mut reader = shapefile::dbase::ReaderBuilder::new()
        .with_encoding(encoding)
        .build(Cursor::new(dbf))?;
    let headings: Vec<String> = reader
        .fields()
        .iter()
        .map(|f| f.name().to_owned())
        .collect();
    let mut rows = Vec::new();
    // One row past the limit tells the caller the file is too long.
    for record in reader.iter_records().take(MAX_ROWS + 1) {
        let mut record = record?;
        let row = headings
            .iter()
            .map(|h| record.remove(h).map_or(Value::Null, cell))
            .collect();
        rows.push(row);
    }
    Ok((headings, rows))
}

fn cell(value: shapefile::dbase::FieldValue) -> Value {
    use shapefile::dbase::FieldValue as F;
    let number = |f: f64| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number);
    match value {
        F::Character(s) => s.map_or(Value::Null, Value::from),
        F::Memo(s) => Value::from(s),
        F::Numeric(n) => n.map_or(Value::Null, number),
        F::Float(n) => n.map_or(Value::Null, |f| number(f64::from(f))),
        F::Integer(i) => Value::from(i),
        F::Double(f) | F::Currency(f) => number(f),
        F::Logical(b) => b.map_or(Value::Null, Value::Bool),
        F::Date(d) => d.map_or(Value::Null, |d| Value::from(d.to_string())),
        F::DateTime(d) => Value::from(format!("{d:?}")),
    }
}

/// A shape as GeoJSON; a one-part multipolygon as the polygon it is.
fn geometry(shape: shapefile::Shape) -> Option<Value> {
    let geometry = geo::Geometry::<f64>::try_from(shape).ok()?;
    let geometry = match geometry {
        geo::Geometry::MultiPolygon(mut m) if m.0.len() == 1 => {
            m.0.pop()
                .map_or(geo::Geometry::MultiPolygon(m), geo::Geometry::Polygon)
        }
        other => other,
    };
    serde_json::to_value(geojson::Geometry::from(&geometry)).ok()
}

/// The coordinate system a `.prj` (ESRI WKT) describes, among those imports know.
pub fn projection(wkt: &str) -> std::result::Result<FileCrs, String> {
    let flat: String = wkt
        .to_ascii_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let cgcs2000 =
        flat.contains("cgcs2000") || flat.contains("china_geodetic_coordinate_system_2000");
    if flat.starts_with("projcs[") {
        let parameter = |name: &str| {
            let key = format!("parameter[\"{name}\",");
            let at = flat.find(&key)? + key.len();
            flat[at..].split(']').next()?.parse::<f64>().ok()
        };
        let transverse = flat.contains("transverse_mercator") || flat.contains("gauss_kruger");
        let (Some(cm), Some(false_easting)) =
            (parameter("central_meridian"), parameter("false_easting"))
        else {
            return Err(
                "the .prj's projection has no central meridian or false easting".to_owned(),
            );
        };
        if !(cgcs2000 && transverse) || false_easting != 500_000.0 {
            return Err(format!(
                "the .prj describes a projection imports do not read (only CGCS2000 3-degree \
                 Gauss-Krueger with eastings from 500000 m); convert the file or pass crs: {}",
                wkt.chars().take(80).collect::<String>()
            ));
        }
        return GaussKruger::new(cm)
            .map(FileCrs::GaussKruger)
            .map_err(|e| e.to_string());
    }
    if cgcs2000 {
        Ok(FileCrs::Datum(Crs::Cgcs2000))
    } else if flat.contains("wgs_1984") || flat.contains("wgs84") || flat.contains("wgs1984") {
        Ok(FileCrs::Datum(Crs::Wgs84))
    } else {
        Err(format!(
            "the .prj describes a coordinate system imports do not know; pass crs: {}",
            wkt.chars().take(80).collect::<String>()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projections_of_prj_files() {
        let wgs84 = r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;
        assert_eq!(projection(wgs84), Ok(FileCrs::Datum(Crs::Wgs84)));
        let cgcs = r#"GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;
        assert_eq!(projection(cgcs), Ok(FileCrs::Datum(Crs::Cgcs2000)));
        let gk = r#"PROJCS["CGCS2000_3_Degree_GK_CM_120E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
        assert_eq!(
            projection(gk),
            Ok(FileCrs::GaussKruger(
                GaussKruger::new(120.0).expect("a zone")
            ))
        );
        let zoned = gk.replace("500000.0", "40500000.0");
        assert!(projection(&zoned).is_err_and(|e| e.contains("500000")));
        assert!(projection("PROJCS[\"Beijing_1954_GK\"]").is_err());
        assert!(projection("GEOGCS[\"Xian_1980\"]").is_err());
    }
}
