//! Accounts at the edge: `/api/auth` handlers, their D1 storage, and working out who is asking.

pub mod api;
pub mod guard;
pub mod identity;
pub mod store;
