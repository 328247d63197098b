//! Browser sessions: a bearer token exchanged once for a random session id kept in
//! an HttpOnly, SameSite=Strict cookie, with a CSRF token the page sends back on
//! every cookie-authenticated write. Only hashes of both are kept, each session for
//! at most [`SESSION_TTL`]: in memory (a full store drops its oldest session), or
//! with PostGIS in its `sessions` table, so that every replica knows every session
//! and a logout anywhere ends it everywhere.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::{Role, hash_token, new_token};

/// How long a session lasts from login.
pub const SESSION_TTL: Duration = Duration::from_secs(8 * 3600);
/// Most sessions kept at once.
const MAX_SESSIONS: usize = 10_000;
/// The session cookie's name.
pub const SESSION_COOKIE: &str = "redgrid_session";

#[derive(Debug, Clone)]
struct Session {
    role: Role,
    csrf_hash: String,
    expires: Instant,
}

/// A session just opened: the secrets handed to the browser, once.
#[derive(Debug)]
pub struct Opened {
    pub id: String,
    pub csrf_token: String,
}

/// A live session as a request presents it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Live {
    pub role: Role,
    pub expires_in: Duration,
}

#[derive(Debug, Default)]
pub struct SessionStore {
    by_hash: Mutex<HashMap<String, Session>>,
    /// Where sessions live instead, once set.
    database: std::sync::OnceLock<sqlx::PgPool>,
}

/// Why a session could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("no randomness for a session: {0}")]
    Randomness(std::io::Error),
    #[error("sessions cannot be stored now: {0}")]
    Database(sqlx::Error),
}

impl SessionStore {
    /// Keeps sessions in the database from now on.
    pub fn use_database(&self, pool: sqlx::PgPool) {
        let _ = self.database.set(pool);
    }

    /// Opens a session for `role`.
    pub async fn open(&self, role: Role) -> Result<Opened, SessionError> {
        let Some(pool) = self.database.get() else {
            return self.open_in_memory(role).map_err(SessionError::Randomness);
        };
        let (id, csrf_token) = (
            new_token().map_err(SessionError::Randomness)?,
            new_token().map_err(SessionError::Randomness)?,
        );
        sqlx::query("DELETE FROM sessions WHERE expires_at < now()")
            .execute(pool)
            .await
            .map_err(SessionError::Database)?;
        sqlx::query(
            "INSERT INTO sessions (session_hash, csrf_hash, role, expires_at) \
             VALUES ($1, $2, $3, now() + make_interval(secs => $4))",
        )
        .bind(hash_token(&id))
        .bind(hash_token(&csrf_token))
        .bind(role.as_str())
        .bind(SESSION_TTL.as_secs_f64())
        .execute(pool)
        .await
        .map_err(SessionError::Database)?;
        Ok(Opened { id, csrf_token })
    }

    /// The live session with this id, if any (none while the database is away).
    pub async fn get(&self, id: &str) -> Option<Live> {
        let Some(pool) = self.database.get() else {
            return self.get_in_memory(id);
        };
        let (role, left_s): (String, f64) = sqlx::query_as(
            "SELECT role, extract(epoch FROM expires_at - now())::float8 FROM sessions \
             WHERE session_hash = $1 AND expires_at > now()",
        )
        .bind(hash_token(id))
        .fetch_optional(pool)
        .await
        .ok()??;
        Some(Live {
            role: Role::parse(&role)?,
            expires_in: Duration::from_secs_f64(left_s.max(0.0)),
        })
    }

    /// Whether `csrf` is the CSRF token of session `id` (hashes compared, so the
    /// time taken says nothing about the secret).
    pub async fn csrf_matches(&self, id: &str, csrf: &str) -> bool {
        let Some(pool) = self.database.get() else {
            return self.csrf_matches_in_memory(id, csrf);
        };
        sqlx::query_scalar::<_, bool>(
            "SELECT csrf_hash = $2 FROM sessions WHERE session_hash = $1 AND expires_at > now()",
        )
        .bind(hash_token(id))
        .bind(hash_token(csrf))
        .fetch_optional(pool)
        .await
        .ok()
        .flatten()
        .unwrap_or(false)
    }

    /// Ends session `id`; whether there was one.
    pub async fn close(&self, id: &str) -> bool {
        let Some(pool) = self.database.get() else {
            return self.close_in_memory(id);
        };
        sqlx::query("DELETE FROM sessions WHERE session_hash = $1")
            .bind(hash_token(id))
            .execute(pool)
            .await
            .is_ok_and(|r| r.rows_affected() > 0)
    }

    fn open_in_memory(&self, role: Role) -> std::io::Result<Opened> {
        let (id, csrf_token) = (new_token()?, new_token()?);
        let now = Instant::now();
        let mut sessions = self.by_hash.lock().unwrap_or_else(|e| e.into_inner());
        sessions.retain(|_, s| s.expires > now);
        if sessions.len() >= MAX_SESSIONS
            && let Some(oldest) = sessions
                .iter()
                .min_by_key(|(_, s)| s.expires)
                .map(|(k, _)| k.clone())
        {
            sessions.remove(&oldest);
        }
        sessions.insert(
            hash_token(&id),
            Session {
                role,
                csrf_hash: hash_token(&csrf_token),
                expires: now + SESSION_TTL,
            },
        );
        Ok(Opened { id, csrf_token })
    }

    fn get_in_memory(&self, id: &str) -> Option<Live> {
        let now = Instant::now();
        let sessions = self.by_hash.lock().unwrap_or_else(|e| e.into_inner());
        let s = sessions.get(&hash_token(id)).filter(|s| s.expires > now)?;
        Some(Live {
            role: s.role,
            expires_in: s.expires - now,
        })
    }

    fn csrf_matches_in_memory(&self, id: &str, csrf: &str) -> bool {
        let sessions = self.by_hash.lock().unwrap_or_else(|e| e.into_inner());
        sessions
            .get(&hash_token(id))
            .is_some_and(|s| s.csrf_hash == hash_token(csrf))
    }

    fn close_in_memory(&self, id: &str) -> bool {
        let mut sessions = self.by_hash.lock().unwrap_or_else(|e| e.into_inner());
        sessions.remove(&hash_token(id)).is_some()
    }
}

/// The value of cookie `name` in a `Cookie` header.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_session_answers_for_its_id_and_csrf_token_only_until_closed() {
        let store = SessionStore::default();
        let opened = store.open(Role::Planner).await.unwrap();
        let live = store.get(&opened.id).await.unwrap();
        assert_eq!(live.role, Role::Planner);
        assert!(live.expires_in <= SESSION_TTL && live.expires_in > SESSION_TTL / 2);
        assert!(store.csrf_matches(&opened.id, &opened.csrf_token).await);
        assert!(!store.csrf_matches(&opened.id, &opened.id).await);
        assert_eq!(store.get(&opened.csrf_token).await, None);
        assert!(store.close(&opened.id).await);
        assert_eq!(store.get(&opened.id).await, None);
        assert!(!store.csrf_matches(&opened.id, &opened.csrf_token).await);
        assert!(!store.close(&opened.id).await);
    }

    #[test]
    fn cookies_are_read_by_exact_name() {
        let h = "a=1; redgrid_session_old=x; redgrid_session=rg_abc ; b=2";
        assert_eq!(cookie_value(h, SESSION_COOKIE), Some("rg_abc"));
        assert_eq!(cookie_value("redgrid_sessionx=1", SESSION_COOKIE), None);
        assert_eq!(cookie_value("", SESSION_COOKIE), None);
    }
}
