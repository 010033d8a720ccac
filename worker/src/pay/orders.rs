//! `/v1/orders`: create, fetch, list, and the payments of an order.

use crate::{
    d1::{num, run, text},
    http::Cx,
    password::random,
    pay::{
        keys::Merchant,
        respond::{ok, V1Result},
        store::{self, maybe},
    },
};
use serde_json::{Map, Value};
use shared::pay::{entity::Collection, ids::OrderId, list::ListQuery, order::NewOrder, RazorpayError};

#[utoipa::path(post, path = "/v1/orders", tag = "pay-v1", security(("razorpay_key" = [])),
    request_body(content = Object, description = "{amount, currency, receipt, notes, payment_capture | payment: {capture, capture_options}}"),
    responses((status = 200, body = shared::pay::entity::Order, description = "The order"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn create(cx: &Cx, merchant: &Merchant, body: &Map<String, Value>) -> V1Result {
    let order = NewOrder::parse(body)?;
    let id = OrderId::new(cx.now_ms, random::<8>()?);
    let db = cx.db()?;
    run(
        &db,
        "INSERT INTO pay_orders (id, merchant_id, key_id, amount, currency, receipt, status, notes, auto_capture, \
         capture_window_minutes, partial_payment, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'created', ?7, ?8, ?9, ?10, ?11)",
        &[
            text(id.as_str()),
            text(&merchant.id),
            text(&merchant.key_id),
            num(order.amount),
            text(order.currency.code),
            maybe(order.receipt.as_deref()),
            text(&store::notes_json(&order.notes)),
            num(i64::from(order.auto_capture)),
            num(order.capture_window_minutes),
            num(i64::from(order.partial_payment)),
            num(cx.now_ms),
        ],
    )
    .await?;
    let row = store::order(&db, &merchant.id, id.as_str()).await?.ok_or_else(RazorpayError::server_error)?;
    ok(&row.entity())
}

#[utoipa::path(get, path = "/v1/orders/{id}", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = shared::pay::entity::Order, description = "The order"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn fetch(cx: &Cx, merchant: &Merchant, id: &str) -> V1Result {
    let id = OrderId::parse(id)?;
    let row =
        store::order(&cx.db()?, &merchant.id, id.as_str()).await?.ok_or_else(RazorpayError::no_such_id)?;
    ok(&row.entity())
}

#[utoipa::path(get, path = "/v1/orders", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("count" = Option<i64>, Query), ("skip" = Option<i64>, Query), ("from" = Option<i64>, Query, description = "unix seconds"), ("to" = Option<i64>, Query, description = "unix seconds")),
    responses((status = 200, description = "A collection of orders"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn list(cx: &Cx, merchant: &Merchant, query: &ListQuery) -> V1Result {
    let rows: Vec<store::OrderRow> =
        store::merchant_page(&cx.db()?, "pay_orders", &merchant.id, query).await?;
    ok(&Collection::new(rows.iter().map(store::OrderRow::entity).collect()))
}

#[utoipa::path(get, path = "/v1/orders/{id}/payments", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    responses((status = 200, description = "A collection of the order's payments"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn payments(cx: &Cx, merchant: &Merchant, id: &str) -> V1Result {
    let id = OrderId::parse(id)?;
    let db = cx.db()?;
    store::order(&db, &merchant.id, id.as_str()).await?.ok_or_else(RazorpayError::no_such_id)?;
    let rows = store::payments_of_order(&db, &merchant.id, id.as_str()).await?;
    ok(&Collection::new(rows.iter().map(store::PaymentRow::entity).collect()))
}
