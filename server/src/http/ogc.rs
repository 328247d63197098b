//! OGC API – Features Part 1 (core, GeoJSON) over the published layers, so QGIS and
//! GDAL open them directly. Personal data is never a collection.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Value, json};

use super::AppState;
use super::error::ApiError;
use super::extract::{FromParams, PathParams, QueryParams, Valid};
use crate::geo::BBox;
use crate::store::LayerId;

const CRS84: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
const DEFAULT_LIMIT: u64 = 10;
const MAX_LIMIT: u64 = 10_000;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(landing))
        .route("/conformance", get(conformance))
        .route("/collections", get(collections))
        .route("/collections/{id}", get(collection))
        .route("/collections/{id}/items", get(items))
        .route("/collections/{id}/items/{fid}", get(item))
}

use super::base_url;

fn link(href: String, rel: &str, media_type: &str, title: &str) -> Value {
    json!({"href": href, "rel": rel, "type": media_type, "title": title})
}

/// OGC landing page.
#[utoipa::path(get, path = "/ogc", tag = "ogc", responses((status = 200, description = "Landing page")))]
pub async fn landing(headers: HeaderMap) -> Response {
    let base = base_url(&headers);
    axum::Json(json!({
        "title": "RedGrid 区域化党建资源地图",
        "description": "Layers of the district's grid system and service sites (OGC API - Features)",
        "links": [
            link(format!("{base}/ogc"), "self", "application/json", "This document"),
            link(format!("{base}/api/v1/openapi.json"), "service-desc", "application/vnd.oai.openapi+json;version=3.1", "API definition"),
            link(format!("{base}/ogc/conformance"), "conformance", "application/json", "Conformance classes"),
            link(format!("{base}/ogc/collections"), "data", "application/json", "Collections"),
        ]
    }))
    .into_response()
}

/// Conformance classes implemented.
#[utoipa::path(get, path = "/ogc/conformance", tag = "ogc", responses((status = 200, description = "Conformance classes")))]
pub async fn conformance() -> Response {
    axum::Json(json!({"conformsTo": [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    ]}))
    .into_response()
}

fn describe_collection(state: &AppState, base: &str, id: LayerId) -> Value {
    let data = state.store.dataset().layer(id);
    let (zh, en) = id.titles();
    let name = id.as_str();
    let mut spatial = json!({"crs": CRS84});
    if let Some(b) = data.bbox {
        spatial["bbox"] = json!([<[f64; 4]>::from(b)]);
    }
    json!({
        "id": name,
        "title": zh,
        "description": en,
        "itemType": "feature",
        "crs": [CRS84],
        "extent": {"spatial": spatial},
        "links": [
            link(format!("{base}/ogc/collections/{name}"), "self", "application/json", zh),
            link(format!("{base}/ogc/collections/{name}/items"), "items", "application/geo+json", zh),
        ]
    })
}

fn visible_layer(state: &AppState, id: &str) -> Result<LayerId, ApiError> {
    LayerId::parse(id)
        .filter(|l| state.is_visible(*l))
        .ok_or_else(|| ApiError::NotFound(format!("no collection named {id:?}")))
}

/// The published collections.
#[utoipa::path(get, path = "/ogc/collections", tag = "ogc", responses((status = 200, description = "Collections")))]
pub async fn collections(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let base = base_url(&headers);
    let collections: Vec<Value> = state
        .visible_layers()
        .map(|id| describe_collection(&state, &base, id))
        .collect();
    axum::Json(json!({
        "links": [link(format!("{base}/ogc/collections"), "self", "application/json", "Collections")],
        "collections": collections,
    }))
    .into_response()
}

/// One collection.
#[utoipa::path(get, path = "/ogc/collections/{id}", tag = "ogc",
    params(("id" = String, Path, description = "Collection id, e.g. grids")),
    responses((status = 200, description = "Collection"), (status = 404, description = "No such collection", body = super::error::Problem, content_type = "application/problem+json")))]
pub async fn collection(
    State(state): State<AppState>,
    headers: HeaderMap,
    PathParams(id): PathParams<String>,
) -> Result<Response, ApiError> {
    let layer = visible_layer(&state, &id)?;
    Ok(axum::Json(describe_collection(&state, &base_url(&headers), layer)).into_response())
}

#[derive(Debug)]
pub struct ItemsQuery {
    bbox: Option<BBox>,
    limit: u64,
    offset: u64,
}

impl FromParams for ItemsQuery {
    /// OGC clients add parameters of their own (`f`, …); unknown ones are ignored.
    const STRICT: bool = false;

    fn from_params(q: &mut QueryParams) -> Option<Self> {
        let limit = q
            .integer("limit", 1..=u64::MAX)
            .unwrap_or(DEFAULT_LIMIT)
            .min(MAX_LIMIT);
        let offset = q.integer("offset", 0..=u64::MAX).unwrap_or(0);
        let bbox = q.text("bbox").and_then(|raw| parse_bbox(q, &raw));
        if let Some(f) = q
            .text("f")
            .filter(|f| !matches!(f.as_str(), "json" | "geojson"))
        {
            q.reject("f", format!("only json is served, got {f:?}"));
        }
        Some(Self {
            bbox,
            limit,
            offset,
        })
    }
}

fn parse_bbox(q: &mut QueryParams, raw: &str) -> Option<BBox> {
    let values: Result<Vec<f64>, _> = raw.split(',').map(|v| v.trim().parse::<f64>()).collect();
    let result = match values.as_deref() {
        Ok([a, b, c, d]) => BBox::new(*a, *b, *c, *d).map_err(|e| e.to_string()),
        Ok(v) => Err(format!(
            "must be 4 numbers min_lon,min_lat,max_lon,max_lat, got {}",
            v.len()
        )),
        Err(_) => Err(format!("must be 4 comma-separated numbers, got {raw:?}")),
    };
    result.map_err(|reason| q.reject("bbox", reason)).ok()
}

#[derive(Serialize)]
struct ItemsPage<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    features: Vec<&'a RawValue>,
    links: Vec<Value>,
    #[serde(rename = "numberMatched")]
    number_matched: usize,
    #[serde(rename = "numberReturned")]
    number_returned: usize,
}

fn geo_json(body: Vec<u8>) -> Response {
    let mut response = body.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/geo+json"),
    );
    response
}

/// Features of a collection, paged, optionally within a bbox.
#[utoipa::path(get, path = "/ogc/collections/{id}/items", tag = "ogc",
    params(
        ("id" = String, Path, description = "Collection id"),
        ("bbox" = Option<String>, Query, description = "min_lon,min_lat,max_lon,max_lat (WGS-84)"),
        ("limit" = Option<u64>, Query, description = "Page size, default 10, at most 10000"),
        ("offset" = Option<u64>, Query, description = "Features to skip"),
    ),
    responses(
        (status = 200, description = "GeoJSON FeatureCollection", content_type = "application/geo+json"),
        (status = 400, description = "Invalid parameters", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such collection", body = super::error::Problem, content_type = "application/problem+json"),
    ))]
pub async fn items(
    State(state): State<AppState>,
    headers: HeaderMap,
    PathParams(id): PathParams<String>,
    Valid(query): Valid<ItemsQuery>,
) -> Result<Response, ApiError> {
    let layer = visible_layer(&state, &id)?;
    let data = state.store.dataset().layer(layer);
    let matched: Vec<&RawValue> = data
        .items
        .iter()
        .filter(|item| query.bbox.is_none_or(|b| b.intersects(item.bbox)))
        .map(|item| item.json.as_ref())
        .collect();
    let start = usize::try_from(query.offset)
        .unwrap_or(usize::MAX)
        .min(matched.len());
    let end = start
        .saturating_add(query.limit as usize)
        .min(matched.len());
    let page: Vec<&RawValue> = matched[start..end].to_vec();

    let base = base_url(&headers);
    let bbox_param = query
        .bbox
        .map(|b| {
            let [a, b2, c, d] = <[f64; 4]>::from(b);
            format!("&bbox={a},{b2},{c},{d}")
        })
        .unwrap_or_default();
    let href = |offset: usize| {
        format!(
            "{base}/ogc/collections/{}/items?limit={}&offset={offset}{bbox_param}",
            layer.as_str(),
            query.limit
        )
    };
    let mut links = vec![
        link(href(start), "self", "application/geo+json", "This page"),
        link(
            format!("{base}/ogc/collections/{}", layer.as_str()),
            "collection",
            "application/json",
            "Collection",
        ),
    ];
    if end < matched.len() {
        links.push(link(href(end), "next", "application/geo+json", "Next page"));
    }
    if start > 0 {
        links.push(link(
            href(start.saturating_sub(query.limit as usize)),
            "prev",
            "application/geo+json",
            "Previous page",
        ));
    }
    let body = serde_json::to_vec(&ItemsPage {
        kind: "FeatureCollection",
        number_returned: page.len(),
        features: page,
        links,
        number_matched: matched.len(),
    })
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(geo_json(body))
}

/// One feature by id.
#[utoipa::path(get, path = "/ogc/collections/{id}/items/{fid}", tag = "ogc",
    params(("id" = String, Path, description = "Collection id"), ("fid" = String, Path, description = "Feature id")),
    responses(
        (status = 200, description = "GeoJSON Feature", content_type = "application/geo+json"),
        (status = 404, description = "No such collection or feature", body = super::error::Problem, content_type = "application/problem+json"),
    ))]
pub async fn item(
    State(state): State<AppState>,
    PathParams((id, fid)): PathParams<(String, String)>,
) -> Result<Response, ApiError> {
    let layer = visible_layer(&state, &id)?;
    let item = state
        .store
        .dataset()
        .layer(layer)
        .items
        .iter()
        .find(|item| item.id == fid)
        .ok_or_else(|| ApiError::NotFound(format!("no feature {fid:?} in {id}")))?;
    Ok(geo_json(item.json.get().as_bytes().to_vec()))
}
