//! Links, the URL shortener: the rules a short link obeys wherever it is checked — how codes
//! are made, which aliases and destinations are allowed, how a click is classified — and the
//! bodies of `/api/links`.

pub mod alias;
pub mod click_record;
pub mod code;
pub mod demo;
pub mod domain;
pub mod limits;
pub mod qr;
pub mod stats;
pub mod url_rules;
pub mod user_agent;
pub mod visitor;
pub mod wire;
