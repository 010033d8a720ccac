//! Payment links: `/v1/payment_links` for the merchant (create, fetch, list, edit, cancel), and
//! the public side the customer's page uses: the link, and an order for the amount they choose
//! to pay now.

use super::respond::{ok, V1Result};
use crate::{
    http::{json, read_json, ApiResult, Cx},
    pay::services::{self, keys::Merchant},
    rate_limit,
};
use serde_json::{json, Map, Value};
use shared::{
    pay::{
        limits::CHECKOUT_ATTEMPTS,
        payment_link::NewPaymentLink,
        wire::{PaymentLinkOrder, PaymentLinkOrderRequest, PaymentLinkView},
        RazorpayError,
    },
    time::Timestamp,
};
use worker::Request;

#[utoipa::path(post, path = "/v1/payment_links", tag = "pay-v1", security(("razorpay_key" = [])),
    request_body(content = Object, description = "{amount, currency, accept_partial, first_min_partial_amount, description, reference_id, customer, notify, reminder_enable, notes, callback_url, callback_method, expire_by}"),
    responses((status = 200, body = shared::pay::entity::PaymentLink, description = "The payment link"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn create(cx: &Cx, merchant: &Merchant, body: &Map<String, Value>) -> V1Result {
    let link = NewPaymentLink::parse(body, cx.now_ms)?;
    let row = services::payment_links::create(cx, merchant, &link).await?;
    ok(&services::payment_links::entity(cx, &row).await?)
}

#[utoipa::path(get, path = "/v1/payment_links/{id}", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = shared::pay::entity::PaymentLink, description = "The payment link"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn fetch(cx: &Cx, merchant: &Merchant, id: &str) -> V1Result {
    let link = services::payment_links::owned(cx, merchant, id).await?;
    ok(&services::payment_links::entity(cx, &link).await?)
}

/// Razorpay answers `{"payment_links": […]}` here (not a collection); filters `payment_id`
/// and `reference_id`.
#[utoipa::path(get, path = "/v1/payment_links", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("reference_id" = Option<String>, Query), ("payment_id" = Option<String>, Query)),
    responses((status = 200, description = "{payment_links: [...]}"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn list(cx: &Cx, merchant: &Merchant, req: &Request) -> V1Result {
    let url = req.url().map_err(|_| RazorpayError::bad_request("The URL is not valid."))?;
    let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let get = |key: &str| query.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    let links = services::payment_links::list(cx, merchant, get("reference_id"), get("payment_id")).await?;
    ok(&json!({ "payment_links": links }))
}

/// `PATCH`: reference_id, expire_by, reminder_enable, notes, accept_partial — of an open link.
#[utoipa::path(patch, path = "/v1/payment_links/{id}", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    request_body(content = Object, description = "{reference_id, expire_by, reminder_enable, notes, accept_partial}"),
    responses((status = 200, body = shared::pay::entity::PaymentLink, description = "The payment link"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn edit(cx: &Cx, merchant: &Merchant, id: &str, body: &Map<String, Value>) -> V1Result {
    let link = services::payment_links::edit(cx, merchant, id, body).await?;
    ok(&services::payment_links::entity(cx, &link).await?)
}

#[utoipa::path(post, path = "/v1/payment_links/{id}/cancel", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = shared::pay::entity::PaymentLink, description = "The cancelled payment link"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn cancel(cx: &Cx, merchant: &Merchant, id: &str) -> V1Result {
    let link = services::payment_links::cancel(cx, merchant, id).await?;
    ok(&services::payment_links::entity(cx, &link).await?)
}

/// What the customer sees on the link's page.
#[utoipa::path(get, path = "/api/pay/links/{id}", tag = "pay",
    params(("id" = String, Path, description = "plink_…")),
    responses((status = 200, body = PaymentLinkView), (status = 404, body = shared::error::ErrorEnvelope)))]
pub async fn view(cx: &Cx, id: &str) -> ApiResult {
    let (link, owner) = services::payment_links::public(cx, id).await?;
    let expired = cx.now_ms >= link.expire_by && link.status.is_open();
    json(
        200,
        &PaymentLinkView {
            id: link.id.clone(),
            amount: link.amount,
            amount_paid: link.amount_paid,
            amount_due: link.amount - link.amount_paid,
            currency: link.currency.clone(),
            status: if expired { "expired".into() } else { link.status.as_str().into() },
            description: link.description.clone(),
            merchant_name: owner.merchant_name,
            accept_partial: link.accept_partial != 0,
            first_min_partial_amount: link.first_min_partial_amount.filter(|_| link.amount_paid == 0),
            expire_by: Timestamp(link.expire_by),
            callback_url: link.callback_url.clone(),
        },
    )
}

/// An order for the part of the link the customer pays now; the hosted checkout pays it.
#[utoipa::path(post, path = "/api/pay/links/{id}/orders", tag = "pay",
    params(("id" = String, Path, description = "plink_…")),
    request_body = PaymentLinkOrderRequest,
    responses((status = 201, body = PaymentLinkOrder), (status = 404, body = shared::error::ErrorEnvelope),
              (status = 409, description = "The link is paid, cancelled or expired", body = shared::error::ErrorEnvelope),
              (status = 422, body = shared::error::ErrorEnvelope), (status = 429, body = shared::error::ErrorEnvelope)))]
pub async fn order_for(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    rate_limit::hit(&cx.db()?, &format!("pay-checkout:ip:{}", cx.client_ip), CHECKOUT_ATTEMPTS, cx.now_ms)
        .await?;
    let (link, _) = services::payment_links::public(cx, id).await?;
    let input: PaymentLinkOrderRequest = read_json(req).await?;
    let order: PaymentLinkOrder = services::payment_links::order_for(cx, &link, input.amount).await?;
    json(201, &order)
}
