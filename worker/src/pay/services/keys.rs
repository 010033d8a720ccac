//! Merchant keys: who a `/v1` request acts for, the secrets that sign (derived from the key id
//! under PAY_SECRET, never stored), and creating and revoking keys.

use super::config;
use crate::{http::Cx, password::random, pay::store};
use shared::{
    pay::{
        ids::KeyId,
        keys::{
            derive_secret, parse_basic_auth, remember_after_read, secret_matches, verdict, KeyState, Verdict,
            KEY_STATE_TTL_MS,
        },
        wire::CreatedPayKey,
        RazorpayError,
    },
    time::Timestamp,
    ttl_cache::TtlCache,
    ApiError, ErrorCode,
};
use std::cell::RefCell;

/// Active keys a merchant may hold at once.
const MAX_ACTIVE_KEYS: i64 = 10;

/// Who a `/v1` request acts for, and with which key (payment signatures use its secret).
pub struct Merchant {
    pub id: String,
    pub key_id: String,
}

/// The keys this isolate has read lately (`KEY_STATE_TTL_MS`), so a `/v1` request with a known
/// key costs no D1 round trip. Only keys that exist are remembered: unknown ids (which anyone
/// can send to the public routes) never fill it.
const KEY_STATES_CAPACITY: usize = 1_024;

thread_local! {
    static KEY_STATES: RefCell<TtlCache<String, KeyState>> =
        RefCell::new(TtlCache::new(KEY_STATES_CAPACITY, KEY_STATE_TTL_MS));
}

/// `Authorization: Basic key_id:key_secret` of an active key, or Razorpay's 401. With
/// `public_only`, the key id alone is enough (Razorpay's public routes such as `/v1/methods`).
/// The secret is checked first, from its derivation; the key's state then comes from this
/// isolate's memory when it read it less than `KEY_STATE_TTL_MS` ago, else from D1.
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
    let secret_ok = secret_matches(&master, &key_id, &secret) || (public_only && secret.is_empty());
    let remembered = KEY_STATES.with(|states| states.borrow_mut().get(&key_id, cx.now_ms).cloned());
    let verdict = match verdict(secret_ok, remembered.as_ref().map(Some)) {
        Verdict::Look => {
            let read = store::keys::get(&cx.db()?, &key_id).await?.map(|row| match row.revoked_at {
                None => KeyState::Active { merchant_id: row.merchant_id },
                Some(_) => KeyState::Revoked,
            });
            // Revoked here while the read was on its way: it stays revoked.
            let state = KEY_STATES.with(|states| {
                let mut states = states.borrow_mut();
                let state = remember_after_read(states.get(&key_id, cx.now_ms), read);
                if let Some(state) = &state {
                    states.insert(key_id.clone(), state.clone(), cx.now_ms);
                }
                state
            });
            verdict(secret_ok, Some(state.as_ref()))
        }
        decided => decided,
    };
    match verdict {
        Verdict::Accept(id) => Ok(Merchant { id, key_id }),
        Verdict::Look | Verdict::Refuse => Err(RazorpayError::authentication_failed()),
    }
}

/// Remembers that a key was just revoked in this isolate: refused here at once, and not brought
/// back by a read of it that began before.
pub fn revoked(key_id: &str, now_ms: i64) {
    KEY_STATES.with(|states| states.borrow_mut().insert(key_id.to_owned(), KeyState::Revoked, now_ms));
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
