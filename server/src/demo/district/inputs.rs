//! The district generator's inputs: the real land, bus stops and register of streets
//! and communities (`data/sources/places/`), and the generated walking network, all
//! in the network generator's local projection.

use std::path::Path;

use geo::Coord;

use crate::demo::network::inputs::Inputs as NetworkInputs;
use crate::error::{Error, Result};

/// A 街道 of the register, with its real proxy point when it has one.
pub struct StreetEntry {
    pub code: String,
    pub name: String,
    pub proxy: Option<Coord<f64>>,
}

/// A 社区 (community committee) of the register.
pub struct CommunityEntry {
    pub code: String,
    /// The register's name, e.g. 友谊街社区居民委员会.
    pub name: String,
    pub street_code: String,
}

/// A line of the walking network.
pub struct NetLine {
    pub coords: Vec<Coord<f64>>,
    pub highway: String,
    pub private: bool,
    pub bridge: bool,
    pub name: Option<String>,
}

impl NetLine {
    /// A line that bounds blocks: any public line at ground level (private compound
    /// roads and footbridges lie inside or over blocks).
    pub fn bounds_blocks(&self) -> bool {
        !self.private && !self.bridge
    }
}

pub struct Inputs {
    pub base: NetworkInputs,
    pub streets: Vec<StreetEntry>,
    pub communities: Vec<CommunityEntry>,
    pub network: Vec<NetLine>,
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })
}

fn invalid(path: &Path, reason: impl Into<String>) -> Error {
    Error::InvalidFile {
        file: path.display().to_string(),
        reason: reason.into(),
    }
}

/// Rows of a simple CSV (no quoted commas), keyed by the header.
fn csv_rows(path: &Path, columns: &[&str]) -> Result<Vec<Vec<String>>> {
    let text = read_text(path)?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines
        .next()
        .ok_or_else(|| invalid(path, "empty file"))?
        .trim_start_matches('\u{feff}')
        .split(',')
        .collect();
    let index: Vec<usize> = columns
        .iter()
        .map(|c| {
            header
                .iter()
                .position(|h| h == c)
                .ok_or_else(|| invalid(path, format!("no column {c}")))
        })
        .collect::<Result<_>>()?;
    Ok(lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            index
                .iter()
                .map(|&i| cells.get(i).unwrap_or(&"").trim().to_owned())
                .collect()
        })
        .collect())
}

fn collection(path: &Path) -> Result<geojson::FeatureCollection> {
    read_text(path)?
        .parse::<geojson::GeoJson>()
        .ok()
        .and_then(|g| geojson::FeatureCollection::try_from(g).ok())
        .ok_or_else(|| invalid(path, "expected a GeoJSON FeatureCollection"))
}

impl Inputs {
    pub fn read(data_dir: &Path, sources_dir: &Path) -> Result<Self> {
        let base = NetworkInputs::read(data_dir, sources_dir)?;
        let project = |lon: f64, lat: f64| {
            let (x, y) = base.projection.project_xy(lon, lat);
            Coord { x, y }
        };

        let places = sources_dir.join("places");
        let proxies_path = places.join("zhifu_subdistricts_wgs84.geojson");
        let proxies = collection(&proxies_path)?;
        let proxy_of = |code: &str| {
            proxies.features.iter().find_map(|f| {
                let same = f.property("code").and_then(|c| c.as_str()) == Some(code);
                match f.geometry.as_ref().map(|g| &g.value) {
                    Some(geojson::Value::Point(p)) if same && p.len() >= 2 => {
                        Some(project(p[0], p[1]))
                    }
                    _ => None,
                }
            })
        };
        let streets = csv_rows(
            &places.join("zhifu_subdistricts_nbs2023.csv"),
            &["code", "name"],
        )?
        .into_iter()
        .map(|row| StreetEntry {
            proxy: proxy_of(&row[0]),
            code: row[0].clone(),
            name: row[1].clone(),
        })
        .collect();
        let communities = csv_rows(
            &places.join("zhifu_communities_nbs2023.csv"),
            &["code", "name", "subdistrict_code"],
        )?
        .into_iter()
        .map(|row| CommunityEntry {
            code: row[0].clone(),
            name: row[1].clone(),
            street_code: row[2].clone(),
        })
        .collect();

        let network_path = data_dir.join("walk_network.geojson");
        let network = collection(&network_path)?
            .features
            .iter()
            .filter_map(|f| {
                let geojson::Value::LineString(line) = &f.geometry.as_ref()?.value else {
                    return None;
                };
                let text = |k: &str| f.property(k).and_then(|v| v.as_str()).map(str::to_owned);
                Some(NetLine {
                    coords: line
                        .iter()
                        .filter(|p| p.len() >= 2)
                        .map(|p| project(p[0], p[1]))
                        .collect(),
                    highway: text("highway").unwrap_or_default(),
                    private: text("access").as_deref() == Some("private"),
                    bridge: f.property("bridge").and_then(|b| b.as_bool()) == Some(true),
                    name: text("name"),
                })
            })
            .collect();
        Ok(Self {
            base,
            streets,
            communities,
            network,
        })
    }
}
