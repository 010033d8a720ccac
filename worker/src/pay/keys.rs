//! Merchant keys: `/api/pay/keys` for the signed-in Dozen user (create, list, revoke), and
//! HTTP Basic authentication of `/v1` requests with them.

use crate::{
    auth::identity,
    d1::{all, count, num, run, text},
    http::{header, json, no_content, ApiResult, Cx},
    password::random,
    pay::{config, store},
};
use shared::{
    pay::{
        ids::KeyId,
        keys::{derive_secret, parse_basic_auth, secret_matches},
        wire::{CreatedPayKey, PayKeyList, PayKeyView},
        RazorpayError,
    },
    time::Timestamp,
    ApiError, ErrorCode,
};
use worker::Request;

/// Active keys a merchant may hold at once.
const MAX_ACTIVE_KEYS: i64 = 10;

/// Who a `/v1` request acts for, and with which key (payment signatures use its secret).
pub struct Merchant {
    pub id: String,
    pub key_id: String,
}

/// `Authorization: Basic key_id:key_secret` of an active key, or Razorpay's 401. With
/// `public_only`, the key id alone is enough (Razorpay's public routes such as `/v1/methods`).
pub async fn authenticate(req: &Request, cx: &Cx, public_only: bool) -> Result<Merchant, RazorpayError> {
    let (key_id, secret) = header(req, "Authorization")
        .and_then(|h| parse_basic_auth(&h))
        .ok_or_else(RazorpayError::authentication_failed)?;
    if KeyId::parse(&key_id).is_err() {
        return Err(RazorpayError::authentication_failed());
    }
    let master = config::master_secret(&cx.env)?;
    let row = store::key(&cx.db()?, &key_id).await?.filter(|k| k.revoked_at.is_none());
    // The secret is checked even for unknown keys, so timing does not tell them apart.
    let secret_ok = secret_matches(&master, &key_id, &secret) || (public_only && secret.is_empty());
    match row {
        Some(row) if secret_ok => Ok(Merchant { id: row.merchant_id, key_id }),
        _ => Err(RazorpayError::authentication_failed()),
    }
}

/// The secret of one of this deployment's keys (to sign with).
pub fn secret_of(env: &worker::Env, key_id: &str) -> Result<String, RazorpayError> {
    Ok(derive_secret(&config::master_secret(env)?, key_id))
}

fn view(row: &store::KeyRow) -> PayKeyView {
    PayKeyView {
        key_id: row.key_id.clone(),
        created_at: Timestamp(row.created_at),
        revoked_at: row.revoked_at.map(Timestamp),
    }
}

/// Creates a key pair; the secret is shown in this answer only.
#[utoipa::path(post, path = "/api/pay/keys", tag = "pay", security(("session" = []), ("api_key" = [])),
    responses((status = 201, body = CreatedPayKey), (status = 401, body = shared::error::ErrorEnvelope),
              (status = 409, description = "Too many active keys", body = shared::error::ErrorEnvelope)))]
pub async fn create(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?;
    let db = cx.db()?;
    let active = count(
        &db,
        "SELECT COUNT(*) AS n FROM pay_keys WHERE merchant_id = ?1 AND revoked_at IS NULL",
        &[text(&me.user.id)],
    )
    .await?;
    if active >= MAX_ACTIVE_KEYS {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!("You have {MAX_ACTIVE_KEYS} active keys; revoke one before creating another."),
        ));
    }
    let key_id = KeyId::new(cx.now_ms, random::<8>()?);
    run(
        &db,
        "INSERT INTO pay_keys (key_id, merchant_id, created_at) VALUES (?1, ?2, ?3)",
        &[text(key_id.as_str()), text(&me.user.id), num(cx.now_ms)],
    )
    .await?;
    let key_secret = secret_of(&cx.env, key_id.as_str())?;
    json(201, &CreatedPayKey { key_id: key_id.to_string(), key_secret, created_at: Timestamp(cx.now_ms) })
}

/// The merchant's keys, newest first (never their secrets).
#[utoipa::path(get, path = "/api/pay/keys", tag = "pay", security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = PayKeyList), (status = 401, body = shared::error::ErrorEnvelope)))]
pub async fn list(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?;
    let rows: Vec<store::KeyRow> = all(
        &cx.db()?,
        "SELECT * FROM pay_keys WHERE merchant_id = ?1 ORDER BY created_at DESC, key_id DESC",
        &[text(&me.user.id)],
    )
    .await?;
    json(200, &PayKeyList { items: rows.iter().map(view).collect() })
}

/// Revokes a key: `/v1` refuses it from now on. Someone else's key is a 404.
#[utoipa::path(delete, path = "/api/pay/keys/{key_id}", tag = "pay", security(("session" = []), ("api_key" = [])),
    params(("key_id" = String, Path, description = "rzp_test_…")),
    responses((status = 204), (status = 404, body = shared::error::ErrorEnvelope)))]
pub async fn revoke(req: &mut Request, cx: &Cx, key_id: &str) -> ApiResult {
    let me = identity::require(req, cx).await?;
    let changed = run(
        &cx.db()?,
        "UPDATE pay_keys SET revoked_at = ?3 WHERE key_id = ?1 AND merchant_id = ?2 AND revoked_at IS NULL",
        &[text(key_id), text(&me.user.id), num(cx.now_ms)],
    )
    .await?;
    if changed == 0 {
        return Err(ApiError::not_found("No active key with this id."));
    }
    no_content()
}
