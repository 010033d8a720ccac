//! Captured volume per day as the shared bar chart: one bar per UTC day of the period, days
//! without payments included.

use app_ui::{
    components::{Bar, BarChart},
    format,
};
use leptos::prelude::*;
use shared::{pay::wire::DailyVolume, time::Timestamp};

/// The last `days` UTC days up to the one holding `now_ms`, oldest first, each with its figures
/// from `daily` (which lists only days with payments), zero otherwise.
pub fn fill_days(daily: &[DailyVolume], days: i64, now_ms: i64) -> Vec<DailyVolume> {
    (0..days.max(1))
        .rev()
        .map(|back| {
            let day = Timestamp(now_ms - back * 86_400_000).to_rfc3339()[..10].to_owned();
            daily.iter().find(|d| d.day == day).cloned().unwrap_or(DailyVolume { day, count: 0, volume: 0 })
        })
        .collect()
}

/// Captured volume per day, as the shared bar chart.
#[component]
pub fn VolumeChart(days: Vec<DailyVolume>, currency: &'static str) -> impl IntoView {
    let peak = days.iter().map(|d| d.volume).max().unwrap_or(0);
    let total: i64 = days.iter().map(|d| d.volume).sum();
    let count: i64 = days.iter().map(|d| d.count).sum();
    let busiest = days.iter().max_by_key(|d| d.volume).filter(|d| d.volume > 0);
    let label = format!(
        "Captured volume per day: {} in {} payments over {} days{}",
        format::money(total, currency),
        count,
        days.len(),
        busiest.map_or(String::new(), |d| format!(
            ", busiest {} with {}",
            format::short_day(&d.day),
            format::money(d.volume, currency)
        )),
    );
    let first = days.first().map(|d| format::short_day(&d.day)).unwrap_or_default();
    let last = days.last().map(|d| format::short_day(&d.day)).unwrap_or_default();
    let peak = if total > 0 { format::money(peak, currency) } else { String::new() };
    let bars = days
        .into_iter()
        .map(|day| Bar {
            value: day.volume as f64,
            tip: format!(
                "{}: {} in {} payment{}",
                format::short_day(&day.day),
                format::money(day.volume, currency),
                day.count,
                if day.count == 1 { "" } else { "s" }
            ),
        })
        .collect();
    view! { <BarChart bars label peak first last testid="volume-chart" /> }
}
