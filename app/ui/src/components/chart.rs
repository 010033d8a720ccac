//! A bar chart in SVG: no chart library, one rectangle per bar scaled to the tallest, its
//! figure in a tooltip; the tallest bar's figure above, the first and last labels below (as
//! HTML: the SVG stretches to its box, text inside it would too).

use leptos::prelude::*;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 180.0;
/// Room above the tallest bar, where its dashed line runs.
const TOP: f64 = 4.0;

/// One bar: its value and what its tooltip says.
pub struct Bar {
    pub value: f64,
    pub tip: String,
}

#[component]
pub fn BarChart(
    bars: Vec<Bar>,
    /// What the whole chart says to a screen reader.
    label: String,
    /// Written above the chart: the tallest bar's figure.
    peak: String,
    /// Under the first and the last bar.
    first: String,
    last: String,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    let top = bars.iter().map(|b| b.value).fold(0.0, f64::max).max(1.0);
    let slot = WIDTH / bars.len().max(1) as f64;
    let width = (slot * 0.72).max(1.0);
    let rects = bars
        .into_iter()
        .enumerate()
        .map(|(i, bar)| {
            let h = (bar.value / top * (HEIGHT - TOP)).max(if bar.value > 0.0 { 2.0 } else { 0.0 });
            let x = i as f64 * slot + (slot - width) / 2.0;
            view! {
                <rect class="bar" x=format!("{x:.1}") y=format!("{:.1}", HEIGHT - h) width=format!("{width:.1}") height=format!("{h:.1}")>
                    <title>{bar.tip}</title>
                </rect>
            }
        })
        .collect_view();
    view! {
        <figure class="bar-chart">
            <div class="bar-chart-peak" aria-hidden="true">{peak}</div>
            <svg class="chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=label
                preserveAspectRatio="none" data-testid=testid>
                <line class="grid" x1="0" y1=TOP x2=WIDTH y2=TOP />
                <line class="axis" x1="0" y1=HEIGHT x2=WIDTH y2=HEIGHT />
                {rects}
            </svg>
            <div class="bar-chart-axis" aria-hidden="true"><span>{first}</span><span>{last}</span></div>
        </figure>
    }
}
