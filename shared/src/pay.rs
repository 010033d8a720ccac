//! Pay, the Razorpay-compatible payment gateway: the rules every payment obeys wherever it is
//! checked — amounts and currencies, payment methods and test instruments, the state machines of
//! orders, payments and refunds, fees, the double-entry ledger, and Razorpay's signatures — and
//! the entity JSON of the `/v1` API. Storage and HTTP are the worker's.

pub mod attempt;
pub mod demo;
pub mod entity;
pub mod error;
pub mod fraud;
pub mod ids;
pub mod keys;
pub mod ledger;
pub mod limits;
pub mod list;
pub mod methods;
pub mod money;
pub mod notes;
pub mod order;
pub mod payment;
pub mod payment_link;
pub mod plan;
pub mod routing;
pub mod settlement;
pub mod signature;
pub mod stored;
pub mod subscription;
pub mod webhook;
pub mod wire;

pub use error::RazorpayError;
