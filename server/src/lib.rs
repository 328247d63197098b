//! RedGrid: a walking-reachability map service for the regional party-building
//! resource map of a district. `app` builds the whole HTTP application; `main` and
//! the tests both use it.

pub mod auth;
pub mod config;
pub mod demo;
pub mod error;
pub mod geo;
pub mod http;
pub mod import;
pub mod index;
pub mod locate;
pub mod model;
pub mod network;
pub mod reach;
pub mod store;

use std::path::Path;

pub use http::{AppState, router as app};

use crate::auth::TokenStore;
use crate::config::{Profile, ServeConfig};
use crate::store::{Dataset, Store};

/// Loads the data and tokens a `serve` configuration names and builds the state.
pub fn build_state(config: &ServeConfig) -> error::Result<AppState> {
    let mut dataset = Dataset::load(&config.data, config.profile)?;
    if let Some(network) = &config.network {
        dataset.replace_network(network)?;
    }
    let tokens = match &config.tokens_file {
        Some(path) => auth::read_tokens(path)?,
        None => TokenStore::default(),
    };
    Ok(AppState::new(
        Store::Memory(dataset),
        tokens,
        config.profile,
        config.public_boundaries,
        config.web.clone(),
    ))
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
