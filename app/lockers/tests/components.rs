//! Lockers' components in a real browser (headless Chromium via wasm-bindgen-test): the map of
//! the lockers and the admins' occupancy chart.

use app_lockers::{admin::OccupancyChart, map::LockerMap};
use app_ui::testing::*;
use leptos::{prelude::*, wasm_bindgen::JsCast};
use shared::lockers::{
    admin::Occupancy,
    location::{FreeBySize, LocationView},
};
use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

fn place(name: &str, lat: f64, lng: f64, free: u32, open_now: bool) -> LocationView {
    LocationView {
        id: name.to_lowercase(),
        name: name.into(),
        address: format!("{name} Road"),
        lat,
        lng,
        timezone: "Asia/Kolkata".into(),
        always_open: open_now,
        hours: vec![],
        hours_text: "Open 24/7".into(),
        open_now,
        opens_at: None,
        banks: vec![],
        free: FreeBySize { small: free, medium: 0, large: 0 },
        distance_km: None,
    }
}

fn attr(element: &Element, name: &str) -> f64 {
    element.get_attribute(name).unwrap().parse().unwrap()
}

#[wasm_bindgen_test]
async fn the_map_shows_the_busiest_city_north_up_with_closed_or_full_lockers_greyed() {
    let root = only_container("data-lockers-map");
    let list = vec![
        place("MG Road", 12.9756, 77.6066, 5, true),
        place("Whitefield", 12.9866, 77.7314, 0, true),
        place("Koramangala", 12.9352, 77.6245, 3, false),
        // Another city: not on this map.
        place("Warsaw", 52.2289, 21.0030, 9, true),
    ];
    mount_to(root.clone(), move || view! { <LockerMap list=list.clone() /> }).forget();
    settle().await;
    let svg = query(&root, "svg.locker-map");
    assert_eq!(svg.get_attribute("aria-label").as_deref(), Some("Map of 3 lockers"));
    let dots = root.query_selector_all("g.dot").unwrap();
    assert_eq!(dots.length(), 3);
    let dot = |i: u32| dots.item(i).unwrap().unchecked_into::<Element>();
    let circle = |i: u32| query(&dot(i), "circle");
    assert_eq!(dot(0).get_attribute("class").as_deref(), Some("dot"));
    assert_eq!(dot(1).get_attribute("class").as_deref(), Some("dot shut"), "full");
    assert_eq!(dot(2).get_attribute("class").as_deref(), Some("dot shut"), "closed");
    // Whitefield is east of MG Road; Koramangala south of it (greater y is further down).
    assert!(attr(&circle(1), "cx") > attr(&circle(0), "cx"));
    assert!(attr(&circle(2), "cy") > attr(&circle(0), "cy"));
    assert!(text(&root, "svg").contains("MG Road · 5 free"));
}

#[wasm_bindgen_test]
async fn one_locker_alone_gets_no_map() {
    let root = only_container("data-lockers-map");
    let list = vec![place("Solo", 12.0, 77.0, 1, true)];
    mount_to(root.clone(), move || view! { <LockerMap list=list.clone() /> }).forget();
    settle().await;
    assert!(root.query_selector("svg").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn the_occupancy_chart_says_now_the_peak_and_the_capacity() {
    let root = only_container("data-lockers-chart");
    let occupancy = Occupancy {
        from: "2026-12-01T00:00:00Z".into(),
        step_minutes: 60,
        taken: vec![0, 3, 1, 2],
        capacity: 4,
    };
    mount_to(root.clone(), move || view! { <OccupancyChart occupancy=occupancy.clone() /> }).forget();
    settle().await;
    let svg = query(&root, "svg.occupancy");
    assert_eq!(
        svg.get_attribute("aria-label").as_deref(),
        Some("Compartments taken over the last 7 days: 2 now, at most 3, of 4 in service")
    );
    assert_eq!(
        text(&root, "[data-testid=occupancy-figures]"),
        "2 taken now · at most 3 in the week · 4 in service"
    );
    // The area closes on the baseline.
    assert!(query(&root, "path.taken").get_attribute("d").unwrap().ends_with('Z'));
}
