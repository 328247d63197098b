//! How a name can be typed: each of its characters as itself, or, for a Chinese
//! character, as any of its readings in full pinyin or by its initial (every reading
//! of a polyphone, from the `pinyin` crate's heteronyms); and how well a query
//! matches a name spelled so.
//!
//! A query matches from a character of the name onwards, each character consumed by
//! the character itself, a full reading, its initial (`x`, or `zh`/`ch`/`sh`), or, at
//! the end of the query, the start of a reading. Spaces in the query are ignored,
//! so `xiangyang jd`, `xyjd`, `向阳jd` and `xiangy` all find 向阳街道.

use pinyin::{Pinyin, ToPinyinMulti};

/// How a query matched a name, best first.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// The whole name, as text or in full pinyin.
    Exact,
    /// The start of the name, as text or in full pinyin (the last syllable may be cut).
    Prefix,
    /// The start of the name with some characters given by their initials.
    Initials,
    /// From within the name, or its characters in order with others between.
    Fuzzy,
}

/// One character of a name and the ways it can be typed.
#[derive(Debug, Clone)]
struct Letter {
    ch: char,
    /// Full readings, lowercase, `ü` as `v`.
    readings: Vec<String>,
}

/// A name prepared for matching.
#[derive(Debug, Clone)]
pub struct Spelling {
    letters: Vec<Letter>,
    /// The ASCII characters some letter can be typed starting with ([`ascii_bit`]).
    starts: u64,
}

/// A bit per lowercase ASCII letter or digit.
fn ascii_bit(c: char) -> Option<u64> {
    match c {
        'a'..='z' => Some(1 << (c as u32 - 'a' as u32)),
        '0'..='9' => Some(1 << (26 + c as u32 - '0' as u32)),
        _ => None,
    }
}

/// Lowercase, full-width ASCII folded to ASCII, `ü` as `v`, spaces dropped.
pub fn normalise(text: &str) -> String {
    text.chars()
        .filter_map(|c| {
            let c = match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                'ü' | 'Ü' => 'v',
                _ => c,
            };
            (!c.is_whitespace())
                .then(|| c.to_lowercase())
                .into_iter()
                .flatten()
                .next()
        })
        .collect()
}

/// The initials a reading can be typed by: its first letter, and `zh`/`ch`/`sh`.
fn initials(reading: &str) -> impl Iterator<Item = &str> {
    let two = ["zh", "ch", "sh"]
        .into_iter()
        .find(|i| reading.starts_with(i) && reading.len() > 2);
    reading.get(..1).into_iter().chain(two)
}

impl Spelling {
    pub fn new(name: &str) -> Self {
        let letters: Vec<Letter> = normalise(name)
            .chars()
            .map(|ch| {
                let mut readings: Vec<String> = ch
                    .to_pinyin_multi()
                    .map(|m| {
                        m.into_iter()
                            .map(|p: Pinyin| p.plain().replace('ü', "v"))
                            .collect()
                    })
                    .unwrap_or_default();
                readings.dedup();
                Letter { ch, readings }
            })
            .collect();
        let starts = letters
            .iter()
            .flat_map(|l: &Letter| {
                std::iter::once(l.ch).chain(l.readings.iter().filter_map(|r| r.chars().next()))
            })
            .filter_map(ascii_bit)
            .fold(0, |a, b| a | b);
        Self { letters, starts }
    }

    /// How `query` (already [`normalise`]d) matches, if at all.
    pub fn matches(&self, query: &str) -> Option<MatchKind> {
        let first = query.chars().next()?;
        // Most names cannot even begin a match: none of their letters is typed so.
        let can_start = match ascii_bit(first) {
            Some(bit) => self.starts & bit != 0,
            None => self.letters.iter().any(|l| l.ch == first),
        };
        if !can_start {
            return None;
        }
        self.typed(query)
            .or_else(|| self.subsequence(query).then_some(MatchKind::Fuzzy))
    }

    /// The best match of all of `q` typed from some letter on: one search over
    /// (query byte offset, letter) states, each keeping the best rank that reaches
    /// it — 0 from the first letter in full, 1 from the first letter with an initial,
    /// 2 from a later letter.
    fn typed(&self, q: &str) -> Option<MatchKind> {
        const NONE: u8 = u8::MAX;
        let n = self.letters.len();
        let width = n + 1;
        let mut best = vec![NONE; (q.len() + 1) * width];
        best[0] = 0;
        for slot in &mut best[1..n] {
            *slot = 2;
        }
        let kind = |rank: u8, whole: bool| match rank {
            0 if whole => MatchKind::Exact,
            0 => MatchKind::Prefix,
            1 => MatchKind::Initials,
            _ => MatchKind::Fuzzy,
        };
        let mut found: Option<MatchKind> = None;
        let mut better = |k: MatchKind| found = Some(found.map_or(k, |f| f.min(k)));
        // The farthest offset any state has reached: rows beyond it are empty.
        let mut furthest = 0;
        for i in 0..q.len() {
            if i > furthest {
                break;
            }
            // Only offsets reached by a step are visited: they are char boundaries.
            for j in 0..n {
                let rank = best[i * width + j];
                if rank == NONE {
                    continue;
                }
                let letter = &self.letters[j];
                let rest = &q[i..];
                let mut step = |len: usize, initial: bool| {
                    let r = if initial { rank.max(1) } else { rank };
                    let slot = &mut best[(i + len) * width + j + 1];
                    *slot = (*slot).min(r);
                    furthest = furthest.max(i + len);
                };
                if rest.starts_with(letter.ch) {
                    step(letter.ch.len_utf8(), false);
                }
                for reading in &letter.readings {
                    if rest.starts_with(reading.as_str()) {
                        step(reading.len(), false);
                    } else if reading.starts_with(rest) {
                        // The query ends inside this reading.
                        better(kind(rank, false));
                    }
                    for init in initials(reading) {
                        if init.len() < reading.len() && rest.starts_with(init) {
                            step(init.len(), true);
                        }
                    }
                }
            }
        }
        if furthest < q.len() {
            return found;
        }
        let last = &best[q.len() * width..];
        for (j, &rank) in last.iter().enumerate() {
            if rank != NONE {
                better(kind(rank, j == n));
            }
        }
        found
    }

    /// Whether the query's characters appear in the name in order (Chinese input
    /// with characters left out: 向街 for 向阳街道).
    fn subsequence(&self, q: &str) -> bool {
        let mut letters = self.letters.iter();
        q.chars().count() > 1 && q.chars().all(|c| letters.any(|l| l.ch == c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(name: &str, query: &str) -> Option<MatchKind> {
        Spelling::new(name).matches(&normalise(query))
    }

    #[test]
    fn chinese_text_full_pinyin_initials_and_mixed_input() {
        let name = "向阳街道";
        assert_eq!(kind(name, "向阳街道"), Some(MatchKind::Exact));
        assert_eq!(kind(name, "xiangyangjiedao"), Some(MatchKind::Exact));
        assert_eq!(kind(name, "Xiang Yang Jie Dao"), Some(MatchKind::Exact));
        assert_eq!(kind(name, "向阳"), Some(MatchKind::Prefix));
        assert_eq!(kind(name, "xiangy"), Some(MatchKind::Prefix));
        assert_eq!(kind(name, "xiangyang"), Some(MatchKind::Prefix));
        assert_eq!(kind(name, "xyjd"), Some(MatchKind::Initials));
        assert_eq!(kind(name, "xiangyang jd"), Some(MatchKind::Initials));
        assert_eq!(kind(name, "向阳jd"), Some(MatchKind::Initials));
        assert_eq!(kind(name, "jiedao"), Some(MatchKind::Fuzzy));
        assert_eq!(kind(name, "街道"), Some(MatchKind::Fuzzy));
        assert_eq!(kind(name, "向街"), Some(MatchKind::Fuzzy));
        assert_eq!(kind(name, "xyz"), None);
        assert_eq!(kind(name, "东山"), None);
        assert_eq!(kind(name, ""), None);
    }

    #[test]
    fn every_reading_of_a_polyphone_is_accepted() {
        // 奇 reads qí and jī; 长 cháng and zhǎng; 重 zhòng and chóng.
        for query in ["qishan", "jishan", "qs", "js"] {
            assert!(kind("奇山街道", query).is_some(), "{query}");
        }
        assert_eq!(kind("长春路", "changchunlu"), Some(MatchKind::Exact));
        assert_eq!(kind("长春路", "zhangchunlu"), Some(MatchKind::Exact));
        assert_eq!(kind("重庆", "chongqing"), Some(MatchKind::Exact));
        assert_eq!(kind("重庆", "zhongqing"), Some(MatchKind::Exact));
    }

    #[test]
    fn double_initials_digits_and_full_width_input() {
        assert_eq!(kind("芝罘山社区", "zhfssq"), Some(MatchKind::Initials));
        assert_eq!(kind("芝罘山社区", "zfssq"), Some(MatchKind::Initials));
        assert_eq!(
            kind("友谊街社区第1网格", "yyjsqd1wg"),
            Some(MatchKind::Initials)
        );
        assert_eq!(
            kind("370602001001001", "370602001"),
            Some(MatchKind::Prefix)
        );
        assert_eq!(kind("370602001001001", "３７０６"), Some(MatchKind::Prefix));
        assert_eq!(kind("德明街3号1号楼", "dmj3h"), Some(MatchKind::Initials));
    }

    #[test]
    fn a_cut_syllable_only_ends_the_query() {
        assert_eq!(kind("向阳街道", "xiayang"), None);
        assert_eq!(kind("向阳街道", "xia"), Some(MatchKind::Prefix));
    }

    /// Every way the letters from `start` can be typed, each with whether it
    /// abbreviates (an initial shorter than its reading).
    fn typings(spelling: &Spelling, start: usize) -> Vec<(String, bool)> {
        let mut out = vec![(String::new(), false)];
        for letter in &spelling.letters[start..] {
            let mut ways: Vec<(String, bool)> = vec![(letter.ch.to_string(), false)];
            for r in &letter.readings {
                ways.push((r.clone(), false));
                ways.extend(
                    initials(r)
                        .filter(|i| i.len() < r.len())
                        .map(|i| (i.to_owned(), true)),
                );
            }
            out = out
                .iter()
                .flat_map(|(t, a)| ways.iter().map(move |(w, b)| (format!("{t}{w}"), *a || *b)))
                .collect();
        }
        out
    }

    /// The oracle: try every typing of every suffix of the name.
    fn brute_force(name: &str, query: &str) -> Option<MatchKind> {
        let spelling = Spelling::new(name);
        let mut best = None;
        for start in 0..spelling.letters.len() {
            for (typed, abbreviated) in typings(&spelling, start) {
                if !typed.starts_with(query) {
                    continue;
                }
                let kind = match (start > 0, abbreviated, typed == query) {
                    (true, _, _) => MatchKind::Fuzzy,
                    (false, true, _) => MatchKind::Initials,
                    (false, false, true) => MatchKind::Exact,
                    (false, false, false) => MatchKind::Prefix,
                };
                best = best.min(Some(kind)).or(Some(kind));
            }
        }
        best.or_else(|| spelling.subsequence(query).then_some(MatchKind::Fuzzy))
    }

    proptest::proptest! {
        #[test]
        fn matching_agrees_with_trying_every_typing(
            name in proptest::collection::vec(proptest::sample::select(
                vec!['向', '阳', '街', '长', '奇', '重', '行', '乐', '芝', '罘', '1', 'a']), 1..5),
            picks in proptest::collection::vec(0usize..64, 1..5),
            cut in 0usize..24,
        ) {
            let name: String = name.into_iter().collect();
            let spelling = Spelling::new(&name);
            // A query typed from the name (cut anywhere), so most cases match.
            let start = picks[0] % spelling.letters.len();
            let all = typings(&spelling, start);
            let (typed, _) = &all[picks[picks.len() - 1] % all.len()];
            let query: String = typed.chars().take(cut.max(1)).collect();
            proptest::prop_assert_eq!(spelling.matches(&query), brute_force(&name, &query), "{} {}", name, query);
        }
    }
}
