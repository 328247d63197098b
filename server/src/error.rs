//! The crate's error type for loading data and configuration. Request errors live
//! in `http::error`, the only place that knows HTTP status codes.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("data directory {0} does not exist; pass --data DIR or set REDGRID_DATA")]
    MissingDataDir(PathBuf),
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{file}: {reason}")]
    InvalidFile { file: String, reason: String },
    #[error("{file}: feature {index}: {reason}")]
    InvalidFeature {
        file: String,
        index: usize,
        reason: String,
    },
    #[error("tokens file {path}: {reason}")]
    Tokens { path: PathBuf, reason: String },
    #[error("database: {0}")]
    Database(String),
    /// The database refused a change (a constraint, a missing record, a conflict).
    #[error("refused: {0}")]
    Refused(String),
}

pub type Result<T> = std::result::Result<T, Error>;
