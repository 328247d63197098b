//! The district's MapLibre style over its own tile layers: one cartography for the
//! map page and for any other MapLibre client. No `glyphs` or `sprite` URL: Chinese
//! labels are drawn with the viewer's own font (`localIdeographFontFamily`). The
//! style's `metadata` carries what the page needs besides: the district's name,
//! bounds and data date, and a legend of what the data holds, in Chinese and English.

use serde_json::{Value, json};

use super::TileSet;
use crate::model::SiteKind;

const SEA: &str = "#cfe1ec";
const LAND: &str = "#f6f3ec";
const PARTY_RED: &str = "#c8161d";
const STREET_LINE: &str = "#7a1f1b";
const COMMUNITY_LINE: &str = "#b0413e";
const FOOTWAY: &str = "#a8977a";

/// Road fill colour by highway class, and the colour of the rest.
const ROAD_COLOURS: [(&str, &str); 3] = [
    ("primary", "#f9d58c"),
    ("secondary", "#fbe3a8"),
    ("tertiary", "#fdf0c8"),
];
const STREET_FILL: &str = "#ffffff";

/// Road width in pixels by class, at zoom 12 and at zoom 18.
const ROAD_WIDTHS: [(&str, f64, f64); 7] = [
    ("primary", 1.6, 14.0),
    ("secondary", 1.3, 12.0),
    ("tertiary", 1.0, 10.0),
    ("unclassified", 0.7, 8.0),
    ("residential", 0.6, 8.0),
    ("service", 0.4, 5.0),
    ("footway", 0.4, 2.5),
];

/// Coverage cells by walk to the nearest service point: within 300 m (5 minutes at
/// 60 m/min), within twice that, beyond (the page's budget slider keeps the rule).
const COVERAGE_COLOURS: [&str; 3] = ["#2e7d32", "#f9a825", "#c62828"];

/// Where the style's tiles are and what else to draw under them.
pub struct StyleInputs<'a> {
    /// This server's origin, e.g. `http://127.0.0.1:8080`.
    pub base: &'a str,
    /// A raster basemap source, when one is configured.
    pub basemap: Option<Value>,
    /// The date of the data, for printed maps.
    pub data_date: Option<&'a str>,
}

fn road_width(scale: f64) -> Value {
    let by_class = |at18: bool| {
        let mut m = vec![json!("match"), json!(["get", "highway"])];
        for (class, z12, z18) in ROAD_WIDTHS {
            m.push(json!(class));
            m.push(json!(if at18 { z18 } else { z12 } * scale));
        }
        m.push(json!(0.5 * scale));
        Value::Array(m)
    };
    json!([
        "interpolate",
        ["exponential", 1.6],
        ["zoom"],
        12,
        by_class(false),
        18,
        by_class(true)
    ])
}

/// Casing, fill and footways of one road source; private roads paler where the
/// source marks them.
fn road_layers(source: &str, marks_private: bool) -> [Value; 3] {
    let not_footway = json!(["!=", ["get", "highway"], "footway"]);
    let mut fill = vec![json!("match"), json!(["get", "highway"])];
    for (class, colour) in ROAD_COLOURS {
        fill.extend([json!(class), json!(colour)]);
    }
    fill.push(json!(STREET_FILL));
    let fill = if marks_private {
        json!(["case", ["==", ["get", "private"], true], "#f1ece2", fill])
    } else {
        Value::Array(fill)
    };
    [
        json!({"id": format!("{source}-casing"), "type": "line", "source": source, "source-layer": source,
               "minzoom": 12, "filter": not_footway,
               "layout": {"line-join": "round", "line-cap": "round"},
               "paint": {"line-color": "#cfc3ad", "line-width": road_width(1.35)}}),
        json!({"id": format!("{source}-fill"), "type": "line", "source": source, "source-layer": source,
               "filter": not_footway,
               "layout": {"line-join": "round", "line-cap": "round"},
               "paint": {"line-color": fill,
                         "line-width": road_width(1.0)}}),
        json!({"id": format!("{source}-footway"), "type": "line", "source": source, "source-layer": source,
               "minzoom": 14, "filter": ["==", ["get", "highway"], "footway"],
               "paint": {"line-color": FOOTWAY, "line-width": road_width(1.0), "line-dasharray": [2, 1.5]}}),
    ]
}

fn kind_colour() -> Value {
    let mut m = vec![json!("match"), json!(["get", "kind"])];
    for kind in SiteKind::ALL {
        m.extend([json!(kind.as_str()), json!(kind.colour())]);
    }
    m.push(json!("#666666"));
    Value::Array(m)
}

/// The service kinds (`serving`) or the other resources.
fn serving_filter(serving: bool) -> Value {
    let kinds: Vec<&str> = SiteKind::ALL
        .into_iter()
        .filter(|k| k.serves_residents())
        .map(SiteKind::as_str)
        .collect();
    let test = json!(["in", ["get", "kind"], ["literal", kinds]]);
    if serving { test } else { json!(["!", test]) }
}

fn site_layers(serving: bool) -> [Value; 2] {
    let (circle, names, circle_zoom, name_zoom) = if serving {
        ("sites-circle", "site-names", 0, 15)
    } else {
        ("resources-circle", "resource-names", 14, 17)
    };
    let (small, large) = if serving { (2.5, 7.0) } else { (2.0, 5.0) };
    [
        json!({"id": circle, "type": "circle", "source": "sites", "source-layer": "sites",
               "minzoom": circle_zoom, "filter": serving_filter(serving),
               "paint": {"circle-color": kind_colour(),
                         "circle-radius": ["interpolate", ["linear"], ["zoom"], 11, small, 16, large],
                         "circle-stroke-color": "#ffffff", "circle-stroke-width": 1}}),
        json!({"id": names, "type": "symbol", "source": "sites", "source-layer": "sites",
               "minzoom": name_zoom, "filter": serving_filter(serving),
               "layout": {"text-field": ["get", "name"], "text-size": 12, "text-font": ["sans-serif"],
                          "text-offset": [0, 1.1], "text-anchor": "top"},
               "paint": {"text-color": "#333333", "text-halo-color": "#ffffff", "text-halo-width": 1.2}}),
    ]
}

/// The name of each area of `layer`, from the `labels` points.
fn area_label(layer: &str, size: f64, colour: &str, halo: f64, min_zoom: u8) -> Value {
    json!({"id": format!("{layer}-label"), "type": "symbol", "source": "labels", "source-layer": "labels",
           "minzoom": min_zoom, "filter": ["==", ["get", "layer"], layer],
           "layout": {"text-field": ["get", "name"], "text-size": size, "text-font": ["sans-serif"]},
           "paint": {"text-color": colour, "text-halo-color": "#ffffff", "text-halo-width": halo}})
}

fn line(id: &str, min_zoom: u8, paint: Value) -> Value {
    json!({"id": format!("{id}-line"), "type": "line", "source": id, "source-layer": id,
           "minzoom": min_zoom, "paint": paint})
}

fn fill(id: &str, min_zoom: u8, paint: Value) -> Value {
    json!({"id": format!("{id}-fill"), "type": "fill", "source": id, "source-layer": id,
           "minzoom": min_zoom, "paint": paint})
}

/// The layers drawn, bottom to top, for the tile layers `set` publishes.
fn layers(set: &TileSet, basemap: bool) -> Vec<Value> {
    let has = |id: &str| set.layers.contains_key(id);
    let mut layers =
        vec![json!({"id": "sea", "type": "background", "paint": {"background-color": SEA}})];
    if basemap {
        // Over a basemap the district's land is a light wash, not an opaque sheet.
        layers.push(json!({"id": "basemap", "type": "raster", "source": "basemap"}));
        layers.push(fill(
            "land",
            0,
            json!({"fill-color": LAND, "fill-opacity": 0.25}),
        ));
    } else {
        layers.push(fill("context", 0, json!({"fill-color": "#e3e3e0"})));
        layers.push(line(
            "context",
            0,
            json!({"line-color": "#b5b5b0", "line-width": 1}),
        ));
        layers.push(fill("land", 0, json!({"fill-color": LAND})));
    }
    layers.push(line(
        "land",
        0,
        json!({"line-color": "#8a7f6a", "line-width": 1.5}),
    ));
    if has("coverage") {
        // Hidden until a planner turns it on; the page sets the threshold it colours by.
        let [near, middle, far] = COVERAGE_COLOURS;
        let mut coverage = fill(
            "coverage",
            0,
            json!({"fill-color": ["case", ["!", ["has", "walk_m"]], "#9e9e9e",
                                  ["<=", ["get", "walk_m"], 300], near,
                                  ["<=", ["get", "walk_m"], 600], middle, far],
                   "fill-opacity": 0.45}),
        );
        coverage["layout"] = json!({"visibility": "none"});
        layers.push(coverage);
    }
    layers.extend(road_layers("major_roads", false));
    layers.extend(road_layers("roads", true));
    if has("grids") {
        layers.push(line(
            "grids",
            13,
            json!({"line-color": PARTY_RED, "line-opacity": 0.45,
                                             "line-width": 0.8, "line-dasharray": [2, 2]}),
        ));
    }
    if has("communities") {
        layers.push(line(
            "communities",
            12,
            json!({"line-color": COMMUNITY_LINE, "line-opacity": 0.6,
                                                   "line-width": 1.2}),
        ));
    }
    if has("streets") {
        layers.push(line(
            "streets",
            0,
            json!({"line-color": STREET_LINE,
            "line-width": ["interpolate", ["linear"], ["zoom"], 10, 1.2, 15, 3]}),
        ));
    }
    layers.push(line(
        "compounds",
        14,
        json!({"line-color": "#9c8f74", "line-width": 1}),
    ));
    layers.push(fill(
        "buildings",
        14,
        json!({"fill-color": "#ded6c6", "fill-outline-color": "#b9ad95"}),
    ));
    layers.extend(site_layers(true));
    layers.extend(site_layers(false));
    if has("streets") {
        layers.push(area_label("streets", 14.0, "#5a1512", 1.5, 0));
    }
    layers.push(area_label("context", 13.0, "#6f6f6a", 1.0, 0));
    if has("communities") {
        layers.push(area_label("communities", 12.0, "#8a2c28", 1.2, 13));
    }
    layers
}

fn entry(zh: &str, en: &str, colour: &str, swatch: &str) -> Value {
    json!({"label": {"zh": zh, "en": en}, "color": colour, "swatch": swatch})
}

/// Legend sections for what `set` holds: the site kinds present, the boundaries and
/// the roads when published, the coverage colours when published.
fn legend(set: &TileSet) -> Vec<Value> {
    let mut sections = Vec::new();
    let sites: Vec<Value> = set
        .site_kinds
        .iter()
        .map(|k| {
            let (zh, en) = k.label();
            let mut e = entry(zh, en, k.colour(), "dot");
            e["kind"] = json!(k.as_str());
            e
        })
        .collect();
    if !sites.is_empty() {
        sections.push(json!({"id": "sites", "title": {"zh": "服务阵地与资源", "en": "Service sites and resources"}, "entries": sites}));
    }
    if set.layers.contains_key("streets") {
        sections.push(
            json!({"id": "boundaries", "title": {"zh": "边界", "en": "Boundaries"}, "entries": [
                entry("街道", "Street", STREET_LINE, "line"),
                entry("社区", "Community", COMMUNITY_LINE, "line"),
                entry("红色网格", "Red grid", PARTY_RED, "dash"),
            ]}),
        );
    }
    if set.layers.get("roads").is_some_and(|l| l.bounds.is_some()) {
        let [primary, secondary, _] = ROAD_COLOURS;
        sections.push(
            json!({"id": "roads", "title": {"zh": "步行路网", "en": "Walking network"}, "entries": [
                entry("主干道", "Arterial road", primary.1, "line"),
                entry("次干道", "Secondary road", secondary.1, "line"),
                entry("街巷", "Street or lane", STREET_FILL, "line"),
                entry("步行道", "Footway", FOOTWAY, "dash"),
            ]}),
        );
    }
    if set.layers.contains_key("coverage") {
        let [near, middle, far] = COVERAGE_COLOURS;
        sections.push(json!({"id": "coverage", "title": {"zh": "步行至最近服务点", "en": "Walk to the nearest service point"}, "entries": [
            entry("5 分钟内（300 米）", "Within 5 minutes (300 m)", near, "dot"),
            entry("300–600 米", "300–600 m", middle, "dot"),
            entry("600 米以上", "Over 600 m", far, "dot"),
            entry("3 公里内无服务点", "None within 3 km", "#9e9e9e", "dot"),
        ]}));
    }
    sections
}

/// The whole style.
pub fn style(set: &TileSet, inputs: StyleInputs<'_>) -> Value {
    let base = inputs.base;
    let mut sources: serde_json::Map<String, Value> = set
        .layers
        .keys()
        .map(|id| {
            let url = format!("{base}/tiles/{id}.json");
            // Areas and sites carry their own ids, so a page can style one by
            // feature state (a planner's choropleth) or find it again.
            let source = if ["streets", "communities", "grids", "sites"].contains(id) {
                json!({"type": "vector", "url": url, "promoteId": "id"})
            } else {
                json!({"type": "vector", "url": url})
            };
            ((*id).to_owned(), source)
        })
        .collect();
    let has_basemap = inputs.basemap.is_some();
    if let Some(source) = inputs.basemap {
        sources.insert("basemap".to_owned(), source);
    }
    let bounds = set.layers.get("land").and_then(|l| l.bounds);
    let (lon, lat) = bounds.map_or((0.0, 0.0), |b| ((b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0));
    json!({
        "version": 8,
        "name": "RedGrid",
        "center": [lon, lat],
        "zoom": 12,
        "metadata": {
            "redgrid:district": set.district_name,
            "redgrid:bounds": bounds,
            "redgrid:data_date": inputs.data_date,
            "redgrid:legend": legend(set),
        },
        "sources": sources,
        "layers": layers(set, has_basemap),
    })
}
