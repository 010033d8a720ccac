//! Clicks per day as the shared bar chart, the first and last dates labelled.

use app_ui::components::{Bar, BarChart};
use leptos::prelude::*;
use shared::links::stats::DayClicks;

#[component]
pub fn ClicksChart(days: Vec<DayClicks>) -> impl IntoView {
    let peak = days.iter().map(|d| d.clicks).max().unwrap_or(0);
    let total: u64 = days.iter().map(|d| d.clicks).sum();
    let label = format!("Clicks per day: {total} in {} days, at most {} in one day", days.len(), peak.max(1));
    let first = days.first().map(|d| d.date.clone()).unwrap_or_default();
    let last = days.last().map(|d| d.date.clone()).unwrap_or_default();
    let peak = if total > 0 { format!("{peak} clicks") } else { String::new() };
    let bars = days
        .into_iter()
        .map(|day| Bar {
            value: day.clicks as f64,
            tip: format!("{}: {} clicks, {} unique", day.date, day.clicks, day.unique_visitors),
        })
        .collect();
    view! { <BarChart bars label peak first last /> }
}
