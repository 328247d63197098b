//! Saved what-if scenarios in memory mode: kept in memory and, when a file is
//! configured, in that JSON file too, rewritten whole through a temporary file and a
//! rename so a crash never leaves half a file. A save that cannot be written is not
//! kept at all.

use std::path::PathBuf;
use std::sync::RwLock;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Result};

/// One saved scenario: who saved it and when, the change, and the results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedScenario {
    pub id: String,
    pub name: String,
    pub author: String,
    /// Unix seconds.
    pub created_unix_s: i64,
    /// The request as given: add, remove, budget, kinds, crs.
    pub request: Value,
    /// The what-if answer at the time of saving.
    pub results: Value,
}

#[derive(Debug, Default)]
pub struct ScenarioStore {
    file: Option<PathBuf>,
    saved: RwLock<Vec<SavedScenario>>,
}

impl ScenarioStore {
    /// A store kept in memory only.
    pub fn in_memory() -> Self {
        Self::default()
    }

    /// A store backed by `file`, read now if it exists.
    pub fn with_file(file: PathBuf) -> Result<Self> {
        let saved = match super::load::read_optional(&file)? {
            Some(bytes) => serde_json::from_slice(&bytes).map_err(|e| Error::InvalidFile {
                file: file.display().to_string(),
                reason: format!("not a list of scenarios: {e}"),
            })?,
            None => Vec::new(),
        };
        Ok(Self {
            file: Some(file),
            saved: RwLock::new(saved),
        })
    }

    pub fn get(&self, id: &str) -> Option<SavedScenario> {
        let saved = self.saved.read().ok()?;
        saved.iter().find(|s| s.id == id).cloned()
    }

    /// Every scenario, newest first.
    pub fn list(&self) -> Vec<SavedScenario> {
        let mut all = self.saved.read().map(|s| s.clone()).unwrap_or_default();
        all.reverse();
        all
    }

    /// Keeps a scenario (and writes the file first, when there is one).
    pub fn save(&self, scenario: SavedScenario) -> std::result::Result<(), String> {
        let mut saved = self
            .saved
            .write()
            .map_err(|_| "the scenario store is unavailable".to_owned())?;
        let mut next = saved.clone();
        next.push(scenario);
        if let Some(file) = &self.file {
            let bytes = serde_json::to_vec_pretty(&next).map_err(|e| e.to_string())?;
            let temporary = file.with_extension("json.tmp");
            std::fs::write(&temporary, bytes)
                .and_then(|()| std::fs::rename(&temporary, file))
                .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
        }
        *saved = next;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(id: &str) -> SavedScenario {
        SavedScenario {
            id: id.to_owned(),
            name: "新站".to_owned(),
            author: "planner".to_owned(),
            created_unix_s: 1_800_000_000,
            request: serde_json::json!({"add": [[121.4, 37.5]]}),
            results: serde_json::json!({"after": {}}),
        }
    }

    #[test]
    fn saved_scenarios_survive_a_restart_and_an_unwritable_save_is_not_kept() {
        let dir = std::env::temp_dir().join(format!("redgrid-scenarios-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("scenarios.json");
        let _ = std::fs::remove_file(&file);
        let store = ScenarioStore::with_file(file.clone()).unwrap();
        store.save(scenario("sc_1")).unwrap();
        store.save(scenario("sc_2")).unwrap();
        let again = ScenarioStore::with_file(file.clone()).unwrap();
        assert_eq!(again.get("sc_1"), Some(scenario("sc_1")));
        assert_eq!(
            again
                .list()
                .iter()
                .map(|s| s.id.as_str())
                .collect::<Vec<_>>(),
            ["sc_2", "sc_1"]
        );

        let lost = ScenarioStore::with_file(dir.join("no such dir/scenarios.json")).unwrap();
        assert!(lost.save(scenario("sc_3")).is_err());
        assert!(lost.list().is_empty());
        std::fs::write(&file, b"[{").unwrap();
        assert!(ScenarioStore::with_file(file).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
