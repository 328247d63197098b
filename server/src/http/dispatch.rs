//! `GET /api/v1/dispatch`: for an incident at a point, who is responsible (locate's
//! chain: building, grid and its workers, branch, community, street, with contacts,
//! plus the units paired with the community and its governance committees), what can
//! walk there within the budget (sites by walking distance on the network), and the
//! nearest emergency co-building units (police, fire, hospital) by straight-line
//! distance, labelled so.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use super::AppState;
use super::error::ApiError;
use super::extract::{FromParams, QueryParams, Valid};
use super::locate::{LocateQuery, audit_unmasked, describe};
use super::walking::Walking;
use crate::auth::Caller;
use crate::geo::{Crs, LonLat};
use crate::locate::locate as locate_point;
use crate::model::{Id, SiteKind};
use crate::reach::{reach_target, search};

const EMERGENCY: [&str; 3] = ["police", "fire", "hospital"];
const EMERGENCY_PER_CATEGORY: usize = 2;

#[derive(Debug)]
pub struct DispatchQuery {
    point: LonLat,
    crs: Crs,
    walking: Walking,
}

impl FromParams for DispatchQuery {
    fn from_params(q: &mut QueryParams) -> Option<Self> {
        let point = q.point();
        let walking = Walking::from_params(q, &[10.0]);
        let (point, crs) = point?;
        Some(Self {
            point,
            crs,
            walking: walking?,
        })
    }
}

fn site_brief(state: &AppState, i: usize) -> Value {
    let p = &state.store.dataset().sites[i].props;
    json!({
        "id": p.id, "name": p.name, "kind": p.kind, "category": p.category,
        "address": p.address, "public_contact": p.public_contact, "resources": p.resources,
    })
}

/// Responsibility, walking resources and emergency units for an incident.
#[utoipa::path(get, path = "/api/v1/dispatch", tag = "dispatchers",
    params(
        ("lon" = f64, Query, description = "Longitude"),
        ("lat" = f64, Query, description = "Latitude"),
        ("crs" = Option<String>, Query, description = "wgs84 (default), gcj02, bd09 or cgcs2000"),
        ("minutes" = Option<String>, Query, description = "Walking budget, minutes (default 10)"),
        ("speed" = Option<f64>, Query, description = "Walking speed, m/min (default 60)"),
        ("metres" = Option<String>, Query, description = "Walking budget, metres, instead of minutes"),
        ("preset" = Option<String>, Query, description = "gb50180_5min, gb50180_10min or gb50180_15min"),
    ),
    responses(
        (status = 200, description = "locate's answer, the community's paired units and governance committees, sites within the walking budget by walking distance, and the nearest police, fire and hospital units by straight-line distance"),
        (status = 400, description = "Invalid parameters", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Unknown token", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "Outside the district", body = super::error::Problem, content_type = "application/problem+json"),
    ))]
pub async fn dispatch(
    State(state): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    Valid(query): Valid<DispatchQuery>,
) -> Result<Json<Value>, ApiError> {
    let ds = state.store.dataset();
    let located = locate_point(ds, &state.indexes, query.point)
        .map_err(|e| ApiError::NotFound(format!("{e}: {}", query.point.rounded7())))?;
    let unmasked = caller.may_read_personal_data();
    let located_answer = describe(
        ds,
        &located,
        LocateQuery {
            point: query.point,
            crs: query.crs,
        },
        unmasked,
        state.profile,
    );
    audit_unmasked(&state, caller, &headers, &located_answer, "dispatch");

    // The community's paired units and governance committees.
    let community: Option<Id> = located_answer
        .community_id()
        .and_then(|id| Id::new(id).ok());
    let (mut paired, mut committees) = (Vec::new(), Vec::new());
    if let Some(community) = &community {
        for (i, site) in ds.sites.iter().enumerate() {
            let p = &site.props;
            if p.paired_community_ids.contains(community) {
                paired.push(site_brief(&state, i));
            } else if p.kind == SiteKind::GovernanceCommittee
                && p.community_id.as_ref() == Some(community)
            {
                committees.push(site_brief(&state, i));
            }
        }
    }

    // Sites that can walk here within the budget.
    let (x, y) = state.indexes.projection.project(query.point);
    let budget_dm = (query.walking.max_metres() * 10.0).round() as u32;
    let walking = match state.reach.place(&state.graph, [x, y]) {
        Ok(origin) => {
            let mut reached: Vec<(u32, usize, Vec<[f64; 2]>)> =
                state.reach.pool.with(|search_state| {
                    search(&state.graph, search_state, &origin, budget_dm);
                    // Only sites within the budget in a straight line can be in.
                    state
                        .targets
                        .sites_near(origin.point, query.walking.max_metres() + 0.1)
                        .filter_map(|i| {
                            let placed = state.targets.sites[i].as_ref()?;
                            let r =
                                reach_target(&state.graph, search_state, &origin, &placed.snap)?;
                            if r.dist_dm > budget_dm {
                                return None;
                            }
                            let mut line =
                                super::reach::walk_line(&state, search_state, &origin, placed, &r);
                            // From the resource to the incident.
                            line.reverse();
                            Some((r.dist_dm, i, line))
                        })
                        .collect()
                });
            reached.sort_unstable_by_key(|r| (r.0, r.1));
            let resources: Vec<Value> = reached
                .into_iter()
                .map(|(d, i, line)| {
                    let walk_m = f64::from(d) / 10.0;
                    let mut brief = site_brief(&state, i);
                    brief["walk_m"] = json!(walk_m);
                    brief["walk_min"] = json!((walk_m / query.walking.speed * 10.0).round() / 10.0);
                    brief["route"] = json!({"type": "LineString", "coordinates": line});
                    brief
                })
                .collect();
            json!({
                "basis": query.walking.basis(ds),
                "resources": resources,
            })
        }
        Err(e) => json!({"unavailable": e.to_string()}),
    };

    // Emergency units, by straight-line distance.
    let mut emergency = Vec::new();
    for category in EMERGENCY {
        let mut units: Vec<(f64, usize)> = ds
            .sites
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                s.props.kind == SiteKind::CoBuilding
                    && s.props.category.as_deref() == Some(category)
            })
            .map(|(i, s)| {
                let (sx, sy) = state
                    .indexes
                    .projection
                    .project_xy(s.geometry.x(), s.geometry.y());
                ((sx - x).hypot(sy - y), i)
            })
            .collect();
        units.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for &(d, i) in units.iter().take(EMERGENCY_PER_CATEGORY) {
            let mut brief = site_brief(&state, i);
            brief["straight_line_m"] = json!((d * 10.0).round() / 10.0);
            brief["location_quality"] = json!(ds.sites[i].props.location_quality);
            emergency.push(brief);
        }
    }

    Ok(Json(json!({
        "locate": located_answer,
        "responsibility": {
            "paired_units": paired,
            "governance_committees": committees,
        },
        "walking": walking,
        "emergency": {
            "distance": "straight_line",
            "note": "straight-line distance, not a walking or driving route",
            "units": emergency,
        },
        "synthetic": ds.synthetic(),
    })))
}
