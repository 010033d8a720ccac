//! Accounts, one system for all twelve products: the rules for usernames, emails and passwords,
//! how passwords, session tokens and API keys are stored, when failed logins are slowed down,
//! and the request and response bodies of `/api/auth`.

pub mod cookie;
pub mod password;
pub mod throttle;
pub mod token;
pub mod validation;
pub mod wire;

/// How long a session lasts after sign-in.
pub const SESSION_TTL_SECS: i64 = 30 * 24 * 60 * 60;
