//! `/api/pay/keys` for the signed-in Dozen user: create, list, revoke.

use crate::{
    auth::identity,
    http::{json, no_content, ApiResult, Cx},
    pay::{services, store},
};
use shared::{
    pay::wire::{CreatedPayKey, PayKeyList, PayKeyView},
    time::Timestamp,
    ApiError,
};
use worker::Request;

fn view(row: &store::keys::KeyRow) -> PayKeyView {
    PayKeyView {
        key_id: row.key_id.clone(),
        created_at: Timestamp(row.created_at),
        revoked_at: row.revoked_at.map(Timestamp),
    }
}

/// Creates a key pair; the secret is shown in this answer only.
#[utoipa::path(post, path = "/api/pay/keys", tag = "pay", security(("session" = []), ("api_key" = [])),
    responses((status = 201, body = CreatedPayKey), (status = 401, body = shared::error::ErrorEnvelope),
              (status = 409, description = "Too many active keys, or a retry of a creation (its secret is shown once)", body = shared::error::ErrorEnvelope)))]
pub async fn create(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?;
    json(201, &services::keys::create(cx, &me.user.id).await?)
}

/// The merchant's keys, newest first (never their secrets).
#[utoipa::path(get, path = "/api/pay/keys", tag = "pay", security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = PayKeyList), (status = 401, body = shared::error::ErrorEnvelope)))]
pub async fn list(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?;
    let rows = store::keys::list(&cx.db()?, &me.user.id).await?;
    json(200, &PayKeyList { items: rows.iter().map(view).collect() })
}

/// Revokes a key: `/v1` refuses it from now on. Someone else's key is a 404.
#[utoipa::path(delete, path = "/api/pay/keys/{key_id}", tag = "pay", security(("session" = []), ("api_key" = [])),
    params(("key_id" = String, Path, description = "rzp_test_…")),
    responses((status = 204), (status = 404, body = shared::error::ErrorEnvelope)))]
pub async fn revoke(req: &mut Request, cx: &Cx, key_id: &str) -> ApiResult {
    let me = identity::require(req, cx).await?;
    if !store::keys::revoke(&cx.db()?, key_id, &me.user.id, cx.now_ms).await? {
        return Err(ApiError::not_found("No active key with this id."));
    }
    services::keys::revoked(key_id, cx.now_ms);
    no_content()
}
