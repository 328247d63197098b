//! `GET /api/v1/locate`: the building, compound, grid, community and street at a
//! point, with public contacts, and personal data masked unless the caller may see it.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use super::AppState;
use super::error::ApiError;
use super::extract::{FromParams, QueryParams, Valid};
use crate::auth::Caller;
use crate::geo::{Crs, LonLat};
use crate::locate::{Located, locate as locate_point};
use crate::model::{BuildingHead, Worker, mask_name, mask_phone};
use crate::store::Dataset;

#[derive(Debug)]
pub struct LocateQuery {
    pub(super) point: LonLat,
    pub(super) crs: Crs,
}

impl FromParams for LocateQuery {
    fn from_params(q: &mut QueryParams) -> Option<Self> {
        let (point, crs) = q.point()?;
        Some(Self { point, crs })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LocateResponse {
    /// The point as WGS-84 `[lon, lat]`, after conversion from `crs`.
    #[schema(value_type = Vec<f64>)]
    point: [f64; 2],
    crs: Crs,
    building: Option<BuildingOut>,
    compound: Option<CompoundOut>,
    grid: Option<GridOut>,
    community: Option<CommunityOut>,
    street: Option<StreetOut>,
    /// `masked`, `unmasked`, or `not_loaded` (public profile).
    personal_data: &'static str,
    synthetic: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BuildingOut {
    id: String,
    address: String,
    party_group: Option<String>,
    floors: u16,
    households: u32,
    population: u32,
    /// Metres from the point to the building; 0 inside it.
    distance_m: f64,
    building_head: Option<PersonOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CompoundOut {
    id: String,
    name: String,
    address: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GridOut {
    id: String,
    code: String,
    name: Option<String>,
    party_branch: String,
    public_contact: Option<String>,
    population: u32,
    households: u32,
    workers: Vec<PersonOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommunityOut {
    id: String,
    name: String,
    public_contact: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StreetOut {
    id: String,
    name: String,
    committee: Option<String>,
    public_contact: Option<String>,
}

/// A person responsible; `masked` says whether name and phone are masked.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonOut {
    id: String,
    name: String,
    phone: String,
    masked: bool,
}

impl PersonOut {
    fn new(id: &str, name: &str, phone: &str, unmasked: bool) -> Self {
        if unmasked {
            Self {
                id: id.to_owned(),
                name: name.to_owned(),
                phone: phone.to_owned(),
                masked: false,
            }
        } else {
            Self {
                id: id.to_owned(),
                name: mask_name(name),
                phone: mask_phone(phone),
                masked: true,
            }
        }
    }

    fn worker(w: &Worker, unmasked: bool) -> Self {
        Self::new(w.id.as_str(), &w.name, &w.phone, unmasked)
    }

    fn head(h: &BuildingHead, unmasked: bool) -> Self {
        Self::new(h.id.as_str(), &h.name, &h.phone, unmasked)
    }
}

/// Which building, compound, grid, community and street hold a point.
#[utoipa::path(get, path = "/api/v1/locate", tag = "residents",
    params(
        ("lon" = f64, Query, description = "Longitude, -180..180"),
        ("lat" = f64, Query, description = "Latitude, -90..90"),
        ("crs" = Option<String>, Query, description = "wgs84 (default), gcj02, bd09 or cgcs2000"),
    ),
    responses(
        (status = 200, description = "What holds the point", body = LocateResponse),
        (status = 400, description = "Invalid parameters", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Unknown token", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "Outside the district", body = super::error::Problem, content_type = "application/problem+json"),
    ))]
pub async fn locate(
    State(state): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    Valid(query): Valid<LocateQuery>,
) -> Result<Json<LocateResponse>, ApiError> {
    let ds = state.store.dataset();
    let located = locate_point(ds, &state.indexes, query.point)
        .map_err(|e| ApiError::NotFound(format!("{e}: {}", query.point.rounded7())))?;
    let unmasked = caller.may_read_personal_data();
    let response = describe(ds, &located, query, unmasked, state.profile);
    audit_unmasked(&state, caller, &headers, &response, "locate");
    Ok(Json(response))
}

impl LocateResponse {
    pub(super) fn community_id(&self) -> Option<&str> {
        self.community.as_ref().map(|c| c.id.as_str())
    }
}

/// Logs an answer that carried unmasked personal data: to the audit target, and
/// with PostGIS to its audit log too (who, which endpoint, which grid and building).
pub(super) fn audit_unmasked(
    state: &AppState,
    caller: Caller,
    headers: &axum::http::HeaderMap,
    response: &LocateResponse,
    endpoint: &'static str,
) {
    if response.personal_data != "unmasked" {
        return;
    }
    let actor = super::writes::actor(caller, headers);
    let grid = response.grid.as_ref().map(|g| g.id.clone());
    let building = response.building.as_ref().map(|b| b.id.clone());
    tracing::info!(
        target: "redgrid::audit",
        actor,
        endpoint,
        grid = grid.as_deref(),
        building = building.as_deref(),
        "unmasked personal data read"
    );
    if let Some(pool) = state.store.pool().cloned() {
        tokio::spawn(async move {
            let record = serde_json::json!({"grid": grid, "building": building});
            let logged =
                crate::store::postgis::edit::log_read(&pool, &actor, endpoint, record).await;
            if let Err(e) = logged {
                tracing::warn!(error = %e, "unmasked read not written to the audit log");
            }
        });
    }
}

pub(super) fn describe(
    ds: &Dataset,
    at: &Located,
    query: LocateQuery,
    unmasked: bool,
    profile: crate::config::Profile,
) -> LocateResponse {
    let ids = ds.ids();
    let building = at.building.map(|(i, distance_m)| {
        let b = &ds.buildings[i].props;
        BuildingOut {
            id: b.id.to_string(),
            address: b.address.clone(),
            party_group: b.party_group.clone(),
            floors: b.floors,
            households: b.households,
            population: b.population,
            distance_m: (distance_m * 10.0).round() / 10.0,
            building_head: ids
                .head_of_building
                .get(&b.id)
                .map(|&h| PersonOut::head(&ds.building_heads[h], unmasked)),
        }
    });
    let compound = at.compound.map(|i| {
        let c = &ds.compounds[i].props;
        CompoundOut {
            id: c.id.to_string(),
            name: c.name.clone(),
            address: c.address.clone(),
        }
    });
    let grid = at.grid.map(|i| {
        let g = &ds.grids[i].props;
        GridOut {
            id: g.id.to_string(),
            code: g.code.as_str().to_owned(),
            name: g.name.clone(),
            party_branch: g.party_branch.clone(),
            public_contact: g.public_contact.clone(),
            population: g.population,
            households: g.households,
            workers: ids
                .workers_by_grid
                .get(&g.id)
                .into_iter()
                .flatten()
                .map(|&w| PersonOut::worker(&ds.workers[w], unmasked))
                .collect(),
        }
    });
    let community = at.community.map(|i| {
        let c = &ds.communities[i].props;
        CommunityOut {
            id: c.id.to_string(),
            name: c.name.clone(),
            public_contact: c.public_contact.clone(),
        }
    });
    let street = at.street.map(|i| {
        let s = &ds.streets[i].props;
        StreetOut {
            id: s.id.to_string(),
            name: s.name.clone(),
            committee: s.committee.clone(),
            public_contact: s.public_contact.clone(),
        }
    });
    let personal_data = match (profile, unmasked) {
        (crate::config::Profile::Public, _) => "not_loaded",
        (_, true) => "unmasked",
        (_, false) => "masked",
    };
    LocateResponse {
        point: [query.point.lon(), query.point.lat()],
        crs: query.crs,
        building,
        compound,
        grid,
        community,
        street,
        personal_data,
        synthetic: ds.synthetic(),
    }
}
