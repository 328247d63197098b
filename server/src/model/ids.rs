//! Stable string ids and the 15-digit grid code, valid by construction.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A stable feature id: 1–64 characters, no whitespace or control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "IdRepr", into = "String")]
pub struct Id(String);

/// Ids arrive as strings, or as numbers in files that store NBS codes as numbers.
#[derive(Deserialize)]
#[serde(untagged)]
enum IdRepr {
    Text(String),
    Number(u64),
}

/// Why a value is not a valid id or code.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IdError {
    #[error("id must be 1 to 64 characters without spaces or control characters: {0:?}")]
    Id(String),
    #[error("grid code must be exactly 15 digits: {0:?}")]
    GridCode(String),
}

impl Id {
    /// ```
    /// use redgrid::model::Id;
    /// assert!(Id::new("370602001").is_ok());
    /// assert!(Id::new("").is_err());
    /// assert!(Id::new("a b").is_err());
    /// ```
    pub fn new(value: impl Into<String>) -> Result<Self, IdError> {
        let value = value.into();
        let ok = (1..=64).contains(&value.chars().count())
            && !value.chars().any(|c| c.is_whitespace() || c.is_control());
        if ok {
            Ok(Self(value))
        } else {
            Err(IdError::Id(value))
        }
    }

    /// A letter and a zero-padded number, e.g. `S00042`: valid by construction.
    ///
    /// ```
    /// use redgrid::model::Id;
    /// assert_eq!(Id::numbered('S', 42, 5).as_str(), "S00042");
    /// ```
    pub fn numbered(prefix: char, n: usize, width: usize) -> Self {
        let prefix = if prefix.is_alphanumeric() {
            prefix
        } else {
            'X'
        };
        let width = width.min(32);
        Self(format!("{prefix}{n:0width$}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<IdRepr> for Id {
    type Error = IdError;
    fn try_from(value: IdRepr) -> Result<Self, IdError> {
        match value {
            IdRepr::Text(s) => Self::new(s),
            IdRepr::Number(n) => Self::new(n.to_string()),
        }
    }
}

impl From<Id> for String {
    fn from(id: Id) -> Self {
        id.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A red grid's code: the community's 12-digit code followed by a 3-digit sequence.
/// Always a string, so spreadsheets keep all 15 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct GridCode(String);

impl GridCode {
    /// ```
    /// use redgrid::model::GridCode;
    /// assert!(GridCode::new("370602001001001").is_ok());
    /// assert!(GridCode::new("3706020010010").is_err());
    /// ```
    pub fn new(value: impl Into<String>) -> Result<Self, IdError> {
        let value = value.into();
        if value.len() == 15 && value.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(value))
        } else {
            Err(IdError::GridCode(value))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for GridCode {
    type Error = IdError;
    fn try_from(value: String) -> Result<Self, IdError> {
        Self::new(value)
    }
}

impl From<GridCode> for String {
    fn from(code: GridCode) -> Self {
        code.0
    }
}
