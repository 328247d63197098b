//! RedGrid: a walking-reachability map service for the regional party-building
//! resource map of a district. `app` builds the whole HTTP application; `main` and
//! the tests both use it.

pub mod auth;
pub mod basemap;
pub mod config;
pub mod coverage;
pub mod demo;
pub mod error;
pub mod formats;
pub mod geo;
pub mod gpkg;
pub mod http;
pub mod import;
pub mod index;
pub mod locate;
pub mod model;
pub mod network;
pub mod reach;
pub mod search;
pub mod store;
pub mod tileset;
pub mod zh;

use std::path::Path;

pub use http::{AppState, router as app};

use crate::auth::TokenStore;
use crate::config::{CoverageArgs, ExportPmtilesArgs, Profile, ServeConfig};
use crate::store::{Dataset, Store};

/// Loads the data and tokens a `serve` configuration names and builds the state.
pub fn build_state(config: &ServeConfig) -> error::Result<AppState> {
    let dataset = Dataset::load(&config.data, config.profile)?;
    state_with(Store::Memory(dataset), config)
}

/// As [`build_state`], from the database when the configuration names one.
pub async fn open_state(config: &ServeConfig) -> error::Result<AppState> {
    match &config.database_url {
        Some(url) => {
            let pool = store::postgis::open(url).await?;
            let (dataset, versions) = store::postgis::load(&pool, config.profile).await?;
            let database_tokens = store::postgis::tokens(&pool).await?;
            let state = state_with(
                Store::Postgis {
                    dataset,
                    pool,
                    versions,
                },
                config,
            )?;
            if let Some(pool) = state.store.pool() {
                state.sessions.use_database(pool.clone());
                state.scenarios.use_database(pool.clone());
            }
            state.replica.keep_file_tokens(state.tokens.entries());
            let mut all = state.tokens.entries();
            all.extend(database_tokens);
            state.tokens.replace(all);
            Ok(state)
        }
        None => build_state(config),
    }
}

fn state_with(mut store: Store, config: &ServeConfig) -> error::Result<AppState> {
    if let Some(network) = &config.network {
        store.dataset_mut().replace_network(network)?;
    }
    let tokens = match &config.tokens_file {
        Some(path) => auth::read_tokens(path)?,
        None => TokenStore::default(),
    };
    let scenarios = match &config.scenarios_file {
        Some(path) => store::ScenarioStore::with_file(path.clone())?,
        None => store::ScenarioStore::in_memory(),
    };
    Ok(AppState::joining_gaps(
        store,
        tokens,
        config.profile,
        config.public_boundaries,
        config.web.clone(),
        config.join_gaps_m,
    )
    .with_scenarios(scenarios)
    .with_navigation_apps(!config.no_navigation_apps)
    .with_limits(&config.limits)
    .with_catchment_rules(coverage::CatchmentRules {
        max_population: config.catchment_max_population,
        redundant_population: config.catchment_redundant_population,
    }))
}

/// State over a data directory with the given tokens, for tests and tools.
pub fn state_for_dir(dir: &Path, profile: Profile, tokens: TokenStore) -> error::Result<AppState> {
    let dataset = Dataset::load(dir, profile)?;
    Ok(AppState::new(
        Store::Memory(dataset),
        tokens,
        profile,
        false,
        Path::new("web/dist").to_owned(),
    ))
}

/// A serving configuration for a command that reads `data` (and `network`).
fn reading(
    data: &Path,
    network: Option<&Path>,
    profile: Profile,
    public_boundaries: bool,
) -> ServeConfig {
    ServeConfig {
        data: data.to_owned(),
        database_url: None,
        listen: std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
        network: network.map(Path::to_owned),
        join_gaps_m: 0.0,
        profile,
        public_boundaries,
        tokens_file: None,
        scenarios_file: None,
        web: Path::new("web/dist").to_owned(),
        catchment_max_population: coverage::CatchmentRules::default().max_population,
        catchment_redundant_population: coverage::CatchmentRules::default().redundant_population,
        basemap: None,
        basemap_crs: basemap::BasemapCrs::Wgs84,
        no_navigation_apps: false,
        limits: Default::default(),
    }
}

/// `redgrid export-pmtiles`: the tile layers the same configuration would serve.
pub fn export_pmtiles(
    args: &ExportPmtilesArgs,
) -> std::result::Result<tileset::pmtiles::Written, String> {
    if args.min_zoom > args.max_zoom || args.max_zoom > redgrid_tiles::MAX_ZOOM {
        return Err(format!(
            "zooms must satisfy min ≤ max ≤ {}, got {}–{}",
            redgrid_tiles::MAX_ZOOM,
            args.min_zoom,
            args.max_zoom
        ));
    }
    let config = reading(
        &args.data,
        args.network.as_deref(),
        args.profile,
        args.public_boundaries,
    );
    let state = build_state(&config).map_err(|e| e.to_string())?;
    let attribution = if state.store.dataset().synthetic() {
        "演示数据（合成） synthetic demo data"
    } else {
        ""
    };
    tileset::pmtiles::write(
        &state.tiles,
        &args.out,
        args.min_zoom..=args.max_zoom,
        attribution,
    )
}

/// `redgrid coverage`: the body `GET /api/v1/coverage` answers for these arguments,
/// computed by the same router; a refused request is an error with its detail.
pub fn coverage_report(args: &CoverageArgs) -> std::result::Result<Vec<u8>, String> {
    use tower::ServiceExt;
    let config = reading(
        &args.data,
        args.network.as_deref(),
        Profile::Internal,
        false,
    );
    let state = build_state(&config).map_err(|e| e.to_string())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let request = axum::http::Request::get(format!("/api/v1/coverage?{}", args.query()))
            .body(axum::body::Body::empty())
            .map_err(|e| e.to_string())?;
        let response = app(state)
            .oneshot(request)
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .map_err(|e| e.to_string())?;
        if status.is_success() {
            Ok(body.to_vec())
        } else {
            let problem: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
            Err(problem["detail"].as_str().unwrap_or("refused").to_owned())
        }
    })
}
