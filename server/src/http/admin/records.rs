//! `GET /api/v1/admin/records/{layer}?q=&offset=&limit=`: one layer's records as a
//! table for the console, searched by any property's text, each with a point to
//! show it at on the map.

use axum::Json;
use axum::extract::State;
use geo::BoundingRect;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::Admin;
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::http::extract::{FromParams, PathParams, QueryParams, Valid};
use crate::store::postgis::tables::{self, Table};

/// Layers the console lists.
pub const LISTED: [&str; 6] = [
    "sites",
    "grids",
    "compounds",
    "buildings",
    "workers",
    "communities",
];
const MAX_LIMIT: u64 = 500;

#[derive(Debug)]
pub struct RecordsQuery {
    q: Option<String>,
    offset: usize,
    limit: usize,
}

impl FromParams for RecordsQuery {
    fn from_params(q: &mut QueryParams) -> Option<Self> {
        let text = q
            .text("q")
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty());
        if text.as_ref().is_some_and(|t| t.chars().count() > 100) {
            q.reject("q", "at most 100 characters");
        }
        let offset = q.integer("offset", 0..=10_000_000).unwrap_or(0) as usize;
        let limit = q.integer("limit", 1..=MAX_LIMIT).unwrap_or(50) as usize;
        Some(Self {
            q: text,
            offset,
            limit,
        })
    }
}

/// One record as a table row.
#[derive(Debug, Serialize, ToSchema)]
pub struct Record {
    pub id: String,
    #[schema(value_type = Object)]
    pub properties: Value,
    /// Where to show it: a site's point, an area's bounding-box centre.
    pub at: Option<[f64; 2]>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Records {
    pub layer: String,
    /// Records matching the search, before paging.
    pub total: usize,
    pub offset: usize,
    pub items: Vec<Record>,
}

/// One layer's records, searched (admin).
#[utoipa::path(get, path = "/api/v1/admin/records/{layer}", tag = "admin",
    security(("bearer" = [])),
    params(
        ("layer" = String, Path, description = "sites, grids, compounds, buildings, workers or communities"),
        ("q" = Option<String>, Query, description = "Text any property contains (case-insensitive)"),
        ("offset" = Option<u64>, Query, description = "Records to skip"),
        ("limit" = Option<u64>, Query, description = "At most this many, 1–500 (default 50)"),
    ),
    responses(
        (status = 200, description = "The matching records", body = Records),
        (status = 400, description = "Invalid parameter", body = crate::http::error::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No admin token or session", body = crate::http::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the admin role", body = crate::http::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such layer", body = crate::http::error::Problem, content_type = "application/problem+json"),
    ))]
pub async fn records(
    State(state): State<AppState>,
    _admin: Admin,
    PathParams(layer): PathParams<String>,
    Valid(query): Valid<RecordsQuery>,
) -> Result<Json<Records>, ApiError> {
    let table = Table::by_name(&layer)
        .filter(|t| LISTED.contains(&t.name))
        .ok_or_else(|| {
            ApiError::NotFound(format!(
                "no layer {layer:?}; the console lists {}",
                LISTED.join(", ")
            ))
        })?;
    let rows = tables::dataset_rows(state.store.dataset(), table)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let matching: Vec<_> = rows
        .into_iter()
        .filter(|row| query.q.as_deref().is_none_or(|q| contains(&row.props, q)))
        .collect();
    let total = matching.len();
    let items = matching
        .into_iter()
        .skip(query.offset)
        .take(query.limit)
        .map(|row| Record {
            id: row.id.unwrap_or_default(),
            at: row
                .geometry
                .as_ref()
                .and_then(|g| g.bounding_rect())
                .map(|r| {
                    let c = r.center();
                    [c.x, c.y]
                }),
            properties: row.props,
        })
        .collect();
    Ok(Json(Records {
        layer: table.name.to_owned(),
        total,
        offset: query.offset,
        items,
    }))
}

/// Whether any text or number in `value` contains `needle` (lowercase).
fn contains(value: &Value, needle: &str) -> bool {
    match value {
        Value::String(s) => s.to_lowercase().contains(needle),
        Value::Number(n) => n.to_string().contains(needle),
        Value::Array(items) => items.iter().any(|v| contains(v, needle)),
        Value::Object(members) => members.values().any(|v| contains(v, needle)),
        _ => false,
    }
}
