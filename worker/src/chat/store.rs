//! Chat's D1 tables.

pub mod contacts;
pub mod conversations;
