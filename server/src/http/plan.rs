//! `POST /api/v1/plan/suggest` and `/api/v1/plan/what-if`: where new service points
//! would cover the most uncovered people, and what adding and removing points would
//! do, for the district and per street. Bodies carry points as `[lon, lat]` with an
//! optional top-level `crs`.

use axum::Json;
use axum::extract::State;
use geo::Point;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::AppState;
use super::coverage::{Budget, PlanBasis, covered, row_json};
use super::error::{ApiError, FieldError};
use super::extract::{JsonBody, QueryParams};
use super::walking::Walking;
use crate::coverage::{self, Change, Level};
use crate::geo::{Crs, LonLat};
use crate::model::SiteKind;

const MAX_COUNT: u32 = 50;
const MAX_POINTS: usize = 500;
/// Candidate spacing along streets, metres.
const CANDIDATE_EVERY_M: f64 = 50.0;
const DEFAULT_MIN_SPACING_M: f64 = 200.0;

/// Declares a request body: its own fields, then the walking budget, the
/// service-point kinds and the datum of its points, which every planning body takes.
macro_rules! planning_body {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $vis:vis $field:ident: $ty:ty,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $($(#[$fmeta])* $vis $field: $ty,)*
            /// A named preset: gb50180_5min, gb50180_10min or gb50180_15min.
            #[serde(default)]
            preset: Option<String>,
            /// Walking budget, minutes (default 5).
            #[serde(default)]
            minutes: Option<f64>,
            /// Walking speed, m/min (default 60).
            #[serde(default)]
            speed: Option<f64>,
            /// Walking budget, metres, instead of minutes.
            #[serde(default)]
            metres: Option<f64>,
            /// Site kinds counted as service points (default the four of the 5-minute circle).
            #[serde(default)]
            kinds: Option<Vec<SiteKind>>,
            /// wgs84 (default), gcj02, bd09 or cgcs2000: the datum of the body's points.
            #[serde(default)]
            crs: Option<String>,
        }

        impl $name {
            fn budget_fields(&self) -> BudgetFields {
                BudgetFields {
                    preset: self.preset.clone(),
                    minutes: self.minutes,
                    speed: self.speed,
                    metres: self.metres,
                    kinds: self.kinds.clone(),
                    crs: self.crs.clone(),
                }
            }
        }
    };
}

/// The walking budget, the service-point kinds and the datum of a body.
#[derive(Debug, Clone, Default)]
struct BudgetFields {
    preset: Option<String>,
    minutes: Option<f64>,
    speed: Option<f64>,
    metres: Option<f64>,
    kinds: Option<Vec<SiteKind>>,
    crs: Option<String>,
}

impl BudgetFields {
    /// The budget, read by the same rules as the query parameters; problems point
    /// into the body.
    fn budget(&self, errors: &mut Vec<FieldError>) -> Option<(Budget, Crs)> {
        let mut pairs = Vec::new();
        let mut put = |name: &str, v: Option<String>| {
            if let Some(v) = v {
                pairs.push((name.to_owned(), v));
            }
        };
        put("preset", self.preset.clone());
        put("minutes", self.minutes.map(|v| v.to_string()));
        put("speed", self.speed.map(|v| v.to_string()));
        put("metres", self.metres.map(|v| v.to_string()));
        let mut q = QueryParams::from_pairs(pairs);
        let walking = Walking::from_params(&mut q, &[5.0]);
        let crs: Option<Crs> = match &self.crs {
            None => Some(Crs::default()),
            Some(raw) => raw.parse().ok().or_else(|| {
                errors.push(FieldError::new(
                    "/body/crs",
                    format!("must be one of {}, got {raw:?}", Crs::NAMES.join(", ")),
                ));
                None
            }),
        };
        let walking = match (q.finish(false), walking) {
            (Ok(()), Some(w)) if w.metres.len() == 1 => Some(w),
            (Err(ApiError::InvalidParameters(found)), _) => {
                errors.extend(
                    found
                        .into_iter()
                        .map(|e| FieldError::new(format!("/body{}", e.pointer), e.reason)),
                );
                None
            }
            _ => None,
        };
        let kinds = self
            .kinds
            .clone()
            .unwrap_or_else(|| SiteKind::SERVICE_POINTS.to_vec());
        Some((Budget::of(walking?, kinds), crs?))
    }
}

/// Each `[lon, lat]` in `crs`, projected to local metres; a problem for each point
/// out of range or off the district's land.
fn local_points(
    state: &AppState,
    points: &[[f64; 2]],
    crs: Crs,
    field: &str,
    errors: &mut Vec<FieldError>,
) -> Vec<[f64; 2]> {
    let mut out = Vec::new();
    for (i, &[lon, lat]) in points.iter().enumerate() {
        let pointer = format!("/body/{field}/{i}");
        let Ok(given) = LonLat::new(lon, lat) else {
            errors.push(FieldError::new(
                pointer,
                format!("not a WGS-84 lon/lat: [{lon}, {lat}]"),
            ));
            continue;
        };
        let p = state.indexes.project(crs.to_wgs84(given));
        if state.indexes.land.containing(p).is_none() {
            errors.push(FieldError::new(pointer, "outside the district's land"));
            continue;
        }
        out.push([p.x(), p.y()]);
    }
    out
}

fn refuse(errors: Vec<FieldError>) -> Result<(), ApiError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::InvalidParameters(errors))
    }
}

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
        (status = 400, description = "Invalid body", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = super::error::Problem, content_type = "application/problem+json"),
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

planning_body!(
    /// The body of `POST /api/v1/plan/what-if`.
    WhatIfBody {
        /// New service points, `[lon, lat]`.
        #[serde(default)]
        add: Vec<[f64; 2]>,
        /// Ids of service points to close.
        #[serde(default)]
        remove: Vec<String>,
    }
);

planning_body!(
    /// The body of `POST /api/v1/plan/scenarios`: a what-if with a name.
    ScenarioBody {
        /// What the scenario is called, 1–100 characters.
        pub(super) name: String,
        /// Who made it (default: the token's role).
        #[serde(default)]
        pub(super) author: Option<String>,
        /// New service points, `[lon, lat]`.
        #[serde(default)]
        add: Vec<[f64; 2]>,
        /// Ids of service points to close.
        #[serde(default)]
        remove: Vec<String>,
    }
);

impl ScenarioBody {
    /// The what-if part of the body.
    pub fn what_if(&self) -> WhatIfBody {
        let b = self.budget_fields();
        WhatIfBody {
            add: self.add.clone(),
            remove: self.remove.clone(),
            preset: b.preset,
            minutes: b.minutes,
            speed: b.speed,
            metres: b.metres,
            kinds: b.kinds,
            crs: b.crs,
        }
    }
}

/// A change, validated: the budget and the change placed on the network.
pub struct WhatIf {
    pub budget: Budget,
    pub change: Change,
    pub added: Vec<[f64; 2]>,
    pub removed: Vec<String>,
}

impl WhatIfBody {
    pub fn validate(&self, state: &AppState) -> Result<WhatIf, ApiError> {
        let mut errors = Vec::new();
        let budget = self.budget_fields().budget(&mut errors);
        for (field, len) in [("add", self.add.len()), ("remove", self.remove.len())] {
            if len > MAX_POINTS {
                errors.push(FieldError::new(
                    format!("/body/{field}"),
                    format!("at most {MAX_POINTS}"),
                ));
            }
        }
        let mut change = Change::default();
        let mut added = Vec::new();
        if let Some((budget, crs)) = &budget {
            let ds = state.store.dataset();
            let mask = coverage::service_point_mask(ds, &budget.kinds);
            for (i, id) in self.remove.iter().enumerate() {
                let found = crate::model::Id::new(id.as_str()).ok();
                match found.as_ref().and_then(|id| ds.ids().sites.get(id)) {
                    Some(&s) if mask[s] => change.remove.push(s),
                    Some(_) => errors.push(FieldError::new(
                        format!("/body/remove/{i}"),
                        format!("{id} is not a service point of the kinds counted"),
                    )),
                    None => errors.push(FieldError::new(
                        format!("/body/remove/{i}"),
                        format!("no site {id}"),
                    )),
                }
            }
            if self.add.len() <= MAX_POINTS {
                let points = local_points(state, &self.add, *crs, "add", &mut errors);
                for (i, p) in points.into_iter().enumerate() {
                    match state.reach.place(&state.graph, p) {
                        Ok(placed) => {
                            added.push(p);
                            change.add.push(placed);
                        }
                        Err(e) => {
                            errors.push(FieldError::new(format!("/body/add/{i}"), e.to_string()))
                        }
                    }
                }
            }
        }
        refuse(errors)?;
        let Some((budget, _)) = budget else {
            return Err(ApiError::invalid("/body", "invalid body"));
        };
        Ok(WhatIf {
            budget,
            change,
            added,
            removed: self.remove.clone(),
        })
    }
}

/// Coverage before and after adding and removing service points.
#[utoipa::path(post, path = "/api/v1/plan/what-if", tag = "planners",
    request_body(content = WhatIfBody, description = "{add: [[lon, lat]…], remove: [site ids], preset|minutes|metres, speed, kinds, crs}"),
    responses(
        (status = 200, description = "`{before: {district, streets}, after: {district, streets}, delta: {district, streets}, basis}`; rows as in /api/v1/coverage"),
        (status = 400, description = "Invalid body", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = super::error::Problem, content_type = "application/problem+json"),
    ))]
pub async fn what_if(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<WhatIfBody>,
) -> Result<Json<Value>, ApiError> {
    let what = body.validate(&state)?;
    let s = state.clone();
    Ok(Json(
        state.heavy.run(move || what_if_answer(&s, &what)).await?,
    ))
}

/// The what-if answer: before and after for the district and per street.
pub fn what_if_answer(state: &AppState, what: &WhatIf) -> Value {
    let ds = state.store.dataset();
    let mask = coverage::service_point_mask(ds, &what.budget.kinds);
    let points: Vec<usize> = (0..mask.len()).filter(|&i| mask[i]).collect();
    let scenario = state.reach.pool.with(|s| {
        coverage::what_if(
            &state.graph,
            &state.targets,
            s,
            &points,
            &what.change,
            what.budget.budget_dm(),
        )
    });
    let population = coverage::populations(ds);
    let mut after_mask = mask.clone();
    for &r in &what.change.remove {
        after_mask[r] = false;
    }
    let tables = |covered: &[bool], sites: &[bool]| {
        let district = coverage::tally(&state.areas, Level::District, &population, covered, sites);
        let streets = coverage::tally(&state.areas, Level::Street, &population, covered, sites);
        (district, streets)
    };
    let (d0, s0) = tables(&scenario.before, &mask);
    let (d1, mut s1) = tables(&scenario.after, &after_mask);
    // Added points count in the street they stand in.
    let mut d1 = d1;
    for p in &what.added {
        d1.total.service_points += 1;
        if let Some(i) = state.indexes.streets.containing(Point::new(p[0], p[1]))
            && let Some(row) = s1.rows.get_mut(i)
        {
            row.service_points += 1;
        }
    }
    let delta = |a: &coverage::Row, b: &coverage::Row| {
        json!({
            "id": a.area.id,
            "name": a.area.name,
            "covered_population": b.covered_population as i64 - a.covered_population as i64,
            "coverage_pct": match (a.coverage_pct(), b.coverage_pct()) {
                (Some(x), Some(y)) => Some(((y - x) * 100.0).round() / 100.0),
                _ => None,
            },
            "service_points": i64::from(b.service_points) - i64::from(a.service_points),
        })
    };
    json!({
        "before": {"district": row_json(&d0.total), "streets": s0.rows.iter().map(row_json).collect::<Vec<_>>()},
        "after": {"district": row_json(&d1.total), "streets": s1.rows.iter().map(row_json).collect::<Vec<_>>()},
        "delta": {
            "district": delta(&d0.total, &d1.total),
            "streets": s0.rows.iter().zip(&s1.rows).map(|(a, b)| delta(a, b)).collect::<Vec<_>>(),
        },
        "added": what.added.iter().map(|p| {
            let ll = state.indexes.projection.unproject(p[0], p[1]).rounded7();
            [ll.lon(), ll.lat()]
        }).collect::<Vec<_>>(),
        "removed": what.removed,
        "basis": PlanBasis::of(state, &what.budget),
    })
}
