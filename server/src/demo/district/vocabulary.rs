//! Words of the demo: generated names of compounds, people and teams, contact
//! numbers that cannot be real, the `services[]` vocabulary and weekly hours.
//!
//! Numbers: people's phones are `100` + 8 digits, which is not a Chinese mobile
//! prefix; public contacts are `0535-0` + 6 digits, and Yantai landline numbers never
//! start with 0. Nobody can be reached by dialling demo data.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::demo::SeededRng;

const NAME_CHARS: &str = "安宝昌长春德东丰福富海和恒华佳锦康乐丽隆明宁平祺青庆瑞山盛泰通万文祥新兴旭阳怡永裕振卓翠松柏桂兰荷";
const COMPOUND_SUFFIXES: [&str; 8] = ["小区", "花园", "家园", "苑", "新村", "公寓", "山庄", "名居"];
const SURNAMES: &str = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段曲";
const GIVEN: &str = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国红梅志鹏辉燕丹宁博文雪飞晨阳海波亮新凤春雷";

/// 党务, 政务 ("一次办好") and 便民 services.
pub const PARTY_SERVICES: [&str; 4] = ["党员教育", "组织关系转接", "党费缴纳", "党员志愿服务"];
pub const GOVERNMENT_SERVICES: [&str; 6] = [
    "低保",
    "高龄补贴",
    "灵活就业认定",
    "居住证",
    "医保参保",
    "养老认证",
];
pub const CONVENIENCE_SERVICES: [&str; 8] = [
    "饮水",
    "休息",
    "充电",
    "卫生间",
    "医药箱",
    "雨具",
    "图书",
    "微波炉",
];

pub struct Namer {
    rng: SeededRng,
    chars: Vec<char>,
    surnames: Vec<char>,
    given: Vec<char>,
    used: BTreeSet<String>,
    phones: u64,
    contacts: u64,
}

impl Namer {
    pub fn new(seed: u64) -> Self {
        Self {
            rng: SeededRng::new(seed, 0x766f_6361),
            chars: NAME_CHARS.chars().collect(),
            surnames: SURNAMES.chars().collect(),
            given: GIVEN.chars().collect(),
            used: BTreeSet::new(),
            phones: 0,
            contacts: 0,
        }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.rng.unit() * items.len() as f64) as usize % items.len()]
    }

    /// A compound name not given before, e.g. 康宁花园.
    pub fn compound(&mut self) -> String {
        let chars = self.chars.clone();
        for attempt in 0..100 {
            let (a, b) = (*self.pick(&chars), *self.pick(&chars));
            let suffix = *self.pick(&COMPOUND_SUFFIXES);
            let phase = if attempt < 50 { "" } else { "二期" };
            let name = format!("{a}{b}{suffix}{phase}");
            if a != b && self.used.insert(name.clone()) {
                return name;
            }
        }
        format!("{}号小区", self.used.len() + 1)
    }

    /// A person's name: a common surname and one or two given-name characters.
    pub fn person(&mut self) -> String {
        let surnames = self.surnames.clone();
        let given = self.given.clone();
        let mut name = String::new();
        name.push(*self.pick(&surnames));
        name.push(*self.pick(&given));
        if self.rng.chance(0.6) {
            name.push(*self.pick(&given));
        }
        name
    }

    /// A personal phone number that is not a real mobile number.
    pub fn phone(&mut self) -> String {
        self.phones += 1;
        let scrambled = (self.phones * 7_919 + (self.rng.unit() * 97.0) as u64) % 100_000_000;
        format!("100{scrambled:08}")
    }

    /// A public contact number that is not a real landline.
    pub fn public_contact(&mut self) -> String {
        self.contacts += 1;
        format!("0535-0{:06}", self.contacts)
    }

    /// `n` distinct items of `from`, in vocabulary order.
    pub fn some(&mut self, from: &[&str], n: usize) -> Vec<String> {
        let mut picked: Vec<usize> = (0..from.len()).collect();
        // Partial Fisher–Yates.
        for i in 0..n.min(from.len()) {
            let j = i + (self.rng.unit() * (from.len() - i) as f64) as usize % (from.len() - i);
            picked.swap(i, j);
        }
        let mut chosen: Vec<usize> = picked.into_iter().take(n).collect();
        chosen.sort_unstable();
        chosen.into_iter().map(|i| from[i].to_owned()).collect()
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.rng.chance(p)
    }

    pub fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + (self.rng.unit() * f64::from(hi - lo + 1)) as u32 % (hi - lo + 1)
    }

    pub fn choose<'a>(&mut self, items: &[&'a str]) -> &'a str {
        self.pick::<&str>(items)
    }
}

/// A weekly schedule with closures. `days` are ISO weekdays (1 = Monday), times are
/// local (Asia/Shanghai), `closures` are dates on which the site is shut.
pub fn hours(weekdays: (&str, &str), weekend: Option<(&str, &str)>) -> Value {
    let mut weekly =
        vec![json!({"days": [1, 2, 3, 4, 5], "open": weekdays.0, "close": weekdays.1})];
    if let Some((open, close)) = weekend {
        weekly.push(json!({"days": [6, 7], "open": open, "close": close}));
    }
    json!({
        "timezone": "Asia/Shanghai",
        "weekly": weekly,
        "closures": ["2027-01-01", "2027-02-06", "2027-02-07", "2027-02-08"],
    })
}

/// Open every day and night (kiosks).
pub fn always_open() -> Value {
    json!({
        "timezone": "Asia/Shanghai",
        "weekly": [{"days": [1, 2, 3, 4, 5, 6, 7], "open": "00:00", "close": "24:00"}],
        "closures": [],
    })
}
