//! The home page: the twelve products.

use crate::product_card::ProductGrid;
use app_ui::session::use_session;
use leptos::prelude::*;

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
                    <a href="/signup" class="button primary">"Create your account"</a>
                    <a href="/signin" class="button ghost">"Sign in"</a>
                </p>
            </Show>
        </section>
        <ProductGrid />
    }
}
