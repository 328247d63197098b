//! `/api/v1/session`: log in with a token (a session cookie, HttpOnly and
//! SameSite=Strict, plus a CSRF token for writes), see who is logged in, log out.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use super::error::ApiError;
use super::extract::{JsonBody, session_id};
use crate::auth::{Caller, Role, SESSION_COOKIE, SESSION_TTL};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LogIn {
    /// A token from `redgrid token create`.
    token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionOut {
    /// The session's role; null when no session is open.
    role: Option<Role>,
    /// Send it back as `X-CSRF-Token` on every write made with the cookie. Only
    /// when the session was just opened.
    #[serde(skip_serializing_if = "Option::is_none")]
    csrf_token: Option<String>,
    /// Seconds left; null without a session.
    expires_in_s: Option<u64>,
}

fn cookie(value: &str, max_age_s: u64, headers: &HeaderMap) -> Result<HeaderValue, ApiError> {
    let secure = if super::base_url(headers).starts_with("https:") {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_s}{secure}"
    ))
    .map_err(|e| ApiError::Internal(format!("session cookie: {e}")))
}

/// Opens a browser session with a token.
#[utoipa::path(post, path = "/api/v1/session", tag = "auth",
    request_body = LogIn,
    responses(
        (status = 201, description = "Logged in: the session cookie is set; keep `csrf_token` for writes", body = SessionOut),
        (status = 400, description = "A malformed body", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Unknown token", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = super::error::Problem, content_type = "application/problem+json"),
    ))]
pub async fn log_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<LogIn>,
) -> Result<Response, ApiError> {
    let role = state
        .tokens
        .role_of(body.token.trim())
        .ok_or_else(|| ApiError::Unauthorized("unknown token".to_owned()))?;
    let opened = state.sessions.open(role).await.map_err(|e| match e {
        crate::auth::SessionError::Database(_) => ApiError::Unavailable(e.to_string()),
        crate::auth::SessionError::Randomness(_) => ApiError::Internal(e.to_string()),
    })?;
    let set = cookie(&opened.id, SESSION_TTL.as_secs(), &headers)?;
    let body = SessionOut {
        role: Some(role),
        csrf_token: Some(opened.csrf_token),
        expires_in_s: Some(SESSION_TTL.as_secs()),
    };
    let mut response = (StatusCode::CREATED, Json(body)).into_response();
    response.headers_mut().insert(header::SET_COOKIE, set);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// The session the cookie names, if it is live.
#[utoipa::path(get, path = "/api/v1/session", tag = "auth",
    responses((status = 200, description = "The session's role and time left; nulls without one", body = SessionOut)))]
pub async fn current(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let live = match session_id(&headers) {
        Some(id) => state.sessions.get(id).await,
        None => None,
    };
    let body = SessionOut {
        role: live.map(|l| l.role),
        csrf_token: None,
        expires_in_s: live.map(|l| l.expires_in.as_secs()),
    };
    let mut response = Json(body).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Ends the session and clears its cookie (with the CSRF token, like every write).
#[utoipa::path(delete, path = "/api/v1/session", tag = "auth",
    responses(
        (status = 204, description = "Logged out; the cookie is cleared"),
        (status = 403, description = "The session cookie came without its X-CSRF-Token", body = super::error::Problem, content_type = "application/problem+json"),
    ))]
pub async fn log_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    caller: Caller,
) -> Result<Response, ApiError> {
    if let (Caller::Session(_), Some(id)) = (caller, session_id(&headers)) {
        state.sessions.close(id).await;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, cookie("", 0, &headers)?);
    Ok(response)
}
