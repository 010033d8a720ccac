//! Pay in the app: the merchant's dashboard (`/pay`: figures, payments and refunds, payment
//! links, subscriptions, webhooks, settlements and reconciliation, key pairs), and the pages a
//! merchant's customer sees: the hosted checkout of an order, a payment link, and a
//! subscription's authorization.

pub mod api;
pub mod checkout;
pub mod dashboard;
pub mod form;
pub mod link;
pub mod payer;
pub mod subscription;
