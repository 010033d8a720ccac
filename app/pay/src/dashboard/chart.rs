//! Captured volume per day as an SVG bar chart (as `links::chart`): one bar per UTC day of the
//! period, days without payments included, scaled to the busiest day.

use crate::form::{format_money, short_day};
use leptos::prelude::*;
use shared::{pay::wire::DailyVolume, time::Timestamp};

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 180.0;
/// Room above the busiest day's bar, where its dashed line runs.
const TOP: f64 = 4.0;

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

#[component]
pub fn VolumeChart(days: Vec<DailyVolume>, currency: &'static str) -> impl IntoView {
    let peak = days.iter().map(|d| d.volume).max().unwrap_or(0).max(1) as f64;
    let slot = WIDTH / days.len().max(1) as f64;
    let bar = (slot * 0.72).max(1.0);
    let plot = HEIGHT;
    let total: i64 = days.iter().map(|d| d.volume).sum();
    let count: i64 = days.iter().map(|d| d.count).sum();
    let busiest = days.iter().max_by_key(|d| d.volume).filter(|d| d.volume > 0);
    let label = format!(
        "Captured volume per day: {} in {} payments over {} days{}",
        format_money(total, currency),
        count,
        days.len(),
        busiest.map_or(String::new(), |d| format!(
            ", busiest {} with {}",
            short_day(&d.day),
            format_money(d.volume, currency)
        )),
    );
    let first = days.first().map(|d| short_day(&d.day)).unwrap_or_default();
    let last = days.last().map(|d| short_day(&d.day)).unwrap_or_default();
    let peak_label = if total > 0 { format_money(peak as i64, currency) } else { String::new() };
    let bars = days
        .into_iter()
        .enumerate()
        .map(|(i, day)| {
            let h = (day.volume as f64 / peak * (plot - TOP)).max(if day.volume > 0 { 2.0 } else { 0.0 });
            let x = i as f64 * slot + (slot - bar) / 2.0;
            let tip = format!(
                "{}: {} in {} payment{}",
                short_day(&day.day),
                format_money(day.volume, currency),
                day.count,
                if day.count == 1 { "" } else { "s" }
            );
            view! {
                <rect class="bar" x=format!("{x:.1}") y=format!("{:.1}", plot - h) width=format!("{bar:.1}") height=format!("{h:.1}")>
                    <title>{tip}</title>
                </rect>
            }
        })
        .collect_view();
    // Labels are HTML around the SVG: the SVG stretches to its box, text inside it would too.
    view! {
        <figure class="pay-chart">
            <div class="pay-chart-peak" aria-hidden="true">{peak_label}</div>
            <svg class="chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=label
                preserveAspectRatio="none" data-testid="volume-chart">
                <line class="grid" x1="0" y1=TOP x2=WIDTH y2=TOP />
                <line class="axis" x1="0" y1=HEIGHT x2=WIDTH y2=HEIGHT />
                {bars}
            </svg>
            <div class="pay-chart-axis" aria-hidden="true"><span>{first}</span><span>{last}</span></div>
        </figure>
    }
}
