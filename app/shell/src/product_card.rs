//! One product on the home page: what it is, what it is modelled on, and whether it is built.

use app_ui::nav;
use leptos::prelude::*;
use shared::catalog::{Product, ProductStatus};

#[component]
pub fn ProductCard(product: &'static Product) -> impl IntoView {
    let live = product.status == ProductStatus::Live;
    view! {
        <li class="product-card" class:live=live data-product=product.slug>
            <a href=product.route() rel=nav::rel(&product.route()) class="product-link">
                <span class="product-name">{product.name}</span>
                <span class="product-tagline">{product.tagline}</span>
                <span class="product-meta">
                    <span class="muted">"Like " {product.modelled_on}</span>
                    {if live {
                        view! { <span class="badge live">"Live"</span> }.into_any()
                    } else {
                        view! { <span class="badge">"Not built yet"</span> }.into_any()
                    }}
                </span>
            </a>
        </li>
    }
}

/// All twelve, in the order of the case study.
#[component]
pub fn ProductGrid() -> impl IntoView {
    view! {
        <ul class="product-grid" aria-label="Products">
            {shared::catalog::PRODUCTS.iter().map(|product| view! { <ProductCard product /> }).collect_view()}
        </ul>
    }
}
