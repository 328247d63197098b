//! `redgrid import`: data files into PostGIS in one transaction. The files are laid
//! over what the database holds (by id, or replacing whole layers), the result goes
//! through the same checks as a data directory at start-up, and only then is
//! anything written; a refused import leaves the database as it was.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use serde_json::Value;
use sqlx::PgPool;

use super::tables::{self, Row, TABLES, Table};
use crate::config::Profile;
use crate::error::{Error, Problem, Result};
use crate::geo::{Crs, GaussKruger, LonLat};
use crate::store::{Dataset, MemorySource, SourceFile, topology};

/// How an import's files meet the rows already stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Mode {
    /// Records with a stored id replace it in place, others are added; records the
    /// files do not mention stay. The walking network, which has no ids, is replaced.
    #[default]
    Upsert,
    /// Each layer a file names becomes exactly that file.
    ReplaceLayer,
}

/// What an import did to one layer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LayerChange {
    pub layer: &'static str,
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    pub unchanged: usize,
    /// The layer's data version after the import.
    pub data_version: i64,
}

/// A file to import, read and reprojected to WGS-84.
#[derive(Debug)]
struct Incoming {
    table: &'static Table,
    path: PathBuf,
    json: Value,
}

/// How to import.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub mode: Mode,
    /// The datum of the files' coordinates.
    pub crs: FileCrs,
    /// Overlaps, gaps and parts outside a parent larger than this refuse the import.
    pub topology_tolerance_m2: f64,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            mode: Mode::Upsert,
            crs: FileCrs::Datum(Crs::Wgs84),
            topology_tolerance_m2: topology::DEFAULT_TOLERANCE_M2,
        }
    }
}

/// What an import did, and the discrepancies within the tolerance it kept.
#[derive(Debug)]
pub struct Imported {
    pub changes: Vec<LayerChange>,
    pub reported: Vec<Problem>,
}

/// Imports `paths` (layer files, or data directories whose known files are all
/// taken) and reports what changed in each layer they name. A refusal lists every
/// problem found, by file, feature and field.
pub async fn import(pool: &PgPool, paths: &[PathBuf], options: Options) -> Result<Imported> {
    let Options {
        mode,
        crs,
        topology_tolerance_m2,
    } = options;
    let incoming = read_incoming(paths, crs)?;
    let mut tx = pool
        .begin()
        .await
        .map_err(|e| Error::Database(format!("begin: {e}")))?;
    super::lock_writes(&mut tx).await?;
    let mut stored = BTreeMap::new();
    for table in &TABLES {
        stored.insert(table.name, tables::read_rows(&mut tx, table, false).await?);
    }

    let mut merged = MemorySource::default();
    let mut origins = HashMap::new();
    for table in &TABLES {
        let rows = &stored[table.name];
        let bytes = match incoming.iter().find(|i| i.table.name == table.name) {
            Some(file) => {
                let (bytes, origin) = lay_over(file, rows, mode)?;
                origins.insert(table.file, (file, origin));
                bytes
            }
            None if rows.is_empty() => continue,
            None => tables::file_bytes(table, rows)?,
        };
        merged.files.insert(
            table.file.to_owned(),
            SourceFile {
                bytes,
                version: String::new(),
                modified: None,
            },
        );
    }
    let dataset = Dataset::from_source(&merged, Profile::Internal)
        .map_err(|e| name_origin(e, &origins, &stored))?;
    let found = topology::check(&dataset, topology_tolerance_m2);
    if !found.refused.is_empty() {
        return Err(name_origin(
            Error::Invalid(found.refused),
            &origins,
            &stored,
        ));
    }

    let mut changes = Vec::new();
    for file in &incoming {
        let rows = tables::dataset_rows(&dataset, file.table)?;
        changes.push(write_layer(&mut tx, file.table, &stored[file.table.name], &rows).await?);
    }
    tx.commit()
        .await
        .map_err(|e| Error::Database(format!("commit: {e}")))?;
    let reported = match name_origin(Error::Invalid(found.reported), &origins, &stored) {
        Error::Invalid(problems) => problems,
        other => other.into_problems(),
    };
    Ok(Imported { changes, reported })
}

fn read_incoming(paths: &[PathBuf], crs: FileCrs) -> Result<Vec<Incoming>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            for table in &TABLES {
                let candidate = path.join(table.file);
                if candidate.is_file() {
                    files.push((table, candidate));
                }
            }
        } else {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            let table = name.as_deref().and_then(Table::by_file).ok_or_else(|| {
                let known: Vec<&str> = TABLES.iter().map(|t| t.file).collect();
                Error::InvalidFile {
                    file: path.display().to_string(),
                    reason: format!(
                        "not a layer file: the name must be one of {}",
                        known.join(", ")
                    ),
                }
            })?;
            files.push((table, path.clone()));
        }
    }
    let mut incoming: Vec<Incoming> = Vec::new();
    for (table, path) in files {
        if let Some(earlier) = incoming.iter().find(|i| i.table.name == table.name) {
            return Err(Error::InvalidFile {
                file: path.display().to_string(),
                reason: format!(
                    "{} is imported twice ({})",
                    table.file,
                    earlier.path.display()
                ),
            });
        }
        let bytes = std::fs::read(&path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        let mut json: Value = serde_json::from_slice(&bytes).map_err(|e| Error::InvalidFile {
            file: path.display().to_string(),
            reason: format!("not JSON: {e}"),
        })?;
        if table.geometry && crs != FileCrs::Datum(Crs::Wgs84) {
            reproject(&mut json, crs);
        }
        incoming.push(Incoming { table, path, json });
    }
    if incoming.is_empty() {
        return Err(Error::InvalidFile {
            file: paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(" "),
            reason: "no layer files to import".to_owned(),
        });
    }
    Ok(incoming)
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

/// Where each record of a laid-over file came from: the file's index, or `None`
/// for a stored record the file left alone.
type Origin = Vec<Option<usize>>;

/// The file laid over the stored rows, as the bytes of a whole layer file.
fn lay_over(file: &Incoming, stored: &[Row], mode: Mode) -> Result<(Vec<u8>, Origin)> {
    let table = file.table;
    let items = if table.geometry {
        file.json
            .get("features")
            .and_then(Value::as_array)
            .filter(|_| file.json["type"] == "FeatureCollection")
    } else {
        file.json.as_array()
    };
    let Some(items) = items else {
        let expected = if table.geometry {
            "a GeoJSON FeatureCollection with a `features` array"
        } else {
            "a JSON array of records"
        };
        return Err(Error::InvalidFile {
            file: file.path.display().to_string(),
            reason: format!("expected {expected}"),
        });
    };
    if mode == Mode::ReplaceLayer || !table.keyed {
        let origin = (0..items.len()).map(Some).collect();
        return Ok((serialise(table, items.clone())?, origin));
    }
    let stored_json = |row: &Row| {
        if table.geometry {
            tables::feature_json(row)
        } else {
            row.props.clone()
        }
    };
    let mut merged: Vec<Value> = stored.iter().map(stored_json).collect();
    let mut origin: Origin = vec![None; merged.len()];
    let position: HashMap<&str, usize> = stored
        .iter()
        .enumerate()
        .filter_map(|(i, r)| Some((r.id.as_deref()?, i)))
        .collect();
    let mut seen = HashSet::new();
    for (index, item) in items.iter().enumerate() {
        let id = if table.geometry {
            item.pointer("/properties/id")
        } else {
            item.get("id")
        }
        .and_then(Value::as_str);
        match id.and_then(|id| seen.insert(id).then(|| position.get(id)).flatten()) {
            Some(&at) => {
                merged[at] = item.clone();
                origin[at] = Some(index);
            }
            // New, without an id, or a second record of one id: added, for the checks.
            None => {
                merged.push(item.clone());
                origin.push(Some(index));
            }
        }
    }
    Ok((serialise(table, merged)?, origin))
}

fn serialise(table: &Table, items: Vec<Value>) -> Result<Vec<u8>> {
    let value = if table.geometry {
        serde_json::json!({"type": "FeatureCollection", "features": items})
    } else {
        Value::Array(items)
    };
    serde_json::to_vec(&value).map_err(|e| Error::Database(format!("{}: {e}", table.name)))
}

/// Renames the problems of the laid-over layers after the file and feature they
/// came from, or the stored record they name.
fn name_origin(
    error: Error,
    origins: &HashMap<&str, (&Incoming, Origin)>,
    stored: &BTreeMap<&str, Vec<Row>>,
) -> Error {
    if !matches!(
        error,
        Error::Invalid(_) | Error::InvalidFile { .. } | Error::InvalidFeature { .. }
    ) {
        return error;
    }
    let problems = error
        .into_problems()
        .into_iter()
        .map(|mut p| {
            let stored_record = |table: &Table, index: usize| {
                let id = stored
                    .get(table.name)
                    .and_then(|rows| rows.get(index))
                    .and_then(|r| r.id.clone())
                    .unwrap_or_else(|| format!("#{index}"));
                format!("stored {} {id}", table.name)
            };
            match (origins.get(p.file.as_str()), p.index) {
                (Some((incoming, origin)), Some(index)) => {
                    match origin.get(index).copied().flatten() {
                        Some(at) => {
                            p.file = incoming.path.display().to_string();
                            p.index = Some(at);
                        }
                        None => {
                            p.file = stored_record(incoming.table, index);
                            p.index = None;
                        }
                    }
                }
                (Some((incoming, _)), None) => p.file = incoming.path.display().to_string(),
                (None, Some(index)) => {
                    if let Some(table) = Table::by_file(&p.file) {
                        p.file = stored_record(table, index);
                        p.index = None;
                    }
                }
                (None, None) => {}
            }
            p
        })
        .collect();
    Error::Invalid(problems)
}

/// Writes one layer's new rows where they differ from the stored ones, removes
/// stored rows the layer no longer has, and bumps its data version if anything
/// changed.
async fn write_layer(
    tx: &mut sqlx::PgConnection,
    table: &'static Table,
    stored: &[Row],
    rows: &[Row],
) -> Result<LayerChange> {
    let mut change = LayerChange {
        layer: table.name,
        added: 0,
        changed: 0,
        removed: 0,
        unchanged: 0,
        data_version: 0,
    };
    let mut writes: Vec<(i32, &Row)> = Vec::new();
    if table.keyed {
        let by_id: HashMap<&str, &Row> = stored
            .iter()
            .filter_map(|r| Some((r.id.as_deref()?, r)))
            .collect();
        let kept: HashSet<&str> = rows.iter().filter_map(|r| r.id.as_deref()).collect();
        let removed: Vec<&str> = by_id
            .keys()
            .filter(|id| !kept.contains(*id))
            .copied()
            .collect();
        change.removed = removed.len();
        for (ord, row) in rows.iter().enumerate() {
            match row.id.as_deref().and_then(|id| by_id.get(id)) {
                None => change.added += 1,
                Some(old) if *old == row => {
                    change.unchanged += 1;
                    continue;
                }
                Some(_) => change.changed += 1,
            }
            writes.push((ord as i32, row));
        }
        tables::delete(tx, table, &removed).await?;
        tables::upsert(tx, table, &writes).await?;
        tables::renumber(tx, table, rows).await?;
    } else if stored != rows {
        change.removed = stored.len();
        change.added = rows.len();
        sqlx::query(&format!("DELETE FROM {}", table.name))
            .execute(&mut *tx)
            .await
            .map_err(|e| Error::Database(format!("{}: {e}", table.name)))?;
        writes.extend(rows.iter().enumerate().map(|(i, r)| (i as i32, r)));
        tables::upsert(tx, table, &writes).await?;
    } else {
        change.unchanged = rows.len();
    }
    change.data_version = if change.added + change.changed + change.removed > 0 {
        super::bump_version(tx, table.name).await?
    } else {
        super::data_version(tx, table.name).await?
    };
    Ok(change)
}
