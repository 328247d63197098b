//! `GET /api/v1/network/issues`: the walking network's near-misses as GeoJSON, for the
//! administrator to fix in the data: dead ends that stop just short of an edge they do
//! not meet, and lines that cross without a shared vertex. Walks never cross them
//! unless the server joins them (`--join-gaps-m`); joined ones are marked.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use super::AppState;
use crate::network::{EdgeId, GapKind, NearMiss};

#[derive(Debug, Serialize, ToSchema)]
pub struct NetworkIssues {
    #[serde(rename = "type")]
    #[schema(value_type = String, example = "FeatureCollection")]
    kind: &'static str,
    features: Vec<IssueFeature>,
    /// Dead ends this close to an edge are reported, metres.
    reported_within_m: f64,
    /// Dead-end gaps up to this many metres are joined (0: none).
    join_gaps_m: f64,
    /// The network file the issues were found in.
    network: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IssueFeature {
    #[serde(rename = "type")]
    #[schema(value_type = String, example = "Feature")]
    kind: &'static str,
    geometry: IssuePoint,
    properties: IssueProperties,
}

/// Where the issue is: the dead end, or the crossing point.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssuePoint {
    #[serde(rename = "type")]
    #[schema(value_type = String, example = "Point")]
    kind: &'static str,
    coordinates: [f64; 2],
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IssueProperties {
    /// `dead_end` or `crossing`.
    #[schema(example = "dead_end")]
    kind: &'static str,
    /// 断头路未接 or 交叉未连接.
    kind_zh: &'static str,
    /// From the dead end to the nearest point of the edge it misses; 0 for a crossing.
    gap_m: f64,
    /// For a dead end: the nearest point of the edge it misses, `[lon, lat]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<[f64; 2]>,
    /// The two edges (the dead end's own first), by their ids `e{n}` (position in the
    /// network file).
    edges: [String; 2],
    /// Their OpenStreetMap ways, where the network came from OpenStreetMap (else
    /// empty).
    osm_ways: Vec<i64>,
    /// Whether `--join-gaps-m` joined it with a connector edge.
    joined: bool,
}

/// The walking network's near-misses.
#[utoipa::path(get, path = "/api/v1/network/issues", tag = "network",
    responses((status = 200, description = "Near-misses of the walking network, as a GeoJSON FeatureCollection of Points", body = NetworkIssues)))]
pub async fn issues(State(state): State<AppState>) -> Json<NetworkIssues> {
    let ds = state.store.dataset();
    let lon_lat = |p: [f64; 2]| {
        let ll = state.indexes.projection.unproject(p[0], p[1]).rounded7();
        [ll.lon(), ll.lat()]
    };
    let way = |e: EdgeId| ds.network.get(e.index()).and_then(|n| n.props.osm_way);
    let features = state
        .gaps
        .gaps
        .iter()
        .zip(&state.gaps.joined)
        .map(|(g, &joined): (&NearMiss, &bool)| IssueFeature {
            kind: "Feature",
            geometry: IssuePoint {
                kind: "Point",
                coordinates: lon_lat(g.at),
            },
            properties: IssueProperties {
                kind: g.kind.name(),
                kind_zh: g.kind.name_zh(),
                gap_m: (g.gap_m * 100.0).round() / 100.0,
                to: (g.kind == GapKind::DeadEnd).then(|| lon_lat(g.foot)),
                edges: g.edges.map(|e| format!("e{}", e.index())),
                osm_ways: g.edges.iter().filter_map(|&e| way(e)).collect(),
                joined,
            },
        })
        .collect();
    Json(NetworkIssues {
        kind: "FeatureCollection",
        features,
        reported_within_m: crate::network::REPORTED_GAP_M.max(state.join_gaps_m),
        join_gaps_m: state.join_gaps_m,
        network: ds.network_file.clone(),
    })
}
