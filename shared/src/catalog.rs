//! The twelve products of Dozen, as the home page presents them and as the router knows them.

/// Whether a product can be used yet. The home page says so plainly for the ones that cannot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProductStatus {
    Live,
    NotBuiltYet,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Product {
    /// The first path segment of its SPA route and the name of its modules.
    pub slug: &'static str,
    pub name: &'static str,
    /// One line on what it is for.
    pub tagline: &'static str,
    /// The product it is modelled on in the case study.
    pub modelled_on: &'static str,
    pub status: ProductStatus,
}

impl Product {
    /// `/links`, `/stays`, …
    pub fn route(&self) -> String {
        format!("/{}", self.slug)
    }

    /// `/api/links`, … (Pay also speaks Razorpay's `/v1`).
    pub fn api_prefix(&self) -> String {
        format!("/api/{}", self.slug)
    }
}

const fn product(
    slug: &'static str,
    name: &'static str,
    tagline: &'static str,
    modelled_on: &'static str,
) -> Product {
    Product { slug, name, tagline, modelled_on, status: ProductStatus::NotBuiltYet }
}

const fn live(product: Product) -> Product {
    Product { status: ProductStatus::Live, ..product }
}

/// In the order of the case study.
pub const PRODUCTS: [Product; 12] = [
    live(product(
        "links",
        "Links",
        "Short links that redirect at the edge, with analytics and QR codes.",
        "Bitly",
    )),
    product("stays", "Stays", "Find a room and book it without anyone else taking the last one.", "Agoda"),
    live(product(
        "pay",
        "Pay",
        "Take payments through Razorpay's API: a checkout, payment links and subscriptions.",
        "Razorpay",
    )),
    product("music", "Music", "Stream your library and keep it playing offline.", "Apple Music"),
    live(product(
        "cricket",
        "Cricket",
        "Live matches ball by ball: scorecards, commentary, video highlights, chat and polls.",
        "CricHD",
    )),
    product("market", "Market", "Buy and sell in bulk with stock that never oversells.", "Alibaba"),
    product("letters", "Letters", "Write a newsletter; readers subscribe by email or RSS.", "Substack"),
    live(product("chat", "Chat", "Instant messages with receipts and presence.", "Instant Messenger")),
    live(product("news", "News", "Links and discussion, ranked by votes and age.", "Hacker News")),
    product(
        "timeline",
        "Timeline",
        "Your posts and your friends', in order, seen only by whom you choose.",
        "Facebook Timeline",
    ),
    live(product(
        "poker",
        "Poker",
        "Hold'em, Omaha and Stud at tables dealt fairly by the server.",
        "PokerStars",
    )),
    live(product("lockers", "Lockers", "Parcel lockers: drop off, get a code, pick up.", "Amazon Locker")),
];

pub fn product_by_slug(slug: &str) -> Option<&'static Product> {
    PRODUCTS.iter().find(|p| p.slug == slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_distinct_products_with_their_design_routes() {
        let slugs: std::collections::BTreeSet<_> = PRODUCTS.iter().map(|p| p.slug).collect();
        assert_eq!(slugs.len(), 12);
        assert_eq!(product_by_slug("news").unwrap().route(), "/news");
        assert_eq!(product_by_slug("pay").unwrap().api_prefix(), "/api/pay");
        assert!(product_by_slug("nope").is_none());
    }
}
