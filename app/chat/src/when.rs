//! Times as the chat shows them, in the browser's time zone: `15:04` on a message, "Today",
//! "Yesterday" or `29 Nov 2026` between days, "last seen …" under a name.

use js_sys::Date;
use shared::chat::presence::Status;
use wasm_bindgen::JsValue;

fn ms(rfc3339: &str) -> f64 {
    Date::parse(rfc3339)
}

/// `15:04`.
pub fn time_of(rfc3339: &str) -> String {
    let date = Date::new(&JsValue::from_f64(ms(rfc3339)));
    format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
}

fn day_key(at_ms: f64) -> String {
    String::from(Date::new(&JsValue::from_f64(at_ms)).to_date_string())
}

/// "Today", "Yesterday", or the date.
pub fn day_label(rfc3339: &str) -> String {
    let at = ms(rfc3339);
    let now = Date::now();
    let day = day_key(at);
    if day == day_key(now) {
        "Today".to_owned()
    } else if day == day_key(now - 86_400_000.0) {
        "Yesterday".to_owned()
    } else {
        app_ui::format::date(at as i64)
    }
}

/// `15:04` today, else the date: for the conversation list.
pub fn short_when(rfc3339: &str) -> String {
    let at = ms(rfc3339);
    if day_key(at) == day_key(Date::now()) {
        time_of(rfc3339)
    } else {
        app_ui::format::date(at as i64)
    }
}

/// Whether `rfc3339` is less than `minutes` ago.
pub fn within_minutes(rfc3339: &str, minutes: f64) -> bool {
    Date::now() - ms(rfc3339) < minutes * 60_000.0
}

/// "online", "away", "last seen today at 15:04", or nothing known.
pub fn presence_line(presence: Option<(Status, Option<String>)>) -> String {
    match presence {
        Some((Status::Online, _)) => "online".to_owned(),
        Some((Status::Away, _)) => "away".to_owned(),
        Some((Status::Offline, Some(seen))) => {
            let day = day_label(&seen);
            let day = if day == "Today" || day == "Yesterday" { day.to_lowercase() } else { day };
            format!("last seen {day} at {}", time_of(&seen))
        }
        Some((Status::Offline, None)) => "offline".to_owned(),
        None => String::new(),
    }
}
