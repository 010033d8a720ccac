//! The worm (each innings' runs by the end of each over, wickets as dots) and the manhattan (each
//! over's runs as a bar, its wickets above it), drawn in SVG with no chart library. The SVG
//! scales as a whole, so its labels keep their shape.

use leptos::prelude::*;
use shared::cricket::charts::{Charts, InningsChart};

const W: f64 = 640.0;
const H: f64 = 240.0;
const LEFT: f64 = 36.0;
const BOTTOM: f64 = 22.0;
const TOP: f64 = 10.0;

/// A round top for the runs axis: 50s up to 300, then 100s.
fn axis_top(max: u32) -> u32 {
    let step = if max > 300 { 100 } else { 50 };
    max.div_ceil(step).max(1) * step
}

fn x_of(over: u32, overs: u32) -> f64 {
    LEFT + (W - LEFT - 8.0) * f64::from(over) / f64::from(overs.max(1))
}

fn y_of(runs: u32, top: u32) -> f64 {
    H - BOTTOM - (H - BOTTOM - TOP) * f64::from(runs) / f64::from(top.max(1))
}

/// The y axis: gridlines and their figures.
fn grid(top: u32) -> impl IntoView {
    let step = top / 5;
    (0..=5)
        .map(|i| {
            let runs = step * i;
            let y = y_of(runs, top);
            view! {
                <line class="grid" x1=LEFT y1=y x2=W - 8.0 y2=y />
                <text class="axis" x=LEFT - 4.0 y=y + 4.0 text-anchor="end">{runs}</text>
            }
        })
        .collect_view()
}

/// The x axis's over figures, about six of them.
fn over_ticks(overs: u32) -> impl IntoView {
    let step = match overs {
        0..=12 => 2,
        13..=30 => 5,
        31..=60 => 10,
        _ => 20,
    };
    (0..=overs)
        .step_by(step as usize)
        .map(|over| view! { <text class="axis" x=x_of(over, overs) y=H - 6.0 text-anchor="middle">{over}</text> })
        .collect_view()
}

/// Every main innings' worm on one chart (super overs are left out).
#[component]
pub fn Worm(charts: Charts) -> impl IntoView {
    let lines: Vec<InningsChart> = charts.innings.into_iter().filter(|i| !i.super_over).collect();
    let overs = lines.iter().filter_map(|i| i.worm.last().map(|p| p.over)).max().unwrap_or(1).max(1);
    let top = axis_top(lines.iter().filter_map(|i| i.worm.last().map(|p| p.runs)).max().unwrap_or(0));
    let label = lines
        .iter()
        .map(|i| format!("{}: {} runs", i.team, i.worm.last().map_or(0, |p| p.runs)))
        .collect::<Vec<_>>()
        .join("; ");
    view! {
        <figure class="cricket-chart" data-testid="worm">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=format!("Worm: {label}")>
                {grid(top)}
                {over_ticks(overs)}
                {lines.iter().enumerate().map(|(n, innings)| {
                    let points = innings.worm.iter().map(|p| format!("{:.1},{:.1}", x_of(p.over, overs), y_of(p.runs, top))).collect::<Vec<_>>().join(" ");
                    let mut before = 0;
                    let dots = innings.worm.iter().filter_map(|p| {
                        let fell = p.wickets > before;
                        before = p.wickets;
                        fell.then(|| view! { <circle class=format!("wicket s{}", n % 4) cx=x_of(p.over, overs) cy=y_of(p.runs, top) r="3.5"><title>{format!("{} wicket(s) by over {}", p.wickets, p.over)}</title></circle> })
                    }).collect_view();
                    view! { <polyline class=format!("worm s{}", n % 4) points=points /> {dots} }
                }).collect_view()}
            </svg>
            <figcaption class="legend">
                {lines.iter().enumerate().map(|(n, i)| view! { <span class=format!("key s{}", n % 4)>{format!("{} ({})", i.team, i.number)}</span> }).collect_view()}
            </figcaption>
        </figure>
    }
}

/// One innings' runs per over, with a dot per wicket.
#[component]
pub fn Manhattan(innings: InningsChart) -> impl IntoView {
    let overs = innings.manhattan.len().max(1) as u32;
    let top = innings.manhattan.iter().map(|o| o.runs).max().unwrap_or(0).max(6).div_ceil(6) * 6;
    let slot = (W - LEFT - 8.0) / f64::from(overs);
    let y = |runs: u32| H - BOTTOM - (H - BOTTOM - TOP) * f64::from(runs) / f64::from(top);
    view! {
        <figure class="cricket-chart" data-testid="manhattan">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=format!("Manhattan of {}'s innings", innings.team)>
                {(0..=3).map(|i| { let runs = top / 3 * i; view! {
                    <line class="grid" x1=LEFT y1=y(runs) x2=W - 8.0 y2=y(runs) />
                    <text class="axis" x=LEFT - 4.0 y=y(runs) + 4.0 text-anchor="end">{runs}</text>
                }}).collect_view()}
                {innings.manhattan.iter().enumerate().map(|(i, bar)| {
                    let x = LEFT + slot * i as f64 + slot * 0.15;
                    let width = (slot * 0.7).max(1.0);
                    let top_y = y(bar.runs);
                    let wickets = (0..bar.wickets).map(|w| view! {
                        <circle class="wicket s1" cx=x + width / 2.0 cy=top_y - 6.0 - 8.0 * f64::from(w) r="3" />
                    }).collect_view();
                    view! {
                        <rect class="bar" x=x y=top_y width=width height=(H - BOTTOM - top_y).max(0.0)>
                            <title>{format!("Over {}: {} runs, {} wicket(s)", bar.over, bar.runs, bar.wickets)}</title>
                        </rect>
                        {wickets}
                    }
                }).collect_view()}
                {over_ticks(overs)}
            </svg>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runs_axis_ends_on_a_round_figure() {
        assert_eq!(axis_top(207), 250);
        assert_eq!(axis_top(0), 50);
        assert_eq!(axis_top(391), 400);
    }
}
