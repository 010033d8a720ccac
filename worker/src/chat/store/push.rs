//! `chat_push_subscriptions`: each browser's Web Push subscription (its endpoint, and the keys
//! its pushes are encrypted for), the person it belongs to and their device.

use crate::{
    auth::identity::Credential,
    d1::{all, count, first, num, opt_num, opt_text, run, text},
};
use serde::Deserialize;
use shared::{
    chat::push::{PushSubscription, PushSubscriptionView},
    ApiError,
};
use worker::D1Database;

/// A subscription as a push needs it.
#[derive(Deserialize)]
pub struct SubscriptionRow {
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
}

/// What a subscribe did.
#[derive(Debug, PartialEq, Eq)]
pub enum Saved {
    /// New for this person (a browser's subscription that was another person's moves with
    /// whoever now holds it, keys and all).
    Created,
    /// This person's already: its keys and device brought up to date.
    Updated,
    /// Another person's, with other keys: left alone.
    Refused,
}

/// Saves `user_id`'s subscription (see [`Saved`]).
pub async fn save(
    db: &D1Database,
    user_id: &str,
    credential: &Credential,
    subscription: &PushSubscription,
    max_subscriptions: i64,
    now_ms: i64,
) -> Result<Saved, ApiError> {
    let (session_hash, api_key_id) = match credential {
        Credential::Session { token_hash } => (Some(token_hash.as_str()), None),
        Credential::ApiKey { key_id } => (None, Some(key_id.as_str())),
    };
    #[derive(Deserialize)]
    struct Owner {
        user_id: String,
    }
    let before: Option<Owner> = first(
        db,
        "SELECT user_id FROM chat_push_subscriptions WHERE endpoint = ?1",
        &[text(&subscription.endpoint)],
    )
    .await?;
    // Subscriptions whose sign-in ended get nothing: they go, so they take no place (a browser
    // that is signed in again subscribes again).
    let ended = format!(
        "DELETE FROM chat_push_subscriptions AS s WHERE s.user_id = ?1 AND NOT ({})",
        SIGNED_IN.replace("?NOW", "?2")
    );
    run(db, &ended, &[text(user_id), num(now_ms)]).await?;
    // Whoever presents the endpoint with its very keys holds that browser's subscription; an
    // endpoint with other keys is not theirs to take. The person's other subscriptions are
    // counted by the insert itself (two new ones at once cannot both take the last place).
    let changed = run(
        db,
        "INSERT INTO chat_push_subscriptions (endpoint, user_id, device_id, p256dh, auth, expires_at, created_at, updated_at, \
           session_hash, api_key_id) \
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?9 \
         WHERE (SELECT COUNT(*) FROM chat_push_subscriptions WHERE user_id = ?2 AND endpoint <> ?1) < ?10 \
         ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id, device_id = excluded.device_id, \
           p256dh = excluded.p256dh, auth = excluded.auth, expires_at = excluded.expires_at, updated_at = excluded.updated_at, \
           session_hash = excluded.session_hash, api_key_id = excluded.api_key_id \
         WHERE chat_push_subscriptions.user_id = excluded.user_id \
           OR (chat_push_subscriptions.p256dh = excluded.p256dh AND chat_push_subscriptions.auth = excluded.auth)",
        &[
            text(&subscription.endpoint),
            text(user_id),
            opt_text(subscription.device.as_deref()),
            text(&subscription.keys.p256dh),
            text(&subscription.keys.auth),
            opt_num(subscription.expires_at()),
            num(now_ms),
            opt_text(session_hash),
            opt_text(api_key_id),
            num(max_subscriptions),
        ],
    )
    .await?;
    Ok(match (changed, before) {
        (0, _) => Saved::Refused,
        (_, Some(owner)) if owner.user_id == user_id => Saved::Updated,
        _ => Saved::Created,
    })
}

/// Whether a subscription's sign-in still holds at `?NOW` (SQL over `s`, the subscription).
const SIGNED_IN: &str = "(s.expires_at IS NULL OR s.expires_at > ?NOW) \
     AND (s.session_hash IS NULL OR EXISTS (SELECT 1 FROM auth_sessions a \
       WHERE a.token_hash = s.session_hash AND a.user_id = s.user_id AND a.expires_at > ?NOW)) \
     AND (s.api_key_id IS NULL OR EXISTS (SELECT 1 FROM auth_api_keys k \
       WHERE k.id = s.api_key_id AND k.user_id = s.user_id))";

/// A person's subscriptions, newest first, and whether each is reached.
pub async fn of_user(
    db: &D1Database,
    user_id: &str,
    now_ms: i64,
) -> Result<Vec<PushSubscriptionView>, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        endpoint: String,
        device_id: Option<String>,
        active: i64,
    }
    let query = format!(
        "SELECT s.endpoint, s.device_id, CASE WHEN {} THEN 1 ELSE 0 END AS active \
         FROM chat_push_subscriptions s WHERE s.user_id = ?1 ORDER BY s.updated_at DESC, s.endpoint",
        SIGNED_IN.replace("?NOW", "?2")
    );
    let rows: Vec<Row> = all(db, &query, &[text(user_id), num(now_ms)]).await?;
    Ok(rows
        .into_iter()
        .map(|r| PushSubscriptionView { endpoint: r.endpoint, device: r.device_id, active: r.active != 0 })
        .collect())
}

/// How many subscriptions a person has.
pub async fn count_of(db: &D1Database, user_id: &str) -> Result<i64, ApiError> {
    count(db, "SELECT COUNT(*) AS n FROM chat_push_subscriptions WHERE user_id = ?1", &[text(user_id)]).await
}

/// Whether `endpoint` is one of `user_id`'s subscriptions.
pub async fn is_theirs(db: &D1Database, user_id: &str, endpoint: &str) -> Result<bool, ApiError> {
    Ok(count(
        db,
        "SELECT COUNT(*) AS n FROM chat_push_subscriptions WHERE endpoint = ?1 AND user_id = ?2",
        &[text(endpoint), text(user_id)],
    )
    .await?
        > 0)
}

/// Forgets one of `user_id`'s subscriptions; whether it was there.
pub async fn remove(db: &D1Database, user_id: &str, endpoint: &str) -> Result<bool, ApiError> {
    Ok(run(
        db,
        "DELETE FROM chat_push_subscriptions WHERE endpoint = ?1 AND user_id = ?2",
        &[text(endpoint), text(user_id)],
    )
    .await?
        == 1)
}

/// Forgets a subscription its push service says is gone (404, 410), whoever's it was; with
/// the keys it was sent under, so one made anew meanwhile stays.
pub async fn forget_gone(db: &D1Database, endpoint: &str, p256dh: &str) -> Result<(), ApiError> {
    run(
        db,
        "DELETE FROM chat_push_subscriptions WHERE endpoint = ?1 AND p256dh = ?2",
        &[text(endpoint), text(p256dh)],
    )
    .await
    .map(drop)
}

/// The subscriptions, not expired and still signed in at `now_ms`, of those of `user_ids` who do not block
/// `sender_id`: where a message from the sender is pushed.
pub async fn of_recipients(
    db: &D1Database,
    sender_id: &str,
    user_ids: &[String],
    now_ms: i64,
) -> Result<Vec<SubscriptionRow>, ApiError> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids = serde_json::to_string(user_ids).unwrap_or_else(|_| "[]".to_owned());
    let query = format!(
        "SELECT s.endpoint, s.p256dh, s.auth FROM chat_push_subscriptions s \
         WHERE s.user_id IN (SELECT value FROM json_each(?1)) \
           AND {} \
           AND NOT EXISTS (SELECT 1 FROM chat_contacts c WHERE \
             (c.a_id = s.user_id AND c.b_id = ?2 AND c.a_blocks <> 0) \
             OR (c.b_id = s.user_id AND c.a_id = ?2 AND c.b_blocks <> 0)) \
         LIMIT 2000",
        SIGNED_IN.replace("?NOW", "?3")
    );
    all(db, &query, &[text(&ids), text(sender_id), num(now_ms)]).await
}
