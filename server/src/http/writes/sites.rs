//! `POST /api/v1/sites`, `GET`/`PATCH`/`DELETE /api/v1/sites/{id}`. A new site needs
//! only its Point, `kind` and `name`: the id is generated, the street, community and
//! grid are taken from where it stands, and a station's `network` defaults to
//! `honggang` (芝罘红港).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{Change, WriteProblems, Writer, answer, apply, feature, merge_patch, table, typed};
use crate::geo::LonLat;
use crate::http::AppState;
use crate::http::error::{ApiError, FieldError};
use crate::http::extract::{JsonBody, PathParams};
use crate::model::SiteProps;
use crate::store::postgis::edit;
use crate::store::postgis::tables::{self, Row};
use crate::tileset::DataChange;

/// The site's Point from a GeoJSON geometry, on the district's land.
fn point(
    state: &AppState,
    geometry: &Value,
) -> Result<(geo::Point<f64>, crate::locate::Located), ApiError> {
    let bad = |reason: String| ApiError::invalid("/body/geometry", reason);
    let parsed = geojson::Geometry::from_json_value(geometry.clone())
        .map_err(|e| bad(format!("not a GeoJSON geometry: {e}")))?;
    let geojson::Value::Point(position) = parsed.value else {
        return Err(bad("a site's geometry must be a Point".to_owned()));
    };
    let [lon, lat] = position[..] else {
        return Err(bad("a Point has two coordinates: [lon, lat]".to_owned()));
    };
    let p = LonLat::new(lon, lat).map_err(|e| bad(e.to_string()))?;
    let located =
        crate::locate::locate(state.store.dataset(), &state.indexes, p).map_err(|_| {
            ApiError::InvalidParameters(vec![FieldError::new(
                "/body/geometry",
                format!("{} is outside the district's land", p.rounded7()),
            )])
        })?;
    Ok((geo::Point::new(lon, lat), located))
}

/// The stored record for `props` at `geometry`: typed, placed, its references known.
fn site_row(
    state: &AppState,
    id: &str,
    geometry: &Value,
    mut props: Value,
) -> Result<Row, ApiError> {
    let (at, located) = point(state, geometry)?;
    let ds = state.store.dataset();
    let Value::Object(members) = &mut props else {
        return Err(ApiError::invalid("/body/properties", "must be an object"));
    };
    members.insert("id".to_owned(), Value::from(id));
    let derived = [
        (
            "street_id",
            located.street.map(|i| ds.streets[i].props.id.to_string()),
        ),
        (
            "community_id",
            located
                .community
                .map(|i| ds.communities[i].props.id.to_string()),
        ),
        (
            "grid_id",
            located.grid.map(|i| ds.grids[i].props.id.to_string()),
        ),
    ];
    let mut errors = Vec::new();
    for (key, value) in &derived {
        if let Some(given) = members.get(*key).filter(|v| !v.is_null())
            && given.as_str() != value.as_deref()
        {
            errors.push(FieldError::new(
                format!("/body/properties/{key}"),
                format!(
                    "derived from where the site stands ({}), not given",
                    value.as_deref().unwrap_or("none")
                ),
            ));
        }
    }
    for (key, value) in derived {
        match value {
            Some(v) => members.insert(key.to_owned(), Value::from(v)),
            None => members.remove(key),
        };
    }
    if members.get("kind") == Some(&Value::from("station")) && !members.contains_key("network") {
        members.insert("network".to_owned(), Value::from("honggang"));
    }
    let props = typed::<SiteProps>(props, "/body/properties")?;
    let site: SiteProps =
        serde_json::from_value(props.clone()).map_err(|e| ApiError::Internal(e.to_string()))?;
    let ids = ds.ids();
    if let Some(host) = &site.host_site_id
        && (!ids.sites.contains_key(host) || host.as_str() == id)
    {
        errors.push(FieldError::new(
            "/body/properties/host_site_id",
            format!("no other site {host}"),
        ));
    }
    for (i, c) in site.paired_community_ids.iter().enumerate() {
        if !ids.communities.contains_key(c) {
            errors.push(FieldError::new(
                format!("/body/properties/paired_community_ids/{i}"),
                format!("no community {c}"),
            ));
        }
    }
    if let Some(entrance) = &site.entrance
        && let Some(reason) = crate::store::entrance_problem(ds, entrance, None)
    {
        errors.push(FieldError::new("/body/properties/entrance", reason));
    }
    if !errors.is_empty() {
        return Err(ApiError::InvalidParameters(errors));
    }
    Ok(Row {
        id: Some(id.to_owned()),
        props,
        geometry: Some(at.into()),
    })
}

/// A body that must be a JSON object; `allowed` its only members.
fn object<'a>(
    body: &'a Value,
    allowed: &[&str],
) -> Result<&'a serde_json::Map<String, Value>, ApiError> {
    let Value::Object(members) = body else {
        return Err(ApiError::invalid("/body", "must be a JSON object"));
    };
    let unknown: Vec<FieldError> = members
        .keys()
        .filter(|k| !allowed.contains(&k.as_str()))
        .map(|k| {
            FieldError::new(
                format!("/body/{k}"),
                format!("unknown member; expected {}", allowed.join(", ")),
            )
        })
        .collect();
    if unknown.is_empty() {
        Ok(members)
    } else {
        Err(ApiError::InvalidParameters(unknown))
    }
}

/// The tiles of the sites layer over where the site was and is.
fn invalidate_tiles(state: &AppState, before: Option<&Row>, after: Option<&Row>, version: i64) {
    let mercator = |row: Option<&Row>| {
        let geo::Geometry::Point(p) = row?.geometry.as_ref()? else {
            return None;
        };
        let (x, y) = redgrid_tiles::lon_lat_to_mercator(p.x(), p.y());
        Some([x, y, x, y])
    };
    state.tile_cache.invalidate(&DataChange {
        layer: "sites",
        bbox_before: mercator(before),
        bbox_after: mercator(after),
        version: version.to_string(),
    });
}

/// A site's answer: the Feature, its version as `ETag`, and where it lives.
fn site_answer(status: StatusCode, row: &Row, version: i64) -> Response {
    let mut response = answer(status, feature(row), version);
    if let Some(id) = &row.id
        && let Ok(location) = format!("/api/v1/sites/{id}").parse()
    {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// Add a site.
#[utoipa::path(post, path = "/api/v1/sites", tag = "admin",
    security(("bearer" = [])),
    request_body(content = Object, description = "A GeoJSON Feature: a Point, and properties with at least `kind` and `name`"),
    responses(
        (status = 201, description = "The stored site as a GeoJSON Feature; `Location` and `ETag` name it"),
        (status = 422, description = "The Point is not on the district's land, or a reference is unknown", body = crate::http::error::Problem, content_type = "application/problem+json"),
        WriteProblems,
    ))]
pub async fn create_site(
    State(state): State<AppState>,
    writer: Writer,
    headers: HeaderMap,
    JsonBody(body): JsonBody<Value>,
) -> Result<Response, ApiError> {
    let members = object(&body, &["type", "geometry", "properties"])?;
    if members.get("type") != Some(&Value::from("Feature")) {
        return Err(ApiError::invalid("/body/type", "must be \"Feature\""));
    }
    let props = members.get("properties").cloned().unwrap_or(json!({}));
    if props.get("id").is_some() {
        return Err(ApiError::invalid(
            "/body/properties/id",
            "ids are given by the server",
        ));
    }
    let geometry = members.get("geometry").cloned().unwrap_or(Value::Null);
    create_site_from(&state, &writer, &headers, geometry, props).await
}

/// Adds a site at `geometry` with `props` (no id: one is generated).
pub async fn create_site_from(
    state: &AppState,
    writer: &Writer,
    headers: &HeaderMap,
    geometry: Value,
    props: Value,
) -> Result<Response, ApiError> {
    let change = Change {
        table: table("sites")?,
        id: Err(('S', 5)),
        action: "create",
        existing: false,
    };
    let applied = apply(state, writer, headers, change, |id, _| {
        site_row(state, id, &geometry, props).map(Some)
    })
    .await?;
    let row = applied
        .after
        .as_ref()
        .ok_or_else(|| ApiError::Internal("no row".to_owned()))?;
    invalidate_tiles(state, None, Some(row), applied.written.data_version);
    Ok(site_answer(
        StatusCode::CREATED,
        row,
        applied.written.version,
    ))
}

/// Change a site: `properties` merged as an RFC 7386 patch (`null` removes), a new
/// Point moves it (its street, community and grid follow).
#[utoipa::path(patch, path = "/api/v1/sites/{id}", tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The site's id"),
        ("If-Match" = Option<String>, Header, description = "The version (ETag) the change was made against")),
    request_body(content = Object, description = "{properties?: merge patch, geometry?: Point}"),
    responses(
        (status = 200, description = "The stored site; `ETag` is its new version"),
        (status = 404, description = "No such site", body = crate::http::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The Point is not on the district's land, or a reference is unknown", body = crate::http::error::Problem, content_type = "application/problem+json"),
        WriteProblems,
    ))]
pub async fn update_site(
    State(state): State<AppState>,
    writer: Writer,
    headers: HeaderMap,
    PathParams(id): PathParams<String>,
    JsonBody(body): JsonBody<Value>,
) -> Result<Response, ApiError> {
    let members = object(&body, &["type", "geometry", "properties"])?;
    let patch = members.get("properties").cloned().unwrap_or(json!({}));
    if patch
        .get("id")
        .is_some_and(|given| given != &Value::from(id.as_str()))
    {
        return Err(ApiError::invalid(
            "/body/properties/id",
            "a site's id does not change",
        ));
    }
    let geometry = members.get("geometry").cloned();
    let change = Change {
        table: table("sites")?,
        id: Ok(id),
        action: "update",
        existing: true,
    };
    let applied = apply(&state, &writer, &headers, change, |id, before| {
        let before = before.ok_or_else(|| ApiError::NotFound(format!("no site {id}")))?;
        let mut props = before.props.clone();
        merge_patch(&mut props, &patch);
        let geometry = geometry.unwrap_or_else(|| tables::feature_json(before)["geometry"].clone());
        site_row(&state, id, &geometry, props).map(Some)
    })
    .await?;
    let row = applied
        .after
        .as_ref()
        .ok_or_else(|| ApiError::Internal("no row".to_owned()))?;
    invalidate_tiles(
        &state,
        applied.before.as_ref(),
        Some(row),
        applied.written.data_version,
    );
    Ok(site_answer(StatusCode::OK, row, applied.written.version))
}

/// Remove a site.
#[utoipa::path(delete, path = "/api/v1/sites/{id}", tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The site's id"),
        ("If-Match" = Option<String>, Header, description = "The version (ETag) the deletion was decided on")),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such site", body = crate::http::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Other records still name it", body = crate::http::error::Problem, content_type = "application/problem+json"),
        WriteProblems,
    ))]
pub async fn delete_site(
    State(state): State<AppState>,
    writer: Writer,
    headers: HeaderMap,
    PathParams(id): PathParams<String>,
) -> Result<StatusCode, ApiError> {
    let hosted: Vec<String> = state
        .store
        .dataset()
        .sites
        .iter()
        .filter(|s| {
            s.props
                .host_site_id
                .as_ref()
                .is_some_and(|h| h.as_str() == id)
        })
        .map(|s| s.props.id.to_string())
        .collect();
    if !hosted.is_empty() {
        return Err(ApiError::Conflict(format!(
            "sites {} are hosted by {id}; move or remove them first",
            hosted.join(", ")
        )));
    }
    let change = Change {
        table: table("sites")?,
        id: Ok(id),
        action: "delete",
        existing: true,
    };
    let applied = apply(&state, &writer, &headers, change, |_, _| Ok(None)).await?;
    invalidate_tiles(
        &state,
        applied.before.as_ref(),
        None,
        applied.written.data_version,
    );
    Ok(StatusCode::NO_CONTENT)
}

/// A site as stored, with its version as `ETag` (for `If-Match`). From the database
/// when there is one, so the version is current.
#[utoipa::path(get, path = "/api/v1/sites/{id}", tag = "sites",
    params(("id" = String, Path, description = "The site's id")),
    responses(
        (status = 200, description = "The site as a GeoJSON Feature; `ETag` is its version"),
        (status = 404, description = "No such site", body = crate::http::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database cannot be read now", body = crate::http::error::Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_site(
    State(state): State<AppState>,
    PathParams(id): PathParams<String>,
) -> Result<Response, ApiError> {
    let missing = || ApiError::NotFound(format!("no site {id}"));
    let Some(pool) = state.store.pool() else {
        let ds = state.store.dataset();
        let i = ds
            .ids()
            .sites
            .get(&crate::model::Id::new(id.clone()).map_err(|_| missing())?)
            .copied()
            .ok_or_else(missing)?;
        let item = &ds.layer(crate::store::LayerId::Sites).items[i];
        return Ok((
            [(header::CONTENT_TYPE, "application/geo+json")],
            item.json.get().to_owned(),
        )
            .into_response());
    };
    let mut db = pool
        .acquire()
        .await
        .map_err(|e| super::store_error(crate::error::Error::Database(e.to_string())))?;
    let current = edit::current(&mut db, table("sites")?, &id)
        .await
        .map_err(super::store_error)?
        .ok_or_else(missing)?;
    Ok(site_answer(StatusCode::OK, &current.row, current.version))
}
