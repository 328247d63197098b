//! `GET /api/v1/coverage`, `/api/v1/coverage/gaps` and `/api/v1/catchments`: who is
//! within one walking budget of a service point, by area, where the uncovered live,
//! and what each service point serves. Every answer states its basis.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use geo::Centroid;
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::AppState;
use super::error::ApiError;
use super::extract::{FromParams, QueryParams, Valid};
use super::walking::Walking;
use crate::coverage::{self, CatchmentRules, Level, Row, Table};
use crate::model::SiteKind;
use crate::store::LayerId;

/// One walking budget and the kinds of site that count as service points.
#[derive(Debug, Clone)]
pub struct Budget {
    pub walking: Walking,
    pub kinds: Vec<SiteKind>,
}

impl Budget {
    /// Reads `minutes` (one value, default 5) with `speed`, or `metres`, or `preset`,
    /// and `kinds`.
    pub fn from_params(q: &mut QueryParams) -> Option<Self> {
        let walking = Walking::from_params(q, &[5.0]);
        let kinds = match q.text("kinds") {
            None => Some(SiteKind::SERVICE_POINTS.to_vec()),
            Some(raw) => match super::reach::kinds_of(&raw) {
                Ok(kinds) => Some(kinds),
                Err(reason) => {
                    q.reject("kinds", reason);
                    None
                }
            },
        };
        let walking = walking?;
        if walking.metres.len() != 1 {
            let given = if q.given("metres") {
                "metres"
            } else {
                "minutes"
            };
            q.reject(given, "give one walking budget");
            return None;
        }
        Some(Self {
            walking,
            kinds: kinds?,
        })
    }

    /// From the parts of a request body.
    pub fn of(walking: Walking, kinds: Vec<SiteKind>) -> Self {
        Self { walking, kinds }
    }

    pub fn metres(&self) -> f64 {
        self.walking.metres[0]
    }

    pub fn budget_dm(&self) -> u32 {
        (self.metres() * 10.0).round() as u32
    }
}

/// The walking budget and service-point kinds every planning query takes, as the
/// OpenAPI description lists them; [`Budget::from_params`] reads the values.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct BudgetParams {
    /// gb50180_5min (300 m), gb50180_10min (500 m) or gb50180_15min (1,000 m)
    preset: Option<String>,
    /// Walking budget, minutes (default 5)
    minutes: Option<f64>,
    /// Walking speed, m/min (default 60)
    speed: Option<f64>,
    /// Walking budget, metres, instead of minutes
    metres: Option<f64>,
    /// Comma list of site kinds counted as service points (default: district_centre,
    /// street_centre, community_centre, station)
    kinds: Option<String>,
}

/// What a planning figure is measured by.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanBasis {
    /// The preset, when one was named.
    pub preset: Option<&'static str>,
    /// The walking budget, metres along the network.
    pub metres: f64,
    pub minutes: f64,
    pub speed_m_per_min: f64,
    /// The site kinds counted as service points (a station hosted in a counted
    /// centre counts once).
    pub kinds: Vec<String>,
    /// Which walking network, and its data version.
    pub network: String,
    pub network_version: String,
    /// Data versions of the layers the figure reads.
    pub data_versions: BTreeMap<&'static str, String>,
    /// The newest modification date of the loaded data files.
    pub data_date: Option<String>,
    /// True while any layer read is generated demo data.
    pub synthetic: bool,
    /// How people and coverage are counted.
    pub method: &'static str,
}

impl PlanBasis {
    pub fn of(state: &AppState, budget: &Budget) -> Self {
        let ds = state.store.dataset();
        let layers = [
            LayerId::Streets,
            LayerId::Communities,
            LayerId::Grids,
            LayerId::Buildings,
            LayerId::Sites,
            LayerId::WalkNetwork,
        ];
        let network = ds.layer(LayerId::WalkNetwork);
        Self {
            preset: budget.walking.preset,
            metres: budget.metres(),
            minutes: (budget.metres() / budget.walking.speed * 100.0).round() / 100.0,
            speed_m_per_min: budget.walking.speed,
            kinds: budget
                .kinds
                .iter()
                .filter_map(|k| serde_json::to_value(k).ok()?.as_str().map(str::to_owned))
                .collect(),
            network: ds.network_file.clone(),
            network_version: network.version.clone(),
            data_versions: layers
                .iter()
                .map(|&l| (l.as_str(), ds.layer(l).version.clone()))
                .collect(),
            data_date: ds.data_date.clone(),
            synthetic: layers.iter().any(|&l| ds.layer(l).synthetic),
            method: "each building's residents count as covered when the walking distance on the network from its entrance (else its centroid) to the nearest service point (its entrance, else its point) is within the budget; a building more than the snap radius from the network is uncovered",
        }
    }

    /// The basis as (name, value) pairs, for CSV columns and a basis sheet.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("preset", self.preset.unwrap_or_default().to_owned()),
            ("metres", self.metres.to_string()),
            ("minutes", self.minutes.to_string()),
            ("speed_m_per_min", self.speed_m_per_min.to_string()),
            ("kinds", self.kinds.join(" ")),
            (
                "network",
                format!("{} ({})", self.network, self.network_version),
            ),
            ("data_date", self.data_date.clone().unwrap_or_default()),
            ("synthetic", self.synthetic.to_string()),
        ]
    }
}

/// The service-point mask and every building's coverage under a budget.
pub struct Covered {
    pub service_point: Vec<bool>,
    pub field: Vec<Option<crate::reach::Nearest>>,
    pub covered: Vec<bool>,
}

pub fn covered(state: &AppState, budget: &Budget) -> Covered {
    let ds = state.store.dataset();
    let service_point = coverage::service_point_mask(ds, &budget.kinds);
    let field = state.reach.pool.with(|s| {
        coverage::field(
            &state.graph,
            &state.targets,
            s,
            &service_point,
            budget.budget_dm(),
        )
    });
    let covered = field.iter().map(Option::is_some).collect();
    Covered {
        service_point,
        field,
        covered,
    }
}

/// Each building's centroid, lon/lat.
pub fn centroids(ds: &crate::store::Dataset) -> Vec<Option<[f64; 2]>> {
    ds.buildings
        .iter()
        .map(|b| b.geometry.centroid().map(|p| [p.x(), p.y()]))
        .collect()
}

/// The coverage table of a level.
pub fn table(state: &AppState, budget: &Budget, level: Level) -> Table {
    let c = covered(state, budget);
    coverage::tally(
        &state.areas,
        level,
        &coverage::populations(state.store.dataset()),
        &c.covered,
        &c.service_point,
    )
}

pub fn row_json(row: &Row) -> Value {
    json!({
        "id": row.area.id,
        "code": row.area.code,
        "name": row.area.name,
        "population": row.population,
        "covered_population": row.covered_population,
        "uncovered_population": row.population - row.covered_population,
        "coverage_pct": row.coverage_pct(),
        "buildings": row.buildings,
        "covered_buildings": row.covered_buildings,
        "service_points": row.service_points,
    })
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Format {
    Json,
    Csv,
    Xlsx,
}

#[derive(Debug)]
pub struct CoverageQuery {
    budget: Budget,
    level: Level,
    format: Format,
}

impl FromParams for CoverageQuery {
    fn from_params(q: &mut QueryParams) -> Option<Self> {
        let budget = Budget::from_params(q);
        let level = match q.text("level") {
            None => Some(Level::Street),
            Some(raw) => raw.parse::<Level>().ok().or_else(|| {
                let names = Level::NAMES.join(", ");
                q.reject("level", format!("must be one of {names}, got {raw:?}"));
                None
            }),
        };
        let format = match q.text("format").as_deref() {
            None | Some("json") => Some(Format::Json),
            Some("csv") => Some(Format::Csv),
            Some("xlsx") => Some(Format::Xlsx),
            Some(other) => {
                q.reject(
                    "format",
                    format!("must be json, csv or xlsx, got {other:?}"),
                );
                None
            }
        };
        Some(Self {
            budget: budget?,
            level: level?,
            format: format?,
        })
    }
}

/// Coverage by area under one walking budget.
#[utoipa::path(get, path = "/api/v1/coverage", tag = "planners",
    params(
        BudgetParams,
        ("level" = Option<String>, Query, description = "district, street (default), community or grid"),
        ("format" = Option<String>, Query, description = "json (default), csv (UTF-8 with BOM) or xlsx"),
    ),
    responses(
        (status = 200, description = "`{basis, level, rows: [{id, code, name, population, covered_population, uncovered_population, coverage_pct, buildings, covered_buildings, service_points}], total}`; rows sum to the total exactly. As CSV or XLSX with format="),
        (status = 400, description = "Invalid parameters", body = super::error::Problem, content_type = "application/problem+json"),
    ))]
pub async fn coverage(
    State(state): State<AppState>,
    Valid(query): Valid<CoverageQuery>,
) -> Result<Response, ApiError> {
    let s = state.clone();
    let budget = query.budget.clone();
    let table = state
        .heavy
        .run(move || table(&s, &budget, query.level))
        .await?;
    let basis = PlanBasis::of(&state, &query.budget);
    let file = format!("coverage_{}_{}m", query.level.as_str(), basis.metres);
    let download = |body: Vec<u8>, mime: &'static str, ext: &str| {
        let mut response = body.into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
        if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file}.{ext}\"")) {
            headers.insert(header::CONTENT_DISPOSITION, v);
        }
        response
    };
    Ok(match query.format {
        Format::Json => Json(json!({
            "basis": basis,
            "level": query.level.as_str(),
            "rows": table.rows.iter().map(row_json).collect::<Vec<_>>(),
            "total": row_json(&table.total),
        }))
        .into_response(),
        Format::Csv => download(
            coverage::export::csv(&table, &basis.pairs()),
            "text/csv; charset=utf-8",
            "csv",
        ),
        Format::Xlsx => download(
            coverage::export::xlsx(&table, &basis.pairs())
                .map_err(|e| ApiError::Internal(format!("xlsx: {e}")))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
    })
}

#[derive(Debug)]
pub struct CatchmentsQuery {
    budget: Budget,
    max_population: Option<u64>,
    redundant_population: Option<u64>,
}

impl FromParams for CatchmentsQuery {
    fn from_params(q: &mut QueryParams) -> Option<Self> {
        let budget = Budget::from_params(q);
        let max_population = q.integer("max_population", 1..=10_000_000);
        let redundant_population = q.integer("redundant_population", 0..=10_000_000);
        Some(Self {
            budget: budget?,
            max_population,
            redundant_population,
        })
    }
}

/// Each service point's network catchment.
#[utoipa::path(get, path = "/api/v1/catchments", tag = "planners",
    params(
        BudgetParams,
        ("max_population" = Option<u64>, Query, description = "More people served than this is `overloaded` (default from the server's configuration, 5,000 unless set: an assumption)"),
        ("redundant_population" = Option<u64>, Query, description = "Closing a point that loses at most this many people's coverage is `redundant` (default from the server's configuration, 50 unless set: an assumption)"),
    ),
    responses(
        (status = 200, description = "A FeatureCollection, one feature per service point: geometry the H3 cells (res 11) of the buildings it serves, dissolved (null when none); properties id, name, kind, lon, lat, population_served, buildings_served, farthest_walk_m, population_in_reach, population_lost_if_removed, overloaded, redundant; `rules` echoes the thresholds"),
        (status = 400, description = "Invalid parameters", body = super::error::Problem, content_type = "application/problem+json"),
    ))]
pub async fn catchments(
    State(state): State<AppState>,
    Valid(query): Valid<CatchmentsQuery>,
) -> Result<Json<Value>, ApiError> {
    let s = state.clone();
    let budget = query.budget.clone();
    let defaults = state.catchment_rules;
    let rules = CatchmentRules {
        max_population: query.max_population.unwrap_or(defaults.max_population),
        redundant_population: query
            .redundant_population
            .unwrap_or(defaults.redundant_population),
    };
    let mut answer = state
        .heavy
        .run(move || catchment_collection(&s, &budget, rules))
        .await?;
    answer["basis"] = json!(PlanBasis::of(&state, &query.budget));
    answer["rules"] = json!({
        "max_population": rules.max_population,
        "redundant_population": rules.redundant_population,
        "note": "planning assumptions, not norms: overloaded when more people are served than max_population; redundant when closing the point would leave at most redundant_population people uncovered",
    });
    Ok(Json(answer))
}

/// Every service point's catchment under a budget, with the dissolved H3 cells of the
/// buildings it serves (lon/lat; `None` when it serves nobody).
pub fn catchment_areas(
    state: &AppState,
    budget: &Budget,
    c: &Covered,
    rules: CatchmentRules,
) -> Vec<(coverage::Catchment, Option<geo::MultiPolygon<f64>>)> {
    let ds = state.store.dataset();
    let sites: Vec<usize> = (0..ds.sites.len())
        .filter(|&i| c.service_point[i] && state.targets.sites[i].is_some())
        .collect();
    let reached: Vec<Vec<coverage::Reached>> = state.reach.pool.with(|s| {
        sites
            .iter()
            .filter_map(|&i| state.targets.sites[i].as_ref())
            .map(|placed| {
                coverage::reached_from(&state.graph, &state.targets, s, placed, budget.budget_dm())
            })
            .collect()
    });
    let population = coverage::populations(ds);
    let cell_of = |b: u32| {
        let p = ds.buildings[b as usize].geometry.centroid()?;
        Some(
            h3o::LatLng::new(p.y(), p.x())
                .ok()?
                .to_cell(coverage::GAP_RESOLUTION),
        )
    };
    coverage::catchments(&c.field, &sites, &reached, &population, rules)
        .into_iter()
        .map(|k| {
            let mut cells: Vec<h3o::CellIndex> =
                k.served.iter().filter_map(|&b| cell_of(b)).collect();
            cells.sort_unstable();
            cells.dedup();
            let area = (!cells.is_empty()).then(|| coverage::dissolve(&cells));
            (k, area)
        })
        .collect()
}

fn catchment_collection(state: &AppState, budget: &Budget, rules: CatchmentRules) -> Value {
    let ds = state.store.dataset();
    let c = covered(state, budget);
    let features: Vec<Value> = catchment_areas(state, budget, &c, rules)
        .iter()
        .map(|(k, area)| {
            let site = &ds.sites[k.site];
            json!({
                "type": "Feature",
                "id": site.props.id,
                "geometry": area.as_ref().map(geojson::Geometry::from),
                "properties": {
                    "id": site.props.id,
                    "name": site.props.name,
                    "kind": site.props.kind,
                    "lon": site.geometry.x(),
                    "lat": site.geometry.y(),
                    "population_served": k.population_served,
                    "buildings_served": k.served.len(),
                    "farthest_walk_m": k.farthest_walk_dm.map(|d| f64::from(d) / 10.0),
                    "population_in_reach": k.population_in_reach,
                    "population_lost_if_removed": k.population_lost_if_removed,
                    "overloaded": k.overloaded,
                    "redundant": k.redundant,
                },
            })
        })
        .collect();
    json!({"type": "FeatureCollection", "features": features})
}
