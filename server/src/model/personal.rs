//! Personal names and phone numbers as stored: normalised where they enter (from a
//! file, an import or a write), so that masking never depends on how they were typed.

use serde::{Deserialize, Deserializer};
use unicode_normalization::UnicodeNormalization;

/// Compatibility forms folded (full-width digits, letters, hyphens and spaces become
/// ASCII), spaces trimmed and runs of them made one.
fn folded(s: &str) -> String {
    let nfkc: String = s.nfkc().collect();
    nfkc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A phone number in its stored form: a mobile's 11 digits (`13800138000`), or a
/// landline's area code, a dash and its 7 or 8 digits (`0535-6212345`), or a local
/// number's 7 or 8 digits.
///
/// ```
/// use redgrid::model::normalise_phone;
/// assert_eq!(normalise_phone("１３８ ００１３ ８０００").unwrap(), "13800138000");
/// assert_eq!(normalise_phone("+86 138-0013-8000").unwrap(), "13800138000");
/// assert_eq!(normalise_phone("（0535）6212345").unwrap(), "0535-6212345");
/// assert_eq!(normalise_phone("010 12345678").unwrap(), "010-12345678");
/// assert!(normalise_phone("abc").is_err());
/// assert!(normalise_phone("١٣٨٠٠١٣٨٠٠٠").is_err());
/// ```
pub fn normalise_phone(phone: &str) -> Result<String, String> {
    let refuse = || {
        format!(
            "not a phone number: a mobile is 11 digits from 1, a landline its area code \
             and 7 or 8 digits ({:?})",
            phone.chars().take(40).collect::<String>()
        )
    };
    let folded = folded(phone);
    let mut digits: String = folded
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.'))
        .collect();
    for prefix in ["+86", "0086"] {
        if let Some(rest) = digits.strip_prefix(prefix) {
            digits = rest.to_owned();
        }
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(refuse());
    }
    let area = if digits.starts_with("01") || digits.starts_with("02") {
        3
    } else {
        4
    };
    match (digits.len(), digits.as_bytes().first()) {
        (11, Some(b'1')) => Ok(digits),
        (n, Some(b'0')) if (area + 7..=area + 8).contains(&n) => {
            Ok(format!("{}-{}", &digits[..area], &digits[area..]))
        }
        (7 | 8, Some(b'2'..=b'9')) => Ok(digits),
        _ => Err(refuse()),
    }
}

/// A person's name as stored: compatibility forms folded, spaces trimmed; never empty.
pub fn normalise_name(name: &str) -> Result<String, String> {
    let folded = folded(name);
    if folded.is_empty() {
        Err("a name cannot be empty".to_owned())
    } else if folded.chars().count() > 40 {
        Err("a name has at most 40 characters".to_owned())
    } else {
        Ok(folded)
    }
}

/// Deserialises a phone number into its stored form.
pub(super) fn phone<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    normalise_phone(&String::deserialize(d)?).map_err(serde::de::Error::custom)
}

/// Deserialises a name into its stored form.
pub(super) fn name<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    normalise_name(&String::deserialize(d)?).map_err(serde::de::Error::custom)
}
