//! The routes' fallback of every bundle: the 404 page, the page of another bundle (loaded from
//! the worker), and what to say when the network is gone.

use crate::nav;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Every bundle's `<Routes fallback>`. A path another bundle owns is loaded from the worker; if
/// this bundle was itself loaded at that path, the service worker had nothing better to offer
/// while offline, so say so instead of loading it again.
#[component]
pub fn Fallback() -> impl IntoView {
    let location = use_location();
    move || {
        let path = location.pathname.get();
        if nav::is_own(&path) {
            view! { <NotFound /> }.into_any()
        } else if nav::loaded_at(&path) {
            view! { <NotSavedOffline /> }.into_any()
        } else {
            // The whole address: `/signin?next=/account` must keep its `next`.
            nav::load_page(&address(&path, &location.search.get(), &location.hash.get()));
            view! { <div class="page-loading" aria-busy="true"></div> }.into_any()
        }
    }
}

/// The address the router's location names: its `search` comes without the `?`, its `hash` with
/// the `#`.
fn address(path: &str, search: &str, hash: &str) -> String {
    let question = if search.is_empty() { "" } else { "?" };
    format!("{path}{question}{search}{hash}")
}

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="panel narrow" data-testid="not-found">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address. It may have moved, or the link may be mistyped."</p>
            <p><a href="/" rel=nav::rel("/")>"Go to the home page"</a></p>
        </section>
    }
}

#[component]
pub fn Offline() -> impl IntoView {
    view! {
        <section class="panel narrow">
            <h1>"You are offline"</h1>
            <p>"Dozen's pages are saved on this device, but what they show comes from the network. Reconnect and try again."</p>
        </section>
    }
}

/// A page of a product this device has not opened before, asked for while offline.
#[component]
fn NotSavedOffline() -> impl IntoView {
    let location = use_location();
    let path = address(
        &location.pathname.get_untracked(),
        &location.search.get_untracked(),
        &location.hash.get_untracked(),
    );
    view! {
        <section class="panel narrow" data-testid="not-saved-offline">
            <h1>"You are offline"</h1>
            <p>"This page has not been opened on this device before, so it is not saved here yet. Reconnect and try again."</p>
            <p><a class="button primary" href=path rel="external">"Try again"</a></p>
        </section>
    }
}
