//! How long a parcel waits, in the location's own calendar: a pickup window runs to the end of the
//! third local day after the deposit, one extension adds two local days, and a return's drop-off
//! code holds a compartment to the end of the next local day. Days are the location's (its IANA
//! time zone, with its daylight saving), so a window never ends an hour early or late when the
//! clocks change.

use crate::ApiError;
use jiff::{tz::TimeZone, Timestamp, ToSpan};

/// Local days after the deposit's that a parcel waits.
pub const PICKUP_DAYS: i64 = 3;
/// Local days one extension adds.
pub const EXTENSION_DAYS: i64 = 2;
/// What the one extension costs, in paise (₹49), paid through Pay.
pub const EXTENSION_PRICE_PAISE: i64 = 4_900;
/// The system account that is Pay's merchant for extensions (migration 0037).
pub const LOCKERS_MERCHANT_ID: &str = "01M8MZ2A00000000000LOCKERS";

/// The location's time zone, or a 422 on `field` naming what is expected.
pub fn time_zone(name: &str, field: &str) -> Result<TimeZone, ApiError> {
    TimeZone::get(name)
        .map_err(|_| ApiError::invalid(field, "An IANA time zone, such as Asia/Kolkata or Europe/Warsaw."))
}

/// The first instant (Unix ms) of the local day `days` after the one `at_ms` falls on.
fn day_start(at_ms: i64, tz: &TimeZone, days: i64) -> Option<i64> {
    let date = Timestamp::from_millisecond(at_ms).ok()?.to_zoned(tz.clone()).date();
    let day = date.checked_add(days.days()).ok()?;
    Some(day.to_zoned(tz.clone()).ok()?.start_of_day().ok()?.timestamp().as_millisecond())
}

/// When a parcel deposited at `deposited_ms` must be picked up by (exclusive): the end of the
/// third local day after that day.
pub fn pickup_deadline(deposited_ms: i64, tz: &TimeZone) -> Option<i64> {
    day_start(deposited_ms, tz, PICKUP_DAYS + 1)
}

/// A deadline moved by one extension: the end of the second local day after its last day.
pub fn extended_deadline(deadline_ms: i64, tz: &TimeZone) -> Option<i64> {
    // The deadline is a day's first instant: its last day is the one before.
    day_start(deadline_ms - 1, tz, EXTENSION_DAYS + 1)
}

/// Until when a return's compartment is held: the end of the next local day.
pub fn dropoff_deadline(now_ms: i64, tz: &TimeZone) -> Option<i64> {
    day_start(now_ms, tz, 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(text: &str) -> i64 {
        text.parse::<Timestamp>().unwrap().as_millisecond()
    }

    fn tz(name: &str) -> TimeZone {
        time_zone(name, "timezone").unwrap()
    }

    #[test]
    fn a_pickup_window_ends_with_the_third_local_day_after_the_deposit() {
        // Deposited Tuesday 1 Dec 2026 at 10:00 in Kolkata (UTC+5:30): until Friday's end.
        let kolkata = tz("Asia/Kolkata");
        let deadline = pickup_deadline(ms("2026-12-01T04:30:00Z"), &kolkata).unwrap();
        assert_eq!(deadline, ms("2026-12-04T18:30:00Z"), "midnight starting Saturday the 5th in Kolkata");
        // Deposited at 23:59 local, the same day counts as the first.
        assert_eq!(pickup_deadline(ms("2026-12-01T18:29:00Z"), &kolkata), Some(deadline));
        // A minute later it is the next local day.
        assert_eq!(pickup_deadline(ms("2026-12-01T18:30:00Z"), &kolkata), Some(ms("2026-12-05T18:30:00Z")));
    }

    #[test]
    fn windows_follow_the_clocks_across_daylight_saving() {
        // Warsaw springs forward on Sunday 28 March 2027 (02:00 → 03:00): a window from Friday
        // ends at midnight local, which is 22:00 UTC after the change, not 23:00.
        let warsaw = tz("Europe/Warsaw");
        let deadline = pickup_deadline(ms("2027-03-26T09:00:00Z"), &warsaw).unwrap();
        assert_eq!(deadline, ms("2027-03-29T22:00:00Z"), "the end of Monday 29 March, CEST");
        // 86 hours on the wall clock (Friday 10:00 to Tuesday 00:00), 85 of them real.
        assert_eq!(deadline - ms("2027-03-26T09:00:00Z"), 85 * 3_600_000);
        // Extended by two local days: the end of Wednesday 31 March.
        assert_eq!(extended_deadline(deadline, &warsaw), Some(ms("2027-03-31T22:00:00Z")));
        // And back in autumn (31 October 2027, 03:00 → 02:00): a day of 25 hours.
        let autumn = pickup_deadline(ms("2027-10-29T10:00:00Z"), &warsaw).unwrap();
        assert_eq!(autumn, ms("2027-11-01T23:00:00Z"), "the end of Monday 1 November, CET");
    }

    #[test]
    fn a_return_holds_its_compartment_to_the_end_of_the_next_local_day() {
        let new_york = tz("America/New_York");
        // 22:00 on Saturday 6 March 2027 in New York (EST): held until Monday's first instant.
        assert_eq!(dropoff_deadline(ms("2027-03-07T03:00:00Z"), &new_york), Some(ms("2027-03-08T05:00:00Z")));
        // Across the change (clocks spring forward on Sunday 14 March 2027): Saturday 13 March →
        // until Monday 15 March 00:00 EDT, 04:00 UTC.
        assert_eq!(dropoff_deadline(ms("2027-03-13T15:00:00Z"), &new_york), Some(ms("2027-03-15T04:00:00Z")));
    }

    #[test]
    fn an_unknown_time_zone_is_a_field_error() {
        let err = time_zone("Mars/Olympus_Mons", "timezone").unwrap_err();
        assert_eq!(err.field.as_deref(), Some("timezone"));
        assert!(time_zone("UTC", "timezone").is_ok());
    }
}
