//! Web Push for chats (`/api/chat/push/…`): the server's VAPID public key, each browser's
//! subscription, and the pushes themselves. A message appended to a conversation is pushed to
//! every other member whom no live socket reached (`hub::fan_out` says who), on each of their
//! subscriptions, after the response (`wait_until`): the payload encrypted for that browser
//! (RFC 8291, `aes128gcm`), the sender identified with VAPID (RFC 8292). A push service that
//! answers 404 or 410 has forgotten the subscription, and so do we.
//!
//! The VAPID private key is the Worker secret `VAPID_PRIVATE_KEY` (the 32-byte P-256 scalar,
//! base64url; `.dev.vars` under `wrangler dev`); `VAPID_SUBJECT` is the contact push services
//! are given.

use crate::{
    auth::identity,
    chat::store::{conversations as conversations_store, push as store},
    http::{internal, json, no_content, read_json, ApiResult, Cx, OrInternal},
    platform::{random_bytes, secret},
};
use futures_util::future::join_all;
use shared::{
    chat::{
        push::{
            b64url,
            ece::{self, EceError},
            notice,
            vapid::Vapid,
            NoticeOf, PushEndpoint, PushKey, PushSubscription, PushSubscriptionList,
        },
        wire::MessageFrame,
    },
    error::ErrorEnvelope,
    url_parts, ApiError, ErrorCode,
};
use worker::{Env, Fetch, Headers, Method, Request, RequestInit};

/// The most subscriptions (browsers) a person has.
const MAX_SUBSCRIPTIONS: i64 = 20;
/// How long a push service keeps a push for a browser that is offline: a day.
const TTL_SECS: u32 = 24 * 60 * 60;
/// Who runs this server, for push services, when `VAPID_SUBJECT` is not set.
const DEFAULT_SUBJECT: &str = "mailto:admin@example.com";

/// The server's VAPID key pair, from `VAPID_PRIVATE_KEY`: 503 when it is not set up.
fn vapid(env: &Env) -> Result<Vapid, ApiError> {
    let unavailable =
        || ApiError::new(ErrorCode::Unavailable, "Push notifications are not set up on this server.");
    let key = secret(env, "VAPID_PRIVATE_KEY").map_err(|_| unavailable())?;
    let key = String::from_utf8(key).map_err(|_| unavailable())?;
    Vapid::from_private(&key).map_err(|err| {
        let _ = internal("VAPID_PRIVATE_KEY", err);
        unavailable()
    })
}

fn subject(env: &Env) -> String {
    secret(env, "VAPID_SUBJECT")
        .ok()
        .and_then(|s| String::from_utf8(s).ok())
        .filter(|s| s.starts_with("mailto:") || s.starts_with("https:"))
        .unwrap_or_else(|| DEFAULT_SUBJECT.to_owned())
}

/// Under `wrangler dev` a push service on this machine may be plain http (the e2e receiver).
fn loopback_http(env: &Env) -> bool {
    crate::links::config::is_local(env)
}

/// The server's VAPID public key: the `applicationServerKey` a page subscribes with.
#[utoipa::path(get, path = "/api/chat/push/key", tag = "chat",
    responses((status = 200, body = PushKey), (status = 503, body = ErrorEnvelope)))]
pub async fn key(_req: &mut Request, cx: &Cx) -> ApiResult {
    json(200, &PushKey { public_key: vapid(&cx.env)?.public_key_b64() })
}

/// Subscribes this browser to pushes of the caller's chats: the browser's
/// `PushSubscription.toJSON()` (an https endpoint; `keys.p256dh`, the 65-byte P-256 key, and
/// `keys.auth`, 16 bytes, base64url) and optionally the `device`. The same endpoint again
/// updates it (200).
#[utoipa::path(post, path = "/api/chat/push/subscriptions", tag = "chat", request_body = PushSubscription,
    security(("session" = []), ("api_key" = [])),
    responses((status = 201, body = PushSubscription), (status = 200, body = PushSubscription, description = "Already subscribed: updated"),
              (status = 401, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn subscribe(req: &mut Request, cx: &Cx) -> ApiResult {
    let identity = identity::require(req, cx).await?;
    let me = &identity.user;
    let subscription = read_json::<PushSubscription>(req).await?;
    subscription.check(url_parts::parse, loopback_http(&cx.env))?;
    let point = b64url(&subscription.keys.p256dh).unwrap_or_default();
    ece::receiver_key(&point)
        .map_err(|_| ApiError::invalid("keys.p256dh", "keys.p256dh is not a point on the P-256 curve."))?;
    let db = cx.db()?;
    let saved =
        store::save(&db, &me.id, &identity.credential, &subscription, MAX_SUBSCRIPTIONS, cx.now_ms).await?;
    match saved {
        store::Saved::Created => json(201, &subscription),
        store::Saved::Updated => json(200, &subscription),
        store::Saved::Refused
            if !store::is_theirs(&db, &me.id, &subscription.endpoint).await?
                && store::count_of(&db, &me.id).await? >= MAX_SUBSCRIPTIONS =>
        {
            Err(ApiError::new(
                ErrorCode::Conflict,
                format!("A person has at most {MAX_SUBSCRIPTIONS} push subscriptions: remove one first."),
            ))
        }
        store::Saved::Refused => Err(ApiError::new(
            ErrorCode::Conflict,
            "This endpoint is subscribed with other keys: subscribe the browser anew.",
        )),
    }
}

/// The caller's subscriptions: a page asks whether its browser's is among them and reached
/// (signed out and in again, or another person's sign-in, it is not until subscribed again).
#[utoipa::path(get, path = "/api/chat/push/subscriptions", tag = "chat",
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = PushSubscriptionList), (status = 401, body = ErrorEnvelope)))]
pub async fn subscriptions(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    json(200, &PushSubscriptionList { items: store::of_user(&cx.db()?, &me.id, cx.now_ms).await? })
}

/// Unsubscribes a browser of the caller's: the `PushSubscription` JSON again, or just its
/// `endpoint`.
#[utoipa::path(delete, path = "/api/chat/push/subscriptions", tag = "chat", request_body = PushEndpoint,
    security(("session" = []), ("api_key" = [])),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
              (status = 422, body = ErrorEnvelope)))]
pub async fn unsubscribe(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let gone = read_json::<PushEndpoint>(req).await?;
    if !store::remove(&cx.db()?, &me.id, &gone.endpoint).await? {
        return Err(ApiError::not_found("No such push subscription of yours."));
    }
    no_content()
}

/// A message just appended, and who of its conversation's other members no live socket
/// reached.
pub struct Sent {
    pub sender_id: String,
    pub message: MessageFrame,
    pub unreached: Vec<String>,
    pub now_ms: i64,
}

impl Sent {
    /// `unreached` without the sender (whose own devices need no notification).
    pub fn new(sender_id: &str, message: &MessageFrame, unreached: Vec<String>, now_ms: i64) -> Self {
        let unreached = unreached.into_iter().filter(|id| id != sender_id).collect();
        Self { sender_id: sender_id.to_owned(), message: message.clone(), unreached, now_ms }
    }
}

/// Pushes a message to the subscriptions of those it did not reach live (for `wait_until`:
/// failures are logged, and a push that cannot be sent is simply not sent).
pub async fn notify(env: Env, sent: Sent) {
    if sent.unreached.is_empty() {
        return;
    }
    if let Err(err) = push(&env, &sent).await {
        let _ = internal("chat push", err.message);
    }
}

async fn push(env: &Env, sent: &Sent) -> Result<(), ApiError> {
    let db = env.d1("DB").internal("D1 binding")?;
    let subscriptions = store::of_recipients(&db, &sent.sender_id, &sent.unreached, sent.now_ms).await?;
    if subscriptions.is_empty() {
        return Ok(());
    }
    let vapid = vapid(env)?;
    let subject = subject(env);
    let conversation = conversations_store::get(&db, &sent.message.conversation)
        .await?
        .ok_or_else(|| ApiError::not_found("No such conversation."))?;
    let of = NoticeOf {
        id: &conversation.id,
        group: (conversation.kind == "group").then_some(conversation.title.as_str()),
        encrypted: conversation.encrypted != 0,
    };
    let payload = serde_json::to_vec(&notice(&of, &sent.message)).internal("a push's payload")?;
    let sends = subscriptions.iter().map(|subscription| async {
        let endpoint = &subscription.endpoint;
        match send(&vapid, &subject, subscription, &payload, sent.now_ms).await {
            Ok(404 | 410) => {
                if let Err(err) = store::forget_gone(&db, endpoint, &subscription.p256dh).await {
                    let _ = internal("forgetting a gone push subscription", err.message);
                }
            }
            Ok(status) if (200..300).contains(&status) => {}
            Ok(status) => {
                let _ = internal("a push", format!("the push service answered {status}"));
            }
            Err(err) => {
                let _ = internal("a push", err);
            }
        }
    });
    join_all(sends).await;
    Ok(())
}

/// Encrypts the payload for one subscription and POSTs it to its push service; the status.
async fn send(
    vapid: &Vapid,
    subject: &str,
    subscription: &store::SubscriptionRow,
    payload: &[u8],
    now_ms: i64,
) -> Result<u16, String> {
    let ua_public = b64url(&subscription.p256dh).ok_or("a stored key that is not base64url")?;
    let auth = b64url(&subscription.auth).ok_or("a stored secret that is not base64url")?;
    let random = || -> Result<([u8; 32], [u8; 16]), String> {
        let ephemeral = random_bytes::<32>().map_err(|_| "no random bytes")?;
        let salt = random_bytes::<16>().map_err(|_| "no random bytes")?;
        Ok((ephemeral, salt))
    };
    let (ephemeral, salt) = random()?;
    let body = match ece::encrypt(payload, &ua_public, &auth, &ephemeral, &salt) {
        // 32 random bytes above the group order: one chance in 2^32; draw once more.
        Err(EceError::SenderKey) => {
            let (ephemeral, salt) = random()?;
            ece::encrypt(payload, &ua_public, &auth, &ephemeral, &salt)
        }
        other => other,
    }
    .map_err(|err| err.to_string())?;
    let authorization =
        vapid.authorization(&subscription.endpoint, subject, now_ms).map_err(|err| err.to_string())?;
    let headers = Headers::new();
    let ttl = TTL_SECS.to_string();
    for (name, value) in [
        ("TTL", ttl.as_str()),
        ("Urgency", "high"),
        ("Content-Encoding", "aes128gcm"),
        ("Content-Type", "application/octet-stream"),
        ("Authorization", authorization.as_str()),
    ] {
        headers.set(name, value).map_err(|err| err.to_string())?;
    }
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_body(Some(js_sys::Uint8Array::from(body.as_slice()).into()));
    let request = Request::new_with_init(&subscription.endpoint, &init).map_err(|err| err.to_string())?;
    let response = Fetch::Request(request).send().await.map_err(|err| err.to_string())?;
    Ok(response.status_code())
}
