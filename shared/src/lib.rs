//! Dozen's shared crate: the domain rules and wire types that both the Leptos app and the
//! Cloudflare Worker compile.
//!
//! Nothing here does I/O, reads a clock or draws randomness: time and random bytes are
//! arguments, so every rule runs the same in the browser, at the edge and under `cargo test`.

pub mod auth;
pub mod catalog;
pub mod chat;
pub mod coalesce;
pub mod cricket;
pub mod csp;
pub mod demo;
pub mod error;
pub mod gather;
pub mod home;
pub mod idempotency;
pub mod ids;
pub mod json;
pub mod links;
pub mod lockers;
pub mod news;
pub mod page_head;
pub mod pay;
pub mod poker;
pub mod rate_limit;
pub mod roles;
pub mod routes;
pub mod time;
pub mod ttl_cache;
pub mod url_parts;

pub use error::{ApiError, ErrorCode};
