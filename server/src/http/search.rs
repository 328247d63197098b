//! `GET /api/v1/search?q=`: places by Chinese name, full pinyin, initials or a mix,
//! ranked exact > prefix > initials > fuzzy.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use super::AppState;
use super::error::ApiError;
use super::extract::{FromParams, QueryParams, Valid};
use crate::search::{Hit, PlaceKind};

/// Longest query accepted, in characters.
const MAX_QUERY_CHARS: usize = 64;
const KIND_NAMES: [&str; 7] = [
    "street",
    "community",
    "grid",
    "site",
    "compound",
    "road",
    "building",
];

#[derive(Debug)]
pub struct SearchQuery {
    q: String,
    kinds: Option<Vec<PlaceKind>>,
    limit: usize,
}

fn kind_of(name: &str) -> Option<PlaceKind> {
    serde_json::from_value(serde_json::Value::String(name.trim().to_owned())).ok()
}

impl FromParams for SearchQuery {
    fn from_params(q: &mut QueryParams) -> Option<Self> {
        let text = q.required("q");
        let limit = q.integer("limit", 1..=50).unwrap_or(10) as usize;
        let kinds = q.text("kind").and_then(|raw| {
            let parsed: Option<Vec<PlaceKind>> = raw.split(',').map(kind_of).collect();
            if parsed.is_none() {
                q.reject(
                    "kind",
                    format!(
                        "each kind must be one of {}, got {raw:?}",
                        KIND_NAMES.join(", ")
                    ),
                );
            }
            parsed
        });
        let text = text?;
        let chars = crate::search::normalise(&text).chars().count();
        if chars == 0 {
            q.reject("q", "must hold at least one character besides spaces");
            return None;
        }
        if text.chars().count() > MAX_QUERY_CHARS {
            q.reject("q", format!("must be at most {MAX_QUERY_CHARS} characters"));
            return None;
        }
        Some(Self {
            q: text,
            kinds,
            limit,
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResponse {
    query: String,
    results: Vec<Hit>,
}

/// Places found by name: Chinese text, full pinyin (every reading of a polyphone),
/// initials (`xyjd` → 向阳街道), mixed (`xiangyang jd`) or prefixes.
#[utoipa::path(get, path = "/api/v1/search", tag = "places",
    params(
        ("q" = String, Query, description = "What to find, at most 64 characters"),
        ("kind" = Option<String>, Query, description = "Comma-separated kinds: street, community, grid, site, compound, road, building"),
        ("limit" = Option<u32>, Query, description = "Most results, 1–50 (default 10)"),
    ),
    responses(
        (status = 200, description = "Places, best match first", body = SearchResponse),
        (status = 400, description = "A bad parameter", body = super::error::Problem, content_type = "application/problem+json"),
    ))]
pub async fn search(
    State(state): State<AppState>,
    Valid(query): Valid<SearchQuery>,
) -> Result<Json<SearchResponse>, ApiError> {
    let results = state
        .search
        .search(&query.q, query.kinds.as_deref(), query.limit);
    Ok(Json(SearchResponse {
        query: query.q,
        results,
    }))
}
