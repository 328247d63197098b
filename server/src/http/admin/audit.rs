//! `GET /api/v1/admin/audit`: the audit log, newest first; `POST
//! /api/v1/admin/audit/{id}/revert`: undo one entry, if its record is still as the
//! entry left it.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use sqlx::Row as _;
use utoipa::ToSchema;

use crate::http::AppState;
use crate::http::error::ApiError;
use crate::http::extract::{FromParams, PathParams, QueryParams, Valid};
use crate::http::writes::{Writer, store_error};
use crate::store::postgis::edit;

#[derive(Debug)]
pub struct AuditQuery {
    before: Option<i64>,
    limit: i64,
    reads: bool,
}

impl FromParams for AuditQuery {
    fn from_params(q: &mut QueryParams) -> Option<Self> {
        let before = q.integer("before", 1..=i64::MAX as u64).map(|v| v as i64);
        let limit = q.integer("limit", 1..=500).unwrap_or(50) as i64;
        let reads = q
            .choice::<bool>("reads", &["true", "false"])
            .unwrap_or(false);
        Some(Self {
            before,
            limit,
            reads,
        })
    }
}

/// One audit entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    /// RFC 3339.
    pub at: String,
    pub actor: String,
    pub action: String,
    pub layer: Option<String>,
    pub record_id: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
}

/// The audit log, newest first (admin, database only).
#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "admin",
    security(("bearer" = [])),
    params(
        ("before" = Option<i64>, Query, description = "Entries older than this id (paging)"),
        ("limit" = Option<u64>, Query, description = "At most this many, 1–500 (default 50)"),
        ("reads" = Option<bool>, Query, description = "Also list reads of unmasked personal data"),
    ),
    responses(
        (status = 200, description = "Entries, newest first", body = [AuditEntry]),
        crate::http::writes::WriteProblems,
    ))]
pub async fn audit_log(
    writer: Writer,
    Valid(query): Valid<AuditQuery>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    let rows = sqlx::query(
        "SELECT id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), actor, action, \
         layer, record_id, before::text, after::text FROM audit_log \
         WHERE ($1::bigint IS NULL OR id < $1) AND ($2 OR action <> 'read_unmasked') \
         ORDER BY id DESC LIMIT $3",
    )
    .bind(query.before)
    .bind(query.reads)
    .bind(query.limit)
    .fetch_all(&writer.pool)
    .await
    .map_err(|e| store_error(crate::error::Error::Database(e.to_string())))?;
    let json = |text: Option<String>| text.and_then(|t| serde_json::from_str(&t).ok());
    Ok(Json(
        rows.into_iter()
            .map(|r| AuditEntry {
                id: r.get(0),
                at: r.get(1),
                actor: r.get(2),
                action: r.get(3),
                layer: r.get(4),
                record_id: r.get(5),
                before: json(r.get(6)),
                after: json(r.get(7)),
            })
            .collect(),
    ))
}

/// What a revert wrote.
#[derive(Debug, Serialize, ToSchema)]
pub struct Reverted {
    /// The audit entry of the revert itself.
    pub audit_id: i64,
    pub version: i64,
    pub data_version: i64,
}

/// Undo one audit entry (admin, database only).
#[utoipa::path(post, path = "/api/v1/admin/audit/{id}/revert", tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The audit entry")),
    responses(
        (status = 200, description = "Reverted", body = Reverted),
        (status = 409, description = "The entry changed no record, or its record has changed since", body = crate::http::error::Problem, content_type = "application/problem+json"),
        crate::http::writes::WriteProblems,
    ))]
pub async fn revert(
    State(state): State<AppState>,
    writer: Writer,
    PathParams(id): PathParams<i64>,
) -> Result<Json<Reverted>, ApiError> {
    let written = edit::revert(&writer.pool, id, &writer.actor)
        .await
        .map_err(store_error)?;
    if let Err(e) = state.replica.refresh().await {
        tracing::warn!(error = %e, "reverted, but not yet reloaded");
    }
    Ok(Json(Reverted {
        audit_id: written.audit_id,
        version: written.version,
        data_version: written.data_version,
    }))
}
