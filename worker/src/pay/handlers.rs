//! Pay's HTTP in and out: `/v1` (Razorpay's paths, authentication and error shape, `v1.rs`)
//! and `/api/pay` (the merchant's dashboard and the customer's pages, the project's error
//! shape). Handlers parse requests into the inputs of `services` (or read through `store` for a
//! plain fetch or list) and turn results into answers; they decide nothing themselves.

pub mod checkout;
pub mod dashboard;
pub mod keys;
pub mod orders;
pub mod payment_links;
pub mod payments;
pub mod plans;
pub mod refunds;
pub mod respond;
pub mod routing;
pub mod settlements;
pub mod subscriptions;
pub mod v1;
pub mod webhooks;
