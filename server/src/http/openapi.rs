//! The OpenAPI 3.1 description of every endpoint, served at `/api/v1/openapi.json`.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "RedGrid", description = "Walking reachability for the regional party-building resource map (区域化党建资源地图)."),
    paths(
        super::health::health,
        super::layers::layers,
        super::locate::locate,
        super::search::search,
        super::session::log_in,
        super::session::current,
        super::session::log_out,
        super::reach::nearest,
        super::reach::isochrone,
        super::reach::service_area,
        super::dispatch::dispatch,
        super::network::issues,
        super::coverage::coverage,
        super::gaps::gaps,
        super::coverage::catchments,
        super::plan::suggest::suggest,
        super::plan::what_if::what_if,
        super::scenarios::save,
        super::scenarios::get,
        super::scenarios::list,
        super::export::planning_gpkg,
        super::tiles::tile,
        super::tiles::tilejson,
        super::tiles::style,
        super::tiles::basemap_tile,
        super::writes::create_site,
        super::writes::update_site,
        super::writes::delete_site,
        super::writes::create_worker,
        super::writes::update_worker,
        super::writes::delete_worker,
        super::writes::update_grid,
        super::writes::update_building,
        super::writes::get_site,
        super::writes::import,
        super::admin::records,
        super::admin::audit_log,
        super::admin::revert,
        super::admin::export_dataset,
        super::admin::unplaced,
        super::admin::place,
        super::ogc::landing,
        super::ogc::conformance,
        super::ogc::collections,
        super::ogc::collection,
        super::ogc::items,
        super::ogc::item,
        super::metrics::metrics,
        super::metrics::healthz,
        super::metrics::readyz,
        openapi_json,
    ),
    components(schemas(super::error::Problem, super::error::FieldError, super::walking::Basis, super::coverage::PlanBasis, super::reach::Snapped)),
    modifiers(&BearerAuth),
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "service",
    responses((status = 200, description = "OpenAPI 3.1 description")))]
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
