//! The few `/api/chat` calls encryption makes: publishing this device's keys, reading people's
//! devices, and the to-device inbox. The vault has no UI crate, so this is its own small client:
//! JSON in and out, a refusal as the worker's error message.

use gloo_net::http::{Method, RequestBuilder};
use serde::{de::DeserializeOwned, Serialize};
use shared::{
    chat::{
        e2ee::{
            keys::{DeviceKeyList, DeviceKeys, PublishKeys},
            to_device::{SendToDevice, ToDeviceAck, ToDeviceList, ToDeviceQueued},
        },
        push::{PushEndpoint, PushKey, PushSubscriptionList},
        rest::ConversationView,
    },
    error::ErrorEnvelope,
    ApiError,
};

use crate::subtle::CryptoError;

type Result<T> = std::result::Result<T, CryptoError>;

fn encode(segment: &str) -> String {
    js_sys::encode_uri_component(segment).into()
}

/// One request; the answer's text, or the error the worker gave.
async fn send(method: Method, path: &str, body: Option<String>) -> Result<String> {
    send_for_status(method, path, body).await.map_err(|(_, err)| err)
}

/// `send`, telling a refusal's status too.
#[inline(never)]
async fn send_for_status(
    method: Method,
    path: &str,
    body: Option<String>,
) -> std::result::Result<String, (u16, CryptoError)> {
    let unreachable = || CryptoError("Could not reach Chat. Check your connection and try again.".into());
    let builder = RequestBuilder::new(path).method(method);
    let request = match body {
        Some(body) => builder.header("Content-Type", "application/json").body(body),
        None => builder.build(),
    }
    .map_err(|_| (0, unreachable()))?;
    let response = request.send().await.map_err(|_| (0, unreachable()))?;
    let text = response.text().await.map_err(|_| (0, unreachable()))?;
    if response.ok() {
        return Ok(text);
    }
    let message = serde_json::from_str::<ErrorEnvelope>(&text)
        .map(|e| ApiError::from(e).message)
        .unwrap_or_else(|_| format!("Chat answered with an unexpected error ({}).", response.status()));
    Err((response.status(), CryptoError(message)))
}

async fn call<T: DeserializeOwned>(method: Method, path: &str, body: Option<String>) -> Result<T> {
    let text = send(method, path, body).await?;
    serde_json::from_str(&text)
        .map_err(|_| CryptoError("Chat sent an answer this page does not understand.".into()))
}

fn json<B: Serialize>(body: &B) -> Option<String> {
    serde_json::to_string(body).ok()
}

/// The server's VAPID public key, a push subscription's `applicationServerKey`.
pub async fn push_key() -> Result<PushKey> {
    call(Method::GET, "/api/chat/push/key", None).await
}

/// The person's subscriptions as the server has them (whether each is reached).
pub async fn push_subscriptions() -> Result<PushSubscriptionList> {
    call(Method::GET, "/api/chat/push/subscriptions", None).await
}

/// Hands the server this browser's `PushSubscription` JSON (with the device's id).
pub async fn subscribe(subscription: String) -> Result<()> {
    send(Method::POST, "/api/chat/push/subscriptions", Some(subscription)).await.map(drop)
}

pub async fn unsubscribe(endpoint: &str) -> Result<()> {
    let body = json(&PushEndpoint { endpoint: endpoint.to_owned() });
    match send_for_status(Method::DELETE, "/api/chat/push/subscriptions", body).await {
        // Already gone on the server: what was asked is so.
        Ok(_) | Err((404, _)) => Ok(()),
        Err((_, err)) => Err(err),
    }
}

/// A conversation as the caller sees it (its members now).
pub async fn conversation(id: &str) -> Result<ConversationView> {
    call(Method::GET, &format!("/api/chat/conversations/{}", encode(id)), None).await
}

pub async fn publish_keys(device: &str, keys: &PublishKeys) -> Result<DeviceKeys> {
    call(Method::PUT, &format!("/api/chat/devices/{}", encode(device)), json(keys)).await
}

/// A person's devices and their published keys, oldest first.
pub async fn keys_of(username: &str) -> Result<DeviceKeyList> {
    call(Method::GET, &format!("/api/chat/users/{}/keys", encode(username)), None).await
}

/// Hands sealed envelopes to other devices (sender keys), outside the conversation's log.
pub async fn to_devices(id: &str, request: &SendToDevice) -> Result<ToDeviceQueued> {
    call(Method::POST, &format!("/api/chat/conversations/{}/to-device", encode(id)), json(request)).await
}

/// What other devices handed this one (the oldest first).
pub async fn device_inbox(device: &str) -> Result<ToDeviceList> {
    call(Method::GET, &format!("/api/chat/devices/{}/inbox?limit=500", encode(device)), None).await
}

/// Lets the server forget the inbox up to `up_to` (taken and kept here).
pub async fn ack_inbox(device: &str, up_to: u64) -> Result<()> {
    let path = format!("/api/chat/devices/{}/inbox/ack", encode(device));
    send(Method::POST, &path, json(&ToDeviceAck { up_to })).await.map(drop)
}
