//! The administrator's console reads: the layers' records as searchable tables,
//! the audit log (and reverting an entry), the whole dataset as one export, and
//! the sites waiting to be placed. Admin role only (no token → 401, another role
//! → 403); what needs the database answers 405 in memory mode.

mod audit;
mod export;
mod records;
mod unplaced;

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::routing::{get, post};

use super::AppState;
use super::error::ApiError;
use crate::auth::Caller;

pub use audit::{__path_audit_log, __path_revert, audit_log, revert};
pub use export::{__path_export_dataset, export_dataset};
pub use records::{__path_records, records};
pub use unplaced::{__path_place, __path_unplaced, place, unplaced};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/records/{layer}", get(records))
        .route("/admin/audit", get(audit_log))
        .route("/admin/audit/{id}/revert", post(revert))
        .route("/admin/export", get(export_dataset))
        .route("/admin/unplaced", get(unplaced))
        .route("/admin/unplaced/{id}/place", post(place))
}

/// An administrator, checked before anything else is read.
#[derive(Debug, Clone, Copy)]
pub struct Admin;

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let caller = Caller::from_request_parts(parts, state).await?;
        match caller.role() {
            None => Err(ApiError::Unauthorized(
                "the console needs a bearer token or session with the admin role".to_owned(),
            )),
            Some(role) if !role.may_write_data() => Err(ApiError::Forbidden(format!(
                "the {} role may not use the console",
                role.as_str()
            ))),
            Some(_) => Ok(Admin),
        }
    }
}
