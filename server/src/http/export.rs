//! `GET /api/v1/export/planning.gpkg`: every planner layer under one walking budget
//! in one GeoPackage for QGIS: coverage by street, community and grid, gaps,
//! catchments, service points, buildings with their walk to the nearest service
//! point, and the basis as a table.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use geo::MultiPolygon;

use super::AppState;
use super::coverage::{Budget, Covered, PlanBasis, catchment_areas, centroids, covered};
use super::error::ApiError;
use super::extract::{FromParams, QueryParams, Valid};
use crate::coverage::{self, Level, Row};
use crate::gpkg::{Geometry, Kind, Layer, Value};

#[derive(Debug)]
pub struct ExportQuery {
    budget: Budget,
}

impl FromParams for ExportQuery {
    fn from_params(q: &mut QueryParams) -> Option<Self> {
        Some(Self {
            budget: Budget::from_params(q)?,
        })
    }
}

/// Every planner layer as a GeoPackage.
#[utoipa::path(get, path = "/api/v1/export/planning.gpkg", tag = "planners",
    params(
        super::coverage::BudgetParams,
    ),
    responses(
        (status = 200, description = "A GeoPackage (WGS-84) with layers streets_coverage, communities_coverage, grids_coverage, gaps, catchments, service_points, buildings and the attribute table basis", content_type = "application/geopackage+sqlite3"),
        (status = 400, description = "Invalid parameters", body = super::error::Problem, content_type = "application/problem+json"),
    ))]
pub async fn planning_gpkg(
    State(state): State<AppState>,
    Valid(query): Valid<ExportQuery>,
) -> Result<Response, ApiError> {
    let s = state.clone();
    let budget = query.budget.clone();
    let bytes = state
        .heavy
        .run(move || crate::gpkg::write(&layers(&s, &budget)))
        .await?
        .map_err(ApiError::Internal)?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/geopackage+sqlite3"),
    );
    let name = format!(
        "attachment; filename=\"redgrid_planning_{}m.gpkg\"",
        query.budget.metres()
    );
    if let Ok(v) = HeaderValue::from_str(&name) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}

fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

fn opt_text(s: Option<&str>) -> Value {
    s.map_or(Value::Null, text)
}

fn integer(v: impl TryInto<i64>) -> Value {
    v.try_into().map_or(Value::Null, Value::Integer)
}

fn real(v: Option<f64>) -> Value {
    v.map_or(Value::Null, Value::Real)
}

const COVERAGE_COLUMNS: [(&str, Kind); 8] = [
    ("id", Kind::Text),
    ("code", Kind::Text),
    ("name", Kind::Text),
    ("population", Kind::Integer),
    ("covered_population", Kind::Integer),
    ("uncovered_population", Kind::Integer),
    ("coverage_pct", Kind::Real),
    ("service_points", Kind::Integer),
];

fn columns(list: &[(&str, Kind)]) -> Vec<(String, Kind)> {
    list.iter().map(|(n, k)| ((*n).to_owned(), *k)).collect()
}

fn coverage_layer(
    state: &AppState,
    c: &Covered,
    level: Level,
    name: &str,
    shapes: &[&MultiPolygon<f64>],
) -> Layer {
    let table = coverage::tally(
        &state.areas,
        level,
        &coverage::populations(state.store.dataset()),
        &c.covered,
        &c.service_point,
    );
    let row_values = |r: &Row| {
        vec![
            text(r.area.id.clone()),
            opt_text(r.area.code.as_deref()),
            text(r.area.name.clone()),
            integer(r.population),
            integer(r.covered_population),
            integer(r.population - r.covered_population),
            real(r.coverage_pct()),
            integer(r.service_points),
        ]
    };
    Layer {
        name: name.to_owned(),
        description: format!("coverage by {}", level.as_str()),
        geometry: Some("MULTIPOLYGON"),
        columns: columns(&COVERAGE_COLUMNS),
        rows: table
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let shape = shapes.get(i).map(|m| Geometry::MultiPolygon((*m).clone()));
                (shape, row_values(r))
            })
            .collect(),
    }
}

/// The planner layers under `budget`.
fn layers(state: &AppState, budget: &Budget) -> Vec<Layer> {
    let ds = state.store.dataset();
    let c = covered(state, budget);
    let population = coverage::populations(ds);
    let streets: Vec<_> = ds.streets.iter().map(|f| &f.geometry).collect();
    let communities: Vec<_> = ds.communities.iter().map(|f| &f.geometry).collect();
    let grids: Vec<_> = ds.grids.iter().map(|f| &f.geometry).collect();
    let mut out = vec![
        coverage_layer(state, &c, Level::Street, "streets_coverage", &streets),
        coverage_layer(
            state,
            &c,
            Level::Community,
            "communities_coverage",
            &communities,
        ),
        coverage_layer(state, &c, Level::Grid, "grids_coverage", &grids),
    ];
    let points = centroids(ds);
    let near = super::gaps::near_in_a_line(state, &c, budget);
    let found = coverage::gaps(
        &coverage::Demand {
            points: &points,
            population: &population,
            covered: &c.covered,
            near_in_a_line: &near,
        },
        coverage::GAP_RESOLUTION,
    );
    out.push(Layer {
        name: "gaps".to_owned(),
        description: "H3 res 11 cells holding uncovered buildings with residents, dissolved"
            .to_owned(),
        geometry: Some("MULTIPOLYGON"),
        columns: columns(&[
            ("rank", Kind::Integer),
            ("population", Kind::Integer),
            ("buildings", Kind::Integer),
            ("cells", Kind::Integer),
            ("detour_excluded_population", Kind::Integer),
        ]),
        rows: found
            .iter()
            .enumerate()
            .map(|(i, g)| {
                (
                    Some(Geometry::MultiPolygon(g.area.clone())),
                    vec![
                        integer(i + 1),
                        integer(g.population),
                        integer(g.buildings),
                        integer(g.cells.len()),
                        integer(g.detour_excluded),
                    ],
                )
            })
            .collect(),
    });
    let catchments = catchment_areas(state, budget, &c, state.catchment_rules);
    let site_columns = columns(&[
        ("site_id", Kind::Text),
        ("name", Kind::Text),
        ("kind", Kind::Text),
        ("population_served", Kind::Integer),
        ("buildings_served", Kind::Integer),
        ("farthest_walk_m", Kind::Real),
        ("population_lost_if_removed", Kind::Integer),
        ("overloaded", Kind::Integer),
        ("redundant", Kind::Integer),
    ]);
    let site_values = |k: &coverage::Catchment| {
        let p = &ds.sites[k.site].props;
        vec![
            text(p.id.to_string()),
            text(p.name.clone()),
            text(p.kind.as_str().to_owned()),
            integer(k.population_served),
            integer(k.served.len()),
            real(k.farthest_walk_dm.map(|d| f64::from(d) / 10.0)),
            integer(k.population_lost_if_removed),
            integer(i64::from(k.overloaded)),
            integer(i64::from(k.redundant)),
        ]
    };
    out.push(Layer {
        name: "catchments".to_owned(),
        description: "the res 11 cells of the buildings each service point serves".to_owned(),
        geometry: Some("MULTIPOLYGON"),
        columns: site_columns.clone(),
        rows: catchments
            .iter()
            .map(|(k, area)| (area.clone().map(Geometry::MultiPolygon), site_values(k)))
            .collect(),
    });
    out.push(Layer {
        name: "service_points".to_owned(),
        description: "the sites counted as service points".to_owned(),
        geometry: Some("POINT"),
        columns: site_columns,
        rows: catchments
            .iter()
            .map(|(k, _)| {
                (
                    Some(Geometry::Point(ds.sites[k.site].geometry)),
                    site_values(k),
                )
            })
            .collect(),
    });
    out.push(Layer {
        name: "buildings".to_owned(),
        description: "each building's walk to its nearest service point within the budget"
            .to_owned(),
        geometry: Some("MULTIPOLYGON"),
        columns: columns(&[
            ("building_id", Kind::Text),
            ("address", Kind::Text),
            ("grid_id", Kind::Text),
            ("population", Kind::Integer),
            ("covered", Kind::Integer),
            ("walk_m", Kind::Real),
            ("nearest_site_id", Kind::Text),
        ]),
        rows: ds
            .buildings
            .iter()
            .zip(&c.field)
            .map(|(b, nearest)| {
                let p = &b.props;
                (
                    Some(Geometry::MultiPolygon(b.geometry.clone())),
                    vec![
                        text(p.id.to_string()),
                        text(p.address.clone()),
                        text(p.grid_id.to_string()),
                        integer(p.population),
                        integer(i64::from(nearest.is_some())),
                        real(nearest.map(|n| f64::from(n.dist_dm) / 10.0)),
                        nearest.map_or(Value::Null, |n| {
                            text(ds.sites[n.site as usize].props.id.to_string())
                        }),
                    ],
                )
            })
            .collect(),
    });
    let basis = PlanBasis::of(state, budget);
    out.push(Layer {
        name: "basis".to_owned(),
        description: "what every figure in this file is measured by".to_owned(),
        geometry: None,
        columns: columns(&[("name", Kind::Text), ("value", Kind::Text)]),
        rows: basis
            .pairs()
            .into_iter()
            .chain([("method", basis.method.to_owned())])
            .map(|(n, v)| (None, vec![text(n), text(v)]))
            .collect(),
    });
    out
}
