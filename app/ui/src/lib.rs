//! What every bundle of Dozen's app shares. The app is built as one bundle per product plus the
//! shell (app/bundles.json, `shared::routes::BUNDLE_ROUTES`), so a page downloads only its own
//! product's code; this crate is the part they all carry: the page frame and header, who is
//! signed in, the HTTP client, form pieces, and the links between bundles.

pub mod api;
pub mod auth;
pub mod components;
pub mod focus;
pub mod format;
pub mod frame;
pub mod nav;
pub mod not_found;
pub mod session;
pub mod socket;
pub mod testing;
pub mod web_url;

pub use frame::{start, Frame};
