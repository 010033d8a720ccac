//! Links in the app: shorten (signed in or not), your links with copy, QR, search, tags and
//! an edit dialog, and a statistics page per link.

pub mod api;
pub mod chart;
pub mod edit;
pub mod page;
pub mod rules;
pub mod stats;

use app_ui::{not_found::Fallback, Frame};
use leptos::prelude::*;
use leptos_router::{
    components::{Route, Routes},
    path,
};

/// The Links bundle's routes.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Frame>
            <Routes fallback=|| view! { <Fallback /> }>
                <Route path=path!("/links") view=page::LinksPage />
                <Route path=path!("/links/:code") view=stats::LinkStatsPage />
            </Routes>
        </Frame>
    }
}
