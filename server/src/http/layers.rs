//! `GET /api/v1/layers`: each published layer with its count, extent and version.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use super::AppState;
use crate::store::LayerId;

#[derive(Debug, Serialize, ToSchema)]
pub struct LayersResponse {
    layers: Vec<LayerInfo>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LayerInfo {
    id: LayerId,
    title: Title,
    count: usize,
    /// `[min_lon, min_lat, max_lon, max_lat]`, absent for an empty layer.
    #[schema(value_type = Option<Vec<f64>>)]
    bbox: Option<crate::geo::BBox>,
    version: String,
    synthetic: bool,
    links: Vec<Link>,
    /// For `sites`: each service offered and how many sites offer it, most first,
    /// so a page can offer them as filters of `nearest`.
    #[serde(skip_serializing_if = "Option::is_none")]
    services: Option<Vec<ServiceCount>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceCount {
    name: String,
    sites: usize,
}

fn services(ds: &crate::store::Dataset) -> Vec<ServiceCount> {
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for s in &ds.sites {
        for service in &s.props.services {
            *counts.entry(service.as_str()).or_default() += 1;
        }
    }
    let mut out: Vec<ServiceCount> = counts
        .into_iter()
        .map(|(name, sites)| ServiceCount {
            name: name.to_owned(),
            sites,
        })
        .collect();
    out.sort_by(|a, b| b.sites.cmp(&a.sites).then_with(|| a.name.cmp(&b.name)));
    out
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Title {
    zh: &'static str,
    en: &'static str,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Link {
    rel: &'static str,
    href: String,
    #[serde(rename = "type")]
    media_type: &'static str,
}

/// The published layers.
#[utoipa::path(get, path = "/api/v1/layers", tag = "data",
    responses((status = 200, description = "Published layers", body = LayersResponse)))]
pub async fn layers(State(state): State<AppState>) -> Json<LayersResponse> {
    let ds = state.store.dataset();
    let layers = state
        .visible_layers()
        .map(|id| {
            let data = ds.layer(id);
            let (zh, en) = id.titles();
            LayerInfo {
                id,
                title: Title { zh, en },
                count: data.items.len(),
                bbox: data.bbox,
                version: data.version.clone(),
                synthetic: data.synthetic,
                links: vec![
                    Link {
                        rel: "items",
                        href: format!("/ogc/collections/{}/items", id.as_str()),
                        media_type: "application/geo+json",
                    },
                    Link {
                        rel: "collection",
                        href: format!("/ogc/collections/{}", id.as_str()),
                        media_type: "application/json",
                    },
                ],
                services: (id == LayerId::Sites).then(|| services(ds)),
            }
        })
        .collect();
    Json(LayersResponse { layers })
}
