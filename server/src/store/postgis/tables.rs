//! The layer tables: which file each holds, its typed key columns (derived from the
//! record's JSON properties in SQL, so they can never disagree), and moving rows in
//! and out as WKB geometry and JSON properties.

use geo::Geometry;
use geozero::{CoordDimensions, ToGeo, ToWkb};
use serde::Serialize;
use sqlx::{PgConnection, Row as _};

use crate::error::{Error, Result};
use crate::model::{Feature, HasId};
use crate::store::Dataset;

/// One table holding one layer or personal-data file.
#[derive(Debug)]
pub struct Table {
    pub name: &'static str,
    /// The file name a data directory gives the same layer.
    pub file: &'static str,
    /// False for personal-data records, which have no geometry.
    pub geometry: bool,
    /// False for the walking network, whose rows are known by their position.
    pub keyed: bool,
    /// Typed columns besides id, ord, props and geom, and the property each copies.
    pub columns: &'static [&'static str],
}

/// Every table, parents before children.
pub const TABLES: [Table; 11] = [
    layer("district", "district.geojson", &[]),
    layer("context", "context.geojson", &[]),
    layer("streets", "streets.geojson", &["name"]),
    layer("communities", "communities.geojson", &["street_id", "name"]),
    layer("grids", "grids.geojson", &["code", "community_id"]),
    layer("compounds", "compounds.geojson", &["grid_id", "name"]),
    layer(
        "buildings",
        "buildings.geojson",
        &["grid_id", "compound_id"],
    ),
    layer(
        "sites",
        "sites.geojson",
        &["kind", "name", "street_id", "community_id", "grid_id"],
    ),
    Table {
        name: "walk_network",
        file: "walk_network.geojson",
        geometry: true,
        keyed: false,
        columns: &[],
    },
    records("workers", "workers.json"),
    records("building_heads", "building_heads.json"),
];

const fn layer(name: &'static str, file: &'static str, columns: &'static [&'static str]) -> Table {
    Table {
        name,
        file,
        geometry: true,
        keyed: true,
        columns,
    }
}

const fn records(name: &'static str, file: &'static str) -> Table {
    Table {
        name,
        file,
        geometry: false,
        keyed: true,
        columns: &[],
    }
}

impl Table {
    pub fn by_name(name: &str) -> Option<&'static Table> {
        TABLES.iter().find(|t| t.name == name)
    }

    pub fn by_file(file: &str) -> Option<&'static Table> {
        TABLES.iter().find(|t| t.file == file)
    }

    /// Personal data: never read by the public profile.
    pub fn personal(&self) -> bool {
        !self.geometry
    }
}

/// A record as stored: its id (none for network edges), properties and geometry.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub id: Option<String>,
    pub props: serde_json::Value,
    pub geometry: Option<Geometry<f64>>,
}

fn database(context: &str) -> impl Fn(sqlx::Error) -> Error + '_ {
    move |e| Error::Database(format!("{context}: {e}"))
}

/// Every row of `table` in its order; `active_only` leaves out deactivated workers.
pub async fn read_rows(
    db: &mut PgConnection,
    table: &Table,
    active_only: bool,
) -> Result<Vec<Row>> {
    let id = if table.keyed { "id" } else { "NULL::text" };
    let geom = if table.geometry {
        "ST_AsBinary(geom)"
    } else {
        "NULL::bytea"
    };
    let filter = if active_only && table.name == "workers" {
        "WHERE active"
    } else {
        ""
    };
    let sql = format!(
        "SELECT {id}, props::text, {geom} FROM {} {filter} ORDER BY ord",
        table.name
    );
    let rows = sqlx::query(&sql)
        .fetch_all(db)
        .await
        .map_err(database(table.name))?;
    rows.iter()
        .map(|r| decode(table, r.get(0), r.get(1), r.get(2)))
        .collect()
}

/// A row from its stored parts: properties as JSON text, geometry as WKB.
pub fn decode(table: &Table, id: Option<String>, props: &str, wkb: Option<Vec<u8>>) -> Result<Row> {
    Ok(Row {
        id,
        props: serde_json::from_str(props)
            .map_err(|e| Error::Database(format!("{}: properties: {e}", table.name)))?,
        geometry: wkb
            .map(|bytes| geozero::wkb::Wkb(bytes).to_geo())
            .transpose()
            .map_err(|e| Error::Database(format!("{}: geometry: {e}", table.name)))?,
    })
}

/// A row as the audit log keeps it: a GeoJSON Feature, or the record itself.
pub fn record_json(table: &Table, row: &Row) -> serde_json::Value {
    if table.geometry {
        feature_json(row)
    } else {
        row.props.clone()
    }
}

/// The inverse of [`record_json`].
pub fn row_from_record_json(
    table: &Table,
    id: Option<String>,
    json: serde_json::Value,
) -> Result<Row> {
    if !table.geometry {
        return Ok(Row {
            id,
            props: json,
            geometry: None,
        });
    }
    let invalid = |e: String| Error::Database(format!("{}: {e}", table.name));
    let geometry = geojson::Geometry::from_json_value(json["geometry"].clone())
        .map_err(|e| invalid(e.to_string()))?;
    Ok(Row {
        id,
        props: json["properties"].clone(),
        geometry: Some(Geometry::try_from(geometry).map_err(|e| invalid(e.to_string()))?),
    })
}

/// The rows as the file a data directory would hold: a FeatureCollection, or a JSON
/// array of records.
pub fn file_bytes(table: &Table, rows: &[Row]) -> Result<Vec<u8>> {
    let serialise = |e: serde_json::Error| Error::Database(format!("{}: {e}", table.name));
    if !table.geometry {
        let records: Vec<&serde_json::Value> = rows.iter().map(|r| &r.props).collect();
        return serde_json::to_vec(&records).map_err(serialise);
    }
    let features: Vec<serde_json::Value> = rows.iter().map(feature_json).collect();
    serde_json::to_vec(&serde_json::json!({
        "type": "FeatureCollection",
        "features": features,
    }))
    .map_err(serialise)
}

/// One row as a GeoJSON Feature.
pub fn feature_json(row: &Row) -> serde_json::Value {
    let geometry = row.geometry.as_ref().map_or(serde_json::Value::Null, |g| {
        serde_json::to_value(geojson::Geometry::from(g)).unwrap_or_default()
    });
    serde_json::json!({
        "type": "Feature",
        "properties": row.props,
        "geometry": geometry,
    })
}

/// The rows of `table` as a checked dataset holds them, in order.
pub fn dataset_rows(ds: &Dataset, table: &Table) -> Result<Vec<Row>> {
    match table.name {
        "district" => features(&ds.district),
        "context" => features(&ds.context),
        "streets" => features(&ds.streets),
        "communities" => features(&ds.communities),
        "grids" => features(&ds.grids),
        "compounds" => features(&ds.compounds),
        "buildings" => features(&ds.buildings),
        "sites" => features(&ds.sites),
        "walk_network" => ds
            .network
            .iter()
            .map(|f| row(None, &f.props, Some(f.geometry.clone().into())))
            .collect(),
        "workers" => ds
            .workers
            .iter()
            .map(|w| row(Some(w.id.to_string()), w, None))
            .collect(),
        "building_heads" => ds
            .building_heads
            .iter()
            .map(|h| row(Some(h.id.to_string()), h, None))
            .collect(),
        other => Err(Error::Database(format!("no table {other}"))),
    }
}

fn features<P: HasId + Serialize, G: Clone + Into<Geometry<f64>>>(
    features: &[Feature<P, G>],
) -> Result<Vec<Row>> {
    features
        .iter()
        .map(|f| {
            row(
                Some(f.id().to_string()),
                &f.props,
                Some(f.geometry.clone().into()),
            )
        })
        .collect()
}

fn row(id: Option<String>, props: &impl Serialize, geometry: Option<Geometry<f64>>) -> Result<Row> {
    Ok(Row {
        id,
        props: serde_json::to_value(props)
            .map_err(|e| Error::Database(format!("properties: {e}")))?,
        geometry,
    })
}

/// Inserts `rows` (new or changed) at the given positions, replacing rows of the
/// same id and bumping their version.
pub async fn upsert(db: &mut PgConnection, table: &Table, rows: &[(i32, &Row)]) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut ids = Vec::with_capacity(rows.len());
    let mut ords = Vec::with_capacity(rows.len());
    let mut props = Vec::with_capacity(rows.len());
    let mut wkbs = Vec::with_capacity(rows.len());
    for (ord, row) in rows {
        ids.push(row.id.clone());
        ords.push(*ord);
        props.push(row.props.to_string());
        wkbs.push(match &row.geometry {
            Some(g) => Some(
                g.to_wkb(CoordDimensions::xy())
                    .map_err(|e| Error::Database(format!("{}: geometry: {e}", table.name)))?,
            ),
            None => None,
        });
    }
    let typed: Vec<String> = table.columns.iter().map(|c| (*c).to_owned()).collect();
    let derived: Vec<String> = table
        .columns
        .iter()
        .map(|c| format!("r.props->>'{c}'"))
        .collect();
    let mut columns = vec!["ord".to_owned(), "props".to_owned()];
    let mut values = vec!["r.ord".to_owned(), "r.props".to_owned()];
    if table.keyed {
        columns.push("id".to_owned());
        values.push("r.id".to_owned());
    }
    if table.geometry {
        columns.push("geom".to_owned());
        values.push("ST_SetSRID(ST_GeomFromWKB(r.wkb), 4326)".to_owned());
    }
    columns.extend(typed);
    values.extend(derived);
    let conflict = if table.keyed {
        let set: Vec<String> = columns
            .iter()
            .filter(|c| *c != "id")
            .map(|c| format!("{c} = EXCLUDED.{c}"))
            .collect();
        format!(
            "ON CONFLICT (id) DO UPDATE SET {}, version = t.version + 1",
            set.join(", ")
        )
    } else {
        String::new()
    };
    let sql = format!(
        "INSERT INTO {name} AS t ({columns}) \
         SELECT {values} FROM (SELECT id, ord, props::jsonb AS props, wkb \
           FROM UNNEST($1::text[], $2::int4[], $3::text[], $4::bytea[]) AS u(id, ord, props, wkb)) r \
         {conflict}",
        name = table.name,
        columns = columns.join(", "),
        values = values.join(", "),
    );
    sqlx::query(&sql)
        .bind(ids)
        .bind(ords)
        .bind(props)
        .bind(wkbs)
        .execute(db)
        .await
        .map_err(database(table.name))?;
    Ok(())
}

/// Removes the rows of these ids.
pub async fn delete(db: &mut PgConnection, table: &Table, ids: &[&str]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    sqlx::query(&format!("DELETE FROM {} WHERE id = ANY($1)", table.name))
        .bind(ids)
        .execute(db)
        .await
        .map_err(database(table.name))?;
    Ok(())
}

/// Gives each row the position it has in `rows` (checked unique at commit).
pub async fn renumber(db: &mut PgConnection, table: &Table, rows: &[Row]) -> Result<()> {
    let ids: Vec<Option<&str>> = rows.iter().map(|r| r.id.as_deref()).collect();
    let ords: Vec<i32> = (0..rows.len() as i32).collect();
    sqlx::query(&format!(
        "UPDATE {} AS t SET ord = u.ord FROM UNNEST($1::text[], $2::int4[]) AS u(id, ord) \
         WHERE t.id = u.id AND t.ord <> u.ord",
        table.name
    ))
    .bind(ids)
    .bind(ords)
    .execute(db)
    .await
    .map_err(database(table.name))?;
    Ok(())
}
