//! The home page: the twelve products. The worker sends the same content in the first response
//! (`shared::home::first_paint_html`); only the session's actions are this bundle's own.

use crate::product_card::ProductGrid;
use app_ui::session::use_session;
use leptos::prelude::*;

#[component]
pub fn Home() -> impl IntoView {
    let session = use_session();
    view! {
        <section class="hero">
            <h1>{shared::home::HERO_TITLE}</h1>
            <p class="lede">{shared::home::hero_lede()}</p>
            // One height whether the session is loading, absent or there, so the grid below
            // never moves when it arrives.
            <p class="hero-actions">
                {move || match (session.checked.get(), session.user.get()) {
                    (false, _) => ().into_any(),
                    (true, None) => view! {
                        <a href="/signup" class="button primary">"Create your account"</a>
                        <a href="/signin" class="button ghost">"Sign in"</a>
                    }
                    .into_any(),
                    (true, Some(user)) => view! {
                        <span class="muted">{format!("Signed in as {}. Open a product below.", user.username)}</span>
                    }
                    .into_any(),
                }}
            </p>
        </section>
        <ProductGrid />
    }
}
