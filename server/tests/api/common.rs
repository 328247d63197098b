//! Shared helpers for the router tests: the fixture state, loaded once per test
//! binary, and one-shot requests without a socket.

use std::path::PathBuf;
use std::sync::LazyLock;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use redgrid::auth::{Role, TokenStore, hash_token};
use redgrid::config::Profile;
use redgrid::{AppState, state_for_dir};
use tower::ServiceExt;

pub const VIEWER: &str = "rg_test_viewer";
pub const DISPATCHER: &str = "rg_test_dispatcher";
pub const SERVICE: &str = "rg_test_service";
pub const ADMIN: &str = "rg_test_admin";
pub const PLANNER: &str = "rg_test_planner";

pub fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/district")
}

pub fn tokens() -> TokenStore {
    TokenStore::from_hashes([
        (hash_token(VIEWER), Role::Viewer),
        (hash_token(DISPATCHER), Role::Dispatcher),
        (hash_token(SERVICE), Role::Service),
        (hash_token(ADMIN), Role::Admin),
        (hash_token(PLANNER), Role::Planner),
    ])
}

pub static INTERNAL: LazyLock<AppState> = LazyLock::new(|| {
    state_for_dir(&fixture_dir(), Profile::Internal, tokens()).expect("fixture loads")
});

pub static PUBLIC: LazyLock<AppState> = LazyLock::new(|| {
    state_for_dir(&fixture_dir(), Profile::Public, tokens()).expect("fixture loads")
});

pub struct Reply {
    pub status: StatusCode,
    pub content_type: String,
    pub headers: axum::http::HeaderMap,
    pub json: serde_json::Value,
    pub bytes: Vec<u8>,
}

pub async fn send(state: &AppState, method: &str, uri: &str, token: Option<&str>) -> Reply {
    send_body(state, method, uri, token, None).await
}

/// A request with an optional body: (content type, bytes).
pub async fn send_body(
    state: &AppState,
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: Option<(&str, &str)>,
) -> Reply {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let body = match body {
        Some((content_type, text)) => {
            request = request.header("content-type", content_type);
            Body::from(text.to_owned())
        }
        None => Body::empty(),
    };
    reply(state, request.body(body).unwrap()).await
}

/// Sends a request built by the caller (any headers) and reads the reply.
pub async fn reply(state: &AppState, request: Request<Body>) -> Reply {
    let response = redgrid::app(state.clone()).oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let content_type = headers
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let json = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
    Reply {
        status,
        content_type,
        headers,
        json,
        bytes: bytes.to_vec(),
    }
}

pub async fn get(uri: &str) -> Reply {
    send(&INTERNAL, "GET", uri, None).await
}

/// Asserts a problem+json answer with `status` whose errors name `pointer` (if given).
pub fn assert_problem(reply: &Reply, status: u16, pointer: Option<&str>) {
    assert_eq!(reply.status.as_u16(), status, "{}", reply.json);
    assert_eq!(reply.content_type, "application/problem+json");
    assert_eq!(reply.json["status"], status);
    assert!(reply.json["title"].is_string() && reply.json["detail"].is_string());
    if let Some(pointer) = pointer {
        let pointers: Vec<&str> = reply.json["errors"]
            .as_array()
            .map(|a| a.iter().filter_map(|e| e["pointer"].as_str()).collect())
            .unwrap_or_default();
        assert!(
            pointers.contains(&pointer),
            "{pointer} not in {}",
            reply.json
        );
    }
}
