//! The formats district data comes in, read into the layer files the rest of the
//! server knows (a GeoJSON FeatureCollection, or a JSON array for personal-data
//! records) with WGS-84 coordinates: GeoJSON, CSV in UTF-8, GBK or GB18030,
//! spreadsheets (XLSX, XLS, ODS), and Shapefiles (a `.shp` with its siblings, or
//! all of them in a `.zip`).

mod sheets;
mod shp;
mod tabular;
pub mod text;

use std::io::Read as _;
use std::path::Path;

use encoding_rs::Encoding;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::geo::{Crs, GaussKruger, LonLat};
pub use shp::Parts;

/// How a file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    GeoJson,
    Csv,
    /// A spreadsheet: XLSX, XLS or ODS; its first sheet is read.
    Workbook,
    /// A `.shp` with its `.dbf` (and `.shx`, `.cpg`, `.prj`) beside it.
    Shapefile,
    /// A `.zip` holding one shapefile's parts.
    Zip,
}

impl Format {
    /// The format a file name's extension says.
    pub fn of_name(name: &str) -> Option<Format> {
        let ext = Path::new(name).extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "geojson" | "json" => Format::GeoJson,
            "csv" | "txt" => Format::Csv,
            "xlsx" | "xlsm" | "xls" | "ods" => Format::Workbook,
            "shp" => Format::Shapefile,
            "zip" => Format::Zip,
            _ => return None,
        })
    }

    /// The format a media type names.
    pub fn of_media_type(media_type: &str) -> Option<Format> {
        let essence = media_type.split(';').next()?.trim().to_ascii_lowercase();
        Some(match essence.as_str() {
            "application/geo+json" | "application/json" => Format::GeoJson,
            "text/csv" | "text/plain" => Format::Csv,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            | "application/vnd.ms-excel"
            | "application/vnd.oasis.opendocument.spreadsheet" => Format::Workbook,
            "application/zip" | "application/x-zip-compressed" => Format::Zip,
            _ => return None,
        })
    }

    /// Media types [`Format::of_media_type`] knows, for messages and the API description.
    pub const MEDIA_TYPES: [&'static str; 6] = [
        "application/geo+json",
        "application/json",
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.ms-excel",
        "application/zip",
    ];
}

/// The layer a file's name names: its stem before the first dot (`sites.csv` → `sites`).
pub fn layer_of_name(name: &str) -> Option<String> {
    let base = Path::new(name).file_name()?.to_str()?;
    let stem = base.split('.').next()?;
    (!stem.is_empty()).then(|| stem.to_ascii_lowercase())
}

/// One file to read: its name (for messages), format and bytes; a shapefile's
/// siblings in `parts`.
#[derive(Debug, Clone)]
pub struct File {
    pub name: String,
    pub format: Format,
    pub bytes: Vec<u8>,
    pub parts: Parts,
}

impl File {
    /// A file on disk, with a `.shp`'s siblings.
    pub fn from_path(path: &Path) -> Result<File> {
        let name = path.display().to_string();
        let format = Format::of_name(&name).ok_or_else(|| Error::InvalidFile {
            file: name.clone(),
            reason:
                "unknown format: expected .geojson, .json, .csv, .xlsx, .xls, .ods, .shp or .zip"
                    .to_owned(),
        })?;
        let read = |path: &Path| {
            std::fs::read(path).map_err(|source| Error::Io {
                path: path.to_owned(),
                source,
            })
        };
        let bytes = read(path)?;
        let mut parts = Parts::new();
        if format == Format::Shapefile {
            for ext in ["shx", "dbf", "cpg", "prj"] {
                for candidate in [ext.to_owned(), ext.to_ascii_uppercase()] {
                    let sibling = path.with_extension(&candidate);
                    if sibling.is_file() {
                        parts.insert(ext.to_owned(), read(&sibling)?);
                        break;
                    }
                }
            }
            parts.insert("shp".to_owned(), bytes.clone());
        }
        Ok(File {
            name,
            format,
            bytes,
            parts,
        })
    }
}

/// How to read a file: force a text encoding, or say the coordinates' system
/// (else a shapefile's `.prj`, else WGS-84).
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOptions {
    pub encoding: Option<&'static Encoding>,
    pub crs: Option<FileCrs>,
}

/// The file as a layer file with WGS-84 coordinates: a FeatureCollection when
/// `geometry`, else a JSON array of records.
pub fn read(file: &File, geometry: bool, options: ReadOptions) -> Result<Value> {
    let name = file.name.as_str();
    let (json, file_crs) = match file.format {
        Format::GeoJson => {
            let json = serde_json::from_slice(&file.bytes).map_err(|e| Error::InvalidFile {
                file: name.to_owned(),
                reason: format!("not JSON: {e}"),
            })?;
            (json, None)
        }
        Format::Csv => {
            let (headings, rows) = sheets::csv(name, &file.bytes, options.encoding)?;
            (
                tabular::to_layer(name, &headings, &rows, geometry, None)?,
                None,
            )
        }
        Format::Workbook => {
            let (headings, rows) = sheets::workbook(name, &file.bytes)?;
            (
                tabular::to_layer(name, &headings, &rows, geometry, None)?,
                None,
            )
        }
        Format::Shapefile | Format::Zip => {
            let parts = if file.format == Format::Zip {
                unzip(name, &file.bytes)?
            } else {
                file.parts.clone()
            };
            let read = shp::read(name, &parts, options.encoding)?;
            let shapes = Some(read.shapes.as_slice());
            let layer = tabular::to_layer(name, &read.headings, &read.rows, geometry, shapes)?;
            (layer, read.crs)
        }
    };
    let mut json = json;
    match options.crs.or(file_crs) {
        Some(crs) if geometry && crs != FileCrs::Datum(Crs::Wgs84) => reproject(&mut json, crs),
        _ => {}
    }
    Ok(json)
}

/// Bytes the parts of a zipped shapefile may unpack to, in all.
pub const MAX_UNZIPPED: u64 = 256 << 20;

/// The parts of the one shapefile in a `.zip`, by extension; unpacking stops, and
/// the archive is refused, past [`MAX_UNZIPPED`] bytes, whatever its entries claim.
fn unzip(name: &str, bytes: &[u8]) -> Result<Parts> {
    let invalid = |reason: String| Error::InvalidFile {
        file: name.to_owned(),
        reason,
    };
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| invalid(format!("not a zip archive: {e}")))?;
    let mut parts = Parts::new();
    let mut stems = std::collections::BTreeSet::new();
    let mut left = MAX_UNZIPPED;
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| invalid(format!("cannot read the archive: {e}")))?;
        let path = std::path::PathBuf::from(
            entry
                .name()
                .map_err(|e| invalid(format!("cannot read the archive: {e}")))?
                .as_ref(),
        );
        let (Some(stem), Some(ext)) = (path.file_stem(), path.extension()) else {
            continue;
        };
        let ext = ext.to_string_lossy().to_ascii_lowercase();
        if !["shp", "shx", "dbf", "cpg", "prj"].contains(&ext.as_str()) {
            continue;
        }
        stems.insert(stem.to_string_lossy().into_owned());
        let too_big = || {
            invalid(format!(
                "the archive unpacks to more than {} MiB",
                MAX_UNZIPPED >> 20
            ))
        };
        if entry.size() > left {
            return Err(too_big());
        }
        let mut content = Vec::new();
        (&mut entry)
            .take(left + 1)
            .read_to_end(&mut content)
            .map_err(|e| invalid(format!("cannot read {}: {e}", path.display())))?;
        left = left.checked_sub(content.len() as u64).ok_or_else(too_big)?;
        parts.insert(ext, content);
    }
    if stems.len() > 1 {
        return Err(invalid(format!(
            "the archive holds more than one shapefile ({}); send one at a time",
            stems.into_iter().collect::<Vec<_>>().join(", ")
        )));
    }
    if !parts.contains_key("shp") {
        return Err(invalid("the archive holds no .shp".to_owned()));
    }
    Ok(parts)
}

/// The coordinates of a file: longitude and latitude in a datum, or a CGCS2000
/// 3-degree Gauss–Krüger grid's easting and northing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FileCrs {
    Datum(Crs),
    GaussKruger(GaussKruger),
}

impl FileCrs {
    /// `wgs84`, `gcj02`, `bd09`, `cgcs2000`, or `cgcs2000-gk3:CM` (e.g. `cgcs2000-gk3:120`).
    pub fn parse(s: &str) -> std::result::Result<Self, String> {
        if let Some(cm) = s.to_ascii_lowercase().strip_prefix("cgcs2000-gk3:") {
            let cm: f64 = cm.parse().map_err(|_| {
                format!("cgcs2000-gk3 needs a central meridian, e.g. cgcs2000-gk3:120, got {s:?}")
            })?;
            return GaussKruger::new(cm)
                .map(FileCrs::GaussKruger)
                .map_err(|e| e.to_string());
        }
        s.parse().map(FileCrs::Datum).map_err(|()| {
            format!(
                "expected one of {} or cgcs2000-gk3:CM",
                Crs::NAMES.join(", ")
            )
        })
    }

    /// The WGS-84 point of a pair, if it is one in this system.
    fn to_wgs84(self, x: f64, y: f64) -> Option<LonLat> {
        match self {
            FileCrs::Datum(crs) => LonLat::new(x, y).ok().map(|p| crs.to_wgs84(p)),
            FileCrs::GaussKruger(zone) => zone.inverse(x, y).ok(),
        }
    }
}

/// Converts every coordinate pair of every feature's geometry to WGS-84.
fn reproject(collection: &mut Value, crs: FileCrs) {
    fn walk(value: &mut Value, crs: FileCrs) {
        let Value::Array(items) = value else { return };
        if let [Value::Number(x), Value::Number(y), ..] = items.as_slice()
            && let (Some(x), Some(y)) = (x.as_f64(), y.as_f64())
        {
            // A pair that is not a coordinate is left for the checks to name.
            if let Some(p) = crs.to_wgs84(x, y) {
                items[0] = Value::from(p.lon());
                items[1] = Value::from(p.lat());
            }
            return;
        }
        for item in items {
            walk(item, crs);
        }
    }
    if let Some(Value::Array(features)) = collection.get_mut("features") {
        for feature in features {
            if let Some(coordinates) = feature.pointer_mut("/geometry/coordinates") {
                walk(coordinates, crs);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    /// 300 MiB of zeros, deflated to a few hundred kilobytes, are refused once the
    /// limit is passed: the archive is never unpacked whole.
    #[test]
    fn a_zip_that_unpacks_past_the_limit_is_refused() {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let deflated = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        zip.start_file("zeros.dbf", deflated).unwrap();
        zip.start_file("zeros.shp", deflated).unwrap();
        let chunk = vec![0u8; 1 << 20];
        for _ in 0..300 {
            zip.write_all(&chunk).unwrap();
        }
        let bytes = zip.finish().unwrap().into_inner();
        assert!(bytes.len() < 2 << 20, "{} bytes", bytes.len());
        let Err(Error::InvalidFile { reason, .. }) = unzip("zeros.zip", &bytes) else {
            panic!("refused");
        };
        assert!(reason.contains("more than 256 MiB"), "{reason}");
    }
}
