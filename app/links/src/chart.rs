//! Clicks over time as an SVG bar chart: no chart library, just rectangles scaled to the
//! busiest day, with the first and last dates labelled.

use leptos::prelude::*;
use shared::links::stats::DayClicks;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 180.0;
const AXIS: f64 = 20.0;

#[component]
pub fn ClicksChart(days: Vec<DayClicks>) -> impl IntoView {
    let peak = days.iter().map(|d| d.clicks).max().unwrap_or(0).max(1) as f64;
    let slot = WIDTH / days.len().max(1) as f64;
    let bar = (slot * 0.8).max(1.0);
    let plot = HEIGHT - AXIS;
    let total: u64 = days.iter().map(|d| d.clicks).sum();
    let label = format!("Clicks per day: {total} in {} days, at most {} in one day", days.len(), peak as u64);
    let first = days.first().map(|d| d.date.clone()).unwrap_or_default();
    let last = days.last().map(|d| d.date.clone()).unwrap_or_default();
    let bars = days
        .into_iter()
        .enumerate()
        .map(|(i, day)| {
            let h = (day.clicks as f64 / peak * (plot - 4.0)).max(if day.clicks > 0 { 2.0 } else { 0.0 });
            let x = i as f64 * slot + (slot - bar) / 2.0;
            view! {
                <rect class="bar" x=format!("{x:.1}") y=format!("{:.1}", plot - h) width=format!("{bar:.1}") height=format!("{h:.1}")>
                    <title>{format!("{}: {} clicks, {} unique", day.date, day.clicks, day.unique_visitors)}</title>
                </rect>
            }
        })
        .collect_view();
    view! {
        <svg class="chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=label preserveAspectRatio="none">
            <line class="axis" x1="0" y1=plot x2=WIDTH y2=plot />
            {bars}
            <text class="tick" x="0" y=HEIGHT - 4.0>{first}</text>
            <text class="tick" x=WIDTH y=HEIGHT - 4.0 text-anchor="end">{last}</text>
        </svg>
    }
}
