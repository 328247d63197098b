//! PostGIS: connecting to the district's database and bringing its schema up to
//! date with the migrations in `migrations/` (embedded at build time, so a build
//! never needs a database and a deployment needs no extra files).

use std::time::Duration;

use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;

use crate::error::{Error, Result};

/// The schema's migrations, in order.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// A small pool to `url` (`postgres://user@host:port/db`).
pub async fn connect(url: &str) -> Result<PgPool> {
    PgPoolOptions::new()
        .max_connections(8)
        .acquire_timeout(Duration::from_secs(10))
        .connect(url)
        .await
        .map_err(|e| Error::Database(format!("cannot connect: {e}")))
}

/// Applies the migrations not yet applied; an up-to-date database is left as it is.
pub async fn migrate(pool: &PgPool) -> Result<()> {
    MIGRATOR
        .run(pool)
        .await
        .map_err(|e| Error::Database(format!("migrations: {e}")))
}
