//! `/api/chat/devices/{device}` and `/api/chat/users/{username}/keys`: the directory of devices' public keys, from which a device starts an
//! encrypted session with another person's devices. A device publishes its own keys (its
//! identity is fixed; its signed pre-key is replaced by a newer one); anyone signed in reads a
//! person's devices, as people look each other up to start a chat.

use crate::{
    auth::identity,
    chat::{contacts::person, store::keys as store},
    http::{json, no_content, read_json, ApiResult, Cx},
};
use shared::{
    chat::e2ee::keys::{device_id, DeviceKeyList, DeviceKeys, PublishKeys},
    error::ErrorEnvelope,
    ApiError, ErrorCode,
};
use worker::Request;

/// The most devices a person publishes keys for (each sender seals for every one of them).
const MAX_DEVICES: i64 = 20;

/// Publishes this device's public keys (a newer signed pre-key replaces the old one).
#[utoipa::path(put, path = "/api/chat/devices/{device}", tag = "chat", params(("device" = String, Path)),
    request_body = PublishKeys, security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = DeviceKeys), (status = 401, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope),
              (status = 422, body = ErrorEnvelope)))]
pub async fn publish(req: &mut Request, cx: &Cx, device: &str) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let device = device_id(device)?;
    let keys = read_json::<PublishKeys>(req).await?;
    keys.check()?;
    keys.check_points()?;
    let db = cx.db()?;
    if !store::publish(&db, &me.id, device, &keys, MAX_DEVICES, cx.now_ms).await? {
        if store::one(&db, &me.id, device).await?.is_none() {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!("A person has at most {MAX_DEVICES} devices: forget one first."),
            ));
        }
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "This device has other keys, or a newer pre-key: a device's identity never changes (use a new device id).",
        ));
    }
    let stored = store::one(&db, &me.id, device).await?.ok_or_else(ApiError::internal)?;
    json(200, &stored.view())
}

/// A person's devices and their public keys (none: they cannot be sent encrypted messages yet).
#[utoipa::path(get, path = "/api/chat/users/{username}/keys", tag = "chat", params(("username" = String, Path)),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = DeviceKeyList), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn of_person(req: &mut Request, cx: &Cx, username: &str) -> ApiResult {
    identity::require(req, cx).await?;
    let db = cx.db()?;
    let them = person(&db, username).await?;
    let items = store::of_user(&db, &them.id).await?.into_iter().map(store::KeysRow::view).collect();
    json(200, &DeviceKeyList { items })
}

/// Forgets one of the caller's devices (signed out of for good, or lost).
#[utoipa::path(delete, path = "/api/chat/devices/{device}", tag = "chat", params(("device" = String, Path)),
    security(("session" = []), ("api_key" = [])),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn forget(req: &mut Request, cx: &Cx, device: &str) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    // An id no device could have names no device of theirs.
    let device = device_id(device).map_err(|_| ApiError::not_found("No such device."))?;
    if !store::remove(&cx.db()?, &me.id, device).await? {
        return Err(ApiError::not_found("No such device."));
    }
    no_content()
}
