//! Merchant keys: who a `/v1` request acts for, the secrets that sign (derived from the key id
//! under PAY_SECRET, never stored), and creating and revoking keys.

use super::config;
use crate::{http::Cx, password::random, pay::store};
use shared::{
    pay::{
        ids::KeyId,
        keys::{derive_secret, parse_basic_auth, secret_matches},
        wire::CreatedPayKey,
        RazorpayError,
    },
    time::Timestamp,
    ApiError, ErrorCode,
};

/// Active keys a merchant may hold at once.
const MAX_ACTIVE_KEYS: i64 = 10;

/// Who a `/v1` request acts for, and with which key (payment signatures use its secret).
pub struct Merchant {
    pub id: String,
    pub key_id: String,
}

/// `Authorization: Basic key_id:key_secret` of an active key, or Razorpay's 401. With
/// `public_only`, the key id alone is enough (Razorpay's public routes such as `/v1/methods`).
pub async fn authenticate(
    cx: &Cx,
    authorization: Option<&str>,
    public_only: bool,
) -> Result<Merchant, RazorpayError> {
    let (key_id, secret) =
        authorization.and_then(parse_basic_auth).ok_or_else(RazorpayError::authentication_failed)?;
    if KeyId::parse(&key_id).is_err() {
        return Err(RazorpayError::authentication_failed());
    }
    let master = config::master_secret(&cx.env)?;
    let row = store::keys::get(&cx.db()?, &key_id).await?.filter(|k| k.revoked_at.is_none());
    // The secret is checked even for unknown keys, so timing does not tell them apart.
    let secret_ok = secret_matches(&master, &key_id, &secret) || (public_only && secret.is_empty());
    match row {
        Some(row) if secret_ok => Ok(Merchant { id: row.merchant_id, key_id }),
        _ => Err(RazorpayError::authentication_failed()),
    }
}

/// The signed-in user as a merchant (their newest active key signs what they create).
pub async fn merchant_of_user(cx: &Cx, user_id: String) -> Result<Merchant, ApiError> {
    let key_id = store::keys::newest_active(&cx.db()?, &user_id).await?;
    Ok(Merchant { id: user_id, key_id: key_id.unwrap_or_default() })
}

/// The secret of one of this deployment's keys (to sign with).
pub fn secret_of(env: &worker::Env, key_id: &str) -> Result<String, RazorpayError> {
    Ok(derive_secret(&config::master_secret(env)?, key_id))
}

/// Creates a key pair; its secret is returned this once.
pub async fn create(cx: &Cx, merchant_id: &str) -> Result<CreatedPayKey, ApiError> {
    let db = cx.db()?;
    if store::keys::count_active(&db, merchant_id).await? >= MAX_ACTIVE_KEYS {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!("You have {MAX_ACTIVE_KEYS} active keys; revoke one before creating another."),
        ));
    }
    let key_id = KeyId::new(cx.now_ms, random::<8>()?);
    store::keys::insert(&db, key_id.as_str(), merchant_id, cx.now_ms).await?;
    let key_secret = secret_of(&cx.env, key_id.as_str())?;
    Ok(CreatedPayKey { key_id: key_id.to_string(), key_secret, created_at: Timestamp(cx.now_ms) })
}
