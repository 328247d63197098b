//! `GET /api/v1/coverage/gaps`: where uncovered people live, as dissolved H3 cells,
//! each with the people a path rather than a station would reach and the network's
//! nearest near-miss.

use axum::Json;
use axum::extract::State;
use geo::Centroid;
use serde_json::{Value, json};

use super::AppState;
use super::coverage::{Budget, BudgetParams, Covered, PlanBasis, centroids, covered};
use super::error::ApiError;
use super::extract::{FromParams, QueryParams, Valid};
use crate::coverage;

#[derive(Debug)]
pub struct GapsQuery {
    budget: Budget,
    resolution: h3o::Resolution,
}

impl FromParams for GapsQuery {
    fn from_params(q: &mut QueryParams) -> Option<Self> {
        let budget = Budget::from_params(q);
        let resolution = q
            .integer("resolution", 5..=11)
            .map_or(Some(coverage::GAP_RESOLUTION), |r| {
                h3o::Resolution::try_from(r as u8).ok()
            });
        Some(Self {
            budget: budget?,
            resolution: resolution?,
        })
    }
}

/// Where uncovered people live: H3 cells holding uncovered buildings, dissolved.
#[utoipa::path(get, path = "/api/v1/coverage/gaps", tag = "planners",
    params(
        BudgetParams,
        ("resolution" = Option<u8>, Query, description = "H3 resolution, 5–11 (default 11, ≈50 m across; coarser for low zooms)"),
    ),
    responses(
        (status = 200, description = "A FeatureCollection of (Multi)Polygons, largest population first, each with population, buildings and cells; `uncovered_population` equals their sum"),
        (status = 400, description = "Invalid parameters", body = super::error::Problem, content_type = "application/problem+json"),
    ))]
pub async fn gaps(
    State(state): State<AppState>,
    Valid(query): Valid<GapsQuery>,
) -> Result<Json<Value>, ApiError> {
    let s = state.clone();
    let budget = query.budget.clone();
    let answer = state
        .heavy
        .run(move || {
            let ds = s.store.dataset();
            let c = covered(&s, &budget);
            let points = centroids(ds);
            let population = coverage::populations(ds);
            let near = near_in_a_line(&s, &c, &budget);
            let demand = coverage::Demand {
                points: &points,
                population: &population,
                covered: &c.covered,
                near_in_a_line: &near,
            };
            let found = coverage::gaps(&demand, query.resolution);
            let uncovered: u64 = population
                .iter()
                .zip(&c.covered)
                .filter(|(_, c)| !**c)
                .map(|(&p, _)| u64::from(p))
                .sum();
            let features: Vec<Value> = found
                .iter()
                .enumerate()
                .map(|(rank, g)| {
                    json!({
                        "type": "Feature",
                        "geometry": geojson::Geometry::from(&g.area),
                        "properties": {
                            "rank": rank + 1,
                            "population": g.population,
                            "buildings": g.buildings,
                            "cells": g.cells.len(),
                            "resolution": u8::from(query.resolution),
                            "detour_excluded_population": g.detour_excluded,
                            "nearest_network_issue": nearest_issue(&s, &g.area),
                        },
                    })
                })
                .collect();
            json!({
                "type": "FeatureCollection",
                "features": features,
                "uncovered_population": uncovered,
                "resolution": u8::from(query.resolution),
                "cells": "a cell is a gap when it holds an uncovered building with residents; cells without buildings are no_population, never a gap",
                "detour_excluded": "people within the budget of a service point in a straight line but not on foot: a path is missing, not a station",
            })
        })
        .await?;
    let mut answer = answer;
    answer["basis"] = json!(PlanBasis::of(&state, &query.budget));
    Ok(Json(answer))
}

/// For each building, whether it is uncovered yet within the budget of a service
/// point in a straight line.
pub(super) fn near_in_a_line(state: &AppState, c: &Covered, budget: &Budget) -> Vec<bool> {
    let budget_m = f64::from(budget.budget_dm()) / 10.0;
    let ds = state.store.dataset();
    ds.buildings
        .iter()
        .zip(&c.covered)
        .map(|(b, &covered)| {
            !covered
                && b.geometry.centroid().is_some_and(|p| {
                    let (x, y) = state.indexes.projection.project_xy(p.x(), p.y());
                    state
                        .targets
                        .sites_near([x, y], budget_m)
                        .any(|i| c.service_point[i])
                })
        })
        .collect()
}

/// The near-miss of the walking network nearest a gap (from its centroid), if any.
fn nearest_issue(state: &AppState, area: &geo::MultiPolygon<f64>) -> Value {
    let Some(centre) = area.centroid() else {
        return Value::Null;
    };
    let (x, y) = state.indexes.projection.project_xy(centre.x(), centre.y());
    let distance = |p: [f64; 2]| ((p[0] - x).powi(2) + (p[1] - y).powi(2)).sqrt();
    state
        .gaps
        .gaps
        .iter()
        .min_by(|a, b| distance(a.at).total_cmp(&distance(b.at)))
        .map_or(Value::Null, |g| {
            let at = state
                .indexes
                .projection
                .unproject(g.at[0], g.at[1])
                .rounded7();
            json!({
                "kind": g.kind.name(),
                "gap_m": (g.gap_m * 100.0).round() / 100.0,
                "distance_m": distance(g.at).round(),
                "at": [at.lon(), at.lat()],
            })
        })
}
