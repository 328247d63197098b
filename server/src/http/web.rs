//! The built web page (`web/dist`): hashed assets cached for a year, everything else
//! revalidated, and a Content-Security-Policy that lets the page talk only to us.

use std::path::Path;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use tower_http::services::ServeDir;

use super::AppState;

const CSP: &str = "default-src 'self'; img-src 'self' data: blob:; worker-src 'self' blob:; \
child-src 'self' blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; \
font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'";

pub fn routes(web_dir: &Path) -> Router<AppState> {
    let router = if web_dir.join("index.html").is_file() {
        Router::new().fallback_service(ServeDir::new(web_dir))
    } else {
        tracing::warn!(dir = %web_dir.display(), "web page not built; serving a notice at /");
        Router::new().fallback(not_built)
    };
    router.layer(middleware::from_fn(static_headers))
}

async fn not_built() -> Response {
    Html(
        "<!doctype html><meta charset=utf-8><title>RedGrid</title>\
         <p>The map page is not built. Run <code>npm --prefix web ci &amp;&amp; npm --prefix web run build</code>, \
         or pass <code>--web DIR</code>. The API is at <a href=/api/v1/health>/api/v1/health</a>.",
    )
    .into_response()
}

async fn static_headers(request: Request, next: Next) -> Response {
    let immutable = request.uri().path().starts_with("/assets/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let cache = if immutable {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}
