//! Grid workers (`POST /api/v1/workers`, `PATCH`/`DELETE /api/v1/workers/{id}`:
//! create, update, reassign grids, deactivate) and the attributes staff keep up to
//! date on grids and buildings (`PATCH /api/v1/grids/{id}`, `/api/v1/buildings/{id}`).
//! Shapes change only by import, where topology is checked.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::Value;

use super::{Change, WriteProblems, Writer, answer, apply, feature, merge_patch, table, typed};
use crate::http::AppState;
use crate::http::error::{ApiError, FieldError};
use crate::http::extract::{JsonBody, PathParams};
use crate::model::{BuildingProps, GridProps, Worker};
use crate::store::postgis::tables::Row;

/// The grids a worker serves must exist.
fn known_grids(state: &AppState, worker: &Value) -> Result<(), ApiError> {
    let ids = state.store.dataset().ids();
    let errors: Vec<FieldError> = worker["grid_ids"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
        .filter(|(_, g)| {
            !g.as_str()
                .and_then(|g| crate::model::Id::new(g).ok())
                .is_some_and(|g| ids.grids.contains_key(&g))
        })
        .map(|(i, g)| FieldError::new(format!("/body/grid_ids/{i}"), format!("no grid {g}")))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::InvalidParameters(errors))
    }
}

fn worker_row(state: &AppState, id: &str, mut record: Value) -> Result<Row, ApiError> {
    if !record.is_object() {
        return Err(ApiError::invalid("/body", "must be a JSON object"));
    }
    record["id"] = Value::from(id);
    let record = typed::<Worker>(record, "/body")?;
    known_grids(state, &record)?;
    Ok(Row {
        id: Some(id.to_owned()),
        props: record,
        geometry: None,
    })
}

/// Add a grid worker.
#[utoipa::path(post, path = "/api/v1/workers", tag = "admin",
    security(("bearer" = [])),
    request_body(content = Object, description = "{name, phone, grid_ids}; the id is given by the server"),
    responses(
        (status = 201, description = "The stored worker; `ETag` is its version"),
        WriteProblems,
    ))]
pub async fn create_worker(
    State(state): State<AppState>,
    writer: Writer,
    headers: HeaderMap,
    JsonBody(body): JsonBody<Value>,
) -> Result<Response, ApiError> {
    if body.get("id").is_some() {
        return Err(ApiError::invalid("/body/id", "ids are given by the server"));
    }
    let change = Change {
        table: table("workers")?,
        id: Err(('W', 4)),
        action: "create",
        existing: false,
    };
    let applied = apply(&state, &writer, &headers, change, |id, _| {
        worker_row(&state, id, body).map(Some)
    })
    .await?;
    let props = applied.after.map(|r| r.props).unwrap_or_default();
    Ok(answer(StatusCode::CREATED, props, applied.written.version))
}

/// Change a grid worker (an RFC 7386 merge patch; `grid_ids` reassigns grids).
#[utoipa::path(patch, path = "/api/v1/workers/{id}", tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The worker's id"),
        ("If-Match" = Option<String>, Header, description = "The version (ETag) the change was made against")),
    request_body(content = Object, description = "A merge patch of {name, phone, grid_ids}"),
    responses(
        (status = 200, description = "The stored worker; `ETag` is its new version"),
        (status = 404, description = "No such active worker", body = crate::http::error::Problem, content_type = "application/problem+json"),
        WriteProblems,
    ))]
pub async fn update_worker(
    State(state): State<AppState>,
    writer: Writer,
    headers: HeaderMap,
    PathParams(id): PathParams<String>,
    JsonBody(patch): JsonBody<Value>,
) -> Result<Response, ApiError> {
    if patch
        .get("id")
        .is_some_and(|given| given != &Value::from(id.as_str()))
    {
        return Err(ApiError::invalid(
            "/body/id",
            "a worker's id does not change",
        ));
    }
    let change = Change {
        table: table("workers")?,
        id: Ok(id),
        action: "update",
        existing: true,
    };
    let applied = apply(&state, &writer, &headers, change, |id, before| {
        let mut record = before.map(|b| b.props.clone()).unwrap_or_default();
        merge_patch(&mut record, &patch);
        worker_row(&state, id, record).map(Some)
    })
    .await?;
    let props = applied.after.map(|r| r.props).unwrap_or_default();
    Ok(answer(StatusCode::OK, props, applied.written.version))
}

/// Deactivate a grid worker (kept, for the audit log, but no longer served).
#[utoipa::path(delete, path = "/api/v1/workers/{id}", tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The worker's id"),
        ("If-Match" = Option<String>, Header, description = "The version (ETag) the change was decided on")),
    responses(
        (status = 204, description = "Deactivated"),
        (status = 404, description = "No such active worker", body = crate::http::error::Problem, content_type = "application/problem+json"),
        WriteProblems,
    ))]
pub async fn delete_worker(
    State(state): State<AppState>,
    writer: Writer,
    headers: HeaderMap,
    PathParams(id): PathParams<String>,
) -> Result<StatusCode, ApiError> {
    let change = Change {
        table: table("workers")?,
        id: Ok(id),
        action: "deactivate",
        existing: true,
    };
    apply(&state, &writer, &headers, change, |_, _| Ok(None)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Patches the `properties` of an area or building, only in `editable` members,
/// and answers with the stored Feature.
async fn patch_attributes<T: serde::de::DeserializeOwned + serde::Serialize>(
    state: &AppState,
    writer: &Writer,
    headers: &HeaderMap,
    layer: &str,
    id: String,
    body: &Value,
    editable: &[&str],
) -> Result<Response, ApiError> {
    let Value::Object(members) = body else {
        return Err(ApiError::invalid("/body", "must be a JSON object"));
    };
    let mut errors: Vec<FieldError> = members
        .keys()
        .filter(|k| *k != "properties")
        .map(|k| {
            FieldError::new(
                format!("/body/{k}"),
                "only `properties` may be patched here; shapes change by import",
            )
        })
        .collect();
    let patch = members.get("properties").cloned().unwrap_or_default();
    if let Value::Object(props) = &patch {
        errors.extend(
            props
                .keys()
                .filter(|k| !editable.contains(&k.as_str()))
                .map(|k| {
                    FieldError::new(
                        format!("/body/properties/{k}"),
                        format!("not editable here; editable: {}", editable.join(", ")),
                    )
                }),
        );
    } else {
        errors.push(FieldError::new("/body/properties", "must be an object"));
    }
    if !errors.is_empty() {
        return Err(ApiError::InvalidParameters(errors));
    }
    let change = Change {
        table: table(layer)?,
        id: Ok(id),
        action: "update",
        existing: true,
    };
    let applied = apply(state, writer, headers, change, |id, before| {
        let before = before.ok_or_else(|| ApiError::NotFound(format!("no {layer} record {id}")))?;
        let mut props = before.props.clone();
        merge_patch(&mut props, &patch);
        Ok(Some(Row {
            props: typed::<T>(props, "/body/properties")?,
            ..before.clone()
        }))
    })
    .await?;
    let row = applied
        .after
        .ok_or_else(|| ApiError::Internal("no row".to_owned()))?;
    Ok(answer(
        StatusCode::OK,
        feature(&row),
        applied.written.version,
    ))
}

/// Change a grid's attributes.
#[utoipa::path(patch, path = "/api/v1/grids/{id}", tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The grid's id"),
        ("If-Match" = Option<String>, Header, description = "The version (ETag) the change was made against")),
    request_body(content = Object, description = "{properties: merge patch of name, party_branch, population, households, public_contact}"),
    responses(
        (status = 200, description = "The stored grid; `ETag` is its new version"),
        (status = 404, description = "No such grid", body = crate::http::error::Problem, content_type = "application/problem+json"),
        WriteProblems,
    ))]
pub async fn update_grid(
    State(state): State<AppState>,
    writer: Writer,
    headers: HeaderMap,
    PathParams(id): PathParams<String>,
    JsonBody(body): JsonBody<Value>,
) -> Result<Response, ApiError> {
    patch_attributes::<GridProps>(
        &state,
        &writer,
        &headers,
        "grids",
        id,
        &body,
        &[
            "name",
            "party_branch",
            "population",
            "households",
            "public_contact",
        ],
    )
    .await
}

/// Change a building's address and population.
#[utoipa::path(patch, path = "/api/v1/buildings/{id}", tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The building's id"),
        ("If-Match" = Option<String>, Header, description = "The version (ETag) the change was made against")),
    request_body(content = Object, description = "{properties: merge patch of address, population, households, floors, party_group}"),
    responses(
        (status = 200, description = "The stored building; `ETag` is its new version"),
        (status = 404, description = "No such building", body = crate::http::error::Problem, content_type = "application/problem+json"),
        WriteProblems,
    ))]
pub async fn update_building(
    State(state): State<AppState>,
    writer: Writer,
    headers: HeaderMap,
    PathParams(id): PathParams<String>,
    JsonBody(body): JsonBody<Value>,
) -> Result<Response, ApiError> {
    patch_attributes::<BuildingProps>(
        &state,
        &writer,
        &headers,
        "buildings",
        id,
        &body,
        &[
            "address",
            "population",
            "households",
            "floors",
            "party_group",
        ],
    )
    .await
}
