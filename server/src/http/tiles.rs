//! Vector tiles: `GET /tiles/{layer}/{z}/{x}/{y}.mvt?v=VERSION` (immutable for a year
//! when `v` is the layer's current version; an empty tile is a 204; cached
//! gzip-compressed and sent so to clients that accept it, inflated for the rest),
//! `GET /tiles/{layer}.json` (TileJSON 3.0 whose tile URLs carry the version,
//! revalidated by ETag) and `GET /style.json` (a MapLibre style over them with no
//! glyph or sprite URL: nothing leaves this server; Chinese names are drawn with the
//! viewer's own font).

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

use super::AppState;
use super::error::ApiError;
use super::extract::{FromParams, PathParams, QueryParams, Valid};
use crate::tileset::{TileKey, TileLayer};
use redgrid_tiles::TileCoord;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/tiles/{file}", get(tilejson))
        .route("/tiles/{layer}/{z}/{x}/{file}", get(tile))
        .route("/style.json", get(style))
        .route("/basemap/{z}/{x}/{y}", get(basemap_tile))
}

const MVT: &str = "application/vnd.mapbox-vector-tile";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

fn layer<'a>(state: &'a AppState, id: &str) -> Result<&'a TileLayer, ApiError> {
    state.tiles.layers.get(id).ok_or_else(|| {
        let known: Vec<&str> = state.tiles.layers.keys().copied().collect();
        ApiError::NotFound(format!(
            "no tile layer {id:?}; there are {}",
            known.join(", ")
        ))
    })
}

#[derive(Debug)]
pub struct TileQuery {
    v: Option<String>,
}

impl FromParams for TileQuery {
    /// Other parameters (cache busters) are ignored.
    const STRICT: bool = false;
    fn from_params(q: &mut QueryParams) -> Option<Self> {
        Some(Self { v: q.text("v") })
    }
}

fn number(name: &str, raw: &str) -> Result<u32, ApiError> {
    raw.parse::<u32>().map_err(|_| {
        ApiError::invalid(
            format!("/{name}"),
            format!("must be a whole number, got {raw:?}"),
        )
    })
}

/// One vector tile.
#[utoipa::path(get, path = "/tiles/{layer}/{z}/{x}/{y}.mvt", tag = "tiles",
    params(
        ("layer" = String, Path, description = "land, context, streets, communities, grids, compounds, buildings, sites, major_roads, roads or coverage"),
        ("z" = u32, Path, description = "Zoom, 0–22"),
        ("x" = u32, Path, description = "Column, 0 to 2^z − 1"),
        ("y" = u32, Path, description = "Row, 0 to 2^z − 1 (XYZ scheme)"),
        ("v" = Option<String>, Query, description = "The layer's data version, as its TileJSON gives it: with it the tile is cached for a year"),
    ),
    responses(
        (status = 200, description = "A Mapbox Vector Tile", content_type = "application/vnd.mapbox-vector-tile"),
        (status = 204, description = "Nothing in this tile"),
        (status = 400, description = "Not a tile", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such layer", body = super::error::Problem, content_type = "application/problem+json"),
    ))]
pub async fn tile(
    State(state): State<AppState>,
    headers: HeaderMap,
    PathParams((id, z, x, file)): PathParams<(String, String, String, String)>,
    Valid(query): Valid<TileQuery>,
) -> Result<Response, ApiError> {
    let found = layer(&state, &id)?;
    let y = file
        .strip_suffix(".mvt")
        .ok_or_else(|| ApiError::invalid("/y", format!("tiles end in .mvt, got {file:?}")))?;
    let (z, x, y) = (number("z", &z)?, number("x", &x)?, number("y", y)?);
    let coord = TileCoord::new(z, x, y).map_err(|e| ApiError::invalid("/z", e.to_string()))?;
    let key = TileKey::new(found.id, coord, &found.version);
    let body = match state.tile_cache.get(&key) {
        Some(cached) => cached,
        None => {
            let s = state.clone();
            let id = found.id;
            // Encoded and compressed off the async threads; kept compressed.
            let made = tokio::task::spawn_blocking(move || {
                let raw = s.tiles.layers[id]
                    .tile(coord)
                    .map_err(|e| ApiError::Internal(e.to_string()))?;
                raw.map(|r| gzip(&r)).transpose()
            })
            .await
            .map_err(|e| ApiError::Internal(format!("tile task: {e}")))??
            .map(std::sync::Arc::new);
            state.tile_cache.put(key, made.clone());
            made
        }
    };
    let cache = if query.v.as_deref() == Some(found.version.as_str()) {
        IMMUTABLE
    } else {
        "no-cache"
    };
    let zipped = accepts_gzip(&headers);
    let mut response = match body {
        Some(gz) if zipped => (StatusCode::OK, gz.as_ref().clone()).into_response(),
        Some(gz) => (StatusCode::OK, gunzip(&gz)?).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    };
    let has_body = response.status() == StatusCode::OK;
    let headers = response.headers_mut();
    if zipped && has_body {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(MVT));
    Ok(response)
}

/// Whether the client takes gzip (`Accept-Encoding: gzip` without `q=0`).
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            parts.next().is_some_and(|c| c.eq_ignore_ascii_case("gzip"))
                && parts.all(|p| p.replace(' ', "") != "q=0")
        })
}

fn gzip(raw: &[u8]) -> Result<Vec<u8>, ApiError> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder
        .write_all(raw)
        .and_then(|()| encoder.finish())
        .map_err(|e| ApiError::Internal(format!("gzip: {e}")))
}

fn gunzip(gz: &[u8]) -> Result<Vec<u8>, ApiError> {
    use std::io::Read;
    let mut raw = Vec::new();
    flate2::read::GzDecoder::new(gz)
        .read_to_end(&mut raw)
        .map_err(|e| ApiError::Internal(format!("gunzip: {e}")))?;
    Ok(raw)
}

/// The layer's TileJSON 3.0.
#[utoipa::path(get, path = "/tiles/{layer}.json", tag = "tiles",
    params(("layer" = String, Path, description = "A tile layer's id")),
    responses(
        (status = 200, description = "TileJSON 3.0; tile URLs carry the layer's data version"),
        (status = 304, description = "Unchanged (If-None-Match)"),
        (status = 404, description = "No such layer", body = super::error::Problem, content_type = "application/problem+json"),
    ))]
pub async fn tilejson(
    State(state): State<AppState>,
    headers: HeaderMap,
    PathParams(file): PathParams<String>,
) -> Result<Response, ApiError> {
    let id = file
        .strip_suffix(".json")
        .ok_or_else(|| ApiError::NotFound(format!("no such tile resource {file:?}")))?;
    let found = layer(&state, id)?;
    let etag = format!("\"{}\"", found.version);
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let mut response = if unchanged {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        axum::Json(tilejson_of(&state, found, &super::base_url(&headers))).into_response()
    };
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    Ok(response)
}

fn tilejson_of(state: &AppState, layer: &TileLayer, base: &str) -> Value {
    let fields: serde_json::Map<String, Value> = layer
        .fields
        .iter()
        .map(|(name, kind)| ((*name).to_owned(), json!(kind)))
        .collect();
    let bounds = layer.bounds.unwrap_or([-180.0, -85.0, 180.0, 85.0]);
    json!({
        "tilejson": "3.0.0",
        "name": layer.title,
        "version": "1.0.0",
        "scheme": "xyz",
        "tiles": [format!("{base}/tiles/{}/{{z}}/{{x}}/{{y}}.mvt?v={}", layer.id, layer.version)],
        "minzoom": layer.min_zoom(),
        "maxzoom": layer.max_zoom(),
        "bounds": bounds,
        "center": [(bounds[0] + bounds[2]) / 2.0, (bounds[1] + bounds[3]) / 2.0, 12],
        "vector_layers": [{
            "id": layer.id,
            "fields": fields,
            "minzoom": layer.min_zoom(),
            "maxzoom": layer.max_zoom(),
        }],
        "attribution": if state.store.dataset().synthetic() { "演示数据（合成） synthetic demo data" } else { "" },
    })
}

/// A tile of the configured PMTiles basemap.
#[utoipa::path(get, path = "/basemap/{z}/{x}/{y}", tag = "tiles",
    params(
        ("z" = u32, Path, description = "Zoom"),
        ("x" = u32, Path, description = "Column"),
        ("y" = u32, Path, description = "Row"),
    ),
    responses(
        (status = 200, description = "A raster tile of the basemap"),
        (status = 204, description = "No tile there"),
        (status = 400, description = "Not a tile", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No local basemap is configured", body = super::error::Problem, content_type = "application/problem+json"),
    ))]
pub async fn basemap_tile(
    State(state): State<AppState>,
    PathParams((z, x, y)): PathParams<(String, String, String)>,
) -> Result<Response, ApiError> {
    let Some(basemap @ crate::basemap::Basemap::Pmtiles { .. }) = state.basemap.as_deref() else {
        return Err(ApiError::NotFound(
            "no local basemap is configured (--basemap FILE.pmtiles)".to_owned(),
        ));
    };
    let (z, x, y) = (number("z", &z)?, number("x", &x)?, number("y", &y)?);
    let coord = TileCoord::new(z, x, y).map_err(|e| ApiError::invalid("/z", e.to_string()))?;
    let found = basemap
        .tile(coord.z(), coord.x(), coord.y())
        .await
        .map_err(|e| ApiError::Internal(format!("basemap: {e}")))?;
    let mut response = match found {
        Some((bytes, content_type)) => {
            let mut r = (StatusCode::OK, bytes).into_response();
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            r
        }
        None => StatusCode::NO_CONTENT.into_response(),
    };
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    Ok(response)
}

/// The style's basemap source, when one is configured.
fn basemap_source(state: &AppState, base: &str) -> Option<Value> {
    use crate::basemap::Basemap;
    Some(match state.basemap.as_deref()? {
        Basemap::Url { template } => {
            json!({"type": "raster", "tiles": [template], "tileSize": 256})
        }
        Basemap::Pmtiles {
            min_zoom, max_zoom, ..
        } => json!({
            "type": "raster",
            "tiles": [format!("{base}/basemap/{{z}}/{{x}}/{{y}}")],
            "tileSize": 256,
            "minzoom": min_zoom,
            "maxzoom": max_zoom,
        }),
    })
}

/// A MapLibre style over every tile layer.
#[utoipa::path(get, path = "/style.json", tag = "tiles",
    responses((status = 200, description = "A MapLibre style (version 8) whose sources are this server's TileJSON; no glyphs or sprite")))]
pub async fn style(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let base = super::base_url(&headers);
    let basemap = basemap_source(&state, &base);
    let ds = state.store.dataset();
    let style = crate::tileset::style(
        &state.tiles,
        crate::tileset::StyleInputs {
            base: &base,
            basemap,
            data_date: ds.data_date.as_deref(),
        },
    );
    let mut response = axum::Json(style).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}
