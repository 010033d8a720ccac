//! Money and dates as people read them, written by the browser's own `Intl` (no formatting
//! tables in the wasm): `₹5,00,000.00` (India's grouping for rupees), `USD 1,234.50`,
//! `29 Nov 2026`, `29 Nov 2026, 15:04` (the browser's time zone) and `29 Nov` of a UTC day.

use js_sys::{Array, Date, Function, Intl, Object, Reflect};
use shared::pay::money::currency;
use wasm_bindgen::JsValue;

/// An options object from its string pairs.
fn options(pairs: &[(&str, &str)]) -> Object {
    let object = Object::new();
    for (name, value) in pairs {
        let _ = Reflect::set(&object, &JsValue::from_str(name), &JsValue::from_str(value));
    }
    object
}

/// Runs an `Intl` formatter's `format` on `value`; Intl's no-break spaces become spaces.
fn run(format: Function, value: &JsValue) -> String {
    format
        .call1(&JsValue::NULL, value)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
        .replace('\u{a0}', " ")
}

fn locales(locale: &str) -> Array {
    Array::of1(&JsValue::from_str(locale))
}

/// Minor units as a customer reads them: `₹5,00,000.00` for INR (Indian grouping), the code
/// for every other currency (`USD 1,234.50`), the currency's own number of decimals.
pub fn money(amount: i64, code: &str) -> String {
    let known = currency(code).ok();
    let exponent = known.map_or(2, |c| c.exponent);
    let india = code == "INR";
    let opts = match known {
        Some(_) => options(&[
            ("style", "currency"),
            ("currency", code),
            ("currencyDisplay", if india { "symbol" } else { "code" }),
        ]),
        None => Object::new(),
    };
    let digits = JsValue::from_f64(f64::from(exponent));
    let _ = Reflect::set(&opts, &JsValue::from_str("minimumFractionDigits"), &digits);
    let _ = Reflect::set(&opts, &JsValue::from_str("maximumFractionDigits"), &digits);
    let formatter = Intl::NumberFormat::new(&locales(if india { "en-IN" } else { "en-US" }), &opts);
    let text = run(formatter.format(), &JsValue::from_f64(amount as f64 / 10f64.powi(exponent as i32)));
    if known.is_some() {
        text
    } else {
        format!("{code} {text}")
    }
}

/// A whole number with thousands separators, `12,345` (chips, hands, plays).
pub fn count(n: u64) -> String {
    let formatter = Intl::NumberFormat::new(&locales("en-US"), &Object::new());
    run(formatter.format(), &JsValue::from_f64(n as f64))
}

fn date_with(ms: f64, pairs: &[(&str, &str)]) -> String {
    let formatter = Intl::DateTimeFormat::new(&locales("en-GB"), &options(pairs));
    run(formatter.format(), &Date::new(&JsValue::from_f64(ms)).into())
}

/// `29 Nov 2026`, in the browser's time zone.
pub fn date(ms: i64) -> String {
    date_with(ms as f64, &[("day", "numeric"), ("month", "short"), ("year", "numeric")])
}

/// `29 Nov 2026, 15:04`, in the browser's time zone.
pub fn date_time(ms: i64) -> String {
    date_with(
        ms as f64,
        &[
            ("day", "numeric"),
            ("month", "short"),
            ("year", "numeric"),
            ("hour", "2-digit"),
            ("minute", "2-digit"),
            ("hourCycle", "h23"),
        ],
    )
}

/// `29 Nov` of a `YYYY-MM-DD` day (the day as written, whatever the time zone).
pub fn short_day(day: &str) -> String {
    let mut parts = day.split('-').map(|p| p.parse::<u32>().ok());
    match (parts.next().flatten(), parts.next().flatten(), parts.next().flatten()) {
        (Some(y), Some(m @ 1..=12), Some(d @ 1..=31)) => {
            let ms = Date::utc(f64::from(y), f64::from(m - 1)) + f64::from(d - 1) * 86_400_000.0;
            date_with(ms, &[("day", "numeric"), ("month", "short"), ("timeZone", "UTC")])
        }
        _ => day.to_owned(),
    }
}
