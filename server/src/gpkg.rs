//! A minimal GeoPackage 1.3 writer (the OGC standard) for planners' QGIS: feature tables
//! of points or multipolygons in WGS-84 (EPSG:4326) and plain attribute tables, in a
//! SQLite file built by the bundled SQLite. Geometries are GeoPackage blobs: the `GP`
//! header with an xy envelope, then little-endian WKB.

use geo::{BoundingRect, LineString, MultiPolygon, Point, Polygon};
use rusqlite::{Connection, params_from_iter, types::Value as Sql};

/// A column's SQLite type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Integer,
    Real,
}

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Integer(i64),
    Real(f64),
    Null,
}

impl From<&Value> for Sql {
    fn from(v: &Value) -> Sql {
        match v {
            Value::Text(t) => Sql::Text(t.clone()),
            Value::Integer(i) => Sql::Integer(*i),
            Value::Real(r) => Sql::Real(*r),
            Value::Null => Sql::Null,
        }
    }
}

/// A feature's geometry, WGS-84 lon/lat.
#[derive(Debug, Clone, PartialEq)]
pub enum Geometry {
    Point(Point<f64>),
    MultiPolygon(MultiPolygon<f64>),
}

/// A table to write: features when `geometry` names a type, else attributes.
#[derive(Debug, Clone)]
pub struct Layer {
    pub name: String,
    pub description: String,
    /// `POINT` or `MULTIPOLYGON`; `None` for an attribute table.
    pub geometry: Option<&'static str>,
    pub columns: Vec<(String, Kind)>,
    pub rows: Vec<(Option<Geometry>, Vec<Value>)>,
}

const WGS84_WKT: &str = r#"GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]"#;

const SCHEMA: &str = r#"
PRAGMA application_id = 1196444487;
PRAGMA user_version = 10300;
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
"#;

fn fail(e: impl std::fmt::Display) -> String {
    format!("geopackage: {e}")
}

/// Writes `layers` into a new GeoPackage and returns its bytes.
pub fn write(layers: &[Layer]) -> Result<Vec<u8>, String> {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("redgrid-{}-{n}.gpkg", std::process::id()));
    let written = write_file(&path, layers);
    let bytes = written.and_then(|()| std::fs::read(&path).map_err(fail));
    let _ = std::fs::remove_file(&path);
    bytes
}

fn write_file(path: &std::path::Path, layers: &[Layer]) -> Result<(), String> {
    let _ = std::fs::remove_file(path);
    let mut db = Connection::open(path).map_err(fail)?;
    db.execute_batch(SCHEMA).map_err(fail)?;
    let tx = db.transaction().map_err(fail)?;
    {
        let mut srs = tx
            .prepare("INSERT INTO gpkg_spatial_ref_sys VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
            .map_err(fail)?;
        for (name, id, org, definition) in [
            ("Undefined cartesian SRS", -1, "NONE", "undefined"),
            ("Undefined geographic SRS", 0, "NONE", "undefined"),
            ("WGS 84 geodetic", 4326, "EPSG", WGS84_WKT),
        ] {
            srs.execute(rusqlite::params![name, id, org, id, definition, ""])
                .map_err(fail)?;
        }
    }
    for layer in layers {
        write_layer(&tx, layer)?;
    }
    tx.commit().map_err(fail)
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn write_layer(tx: &rusqlite::Transaction<'_>, layer: &Layer) -> Result<(), String> {
    let mut columns = vec!["fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL".to_owned()];
    if let Some(kind) = layer.geometry {
        columns.push(format!("geom {kind}"));
    }
    for (name, kind) in &layer.columns {
        let sql = match kind {
            Kind::Text => "TEXT",
            Kind::Integer => "INTEGER",
            Kind::Real => "REAL",
        };
        columns.push(format!("{} {sql}", quoted(name)));
    }
    let table = quoted(&layer.name);
    tx.execute_batch(&format!("CREATE TABLE {table} ({});", columns.join(", ")))
        .map_err(fail)?;
    let mut extent: Option<geo::Rect<f64>> = None;
    {
        let names: Vec<String> = layer
            .geometry
            .map(|_| "geom".to_owned())
            .into_iter()
            .chain(layer.columns.iter().map(|(n, _)| quoted(n)))
            .collect();
        let marks: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
        let mut insert = tx
            .prepare(&format!(
                "INSERT INTO {table} ({}) VALUES ({})",
                names.join(", "),
                marks.join(", ")
            ))
            .map_err(fail)?;
        for (geometry, values) in &layer.rows {
            let mut row: Vec<Sql> = Vec::with_capacity(names.len());
            if layer.geometry.is_some() {
                row.push(match geometry {
                    Some(g) => {
                        let (blob, rect) = blob(g);
                        if let Some(r) = rect {
                            extent = Some(match extent {
                                Some(e) => geo::Rect::new(
                                    (e.min().x.min(r.min().x), e.min().y.min(r.min().y)),
                                    (e.max().x.max(r.max().x), e.max().y.max(r.max().y)),
                                ),
                                None => r,
                            });
                        }
                        Sql::Blob(blob)
                    }
                    None => Sql::Null,
                });
            }
            row.extend(values.iter().map(Sql::from));
            insert.execute(params_from_iter(row)).map_err(fail)?;
        }
    }
    let (data_type, srs) = match layer.geometry {
        Some(_) => ("features", Some(4326)),
        None => ("attributes", None),
    };
    tx.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) VALUES (?1, ?2, ?1, ?3, ?4, ?5, ?6, ?7, ?8)",
        rusqlite::params![
            layer.name,
            data_type,
            layer.description,
            extent.map(|e| e.min().x),
            extent.map(|e| e.min().y),
            extent.map(|e| e.max().x),
            extent.map(|e| e.max().y),
            srs,
        ],
    )
    .map_err(fail)?;
    if let Some(kind) = layer.geometry {
        tx.execute(
            "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', ?2, 4326, 0, 0)",
            rusqlite::params![layer.name, kind],
        )
        .map_err(fail)?;
    }
    Ok(())
}

/// A GeoPackage geometry blob and its envelope.
pub fn blob(g: &Geometry) -> (Vec<u8>, Option<geo::Rect<f64>>) {
    let rect = match g {
        Geometry::Point(p) => Some(p.bounding_rect()),
        Geometry::MultiPolygon(m) => m.bounding_rect(),
    };
    let mut out = vec![b'G', b'P', 0];
    // Little endian; envelope [minx, maxx, miny, maxy] when there is one, else empty.
    out.push(match rect {
        Some(_) => 0b0000_0011,
        None => 0b0001_0001,
    });
    out.extend(4326i32.to_le_bytes());
    if let Some(r) = rect {
        for v in [r.min().x, r.max().x, r.min().y, r.max().y] {
            out.extend(v.to_le_bytes());
        }
    }
    match g {
        Geometry::Point(p) => {
            out.push(1);
            out.extend(1u32.to_le_bytes());
            out.extend(p.x().to_le_bytes());
            out.extend(p.y().to_le_bytes());
        }
        Geometry::MultiPolygon(m) => {
            out.push(1);
            out.extend(6u32.to_le_bytes());
            out.extend((m.0.len() as u32).to_le_bytes());
            for polygon in &m.0 {
                polygon_wkb(&mut out, polygon);
            }
        }
    }
    (out, rect)
}

fn polygon_wkb(out: &mut Vec<u8>, polygon: &Polygon<f64>) {
    out.push(1);
    out.extend(3u32.to_le_bytes());
    let rings: Vec<&LineString<f64>> = std::iter::once(polygon.exterior())
        .chain(polygon.interiors())
        .collect();
    out.extend((rings.len() as u32).to_le_bytes());
    for ring in rings {
        out.extend((ring.0.len() as u32).to_le_bytes());
        for c in &ring.0 {
            out.extend(c.x.to_le_bytes());
            out.extend(c.y.to_le_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_point_blob_has_the_header_envelope_and_wkb() {
        let (bytes, rect) = blob(&Geometry::Point(Point::new(121.4, 37.5)));
        assert_eq!(&bytes[..4], &[b'G', b'P', 0, 3]);
        assert_eq!(i32::from_le_bytes(bytes[4..8].try_into().unwrap()), 4326);
        assert_eq!(bytes.len(), 8 + 32 + 21);
        assert_eq!(bytes[40], 1);
        assert_eq!(u32::from_le_bytes(bytes[41..45].try_into().unwrap()), 1);
        assert_eq!(f64::from_le_bytes(bytes[45..53].try_into().unwrap()), 121.4);
        assert_eq!(rect.unwrap().min().y, 37.5);
    }

    #[test]
    fn layers_are_written_with_their_contents_and_rows() {
        let square = Polygon::new(
            LineString::from(vec![
                (121.0, 37.0),
                (121.1, 37.0),
                (121.1, 37.1),
                (121.0, 37.0),
            ]),
            Vec::new(),
        );
        let layers = [
            Layer {
                name: "areas".to_owned(),
                description: "test".to_owned(),
                geometry: Some("MULTIPOLYGON"),
                columns: vec![
                    ("code".to_owned(), Kind::Text),
                    ("people".to_owned(), Kind::Integer),
                ],
                rows: vec![(
                    Some(Geometry::MultiPolygon(MultiPolygon::new(vec![square]))),
                    vec![Value::Text("370602901001001".to_owned()), Value::Integer(7)],
                )],
            },
            Layer {
                name: "basis".to_owned(),
                description: String::new(),
                geometry: None,
                columns: vec![
                    ("name".to_owned(), Kind::Text),
                    ("value".to_owned(), Kind::Real),
                ],
                rows: vec![(
                    None,
                    vec![Value::Text("metres".to_owned()), Value::Real(300.0)],
                )],
            },
        ];
        let bytes = write(&layers).unwrap();
        assert_eq!(&bytes[..16], b"SQLite format 3\0");
        let path =
            std::env::temp_dir().join(format!("redgrid-gpkg-test-{}.gpkg", std::process::id()));
        std::fs::write(&path, bytes).unwrap();
        let db = Connection::open(&path).unwrap();
        let app: i64 = db
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .unwrap();
        assert_eq!(app, 0x4750_4B47);
        let (kind, max_x): (String, f64) = db
            .query_row(
                "SELECT data_type, max_x FROM gpkg_contents WHERE table_name = 'areas'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((kind.as_str(), max_x), ("features", 121.1));
        let code: String = db
            .query_row("SELECT code FROM areas", [], |r| r.get(0))
            .unwrap();
        assert_eq!(code, "370602901001001");
        let attributes: String = db
            .query_row(
                "SELECT data_type FROM gpkg_contents WHERE table_name = 'basis'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(attributes, "attributes");
        drop(db);
        std::fs::remove_file(&path).unwrap();
    }
}
