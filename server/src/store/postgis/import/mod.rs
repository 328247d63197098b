//! Imports: data files (in any format [`crate::formats`] reads) into PostGIS in one
//! transaction. The files are laid over what the database holds (by id, or
//! replacing whole layers), the result goes through the same checks as a data
//! directory at start-up, and only then is anything written; a refused import, or
//! a dry run, leaves the database as it was. Sites known only by their address go
//! to the unplaced list, to be placed on the map later.

mod files;
mod overlay;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use encoding_rs::Encoding;
use serde_json::Value;
use sqlx::PgPool;

use super::tables::{self, Row, TABLES, Table};
use crate::config::Profile;
use crate::error::{Error, Problem, Result};
pub use crate::formats::FileCrs;
use crate::formats::{File, ReadOptions};
use crate::store::{Dataset, MemorySource, SourceFile, topology};
use files::read_incoming;
pub use files::{inputs, layer_names};
use overlay::{derive_site_areas, lay_over, name_origin};

/// How an import's files meet the rows already stored.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    clap::ValueEnum,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Records with a stored id replace it in place, others are added; records the
    /// files do not mention stay. The walking network, which has no ids, is replaced.
    #[default]
    Upsert,
    /// Each layer a file names becomes exactly that file.
    ReplaceLayer,
}

/// What an import did (or, in a dry run, would do) to one layer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct LayerChange {
    pub layer: &'static str,
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    pub unchanged: usize,
    /// The layer's data version after the import.
    pub data_version: i64,
    /// The ids of the records added, changed and removed (none for the walking network).
    pub added_ids: Vec<String>,
    pub changed_ids: Vec<String>,
    pub removed_ids: Vec<String>,
}

/// One file to import into one layer.
#[derive(Debug)]
pub struct Input {
    pub table: &'static Table,
    pub file: File,
}

/// A file read and reprojected to WGS-84. `positions` are the file's own indexes
/// of the records kept, when sites without coordinates were taken out.
#[derive(Debug)]
struct Incoming {
    table: &'static Table,
    name: String,
    json: Value,
    positions: Option<Vec<usize>>,
    /// Read from a table (CSV, spreadsheet, shapefile) rather than a layer file.
    tabular: bool,
}

impl Incoming {
    /// The file's own index of the record at `at`.
    fn position(&self, at: usize) -> usize {
        self.positions
            .as_ref()
            .and_then(|p| p.get(at).copied())
            .unwrap_or(at)
    }
}

/// How to import.
#[derive(Debug, Clone)]
pub struct Options {
    pub mode: Mode,
    /// The system of the files' coordinates; else a shapefile's `.prj`, else WGS-84.
    pub crs: Option<FileCrs>,
    /// The text encoding of CSV and `.dbf` files; else detected.
    pub encoding: Option<&'static Encoding>,
    /// Overlaps, gaps and parts outside a parent larger than this refuse the import.
    pub topology_tolerance_m2: f64,
    /// Check and report, and write nothing.
    pub dry_run: bool,
    /// Who imports, for the audit log.
    pub actor: String,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            mode: Mode::Upsert,
            crs: None,
            encoding: None,
            topology_tolerance_m2: topology::DEFAULT_TOLERANCE_M2,
            dry_run: false,
            actor: "redgrid import".to_owned(),
        }
    }
}

/// What an import did, and the discrepancies within the tolerance it kept.
#[derive(Debug)]
pub struct Imported {
    pub changes: Vec<LayerChange>,
    pub reported: Vec<Problem>,
    /// Sites without coordinates put on the unplaced list.
    pub unplaced: usize,
}

/// Imports `paths` (layer files, or data directories whose known files are all
/// taken) and reports what changed in each layer they name. A refusal lists every
/// problem found, by file, feature and field.
pub async fn import(pool: &PgPool, paths: &[PathBuf], options: Options) -> Result<Imported> {
    import_inputs(pool, inputs(paths, None)?, options).await
}

/// Imports files already named to their layers.
pub async fn import_inputs(
    pool: &PgPool,
    inputs: Vec<Input>,
    options: Options,
) -> Result<Imported> {
    let read = ReadOptions {
        encoding: options.encoding,
        crs: options.crs,
    };
    let (incoming, unplaced) = read_incoming(inputs, read)?;
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
                let (bytes, origin) = lay_over(file, rows, options.mode)?;
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
    let mut dataset = Dataset::from_source(&merged, Profile::Internal)
        .map_err(|e| name_origin(e, &origins, &stored))?;
    let found = topology::check(&dataset, options.topology_tolerance_m2);
    if !found.refused.is_empty() {
        return Err(name_origin(
            Error::Invalid(found.refused),
            &origins,
            &stored,
        ));
    }

    if let Some((file, origin)) = origins.get("sites.geojson")
        && file.tabular
    {
        let from_file: Vec<usize> = (0..origin.len()).filter(|&i| origin[i].is_some()).collect();
        derive_site_areas(&mut dataset, &from_file);
    }
    let mut changes = Vec::new();
    for file in &incoming {
        let rows = tables::dataset_rows(&dataset, file.table)?;
        let change = write_layer(&mut tx, file.table, &stored[file.table.name], &rows).await?;
        log(&mut tx, &options.actor, &file.name, &change).await?;
        changes.push(change);
    }
    for (source, props) in &unplaced {
        sqlx::query("INSERT INTO unplaced_sites (props, source) VALUES ($1::jsonb, $2)")
            .bind(props.to_string())
            .bind(source)
            .execute(&mut *tx)
            .await
            .map_err(|e| Error::Database(format!("unplaced sites: {e}")))?;
    }
    let done = if options.dry_run {
        tx.rollback().await
    } else {
        tx.commit().await
    };
    done.map_err(|e| Error::Database(format!("commit: {e}")))?;
    let reported = match name_origin(Error::Invalid(found.reported), &origins, &stored) {
        Error::Invalid(problems) => problems,
        other => other.into_problems(),
    };
    Ok(Imported {
        changes,
        reported,
        unplaced: unplaced.len(),
    })
}

/// One audit entry for each layer an import changed.
async fn log(
    tx: &mut sqlx::PgConnection,
    actor: &str,
    file: &str,
    change: &LayerChange,
) -> Result<()> {
    if change.added + change.changed + change.removed == 0 {
        return Ok(());
    }
    let summary = serde_json::json!({
        "file": file,
        "added": change.added,
        "changed": change.changed,
        "removed": change.removed,
        "data_version": change.data_version,
    });
    sqlx::query(
        "INSERT INTO audit_log (actor, action, layer, record_id, after) \
         VALUES ($1, 'import', $2, NULL, $3::jsonb)",
    )
    .bind(actor)
    .bind(change.layer)
    .bind(summary.to_string())
    .execute(&mut *tx)
    .await
    .map_err(|e| Error::Database(format!("audit: {e}")))?;
    Ok(())
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
        added_ids: Vec::new(),
        changed_ids: Vec::new(),
        removed_ids: Vec::new(),
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
        change.removed_ids = removed.iter().map(|id| (*id).to_owned()).collect();
        change.removed_ids.sort();
        for (ord, row) in rows.iter().enumerate() {
            let id = row.id.clone().unwrap_or_default();
            match row.id.as_deref().and_then(|id| by_id.get(id)) {
                None => {
                    change.added += 1;
                    change.added_ids.push(id);
                }
                Some(old) if *old == row => {
                    change.unchanged += 1;
                    continue;
                }
                Some(_) => {
                    change.changed += 1;
                    change.changed_ids.push(id);
                }
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
