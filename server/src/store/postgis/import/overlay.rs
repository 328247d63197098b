//! Laying an import's files over the stored rows: by id or whole layers, ids for
//! sites given without one, areas for sites from tables, and problems named after
//! the file and record they came from.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::Value;

use super::{Incoming, Mode};
use crate::error::{Error, Result};
use crate::store::Dataset;
use crate::store::postgis::tables::{self, Row, Table};

/// Where each record of a laid-over file came from: the file's index, or `None`
/// for a stored record the file left alone.
pub type Origin = Vec<Option<usize>>;

/// The file laid over the stored rows, as the bytes of a whole layer file.
pub fn lay_over(file: &Incoming, stored: &[Row], mode: Mode) -> Result<(Vec<u8>, Origin)> {
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
pub fn name_origin(
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

/// Sites of a table (CSV, spreadsheet, shapefile: government lists, which know
/// nothing of our area ids) given with none of their street, community and grid get
/// them from where they stand, as a site added on the map does. GeoJSON layer files
/// are taken as they are.
pub fn derive_site_areas(dataset: &mut Dataset, from_file: &[usize]) {
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
