//! `POST /api/v1/plan/what-if`: coverage before and after adding and closing service
//! points, for the district and each street; and the body of a saved scenario.

use axum::Json;
use axum::extract::State;
use geo::Point;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::{BudgetFields, MAX_POINTS, local_points, refuse};
use crate::coverage::{self, Change, Level};
use crate::http::AppState;
use crate::http::coverage::{Budget, PlanBasis, row_json};
use crate::http::error::{ApiError, FieldError};
use crate::http::extract::JsonBody;
use crate::model::SiteKind;

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
        pub(crate) name: String,
        /// Who made it (default: the token's role).
        #[serde(default)]
        pub(crate) author: Option<String>,
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
        (status = 400, description = "Invalid body", body = crate::http::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = crate::http::error::Problem, content_type = "application/problem+json"),
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
