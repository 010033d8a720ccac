//! `/api/pay/webhooks` for the signed-in merchant: register, list, remove, and every delivery
//! with every attempt.

use crate::{
    auth::identity,
    http::{json, no_content, read_json, ApiResult, Cx},
    pay::{services, store},
};
use shared::{
    pay::wire::{DeliveryList, RegisterWebhookRequest, WebhookList, WebhookView},
    ApiError,
};
use worker::Request;

/// Registers a webhook.
#[utoipa::path(post, path = "/api/pay/webhooks", tag = "pay", security(("session" = []), ("api_key" = [])), request_body = RegisterWebhookRequest,
    responses((status = 201, body = WebhookView), (status = 401, body = shared::error::ErrorEnvelope),
              (status = 409, description = "Too many webhooks", body = shared::error::ErrorEnvelope),
              (status = 422, body = shared::error::ErrorEnvelope)))]
pub async fn register(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?;
    let input: RegisterWebhookRequest = read_json(req).await?;
    let view: WebhookView = services::webhooks::register(cx, &me.user.id, &input).await?;
    json(201, &view)
}

/// The merchant's webhooks (never their secrets).
#[utoipa::path(get, path = "/api/pay/webhooks", tag = "pay", security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = WebhookList), (status = 401, body = shared::error::ErrorEnvelope)))]
pub async fn list(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?;
    let rows = store::webhooks::list(&cx.db()?, &me.user.id).await?;
    json(200, &WebhookList { items: rows.iter().map(services::webhooks::view).collect() })
}

/// Removes a webhook: nothing more is sent to it. Someone else's is a 404.
#[utoipa::path(delete, path = "/api/pay/webhooks/{id}", tag = "pay", security(("session" = []), ("api_key" = [])),
    params(("id" = String, Path, description = "wh_…")),
    responses((status = 204), (status = 404, body = shared::error::ErrorEnvelope)))]
pub async fn remove(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let me = identity::require(req, cx).await?;
    if !store::webhooks::remove(&cx.db()?, &me.user.id, id).await? {
        return Err(ApiError::not_found("No webhook with this id."));
    }
    no_content()
}

/// The newest 50 deliveries of a webhook, each with its attempts.
#[utoipa::path(get, path = "/api/pay/webhooks/{id}/deliveries", tag = "pay", security(("session" = []), ("api_key" = [])),
    params(("id" = String, Path, description = "wh_…")),
    responses((status = 200, body = DeliveryList), (status = 404, body = shared::error::ErrorEnvelope)))]
pub async fn deliveries(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let me = identity::require(req, cx).await?;
    let items = services::webhooks::deliveries(cx, &me.user.id, id)
        .await?
        .ok_or_else(|| ApiError::not_found("No webhook with this id."))?;
    json(200, &DeliveryList { items })
}
