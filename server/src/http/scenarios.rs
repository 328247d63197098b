//! Saved what-if scenarios: `POST /api/v1/plan/scenarios` (planner or admin role)
//! computes a what-if and keeps it with its name and author; anyone the profile
//! admits reads it back at `GET /api/v1/plan/scenarios/{id}`, the URL planners share.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::AppState;
use super::error::ApiError;
use super::extract::{JsonBody, PathParams};
use super::plan::{ScenarioBody, what_if_answer};
use crate::auth::Caller;
use crate::store::SavedScenario;

const MAX_NAME_CHARS: usize = 100;

fn scenario_json(s: &SavedScenario) -> Value {
    json!({
        "id": s.id,
        "name": s.name,
        "author": s.author,
        "created": crate::model::beijing_date(s.created_unix_s),
        "created_unix_s": s.created_unix_s,
        "url": format!("/api/v1/plan/scenarios/{}", s.id),
        "request": s.request,
        "results": s.results,
    })
}

fn new_id() -> Result<String, ApiError> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::Internal(format!("no randomness: {e}")))?;
    Ok(format!(
        "sc_{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    ))
}

/// Save a what-if scenario.
#[utoipa::path(post, path = "/api/v1/plan/scenarios", tag = "planners",
    security(("bearer" = [])),
    request_body(content = ScenarioBody, description = "{name, author, add, remove, preset|minutes|metres, speed, kinds, crs}"),
    responses(
        (status = 201, description = "The saved scenario with its results and `url`; `Location` names it"),
        (status = 400, description = "Invalid body", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or unknown token", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not save scenarios", body = super::error::Problem, content_type = "application/problem+json"),
    ))]
pub async fn save(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<JsonBody<ScenarioBody>, ApiError>,
) -> Result<Response, ApiError> {
    // Who asks is checked before what is asked: a refused caller learns nothing of
    // the body's rules.
    let role = caller.role().ok_or_else(|| {
        ApiError::Unauthorized(
            "saving a scenario needs a bearer token with the planner role".to_owned(),
        )
    })?;
    if !role.may_save_scenarios() {
        return Err(ApiError::Forbidden(format!(
            "the {} role may not save scenarios",
            role.as_str()
        )));
    }
    let JsonBody(body) = body?;
    let name = body.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(ApiError::invalid(
            "/body/name",
            format!("must be 1 to {MAX_NAME_CHARS} characters"),
        ));
    }
    let what = body.what_if().validate(&state)?;
    let s = state.clone();
    let results = state.heavy.run(move || what_if_answer(&s, &what)).await?;
    let request = serde_json::to_value(body.what_if()).unwrap_or_default();
    let scenario = SavedScenario {
        id: new_id()?,
        name,
        author: body
            .author
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map_or_else(
                || role.as_str().to_owned(),
                |a| a.chars().take(MAX_NAME_CHARS).collect(),
            ),
        created_unix_s: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64),
        request,
        results,
    };
    state
        .scenarios
        .save(scenario.clone())
        .await
        .map_err(ApiError::Unavailable)?;
    let mut response = (StatusCode::CREATED, Json(scenario_json(&scenario))).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/plan/scenarios/{}", scenario.id))
    {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// A saved scenario.
#[utoipa::path(get, path = "/api/v1/plan/scenarios/{id}", tag = "planners",
    params(("id" = String, Path, description = "The scenario's id")),
    responses(
        (status = 200, description = "The scenario: name, author, created, request and results"),
        (status = 404, description = "No such scenario", body = super::error::Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(
    State(state): State<AppState>,
    PathParams(id): PathParams<String>,
) -> Result<Json<Value>, ApiError> {
    state
        .scenarios
        .get(&id)
        .await
        .map_err(ApiError::Unavailable)?
        .map(|s| Json(scenario_json(&s)))
        .ok_or_else(|| ApiError::NotFound(format!("no scenario {id}")))
}

/// Every saved scenario, newest first, without results.
#[utoipa::path(get, path = "/api/v1/plan/scenarios", tag = "planners",
    responses((status = 200, description = "`{scenarios: [{id, name, author, created, url}]}`")))]
pub async fn list(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let scenarios: Vec<Value> = state
        .scenarios
        .list()
        .await
        .map_err(ApiError::Unavailable)?
        .iter()
        .map(|s| {
            json!({
                "id": s.id, "name": s.name, "author": s.author,
                "created": crate::model::beijing_date(s.created_unix_s),
                "url": format!("/api/v1/plan/scenarios/{}", s.id),
            })
        })
        .collect();
    Ok(Json(json!({ "scenarios": scenarios })))
}
