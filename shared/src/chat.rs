//! Chat, the instant messenger: the rules a conversation obeys wherever they are checked —
//! who is in it and what each may do, what a message may be and how long it can be changed,
//! receipts and unread counts, presence, contacts and blocks, a device's exactly-once view of
//! the log — and the frames of the chat socket. Storage (D1, one Durable Object per
//! conversation) and delivery are the worker's.

pub mod contacts;
pub mod demo;
pub mod e2ee;
pub mod history;
pub mod inbox;
pub mod media;
pub mod members;
pub mod message;
pub mod pace;
pub mod presence;
pub mod push;
pub mod receipts;
pub mod rest;
pub mod search;
pub mod stickers;
pub mod wire;
