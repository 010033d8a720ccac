//! Opening hours: a location is open around the clock (no hours given), or on some weekdays
//! between two local times, in its own time zone. A bank in a closed building opens no door: a
//! pickup, a drop-off or a deposit there is refused with the time it opens again.

use crate::ApiError;
use jiff::{tz::TimeZone, Timestamp, ToSpan};
use serde::{Deserialize, Serialize};

/// Ranges a location's hours may have.
pub const MAX_RANGES: usize = 14;

/// One range: `days` (`mon`, `mon-fri`, `sat-sun` …) from `opens` to `closes` (`HH:MM`, local;
/// `closes` may be `24:00`, and is after `opens`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HoursRange {
    #[cfg_attr(feature = "openapi", schema(example = "mon-fri"))]
    pub days: String,
    #[cfg_attr(feature = "openapi", schema(example = "08:00"))]
    pub opens: String,
    #[cfg_attr(feature = "openapi", schema(example = "20:00"))]
    pub closes: String,
}

const DAYS: [(&str, &str); 7] = [
    ("mon", "Mon"),
    ("tue", "Tue"),
    ("wed", "Wed"),
    ("thu", "Thu"),
    ("fri", "Fri"),
    ("sat", "Sat"),
    ("sun", "Sun"),
];

/// A range checked: weekdays as 0 (Monday) to 6, and minutes of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    first_day: usize,
    last_day: usize,
    opens: u32,
    closes: u32,
}

fn day_index(name: &str) -> Option<usize> {
    DAYS.iter().position(|(key, _)| *key == name.trim().to_ascii_lowercase())
}

fn minutes(text: &str) -> Option<u32> {
    let (h, m) = text.trim().split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m) = (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?);
    (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
}

impl HoursRange {
    fn span(&self, field: &str) -> Result<Span, ApiError> {
        let bad_days =
            || ApiError::invalid(field, "days is a weekday or a run of them: mon, mon-fri, sat-sun.");
        let (first, last) = match self.days.split_once('-') {
            Some((a, b)) => (day_index(a).ok_or_else(bad_days)?, day_index(b).ok_or_else(bad_days)?),
            None => {
                let day = day_index(&self.days).ok_or_else(bad_days)?;
                (day, day)
            }
        };
        if first > last {
            return Err(bad_days());
        }
        let bad_time = || {
            ApiError::invalid(
                field,
                "opens and closes are HH:MM, local; closes is after opens (24:00 at most).",
            )
        };
        let opens = minutes(&self.opens).ok_or_else(bad_time)?;
        let closes = minutes(&self.closes).ok_or_else(bad_time)?;
        if opens >= closes {
            return Err(bad_time());
        }
        Ok(Span { first_day: first, last_day: last, opens, closes })
    }
}

/// Checks a location's hours (empty: around the clock); the first wrong range is the error's
/// field, as `hours[i]`.
pub fn check(hours: &[HoursRange]) -> Result<(), ApiError> {
    if hours.len() > MAX_RANGES {
        return Err(ApiError::invalid("hours", format!("At most {MAX_RANGES} ranges.")));
    }
    for (i, range) in hours.iter().enumerate() {
        range.span(&format!("hours[{i}]"))?;
    }
    Ok(())
}

fn spans(hours: &[HoursRange]) -> Vec<Span> {
    hours.iter().filter_map(|r| r.span("hours").ok()).collect()
}

/// Whether the location is open at `at_ms`. No hours: always.
pub fn is_open(hours: &[HoursRange], tz: &TimeZone, at_ms: i64) -> bool {
    if hours.is_empty() {
        return true;
    }
    let Ok(at) = Timestamp::from_millisecond(at_ms) else { return false };
    let local = at.to_zoned(tz.clone());
    let day = usize::from(local.weekday().to_monday_zero_offset().unsigned_abs());
    let minute = u32::from(local.hour().unsigned_abs()) * 60 + u32::from(local.minute().unsigned_abs());
    spans(hours)
        .iter()
        .any(|s| (s.first_day..=s.last_day).contains(&day) && (s.opens..s.closes).contains(&minute))
}

/// When the location next opens after `at_ms` (Unix ms), within a week; None if it is open
/// now, or never opens.
pub fn next_opening(hours: &[HoursRange], tz: &TimeZone, at_ms: i64) -> Option<i64> {
    if is_open(hours, tz, at_ms) {
        return None;
    }
    let spans = spans(hours);
    let today = Timestamp::from_millisecond(at_ms).ok()?.to_zoned(tz.clone()).date();
    (0..=7)
        .filter_map(|ahead| {
            let date = today.checked_add(ahead.days()).ok()?;
            let day = usize::from(date.weekday().to_monday_zero_offset().unsigned_abs());
            let opens = spans
                .iter()
                .filter(|s| (s.first_day..=s.last_day).contains(&day))
                .map(|s| s.opens)
                .filter(|opens| {
                    // Today's openings count only if still to come.
                    ahead > 0 || opening_ms(date, *opens, tz).is_some_and(|ms| ms > at_ms)
                })
                .min()?;
            opening_ms(date, opens, tz)
        })
        .find(|ms| *ms > at_ms)
}

fn opening_ms(date: jiff::civil::Date, minute: u32, tz: &TimeZone) -> Option<i64> {
    let hour = i8::try_from(minute / 60).ok()?;
    let min = i8::try_from(minute % 60).ok()?;
    let time = jiff::civil::time(hour, min, 0, 0);
    Some(date.to_datetime(time).to_zoned(tz.clone()).ok()?.timestamp().as_millisecond())
}

/// Ok while the location is open; else a 409 saying when it opens again (its local day and time).
pub fn ensure_open(hours: &[HoursRange], tz: &TimeZone, now_ms: i64, name: &str) -> Result<(), ApiError> {
    if is_open(hours, tz, now_ms) {
        return Ok(());
    }
    let when = next_opening(hours, tz, now_ms)
        .and_then(|at| Timestamp::from_millisecond(at).ok())
        .map(|at| {
            let local = at.to_zoned(tz.clone());
            let day = DAYS[usize::from(local.weekday().to_monday_zero_offset().unsigned_abs())].1;
            format!(": it opens {day} {:02}:{:02}", local.hour(), local.minute())
        })
        .unwrap_or_default();
    Err(ApiError::new(crate::ErrorCode::Conflict, format!("{name} is closed now{when}.")))
}

/// The hours as people read them: `Mon–Fri 08:00–20:00, Sat 09:00–14:00`, or `Open 24/7`.
pub fn describe(hours: &[HoursRange]) -> String {
    if hours.is_empty() {
        return "Open 24/7".to_owned();
    }
    spans(hours)
        .iter()
        .map(|s| {
            let days = if s.first_day == s.last_day {
                DAYS[s.first_day].1.to_owned()
            } else {
                format!("{}–{}", DAYS[s.first_day].1, DAYS[s.last_day].1)
            };
            format!("{days} {}–{}", clock(s.opens), clock(s.closes))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn clock(minute: u32) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(days: &str, opens: &str, closes: &str) -> HoursRange {
        HoursRange { days: days.into(), opens: opens.into(), closes: closes.into() }
    }

    fn ms(text: &str) -> i64 {
        text.parse::<Timestamp>().unwrap().as_millisecond()
    }

    fn shop() -> Vec<HoursRange> {
        vec![range("mon-fri", "08:00", "20:00"), range("sat", "09:00", "14:00")]
    }

    #[test]
    fn hours_are_checked_range_by_range() {
        assert!(check(&shop()).is_ok());
        assert!(check(&[]).is_ok(), "no hours: around the clock");
        assert!(check(&[range("sun", "00:00", "24:00")]).is_ok());
        let field = |r: HoursRange| check(&[range("mon", "08:00", "09:00"), r]).unwrap_err().field.unwrap();
        assert_eq!(field(range("fri-mon", "08:00", "20:00")), "hours[1]", "a run goes forward");
        assert_eq!(field(range("funday", "08:00", "20:00")), "hours[1]");
        assert_eq!(field(range("mon", "20:00", "08:00")), "hours[1]", "closes after it opens");
        assert_eq!(field(range("mon", "8:00", "20:00")), "hours[1]");
        assert_eq!(field(range("mon", "08:00", "24:30")), "hours[1]");
        assert_eq!(check(&vec![range("mon", "08:00", "09:00"); 15]).unwrap_err().field.unwrap(), "hours");
    }

    #[test]
    fn a_location_is_open_in_its_own_local_hours() {
        let kolkata = TimeZone::get("Asia/Kolkata").unwrap();
        // Friday 4 Dec 2026, 19:59 and 20:00 in Kolkata.
        assert!(is_open(&shop(), &kolkata, ms("2026-12-04T14:29:00Z")));
        assert!(!is_open(&shop(), &kolkata, ms("2026-12-04T14:30:00Z")), "closes at 20:00 sharp");
        // Sunday: closed all day; always open without hours.
        assert!(!is_open(&shop(), &kolkata, ms("2026-12-06T06:00:00Z")));
        assert!(is_open(&[], &kolkata, ms("2026-12-06T06:00:00Z")));
    }

    #[test]
    fn a_closed_location_says_when_it_opens_next() {
        let kolkata = TimeZone::get("Asia/Kolkata").unwrap();
        // Friday 20:30 → Saturday 09:00 (03:30 UTC).
        assert_eq!(
            next_opening(&shop(), &kolkata, ms("2026-12-04T15:00:00Z")),
            Some(ms("2026-12-05T03:30:00Z"))
        );
        // Saturday 15:00 → Monday 08:00 (02:30 UTC).
        assert_eq!(
            next_opening(&shop(), &kolkata, ms("2026-12-05T09:30:00Z")),
            Some(ms("2026-12-07T02:30:00Z"))
        );
        // Monday 07:00 → 08:00 the same day.
        assert_eq!(
            next_opening(&shop(), &kolkata, ms("2026-12-07T01:30:00Z")),
            Some(ms("2026-12-07T02:30:00Z"))
        );
        assert_eq!(next_opening(&shop(), &kolkata, ms("2026-12-07T05:00:00Z")), None, "open now");
    }

    #[test]
    fn a_closed_location_refuses_with_when_it_opens() {
        let kolkata = TimeZone::get("Asia/Kolkata").unwrap();
        assert!(ensure_open(&shop(), &kolkata, ms("2026-12-04T05:00:00Z"), "Mall").is_ok());
        let err = ensure_open(&shop(), &kolkata, ms("2026-12-04T15:00:00Z"), "Mall").unwrap_err();
        assert_eq!(err.code, crate::ErrorCode::Conflict);
        assert_eq!(err.message, "Mall is closed now: it opens Sat 09:00.");
    }

    #[test]
    fn openings_follow_daylight_saving() {
        // Warsaw, Monday 30 March 2027 (CEST, UTC+2), opening at 08:00 → 06:00 UTC; the Monday
        // before the change (CET, UTC+1) → 07:00 UTC.
        let warsaw = TimeZone::get("Europe/Warsaw").unwrap();
        let hours = [range("mon", "08:00", "18:00")];
        assert_eq!(
            next_opening(&hours, &warsaw, ms("2027-03-28T12:00:00Z")),
            Some(ms("2027-03-29T06:00:00Z"))
        );
        assert_eq!(
            next_opening(&hours, &warsaw, ms("2027-03-21T12:00:00Z")),
            Some(ms("2027-03-22T07:00:00Z"))
        );
    }

    #[test]
    fn hours_read_as_people_write_them() {
        assert_eq!(describe(&shop()), "Mon–Fri 08:00–20:00, Sat 09:00–14:00");
        assert_eq!(describe(&[]), "Open 24/7");
    }
}
