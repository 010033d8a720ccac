//! The head of a product's main page: the same markup the worker sent in the first response
//! (`shared::page_head`), so the title and lede stay exactly where they were painted.

use leptos::prelude::*;

/// The head of the page at `path` (nothing if that page has none).
#[component]
pub fn PageHead(path: &'static str) -> impl IntoView {
    shared::page_head::for_path(path)
        .map(|head| view! { <header class=head.class() inner_html=head.inner_html()></header> })
}
