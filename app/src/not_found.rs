//! The 404 page, and the page shown when the network is gone.

use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="panel narrow" data-testid="not-found">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address. It may have moved, or the link may be mistyped."</p>
            <p><A href="/">"Go to the home page"</A></p>
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
