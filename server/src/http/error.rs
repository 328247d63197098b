//! `ApiError`: every way a request can fail, and the one mapping of those to HTTP
//! status codes and `application/problem+json` bodies (RFC 9457).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// One problem with one input field.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FieldError {
    /// JSON pointer to the field: `/lon` for a query parameter, `/body/...` for a body field.
    pub pointer: String,
    pub reason: String,
    /// The reason in Chinese, for the pages.
    pub reason_zh: String,
}

impl FieldError {
    pub fn new(pointer: impl Into<String>, reason: impl Into<String>) -> Self {
        let reason = reason.into();
        Self {
            pointer: pointer.into(),
            reason_zh: crate::zh::reason(&reason),
            reason,
        }
    }
}

/// One thing wrong in a data file: where (file, record by position, field) and why,
/// in English and in Chinese.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct DataProblem {
    pub file: String,
    /// The record's position in the file, from 0.
    pub index: Option<usize>,
    pub field: Option<String>,
    pub reason: String,
    /// The reason in Chinese.
    pub reason_zh: String,
    /// The whole problem in Chinese, with where it is.
    pub message_zh: String,
}

impl From<&crate::error::Problem> for DataProblem {
    fn from(p: &crate::error::Problem) -> Self {
        Self {
            file: p.file.clone(),
            index: p.index,
            field: p.field.clone(),
            reason: p.reason.clone(),
            reason_zh: crate::zh::reason(&p.reason),
            message_zh: crate::zh::problem(p),
        }
    }
}

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For a refused data file: every problem in it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<DataProblem>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{}", join_reasons(.0))]
    InvalidParameters(Vec<FieldError>),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    MethodNotAllowed(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// Well-formed input that cannot be answered, e.g. a point far from the network.
    #[error("{0}")]
    Unprocessable(String),
    /// A store the request needs cannot be written now.
    #[error("{0}")]
    Unavailable(String),
    /// `If-Match` named a version the record no longer has.
    #[error("{0}")]
    PreconditionFailed(String),
    /// The change contradicts what is stored.
    #[error("{0}")]
    Conflict(String),
    /// A data file refused by its checks: every problem.
    #[error("the file is refused: {} problems, nothing was written", .0.len())]
    Rejected(Vec<crate::error::Problem>),
    /// The body is larger than the endpoint takes.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// Known, but not served by this server.
    #[error("{0}")]
    NotImplemented(String),
    /// The caller has made too many requests of late.
    #[error("{0}")]
    TooManyRequests(String),
    /// The server is at capacity for this kind of request.
    #[error("{0}")]
    Busy(String),
    #[error("internal error: {0}")]
    Internal(String),
}

fn join_reasons(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{}: {}", e.pointer.trim_start_matches('/'), e.reason))
        .collect::<Vec<_>>()
        .join("; ")
}

impl ApiError {
    pub fn invalid(pointer: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::InvalidParameters(vec![FieldError::new(pointer, reason)])
    }

    fn parts(&self) -> (StatusCode, &'static str, &'static str) {
        match self {
            ApiError::InvalidParameters(_) => (
                StatusCode::BAD_REQUEST,
                "invalid-parameters",
                "Invalid parameters",
            ),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not-found", "Not found"),
            ApiError::Unauthorized(_) => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Authentication required",
            ),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden", "Forbidden"),
            ApiError::MethodNotAllowed(_) => (
                StatusCode::METHOD_NOT_ALLOWED,
                "method-not-allowed",
                "Method not allowed",
            ),
            ApiError::UnsupportedMediaType(_) => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "Unsupported media type",
            ),
            ApiError::Unprocessable(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "unprocessable",
                "Cannot answer for this input",
            ),
            ApiError::PreconditionFailed(_) => (
                StatusCode::PRECONDITION_FAILED,
                "precondition-failed",
                "Precondition failed",
            ),
            ApiError::Conflict(_) => (StatusCode::CONFLICT, "conflict", "Conflict"),
            ApiError::Rejected(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-data",
                "The data file is refused",
            ),
            ApiError::PayloadTooLarge(_) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload-too-large",
                "Payload too large",
            ),
            ApiError::NotImplemented(_) => (
                StatusCode::NOT_IMPLEMENTED,
                "not-implemented",
                "Not implemented",
            ),
            ApiError::Busy(_) => (StatusCode::SERVICE_UNAVAILABLE, "busy", "Busy"),
            ApiError::TooManyRequests(_) => (
                StatusCode::TOO_MANY_REQUESTS,
                "too-many-requests",
                "Too many requests",
            ),
            ApiError::Unavailable(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "Service unavailable",
            ),
            ApiError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Internal server error",
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, slug, title) = self.parts();
        let detail = match &self {
            ApiError::Internal(message) => {
                tracing::error!(%message, "internal error");
                "the server failed to answer; the error has been logged".to_owned()
            }
            other => other.to_string(),
        };
        let (errors, problems) = match self {
            ApiError::InvalidParameters(errors) => (errors, Vec::new()),
            ApiError::Rejected(problems) => {
                (Vec::new(), problems.iter().map(DataProblem::from).collect())
            }
            _ => (Vec::new(), Vec::new()),
        };
        let problem = Problem {
            kind: format!("urn:redgrid:problem:{slug}"),
            title: title.to_owned(),
            status: status.as_u16(),
            detail,
            errors,
            problems,
        };
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}
