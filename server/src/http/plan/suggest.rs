//! `POST /api/v1/plan/suggest`: ranked new sites covering the most uncovered people.

use axum::Json;
use axum::extract::State;
use geo::Point;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::{BudgetFields, MAX_POINTS, local_points, refuse};
use crate::coverage::{self, Level};
use crate::http::AppState;
use crate::http::coverage::{Budget, PlanBasis, covered};
use crate::http::error::{ApiError, FieldError};
use crate::http::extract::JsonBody;
use crate::model::SiteKind;

const MAX_COUNT: u32 = 50;
/// Candidate spacing along streets, metres.
const CANDIDATE_EVERY_M: f64 = 50.0;
const DEFAULT_MIN_SPACING_M: f64 = 200.0;

/// Where candidates come from.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(untagged)]
pub enum Candidates {
    /// `nodes` (a point every 50 m of public street, the default) or `sites`
    /// (co-building units, community centres not counted, alliances, red-property
    /// estates and the property centre).
    Named(String),
    /// The caller's own `[lon, lat]` points.
    Points(Vec<[f64; 2]>),
}

planning_body!(
    /// The body of `POST /api/v1/plan/suggest`.
    SuggestBody {
        /// How many new sites, 1–50.
        count: u32,
        /// nodes (default), sites, or a list of `[lon, lat]`.
        #[serde(default)]
        candidates: Option<Candidates>,
        /// A street, community or grid (id or code): only candidates inside it.
        #[serde(default)]
        within: Option<String>,
        /// Least straight-line distance between two suggestions, metres (default 200).
        #[serde(default)]
        min_spacing_m: Option<f64>,
    }
);

/// Ranked new sites covering the most uncovered people.
#[utoipa::path(post, path = "/api/v1/plan/suggest", tag = "planners",
    request_body(content = SuggestBody, description = "{count, preset|minutes|metres, speed, kinds, candidates: nodes|sites|[[lon, lat]…], within, min_spacing_m, crs}"),
    responses(
        (status = 200, description = "`{suggestions: [{lon, lat, gain_population, gain_buildings, cumulative_covered_population, cumulative_coverage_pct}…], before, basis, candidates, min_spacing_m, within}`, in the order chosen: gains never increase down the list"),
        (status = 400, description = "Invalid body", body = crate::http::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = crate::http::error::Problem, content_type = "application/problem+json"),
    ))]
pub async fn suggest(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<SuggestBody>,
) -> Result<Json<Value>, ApiError> {
    let mut errors = Vec::new();
    let budget = body.budget_fields().budget(&mut errors);
    if !(1..=MAX_COUNT).contains(&body.count) {
        errors.push(FieldError::new(
            "/body/count",
            format!("must be 1 to {MAX_COUNT}"),
        ));
    }
    let min_spacing_m = body.min_spacing_m.unwrap_or(DEFAULT_MIN_SPACING_M);
    if !(0.0..=5_000.0).contains(&min_spacing_m) {
        errors.push(FieldError::new(
            "/body/min_spacing_m",
            "must be 0 to 5,000 m",
        ));
    }
    let within = match &body.within {
        None => None,
        Some(id) => match state.areas.find(id) {
            Some(found) => Some(found),
            None => {
                errors.push(FieldError::new(
                    "/body/within",
                    format!("no street, community or grid with id or code {id:?}"),
                ));
                None
            }
        },
    };
    let candidates = body
        .candidates
        .clone()
        .unwrap_or(Candidates::Named("nodes".to_owned()));
    if let Candidates::Named(name) = &candidates
        && name != "nodes"
        && name != "sites"
    {
        errors.push(FieldError::new(
            "/body/candidates",
            format!("must be nodes, sites or a list of [lon, lat], got {name:?}"),
        ));
    }
    if let Candidates::Points(points) = &candidates
        && points.len() > MAX_POINTS
    {
        errors.push(FieldError::new(
            "/body/candidates",
            format!("at most {MAX_POINTS} points"),
        ));
    }
    let own_points = match (&candidates, &budget) {
        (Candidates::Points(points), Some((_, crs))) if points.len() <= MAX_POINTS => {
            local_points(&state, points, *crs, "candidates", &mut errors)
        }
        _ => Vec::new(),
    };
    refuse(errors)?;
    let Some((budget, _)) = budget else {
        return Err(ApiError::invalid("/body", "invalid body"));
    };
    let s = state.clone();
    let plan = Suggestion {
        count: body.count as usize,
        candidates,
        own_points,
        within,
        min_spacing_m,
    };
    let b = budget.clone();
    let mut answer = state.heavy.run(move || plan.run(&s, &b)).await?;
    answer["basis"] = json!(PlanBasis::of(&state, &budget));
    answer["min_spacing_m"] = json!(min_spacing_m);
    answer["within"] = json!(body.within);
    Ok(Json(answer))
}

struct Suggestion {
    count: usize,
    candidates: Candidates,
    own_points: Vec<[f64; 2]>,
    within: Option<(Level, u32)>,
    min_spacing_m: f64,
}

impl Suggestion {
    /// Whether a local point lies in the chosen area (and on the land).
    fn inside(&self, state: &AppState, p: [f64; 2]) -> bool {
        let point = Point::new(p[0], p[1]);
        let on_land = state.indexes.land.containing(point).is_some();
        on_land
            && self.within.is_none_or(|(level, i)| {
                let index = match level {
                    Level::Street => &state.indexes.streets,
                    Level::Community => &state.indexes.communities,
                    _ => &state.indexes.grids,
                };
                index.containing(point) == Some(i as usize)
            })
    }

    fn candidate_points(
        &self,
        state: &AppState,
        service_point: &[bool],
    ) -> (&'static str, Vec<[f64; 2]>) {
        let ds = state.store.dataset();
        match &self.candidates {
            Candidates::Points(_) => ("caller", self.own_points.clone()),
            Candidates::Named(name) if name == "sites" => {
                let eligible = |i: usize| {
                    let kind = ds.sites[i].props.kind;
                    matches!(
                        kind,
                        SiteKind::CoBuilding
                            | SiteKind::Alliance
                            | SiteKind::RedProperty
                            | SiteKind::PropertyCentre
                    ) || (kind == SiteKind::CommunityCentre && !service_point[i])
                };
                let points = (0..ds.sites.len())
                    .filter(|&i| eligible(i))
                    .filter_map(|i| state.targets.sites[i].as_ref().map(|p| p.point))
                    .filter(|&p| self.inside(state, p))
                    .collect();
                ("sites", points)
            }
            Candidates::Named(_) => (
                "nodes",
                coverage::node_candidates(&state.graph, CANDIDATE_EVERY_M, |p| {
                    self.inside(state, p)
                }),
            ),
        }
    }

    fn run(&self, state: &AppState, budget: &Budget) -> Value {
        let ds = state.store.dataset();
        let population = coverage::populations(ds);
        let c = covered(state, budget);
        let total: u64 = population.iter().map(|&p| u64::from(p)).sum();
        let covered_before: u64 = population
            .iter()
            .zip(&c.covered)
            .filter(|(_, c)| **c)
            .map(|(&p, _)| u64::from(p))
            .sum();
        let demand: Vec<usize> = (0..population.len())
            .filter(|&b| !c.covered[b] && population[b] > 0)
            .collect();
        let (source, points) = self.candidate_points(state, &c.service_point);
        let instance = state.reach.pool.with(|s| {
            coverage::covering_instance(
                &state.graph,
                &state.reach,
                &state.targets,
                s,
                &points,
                &demand,
                &population,
                budget.budget_dm(),
                self.min_spacing_m,
            )
        });
        let found = coverage::greedy_with_swap(&instance, self.count);
        let pct = |covered: u64| {
            if total == 0 {
                None
            } else {
                Some((covered as f64 * 10_000.0 / total as f64).round() / 100.0)
            }
        };
        let mut cumulative = covered_before;
        let suggestions: Vec<Value> = found
            .picks
            .iter()
            .map(|pick| {
                cumulative += pick.gain;
                let p = points[pick.candidate];
                let ll = state.indexes.projection.unproject(p[0], p[1]).rounded7();
                json!({
                    "lon": ll.lon(),
                    "lat": ll.lat(),
                    "gain_population": pick.gain,
                    "gain_buildings": instance.sets[pick.candidate].len(),
                    "cumulative_covered_population": cumulative,
                    "cumulative_coverage_pct": pct(cumulative),
                })
            })
            .collect();
        json!({
            "suggestions": suggestions,
            "before": {
                "population": total,
                "covered_population": covered_before,
                "coverage_pct": pct(covered_before),
            },
            "candidates": {
                "source": source,
                "count": points.len(),
                "covering_someone": instance.sets.iter().filter(|s| !s.is_empty()).count(),
            },
            "method": "maximal covering of the uncovered population: lazy greedy, then one swap pass; listed in greedy order of marginal gain",
        })
    }
}
