//! Who a caller is: roles, the `TokenStore` that turns a bearer token into one, and
//! browser sessions opened with a token. Tokens are stored only as SHA-256 hashes.

mod sessions;
mod token_file;

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use serde::Serialize;
use sha2::{Digest, Sha256};

pub use sessions::{
    Live, Opened, SESSION_COOKIE, SESSION_TTL, SessionError, SessionStore, cookie_value,
};
pub use token_file::{append_token, read_tokens};

/// What a token allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Viewer,
    Planner,
    Dispatcher,
    /// A machine client such as the e呼应 platform: reads what a dispatcher reads.
    Service,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Planner => "planner",
            Role::Dispatcher => "dispatcher",
            Role::Service => "service",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Role::Viewer,
            Role::Planner,
            Role::Dispatcher,
            Role::Service,
            Role::Admin,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }

    /// Names and phones of workers and building heads, unmasked.
    pub fn may_read_personal_data(self) -> bool {
        matches!(self, Role::Dispatcher | Role::Service | Role::Admin)
    }

    /// Saving planning scenarios.
    pub fn may_save_scenarios(self) -> bool {
        matches!(self, Role::Planner | Role::Admin)
    }

    /// Writes to data layers.
    pub fn may_write_data(self) -> bool {
        self == Role::Admin
    }
}

/// The caller of one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    Anonymous,
    /// A bearer token.
    Token(Role),
    /// A browser session cookie (its writes carried the session's CSRF token).
    Session(Role),
}

impl Caller {
    pub fn role(self) -> Option<Role> {
        match self {
            Caller::Anonymous => None,
            Caller::Token(role) | Caller::Session(role) => Some(role),
        }
    }

    pub fn may_read_personal_data(self) -> bool {
        self.role().is_some_and(Role::may_read_personal_data)
    }
}

/// Hash of a token as stored: lowercase hex SHA-256.
pub fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A fresh random token: `rg_` and 64 hex digits (256 bits from the OS).
pub fn new_token() -> std::io::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(format!(
        "rg_{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    ))
}

/// Known tokens by hash: from a tokens file, and with PostGIS from its `api_tokens`
/// table too.
/// Clones share one set, which [`TokenStore::replace`] swaps for all of them.
#[derive(Debug, Default, Clone)]
pub struct TokenStore {
    roles_by_hash: Arc<RwLock<HashMap<String, Role>>>,
}

impl TokenStore {
    pub fn from_hashes(entries: impl IntoIterator<Item = (String, Role)>) -> Self {
        Self {
            roles_by_hash: Arc::new(RwLock::new(entries.into_iter().collect())),
        }
    }

    /// The role of a presented token, if it is known.
    pub fn role_of(&self, token: &str) -> Option<Role> {
        let hash = hash_token(token);
        self.roles_by_hash.read().ok()?.get(&hash).copied()
    }

    /// Every (hash, role) held.
    pub fn entries(&self) -> Vec<(String, Role)> {
        self.roles_by_hash.read().map_or_else(
            |_| Vec::new(),
            |m| m.iter().map(|(h, r)| (h.clone(), *r)).collect(),
        )
    }

    /// Replaces the set for every clone.
    pub fn replace(&self, entries: impl IntoIterator<Item = (String, Role)>) {
        if let Ok(mut m) = self.roles_by_hash.write() {
            *m = entries.into_iter().collect();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_tokens_have_a_role() {
        let token = new_token().unwrap();
        let store = TokenStore::from_hashes([(hash_token(&token), Role::Dispatcher)]);
        assert_eq!(store.role_of(&token), Some(Role::Dispatcher));
        assert_eq!(store.role_of("rg_guess"), None);
        assert_ne!(new_token().unwrap(), token);
    }
}
