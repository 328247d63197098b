//! Personal data: grid workers and building heads, and how it is masked for callers
//! who may not see it.

use serde::{Deserialize, Serialize};

use super::Id;
use super::feature::impl_has_id;

/// 专职网格员: a full-time grid worker.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Worker {
    pub id: Id,
    pub name: String,
    pub phone: String,
    pub grid_ids: Vec<Id>,
    #[serde(default)]
    pub synthetic: bool,
}

/// 楼长: a part-time building head.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BuildingHead {
    pub id: Id,
    pub name: String,
    pub phone: String,
    pub building_ids: Vec<Id>,
    #[serde(default)]
    pub synthetic: bool,
}

impl_has_id!(Worker, BuildingHead);

/// Keeps the first character (the surname) and stars the rest.
///
/// ```
/// use redgrid::model::mask_name;
/// assert_eq!(mask_name("张伟"), "张*");
/// assert_eq!(mask_name("欧阳娜娜"), "欧***");
/// ```
pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => std::iter::once(first).chain(chars.map(|_| '*')).collect(),
        None => String::new(),
    }
}

/// Keeps the first three and last four digits of a number of 11 or more digits, the
/// last two of a shorter one, and stars every other digit.
///
/// ```
/// use redgrid::model::mask_phone;
/// assert_eq!(mask_phone("13800138000"), "138****8000");
/// assert_eq!(mask_phone("0535-6212345"), "053*-***2345");
/// assert_eq!(mask_phone("6212345"), "*****45");
/// ```
pub fn mask_phone(phone: &str) -> String {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let (head, tail) = if digits >= 11 { (3, 4) } else { (0, 2) };
    let mut seen = 0;
    phone
        .chars()
        .map(|c| {
            if !c.is_ascii_digit() {
                return c;
            }
            seen += 1;
            if seen <= head || seen > digits - tail {
                c
            } else {
                '*'
            }
        })
        .collect()
}
