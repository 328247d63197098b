//! Against a real PostGIS (the test command starts a throwaway cluster and sets
//! `REDGRID_TEST_DATABASE_URL`; each test makes its own database): the schema, and
//! importing and serving the district's data.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cli;
mod console;
mod import;
mod masking;
mod refusals;
mod replicas;
mod schema;
mod writes;

use std::sync::atomic::{AtomicUsize, Ordering};

use redgrid::store::postgis;
use sqlx::{Executor, PgPool};

/// A fresh, empty database on the test cluster; `None` (with a note) when there is
/// no cluster, unless `REDGRID_REQUIRE_DATABASE=1`, as the test command sets.
pub async fn fresh_database() -> Option<PgPool> {
    fresh_database_url().await.map(|(pool, _)| pool)
}

/// As [`fresh_database`], with the database's URL for commands and servers.
pub async fn fresh_database_url() -> Option<(PgPool, String)> {
    let Ok(url) = std::env::var("REDGRID_TEST_DATABASE_URL") else {
        assert!(
            std::env::var("REDGRID_REQUIRE_DATABASE").as_deref() != Ok("1"),
            "REDGRID_TEST_DATABASE_URL is not set"
        );
        eprintln!("skipped: no REDGRID_TEST_DATABASE_URL (scripts/test starts PostGIS)");
        return None;
    };
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let name = format!(
        "redgrid_test_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let admin = postgis::connect(&url).await.unwrap();
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap();
    let (base, _) = url.rsplit_once('/').unwrap();
    let url = format!("{base}/{name}");
    Some((postgis::connect(&url).await.unwrap(), url))
}

/// Import options with the default tolerance.
pub fn options(mode: postgis::import::Mode, crs: redgrid::geo::Crs) -> postgis::import::Options {
    postgis::import::Options {
        mode,
        crs: Some(postgis::import::FileCrs::Datum(crs)),
        ..Default::default()
    }
}
