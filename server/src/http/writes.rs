//! Write endpoints for data layers. The memory backend holds a read-only snapshot of
//! files, so after authorisation every write answers 405: writes need PostGIS.

use axum::Router;
use axum::routing::{patch, post};

use super::AppState;
use super::error::ApiError;
use crate::auth::Caller;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sites", post(create_site))
        .route("/sites/{id}", patch(update_site).delete(delete_site))
        .route("/workers", post(create_worker))
        .route("/workers/{id}", patch(update_worker).delete(delete_worker))
        .route("/grids/{id}", patch(update_grid))
        .route("/import", post(import))
}

/// 401 without a token, 403 without the admin role, then 405: the memory backend
/// cannot write.
fn refuse(caller: Caller) -> ApiError {
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

/// Declares one write endpoint: its OpenAPI description and its handler.
macro_rules! write_endpoint {
    ($name:ident, $method:ident, $path:literal, $summary:literal $(, $param:literal)?) => {
        #[doc = $summary]
        #[utoipa::path($method, path = $path, tag = "admin",
            security(("bearer" = [])),
            $(params(($param = String, Path, description = "Id of the record")),)?
            responses(
                (status = 401, description = "No or unknown token", body = super::error::Problem, content_type = "application/problem+json"),
                (status = 403, description = "The token's role may not write", body = super::error::Problem, content_type = "application/problem+json"),
                (status = 405, description = "The memory backend is read-only", body = super::error::Problem, content_type = "application/problem+json"),
            ))]
        pub async fn $name(caller: Caller) -> ApiError {
            refuse(caller)
        }
    };
}

write_endpoint!(create_site, post, "/api/v1/sites", "Add a site.");
write_endpoint!(
    update_site,
    patch,
    "/api/v1/sites/{id}",
    "Change a site.",
    "id"
);
write_endpoint!(
    delete_site,
    delete,
    "/api/v1/sites/{id}",
    "Remove a site.",
    "id"
);
write_endpoint!(create_worker, post, "/api/v1/workers", "Add a grid worker.");
write_endpoint!(
    update_worker,
    patch,
    "/api/v1/workers/{id}",
    "Change a grid worker.",
    "id"
);
write_endpoint!(
    delete_worker,
    delete,
    "/api/v1/workers/{id}",
    "Remove a grid worker.",
    "id"
);
write_endpoint!(
    update_grid,
    patch,
    "/api/v1/grids/{id}",
    "Change a grid's attributes.",
    "id"
);
write_endpoint!(import, post, "/api/v1/import", "Import a data file.");
