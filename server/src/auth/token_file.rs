//! The file-backed token list of the memory backend: one token per line,
//! `sha256-hex <TAB> role <TAB> created-unix-seconds <TAB> label`.

use std::io::Write;
use std::path::Path;

use super::{Role, TokenStore, hash_token, new_token};
use crate::error::{Error, Result};

/// Reads a tokens file.
pub fn read_tokens(path: &Path) -> Result<TokenStore> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    let mut entries = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split('\t');
        let (Some(hash), Some(role)) = (fields.next(), fields.next()) else {
            return Err(bad(path, n, "expected hash<TAB>role"));
        };
        let role = Role::parse(role).ok_or_else(|| bad(path, n, "unknown role"))?;
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad(path, n, "hash must be 64 hex digits"));
        }
        entries.push((hash.to_ascii_lowercase(), role));
    }
    Ok(TokenStore::from_hashes(entries))
}

fn bad(path: &Path, line: usize, reason: &str) -> Error {
    Error::Tokens {
        path: path.to_owned(),
        reason: format!("line {}: {reason}", line + 1),
    }
}

/// Creates a token, appends its hash to the file (created if absent, mode 0600 on
/// Unix) and returns the token itself, which is stored nowhere.
pub fn append_token(path: &Path, role: Role, label: &str) -> Result<String> {
    let io = |source| Error::Io {
        path: path.to_owned(),
        source,
    };
    let token = new_token().map_err(io)?;
    let created = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let label: String = label.chars().filter(|c| !c.is_control()).collect();
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(io)?;
    writeln!(
        file,
        "{}\t{}\t{created}\t{label}",
        hash_token(&token),
        role.as_str()
    )
    .map_err(io)?;
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_tokens_are_read_back_with_their_role() {
        let dir = std::env::temp_dir().join(format!("redgrid-tokens-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("tokens.tsv");
        let _ = std::fs::remove_file(&path);
        let admin = append_token(&path, Role::Admin, "ops").unwrap();
        let viewer = append_token(&path, Role::Viewer, "kiosk\tbad").unwrap();
        let store = read_tokens(&path).unwrap();
        assert_eq!(store.role_of(&admin), Some(Role::Admin));
        assert_eq!(store.role_of(&viewer), Some(Role::Viewer));
        assert!(!std::fs::read_to_string(&path).unwrap().contains(&admin));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
