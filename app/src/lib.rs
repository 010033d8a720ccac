//! Dozen's single-page app: the shell (home, sign-in, sign-up, account) and, as they are built,
//! one route module per product. Client-side rendered with Leptos; installable as a PWA.

pub mod account;
pub mod api;
pub mod components;
pub mod home;
pub mod links;
pub mod not_found;
pub mod pay;
pub mod product;
pub mod session;

use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

/// The app and its route table. The first segments here are `shared::routes`' SPA routes.
#[component]
pub fn App() -> impl IntoView {
    session::provide();
    view! {
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <components::header::Header />
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <not_found::NotFound /> }>
                    <Route path=path!("/") view=home::Home />
                    <Route path=path!("/signin") view=account::signin::SignIn />
                    <Route path=path!("/signup") view=account::signup::SignUp />
                    <Route path=path!("/account") view=account::settings::Account />
                    <Route path=path!("/offline") view=not_found::Offline />
                    <Route path=path!("/links") view=links::page::LinksPage />
                    <Route path=path!("/links/:code") view=links::stats::LinkStatsPage />
                    <Route path=path!("/pay") view=pay::dashboard::DashboardPage />
                    <Route path=path!("/pay/checkout/:order_id") view=pay::checkout::CheckoutPage />
                    <Route path=path!("/pay/link/:id") view=pay::link::LinkPage />
                    <Route path=path!("/pay/subscription/:id") view=pay::subscription::SubscriptionPage />
                    <Route path=path!("/:product") view=product::ProductPage />
                    <Route path=path!("/:product/*rest") view=product::ProductPage />
                </Routes>
            </main>
            <footer class="site-footer">
                <p>"Dozen · twelve products, one Rust codebase at the edge · "<a href="/api/openapi.json">"API"</a></p>
            </footer>
        </Router>
    }
}

/// Registers `/sw.js` so the shell works offline and the app can be installed. Failure is not
/// fatal: the app works without it.
pub fn register_service_worker() {
    let Some(window) = web_sys::window() else { return };
    let container = window.navigator().service_worker();
    let _ = container.register("/sw.js");
}
