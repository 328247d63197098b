//! The HTTP layer: shared state, the router, and one module per resource. Handlers
//! extract validated input, call the core and map the result; nothing more.

mod admin;
mod coverage;
mod dispatch;
pub mod error;
mod export;
pub mod extract;
mod gaps;
mod health;
mod heavy;
mod layers;
pub mod limits;
pub mod live;
mod locate;
pub mod metrics;
mod nearby;
mod network;
mod ogc;
mod openapi;
mod plan;
#[cfg(test)]
mod query_tests;
mod reach;
mod scenarios;
mod search;
mod session;
mod tiles;
mod walking;
mod web;
mod writes;

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::routing::get;

use crate::auth::TokenStore;
use crate::config::Profile;
use crate::index::Indexes;
use crate::network::{GapReport, WalkGraph};
use crate::reach::{CellSize, Reach, SNAP_RADIUS_M, Targets};
use crate::store::Dataset;
use crate::store::{LayerId, Store};
use error::ApiError;

pub use openapi::ApiDoc;

/// The bound of the tile cache.
const TILE_CACHE_BYTES: usize = 64 << 20;

/// Everything a request may read, built once at start-up.
#[derive(Debug, Clone)]
pub struct AppState(Arc<Inner>);

#[derive(Debug)]
pub struct Inner {
    pub store: Store,
    /// Shared with the next state when a reload leaves the areas alone.
    pub indexes: Arc<Indexes>,
    /// Shared with the next state when a reload leaves the areas and network alone.
    pub graph: Arc<WalkGraph>,
    /// The network's near-misses, found with the graph.
    pub gaps: Arc<GapReport>,
    /// Dead-end gaps up to this many metres are joined (0: none).
    pub join_gaps_m: f64,
    pub reach: Reach,
    pub targets: Targets,
    /// Which street, community and grid each building and site lies in.
    pub areas: crate::coverage::Areas,
    pub tokens: TokenStore,
    pub profile: Profile,
    pub public_boundaries: bool,
    pub web_dir: PathBuf,
    /// Browser sessions opened with a token.
    pub sessions: Arc<crate::auth::SessionStore>,
    /// Places found by name, pinyin or initials.
    pub search: crate::search::SearchIndex,
    /// The vector tile layers and the cache of encoded tiles.
    pub tiles: crate::tileset::TileSet,
    pub tile_cache: Arc<crate::tileset::TileCache>,
    /// The basemap under the layers, if one is configured.
    pub basemap: Option<Arc<crate::basemap::Basemap>>,
    /// Saved what-if scenarios.
    pub scenarios: Arc<crate::store::ScenarioStore>,
    /// The default thresholds of catchments.
    pub catchment_rules: crate::coverage::CatchmentRules,
    /// Where walks past 15 minutes are computed.
    pub heavy: Arc<heavy::HeavyPool>,
    /// Reloads of the data, kept across them.
    pub replica: Arc<live::Replica>,
    /// Request counts and latencies, kept across reloads.
    pub metrics: Arc<metrics::Metrics>,
    /// Time and rate limits with the callers' buckets, kept across reloads.
    pub limits: Arc<limits::Limits>,
    /// One import at a time (a file being read holds its memory until it is written
    /// or refused), kept across reloads.
    pub importing: Arc<tokio::sync::Semaphore>,
    health: health::Health,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    pub fn new(
        store: Store,
        tokens: TokenStore,
        profile: Profile,
        public_boundaries: bool,
        web_dir: PathBuf,
    ) -> Self {
        Self::joining_gaps(store, tokens, profile, public_boundaries, web_dir, 0.0)
    }

    /// As [`AppState::new`], joining the network's dead-end gaps of at most
    /// `join_gaps_m` (0: none) with connector edges.
    pub fn joining_gaps(
        store: Store,
        tokens: TokenStore,
        profile: Profile,
        public_boundaries: bool,
        web_dir: PathBuf,
        join_gaps_m: f64,
    ) -> Self {
        Self::build(
            store,
            tokens,
            profile,
            public_boundaries,
            web_dir,
            join_gaps_m,
            None,
        )
    }

    /// As [`AppState::joining_gaps`], reusing what `kept` offers: area indexes, and the
    /// graph on top of them.
    #[allow(clippy::type_complexity)]
    fn build(
        store: Store,
        tokens: TokenStore,
        profile: Profile,
        public_boundaries: bool,
        web_dir: PathBuf,
        join_gaps_m: f64,
        kept: Option<(Arc<Indexes>, Option<(Arc<WalkGraph>, Arc<GapReport>)>)>,
    ) -> Self {
        let mut clock = Phases::start();
        let (indexes, graph) = match kept {
            Some((indexes, graph)) => (indexes, graph),
            None => (Arc::new(Indexes::build(store.dataset())), None),
        };
        clock.lap("indexes");
        let (graph, gaps) = graph.unwrap_or_else(|| {
            let (graph, gaps) =
                WalkGraph::joining_gaps(&store.dataset().network, &indexes.projection, join_gaps_m);
            (Arc::new(graph), Arc::new(gaps))
        });
        clock.lap("graph");
        let health = health::Health::of(&store, profile, &graph, &gaps);
        let (sites, buildings) = target_points(store.dataset(), &indexes);
        let places: Vec<[f64; 2]> = sites
            .iter()
            .chain(buildings.iter().flatten())
            .copied()
            .collect();
        let reach = Reach::for_places(&graph, SNAP_RADIUS_M, &places);
        clock.lap("reach");
        report_network(&graph, &reach, &gaps, &indexes.projection);
        let targets = Targets::new(&graph, &reach, sites.into_iter(), buildings.into_iter());
        clock.lap("targets");
        let areas = crate::coverage::Areas::of(store.dataset(), |p| {
            let (x, y) = indexes.projection.project_xy(p.x(), p.y());
            indexes.grids.containing(geo::Point::new(x, y))
        });
        clock.lap("areas");
        let tiles = crate::tileset::TileSet::build(
            store.dataset(),
            &crate::tileset::Inputs {
                graph: &graph,
                targets: &targets,
                areas: &areas,
                internal: profile == Profile::Internal,
                boundaries: profile == Profile::Internal || public_boundaries,
            },
        );
        clock.lap("tiles");
        let search = crate::search::SearchIndex::build(
            store.dataset(),
            profile == Profile::Internal || public_boundaries,
        );
        clock.lap("search");
        clock.report();
        Self(Arc::new(Inner {
            sessions: Arc::default(),
            metrics: Arc::default(),
            limits: Arc::default(),
            importing: Arc::new(tokio::sync::Semaphore::new(1)),
            search,
            tiles,
            tile_cache: Arc::new(crate::tileset::TileCache::new(TILE_CACHE_BYTES)),
            areas,
            store,
            indexes,
            graph,
            gaps,
            join_gaps_m,
            reach,
            targets,
            tokens,
            profile,
            public_boundaries,
            web_dir,
            heavy: Arc::default(),
            replica: Arc::default(),
            scenarios: Arc::new(crate::store::ScenarioStore::in_memory()),
            basemap: None,
            catchment_rules: crate::coverage::CatchmentRules::default(),
            health,
        }))
    }

    /// The same state, saving scenarios in `store` (right after construction only).
    pub fn with_scenarios(mut self, store: crate::store::ScenarioStore) -> Self {
        if let Some(inner) = Arc::get_mut(&mut self.0) {
            inner.scenarios = Arc::new(store);
        }
        self
    }

    /// The same state with or without links handing destinations to phone map apps
    /// (right after construction only).
    pub fn with_navigation_apps(mut self, on: bool) -> Self {
        if let Some(inner) = Arc::get_mut(&mut self.0) {
            inner.health.navigation_apps = on;
        }
        self
    }

    /// The same state with these limits (right after construction only).
    pub fn with_limits(mut self, args: &limits::LimitArgs) -> Self {
        if let Some(inner) = Arc::get_mut(&mut self.0) {
            inner.limits = Arc::new(limits::Limits::new(args));
        }
        self
    }

    /// The same state with a basemap (right after construction only).
    pub fn with_basemap(mut self, basemap: crate::basemap::Basemap) -> Self {
        if let Some(inner) = Arc::get_mut(&mut self.0) {
            inner.basemap = Some(Arc::new(basemap));
        }
        self
    }

    /// The same state with these default catchment thresholds (right after
    /// construction only).
    pub fn with_catchment_rules(mut self, rules: crate::coverage::CatchmentRules) -> Self {
        if let Some(inner) = Arc::get_mut(&mut self.0) {
            inner.catchment_rules = rules;
        }
        self
    }

    /// The same configuration over new data: tokens, sessions, saved scenarios, the
    /// tile cache, the basemap, the reload counter, the request metrics and the rate-limit buckets carry over,
    /// and so do the area indexes (and the graph) when `changed` leaves the areas (and the network) alone.
    pub fn rebuilt(&self, store: Store, changed: &[&str]) -> Self {
        const AREAS: [&str; 6] = [
            "district",
            "streets",
            "communities",
            "grids",
            "compounds",
            "buildings",
        ];
        // Without a district the projection follows every layer's extent.
        let areas_kept = !changed.iter().any(|layer| AREAS.contains(layer))
            && self.store.dataset().layer(LayerId::District).bbox.is_some();
        let kept = areas_kept.then(|| {
            let graph = (!changed.contains(&"walk_network"))
                .then(|| (self.graph.clone(), self.gaps.clone()));
            (self.indexes.clone(), graph)
        });
        let mut next = Self::build(
            store,
            self.tokens.clone(),
            self.profile,
            self.public_boundaries,
            self.web_dir.clone(),
            self.join_gaps_m,
            kept,
        );
        if let Some(inner) = Arc::get_mut(&mut next.0) {
            inner.sessions = self.sessions.clone();
            inner.scenarios = self.scenarios.clone();
            inner.tile_cache = self.tile_cache.clone();
            inner.basemap = self.basemap.clone();
            inner.heavy = self.heavy.clone();
            inner.replica = self.replica.clone();
            inner.metrics = self.metrics.clone();
            inner.limits = self.limits.clone();
            inner.importing = self.importing.clone();
            inner.catchment_rules = self.catchment_rules;
            inner.health.navigation_apps = self.health.navigation_apps;
        }
        next
    }

    /// Finds the snaps of the isochrone lattices of the default spacings (10, 20 and
    /// 40 m) now, so that no isochrone waits for them; logs the time and size of each.
    /// Until it is done, isochrones find the snaps they need themselves.
    pub fn prepare_isochrone_lattices(&self) {
        for cell in [CellSize::M10, CellSize::M20, CellSize::M40] {
            let started = std::time::Instant::now();
            let (tiles, snaps) = self.reach.prepare_lattice(&self.graph, cell);
            tracing::info!(
                cell_m = cell.metres(),
                tiles,
                snaps,
                megabytes = tiles * 1024 / 1_000_000,
                elapsed_ms = started.elapsed().as_millis() as u64,
                "isochrone lattice prepared"
            );
        }
    }

    /// Layers this server publishes: all, less inner boundaries in the public profile
    /// unless configured.
    pub fn visible_layers(&self) -> impl Iterator<Item = LayerId> + '_ {
        LayerId::ALL.into_iter().filter(|l| self.is_visible(*l))
    }

    pub fn is_visible(&self, layer: LayerId) -> bool {
        self.profile == Profile::Internal || self.public_boundaries || !layer.is_inner_boundary()
    }
}

/// How long each phase of building the state took, logged once.
struct Phases {
    last: std::time::Instant,
    laps: Vec<(&'static str, u64)>,
}

impl Phases {
    fn start() -> Self {
        Self {
            last: std::time::Instant::now(),
            laps: Vec::new(),
        }
    }

    fn lap(&mut self, phase: &'static str) {
        let now = std::time::Instant::now();
        self.laps
            .push((phase, (now - self.last).as_millis() as u64));
        self.last = now;
    }

    fn report(&self) {
        let laps: Vec<String> = self
            .laps
            .iter()
            .map(|(p, ms)| format!("{p} {ms}"))
            .collect();
        tracing::info!(phases_ms = laps.join(", "), "serving state built");
    }
}

/// Where sites and buildings are walked from (their entrances, else their points
/// and centroids), local metres.
#[allow(clippy::type_complexity)]
fn target_points(ds: &Dataset, indexes: &Indexes) -> (Vec<[f64; 2]>, Vec<Option<[f64; 2]>>) {
    let project = |p: geo::Point<f64>| {
        let (x, y) = indexes.projection.project_xy(p.x(), p.y());
        [x, y]
    };
    let sites = (0..ds.sites.len())
        .map(|i| project(ds.site_walk_point(i)))
        .collect();
    let buildings = (0..ds.buildings.len())
        .map(|i| ds.building_walk_point(i).map(project))
        .collect();
    (sites, buildings)
}

/// Logs the network's shape: components kept and dropped, and its near-misses.
fn report_network(
    graph: &WalkGraph,
    reach: &Reach,
    gaps: &GapReport,
    projection: &crate::geo::LocalProjection,
) {
    use crate::network::GapKind;
    let components = &reach.components;
    let dropped: Vec<u32> = (0..components.count() as u32)
        .filter(|&c| !reach.kept[c as usize])
        .collect();
    let dropped_nodes: usize = dropped.iter().map(|&c| components.size(c)).sum();
    tracing::info!(
        nodes = graph.node_count(),
        edges = graph.edge_count(),
        components = components.count(),
        dropped_components = dropped.len(),
        dropped_nodes,
        dead_end_gaps = gaps.count(GapKind::DeadEnd),
        unnoded_crossings = gaps.count(GapKind::Crossing),
        joined_gaps = gaps.connectors(),
        "walking network built"
    );
    for g in gaps.gaps.iter().take(3) {
        let at = projection.unproject(g.at[0], g.at[1]);
        tracing::warn!(
            lon = format!("{:.7}", at.lon()),
            lat = format!("{:.7}", at.lat()),
            gap_m = g.gap_m,
            kind = g.kind.name(),
            "near-miss in the walking network (GET /api/v1/network/issues lists them all)"
        );
    }
}

/// The whole application: API, OGC API – Features, and the web page. It runs on a
/// Tokio runtime with timers (every request has a time limit).
pub fn router(state: AppState) -> Router {
    let mut api = Router::new()
        .route("/health", get(health::health))
        .route("/layers", get(layers::layers))
        .route("/locate", get(locate::locate))
        .route("/search", get(search::search))
        .route(
            "/session",
            get(session::current)
                .post(session::log_in)
                .delete(session::log_out),
        )
        .route("/nearest", get(reach::nearest))
        .route("/isochrone", get(reach::isochrone))
        .route("/sites/{id}/service-area", get(reach::service_area))
        .route("/dispatch", get(dispatch::dispatch))
        .route("/network/issues", get(network::issues))
        .route("/openapi.json", get(openapi::openapi_json));
    if state.profile == Profile::Internal {
        api = api
            .merge(writes::routes())
            .merge(admin::routes())
            .merge(planning_routes());
    }
    let api = api
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed);
    Router::new()
        .nest("/api/v1", api)
        .nest("/ogc", ogc::routes())
        .route("/metrics", get(metrics::metrics))
        .route("/healthz", get(metrics::healthz))
        .route("/readyz", get(metrics::readyz))
        .merge(tiles::routes())
        .merge(web::routes(&state.web_dir))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            limits::enforce,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state)
}

/// Coverage and planning: the internal profile only.
fn planning_routes() -> Router<AppState> {
    use axum::routing::post;
    Router::new()
        .route("/coverage", get(coverage::coverage))
        .route("/coverage/gaps", get(gaps::gaps))
        .route("/catchments", get(coverage::catchments))
        .route("/plan/suggest", post(plan::suggest))
        .route("/plan/what-if", post(plan::what_if))
        .route(
            "/plan/scenarios",
            post(scenarios::save).get(scenarios::list),
        )
        .route("/plan/scenarios/{id}", get(scenarios::get))
        .route("/export/planning.gpkg", get(export::planning_gpkg))
}

/// Absolute base URL of this server as the client addressed it, for links.
fn base_url(headers: &axum::http::HeaderMap) -> String {
    use axum::http::header;
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("127.0.0.1:8080");
    let https = headers
        .get("x-forwarded-proto")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"));
    format!("{}://{host}", if https { "https" } else { "http" })
}

async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::NotFound(format!("no such endpoint: {}", uri.path()))
}

async fn method_not_allowed(method: axum::http::Method) -> ApiError {
    ApiError::MethodNotAllowed(format!("{method} is not allowed here"))
}
