//! The twelve products on the home page. Their markup is `shared::home::cards_html`, the same
//! string the worker sends in the first response for `/`, so the grid is on screen before this
//! bundle has loaded and does not change when it has.

use leptos::prelude::*;

/// All twelve, in the order of the case study.
#[component]
pub fn ProductGrid() -> impl IntoView {
    view! { <ul class="product-grid" aria-label="Products" inner_html=shared::home::cards_html()></ul> }
}
