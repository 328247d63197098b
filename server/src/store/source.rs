//! Where a dataset's files come from: a data directory, or files held in memory
//! (rebuilt from PostGIS, or a directory with an import's files laid over it). Both
//! go through the same parsing and checks.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::SystemTime;

use super::load::{content_version, read_optional};
use crate::error::Result;

/// One file's content and what answers say about it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub bytes: Vec<u8>,
    /// The version answers and ETags give for it.
    pub version: String,
    pub modified: Option<SystemTime>,
}

/// Files by name (`sites.geojson`, `workers.json`, …).
pub trait Source {
    /// The file named `name`, or `None` when it is absent (an empty layer).
    fn file(&self, name: &str) -> Result<Option<Cow<'_, SourceFile>>>;
}

/// A data directory; versions are content hashes.
#[derive(Debug, Clone, Copy)]
pub struct DirSource<'a>(pub &'a Path);

impl Source for DirSource<'_> {
    fn file(&self, name: &str) -> Result<Option<Cow<'_, SourceFile>>> {
        let path = self.0.join(name);
        Ok(read_optional(&path)?.map(|bytes| {
            Cow::Owned(SourceFile {
                version: content_version(&bytes),
                modified: std::fs::metadata(&path)
                    .ok()
                    .and_then(|m| m.modified().ok()),
                bytes,
            })
        }))
    }
}

/// Files held in memory.
#[derive(Debug, Clone, Default)]
pub struct MemorySource {
    pub files: BTreeMap<String, SourceFile>,
}

impl Source for MemorySource {
    fn file(&self, name: &str) -> Result<Option<Cow<'_, SourceFile>>> {
        Ok(self.files.get(name).map(Cow::Borrowed))
    }
}
