//! Chat's storage: its D1 tables, and each conversation's log in its room's SQLite.

pub mod contacts;
pub mod conversations;
pub mod keys;
pub mod log;
pub mod media;
pub mod presence;
pub mod push;
pub mod search;
pub mod to_device;
