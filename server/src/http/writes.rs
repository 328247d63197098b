//! Write endpoints for data layers. The memory backend holds a read-only snapshot of
//! files, so after authorisation every write answers 405: writes need PostGIS.

use axum::Router;
use axum::routing::{patch, post};

use super::AppState;
use super::error::ApiError;
use crate::auth::Caller;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sites", post(write))
        .route("/sites/{id}", patch(write).delete(write))
        .route("/workers", post(write))
        .route("/workers/{id}", patch(write).delete(write))
        .route("/grids/{id}", patch(write))
        .route("/import", post(write))
}

/// Writes to data layers (sites, workers, grid attributes, import).
#[utoipa::path(post, path = "/api/v1/sites", tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 401, description = "No or unknown token", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not write", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 405, description = "The memory backend is read-only", body = super::error::Problem, content_type = "application/problem+json"),
    ))]
pub async fn write(caller: Caller) -> ApiError {
    match caller.role() {
        None => ApiError::Unauthorized("writes need a bearer token with the admin role".to_owned()),
        Some(role) if !role.may_write_data() => {
            ApiError::Forbidden(format!("the {} role may not write data", role.as_str()))
        }
        Some(_) => ApiError::MethodNotAllowed(
            "writes need --database-url: the memory backend serves files read-only".to_owned(),
        ),
    }
}
