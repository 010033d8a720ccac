//! `/v1/payments`: the server-to-server payment (`create/json`) with its OTP step, fetch, list
//! and capture.

use super::respond::{ok, V1Result};
use crate::{
    http::Cx,
    pay::{
        services::{
            self,
            keys::Merchant,
            payments::{check_waiting_for_otp, Attempted},
            runtime::Runtime,
        },
        store,
    },
};
use serde_json::{json, Map, Value};
use shared::pay::{attempt::NewPayment, entity::Collection, list::ListQuery, RazorpayError};

fn otp_next(cx: &Cx, payment_id: &str) -> Value {
    json!({
        "razorpay_payment_id": payment_id,
        "next": [
            {"action": "otp_submit", "url": format!("{}/v1/payments/{payment_id}/otp/submit", cx.own_origin)},
            {"action": "otp_resend", "url": format!("{}/v1/payments/{payment_id}/otp/resend", cx.own_origin)},
        ],
    })
}

/// Razorpay's answer to an attempt: the 3 signed fields, or the OTP step's `next` actions.
fn attempted_response(cx: &Cx, attempted: Attempted) -> V1Result {
    match attempted {
        Attempted::Approved { payment_id, order_id, signature, .. } => ok(&json!({
            "razorpay_payment_id": payment_id,
            "razorpay_order_id": order_id,
            "razorpay_signature": signature,
        })),
        Attempted::NeedsOtp { payment_id } => ok(&otp_next(cx, &payment_id)),
    }
}

/// `POST /v1/payments/create/json`.
#[utoipa::path(post, path = "/v1/payments/create/json", tag = "pay-v1", security(("razorpay_key" = [])),
    request_body(content = Object, description = "{amount, currency, order_id, email, contact, method, card | vpa | bank | wallet}"),
    responses((status = 200, description = "{razorpay_payment_id, razorpay_order_id, razorpay_signature}, or {razorpay_payment_id, next: [otp_submit, otp_resend]}"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn create_json(cx: &Cx, merchant: &Merchant, body: &Map<String, Value>) -> V1Result {
    let attempt = NewPayment::parse(body, cx.now_ms)?;
    let order = store::orders::get(&cx.db()?, &merchant.id, attempt.order_id.as_str())
        .await?
        .ok_or_else(|| RazorpayError::invalid("order_id", "The id provided does not exist"))?;
    // The caller is the merchant's server: the customer's address is the body's `ip` (Razorpay's
    // S2S field), never the caller's.
    let customer_ip = body.get("ip").and_then(Value::as_str).map(str::trim).filter(|ip| !ip.is_empty());
    let run = Runtime { client_ip: customer_ip, ..Runtime::for_request(cx) };
    attempted_response(cx, services::payments::attempt_payment(&run, &merchant.id, &order, &attempt).await?)
}

/// `POST /v1/payments/{id}/otp/submit`: the right OTP authorizes (and, with auto-capture,
/// captures); each wrong one counts, and the last allowed wrong one fails the payment.
#[utoipa::path(post, path = "/v1/payments/{id}/otp/submit", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    request_body(content = Object, description = "{otp}"),
    responses((status = 200, description = "{razorpay_payment_id, razorpay_order_id, razorpay_signature}"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn otp_submit(cx: &Cx, merchant: &Merchant, id: &str, body: &Map<String, Value>) -> V1Result {
    let otp = match body.get("otp") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => return Err(RazorpayError::invalid("otp", "The otp field is required.")),
    };
    let run = Runtime::for_request(cx);
    attempted_response(cx, services::payments::submit_otp(&run, &merchant.id, id, &otp).await?)
}

/// `POST /v1/payments/{id}/otp/resend` (and `otp_generate`): the test bank "sends" the OTP again.
#[utoipa::path(post, path = "/v1/payments/{id}/otp/resend", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    responses((status = 200, description = "{razorpay_payment_id, next}"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn otp_resend(cx: &Cx, merchant: &Merchant, id: &str) -> V1Result {
    let payment = services::payments::owned(&cx.db()?, &merchant.id, id).await?;
    check_waiting_for_otp(&payment)?;
    ok(&otp_next(cx, &payment.id))
}

#[utoipa::path(get, path = "/v1/payments/{id}", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = shared::pay::entity::Payment, description = "The payment"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn fetch(cx: &Cx, merchant: &Merchant, id: &str) -> V1Result {
    ok(&services::payments::read(cx, &merchant.id, id).await?.entity())
}

#[utoipa::path(get, path = "/v1/payments", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("count" = Option<i64>, Query), ("skip" = Option<i64>, Query), ("from" = Option<i64>, Query, description = "unix seconds"), ("to" = Option<i64>, Query, description = "unix seconds")),
    responses((status = 200, description = "A collection of payments"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn list(cx: &Cx, merchant: &Merchant, query: &ListQuery) -> V1Result {
    let rows = store::payments::page(&cx.db()?, &merchant.id, query).await?;
    ok(&Collection::new(rows.iter().map(store::payments::PaymentRow::entity).collect()))
}

/// `POST /v1/payments/{id}/capture` with the full authorized amount. Concurrent captures of one
/// payment capture it once; the others hear "already captured".
#[utoipa::path(post, path = "/v1/payments/{id}/capture", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    request_body(content = Object, description = "{amount, currency}"),
    responses((status = 200, body = shared::pay::entity::Payment, description = "The captured payment"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn capture(cx: &Cx, merchant: &Merchant, id: &str, body: &Map<String, Value>) -> V1Result {
    let run = Runtime::for_request(cx);
    ok(&services::payments::capture(&run, &merchant.id, id, body).await?.entity())
}
