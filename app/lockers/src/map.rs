//! The lockers on a map: an SVG of the city with the most lockers, each a dot (green with room,
//! grey when full or closed) labelled with its name and free compartments. No tiles are fetched:
//! the points are placed by their coordinates alone (equirectangular, corrected for latitude),
//! which at a city's scale is true to within a few metres.

use leptos::prelude::*;
use shared::lockers::location::{distance_km, LocationView};

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 360.0;
const PAD: f64 = 48.0;
/// How far from the busiest locker a locker still counts as in its city.
const CITY_KM: f64 = 60.0;

/// The locations of the city with the most of them.
fn city(list: &[LocationView]) -> Vec<&LocationView> {
    let near = |a: &LocationView, b: &LocationView| distance_km((a.lat, a.lng), (b.lat, b.lng)) <= CITY_KM;
    let Some(centre) = list.iter().max_by_key(|a| list.iter().filter(|b| near(a, b)).count()) else {
        return Vec::new();
    };
    list.iter().filter(|l| near(centre, l)).collect()
}

/// Each location's point in the drawing, north up.
fn project(points: &[&LocationView]) -> Vec<(f64, f64)> {
    let (mut lat_min, mut lat_max, mut lng_min, mut lng_max) = (90.0f64, -90.0f64, 180.0f64, -180.0f64);
    for p in points {
        lat_min = lat_min.min(p.lat);
        lat_max = lat_max.max(p.lat);
        lng_min = lng_min.min(p.lng);
        lng_max = lng_max.max(p.lng);
    }
    let shrink = ((lat_min + lat_max) / 2.0).to_radians().cos();
    // At least a kilometre or so across, so that one locker sits in the middle.
    let span_x = ((lng_max - lng_min) * shrink).max(0.01);
    let span_y = (lat_max - lat_min).max(0.01);
    let scale = ((WIDTH - 2.0 * PAD) / span_x).min((HEIGHT - 2.0 * PAD) / span_y);
    let (mid_x, mid_y) = ((lng_min + lng_max) / 2.0 * shrink, (lat_min + lat_max) / 2.0);
    points
        .iter()
        .map(|p| (WIDTH / 2.0 + (p.lng * shrink - mid_x) * scale, HEIGHT / 2.0 - (p.lat - mid_y) * scale))
        .collect()
}

#[component]
pub fn LockerMap(list: Vec<LocationView>) -> impl IntoView {
    let shown = city(&list);
    if shown.len() < 2 {
        return ().into_any();
    }
    let points = project(&shown);
    let dots = shown
        .iter()
        .zip(points)
        .map(|(l, (x, y))| {
            let free = l.free.small + l.free.medium + l.free.large;
            let class = if !l.open_now || free == 0 { "dot shut" } else { "dot" };
            let label = format!("{} · {free} free", l.name);
            let title = format!("{}: {} S, {} M, {} L free · {}", l.name, l.free.small, l.free.medium, l.free.large, l.hours_text);
            // Labels on the right half go to the left of their dot.
            let (anchor, dx) = if x > WIDTH / 2.0 { ("end", -12.0) } else { ("start", 12.0) };
            view! {
                <g class=class>
                    <title>{title}</title>
                    <circle cx=format!("{x:.1}") cy=format!("{y:.1}") r="8" />
                    <text x=format!("{:.1}", x + dx) y=format!("{:.1}", y + 4.0) text-anchor=anchor>{label}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="locker-map" data-testid="locker-map" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img"
            aria-label=format!("Map of {} lockers", shown.len())>
            <rect width=WIDTH.to_string() height=HEIGHT.to_string() rx="8" class="land" />
            {(1..8).map(|i| {
                let x = format!("{:.0}", WIDTH * f64::from(i) / 8.0);
                view! { <line x1=x.clone() x2=x y1="0" y2=HEIGHT.to_string() class="grid" /> }
            }).collect_view()}
            {(1..5).map(|i| {
                let y = format!("{:.0}", HEIGHT * f64::from(i) / 5.0);
                view! { <line y1=y.clone() y2=y x1="0" x2=WIDTH.to_string() class="grid" /> }
            }).collect_view()}
            {dots}
            <text x="12" y="22" class="compass">"N ↑"</text>
        </svg>
    }
    .into_any()
}
