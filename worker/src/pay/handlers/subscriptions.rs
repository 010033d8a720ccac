//! Subscriptions: `/v1/subscriptions` for the merchant (create, fetch, list, cancel, pause,
//! resume) and the customer's authorization page.

use super::respond::{ok, V1Result};
use crate::{
    http::{json, read_json, ApiResult, Cx},
    pay::services::{self, keys::Merchant},
    rate_limit,
};
use serde_json::{Map, Value};
use shared::{
    pay::{
        entity::Collection,
        limits::CHECKOUT_ATTEMPTS,
        list::ListQuery,
        subscription::NewSubscription,
        wire::{CheckoutPayRequest, CheckoutResult, SubscriptionView},
    },
    time::Timestamp,
    ApiError, ErrorCode,
};
use worker::Request;

#[utoipa::path(post, path = "/v1/subscriptions", tag = "pay-v1", security(("razorpay_key" = [])),
    request_body(content = Object, description = "{plan_id, total_count, quantity, start_at, expire_by, customer_id, customer_notify, notes}"),
    responses((status = 200, body = shared::pay::entity::Subscription, description = "The subscription"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn create(cx: &Cx, merchant: &Merchant, body: &Map<String, Value>) -> V1Result {
    let new = NewSubscription::parse(body, cx.now_ms)?;
    let sub = services::subscriptions::create(cx, merchant, &new).await?;
    ok(&services::subscriptions::entity(cx, merchant, &sub).await?)
}

#[utoipa::path(get, path = "/v1/subscriptions/{id}", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = shared::pay::entity::Subscription, description = "The subscription"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn fetch(cx: &Cx, merchant: &Merchant, id: &str) -> V1Result {
    let sub = services::subscriptions::owned(cx, merchant, id).await?;
    ok(&services::subscriptions::entity(cx, merchant, &sub).await?)
}

#[utoipa::path(get, path = "/v1/subscriptions", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("count" = Option<i64>, Query), ("skip" = Option<i64>, Query), ("from" = Option<i64>, Query, description = "unix seconds"), ("to" = Option<i64>, Query, description = "unix seconds")),
    responses((status = 200, description = "A collection of subscriptions"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn list(cx: &Cx, merchant: &Merchant, query: &ListQuery) -> V1Result {
    ok(&Collection::new(services::subscriptions::list(cx, merchant, query).await?))
}

/// `cancel_at_cycle_end: 1` keeps it running to the end of the paid cycle; otherwise now.
#[utoipa::path(post, path = "/v1/subscriptions/{id}/cancel", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    request_body(content = Object, description = "{cancel_at_cycle_end: 0 | 1}"),
    responses((status = 200, body = shared::pay::entity::Subscription, description = "The subscription"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn cancel(cx: &Cx, merchant: &Merchant, id: &str, body: &Map<String, Value>) -> V1Result {
    let at_cycle_end = matches!(body.get("cancel_at_cycle_end"), Some(Value::Bool(true)))
        || body.get("cancel_at_cycle_end").and_then(Value::as_i64) == Some(1)
        || body.get("cancel_at_cycle_end").and_then(Value::as_str) == Some("1");
    let sub = services::subscriptions::cancel(cx, merchant, id, at_cycle_end).await?;
    ok(&services::subscriptions::entity(cx, merchant, &sub).await?)
}

#[utoipa::path(post, path = "/v1/subscriptions/{id}/pause", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = shared::pay::entity::Subscription, description = "The paused subscription"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn pause(cx: &Cx, merchant: &Merchant, id: &str) -> V1Result {
    let sub = services::subscriptions::pause(cx, merchant, id).await?;
    ok(&services::subscriptions::entity(cx, merchant, &sub).await?)
}

/// Resumes billing; a charge that fell due while paused is made on the next run.
#[utoipa::path(post, path = "/v1/subscriptions/{id}/resume", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = shared::pay::entity::Subscription, description = "The resumed subscription"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn resume(cx: &Cx, merchant: &Merchant, id: &str) -> V1Result {
    let sub = services::subscriptions::resume(cx, merchant, id).await?;
    ok(&services::subscriptions::entity(cx, merchant, &sub).await?)
}

/// What the customer is asked to authorize.
#[utoipa::path(get, path = "/api/pay/subscriptions/{id}", tag = "pay",
    params(("id" = String, Path, description = "sub_…")),
    responses((status = 200, body = SubscriptionView), (status = 404, body = shared::error::ErrorEnvelope)))]
pub async fn view(cx: &Cx, id: &str) -> ApiResult {
    let (sub, plan, owner) = services::subscriptions::public(cx, id).await?;
    json(
        200,
        &SubscriptionView {
            id: sub.id.clone(),
            status: sub.status.as_str().into(),
            merchant_name: owner.merchant_name,
            plan_name: plan.item_name.clone(),
            plan_description: plan.item_description.clone(),
            amount: plan.amount * sub.quantity,
            currency: plan.currency.clone(),
            period: plan.period.as_str().into(),
            interval: plan.interval,
            total_count: sub.total_count,
            paid_count: sub.paid_count,
            start_at: sub.requested_start.map(Timestamp),
            expire_by: Timestamp(sub.expire_by),
        },
    )
}

/// The customer authorizes the subscription with an instrument: the first cycle is charged
/// now, or — with a later `start_at` — ₹1 is authorized and released at once.
#[utoipa::path(post, path = "/api/pay/subscriptions/{id}/authorize", tag = "pay",
    params(("id" = String, Path, description = "sub_…")),
    request_body = CheckoutPayRequest,
    responses((status = 200, body = CheckoutResult), (status = 404, body = shared::error::ErrorEnvelope),
              (status = 409, body = shared::error::ErrorEnvelope), (status = 422, body = shared::error::ErrorEnvelope),
              (status = 429, body = shared::error::ErrorEnvelope)))]
pub async fn authorize(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    rate_limit::hit(&cx.db()?, &format!("pay-checkout:ip:{}", cx.client_ip), CHECKOUT_ATTEMPTS, cx.now_ms)
        .await?;
    let (sub, plan, _) = services::subscriptions::public(cx, id).await?;
    sub.status.authorize().map_err(ApiError::from)?;
    if cx.now_ms >= sub.expire_by {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "This subscription's authorization window has passed.",
        ));
    }
    let input: CheckoutPayRequest = read_json(req).await?;
    let answer: CheckoutResult = services::subscriptions::authorize(cx, &sub, &plan, input).await?;
    json(200, &answer)
}
