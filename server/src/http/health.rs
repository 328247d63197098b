//! `GET /api/v1/health`: what is loaded, from where, and whether it is synthetic.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use super::AppState;
use crate::config::Profile;
use crate::model::SiteKind;
use crate::network::{GapKind, GapReport, WalkGraph};
use crate::store::Store;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Health {
    /// Always `ok` once the server answers.
    status: &'static str,
    /// `memory` or `postgis`.
    backend: &'static str,
    profile: Profile,
    /// True while any layer is generated demo data.
    synthetic: bool,
    /// Whether the page may hand destinations to AMap, Baidu or Tencent
    /// (`--no-navigation-apps` turns it off on an intranet).
    pub(super) navigation_apps: bool,
    counts: Counts,
    /// Data version of each layer.
    versions: BTreeMap<&'static str, String>,
    /// Times the data was reloaded after a change in the database since start.
    reloads: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Counts {
    streets: usize,
    communities: usize,
    grids: usize,
    compounds: usize,
    buildings: usize,
    sites: usize,
    /// Sites of kind `station` (芝罘红港 stations).
    stations: usize,
    workers: usize,
    building_heads: usize,
    network_nodes: usize,
    network_edges: usize,
    /// Dead ends within 2 m of an edge they do not meet (GET /api/v1/network/issues).
    network_dead_end_gaps: usize,
    /// Lines crossing without a shared vertex, neither a bridge nor a tunnel.
    network_unnoded_crossings: usize,
    /// Connector edges added by `--join-gaps-m` (0 when off).
    network_connectors: usize,
}

impl Health {
    pub fn of(store: &Store, profile: Profile, graph: &WalkGraph, gaps: &GapReport) -> Self {
        let ds = store.dataset();
        Self {
            status: "ok",
            backend: store.backend(),
            profile,
            synthetic: ds.synthetic(),
            navigation_apps: true,
            counts: Counts {
                streets: ds.streets.len(),
                communities: ds.communities.len(),
                grids: ds.grids.len(),
                compounds: ds.compounds.len(),
                buildings: ds.buildings.len(),
                sites: ds.sites.len(),
                stations: ds
                    .sites
                    .iter()
                    .filter(|s| s.props.kind == SiteKind::Station)
                    .count(),
                workers: ds.workers.len(),
                building_heads: ds.building_heads.len(),
                network_nodes: graph.node_count(),
                network_edges: graph.edge_count(),
                network_dead_end_gaps: gaps.count(GapKind::DeadEnd),
                network_unnoded_crossings: gaps.count(GapKind::Crossing),
                network_connectors: gaps.connectors(),
            },
            versions: ds.versions(),
            reloads: 0,
        }
    }
}

/// Service status and what is loaded.
#[utoipa::path(get, path = "/api/v1/health", tag = "service",
    responses((status = 200, description = "The server is up", body = Health)))]
pub async fn health(State(state): State<AppState>) -> Json<Health> {
    Json(Health {
        reloads: state.replica.reloads(),
        ..state.health.clone()
    })
}
