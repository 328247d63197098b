//! What operators see inside: `GET /metrics` in the Prometheus text format
//! (requests and their latency by route, method and status; index sizes, tile
//! cache use, reloads, data versions), `GET /healthz` (the process answers) and
//! `GET /readyz` (the indexes are built and, serving the database, it answers).
//! Routes are labelled by their pattern (`/api/v1/sites/{id}`), never by the path
//! asked, so a scan of random paths cannot swell the series.

use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use super::AppState;
use super::error::ApiError;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LayerLabels {
    layer: String,
    version: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct NameLabels {
    name: String,
}

type Latency = Family<RouteLabels, Histogram, fn() -> Histogram>;

fn latency_buckets() -> Histogram {
    // 0.5 ms to about 16 s.
    Histogram::new(exponential_buckets(0.0005, 2.0, 16))
}

/// Request counts and latencies, kept across reloads of the data.
#[derive(Debug)]
pub struct Metrics {
    requests: Family<RequestLabels, Counter>,
    latency: Latency,
}

impl Default for Metrics {
    fn default() -> Self {
        Self {
            requests: Family::default(),
            latency: Family::new_with_constructor(latency_buckets as fn() -> Histogram),
        }
    }
}

impl Metrics {
    fn record(&self, route: &str, method: &str, status: u16, took: Duration) {
        self.requests
            .get_or_create(&RequestLabels {
                route: route.to_owned(),
                method: method.to_owned(),
                status,
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels {
                route: route.to_owned(),
            })
            .observe(took.as_secs_f64());
    }
}

/// Middleware: counts every answer under its route's pattern (`unmatched` for a
/// path no route has) and logs it as one `redgrid::access` event: method, route
/// pattern, status and milliseconds. Never the path asked, its query (where a
/// resident stands) or any header (tokens, cookies).
pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16();
    let took = started.elapsed();
    state.metrics.record(&route, &method, status, took);
    let ms = took.as_secs_f64() * 1e3;
    if status >= 500 {
        tracing::error!(target: "redgrid::access", %method, %route, status, ms, "answered");
    } else {
        tracing::info!(target: "redgrid::access", %method, %route, status, ms, "answered");
    }
    response
}

/// The metrics, in the Prometheus text format.
#[utoipa::path(get, path = "/metrics", tag = "service",
    responses((status = 200, description = "Prometheus text exposition: `redgrid_http_requests_total{route,method,status}`, `redgrid_http_request_duration_seconds{route}`, `redgrid_index_items{name}`, `redgrid_tile_cache_*`, `redgrid_reloads_total`, `redgrid_data_version_info{layer,version}`", content_type = "text/plain")))]
pub async fn metrics(State(state): State<AppState>) -> Result<Response, ApiError> {
    let mut registry = Registry::with_prefix("redgrid");
    registry.register(
        "http_requests",
        "HTTP requests answered, by route pattern, method and status",
        state.metrics.requests.clone(),
    );
    registry.register(
        "http_request_duration_seconds",
        "Time to answer, by route pattern",
        state.metrics.latency.clone(),
    );
    let ds = state.store.dataset();
    let items: Family<NameLabels, Gauge> = Family::default();
    for (name, count) in [
        ("sites", ds.sites.len()),
        ("buildings", ds.buildings.len()),
        ("grids", ds.grids.len()),
        ("network_nodes", state.graph.node_count()),
        ("network_edges", state.graph.edge_count()),
    ] {
        items
            .get_or_create(&NameLabels {
                name: name.to_owned(),
            })
            .set(count as i64);
    }
    registry.register("index_items", "Items in the served indexes", items);
    let (entries, bytes, hits, misses) = state.tile_cache.stats();
    for (name, help, value) in [
        ("tile_cache_entries", "Encoded tiles cached", entries as i64),
        (
            "tile_cache_bytes",
            "Bytes of encoded tiles cached",
            bytes as i64,
        ),
        (
            "tile_cache_hits",
            "Tile requests answered from the cache",
            hits as i64,
        ),
        (
            "tile_cache_misses",
            "Tile requests that encoded a tile",
            misses as i64,
        ),
    ] {
        let gauge: Gauge = Gauge::default();
        gauge.set(value);
        registry.register(name, help, gauge);
    }
    let reloads: Counter = Counter::default();
    reloads.inc_by(state.replica.reloads());
    registry.register(
        "reloads",
        "Reloads of the data after a change in the database",
        reloads,
    );
    let versions: Family<LayerLabels, Gauge> = Family::default();
    for (layer, version) in ds.versions() {
        versions
            .get_or_create(&LayerLabels {
                layer: layer.to_owned(),
                version,
            })
            .set(1);
    }
    registry.register(
        "data_version_info",
        "The data version each layer is served at",
        versions,
    );
    let mut text = String::new();
    prometheus_client::encoding::text::encode(&mut text, &registry)
        .map_err(|e| ApiError::Internal(format!("metrics: {e}")))?;
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
        .into_response())
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "service",
    responses((status = 200, description = "`ok`", content_type = "text/plain")))]
pub async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the indexes are built (they are before the server listens) and,
/// serving the database, the database answers within a second.
#[utoipa::path(get, path = "/readyz", tag = "service",
    responses(
        (status = 200, description = "`ready`", content_type = "text/plain"),
        (status = 503, description = "The database does not answer; reads still go on from memory", body = crate::http::error::Problem, content_type = "application/problem+json"),
    ))]
pub async fn readyz(State(state): State<AppState>) -> Result<(StatusCode, &'static str), ApiError> {
    if let Some(pool) = state.store.pool() {
        let ping = sqlx::query_scalar::<_, i32>("SELECT 1").fetch_one(pool);
        match tokio::time::timeout(Duration::from_secs(1), ping).await {
            Ok(Ok(_)) => {}
            _ => {
                return Err(ApiError::Unavailable(
                    "the database does not answer: reads go on from memory, writes are refused"
                        .to_owned(),
                ));
            }
        }
    }
    Ok((StatusCode::OK, "ready"))
}
