//! `GET /api/v1/admin/export`: the whole dataset as one `.zip` of layer files named
//! as in a data directory, read in one snapshot of the database (or from the
//! served files in memory mode). Importing it back changes nothing.

use std::io::Write as _;

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::Admin;
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::http::writes::store_error;
use crate::store::postgis::tables::{self, Row, TABLES};

/// Export the whole dataset (admin).
#[utoipa::path(get, path = "/api/v1/admin/export", tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A zip of every layer file (`sites.geojson`, `workers.json`, …), ready for `redgrid import` or `--data`", content_type = "application/zip"),
        (status = 401, description = "No admin token or session", body = crate::http::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the admin role", body = crate::http::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database cannot be read now", body = crate::http::error::Problem, content_type = "application/problem+json"),
    ))]
pub async fn export_dataset(
    State(state): State<AppState>,
    _admin: Admin,
) -> Result<Response, ApiError> {
    let mut layers: Vec<(&str, Vec<Row>)> = Vec::new();
    match state.store.pool() {
        Some(pool) => {
            let database =
                |e: sqlx::Error| store_error(crate::error::Error::Database(e.to_string()));
            let mut tx = pool.begin().await.map_err(database)?;
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                .execute(&mut *tx)
                .await
                .map_err(database)?;
            for table in &TABLES {
                let rows = tables::read_rows(&mut tx, table, true)
                    .await
                    .map_err(store_error)?;
                layers.push((table.file, rows));
            }
        }
        None => {
            for table in &TABLES {
                let rows = tables::dataset_rows(state.store.dataset(), table)
                    .map_err(|e| ApiError::Internal(e.to_string()))?;
                layers.push((table.file, rows));
            }
        }
    }
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (file, rows) in layers {
        if rows.is_empty() {
            continue;
        }
        let table =
            tables::Table::by_file(file).ok_or_else(|| ApiError::Internal(file.to_owned()))?;
        let bytes =
            tables::file_bytes(table, &rows).map_err(|e| ApiError::Internal(e.to_string()))?;
        zip.start_file(file, options)
            .and_then(|()| zip.write_all(&bytes).map_err(Into::into))
            .map_err(|e| ApiError::Internal(format!("zip: {e}")))?;
    }
    let bytes = zip
        .finish()
        .map_err(|e| ApiError::Internal(format!("zip: {e}")))?
        .into_inner();
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"redgrid-dataset.zip\"",
            ),
        ],
        bytes,
    )
        .into_response())
}
