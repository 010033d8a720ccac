//! The home page: the twelve products.

use crate::product_card::ProductGrid;
use app_ui::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Home() -> impl IntoView {
    let session = use_session();
    let built =
        shared::catalog::PRODUCTS.iter().filter(|p| p.status == shared::catalog::ProductStatus::Live).count();
    view! {
        <section class="hero">
            <h1>"Twelve products. One account."</h1>
            <p class="lede">
                "Dozen builds the twelve systems of a classic design case study as one Rust codebase that runs at the edge. "
                {format!("{built} of 12 are built so far; the others say so.")}
            </p>
            <Show when=move || session.checked.get() && session.user.get().is_none()>
                <p class="hero-actions">
                    <A href="/signup" attr:class="button primary">"Create your account"</A>
                    <A href="/signin" attr:class="button ghost">"Sign in"</A>
                </p>
            </Show>
        </section>
        <ProductGrid />
    }
}
