//! "Open now" from a site's `hours`: a weekly schedule with closures,
//! `{"timezone": "Asia/Shanghai", "weekly": [{"days": [1, …], "open": "08:30",
//! "close": "17:30"}], "closures": ["2027-01-01", …]}`. Days are ISO weekdays
//! (1 = Monday); times are local; China keeps UTC+8 all year.

use serde_json::Value;

const LOCAL_OFFSET_S: i64 = 8 * 3600;

/// Civil date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The date (`YYYY-MM-DD`) in Beijing time of a Unix time.
pub fn beijing_date(unix_s: i64) -> String {
    let (y, m, d) = civil((unix_s + LOCAL_OFFSET_S).div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

fn minutes_of(hhmm: &str) -> Option<i64> {
    let (h, m) = hhmm.split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    ((0..=24).contains(&h) && (0..60).contains(&m)).then_some(h * 60 + m)
}

/// Whether a site with these `hours` is open at `unix_s` (seconds since the epoch);
/// `None` when the hours say nothing usable.
pub fn is_open(hours: &Value, unix_s: i64) -> Option<bool> {
    let local = unix_s + LOCAL_OFFSET_S;
    let days = local.div_euclid(86_400);
    let minute = local.rem_euclid(86_400) / 60;
    let weekday = (days + 3).rem_euclid(7) + 1;
    let (y, m, d) = civil(days);
    let today = format!("{y:04}-{m:02}-{d:02}");
    let closed_today = hours
        .get("closures")
        .and_then(Value::as_array)
        .is_some_and(|c| c.iter().any(|v| v.as_str() == Some(today.as_str())));
    let weekly = hours.get("weekly")?.as_array()?;
    if closed_today {
        return Some(false);
    }
    let open = weekly.iter().any(|slot| {
        let on_day = slot
            .get("days")
            .and_then(Value::as_array)
            .is_some_and(|ds| ds.iter().any(|v| v.as_i64() == Some(weekday)));
        let open = slot
            .get("open")
            .and_then(Value::as_str)
            .and_then(minutes_of);
        let close = slot
            .get("close")
            .and_then(Value::as_str)
            .and_then(minutes_of);
        matches!((open, close), (Some(o), Some(c)) if on_day && o <= minute && minute < c)
    });
    Some(open)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn office() -> Value {
        json!({"timezone": "Asia/Shanghai",
               "weekly": [{"days": [1, 2, 3, 4, 5], "open": "08:30", "close": "17:30"}],
               "closures": ["2027-01-01"]})
    }

    /// Seconds since the epoch of a Beijing time.
    fn beijing(days_since_epoch: i64, hh: i64, mm: i64) -> i64 {
        days_since_epoch * 86_400 + hh * 3_600 + mm * 60 - LOCAL_OFFSET_S
    }

    #[test]
    fn the_calendar_and_weekdays_are_right() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(20_819), (2027, 1, 1));
        assert_eq!(civil(19_782), (2024, 2, 29));
    }

    #[test]
    fn open_in_office_hours_on_weekdays_and_shut_on_closures() {
        // 2026-11-30 is a Monday: day 20,787.
        assert_eq!(civil(20_787), (2026, 11, 30));
        assert_eq!(is_open(&office(), beijing(20_787, 9, 0)), Some(true));
        assert_eq!(is_open(&office(), beijing(20_787, 8, 29)), Some(false));
        assert_eq!(is_open(&office(), beijing(20_787, 17, 30)), Some(false));
        // Saturday 2026-12-05.
        assert_eq!(is_open(&office(), beijing(20_792, 10, 0)), Some(false));
        // Friday 2027-01-01 is a closure.
        assert_eq!(is_open(&office(), beijing(20_819, 10, 0)), Some(false));
        assert_eq!(is_open(&json!({}), 0), None);
    }
}
