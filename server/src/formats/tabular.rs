//! Rows of a table (CSV or a spreadsheet's first sheet) as a layer file: the header
//! names the properties (English names or their usual Chinese headings), cells are
//! typed by the property they fill, and a point comes from longitude and latitude
//! columns, any geometry from a WKT column. A row with neither has no geometry: a
//! site known only by its address, placed later on the map.

use geozero::ToGeo;
use serde_json::{Map, Value, json};

use crate::error::{Error, Problem, Result};
use crate::model::SiteKind;

/// Properties whose cells hold whole numbers.
const INTEGERS: [&str; 3] = ["population", "households", "floors"];
/// Properties whose cells hold lists, separated by `;`, `；`, `、`, `|` or commas.
const LISTS: [&str; 4] = [
    "services",
    "paired_community_ids",
    "grid_ids",
    "building_ids",
];
/// Properties whose cells hold JSON when they start with `[` or `{`.
const JSON: [&str; 3] = ["hours", "resources", "gates"];

/// Usual headings of government spreadsheets and the property each fills.
const ALIASES: [(&str, &str); 28] = [
    ("编号", "id"),
    ("名称", "name"),
    ("站点名称", "name"),
    ("姓名", "name"),
    ("类型", "kind"),
    ("类别", "category"),
    ("地址", "address"),
    ("详细地址", "address"),
    ("依托单位", "host"),
    ("服务内容", "services"),
    ("服务项目", "services"),
    ("开放时间", "hours"),
    ("联系电话", "public_contact"),
    ("电话", "phone"),
    ("手机", "phone"),
    ("网格", "grid_ids"),
    ("所属网格", "grid_id"),
    ("网格编号", "code"),
    ("社区", "community_id"),
    ("所属社区", "community_id"),
    ("街道", "street_id"),
    ("所属街道", "street_id"),
    ("人口", "population"),
    ("户数", "households"),
    ("层数", "floors"),
    ("党支部", "party_branch"),
    ("楼栋党小组", "party_group"),
    ("小区", "compound_id"),
];
const LON: [&str; 6] = ["lon", "lng", "longitude", "x", "经度", "东坐标"];
const LAT: [&str; 5] = ["lat", "latitude", "y", "纬度", "北坐标"];
const WKT: [&str; 4] = ["wkt", "geometry", "geom", "几何"];

/// The property a heading fills.
fn canonical(heading: &str) -> String {
    let heading = heading.trim().trim_start_matches('\u{feff}').trim();
    let lower = heading.to_lowercase();
    if LON.contains(&lower.as_str()) {
        return "lon".to_owned();
    }
    if LAT.contains(&lower.as_str()) {
        return "lat".to_owned();
    }
    if WKT.contains(&lower.as_str()) {
        return "wkt".to_owned();
    }
    ALIASES
        .iter()
        .find(|(alias, _)| *alias == heading)
        .map_or(lower, |(_, name)| (*name).to_owned())
}

/// A cell as text: numbers without a needless `.0`, nothing for an empty cell.
fn text(cell: &Value) -> Option<String> {
    let s = match cell {
        Value::Null => return None,
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            _ => n.to_string(),
        },
        other => other.to_string(),
    };
    (!s.is_empty()).then_some(s)
}

/// A cell typed for its property, or why it cannot be.
fn typed(field: &str, cell: &str) -> std::result::Result<Value, String> {
    if INTEGERS.contains(&field) {
        return cell
            .parse::<f64>()
            .ok()
            .filter(|f| f.fract() == 0.0 && *f >= 0.0)
            .map(|f| Value::from(f as u64))
            .ok_or_else(|| format!("expected a whole number, got {cell:?}"));
    }
    if LISTS.contains(&field) {
        if cell.starts_with('[') {
            return serde_json::from_str(cell).map_err(|e| format!("not a JSON list: {e}"));
        }
        let items = cell
            .split([';', '；', '、', '|', ',', '，'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(Value::from);
        return Ok(Value::Array(items.collect()));
    }
    if JSON.contains(&field) && (cell.starts_with('[') || cell.starts_with('{')) {
        return serde_json::from_str(cell).map_err(|e| format!("not JSON: {e}"));
    }
    if field == "synthetic" {
        return match cell.to_lowercase().as_str() {
            "true" | "1" | "yes" | "是" => Ok(Value::Bool(true)),
            "false" | "0" | "no" | "否" => Ok(Value::Bool(false)),
            _ => Err(format!("expected true or false, got {cell:?}")),
        };
    }
    if field == "kind"
        && let Some(kind) = SiteKind::ALL.iter().find(|k| k.label().0 == cell)
    {
        return Ok(Value::from(kind.as_str()));
    }
    Ok(Value::from(cell))
}

/// The geometry of a row from its coordinate or WKT cells; `None` for a row with none.
fn shape_of_cells(
    lon: Option<&str>,
    lat: Option<&str>,
    wkt: Option<&str>,
) -> std::result::Result<Option<Value>, (&'static str, String)> {
    if let Some(wkt) = wkt {
        let geometry = geozero::wkt::Wkt(wkt)
            .to_geo()
            .map_err(|e| ("wkt", format!("not WKT: {e}")))?;
        return serde_json::to_value(geojson::Geometry::from(&geometry))
            .map(Some)
            .map_err(|e| ("wkt", e.to_string()));
    }
    match (lon, lat) {
        (None, None) => Ok(None),
        (Some(x), Some(y)) => {
            let number = |s: &str, field| {
                s.parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite())
                    .ok_or((field, format!("expected a number, got {s:?}")))
            };
            Ok(Some(json!({
                "type": "Point",
                "coordinates": [number(x, "lon")?, number(y, "lat")?],
            })))
        }
        (None, Some(_)) => Err(("lon", "a latitude without a longitude".to_owned())),
        (Some(_), None) => Err(("lat", "a longitude without a latitude".to_owned())),
    }
}

/// The rows under `headings` as a FeatureCollection (`geometry`) or a JSON array of
/// records; every cell that cannot be typed is a problem named by row and field.
///
/// `shapes`, when given, are the rows' geometries (a shapefile's), one per row.
pub fn to_layer(
    file: &str,
    headings: &[String],
    rows: &[Vec<Value>],
    geometry: bool,
    shapes: Option<&[Option<Value>]>,
) -> Result<Value> {
    let fields: Vec<String> = headings.iter().map(|h| canonical(h)).collect();
    if fields.iter().all(|f| f.is_empty()) {
        return Err(Error::InvalidFile {
            file: file.to_owned(),
            reason: "the first row must name the columns".to_owned(),
        });
    }
    let mut items = Vec::new();
    let mut problems = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        let cells: Vec<Option<String>> = row.iter().map(text).collect();
        if cells.iter().all(Option::is_none) {
            continue;
        }
        let cell = |name: &str| {
            fields
                .iter()
                .position(|f| f == name)
                .and_then(|i| cells.get(i).cloned().flatten())
        };
        let mut properties = Map::new();
        for (field, cell) in fields.iter().zip(&cells) {
            let Some(cell) = cell else { continue };
            if field.is_empty() || ["lon", "lat", "wkt"].contains(&field.as_str()) {
                continue;
            }
            match typed(field, cell) {
                Ok(value) => {
                    properties.insert(field.clone(), value);
                }
                Err(reason) => problems.push(
                    Problem::feature(file, items.len(), format!("row {}: {reason}", index + 2))
                        .with_field(field.clone()),
                ),
            }
        }
        if !geometry {
            items.push(Value::Object(properties));
            continue;
        }
        let (lon, lat, wkt) = (cell("lon"), cell("lat"), cell("wkt"));
        let shape = match shapes {
            Some(shapes) => Ok(shapes.get(index).cloned().flatten()),
            None => shape_of_cells(lon.as_deref(), lat.as_deref(), wkt.as_deref()),
        };
        match shape {
            Ok(shape) => items.push(json!({
                "type": "Feature",
                "properties": properties,
                "geometry": shape,
            })),
            Err((field, reason)) => {
                problems.push(
                    Problem::feature(file, items.len(), format!("row {}: {reason}", index + 2))
                        .with_field(field),
                );
                items.push(json!({"type": "Feature", "properties": properties, "geometry": null}));
            }
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    Ok(if geometry {
        json!({"type": "FeatureCollection", "features": items})
    } else {
        Value::Array(items)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(cells: &[&str]) -> Vec<Value> {
        cells.iter().map(|c| Value::from(*c)).collect()
    }

    #[test]
    fn headings_cells_and_points() {
        let headings: Vec<String> = ["编号", "名称", "类型", "经度", "纬度", "服务内容", "地址"]
            .map(String::from)
            .to_vec();
        let rows = vec![
            strings(&[
                "S9",
                "幸福红港驿站",
                "芝罘红港驿站",
                "121.40",
                "37.53",
                "理发；助餐",
                "",
            ]),
            strings(&["", "待定驿站", "station", "", "", "", "幸福路1号"]),
            strings(&["", "", "", "", "", "", ""]),
        ];
        let layer = to_layer("sites.csv", &headings, &rows, true, None).expect("a layer");
        let features = layer["features"].as_array().expect("features");
        assert_eq!(features.len(), 2, "the empty row is skipped");
        assert_eq!(features[0]["properties"]["kind"], "station");
        assert_eq!(
            features[0]["properties"]["services"],
            json!(["理发", "助餐"])
        );
        assert_eq!(
            features[0]["geometry"]["coordinates"],
            json!([121.4, 37.53])
        );
        assert_eq!(features[1]["geometry"], Value::Null);
        assert_eq!(features[1]["properties"]["address"], "幸福路1号");
        assert!(features[1]["properties"].get("id").is_none());
    }

    #[test]
    fn wkt_numbers_and_problems() {
        let headings = ["id", "population", "wkt"].map(String::from).to_vec();
        let rows = vec![vec![
            Value::from("G1"),
            json!(1200.0),
            Value::from("POLYGON((121 37,121.1 37,121.1 37.1,121 37))"),
        ]];
        let layer = to_layer("grids.xlsx", &headings, &rows, true, None).expect("a layer");
        assert_eq!(
            layer["features"][0]["properties"]["population"],
            json!(1200)
        );
        assert_eq!(layer["features"][0]["geometry"]["type"], "Polygon");

        let bad = vec![strings(&["G2", "many", "POLYGON((1 2"])];
        let Err(Error::Invalid(problems)) = to_layer("grids.csv", &headings, &bad, true, None)
        else {
            panic!("refused");
        };
        let fields: Vec<_> = problems.iter().map(|p| p.field.as_deref()).collect();
        assert_eq!(fields, [Some("population"), Some("wkt")]);
        assert!(
            problems[0].reason.starts_with("row 2:"),
            "{}",
            problems[0].reason
        );
    }
}
