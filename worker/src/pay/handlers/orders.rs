//! `/v1/orders`: create, fetch, list, and the payments of an order.

use super::respond::{ok, V1Result};
use crate::{
    http::Cx,
    pay::{
        services::{self, keys::Merchant},
        store,
    },
};
use serde_json::{Map, Value};
use shared::pay::{entity::Collection, list::ListQuery, order::NewOrder};

#[utoipa::path(post, path = "/v1/orders", tag = "pay-v1", security(("razorpay_key" = [])),
    request_body(content = Object, description = "{amount, currency, receipt, notes, payment_capture | payment: {capture, capture_options}}"),
    responses((status = 200, body = shared::pay::entity::Order, description = "The order"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn create(cx: &Cx, merchant: &Merchant, body: &Map<String, Value>) -> V1Result {
    let order = NewOrder::parse(body)?;
    ok(&services::orders::create(cx, merchant, &order).await?.entity())
}

#[utoipa::path(get, path = "/v1/orders/{id}", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = shared::pay::entity::Order, description = "The order"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn fetch(cx: &Cx, merchant: &Merchant, id: &str) -> V1Result {
    ok(&services::orders::owned(cx, merchant, id).await?.entity())
}

#[utoipa::path(get, path = "/v1/orders", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("count" = Option<i64>, Query), ("skip" = Option<i64>, Query), ("from" = Option<i64>, Query, description = "unix seconds"), ("to" = Option<i64>, Query, description = "unix seconds")),
    responses((status = 200, description = "A collection of orders"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn list(cx: &Cx, merchant: &Merchant, query: &ListQuery) -> V1Result {
    let rows = store::orders::page(&cx.db()?, &merchant.id, query).await?;
    ok(&Collection::new(rows.iter().map(store::orders::OrderRow::entity).collect()))
}

#[utoipa::path(get, path = "/v1/orders/{id}/payments", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    responses((status = 200, description = "A collection of the order's payments"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn payments(cx: &Cx, merchant: &Merchant, id: &str) -> V1Result {
    let order = services::orders::owned(cx, merchant, id).await?;
    let rows = store::payments::of_order(&cx.db()?, &merchant.id, &order.id).await?;
    ok(&Collection::new(rows.iter().map(store::payments::PaymentRow::entity).collect()))
}
