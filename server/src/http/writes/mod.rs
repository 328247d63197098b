//! Writes to the district's data: sites, grid workers, grid and building attributes.
//! Only the admin role writes (no token → 401, another role → 403), and only to
//! PostGIS (the memory backend serves files read-only → 405). Each write takes the
//! write lock, checks `If-Match` against the record's version (412 on mismatch),
//! validates the new record as a data file's would be, logs who, when, before and
//! after, bumps the layer's data version (announced to every replica), and reloads
//! this server's data before answering, so the writer reads what it wrote.

mod import;
mod records;
mod sites;

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::routing::{get, patch, post};
use sqlx::PgPool;

use super::AppState;
use super::error::{ApiError, FieldError};
use crate::auth::{Caller, hash_token};
use crate::error::Error;
use crate::store::postgis::edit::{self, Current, Written};
use crate::store::postgis::tables::{Row, Table};

pub use import::{__path_import, import};
pub use records::{
    __path_create_worker, __path_delete_worker, __path_update_building, __path_update_grid,
    __path_update_worker, create_worker, delete_worker, update_building, update_grid,
    update_worker,
};
pub use sites::{
    __path_create_site, __path_delete_site, __path_get_site, __path_update_site, create_site,
    create_site_from, delete_site, get_site, update_site,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sites", post(create_site))
        .route(
            "/sites/{id}",
            get(get_site).patch(update_site).delete(delete_site),
        )
        .route("/workers", post(create_worker))
        .route("/workers/{id}", patch(update_worker).delete(delete_worker))
        .route("/grids/{id}", patch(update_grid))
        .route("/buildings/{id}", patch(update_building))
        .route(
            "/import",
            post(import).layer(axum::extract::DefaultBodyLimit::max(import::MAX_FILE_BYTES)),
        )
}

/// Who may write, and where to: extracted before the body, so an anonymous or
/// unprivileged caller learns that first.
#[derive(Debug, Clone)]
pub struct Writer {
    /// How the audit log names the caller.
    pub actor: String,
    pub pool: PgPool,
}

impl FromRequestParts<AppState> for Writer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let caller = Caller::from_request_parts(parts, state).await?;
        match caller.role() {
            None => {
                return Err(ApiError::Unauthorized(
                    "writes need a bearer token with the admin role".to_owned(),
                ));
            }
            Some(role) if !role.may_write_data() => {
                return Err(ApiError::Forbidden(format!(
                    "the {} role may not write data",
                    role.as_str()
                )));
            }
            Some(_) => {}
        }
        let pool = state.store.pool().cloned().ok_or_else(|| {
            ApiError::MethodNotAllowed(
                "writes need --database-url: the memory backend serves files read-only".to_owned(),
            )
        })?;
        Ok(Writer {
            actor: actor(caller, &parts.headers),
            pool,
        })
    }
}

/// The caller as the audit log names it: role, and the first 12 hex digits of the
/// token's hash (never the token).
pub fn actor(caller: Caller, headers: &HeaderMap) -> String {
    let role = caller.role().map_or("anonymous", |r| r.as_str());
    match caller {
        Caller::Token(_) => {
            let token = headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::trim)
                .unwrap_or_default();
            format!("{role} token {}", &hash_token(token)[..12])
        }
        Caller::Session(_) => format!("{role} session"),
        Caller::Anonymous => role.to_owned(),
    }
}

/// The version `If-Match` requires, if it names one: `"3"` (or `W/"3"`).
fn if_match(headers: &HeaderMap) -> Result<Option<i64>, ApiError> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let text = value.to_str().unwrap_or_default().trim();
    if text == "*" {
        return Ok(None);
    }
    text.trim_start_matches("W/")
        .trim_matches('"')
        .parse::<i64>()
        .map(Some)
        .map_err(|_| {
            ApiError::invalid(
                "/headers/If-Match",
                format!("expected a record version such as \"3\" (its ETag), got {text:?}"),
            )
        })
}

/// The table a handler writes to.
fn table(name: &str) -> Result<&'static Table, ApiError> {
    Table::by_name(name).ok_or_else(|| ApiError::Internal(format!("no table {name}")))
}

/// A stored row as a GeoJSON Feature with its id.
fn feature(row: &Row) -> serde_json::Value {
    let mut f = crate::store::postgis::tables::feature_json(row);
    f["id"] = row
        .id
        .clone()
        .map_or(serde_json::Value::Null, serde_json::Value::from);
    f
}

/// A written record's answer, its version as `ETag`.
fn answer(
    status: axum::http::StatusCode,
    body: serde_json::Value,
    version: i64,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut response = (status, axum::Json(body)).into_response();
    response.headers_mut().insert(header::ETAG, etag(version));
    response
}

/// The ETag of a record version.
pub fn etag(version: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).unwrap_or(HeaderValue::from_static("\"0\""))
}

/// A store error as the caller sees it: refusals are theirs, anything else means
/// the database cannot be written now.
pub fn store_error(e: Error) -> ApiError {
    match e {
        Error::Refused(reason) => ApiError::Conflict(reason),
        other => {
            tracing::warn!(error = %other, "write failed");
            ApiError::Unavailable(
                "the database cannot be written now; reads go on from memory, try again later"
                    .to_owned(),
            )
        }
    }
}

/// One record's change: `change` sees the stored record (`None` when it is new or
/// absent) and gives the new one (`None` to delete), or refuses.
pub(crate) struct Change<'a> {
    pub table: &'static Table,
    /// The record's id; `None` to generate one with this prefix and width.
    pub id: Result<String, (char, usize)>,
    pub action: &'a str,
    /// True when the record must exist (updates and deletions).
    pub existing: bool,
}

/// What a change wrote.
pub(crate) struct Applied {
    pub written: Written,
    pub after: Option<Row>,
    pub before: Option<Row>,
}

/// Runs one change in its own transaction and reloads this server's data.
pub(crate) async fn apply(
    state: &AppState,
    writer: &Writer,
    headers: &HeaderMap,
    change: Change<'_>,
    make: impl FnOnce(&str, Option<&Row>) -> Result<Option<Row>, ApiError>,
) -> Result<Applied, ApiError> {
    let required = if_match(headers)?;
    let mut tx = edit::begin(&writer.pool).await.map_err(store_error)?;
    let id = match change.id {
        Ok(id) => id,
        Err((prefix, width)) => edit::next_id(&mut tx, change.table, prefix, width)
            .await
            .map_err(store_error)?,
    };
    let current: Option<Current> = edit::current(&mut tx, change.table, &id)
        .await
        .map_err(store_error)?;
    if change.existing && current.is_none() {
        return Err(ApiError::NotFound(format!(
            "no {} record {id}",
            change.table.name
        )));
    }
    if let (Some(required), Some(c)) = (required, &current)
        && required != c.version
    {
        return Err(ApiError::PreconditionFailed(format!(
            "{} {id} is at version {}, not {required}: read it again and reapply the change",
            change.table.name, c.version
        )));
    }
    let before = current.as_ref().map(|c| c.row.clone());
    let after = make(&id, before.as_ref())?;
    let written = edit::write(
        &mut tx,
        change.table,
        &id,
        current.as_ref(),
        after.as_ref(),
        &writer.actor,
        change.action,
    )
    .await
    .map_err(store_error)?;
    edit::commit(tx).await.map_err(store_error)?;
    if let Err(e) = state.replica.refresh().await {
        tracing::warn!(error = %e, "written, but not yet reloaded");
    }
    Ok(Applied {
        written,
        after,
        before,
    })
}

/// Applies an RFC 7386 merge patch: `null` removes a member, objects merge.
pub fn merge_patch(target: &mut serde_json::Value, patch: &serde_json::Value) {
    use serde_json::Value;
    let Value::Object(members) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Default::default());
    }
    if let Value::Object(t) = target {
        for (key, value) in members {
            if value.is_null() {
                t.remove(key);
            } else {
                merge_patch(t.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
    }
}

/// Properties as the layer's typed record, so what is stored always loads; the
/// problem names the field under `pointer`. A member the record has no place for is
/// refused, never dropped.
pub fn typed<T: serde::de::DeserializeOwned + serde::Serialize>(
    props: serde_json::Value,
    pointer: &str,
) -> Result<serde_json::Value, ApiError> {
    let given: Vec<String> = props
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, _)| k.clone())
                .collect()
        })
        .unwrap_or_default();
    let record: T = serde_path_to_error::deserialize(props).map_err(|e| {
        let path = e.path().to_string();
        let mut at = pointer.to_owned();
        if path != "." {
            at = format!("{at}/{}", path.replace('.', "/"));
        }
        let reason = e.inner().to_string();
        // serde names a missing field only in its message.
        if let Some(field) = reason
            .strip_prefix("missing field `")
            .and_then(|r| r.strip_suffix('`'))
        {
            at = format!("{at}/{field}");
        }
        ApiError::InvalidParameters(vec![FieldError::new(at, reason)])
    })?;
    let typed = serde_json::to_value(record).map_err(|e| ApiError::Internal(e.to_string()))?;
    let dropped: Vec<FieldError> = given
        .iter()
        .filter(|k| typed.get(k.as_str()).is_none())
        .map(|k| FieldError::new(format!("{pointer}/{k}"), "unknown member"))
        .collect();
    if dropped.is_empty() {
        Ok(typed)
    } else {
        Err(ApiError::InvalidParameters(dropped))
    }
}

/// The problems every write may answer with besides its own.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum WriteProblems {
    /// Invalid body, header or parameter, each field named.
    #[response(status = 400, content_type = "application/problem+json")]
    Invalid(super::error::Problem),
    /// No or unknown token.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(super::error::Problem),
    /// The token's role may not write.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(super::error::Problem),
    /// The memory backend is read-only.
    #[response(status = 405, content_type = "application/problem+json")]
    ReadOnly(super::error::Problem),
    /// `If-Match` names a version the record no longer has.
    #[response(status = 412, content_type = "application/problem+json")]
    Stale(super::error::Problem),
    /// The database cannot be written now; reads go on.
    #[response(status = 503, content_type = "application/problem+json")]
    Unavailable(super::error::Problem),
}
