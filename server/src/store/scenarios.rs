//! Saved what-if scenarios: with PostGIS in its `scenarios` table (shared by every
//! replica); otherwise kept in memory and, when a file is configured, in that JSON
//! file too, rewritten whole through a temporary file and a rename so a crash never
//! leaves half a file. A save that cannot be written is not kept at all.

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
    /// Where scenarios live instead, once set.
    database: std::sync::OnceLock<sqlx::PgPool>,
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
            database: std::sync::OnceLock::new(),
        })
    }

    /// Keeps scenarios in the database from now on.
    pub fn use_database(&self, pool: sqlx::PgPool) {
        let _ = self.database.set(pool);
    }

    pub async fn get(&self, id: &str) -> std::result::Result<Option<SavedScenario>, String> {
        let Some(pool) = self.database.get() else {
            let saved = self.saved.read().map_err(|_| unavailable())?;
            return Ok(saved.iter().find(|s| s.id == id).cloned());
        };
        let row: Option<(String,)> =
            sqlx::query_as("SELECT body::text FROM scenarios WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await
                .map_err(|e| format!("scenarios cannot be read now: {e}"))?;
        row.map(|(body,)| serde_json::from_str(&body).map_err(|e| e.to_string()))
            .transpose()
    }

    /// Every scenario, newest first.
    pub async fn list(&self) -> std::result::Result<Vec<SavedScenario>, String> {
        let Some(pool) = self.database.get() else {
            let mut all = self.saved.read().map_err(|_| unavailable())?.clone();
            all.reverse();
            return Ok(all);
        };
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT body::text FROM scenarios ORDER BY created_at DESC, id")
                .fetch_all(pool)
                .await
                .map_err(|e| format!("scenarios cannot be read now: {e}"))?;
        rows.iter()
            .map(|(body,)| serde_json::from_str(body).map_err(|e| e.to_string()))
            .collect()
    }

    /// Keeps a scenario (and writes the file first, when there is one).
    pub async fn save(&self, scenario: SavedScenario) -> std::result::Result<(), String> {
        if let Some(pool) = self.database.get() {
            let body = serde_json::to_string(&scenario).map_err(|e| e.to_string())?;
            sqlx::query(
                "INSERT INTO scenarios (id, name, author, body, created_at) \
                 VALUES ($1, $2, $3, $4::jsonb, to_timestamp($5))",
            )
            .bind(&scenario.id)
            .bind(&scenario.name)
            .bind(&scenario.author)
            .bind(body)
            .bind(scenario.created_unix_s as f64)
            .execute(pool)
            .await
            .map_err(|e| format!("the scenario cannot be saved now: {e}"))?;
            return Ok(());
        }
        self.save_in_memory(scenario)
    }

    fn save_in_memory(&self, scenario: SavedScenario) -> std::result::Result<(), String> {
        let mut saved = self.saved.write().map_err(|_| unavailable())?;
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

fn unavailable() -> String {
    "the scenario store is unavailable".to_owned()
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

    #[tokio::test]
    async fn saved_scenarios_survive_a_restart_and_an_unwritable_save_is_not_kept() {
        let dir = std::env::temp_dir().join(format!("redgrid-scenarios-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("scenarios.json");
        let _ = std::fs::remove_file(&file);
        let store = ScenarioStore::with_file(file.clone()).unwrap();
        store.save(scenario("sc_1")).await.unwrap();
        store.save(scenario("sc_2")).await.unwrap();
        let again = ScenarioStore::with_file(file.clone()).unwrap();
        assert_eq!(again.get("sc_1").await.unwrap(), Some(scenario("sc_1")));
        assert_eq!(
            again
                .list()
                .await
                .unwrap()
                .iter()
                .map(|s| s.id.as_str())
                .collect::<Vec<_>>(),
            ["sc_2", "sc_1"]
        );

        let lost = ScenarioStore::with_file(dir.join("no such dir/scenarios.json")).unwrap();
        assert!(lost.save(scenario("sc_3")).await.is_err());
        assert!(lost.list().await.unwrap().is_empty());
        std::fs::write(&file, b"[{").unwrap();
        assert!(ScenarioStore::with_file(file).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
