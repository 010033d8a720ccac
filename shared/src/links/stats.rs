//! Click statistics: the query window and time zone a caller asks for, days counted in that
//! zone, and the answer of `GET /api/links/{code}/stats`.

use crate::{error::ApiError, time::Timestamp};
use serde::{Deserialize, Serialize};

const DAY_MS: i64 = 86_400_000;
/// The longest window one request may ask for.
pub const MAX_WINDOW_DAYS: i64 = 366;
/// The default window when `from` is absent.
pub const DEFAULT_WINDOW_DAYS: i64 = 30;

/// A fixed offset from UTC, in minutes (`+05:30` is 330).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UtcOffset(pub i32);

impl UtcOffset {
    /// Accepts `UTC`, `Z`, an empty string, or `±HH:MM` / `±HHMM` / `±HH`, up to ±14:00.
    pub fn parse(text: &str) -> Result<Self, ApiError> {
        let bad = || {
            ApiError::invalid("tz", "Give the time zone as an offset from UTC such as +05:30, -08:00 or UTC.")
        };
        let text = text.trim();
        if text.is_empty() || text.eq_ignore_ascii_case("utc") || text == "Z" {
            return Ok(Self(0));
        }
        let (sign, rest) = match text.as_bytes().first() {
            Some(b'+') => (1, &text[1..]),
            Some(b'-') => (-1, &text[1..]),
            _ => return Err(bad()),
        };
        let digits: String = rest.chars().filter(|c| *c != ':').collect();
        if !digits.chars().all(|c| c.is_ascii_digit()) || !matches!(digits.len(), 2 | 4) || rest.len() > 5 {
            return Err(bad());
        }
        let hours: i32 = digits[..2].parse().map_err(|_| bad())?;
        let minutes: i32 = if digits.len() == 4 { digits[2..].parse().map_err(|_| bad())? } else { 0 };
        if minutes >= 60 || hours * 60 + minutes > 14 * 60 {
            return Err(bad());
        }
        Ok(Self(sign * (hours * 60 + minutes)))
    }

    pub fn millis(self) -> i64 {
        i64::from(self.0) * 60_000
    }

    /// The local day (days since 1970-01-01 in this zone) an instant falls on.
    pub fn day_of(self, unix_ms: i64) -> i64 {
        (unix_ms + self.millis()).div_euclid(DAY_MS)
    }

    pub fn label(self) -> String {
        let sign = if self.0 < 0 { '-' } else { '+' };
        format!("{sign}{:02}:{:02}", self.0.abs() / 60, self.0.abs() % 60)
    }
}

/// `YYYY-MM-DD` of a day number.
pub fn day_label(day: i64) -> String {
    Timestamp(day * DAY_MS).to_rfc3339()[..10].to_owned()
}

/// The window `[from, to)` of a stats request: `to` defaults to now, `from` to 30 days earlier;
/// `from` must be before `to` and the window at most [`MAX_WINDOW_DAYS`].
pub fn window(from: Option<&str>, to: Option<&str>, now_ms: i64) -> Result<(i64, i64), ApiError> {
    let parse = |field: &str, text: &str| {
        Timestamp::parse_rfc3339(text).map(Timestamp::millis).ok_or_else(|| {
            ApiError::invalid(
                field,
                format!("`{field}` must be an RFC 3339 date-time such as 2026-01-31T00:00:00Z."),
            )
        })
    };
    let to = to.filter(|t| !t.is_empty()).map(|t| parse("to", t)).transpose()?.unwrap_or(now_ms);
    let from = from
        .filter(|f| !f.is_empty())
        .map(|f| parse("from", f))
        .transpose()?
        .unwrap_or(to - DEFAULT_WINDOW_DAYS * DAY_MS);
    if from >= to {
        return Err(ApiError::invalid("from", "`from` must be before `to`."));
    }
    if to - from > MAX_WINDOW_DAYS * DAY_MS {
        return Err(ApiError::invalid("from", format!("Ask for at most {MAX_WINDOW_DAYS} days at a time.")));
    }
    Ok((from, to))
}

/// Clicks per local day for every day of the window, zeros included, oldest first.
pub fn fill_days(from_ms: i64, to_ms: i64, offset: UtcOffset, counted: &[(i64, u64, u64)]) -> Vec<DayClicks> {
    let (first, last) = (offset.day_of(from_ms), offset.day_of(to_ms - 1));
    (first..=last)
        .map(|day| {
            let (clicks, unique_visitors) =
                counted.iter().find(|(d, _, _)| *d == day).map_or((0, 0), |(_, c, u)| (*c, *u));
            DayClicks { date: day_label(day), clicks, unique_visitors }
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayClicks {
    /// The local date, `YYYY-MM-DD`.
    pub date: String,
    /// Human clicks (bots are counted apart).
    pub clicks: u64,
    pub unique_visitors: u64,
}

/// One row of a breakdown table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Breakdown {
    pub key: String,
    pub clicks: u64,
}

/// `GET /api/links/{code}/stats`. Everything but `bot_clicks` counts human clicks only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkStats {
    pub code: String,
    pub from: Timestamp,
    pub to: Timestamp,
    /// The offset days were counted in, e.g. `+05:30`.
    pub tz: String,
    pub clicks: u64,
    pub unique_visitors: u64,
    /// Known bots and link-preview fetchers, counted apart.
    pub bot_clicks: u64,
    pub by_day: Vec<DayClicks>,
    pub referrers: Vec<Breakdown>,
    pub countries: Vec<Breakdown>,
    pub devices: Vec<Breakdown>,
    pub browsers: Vec<Breakdown>,
    pub operating_systems: Vec<Breakdown>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets() {
        assert_eq!(UtcOffset::parse("").unwrap(), UtcOffset(0));
        assert_eq!(UtcOffset::parse("UTC").unwrap(), UtcOffset(0));
        assert_eq!(UtcOffset::parse("+05:30").unwrap(), UtcOffset(330));
        assert_eq!(UtcOffset::parse("-0800").unwrap(), UtcOffset(-480));
        assert_eq!(UtcOffset::parse("+14").unwrap(), UtcOffset(840));
        for bad in ["Europe/Berlin", "+15:00", "+05:60", "5:30", "+5:30", "+05:30:00"] {
            assert_eq!(UtcOffset::parse(bad).unwrap_err().field.as_deref(), Some("tz"), "{bad}");
        }
        assert_eq!(UtcOffset(-570).label(), "-09:30");
    }

    #[test]
    fn days_follow_the_zone() {
        // 2026-11-29T20:00:00Z is already the 30th in India.
        let t = Timestamp::parse_rfc3339("2026-11-29T20:00:00Z").unwrap().millis();
        assert_eq!(day_label(UtcOffset(0).day_of(t)), "2026-11-29");
        assert_eq!(day_label(UtcOffset(330).day_of(t)), "2026-11-30");
        assert_eq!(day_label(UtcOffset(-480).day_of(t)), "2026-11-29");
        assert_eq!(UtcOffset(0).day_of(-1), -1, "before 1970 floors");
    }

    #[test]
    fn windows() {
        let now = 100 * DAY_MS;
        assert_eq!(window(None, None, now).unwrap(), (70 * DAY_MS, now));
        assert!(window(Some("2026-01-02T00:00:00Z"), Some("2026-01-01T00:00:00Z"), now).is_err());
        assert_eq!(window(Some("yesterday"), None, now).unwrap_err().field.as_deref(), Some("from"));
        assert!(window(Some("2024-01-01T00:00:00Z"), Some("2026-01-01T00:00:00Z"), now).is_err());
    }

    #[test]
    fn every_day_of_the_window_is_listed() {
        let from = Timestamp::parse_rfc3339("2026-11-27T00:00:00Z").unwrap().millis();
        let to = Timestamp::parse_rfc3339("2026-11-30T00:00:00Z").unwrap().millis();
        let day = UtcOffset(0).day_of(from) + 1;
        let days = fill_days(from, to, UtcOffset(0), &[(day, 5, 2)]);
        let labels: Vec<_> = days.iter().map(|d| (d.date.as_str(), d.clicks)).collect();
        assert_eq!(labels, vec![("2026-11-27", 0), ("2026-11-28", 5), ("2026-11-29", 0)]);
    }
}
