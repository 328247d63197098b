//! `GET /api/v1/nearest`, `/api/v1/isochrone` and `/api/v1/sites/{id}/service-area`:
//! walking reachability on the network, every answer with its basis and the snapped
//! origin. Sites and population are counted from their own walking distances.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use geo::{Area, MapCoords};
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::AppState;
use super::error::ApiError;
use super::extract::{FromParams, PathParams, QueryParams, Valid};
use super::nearby::Nearby;
use super::walking::{Basis, Walking};
use crate::geo::LonLat;
use crate::model::{SiteKind, is_open};
use crate::reach::{Bands, CellSize, Placed, contours, nearest_sites, reach_target, route, search};
use crate::store::LayerId;

const MAX_K: u64 = 20;
/// How far `nearest` looks, metres.
const NEAREST_REACH_M: f64 = 5_000.0;

/// Where the origin met the network.
#[derive(Debug, Serialize, ToSchema)]
pub struct Snapped {
    lon: f64,
    lat: f64,
    /// Straight distance from the point to the network, metres, counted in the walk.
    offset_m: f64,
}

/// The walk found by the last search from `origin` to a placed target, lon/lat.
pub(super) fn walk_line(
    state: &AppState,
    search_state: &crate::reach::SearchState,
    origin: &Placed,
    target: &Placed,
    reached: &crate::reach::Reached,
) -> Vec<[f64; 2]> {
    let path = route(
        &state.graph,
        search_state,
        origin,
        &target.snap,
        target.point,
        reached,
    );
    path.iter().map(|&p| lon_lat(state, p)).collect()
}

fn lon_lat(state: &AppState, p: [f64; 2]) -> [f64; 2] {
    let ll = state.indexes.projection.unproject(p[0], p[1]).rounded7();
    [ll.lon(), ll.lat()]
}

fn snapped(state: &AppState, origin: &Placed) -> Snapped {
    let first = &origin.snap;
    let [lon, lat] = lon_lat(state, first.point);
    Snapped {
        lon,
        lat,
        offset_m: f64::from(first.offset_dm) / 10.0,
    }
}

fn place(state: &AppState, point: LonLat) -> Result<Placed, ApiError> {
    let (x, y) = state.indexes.projection.project(point);
    state
        .reach
        .place(&state.graph, [x, y])
        .map_err(|e| ApiError::Unprocessable(format!("{e}: {}", point.rounded7())))
}

fn basis(state: &AppState, walking: &Walking) -> Basis {
    walking.basis(state.store.dataset())
}

pub(super) fn kinds_of(raw: &str) -> Result<Vec<SiteKind>, String> {
    raw.split(',')
        .map(|k| {
            serde_json::from_value::<SiteKind>(Value::String(k.trim().to_owned()))
                .map_err(|_| format!("unknown site kind {:?}", k.trim()))
        })
        .collect()
}

#[derive(Debug)]
pub struct NearestQuery {
    point: LonLat,
    k: usize,
    kinds: Option<Vec<SiteKind>>,
    service: Option<String>,
    open_now: bool,
    speed: f64,
}

impl FromParams for NearestQuery {
    fn from_params(q: &mut QueryParams) -> Option<Self> {
        let point = q.point();
        let k = q.integer("k", 1..=MAX_K).unwrap_or(3) as usize;
        let kinds = q.text("kind").and_then(|raw| match kinds_of(&raw) {
            Ok(kinds) => Some(kinds),
            Err(reason) => {
                q.reject("kind", reason);
                None
            }
        });
        let service = q.text("service");
        let open_now = q
            .choice::<bool>("open_now", &["true", "false"])
            .unwrap_or(false);
        let speed = super::walking::speed(q);
        Some(Self {
            point: point?.0,
            k,
            kinds,
            service,
            open_now,
            speed: speed?,
        })
    }
}

/// The nearest sites on foot.
#[utoipa::path(get, path = "/api/v1/nearest", tag = "residents",
    params(
        ("lon" = f64, Query, description = "Longitude"),
        ("lat" = f64, Query, description = "Latitude"),
        ("crs" = Option<String>, Query, description = "wgs84 (default), gcj02, bd09 or cgcs2000"),
        ("k" = Option<u32>, Query, description = "How many sites, 1–20 (default 3)"),
        ("kind" = Option<String>, Query, description = "Comma list of site kinds (default: the service points: district_centre, street_centre, community_centre, station)"),
        ("service" = Option<String>, Query, description = "Only sites offering this service, e.g. 低保 or 饮水"),
        ("open_now" = Option<bool>, Query, description = "Only sites open now (Beijing time)"),
        ("speed" = Option<f64>, Query, description = "Walking speed, m/min (default 60)"),
    ),
    responses(
        (status = 200, description = "A FeatureCollection of sites by walking distance, each with walk_m, walk_min, straight_m, detour_ratio and its route (drawn from the point along its access segment, over edges only, and along the site's access segment); when empty, `reason` says why (none within 5 km walk, or none on the part of the network the point is on)"),
        (status = 400, description = "Invalid parameters", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "No walkable edge near the point", body = super::error::Problem, content_type = "application/problem+json"),
    ))]
pub async fn nearest(
    State(state): State<AppState>,
    Valid(query): Valid<NearestQuery>,
) -> Result<Response, ApiError> {
    let origin = place(&state, query.point)?;
    let ds = state.store.dataset();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let wanted = |i: usize| {
        let site = &ds.sites[i].props;
        let kind_ok = match &query.kinds {
            Some(kinds) => kinds.contains(&site.kind),
            None => site.kind.is_service_point(),
        };
        let service_ok = query
            .service
            .as_ref()
            .is_none_or(|s| site.services.iter().any(|x| x == s));
        let open_ok = !query.open_now
            || site
                .hours
                .as_ref()
                .and_then(|h| is_open(h, now))
                .unwrap_or(false);
        kind_ok && service_ok && open_ok
    };
    let budget_dm = (NEAREST_REACH_M * 10.0) as u32;
    let features: Vec<Nearby> = state.reach.pool.with(|search_state| {
        let found = nearest_sites(
            &state.graph,
            &state.targets,
            search_state,
            &origin,
            query.k,
            budget_dm,
            wanted,
        );
        found
            .iter()
            .filter_map(|(i, reached)| {
                let site = &ds.sites[*i];
                let placed = state.targets.sites[*i].as_ref()?;
                let coords = walk_line(&state, search_state, &origin, placed, reached);
                let walk_m = f64::from(reached.dist_dm) / 10.0;
                let (dx, dy) = (
                    placed.point[0] - origin.point[0],
                    placed.point[1] - origin.point[1],
                );
                let straight_m = (dx * dx + dy * dy).sqrt();
                let open_now = site.props.hours.as_ref().and_then(|h| is_open(h, now));
                Some(Nearby::new(
                    site,
                    open_now,
                    (walk_m, straight_m),
                    query.speed,
                    coords,
                ))
            })
            .collect()
    });
    let network = ds.layer(LayerId::WalkNetwork);
    let kinds: Vec<SiteKind> = match &query.kinds {
        Some(kinds) => kinds.clone(),
        None => SiteKind::SERVICE_POINTS.to_vec(),
    };
    let reason = features.is_empty().then(|| {
        let own = state.reach.component_of(&state.graph, &origin);
        let parts: Vec<u32> = (0..ds.sites.len())
            .filter(|&i| wanted(i))
            .filter_map(|i| state.targets.sites[i].as_ref())
            .map(|p| state.reach.component_of(&state.graph, p))
            .collect();
        if parts.is_empty() {
            "no site of the kinds asked for (with the service, open now, if asked) is on the walking network".to_owned()
        } else if parts.contains(&own) {
            format!("no such site within {NEAREST_REACH_M} m walk")
        } else {
            "no such site on the part of the walking network the point is on: it is cut off from the rest".to_owned()
        }
    });
    #[derive(Serialize)]
    struct Answer<'a> {
        #[serde(rename = "type")]
        collection: &'static str,
        features: Vec<Nearby<'a>>,
        reason: Option<String>,
        snapped: Snapped,
        basis: Value,
    }
    let basis = json!({
        "speed_m_per_min": query.speed,
        "max_walk_m": NEAREST_REACH_M,
        "kinds": kinds,
        "network": ds.network_file,
        "network_version": network.version,
        "synthetic": network.synthetic,
    });
    let answer = Answer {
        collection: "FeatureCollection",
        features,
        reason,
        snapped: snapped(&state, &origin),
        basis,
    };
    Ok(Json(answer).into_response())
}

#[derive(Debug)]
pub struct IsochroneQuery {
    point: LonLat,
    walking: Walking,
    bands: Bands,
    cell: Option<CellSize>,
}

fn bands_and_cell(q: &mut QueryParams) -> (Option<Bands>, Option<Option<CellSize>>) {
    let bands = match q.text("bands").as_deref() {
        None | Some("nested") => Some(Bands::Nested),
        Some("disjoint") => Some(Bands::Disjoint),
        Some(other) => {
            q.reject(
                "bands",
                format!("must be nested or disjoint, got {other:?}"),
            );
            None
        }
    };
    let cell = match q.text("cell_m") {
        None => Some(None),
        Some(text) => match text.parse::<f64>().ok().and_then(CellSize::from_metres) {
            Some(cell) => Some(Some(cell)),
            None => {
                q.reject(
                    "cell_m",
                    format!("must be 5, 10, 20 or 40 (metres), got {text:?}"),
                );
                None
            }
        },
    };
    (bands, cell)
}

impl FromParams for IsochroneQuery {
    fn from_params(q: &mut QueryParams) -> Option<Self> {
        let point = q.point();
        let walking = Walking::from_params(q, &[5.0, 10.0, 15.0]);
        let (bands, cell) = bands_and_cell(q);
        Some(Self {
            point: point?.0,
            walking: walking?,
            bands: bands?,
            cell: cell?,
        })
    }
}

/// The contours of one origin, with population and sites counted by their own
/// walking distances.
fn isochrone_collection(
    state: &AppState,
    origin: &Placed,
    walking: &Walking,
    bands: Bands,
    cell: Option<CellSize>,
) -> Value {
    let ds = state.store.dataset();
    let cell = cell.unwrap_or_else(|| CellSize::for_budget(walking.max_metres()));
    let budget_dm = (walking.max_metres() * 10.0).round() as u32;
    state.reach.pool.with(|search_state| {
        search(&state.graph, search_state, origin, budget_dm);
        let found = contours(
            &state.graph,
            &state.reach,
            search_state,
            origin,
            &walking.metres,
            cell,
            bands,
        );
        // Each building and site within the largest budget in a straight line, by its
        // own walking distance.
        let reach_m = walking.max_metres() + 0.1;
        let distance_of = |placed: &Option<Placed>| {
            let placed = placed.as_ref()?;
            reach_target(&state.graph, search_state, origin, &placed.snap).map(|r| r.dist_dm)
        };
        let building_dist: Vec<(usize, Option<u32>)> = state
            .targets
            .buildings_near(origin.point, reach_m)
            .map(|i| (i, distance_of(&state.targets.buildings[i])))
            .collect();
        let site_dist: Vec<(usize, Option<u32>)> = state
            .targets
            .sites_near(origin.point, reach_m)
            .map(|i| (i, distance_of(&state.targets.sites[i])))
            .collect();
        let mut previous_dm = None;
        let features: Vec<Value> = found
            .into_iter()
            .map(|contour| {
                let limit_dm = (contour.budget_m * 10.0).round() as u32;
                let counted = |d: Option<u32>| {
                    d.is_some_and(|d| {
                        d <= limit_dm
                            && (bands == Bands::Nested || previous_dm.is_none_or(|p| d > p))
                    })
                };
                let mut population = 0u64;
                let mut buildings = 0usize;
                for &(i, d) in &building_dist {
                    if counted(d) {
                        population += u64::from(ds.buildings[i].props.population);
                        buildings += 1;
                    }
                }
                let mut sites: BTreeMap<SiteKind, usize> = BTreeMap::new();
                for &(i, d) in &site_dist {
                    if counted(d) {
                        *sites.entry(ds.sites[i].props.kind).or_default() += 1;
                    }
                }
                previous_dm = Some(limit_dm);
                let area_m2 = contour.area.unsigned_area().round();
                let geometry = contour.area.map_coords(|c| {
                    let [lon, lat] = lon_lat(state, [c.x, c.y]);
                    geo::Coord { x: lon, y: lat }
                });
                json!({
                    "type": "Feature",
                    "geometry": geojson::Geometry::from(&geometry),
                    "properties": {
                        "metres": contour.budget_m,
                        "minutes": (contour.budget_m / walking.speed * 100.0).round() / 100.0,
                        "area_m2": area_m2,
                        "population": population,
                        "buildings": buildings,
                        "sites": sites,
                    }
                })
            })
            .collect();
        json!({
            "type": "FeatureCollection",
            "features": features,
            "snapped": snapped(state, origin),
            "bands": if bands == Bands::Nested { "nested" } else { "disjoint" },
            "cell_m": cell.metres(),
            "basis": basis(state, walking),
        })
    })
}

/// Isochrones around a point.
#[utoipa::path(get, path = "/api/v1/isochrone", tag = "residents",
    params(
        ("lon" = f64, Query, description = "Longitude"),
        ("lat" = f64, Query, description = "Latitude"),
        ("crs" = Option<String>, Query, description = "wgs84 (default), gcj02, bd09 or cgcs2000"),
        ("minutes" = Option<String>, Query, description = "Minutes, one value or a comma list (default 5,10,15)"),
        ("speed" = Option<f64>, Query, description = "Walking speed, m/min (default 60)"),
        ("metres" = Option<String>, Query, description = "Metres instead of minutes"),
        ("preset" = Option<String>, Query, description = "gb50180_5min, gb50180_10min or gb50180_15min"),
        ("bands" = Option<String>, Query, description = "nested (default) or disjoint"),
        ("cell_m" = Option<f64>, Query, description = "Raster spacing: 5, 10, 20 or 40 m (default 5 m up to 500 m, 10 m up to 1 km, 20 m up to 2 km, 40 m above)"),
    ),
    responses(
        (status = 200, description = "A FeatureCollection of (Multi)Polygons, one per budget, with metres, minutes, area_m2, population, buildings and sites by kind"),
        (status = 400, description = "Invalid parameters", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "No walkable edge near the point", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Walks past 15 minutes run a few at a time; the queue is full", body = super::error::Problem, content_type = "application/problem+json"),
    ))]
pub async fn isochrone(
    State(state): State<AppState>,
    Valid(query): Valid<IsochroneQuery>,
) -> Result<Json<Value>, ApiError> {
    let origin = place(&state, query.point)?;
    Ok(Json(
        isochrone_answer(state, origin, query.walking, query.bands, query.cell).await?,
    ))
}

/// [`isochrone_collection`], inline up to 15 minutes' walk, on the heavy pool beyond.
async fn isochrone_answer(
    state: AppState,
    origin: Placed,
    walking: Walking,
    bands: Bands,
    cell: Option<CellSize>,
) -> Result<Value, ApiError> {
    if walking.max_metres() <= super::heavy::INLINE_MAX_M {
        return Ok(isochrone_collection(&state, &origin, &walking, bands, cell));
    }
    let pool = state.clone();
    pool.heavy
        .run(move || isochrone_collection(&state, &origin, &walking, bands, cell))
        .await
}

#[derive(Debug)]
pub struct ServiceAreaQuery {
    walking: Walking,
    bands: Bands,
    cell: Option<CellSize>,
}

impl FromParams for ServiceAreaQuery {
    fn from_params(q: &mut QueryParams) -> Option<Self> {
        let walking = Walking::from_params(q, &[5.0]);
        let (bands, cell) = bands_and_cell(q);
        Some(Self {
            walking: walking?,
            bands: bands?,
            cell: cell?,
        })
    }
}

/// The walking area of one site.
#[utoipa::path(get, path = "/api/v1/sites/{id}/service-area", tag = "planners",
    params(
        ("id" = String, Path, description = "Site id"),
        ("minutes" = Option<String>, Query, description = "Minutes, one value or a comma list (default 5)"),
        ("speed" = Option<f64>, Query, description = "Walking speed, m/min (default 60)"),
        ("metres" = Option<String>, Query, description = "Metres instead of minutes"),
        ("preset" = Option<String>, Query, description = "gb50180_5min, gb50180_10min or gb50180_15min"),
        ("bands" = Option<String>, Query, description = "nested (default) or disjoint"),
        ("cell_m" = Option<f64>, Query, description = "Raster spacing: 5, 10, 20 or 40 m"),
    ),
    responses(
        (status = 200, description = "As /api/v1/isochrone, from the site"),
        (status = 400, description = "Invalid parameters", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such site", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The site is not near the network", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Walks past 15 minutes run a few at a time; the queue is full", body = super::error::Problem, content_type = "application/problem+json"),
    ))]
pub async fn service_area(
    State(state): State<AppState>,
    PathParams(id): PathParams<String>,
    Valid(query): Valid<ServiceAreaQuery>,
) -> Result<Json<Value>, ApiError> {
    let ds = state.store.dataset();
    let index = crate::model::Id::new(id.clone())
        .ok()
        .and_then(|id| ds.ids().sites.get(&id).copied())
        .ok_or_else(|| ApiError::NotFound(format!("no site {id:?}")))?;
    let origin = state.targets.sites[index].clone().ok_or_else(|| {
        ApiError::Unprocessable(format!("site {id} is not near the walking network"))
    })?;
    let name = ds.sites[index].props.name.clone();
    let mut answer = isochrone_answer(
        state.clone(),
        origin,
        query.walking,
        query.bands,
        query.cell,
    )
    .await?;
    answer["site"] = json!({"id": id, "name": name});
    Ok(Json(answer))
}
