//! `POST /api/v1/import?layer=L[&dry_run=true]`: one file into one layer, as the raw
//! body with its Content-Type or as the multipart field `file`. The file goes
//! through the same reading, checks and transaction as `redgrid import`; a dry run
//! answers the problems (in English and Chinese) and the diff per layer and writes
//! nothing, and the same call without it commits all or nothing.

use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use super::{WriteProblems, Writer, store_error};
use crate::error::{Error, Problem};
use crate::formats::{self, FileCrs, Format};
use crate::http::AppState;
use crate::http::error::{ApiError, DataProblem};
use crate::http::extract::{FromParams, QueryParams, Valid};
use crate::store::postgis::import::{self, Input, LayerChange, Mode, Options};
use crate::store::postgis::tables::Table;

/// The largest file accepted (the demo's buildings layer is about 9 MB).
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// How to import the body.
#[derive(Debug)]
pub struct ImportQuery {
    table: &'static Table,
    dry_run: bool,
    mode: Mode,
    crs: Option<FileCrs>,
    encoding: Option<&'static encoding_rs::Encoding>,
    tolerance_m2: Option<f64>,
}

impl FromParams for ImportQuery {
    fn from_params(q: &mut QueryParams) -> Option<Self> {
        let table = q
            .required("layer")
            .and_then(|name| match Table::by_name(&name) {
                Some(t) => Some(t),
                None => {
                    q.reject(
                        "layer",
                        format!(
                            "unknown layer {name:?}; expected one of {}",
                            import::layer_names()
                        ),
                    );
                    None
                }
            });
        let dry_run = q
            .choice::<bool>("dry_run", &["true", "false"])
            .unwrap_or(false);
        let mode = q.text("mode").and_then(|m| match m.as_str() {
            "upsert" => Some(Mode::Upsert),
            "replace-layer" => Some(Mode::ReplaceLayer),
            _ => {
                q.reject("mode", "expected upsert or replace-layer");
                None
            }
        });
        let crs = q.text("crs").and_then(|c| match FileCrs::parse(&c) {
            Ok(crs) => Some(crs),
            Err(reason) => {
                q.reject("crs", reason);
                None
            }
        });
        let encoding = q
            .text("encoding")
            .and_then(|e| match formats::text::by_label(&e) {
                Some(encoding) => Some(encoding),
                None => {
                    q.reject(
                        "encoding",
                        format!("unknown encoding {e:?}: expected e.g. utf-8, gbk or gb18030"),
                    );
                    None
                }
            });
        let tolerance_m2 = q
            .text("topology_tolerance_m2")
            .and_then(|t| match t.parse::<f64>() {
                Ok(v) if v.is_finite() && (0.0..=1e9).contains(&v) => Some(v),
                _ => {
                    q.reject(
                        "topology_tolerance_m2",
                        format!("expected square metres from 0 to 1e9, got {t:?}"),
                    );
                    None
                }
            });
        Some(Self {
            table: table?,
            dry_run,
            mode: mode.unwrap_or_default(),
            crs,
            encoding,
            tolerance_m2,
        })
    }
}

/// What an import did, or in a dry run would do.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReport {
    pub dry_run: bool,
    /// False when the file was refused; `problems` says why, and nothing changed.
    pub accepted: bool,
    pub changes: Vec<LayerChange>,
    /// Sites without coordinates put on the unplaced list, to be placed on the map.
    pub unplaced: usize,
    /// Why the file is refused.
    pub problems: Vec<DataProblem>,
    /// Discrepancies within the topology tolerance, kept.
    pub reported: Vec<DataProblem>,
}

/// Import a data file into one layer (admin).
#[utoipa::path(post, path = "/api/v1/import", tag = "admin",
    security(("bearer" = [])),
    params(
        ("layer" = String, Query, description = "The layer the file holds: district, context, streets, communities, grids, compounds, buildings, sites, walk_network, workers, building_heads"),
        ("dry_run" = Option<bool>, Query, description = "Check and report what would change, and write nothing"),
        ("mode" = Option<String>, Query, description = "`upsert` (default: by id, others kept) or `replace-layer`"),
        ("crs" = Option<String>, Query, description = "wgs84, gcj02, bd09, cgcs2000 or cgcs2000-gk3:CM; default a shapefile's .prj, else wgs84"),
        ("encoding" = Option<String>, Query, description = "Text encoding of CSV and .dbf (utf-8, gbk, gb18030); default detected"),
        ("topology_tolerance_m2" = Option<f64>, Query, description = "Overlaps and gaps larger than this refuse the file (default 10)"),
    ),
    request_body(description = "The file: GeoJSON, CSV, XLSX/XLS/ODS or a zipped shapefile, with its Content-Type, or as the multipart/form-data field `file`",
        content(
            ("application/geo+json"), ("text/csv"),
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("application/zip"), ("multipart/form-data"),
        )),
    responses(
        (status = 200, description = "The report: for a dry run, whether the file would be accepted, its problems and the diff; otherwise what was committed", body = ImportReport),
        (status = 413, description = "The file is larger than 64 MiB", body = crate::http::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "A Content-Type that is no known format", body = crate::http::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another import is running", body = crate::http::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Refused (not a dry run): every problem, nothing written", body = crate::http::error::Problem, content_type = "application/problem+json"),
        WriteProblems,
    ))]
pub async fn import(
    State(state): State<AppState>,
    writer: Writer,
    Valid(query): Valid<ImportQuery>,
    request: Request,
) -> Result<Response, ApiError> {
    // A second import does not queue behind the first: it is told to come back.
    let importing = state.importing.clone();
    let _turn = importing.try_acquire().map_err(|_| {
        ApiError::Conflict(
            "another import is running; send this one again when it has finished".to_owned(),
        )
    })?;
    let file = body_file(query.table, request, &state).await?;
    let options = Options {
        mode: query.mode,
        crs: query.crs,
        encoding: query.encoding,
        topology_tolerance_m2: query
            .tolerance_m2
            .unwrap_or(crate::store::topology::DEFAULT_TOLERANCE_M2),
        dry_run: query.dry_run,
        actor: writer.actor.clone(),
    };
    let input = Input {
        table: query.table,
        file,
    };
    let report = match import::import_inputs(&writer.pool, vec![input], options).await {
        Ok(imported) => ImportReport {
            dry_run: query.dry_run,
            accepted: true,
            changes: imported.changes,
            unplaced: imported.unplaced,
            problems: Vec::new(),
            reported: imported.reported.iter().map(DataProblem::from).collect(),
        },
        Err(e @ (Error::Invalid(_) | Error::InvalidFile { .. } | Error::InvalidFeature { .. })) => {
            let problems: Vec<Problem> = e.into_problems();
            if !query.dry_run {
                return Err(ApiError::Rejected(problems));
            }
            ImportReport {
                dry_run: true,
                accepted: false,
                changes: Vec::new(),
                unplaced: 0,
                problems: problems.iter().map(DataProblem::from).collect(),
                reported: Vec::new(),
            }
        }
        Err(e) => return Err(store_error(e)),
    };
    if !query.dry_run
        && let Err(e) = state.replica.refresh().await
    {
        tracing::warn!(error = %e, "imported, but not yet reloaded");
    }
    Ok(axum::Json(report).into_response())
}

/// The file of the request: the multipart field `file`, or the whole body.
async fn body_file(
    table: &Table,
    request: Request,
    state: &AppState,
) -> Result<formats::File, ApiError> {
    let media_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let too_large = || {
        ApiError::PayloadTooLarge(format!(
            "the file is larger than {} MiB",
            MAX_FILE_BYTES >> 20
        ))
    };
    let (name, format, bytes) = if media_type.starts_with("multipart/form-data") {
        let mut form = Multipart::from_request(request, state)
            .await
            .map_err(|e| ApiError::invalid("/body", format!("not a multipart form: {e}")))?;
        let mut found = None;
        while let Some(field) = form
            .next_field()
            .await
            .map_err(|e| ApiError::invalid("/body", format!("cannot read the form: {e}")))?
        {
            if field.name() != Some("file") {
                continue;
            }
            let name = field.file_name().unwrap_or_default().to_owned();
            let format = Format::of_name(&name)
                .or_else(|| field.content_type().and_then(Format::of_media_type));
            let bytes = field.bytes().await.map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    too_large()
                } else {
                    ApiError::invalid("/body/file", format!("cannot read the file: {e}"))
                }
            })?;
            found = Some((name, format, bytes));
            break;
        }
        found.ok_or_else(|| ApiError::invalid("/body/file", "the form has no field `file`"))?
    } else {
        let format = Format::of_media_type(&media_type);
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    too_large()
                } else {
                    ApiError::invalid("/body", format!("cannot read the body: {}", e.body_text()))
                }
            })?;
        (String::new(), format, bytes)
    };
    let format = format.ok_or_else(|| {
        ApiError::UnsupportedMediaType(format!(
            "{media_type:?} is no format imports read; send one of {} (or a multipart field `file` named .geojson, .csv, .xlsx, .xls, .ods or .zip)",
            Format::MEDIA_TYPES.join(", ")
        ))
    })?;
    if format == Format::Shapefile {
        return Err(ApiError::invalid(
            "/body/file",
            "a shapefile's parts come together in a .zip",
        ));
    }
    let name = if name.is_empty() {
        format!("{} (uploaded)", table.name)
    } else {
        name
    };
    Ok(formats::File {
        name,
        format,
        bytes: bytes.to_vec(),
        parts: formats::Parts::new(),
    })
}
