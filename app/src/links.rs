//! Links in the app: shorten (signed in or not), your links with copy, QR, search, tags and
//! an edit dialog, and a statistics page per link.

pub mod api;
pub mod chart;
pub mod edit;
pub mod page;
pub mod stats;
