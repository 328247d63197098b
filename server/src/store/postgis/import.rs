//! Imports: data files (in any format [`crate::formats`] reads) into PostGIS in one
//! transaction. The files are laid over what the database holds (by id, or
//! replacing whole layers), the result goes through the same checks as a data
//! directory at start-up, and only then is anything written; a refused import, or
//! a dry run, leaves the database as it was. Sites known only by their address go
//! to the unplaced list, to be placed on the map later.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use encoding_rs::Encoding;
use serde_json::Value;
use sqlx::PgPool;

use super::tables::{self, Row, TABLES, Table};
use crate::config::Profile;
use crate::error::{Error, Problem, Result};
pub use crate::formats::FileCrs;
use crate::formats::{self, File, ReadOptions};
use crate::model::SiteKind;
use crate::store::{Dataset, MemorySource, SourceFile, topology};

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

/// Sites of a table (CSV, spreadsheet, shapefile: government lists, which know
/// nothing of our area ids) given with none of their street, community and grid get
/// them from where they stand, as a site added on the map does. GeoJSON layer files
/// are taken as they are.
fn derive_site_areas(dataset: &mut Dataset, from_file: &[usize]) {
    let bare = |s: &crate::model::Site| {
        s.props.street_id.is_none() && s.props.community_id.is_none() && s.props.grid_id.is_none()
    };
    if !from_file.iter().any(|&i| bare(&dataset.sites[i])) {
        return;
    }
    let indexes = crate::index::Indexes::build(dataset);
    let mut found = Vec::new();
    for &i in from_file {
        let site = &dataset.sites[i];
        let p = crate::geo::LonLat::clamped(site.geometry.x(), site.geometry.y());
        if let (true, Ok(at)) = (bare(site), crate::locate::locate(dataset, &indexes, p)) {
            found.push((
                i,
                at.street.map(|a| dataset.streets[a].props.id.clone()),
                at.community
                    .map(|a| dataset.communities[a].props.id.clone()),
                at.grid.map(|a| dataset.grids[a].props.id.clone()),
            ));
        }
    }
    for (i, street, community, grid) in found {
        let props = &mut dataset.sites[i].props;
        (props.street_id, props.community_id, props.grid_id) = (street, community, grid);
    }
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

/// The files `paths` name: layer files (named after their layer, `sites.csv`, or
/// all of them for `layer`), or data directories whose known files are all taken.
pub fn inputs(paths: &[PathBuf], layer: Option<&str>) -> Result<Vec<Input>> {
    let forced = layer
        .map(|name| {
            Table::by_name(name).ok_or_else(|| Error::InvalidFile {
                file: name.to_owned(),
                reason: format!("no layer {name:?}: expected one of {}", layer_names()),
            })
        })
        .transpose()?;
    let mut found = Vec::new();
    for path in paths {
        if path.is_dir() {
            for table in &TABLES {
                let candidate = path.join(table.file);
                if candidate.is_file() {
                    found.push((table, candidate));
                }
            }
            continue;
        }
        let name = path.display().to_string();
        let table = forced
            .or_else(|| {
                formats::layer_of_name(&name)
                    .as_deref()
                    .and_then(Table::by_name)
            })
            .ok_or_else(|| Error::InvalidFile {
                file: name.clone(),
                reason: format!(
                    "not a layer file: name it after its layer ({}) or pass --layer",
                    layer_names()
                ),
            })?;
        found.push((table, path.clone()));
    }
    let mut inputs: Vec<Input> = Vec::new();
    for (table, path) in found {
        if let Some(earlier) = inputs.iter().find(|i| i.table.name == table.name) {
            return Err(Error::InvalidFile {
                file: path.display().to_string(),
                reason: format!("{} is imported twice ({})", table.name, earlier.file.name),
            });
        }
        inputs.push(Input {
            table,
            file: File::from_path(&path)?,
        });
    }
    if inputs.is_empty() {
        return Err(Error::InvalidFile {
            file: paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(" "),
            reason: "no layer files to import".to_owned(),
        });
    }
    Ok(inputs)
}

pub fn layer_names() -> String {
    TABLES.iter().map(|t| t.name).collect::<Vec<_>>().join(", ")
}

/// A site without coordinates, for the unplaced list: the file it came from and
/// its properties.
type Unplaced = (String, Value);

/// The inputs read to WGS-84, and the sites among them that have no coordinates.
fn read_incoming(
    inputs: Vec<Input>,
    options: ReadOptions,
) -> Result<(Vec<Incoming>, Vec<Unplaced>)> {
    let mut incoming = Vec::new();
    let mut unplaced = Vec::new();
    let mut problems = Vec::new();
    for Input { table, file } in inputs {
        let mut json = match formats::read(&file, table.geometry, options) {
            Ok(json) => json,
            Err(e) => {
                problems.extend(e.into_problems());
                continue;
            }
        };
        let mut positions = None;
        if table.name == "sites"
            && let Some(Value::Array(features)) = json.get_mut("features")
        {
            let mut kept = Vec::new();
            let mut at = Vec::new();
            for (index, feature) in std::mem::take(features).into_iter().enumerate() {
                if feature.get("geometry").is_some_and(|g| !g.is_null()) {
                    kept.push(feature);
                    at.push(index);
                    continue;
                }
                match unplaced_site(&feature) {
                    Ok(props) => unplaced.push((file.name.clone(), props)),
                    Err((field, reason)) => {
                        problems.push(Problem::feature(&file.name, index, reason).with_field(field))
                    }
                }
            }
            *features = kept;
            positions = Some(at);
        }
        incoming.push(Incoming {
            table,
            tabular: file.format != formats::Format::GeoJson,
            name: file.name,
            json,
            positions,
        });
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    Ok((incoming, unplaced))
}

/// The properties of a site without coordinates, if it can be placed later: a
/// known kind, a name, and an address to place it by.
fn unplaced_site(feature: &Value) -> std::result::Result<Value, (&'static str, String)> {
    let props = feature.get("properties").cloned().unwrap_or(Value::Null);
    let text = |field: &str| {
        props
            .get(field)
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
    };
    match text("kind") {
        Some(kind) if SiteKind::ALL.iter().any(|k| k.as_str() == kind) => {}
        Some(kind) => return Err(("kind", format!("unknown site kind {kind:?}"))),
        None => return Err(("kind", "missing field `kind`".to_owned())),
    }
    if text("name").is_none() {
        return Err(("name", "missing field `name`".to_owned()));
    }
    if text("address").is_none() {
        return Err((
            "geometry",
            "no coordinates and no address: nothing to place the site by".to_owned(),
        ));
    }
    Ok(props)
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
            file: file.name.clone(),
            reason: format!("expected {expected}"),
        });
    };
    let items = &with_site_ids(table, items, stored);
    if mode == Mode::ReplaceLayer || !table.keyed {
        let origin = (0..items.len()).map(|i| Some(file.position(i))).collect();
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
                origin[at] = Some(file.position(index));
            }
            // New, without an id, or a second record of one id: added, for the checks.
            None => {
                merged.push(item.clone());
                origin.push(Some(file.position(index)));
            }
        }
    }
    Ok((serialise(table, merged)?, origin))
}

/// Sites given without an id get the next free `S…` ids (others must have theirs).
fn with_site_ids(table: &Table, items: &[Value], stored: &[Row]) -> Vec<Value> {
    let mut items = items.to_vec();
    if table.name != "sites" {
        return items;
    }
    let number = |id: &str| id.strip_prefix('S').and_then(|n| n.parse::<usize>().ok());
    let given = items
        .iter()
        .filter_map(|f| f.pointer("/properties/id").and_then(Value::as_str));
    let mut next = stored
        .iter()
        .filter_map(|r| r.id.as_deref())
        .chain(given)
        .filter_map(number)
        .max()
        .unwrap_or(0);
    for item in &mut items {
        let missing = item
            .pointer("/properties/id")
            .is_none_or(|id| id.is_null() || id.as_str() == Some(""));
        if let (true, Some(Value::Object(props))) = (missing, item.get_mut("properties")) {
            next += 1;
            let id = crate::model::Id::numbered('S', next, 5).to_string();
            props.insert("id".to_owned(), Value::from(id));
        }
    }
    items
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
                            p.file = incoming.name.clone();
                            p.index = Some(at);
                        }
                        None => {
                            p.file = stored_record(incoming.table, index);
                            p.index = None;
                        }
                    }
                }
                (Some((incoming, _)), None) => p.file = incoming.name.clone(),
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
