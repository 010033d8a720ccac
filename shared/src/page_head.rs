//! The head of each product's main page (its name, what it is for) as HTML, written
//! once: the worker puts it in the first response for that page, so the page has its title and
//! lede at the first paint, before the bundle's wasm has loaded and before the session or the data
//! arrives (Lighthouse's largest paint is this lede); the page renders the same markup
//! (`app_ui::components::PageHead`), so nothing moves when the app takes over.
//!
//! A new product adds one line to [`HEADS`].

use crate::{catalog::product_by_slug, home::escape};

/// How wide the page's column is, so the head lines up with what follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// A form-sized column (`.stack`, 44rem).
    Narrow,
    /// A list-sized column (`.stack.wide`, 60rem).
    Wide,
    /// A dashboard (68rem).
    Full,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageHead {
    /// The page it heads.
    pub path: &'static str,
    pub title: &'static str,
    pub lede: &'static str,
    /// Whether the title carries the "Test mode" badge (no real money moves).
    pub test_mode: bool,
    pub width: Width,
}

/// One line per page that has a head: a product's main page takes its name and tagline from the
/// catalog.
enum Head {
    Product { slug: &'static str, width: Width, test_mode: bool },
    Page(PageHead),
}

const HEADS: &[(&str, Head)] = &[
    ("/links", Head::Product { slug: "links", width: Width::Wide, test_mode: false }),
    ("/pay", Head::Product { slug: "pay", width: Width::Full, test_mode: true }),
    ("/chat", Head::Product { slug: "chat", width: Width::Full, test_mode: false }),
    ("/poker", Head::Product { slug: "poker", width: Width::Wide, test_mode: false }),
    ("/lockers", Head::Product { slug: "lockers", width: Width::Wide, test_mode: false }),
    ("/cricket", Head::Product { slug: "cricket", width: Width::Wide, test_mode: false }),
    ("/news", Head::Product { slug: "news", width: Width::Wide, test_mode: false }),
    (
        "/poker/odds",
        Head::Page(PageHead {
            path: "/poker/odds",
            title: "Poker odds",
            lede: "Each hand's exact chance to win, over every way the board can come: Hold'em and Omaha, up to nine hands.",
            test_mode: false,
            width: Width::Wide,
        }),
    ),
    (
        "/poker/wallet",
        Head::Page(PageHead {
            path: "/poker/wallet",
            title: "Your poker wallet",
            lede: "Rupees for real-money tables: deposit through Dozen Pay's checkout, withdraw to any UPI ID.",
            test_mode: true,
            width: Width::Wide,
        }),
    ),
    (
        "/poker/admin",
        Head::Page(PageHead {
            path: "/poker/admin",
            title: "Poker signals",
            lede: "For the tables' admins: accounts at one table from one address, pairs always together, chips that flow one way, pairs who never bet into each other.",
            test_mode: false,
            width: Width::Wide,
        }),
    ),
    (
        "/account",
        Head::Page(PageHead {
            path: "/account",
            title: "Your account",
            lede: "Your name, your password and your API keys: one account for every Dozen product.",
            test_mode: false,
            width: Width::Narrow,
        }),
    ),
];

/// The head of the page at `path`, if it has one.
pub fn for_path(path: &str) -> Option<PageHead> {
    let path = if path.len() > 1 { path.trim_end_matches('/') } else { path };
    let (page, head) = HEADS.iter().find(|(page, _)| *page == path)?;
    match head {
        Head::Page(head) => Some(*head),
        Head::Product { slug, width, test_mode } => {
            let product = product_by_slug(slug)?;
            Some(PageHead {
                path: page,
                title: product.name,
                lede: product.tagline,
                test_mode: *test_mode,
                width: *width,
            })
        }
    }
}

impl PageHead {
    /// The class of the `<header>`.
    pub fn class(&self) -> &'static str {
        match self.width {
            Width::Narrow => "page-head narrow",
            Width::Wide => "page-head wide",
            Width::Full => "page-head full",
        }
    }

    /// What goes inside the `<header>`.
    pub fn inner_html(&self) -> String {
        let badge = if self.test_mode {
            r#"<span class="badge test-badge" title="No real money moves">Test mode</span>"#
        } else {
            ""
        };
        format!(
            r#"<div class="page-title"><h1>{}</h1>{badge}</div><p class="lede">{}</p>"#,
            escape(self.title),
            escape(self.lede)
        )
    }

    /// The whole `<header>`, as the worker sends it.
    pub fn html(&self) -> String {
        format!(r#"<header class="{}">{}</header>"#, self.class(), self.inner_html())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{ProductStatus, PRODUCTS};

    #[test]
    fn every_live_product_has_a_head_from_the_catalog() {
        for product in PRODUCTS.iter().filter(|p| p.status == ProductStatus::Live) {
            let head = for_path(&product.route()).unwrap_or_else(|| panic!("{} has no head", product.slug));
            assert_eq!(head.title, product.name);
            assert_eq!(head.lede, product.tagline);
        }
        assert_eq!(for_path("/account").map(|h| h.title), Some("Your account"));
        assert!(for_path("/").is_none(), "the home page has its own hero");
        assert!(for_path("/links/abc/stats").is_none(), "only the main pages");
        assert_eq!(for_path("/links/"), for_path("/links"));
    }

    #[test]
    fn the_html_is_one_header_with_the_title_badge_and_lede_escaped() {
        let pay = for_path("/pay").unwrap();
        assert_eq!(
            pay.html(),
            r#"<header class="page-head full"><div class="page-title"><h1>Pay</h1><span class="badge test-badge" title="No real money moves">Test mode</span></div><p class="lede">Take payments through Razorpay's API: a checkout, payment links and subscriptions.</p></header>"#
        );
        let links = for_path("/links").unwrap();
        assert!(links
            .html()
            .starts_with(r#"<header class="page-head wide"><div class="page-title"><h1>Links</h1></div>"#));
    }
}
