//! Note dates as front matter writes them (`2025-08-18`, with a time, with an offset) or as the
//! file system reports them, with one sort key across all forms.

use jiff::civil::DateTime;
use jiff::fmt::temporal::{Pieces, PiecesOffset};
use jiff::{Timestamp, tz::TimeZone};
use serde::Serialize;

/// A date read from a note. `text` is the normalised ISO 8601 form; `sort_key` orders all forms
/// together (seconds since 1970; dates and times without an offset are read as UTC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(into = "String")]
pub struct NoteDate {
    pub text: String,
    pub sort_key: i64,
}

impl From<NoteDate> for String {
    fn from(d: NoteDate) -> String {
        d.text
    }
}

impl NoteDate {
    /// Parses `YYYY-MM-DD`, `YYYY-MM-DD[T ]HH:MM[:SS[.fff]]`, and either with `Z` or an offset.
    pub fn parse(raw: &str) -> Option<NoteDate> {
        let s = raw.trim();
        // jiff's Temporal parser accepts more than front matter should (week dates, `+002025`).
        if s.len() < 10 || s.as_bytes()[4] != b'-' {
            return None;
        }
        let pieces = Pieces::parse(s).ok()?;
        let date = pieces.date();
        let Some(time) = pieces.time() else {
            let key = utc_key(date.to_datetime(jiff::civil::Time::midnight()));
            return Some(NoteDate {
                text: date.to_string(),
                sort_key: key,
            });
        };
        let dt = date.to_datetime(time);
        let (text, sort_key) = match pieces.offset() {
            None => (dt.strftime("%Y-%m-%dT%H:%M:%S").to_string(), utc_key(dt)),
            Some(offset) => {
                let zoned = dt
                    .to_zoned_datetime(TimeZone::fixed(offset.to_numeric_offset()))
                    .ok()?;
                let text = if matches!(offset, PiecesOffset::Zulu) {
                    zoned.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
                } else {
                    zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
                };
                (text, zoned.timestamp().as_second())
            }
        };
        Some(NoteDate { text, sort_key })
    }

    /// A file's modification time.
    pub fn from_system_time(t: std::time::SystemTime) -> Option<NoteDate> {
        let ts = Timestamp::try_from(t).ok()?;
        Some(NoteDate {
            text: ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
            sort_key: ts.as_second(),
        })
    }
}

fn utc_key(dt: DateTime) -> i64 {
    dt.to_zoned_datetime(TimeZone::UTC)
        .map_or(0, |z| z.timestamp().as_second())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_vaults_use() {
        let cases: &[(&str, Option<&str>)] = &[
            ("2025-08-18", Some("2025-08-18")),
            (" 2025-08-18 ", Some("2025-08-18")),
            ("2025-08-18T09:30", Some("2025-08-18T09:30:00")),
            ("2025-08-18 09:30:15", Some("2025-08-18T09:30:15")),
            ("2025-08-18T09:30:00.250", Some("2025-08-18T09:30:00")),
            ("2025-08-18T09:30:00Z", Some("2025-08-18T09:30:00Z")),
            (
                "2025-08-18T09:30:00+09:00",
                Some("2025-08-18T09:30:00+09:00"),
            ),
            (
                "2025-08-18T09:30:00-05:00",
                Some("2025-08-18T09:30:00-05:00"),
            ),
            ("2025-02-30", None),
            ("18/08/2025", None),
            ("yesterday", None),
            ("", None),
            ("2025-08-18T25:00", None),
        ];
        for (raw, want) in cases {
            assert_eq!(
                NoteDate::parse(raw).map(|d| d.text),
                want.map(str::to_owned),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn sort_keys_order_mixed_forms() {
        let a = NoteDate::parse("2025-08-18").unwrap();
        let b = NoteDate::parse("2025-08-18T00:00:01").unwrap();
        let c = NoteDate::parse("2025-08-18T10:00:00+09:00").unwrap(); // 01:00 UTC
        let d = NoteDate::parse("2025-08-18T02:00:00Z").unwrap();
        assert!(a.sort_key < b.sort_key && b.sort_key < c.sort_key && c.sort_key < d.sort_key);
    }
}
