//! PostGIS: the district's own data. Connecting and bringing the schema up to date
//! with the migrations in `migrations/` (embedded at build time, so a build never
//! needs a database and a deployment needs no extra files), reading every layer
//! into a [`Dataset`], and importing files ([`import`]).

pub mod edit;
pub mod import;
pub mod tables;

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use sqlx::postgres::PgPoolOptions;
use sqlx::{PgConnection, PgPool, Row as _};

use crate::auth::Role;
use crate::config::Profile;
use crate::error::{Error, Result};
use crate::store::{Dataset, MemorySource, SourceFile};
use tables::TABLES;

/// The schema's migrations, in order.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// The channel a data change is announced on, with `{"layer": …, "version": …}`.
pub const CHANNEL: &str = "redgrid_layers";

/// A small pool to `url` (`postgres://user@host:port/db`).
pub async fn connect(url: &str) -> Result<PgPool> {
    PgPoolOptions::new()
        .max_connections(8)
        .acquire_timeout(Duration::from_secs(5))
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

/// Connects and migrates: what `import` and `serve` do first.
pub async fn open(url: &str) -> Result<PgPool> {
    let pool = connect(url).await?;
    migrate(&pool).await?;
    Ok(pool)
}

/// Each layer's (and the tokens') data version.
pub type Versions = BTreeMap<String, i64>;

/// Every layer the database holds, with the checks of a data directory; personal
/// data only in the internal profile. Layers carry their data versions, also
/// returned for every layer as read.
pub async fn load(pool: &PgPool, profile: Profile) -> Result<(Dataset, Versions)> {
    load_since(pool, profile, None).await
}

/// As [`load`], reading only the tables whose data version moved since `previous`
/// was read at `seen`, and taking the others from it.
pub async fn reload(
    pool: &PgPool,
    profile: Profile,
    previous: &Dataset,
    seen: &Versions,
) -> Result<(Dataset, Versions)> {
    load_since(pool, profile, Some((previous, seen))).await
}

async fn load_since(
    pool: &PgPool,
    profile: Profile,
    previous: Option<(&Dataset, &Versions)>,
) -> Result<(Dataset, Versions)> {
    let mut db = pool
        .acquire()
        .await
        .map_err(|e| Error::Database(format!("acquire: {e}")))?;
    // One snapshot of every table, so a load never sees half an import.
    sqlx::query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .execute(&mut *db)
        .await
        .map_err(|e| Error::Database(format!("begin: {e}")))?;
    let versions = stamped_versions(&mut db).await?;
    let unchanged = |table: &str| {
        previous.is_some_and(|(_, seen)| seen.get(table) == versions.get(table).map(|(v, _)| v))
    };
    let mut source = MemorySource::default();
    for table in &TABLES {
        if (table.personal() && profile == Profile::Public) || unchanged(table.name) {
            continue;
        }
        let rows = tables::read_rows(&mut db, table, true).await?;
        if rows.is_empty() {
            continue;
        }
        let (version, changed) = versions.get(table.name).cloned().unwrap_or((0, 0.0));
        source.files.insert(
            table.file.to_owned(),
            SourceFile {
                bytes: tables::file_bytes(table, &rows)?,
                version: version.to_string(),
                modified: SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs_f64(changed)),
            },
        );
    }
    sqlx::query("COMMIT")
        .execute(&mut *db)
        .await
        .map_err(|e| Error::Database(format!("commit: {e}")))?;
    let dataset = match previous {
        Some((previous, _)) => Dataset::reassemble(&source, profile, previous, &|file| {
            tables::Table::by_file(file).is_some_and(|t| unchanged(t.name))
        })?,
        None => Dataset::from_source(&source, profile)?,
    };
    Ok((
        dataset,
        versions.into_iter().map(|(k, (v, _))| (k, v)).collect(),
    ))
}

/// Each layer's data version.
pub async fn versions(pool: &PgPool) -> Result<Versions> {
    let mut db = pool
        .acquire()
        .await
        .map_err(|e| Error::Database(format!("acquire: {e}")))?;
    Ok(stamped_versions(&mut db)
        .await?
        .into_iter()
        .map(|(k, (v, _))| (k, v))
        .collect())
}

/// Each layer's data version and when it changed (seconds since 1970).
async fn stamped_versions(db: &mut PgConnection) -> Result<BTreeMap<String, (i64, f64)>> {
    let rows = sqlx::query(
        "SELECT layer, data_version, extract(epoch FROM changed_at)::float8 FROM layer_versions",
    )
    .fetch_all(db)
    .await
    .map_err(|e| Error::Database(format!("layer versions: {e}")))?;
    Ok(rows
        .iter()
        .map(|r| (r.get::<String, _>(0), (r.get(1), r.get(2))))
        .collect())
}

/// Serialises writers: one import or edit at a time, until its transaction ends.
pub async fn lock_writes(db: &mut PgConnection) -> Result<()> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('redgrid writes'))")
        .execute(db)
        .await
        .map_err(|e| Error::Database(format!("lock: {e}")))?;
    Ok(())
}

/// Bumps `layer`'s data version in the writing transaction and announces it on
/// [`CHANNEL`] (delivered when the transaction commits).
pub async fn bump_version(db: &mut PgConnection, layer: &str) -> Result<i64> {
    let version: i64 = sqlx::query_scalar(
        "UPDATE layer_versions SET data_version = data_version + 1, changed_at = now() \
         WHERE layer = $1 RETURNING data_version",
    )
    .bind(layer)
    .fetch_one(&mut *db)
    .await
    .map_err(|e| Error::Database(format!("{layer} version: {e}")))?;
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(CHANNEL)
        .bind(serde_json::json!({"layer": layer, "version": version}).to_string())
        .execute(db)
        .await
        .map_err(|e| Error::Database(format!("notify: {e}")))?;
    Ok(version)
}

/// `layer`'s current data version.
pub async fn data_version(db: &mut PgConnection, layer: &str) -> Result<i64> {
    sqlx::query_scalar("SELECT data_version FROM layer_versions WHERE layer = $1")
        .bind(layer)
        .fetch_one(db)
        .await
        .map_err(|e| Error::Database(format!("{layer} version: {e}")))
}

/// Tokens not revoked, by hash.
pub async fn tokens(pool: &PgPool) -> Result<Vec<(String, Role)>> {
    let rows = sqlx::query("SELECT token_hash, role FROM api_tokens WHERE revoked_at IS NULL")
        .fetch_all(pool)
        .await
        .map_err(|e| Error::Database(format!("tokens: {e}")))?;
    Ok(rows
        .iter()
        .filter_map(|r| Some((r.get(0), Role::parse(r.get::<&str, _>(1))?)))
        .collect())
}

/// Creates a token with `role`, keeps only its hash, and tells the replicas.
pub async fn create_token(pool: &PgPool, role: Role, label: &str) -> Result<String> {
    let token = crate::auth::new_token().map_err(|e| Error::Database(format!("token: {e}")))?;
    let mut tx = pool
        .begin()
        .await
        .map_err(|e| Error::Database(format!("begin: {e}")))?;
    sqlx::query("INSERT INTO api_tokens (token_hash, role, label) VALUES ($1, $2, $3)")
        .bind(crate::auth::hash_token(&token))
        .bind(role.as_str())
        .bind(label)
        .execute(&mut *tx)
        .await
        .map_err(|e| Error::Database(format!("tokens: {e}")))?;
    bump_version(&mut tx, "api_tokens").await?;
    tx.commit()
        .await
        .map_err(|e| Error::Database(format!("commit: {e}")))?;
    Ok(token)
}
