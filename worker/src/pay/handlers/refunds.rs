//! `/v1` refunds: `POST /v1/payments/{id}/refund` (and `POST /v1/refunds`), fetch and list.

use super::respond::{ok, V1Result};
use crate::{
    http::Cx,
    pay::{
        services::{self, keys::Merchant, runtime::Runtime},
        store::{self, refunds::RefundRow},
    },
};
use serde_json::{Map, Value};
use shared::pay::{
    entity::Collection,
    ids::{PaymentId, RefundId},
    list::ListQuery,
    RazorpayError,
};

#[utoipa::path(post, path = "/v1/payments/{id}/refund", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    request_body(content = Object, description = "{amount?, speed?, notes?, receipt?}"),
    responses((status = 200, body = shared::pay::entity::Refund, description = "The refund"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn create(cx: &Cx, merchant: &Merchant, payment_id: &str, body: &Map<String, Value>) -> V1Result {
    let run = Runtime::for_request(cx);
    ok(&services::refunds::refund(&run, &merchant.id, payment_id, body).await?.entity())
}

/// `POST /v1/refunds` with `payment_id` in the body.
#[utoipa::path(post, path = "/v1/refunds", tag = "pay-v1", security(("razorpay_key" = [])),
    request_body(content = Object, description = "{payment_id, amount?, speed?, notes?, receipt?}"),
    responses((status = 200, body = shared::pay::entity::Refund, description = "The refund"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn create_for(cx: &Cx, merchant: &Merchant, body: &Map<String, Value>) -> V1Result {
    let payment_id = body
        .get("payment_id")
        .and_then(Value::as_str)
        .ok_or_else(|| RazorpayError::invalid("payment_id", "The payment_id field is required."))?;
    create(cx, merchant, payment_id, body).await
}

#[utoipa::path(get, path = "/v1/refunds/{id}", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = shared::pay::entity::Refund, description = "The refund"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn fetch(cx: &Cx, merchant: &Merchant, id: &str) -> V1Result {
    let id = RefundId::parse(id)?;
    let row = store::refunds::get(&cx.db()?, &merchant.id, id.as_str())
        .await?
        .ok_or_else(RazorpayError::no_such_id)?;
    ok(&row.entity())
}

#[utoipa::path(get, path = "/v1/refunds", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("count" = Option<i64>, Query), ("skip" = Option<i64>, Query), ("from" = Option<i64>, Query, description = "unix seconds"), ("to" = Option<i64>, Query, description = "unix seconds")),
    responses((status = 200, description = "A collection of refunds"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn list(cx: &Cx, merchant: &Merchant, query: &ListQuery) -> V1Result {
    let rows = store::refunds::page(&cx.db()?, &merchant.id, query).await?;
    ok(&Collection::new(rows.iter().map(RefundRow::entity).collect()))
}

#[utoipa::path(get, path = "/v1/payments/{id}/refunds", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path), ("count" = Option<i64>, Query), ("skip" = Option<i64>, Query), ("from" = Option<i64>, Query, description = "unix seconds"), ("to" = Option<i64>, Query, description = "unix seconds")),
    responses((status = 200, description = "A collection of the payment's refunds"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn of_payment(cx: &Cx, merchant: &Merchant, payment_id: &str, query: &ListQuery) -> V1Result {
    let payment_id = PaymentId::parse(payment_id)?;
    let db = cx.db()?;
    store::payments::get(&db, &merchant.id, payment_id.as_str())
        .await?
        .ok_or_else(RazorpayError::no_such_id)?;
    let rows = store::refunds::of_payment(&db, &merchant.id, payment_id.as_str(), query).await?;
    ok(&Collection::new(rows.iter().map(RefundRow::entity).collect()))
}

#[utoipa::path(get, path = "/v1/payments/{id}/refunds/{refund_id}", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path), ("refund_id" = String, Path)),
    responses((status = 200, body = shared::pay::entity::Refund, description = "The refund"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn one_of_payment(cx: &Cx, merchant: &Merchant, payment_id: &str, refund_id: &str) -> V1Result {
    let refund_id = RefundId::parse(refund_id)?;
    let row = store::refunds::get(&cx.db()?, &merchant.id, refund_id.as_str())
        .await?
        .filter(|r| r.payment_id == payment_id)
        .ok_or_else(RazorpayError::no_such_id)?;
    ok(&row.entity())
}
