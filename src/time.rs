//! Time as the app shows it: now, an age as people say it ("3 days ago"), and local calendar
//! days (a study streak or "due tomorrow" turns over at the user's midnight, not UTC's).

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// Seconds since 1970 now (0 when the clock is before it).
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// A span of seconds as people say it: `just now`, `5 hours ago`, `yesterday`, `3 days ago`,
/// `2 months ago`, `in 4 days`.
pub fn age(seconds: i64) -> String {
    let future = seconds < 0;
    let secs = seconds.unsigned_abs();
    let n = secs / 86_400;
    let phrase = match (n, secs) {
        (0, 0..3_600) => return "just now".to_owned(),
        (0, 3_600..7_200) => "1 hour".to_owned(),
        (0, s) => format!("{} hours", s / 3_600),
        (1, _) if !future => return "yesterday".to_owned(),
        (1, _) => return "tomorrow".to_owned(),
        (2..=44, _) => format!("{n} days"),
        (45..=547, _) => format!("{} months", (n + 15) / 30),
        _ => format!("{} years", (n + 182) / 365),
    };
    if future {
        format!("in {phrase}")
    } else {
        format!("{phrase} ago")
    }
}

/// The calendar days of one time zone, numbered so that consecutive days differ by one.
#[derive(Debug, Clone)]
pub struct Days {
    tz: TimeZone,
}

impl Days {
    /// The user's own days (`TZ`, else the system's zone; UTC when neither is known).
    pub fn local() -> Days {
        Days {
            tz: TimeZone::try_system().unwrap_or(TimeZone::UTC),
        }
    }

    /// Days in a given zone (tests, and users who ask for one).
    pub fn in_zone(tz: TimeZone) -> Days {
        Days { tz }
    }

    /// The day `secs` (since 1970) falls on, counted from 1970-01-01 in this zone.
    pub fn day(&self, secs: i64) -> i64 {
        let Ok(ts) = Timestamp::from_second(secs) else {
            return secs.div_euclid(86_400);
        };
        let date = self.tz.to_datetime(ts).date();
        let epoch = jiff::civil::date(1970, 1, 1);
        date.since(epoch)
            .map_or(secs.div_euclid(86_400), |span| i64::from(span.get_days()))
    }
}

impl Default for Days {
    fn default() -> Days {
        Days::local()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_naturally() {
        assert_eq!(age(0), "just now");
        assert_eq!(age(14 * 3600), "14 hours ago");
        assert_eq!(age(86_400), "yesterday");
        assert_eq!(age(3 * 86_400), "3 days ago");
        assert_eq!(age(100 * 86_400), "3 months ago");
        assert_eq!(age(800 * 86_400), "2 years ago");
        assert_eq!(age(-5 * 86_400), "in 5 days");
    }

    #[test]
    fn days_turn_over_at_local_midnight() {
        // 2026-11-30 15:30 UTC is 2026-12-01 00:30 in Seoul (UTC+9).
        let t = 1_796_052_600;
        let utc = Days::in_zone(TimeZone::UTC);
        let seoul = Days::in_zone(TimeZone::fixed(jiff::tz::offset(9)));
        assert_eq!(utc.day(t), t.div_euclid(86_400));
        assert_eq!(seoul.day(t), utc.day(t) + 1);
        // An hour earlier it is still the 30th in Seoul too.
        assert_eq!(seoul.day(t - 3_600), utc.day(t));
    }
}
