//! `/:product`: products that are not built yet say so plainly. A built product's pages belong
//! to its own bundle, and unknown names are the 404 page (both through `Fallback`).

use app_ui::not_found::Fallback;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::catalog::{product_by_slug, ProductStatus};

#[component]
pub fn ProductPage() -> impl IntoView {
    let params = use_params_map();
    move || {
        // Every other path: its first segment names the product (`/poker/table/1` → `poker`).
        let path = params.read().get("path").unwrap_or_default();
        let slug = path.split('/').next().unwrap_or_default();
        match product_by_slug(slug) {
            Some(product) if product.status == ProductStatus::NotBuiltYet => view! {
                <section class="panel narrow">
                    <h1>{product.name}</h1>
                    <p class="lede">{product.tagline}</p>
                    <p data-testid="not-built">
                        <strong>{product.name}" is not built yet."</strong>
                        " It will live here, modelled on " {product.modelled_on} "."
                    </p>
                    <p><a href="/">"See all twelve products"</a></p>
                </section>
            }
            .into_any(),
            _ => view! { <Fallback /> }.into_any(),
        }
    }
}
