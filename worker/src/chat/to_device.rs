//! `/api/chat/conversations/{id}/to-device` and `/api/chat/devices/{device}/inbox`: the
//! to-device inbox of encrypted conversations (`shared::chat::e2ee::to_device`). A device
//! queues envelopes sealed for members' devices (sender keys, above all) outside the
//! conversation's log; each device reads its own inbox and acknowledges what it holds.

use crate::{
    auth::identity,
    chat::{
        conversations::member_of,
        messages::may_post,
        store::{
            keys as keys_store,
            to_device::{self as store, Addressed},
        },
    },
    http::{json, no_content, query_pairs, read_json, read_json_up_to, ApiResult, Cx, OrInternal},
    rate_limit,
};
use shared::rate_limit::RateLimit;
use shared::{
    auth::validation::normalize_username,
    chat::e2ee::{
        keys::device_id,
        to_device::{
            page, SendToDevice, ToDeviceAck, ToDeviceList, ToDeviceQueued, KEPT_MS, MAX_REQUEST_BYTES,
        },
    },
    error::ErrorEnvelope,
    ApiError, ErrorCode,
};
use std::collections::HashSet;
use worker::{D1Database, Env, Request};

/// A device hands its chain over once per member device and generation: far fewer requests
/// than this, which bounds what one person can pour into others' inboxes.
const SENDS: RateLimit = RateLimit { limit: 120, window_secs: 3_600 };
/// Envelopes from one person that may wait, unacknowledged, for one device.
const MAX_WAITING_FROM_ONE: i64 = 1_000;

/// Queues envelopes from one of the caller's devices for members' devices, all or none: every
/// one is checked (a member, a published device of theirs, an envelope sealed by the sending
/// device) before any is kept. Across a block in a direct conversation, as a message would be,
/// nothing is.
#[utoipa::path(post, path = "/api/chat/conversations/{id}/to-device", tag = "chat", params(("id" = String, Path)),
    request_body = SendToDevice, security(("session" = []), ("api_key" = [])),
    responses((status = 201, body = ToDeviceQueued), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
              (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope),
              (status = 413, body = ErrorEnvelope, description = "The body is larger than 2 MiB"),
              (status = 422, body = ErrorEnvelope),
              (status = 429, body = ErrorEnvelope, description = "Too many requests, or too much waiting for a device; see Retry-After")))]
pub async fn send(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let body = read_json_up_to::<SendToDevice>(req, MAX_REQUEST_BYTES).await?;
    let db = cx.db()?;
    let (conversation, members) = member_of(&db, id, &me.id).await?;
    if conversation.encrypted == 0 {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "This conversation is not end-to-end encrypted: its devices have no keys to hand each other.",
        ));
    }
    let devices = keys_store::of_members(&db, &conversation.id).await?;
    let published: HashSet<(&str, &str)> = devices.iter().map(|(u, d)| (u.as_str(), d.as_str())).collect();
    // First, so that a device that never published hears what to do about it, whatever else.
    if !published.contains(&(me.id.as_str(), body.from_device.as_str())) {
        return Err(ApiError::invalid(
            "from_device",
            "Publish this device's keys first: envelopes come from a device others can answer.",
        ));
    }
    body.check()?;
    may_post(&db, &conversation, &members, &me.id).await?;
    let mut envelopes = Vec::with_capacity(body.messages.len());
    for (i, message) in body.messages.iter().enumerate() {
        let name = normalize_username(&message.username).unwrap_or_default();
        let member = members.iter().find(|m| m.username == name).ok_or_else(|| {
            ApiError::invalid(&format!("messages[{i}].username"), "They are not in this conversation.")
        })?;
        if !published.contains(&(member.user_id.as_str(), message.device.as_str())) {
            return Err(ApiError::invalid(
                &format!("messages[{i}].device"),
                "They have no such device (it may have been forgotten): fetch their keys again.",
            ));
        }
        envelopes.push(Addressed {
            recipient_id: &member.user_id,
            device: &message.device,
            body: &message.body,
        });
    }
    rate_limit::hit(&db, &format!("chat-to-device:user:{}", me.id), SENDS, cx.now_ms).await?;
    if store::most_waiting_after(&db, &me.id, &envelopes).await? > MAX_WAITING_FROM_ONE {
        return Err(ApiError::new(
            ErrorCode::RateLimited,
            "Too much from you is waiting for one of these devices; try again once it has read its inbox.",
        ));
    }
    let queued =
        store::queue(&db, &conversation.id, &me.id, &body.from_device, &envelopes, cx.now_ms).await?;
    json(201, &ToDeviceQueued { queued: u32::try_from(queued).unwrap_or(u32::MAX) })
}

/// What waits for one of the caller's devices, oldest first: envelopes after `after` (the last
/// id it holds). They stay until acknowledged, so reading twice reads them twice.
#[utoipa::path(get, path = "/api/chat/devices/{device}/inbox", tag = "chat",
    params(("device" = String, Path), ("after" = Option<u64>, Query, description = "The last id the device holds; default 0"),
           ("limit" = Option<u32>, Query, description = "1–500, default 100")),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = ToDeviceList), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
              (status = 422, body = ErrorEnvelope)))]
pub async fn inbox(req: &mut Request, cx: &Cx, device: &str) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let db = cx.db()?;
    let device = own_device(&db, &me.id, device).await?;
    let query = query_pairs(req);
    let param = |name: &str| query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let page = page(param("after"), param("limit"))?;
    let items = store::page(&db, &me.id, device, page.after, page.limit).await?;
    json(200, &ToDeviceList { items })
}

/// The device holds every envelope up to `up_to`: they are forgotten.
#[utoipa::path(post, path = "/api/chat/devices/{device}/inbox/ack", tag = "chat", params(("device" = String, Path)),
    request_body = ToDeviceAck, security(("session" = []), ("api_key" = [])),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
              (status = 422, body = ErrorEnvelope)))]
pub async fn acknowledge(req: &mut Request, cx: &Cx, device: &str) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let body = read_json::<ToDeviceAck>(req).await?;
    let db = cx.db()?;
    let device = own_device(&db, &me.id, device).await?;
    store::acknowledge(&db, &me.id, device, body.up_to).await?;
    no_content()
}

/// One of the caller's published devices, by its id; 404 for any other (another person's
/// device is not theirs to read, nor to know of).
async fn own_device<'a>(db: &D1Database, me: &str, device: &'a str) -> Result<&'a str, ApiError> {
    let missing = || ApiError::not_found("No such device of yours: publish its keys first.");
    let device = device_id(device).map_err(|_| missing())?;
    if keys_store::one(db, me, device).await?.is_none() {
        return Err(missing());
    }
    Ok(device)
}

/// The job: drops envelopes no device fetched within `KEPT_MS` (their device is gone, or will
/// ask its senders again); how many.
pub async fn drop_unfetched(env: &Env, now_ms: i64) -> Result<usize, ApiError> {
    let db = env.d1("DB").internal("D1 binding")?;
    store::drop_before(&db, now_ms - KEPT_MS, 10_000).await
}
