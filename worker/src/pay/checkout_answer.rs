//! What the customer's pages send and are told: the hosted checkout, a payment link's page and
//! a subscription's authorization turn the customer's input into the S2S body of an attempt,
//! and its outcome into a `CheckoutResult` (Razorpay's callback fields).

use crate::pay::{payments::Attempted, store::OrderRow};
use serde_json::{json, Map, Value};
use shared::pay::{
    error::RazorpayErrorCode,
    wire::{CheckoutPayRequest, CheckoutResult, CheckoutStatus},
    RazorpayError,
};

/// The S2S body of a checkout attempt for `order`: the order's amount and currency, the
/// customer's instrument.
pub fn payment_body(order: &OrderRow, input: CheckoutPayRequest) -> Map<String, Value> {
    let mut body = Map::new();
    body.insert("order_id".into(), json!(order.id));
    body.insert("amount".into(), json!(order.amount));
    body.insert("currency".into(), json!(order.currency));
    body.insert("email".into(), json!(input.email));
    body.insert("contact".into(), json!(input.contact));
    body.insert("method".into(), json!(input.method));
    if let Some(card) = input.card {
        body.insert("card".into(), serde_json::to_value(card).unwrap_or(Value::Null));
    }
    for (field, value) in [("vpa", input.vpa), ("bank", input.bank), ("wallet", input.wallet)] {
        if let Some(value) = value {
            body.insert(field.into(), json!(value));
        }
    }
    body
}

/// An answer with nothing but its status and ids; the others add to it.
pub fn answer(status: CheckoutStatus, payment_id: String, order_id: &str) -> CheckoutResult {
    CheckoutResult {
        status,
        razorpay_payment_id: payment_id,
        razorpay_order_id: order_id.to_owned(),
        razorpay_signature: None,
        error_reason: None,
        error_description: None,
        razorpay_payment_link_id: None,
        razorpay_payment_link_reference_id: None,
        razorpay_payment_link_status: None,
        razorpay_subscription_id: None,
    }
}

/// An attempt that went through: paid or authorized and signed, or waiting for its OTP.
pub fn attempted(attempted: Attempted) -> CheckoutResult {
    match attempted {
        Attempted::Approved { payment_id, order_id, signature, captured } => CheckoutResult {
            razorpay_signature: Some(signature),
            ..answer(
                if captured { CheckoutStatus::Paid } else { CheckoutStatus::Authorized },
                payment_id,
                &order_id,
            )
        },
        Attempted::NeedsOtp { payment_id } => answer(CheckoutStatus::OtpRequired, payment_id, ""),
    }
}

/// The OTP step's answer.
pub fn otp_required(payment_id: String, order_id: &str) -> CheckoutResult {
    answer(CheckoutStatus::OtpRequired, payment_id, order_id)
}

/// A decline is an answer, not an error: the customer may try again.
pub fn declined(err: &RazorpayError) -> bool {
    let answer = err.status == 400 || err.code == RazorpayErrorCode::GatewayError;
    answer && err.field.is_none() && err.metadata.contains_key("payment_id")
}

/// A declined attempt: why, for the customer.
pub fn failed(err: RazorpayError, order_id: &str) -> CheckoutResult {
    let payment_id = err.metadata.get("payment_id").and_then(Value::as_str).unwrap_or_default().to_owned();
    CheckoutResult {
        error_reason: Some(err.reason),
        error_description: Some(err.description),
        ..answer(CheckoutStatus::Failed, payment_id, order_id)
    }
}

/// The authorization payment was approved but a fraud rule holds it: the subscription waits
/// for the merchant's review (approving it finishes the authorization).
pub fn held_for_review(payment_id: String, order_id: &str) -> CheckoutResult {
    CheckoutResult {
        error_description: Some(
            "The payment is being reviewed; the merchant will confirm the subscription.".into(),
        ),
        ..answer(CheckoutStatus::Authorized, payment_id, order_id)
    }
}
