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
    /// A data file, or a dataset as a whole, fails its checks: every problem found.
    #[error("{}", list(.0))]
    Invalid(Vec<Problem>),
    #[error("database: {0}")]
    Database(String),
    /// The database refused a change (a constraint, a missing record, a conflict).
    #[error("refused: {0}")]
    Refused(String),
}

pub type Result<T> = std::result::Result<T, Error>;

/// One thing wrong in a data file: which file, which feature (by position), which
/// field, and why.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Problem {
    pub file: String,
    pub index: Option<usize>,
    pub field: Option<String>,
    pub reason: String,
}

impl Problem {
    pub fn file(file: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            index: None,
            field: None,
            reason: reason.into(),
        }
    }

    pub fn feature(file: impl Into<String>, index: usize, reason: impl Into<String>) -> Self {
        Self {
            index: Some(index),
            ..Self::file(file, reason)
        }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.index {
            Some(i) => write!(f, "{}: feature {i}: {}", self.file, self.reason),
            None => write!(f, "{}: {}", self.file, self.reason),
        }
    }
}

/// How many problems a message spells out.
const LISTED: usize = 20;

fn list(problems: &[Problem]) -> String {
    match problems {
        [one] => one.to_string(),
        many => {
            let mut text = format!("{} problems:", many.len());
            for p in many.iter().take(LISTED) {
                text.push_str(&format!("\n  {p}"));
            }
            if many.len() > LISTED {
                text.push_str(&format!("\n  … and {} more", many.len() - LISTED));
            }
            text
        }
    }
}

impl Error {
    /// The problems of a refused file or dataset (an error of another kind is one
    /// problem without a file).
    pub fn into_problems(self) -> Vec<Problem> {
        match self {
            Error::Invalid(problems) => problems,
            Error::InvalidFile { file, reason } => vec![Problem::file(file, reason)],
            Error::InvalidFeature {
                file,
                index,
                reason,
            } => vec![Problem::feature(file, index, reason)],
            other => vec![Problem::file("", other.to_string())],
        }
    }
}
