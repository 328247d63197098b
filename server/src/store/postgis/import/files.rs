//! The files of an import: which layer each holds, read to WGS-84, with the sites
//! that have no coordinates set aside for the unplaced list.

use std::path::PathBuf;

use serde_json::Value;

use super::{Incoming, Input};
use crate::error::{Error, Problem, Result};
use crate::formats::{self, File, ReadOptions};
use crate::model::SiteKind;
use crate::store::postgis::tables::{TABLES, Table};

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
pub type Unplaced = (String, Value);

/// The inputs read to WGS-84, and the sites among them that have no coordinates.
pub fn read_incoming(
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
