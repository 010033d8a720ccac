//! Pay, the Razorpay-compatible gateway: `/v1` speaks Razorpay's REST shape (HTTP Basic with a
//! merchant's key, Razorpay's entities and errors) so Razorpay's SDKs work by changing their
//! base URL; `/api/pay` is the merchant's own side (keys) for the signed-in Dozen user. Rules
//! are in `shared::pay`; this module stores and answers.

pub mod checkout;
pub mod config;
pub mod dashboard;
pub mod keys;
pub mod orders;
pub mod payment_links;
pub mod payments;
pub mod plans;
pub mod refunds;
mod respond;
pub mod routing;
pub mod runtime;
pub mod settlements;
mod store;
pub mod subscriptions;
pub mod sweep;
pub mod v1;
pub mod webhooks;
