//! The home page's content (the hero and the twelve product cards) as HTML, written once: the
//! worker puts it in the first response for `/`, so the page is readable before any wasm has
//! loaded (Lighthouse's largest paint is this text), and the shell renders the same string, so
//! nothing moves or changes when the app takes over. Only the sign-in buttons depend on the
//! session; they go in the `.hero-actions` paragraph, whose height is reserved.

use crate::{
    catalog::{ProductStatus, PRODUCTS},
    routes::bundle_for_path,
};
use std::fmt::Write;

/// Where the session-dependent actions go (a `<p class="hero-actions">` the shell fills).
pub const ACTIONS_SLOT: &str = r#"<p class="hero-actions"></p>"#;

pub const HERO_TITLE: &str = "Twelve products. One account.";

/// The hero's lede: what Dozen is and how far it got.
pub fn hero_lede() -> String {
    let built = PRODUCTS.iter().filter(|p| p.status == ProductStatus::Live).count();
    format!(
        "Dozen builds the twelve systems of a classic design case study as one Rust codebase that runs at \
         the edge. {built} of 12 are built so far; the others say so."
    )
}

/// The product cards (`<li>`s of `<ul class="product-grid">`), in the order of the case study.
/// A card whose page another bundle serves is a page load (`rel="external"`, see app_ui::nav).
pub fn cards_html() -> String {
    let mut html = String::new();
    for product in PRODUCTS.iter() {
        let route = product.route();
        let live = product.status == ProductStatus::Live;
        let external = if bundle_for_path(&route) == "shell" { "" } else { r#" rel="external""# };
        let _ = write!(
            html,
            r#"<li class="product-card{live_class}" data-product="{slug}"><a href="{route}"{external} class="product-link"><span class="product-name">{name}</span><span class="product-tagline">{tagline}</span><span class="product-meta"><span class="muted">Like {modelled_on}</span>{badge}</span></a></li>"#,
            live_class = if live { " live" } else { "" },
            slug = escape(product.slug),
            name = escape(product.name),
            tagline = escape(product.tagline),
            modelled_on = escape(product.modelled_on),
            badge = if live {
                r#"<span class="badge live">Live</span>"#
            } else {
                r#"<span class="badge">Not built yet</span>"#
            },
        );
    }
    html
}

/// The whole of the home page's `<main>` as the worker sends it; the shell's `Home` renders the
/// same elements.
pub fn first_paint_html() -> String {
    format!(
        r#"<section class="hero"><h1>{HERO_TITLE}</h1><p class="lede">{}</p>{ACTIONS_SLOT}</section><ul class="product-grid" aria-label="Products">{}</ul>"#,
        escape(&hero_lede()),
        cards_html()
    )
}

/// Escapes text for an element's content or a quoted attribute.
pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_product_has_a_card_and_live_ones_leave_the_shell() {
        let grid = cards_html();
        assert_eq!(grid.matches("<li class=\"product-card").count(), 12);
        assert!(grid.contains(
            r#"<li class="product-card live" data-product="links"><a href="/links" rel="external""#
        ));
        assert!(grid.contains(r#"data-product="news"><a href="/news" rel="external""#));
        assert!(
            grid.contains(r#"data-product="music"><a href="/music" class="product-link">"#),
            "not built: the shell's page"
        );
    }

    #[test]
    fn the_first_paint_holds_the_hero_the_slot_and_the_grid() {
        let html = first_paint_html();
        assert!(html.starts_with(r#"<section class="hero"><h1>"#));
        assert!(html.contains(ACTIONS_SLOT));
        assert!(html.ends_with("</li></ul>"));
    }
}
