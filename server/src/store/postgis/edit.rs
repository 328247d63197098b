//! One record changed through the API or reverted from the audit log: read under
//! the write lock with its version, written with an audit entry holding who, when,
//! before and after, and the layer's data version bumped in the same transaction.

use sqlx::{PgConnection, PgPool, Postgres, Row as _, Transaction};

use super::tables::{self, Row, Table};
use crate::error::{Error, Result};

/// A stored record, its position and its version.
#[derive(Debug, Clone)]
pub struct Current {
    pub row: Row,
    pub ord: i32,
    pub version: i64,
}

/// What a write left behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// The record's version now (0 once deleted).
    pub version: i64,
    pub data_version: i64,
    pub audit_id: i64,
}

fn database(context: &'static str) -> impl Fn(sqlx::Error) -> Error {
    move |e| refusal_or_database(context, e)
}

/// A constraint the database refused (class 23) is the caller's; anything else is
/// the database's.
pub fn refusal_or_database(context: &str, e: sqlx::Error) -> Error {
    match e.as_database_error() {
        Some(d) if d.code().is_some_and(|c| c.starts_with("23")) => {
            Error::Refused(format!("{context}: {}", d.message()))
        }
        _ => Error::Database(format!("{context}: {e}")),
    }
}

/// A transaction holding the write lock.
pub async fn begin(pool: &PgPool) -> Result<Transaction<'static, Postgres>> {
    let mut tx = pool.begin().await.map_err(database("begin"))?;
    super::lock_writes(&mut tx).await?;
    Ok(tx)
}

pub async fn commit(tx: Transaction<'static, Postgres>) -> Result<()> {
    tx.commit().await.map_err(database("commit"))
}

/// The record `id` of `table`, locked until the transaction ends.
pub async fn current(db: &mut PgConnection, table: &Table, id: &str) -> Result<Option<Current>> {
    let geom = if table.geometry {
        "ST_AsBinary(geom)"
    } else {
        "NULL::bytea"
    };
    let active = if table.name == "workers" {
        "AND active"
    } else {
        ""
    };
    let sql = format!(
        "SELECT props::text, {geom}, ord, version FROM {} WHERE id = $1 {active} FOR UPDATE",
        table.name
    );
    let Some(r) = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(&mut *db)
        .await
        .map_err(database("read"))?
    else {
        return Ok(None);
    };
    let props: String = r.get(0);
    let wkb: Option<Vec<u8>> = r.get(1);
    Ok(Some(Current {
        row: tables::decode(table, Some(id.to_owned()), &props, wkb)?,
        ord: r.get(2),
        version: r.get(3),
    }))
}

/// The next free id `prefix` + number (e.g. `S01788`), under the write lock.
pub async fn next_id(
    db: &mut PgConnection,
    table: &Table,
    prefix: char,
    width: usize,
) -> Result<String> {
    let sql = format!(
        "SELECT coalesce(max(substring(id FROM '^{prefix}([0-9]+)$')::bigint), 0) FROM {}",
        table.name
    );
    let max: i64 = sqlx::query_scalar(&sql)
        .fetch_one(db)
        .await
        .map_err(database("next id"))?;
    Ok(crate::model::Id::numbered(prefix, max as usize + 1, width).to_string())
}

/// Writes `after` over `before` (a new record when `before` is `None`, a deletion
/// when `after` is `None`), logs it and bumps the layer's data version.
pub async fn write(
    db: &mut PgConnection,
    table: &'static Table,
    id: &str,
    before: Option<&Current>,
    after: Option<&Row>,
    actor: &str,
    action: &str,
) -> Result<Written> {
    let version = match after {
        Some(row) => {
            let ord = match before {
                Some(c) => c.ord,
                None => sqlx::query_scalar(&format!(
                    "SELECT coalesce(max(ord) + 1, 0) FROM {}",
                    table.name
                ))
                .fetch_one(&mut *db)
                .await
                .map_err(database("order"))?,
            };
            tables::upsert(db, table, &[(ord, row)]).await?;
            if table.name == "workers" {
                sqlx::query("UPDATE workers SET active = true WHERE id = $1")
                    .bind(id)
                    .execute(&mut *db)
                    .await
                    .map_err(database("activate"))?;
            }
            sqlx::query_scalar(&format!("SELECT version FROM {} WHERE id = $1", table.name))
                .bind(id)
                .fetch_one(&mut *db)
                .await
                .map_err(database("version"))?
        }
        None if table.name == "workers" => {
            // Workers are deactivated, not forgotten: the audit log still names them.
            sqlx::query("UPDATE workers SET active = false, version = version + 1 WHERE id = $1")
                .bind(id)
                .execute(&mut *db)
                .await
                .map_err(database("deactivate"))?;
            0
        }
        None => {
            tables::delete(db, table, &[id]).await?;
            0
        }
    };
    let audit_id = sqlx::query_scalar(
        "INSERT INTO audit_log (actor, action, layer, record_id, before, after) \
         VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb) RETURNING id",
    )
    .bind(actor)
    .bind(action)
    .bind(table.name)
    .bind(id)
    .bind(before.map(|c| tables::record_json(table, &c.row).to_string()))
    .bind(after.map(|r| tables::record_json(table, r).to_string()))
    .fetch_one(&mut *db)
    .await
    .map_err(database("audit"))?;
    let data_version = super::bump_version(db, table.name).await?;
    Ok(Written {
        version,
        data_version,
        audit_id,
    })
}

/// Logs a read of unmasked personal data (who, what, where).
pub async fn log_read(
    pool: &PgPool,
    actor: &str,
    endpoint: &str,
    record: serde_json::Value,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (actor, action, layer, record_id, after) \
         VALUES ($1, 'read_unmasked', NULL, $2, $3::jsonb)",
    )
    .bind(actor)
    .bind(endpoint)
    .bind(record.to_string())
    .execute(pool)
    .await
    .map_err(database("audit"))?;
    Ok(())
}

/// Undoes audit entry `id`: the record goes back to its `before`, provided it is
/// still as the entry left it. Logged as a change of its own.
pub async fn revert(pool: &PgPool, id: i64, actor: &str) -> Result<Written> {
    let mut tx = begin(pool).await?;
    let entry = sqlx::query(
        "SELECT layer, record_id, before::text, after::text, action FROM audit_log WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await
    .map_err(database("audit"))?
    .ok_or_else(|| Error::Refused(format!("no audit entry {id}")))?;
    let layer: Option<String> = entry.get(0);
    let record: Option<String> = entry.get(1);
    let action: String = entry.get(4);
    let (Some(table), Some(record)) = (layer.as_deref().and_then(Table::by_name), record) else {
        return Err(Error::Refused(format!(
            "audit entry {id} ({action}) changed no record"
        )));
    };
    let parse = |text: Option<String>| -> Result<Option<Row>> {
        text.map(|t| {
            let json: serde_json::Value = serde_json::from_str(&t)
                .map_err(|e| Error::Database(format!("audit entry {id}: {e}")))?;
            tables::row_from_record_json(table, Some(record.clone()), json)
        })
        .transpose()
    };
    let (before, after) = (parse(entry.get(2))?, parse(entry.get(3))?);
    let now = current(&mut tx, table, &record).await?;
    if now.as_ref().map(|c| &c.row) != after.as_ref() {
        return Err(Error::Refused(format!(
            "{} {record} has changed since audit entry {id}; revert the later entries first",
            table.name
        )));
    }
    let written = write(
        &mut tx,
        table,
        &record,
        now.as_ref(),
        before.as_ref(),
        actor,
        &format!("revert {id}"),
    )
    .await?;
    commit(tx).await?;
    Ok(written)
}
