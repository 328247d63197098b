//! Serving data that changes under the server: the current state and its router,
//! swapped whole when the database's data versions move. A replica learns of a
//! change from PostgreSQL's NOTIFY on [`CHANNEL`], re-checks the versions on every
//! (re)connection of its listener and every 10 s in case a notification was lost,
//! gathers notifications for 100 ms before reloading, and reloads at once after a
//! write it took itself, so its writer reads what it wrote.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, RwLock, Weak};
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use sqlx::postgres::PgListener;
use tower::ServiceExt;

use super::AppState;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::postgis::{self, CHANNEL};

/// How long notifications are gathered before one reload.
const DEBOUNCE: Duration = Duration::from_millis(100);
/// How often the versions are re-checked without a notification.
const RECHECK: Duration = Duration::from_secs(10);

/// What outlives each rebuild of the state: the way back to the live app, the
/// reload counter, and the tokens of the tokens file.
#[derive(Debug, Default)]
pub struct Replica {
    live: OnceLock<Weak<Shared>>,
    reloads: AtomicU64,
    /// True while a reloaded state's isochrone lattices are being prepared.
    preparing: std::sync::atomic::AtomicBool,
    file_tokens: OnceLock<Vec<(String, crate::auth::Role)>>,
}

impl Replica {
    /// Reloads of the data since start.
    pub fn reloads(&self) -> u64 {
        self.reloads.load(Ordering::Relaxed)
    }

    /// Remembers the tokens file's tokens, kept when the database's are re-read.
    pub fn keep_file_tokens(&self, tokens: Vec<(String, crate::auth::Role)>) {
        let _ = self.file_tokens.set(tokens);
    }

    /// Brings the served data up to the database's versions now (after a write this
    /// server took). Without a live app (tests of one state) there is nothing to do.
    pub async fn refresh(&self) -> Result<bool> {
        match self.live.get().and_then(Weak::upgrade) {
            Some(shared) => LiveApp(shared).refresh().await,
            None => Ok(false),
        }
    }
}

#[derive(Debug)]
struct Shared {
    current: RwLock<(AppState, Router)>,
    /// The versions last seen: the data's, and the tokens'.
    seen: tokio::sync::Mutex<BTreeMap<String, i64>>,
}

/// The application whose state is swapped when the data changes.
#[derive(Debug, Clone)]
pub struct LiveApp(Arc<Shared>);

impl LiveApp {
    pub fn new(state: AppState) -> Self {
        let router = super::router(state.clone());
        let replica = state.replica.clone();
        let seen = match &state.store {
            Store::Postgis { versions, .. } => versions.clone(),
            Store::Memory(_) => BTreeMap::new(),
        };
        let live = Self(Arc::new(Shared {
            current: RwLock::new((state, router)),
            seen: tokio::sync::Mutex::new(seen),
        }));
        let _ = replica.live.set(Arc::downgrade(&live.0));
        live
    }

    /// The state requests are answered from now.
    pub fn state(&self) -> AppState {
        match self.0.current.read() {
            Ok(current) => current.0.clone(),
            Err(poisoned) => poisoned.into_inner().0.clone(),
        }
    }

    fn current_router(&self) -> Router {
        match self.0.current.read() {
            Ok(current) => current.1.clone(),
            Err(poisoned) => poisoned.into_inner().1.clone(),
        }
    }

    /// A router that hands each request to the current state's router.
    pub fn router(&self) -> Router {
        let live = self.clone();
        Router::new().fallback(move |request: Request| {
            let router = live.current_router();
            async move {
                match router.oneshot(request).await {
                    Ok(response) => response,
                    Err(never) => match never {},
                }
            }
        })
    }

    /// Reloads what changed if the database's versions moved; true if the data was
    /// reloaded. One refresh runs at a time.
    pub async fn refresh(&self) -> Result<bool> {
        let mut seen = self.0.seen.lock().await;
        let state = self.state();
        let Some(pool) = state.store.pool() else {
            return Ok(false);
        };
        let now = postgis::versions(pool).await?;
        if changed(&seen, &now).any(|layer| layer == "api_tokens") {
            let mut tokens = state.replica.file_tokens.get().cloned().unwrap_or_default();
            tokens.extend(postgis::tokens(pool).await?);
            state.tokens.replace(tokens);
        }
        if changed(&seen, &now).all(|layer| layer == "api_tokens") {
            *seen = now;
            return Ok(false);
        }
        let started = std::time::Instant::now();
        let (dataset, versions) =
            postgis::reload(pool, state.profile, state.store.dataset(), &seen).await?;
        let loaded_ms = started.elapsed().as_millis() as u64;
        let store = Store::Postgis {
            dataset,
            pool: pool.clone(),
            versions: versions.clone(),
        };
        let moved: Vec<String> = changed(&seen, &versions).map(str::to_owned).collect();
        let previous = state.clone();
        let next = tokio::task::spawn_blocking(move || {
            let moved: Vec<&str> = moved.iter().map(String::as_str).collect();
            previous.rebuilt(store, &moved)
        })
        .await
        .map_err(|e| Error::Database(format!("rebuild: {e}")))?;
        // One preparation at a time: a burst of writes does not pile them up (a state
        // left unprepared finds the snaps its isochrones need itself).
        if !state.replica.preparing.swap(true, Ordering::AcqRel) {
            let lattices = next.clone();
            std::thread::spawn(move || {
                lattices.prepare_isochrone_lattices();
                lattices.replica.preparing.store(false, Ordering::Release);
            });
        }
        let router = super::router(next.clone());
        if let Ok(mut current) = self.0.current.write() {
            *current = (next, router);
        }
        *seen = versions;
        let count = state.replica.reloads.fetch_add(1, Ordering::Relaxed) + 1;
        tracing::info!(
            reloads = count,
            read_ms = loaded_ms,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "data reloaded"
        );
        Ok(true)
    }

    /// Follows the database's notifications until the process ends.
    pub fn spawn_listener(&self) -> tokio::task::JoinHandle<()> {
        let live = self.clone();
        tokio::spawn(async move {
            loop {
                let state = live.state();
                let Some(pool) = state.store.pool().cloned() else {
                    return;
                };
                drop(state);
                match listen(&pool).await {
                    Ok(listener) => live.follow(listener).await,
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot listen for data changes; retrying");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                }
            }
        })
    }

    async fn refresh_logged(&self) {
        if let Err(e) = self.refresh().await {
            tracing::warn!(error = %e, "cannot reload the data; serving what is loaded");
        }
    }

    /// Reloads on notifications (gathered for [`DEBOUNCE`]), on reconnection and every
    /// [`RECHECK`]; returns when the listener fails.
    async fn follow(&self, mut listener: PgListener) {
        self.refresh_logged().await;
        let mut recheck = tokio::time::interval(RECHECK);
        recheck.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                received = listener.try_recv() => match received {
                    Ok(Some(_)) => {
                        let until = tokio::time::Instant::now() + DEBOUNCE;
                        while let Ok(Ok(Some(_))) =
                            tokio::time::timeout_at(until, listener.try_recv()).await
                        {}
                        self.refresh_logged().await;
                    }
                    // The connection was lost; the next call reconnects and listens
                    // again. What changed meanwhile is found by re-checking.
                    Ok(None) => {
                        tracing::info!("listener reconnecting");
                        self.refresh_logged().await;
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "listener failed");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                        return;
                    }
                },
                _ = recheck.tick() => self.refresh_logged().await,
            }
        }
    }
}

async fn listen(pool: &sqlx::PgPool) -> Result<PgListener> {
    let mut listener = PgListener::connect_with(pool)
        .await
        .map_err(|e| Error::Database(format!("listen: {e}")))?;
    listener
        .listen(CHANNEL)
        .await
        .map_err(|e| Error::Database(format!("listen: {e}")))?;
    Ok(listener)
}

/// Layers whose versions differ.
fn changed<'a>(
    before: &'a BTreeMap<String, i64>,
    after: &'a BTreeMap<String, i64>,
) -> impl Iterator<Item = &'a str> + 'a {
    after
        .iter()
        .filter(move |(layer, v)| before.get(*layer) != Some(v))
        .map(|(layer, _)| layer.as_str())
}
