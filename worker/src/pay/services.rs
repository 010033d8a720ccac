//! Pay's operations: capture, refund, settle, charge a subscription, deliver a webhook…
//! Each asks `shared::pay` for every decision and `store` for every read and write; handlers
//! call these and only turn HTTP into their inputs and their results into answers.

pub mod checkout;
pub mod config;
pub mod demo;
pub mod keys;
pub mod orders;
pub mod payment_links;
pub mod payments;
pub mod payouts;
pub mod plans;
pub mod refunds;
pub mod reviews;
pub mod routing;
pub mod runtime;
pub mod settlements;
pub mod subscriptions;
pub mod unfinished;
pub mod webhooks;
