//! Links, the URL shortener at the edge: `/api/links` for owners, `/{code}` redirects for
//! everyone, codes handed out by a Durable Object, KV as the redirect cache with D1 as the truth.

pub mod api;
pub mod clicks;
pub mod codes;
pub mod config;
pub mod domains;
pub mod redirect;
pub mod store;
