//! Personal data: grid workers and building heads, and how it is masked for callers
//! who may not see it.

use serde::{Deserialize, Serialize};

use super::Id;
use super::feature::impl_has_id;

/// 专职网格员: a full-time grid worker.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Worker {
    pub id: Id,
    #[serde(deserialize_with = "super::personal::name")]
    pub name: String,
    #[serde(deserialize_with = "super::personal::phone")]
    pub phone: String,
    pub grid_ids: Vec<Id>,
    #[serde(default)]
    pub synthetic: bool,
}

/// 楼长: a part-time building head.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BuildingHead {
    pub id: Id,
    #[serde(deserialize_with = "super::personal::name")]
    pub name: String,
    #[serde(deserialize_with = "super::personal::phone")]
    pub phone: String,
    pub building_ids: Vec<Id>,
    #[serde(default)]
    pub synthetic: bool,
}

impl_has_id!(Worker, BuildingHead);

/// Keeps the first character (the surname) and stars the rest; a name of one
/// character is starred whole.
///
/// ```
/// use redgrid::model::mask_name;
/// assert_eq!(mask_name("张伟"), "张*");
/// assert_eq!(mask_name("欧阳娜娜"), "欧***");
/// assert_eq!(mask_name("张"), "*");
/// ```
pub fn mask_name(name: &str) -> String {
    let count = name.chars().count();
    if count <= 1 {
        return "*".repeat(count);
    }
    name.chars()
        .enumerate()
        .map(|(i, c)| if i == 0 { c } else { '*' })
        .collect()
}

/// Keeps the first three and last four digits of a number of 11 or more digits, the
/// last two of a shorter one, and stars every other digit: any character Unicode
/// calls numeric counts as a digit, so a number in another form is masked as well.
///
/// ```
/// use redgrid::model::mask_phone;
/// assert_eq!(mask_phone("13800138000"), "138****8000");
/// assert_eq!(mask_phone("0535-6212345"), "053*-***2345");
/// assert_eq!(mask_phone("6212345"), "*****45");
/// ```
pub fn mask_phone(phone: &str) -> String {
    let digits = phone.chars().filter(|c| c.is_numeric()).count();
    let (head, tail) = if digits >= 11 { (3, 4) } else { (0, 2) };
    let mut seen = 0;
    phone
        .chars()
        .map(|c| {
            if !c.is_numeric() {
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
