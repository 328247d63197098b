//! Extractors whose rejections are `ApiError`s: validated query parameters and the
//! caller's identity. Handlers never see unchecked input.

use std::ops::RangeInclusive;
use std::str::FromStr;

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

use super::AppState;
use super::error::{ApiError, FieldError};
use crate::auth::Caller;
use crate::geo::{Crs, LonLat};

/// The query string as name/value pairs, with the problems found so far. Each typed
/// read records its own error, so one response lists every bad parameter.
#[derive(Debug)]
pub struct QueryParams {
    pairs: Vec<(String, String)>,
    read: Vec<&'static str>,
    errors: Vec<FieldError>,
}

impl QueryParams {
    pub fn from_query(query: Option<&str>) -> Self {
        let pairs = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        Self {
            pairs,
            read: Vec::new(),
            errors: Vec::new(),
        }
    }

    /// Parameters given as name/value pairs, e.g. from a request body.
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        Self {
            pairs,
            read: Vec::new(),
            errors: Vec::new(),
        }
    }

    fn fail(&mut self, name: &str, reason: impl Into<String>) {
        self.errors
            .push(FieldError::new(format!("/{name}"), reason));
    }

    /// The raw value of a parameter given at most once.
    pub fn text(&mut self, name: &'static str) -> Option<String> {
        self.read.push(name);
        let mut values = self.pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v);
        let first = values.next().cloned();
        if values.next().is_some() {
            self.fail(name, "given more than once");
            return None;
        }
        if first.as_deref().is_some_and(|v| v.contains('\0')) {
            self.fail(name, NUL);
            return None;
        }
        first
    }

    /// Whether the query has a parameter of this name (read or not).
    pub fn given(&self, name: &str) -> bool {
        self.pairs.iter().any(|(k, _)| k == name)
    }

    /// A parameter that must be present.
    pub fn required(&mut self, name: &'static str) -> Option<String> {
        let value = self.text(name);
        if value.is_none() && !self.errors.iter().any(|e| e.pointer == format!("/{name}")) {
            self.fail(name, "required");
        }
        value
    }

    /// A required finite number within `range`.
    pub fn number(&mut self, name: &'static str, range: RangeInclusive<f64>) -> Option<f64> {
        let raw = self.required(name)?;
        match raw.trim().parse::<f64>() {
            Ok(v) if v.is_finite() && range.contains(&v) => Some(v),
            Ok(v) if v.is_finite() => {
                self.fail(
                    name,
                    format!(
                        "must be between {} and {}, got {v}",
                        range.start(),
                        range.end()
                    ),
                );
                None
            }
            _ => {
                self.fail(name, format!("must be a finite number, got {raw:?}"));
                None
            }
        }
    }

    /// An optional whole number within `range`.
    pub fn integer(&mut self, name: &'static str, range: RangeInclusive<u64>) -> Option<u64> {
        let raw = self.text(name)?;
        match raw.trim().parse::<u64>() {
            Ok(v) if range.contains(&v) => Some(v),
            _ => {
                self.fail(
                    name,
                    format!(
                        "must be a whole number from {} to {}, got {raw:?}",
                        range.start(),
                        range.end()
                    ),
                );
                None
            }
        }
    }

    /// An optional value parsed by `FromStr`, with the accepted values named on failure.
    pub fn choice<T: FromStr>(&mut self, name: &'static str, accepted: &[&str]) -> Option<T> {
        let raw = self.text(name)?;
        match raw.parse() {
            Ok(v) => Some(v),
            Err(_) => {
                self.fail(
                    name,
                    format!("must be one of {}, got {raw:?}", accepted.join(", ")),
                );
                None
            }
        }
    }

    /// `lon`, `lat` and `crs`, converted to WGS-84.
    pub fn point(&mut self) -> Option<(LonLat, Crs)> {
        let crs: Crs = self.choice("crs", &Crs::NAMES).unwrap_or_default();
        let lon = self.number("lon", -180.0..=180.0);
        let lat = self.number("lat", -90.0..=90.0);
        let given = LonLat::new(lon?, lat?).ok()?;
        Some((crs.to_wgs84(given), crs))
    }

    /// Records a custom problem.
    pub fn reject(&mut self, name: &str, reason: impl Into<String>) {
        self.fail(name, reason);
    }

    /// Ends parsing: every recorded problem, plus unknown parameters when `strict`.
    pub fn finish(mut self, strict: bool) -> Result<(), ApiError> {
        if strict {
            let unknown: Vec<String> = self
                .pairs
                .iter()
                .map(|(k, _)| k.clone())
                .filter(|k| !self.read.contains(&k.as_str()))
                .collect();
            for name in unknown {
                self.fail(&name, "unknown parameter");
            }
        }
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::InvalidParameters(self.errors))
        }
    }
}

/// Why a value holding U+0000 is refused: no store keeps it (PostgreSQL's text
/// cannot), so every backend refuses it alike.
const NUL: &str = "contains a NUL character (U+0000)";

/// Where a JSON body holds U+0000 in a string or a key (`/body/...`), if anywhere.
fn nul_in_json(bytes: &[u8]) -> Option<String> {
    // JSON writes U+0000 only as the escape `\u0000`; look closer only when it is there.
    if !bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000")) {
        return None;
    }
    fn find(value: &serde_json::Value, at: &str) -> Option<String> {
        match value {
            serde_json::Value::String(s) => s.contains('\0').then(|| at.to_owned()),
            serde_json::Value::Array(items) => items
                .iter()
                .enumerate()
                .find_map(|(i, v)| find(v, &format!("{at}/{i}"))),
            serde_json::Value::Object(members) => members.iter().find_map(|(k, v)| {
                let here = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                if k.contains('\0') {
                    Some(here)
                } else {
                    find(v, &here)
                }
            }),
            _ => None,
        }
    }
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    find(&value, "/body")
}

/// A query type parsed and validated from [`QueryParams`].
pub trait FromParams: Sized {
    /// Refuse parameters the type does not read.
    const STRICT: bool = true;
    /// `None` only when an error was recorded.
    fn from_params(q: &mut QueryParams) -> Option<Self>;
}

/// Extracts a validated `T` or answers 400 naming every bad parameter.
#[derive(Debug)]
pub struct Valid<T>(pub T);

impl<S: Send + Sync, T: FromParams> FromRequestParts<S> for Valid<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let mut q = QueryParams::from_query(parts.uri.query());
        let value = T::from_params(&mut q);
        q.finish(T::STRICT)?;
        value
            .map(Valid)
            .ok_or_else(|| ApiError::invalid("/", "invalid query"))
    }
}

/// Path parameters, with a 400 problem when they do not decode (e.g. invalid UTF-8).
#[derive(Debug)]
pub struct PathParams<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned + Send> FromRequestParts<S> for PathParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        if parts.uri.path().to_ascii_lowercase().contains("%00") {
            return Err(ApiError::invalid("/path", NUL));
        }
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|path| PathParams(path.0))
            .map_err(|rejection| ApiError::invalid("/path", rejection.body_text()))
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    /// A bearer token first; else the session cookie, whose writes (any method but
    /// GET, HEAD and OPTIONS) must carry the session's `X-CSRF-Token`; else anonymous
    /// (an expired or unknown session cookie included). Found once per request (the
    /// rate limits ask first) and kept in its extensions.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(caller) = parts.extensions.get::<Caller>() {
            return Ok(*caller);
        }
        let caller = resolve_caller(parts, state).await?;
        parts.extensions.insert(caller);
        Ok(caller)
    }
}

/// Who the request's credentials name (see [`Caller::from_request_parts`]).
async fn resolve_caller(parts: &Parts, state: &AppState) -> Result<Caller, ApiError> {
    if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(|| {
                ApiError::Unauthorized(
                    "the Authorization header must be `Bearer <token>`".to_owned(),
                )
            })?;
        return state
            .tokens
            .role_of(token)
            .map(Caller::Token)
            .ok_or_else(|| ApiError::Unauthorized("unknown token".to_owned()));
    }
    let Some(id) = session_id(&parts.headers) else {
        return Ok(Caller::Anonymous);
    };
    let Some(live) = state.sessions.get(id).await else {
        return Ok(Caller::Anonymous);
    };
    if !parts.method.is_safe() {
        let csrf = parts
            .headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok());
        let matches = match csrf {
            Some(c) => state.sessions.csrf_matches(id, c).await,
            None => false,
        };
        if !matches {
            return Err(ApiError::Forbidden(
                "a write with the session cookie needs the X-CSRF-Token header that POST /api/v1/session returned".to_owned(),
            ));
        }
    }
    Ok(Caller::Session(live.role))
}

/// The session id in the request's cookie, if any.
pub fn session_id(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| crate::auth::cookie_value(h, crate::auth::SESSION_COOKIE))
}

/// A JSON request body, with a 400 problem naming the field when it does not parse
/// (the pointer is `/body/...`) and a 415 when it is not JSON.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| {
                let v = v.trim();
                v == "application/json" || v.ends_with("+json")
            });
        if !is_json {
            return Err(ApiError::UnsupportedMediaType(
                "the body must be JSON (Content-Type: application/json)".to_owned(),
            ));
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::invalid("/body", e.body_text()))?;
        if let Some(pointer) = nul_in_json(&bytes) {
            return Err(ApiError::invalid(pointer, NUL));
        }
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            use serde_path_to_error::Segment;
            let mut pointer = "/body".to_owned();
            for segment in e.path().iter() {
                match segment {
                    Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
                    Segment::Map { key } => pointer.push_str(&format!("/{key}")),
                    Segment::Enum { variant } => pointer.push_str(&format!("/{variant}")),
                    Segment::Unknown => break,
                }
            }
            ApiError::invalid(pointer, e.into_inner().to_string())
        })?;
        de.end()
            .map_err(|e| ApiError::invalid("/body", e.to_string()))?;
        Ok(JsonBody(value))
    }
}
