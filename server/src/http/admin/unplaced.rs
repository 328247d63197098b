//! `GET /api/v1/admin/unplaced`: sites imported with an address and no
//! coordinates; `POST /api/v1/admin/unplaced/{id}/place`: put one on the map,
//! which adds it as a site (areas derived from where it stands) and takes it off
//! the list.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use sqlx::Row as _;
use utoipa::ToSchema;

use crate::http::AppState;
use crate::http::error::ApiError;
use crate::http::extract::{JsonBody, PathParams};
use crate::http::writes::{Writer, create_site_from, store_error};

/// A site waiting to be placed.
#[derive(Debug, Serialize, ToSchema)]
pub struct Unplaced {
    pub id: i64,
    #[schema(value_type = Object)]
    pub properties: serde_json::Value,
    /// The file it was imported from.
    pub source: String,
}

/// Sites waiting to be placed (admin, database only).
#[utoipa::path(get, path = "/api/v1/admin/unplaced", tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Oldest first", body = [Unplaced]),
        crate::http::writes::WriteProblems,
    ))]
pub async fn unplaced(writer: Writer) -> Result<Json<Vec<Unplaced>>, ApiError> {
    let rows =
        sqlx::query("SELECT id, props::text, source FROM unplaced_sites ORDER BY id LIMIT 5000")
            .fetch_all(&writer.pool)
            .await
            .map_err(|e| store_error(crate::error::Error::Database(e.to_string())))?;
    Ok(Json(
        rows.into_iter()
            .map(|r| Unplaced {
                id: r.get(0),
                properties: serde_json::from_str(r.get::<&str, _>(1)).unwrap_or_default(),
                source: r.get(2),
            })
            .collect(),
    ))
}

/// Where to place it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Placement {
    pub lon: f64,
    pub lat: f64,
}

/// Place a waiting site on the map (admin, database only).
#[utoipa::path(post, path = "/api/v1/admin/unplaced/{id}/place", tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The waiting site")),
    request_body = Placement,
    responses(
        (status = 201, description = "The new site as a GeoJSON Feature"),
        (status = 404, description = "No such waiting site", body = crate::http::error::Problem, content_type = "application/problem+json"),
        crate::http::writes::WriteProblems,
    ))]
pub async fn place(
    State(state): State<AppState>,
    writer: Writer,
    headers: HeaderMap,
    PathParams(id): PathParams<i64>,
    JsonBody(at): JsonBody<Placement>,
) -> Result<Response, ApiError> {
    let database = |e: sqlx::Error| store_error(crate::error::Error::Database(e.to_string()));
    let props: Option<String> =
        sqlx::query_scalar("SELECT props::text FROM unplaced_sites WHERE id = $1")
            .bind(id)
            .fetch_optional(&writer.pool)
            .await
            .map_err(database)?;
    let props: serde_json::Value = props
        .and_then(|p| serde_json::from_str(&p).ok())
        .ok_or_else(|| ApiError::NotFound(format!("no waiting site {id}")))?;
    let mut props = props;
    if let Some(members) = props.as_object_mut() {
        members.remove("id");
    }
    let geometry = serde_json::json!({"type": "Point", "coordinates": [at.lon, at.lat]});
    let response = create_site_from(&state, &writer, &headers, geometry, props).await?;
    sqlx::query("DELETE FROM unplaced_sites WHERE id = $1")
        .bind(id)
        .execute(&writer.pool)
        .await
        .map_err(database)?;
    Ok(response)
}
