//! The app's one HTTP client: JSON in and out with the `shared` wire types, every failure as the
//! same [`ApiError`] the worker sends (its error envelope), an `Idempotency-Key` on the writes
//! that take one, and `Retry-After` honoured: a 429 or 503 that asks for a short wait is sent
//! once more after it, a longer wait is handed to the page (`ApiError::retry_after_secs`).
//!
//! The generic functions are thin: sending, retrying and reading the answer are one
//! non-generic function, so each wire type adds only its JSON decoding to a bundle.

use gloo_net::http::{Method, RequestBuilder};
use serde::{de::DeserializeOwned, Serialize};
use shared::{error::ErrorEnvelope, ApiError, ErrorCode};
use std::cell::Cell;
use wasm_bindgen::{JsCast, JsValue};

/// The longest `Retry-After` (seconds) waited out before trying once more; longer ones are the
/// page's to show.
const MAX_WAIT_SECS: u32 = 3;

thread_local! {
    static SERVICE: Cell<&'static str> = const { Cell::new("Dozen") };
}

/// Names what the person is talking to in this bundle's network errors ("Could not reach Pay").
pub fn name_service(name: &'static str) {
    SERVICE.with(|s| s.set(name));
}

fn service() -> &'static str {
    SERVICE.with(Cell::get)
}

fn unreachable_error() -> ApiError {
    ApiError::new(
        ErrorCode::Unavailable,
        format!("Could not reach {}. Check your connection and try again.", service()),
    )
}

fn not_understood() -> ApiError {
    ApiError::new(ErrorCode::Internal, format!("{} sent an answer this page does not understand.", service()))
}

/// Sends one request (once more after a short `Retry-After`) and returns the answer's body
/// text, or the error the answer (or its absence) means.
async fn send(method: Method, path: &str, body: Option<&str>, key: Option<&str>) -> Result<String, ApiError> {
    let mut retried = false;
    loop {
        let mut builder = RequestBuilder::new(path).method(method.clone());
        if let Some(key) = key {
            builder = builder.header("Idempotency-Key", key);
        }
        let request = match body {
            Some(body) => builder.header("Content-Type", "application/json").body(body),
            None => builder.build(),
        }
        .map_err(|_| unreachable_error())?;
        let response = request.send().await.map_err(|_| unreachable_error())?;
        if response.ok() {
            return response.text().await.map_err(|_| unreachable_error());
        }
        let status = response.status();
        let wait = response.headers().get("retry-after").and_then(|s| s.trim().parse::<u32>().ok());
        if !retried && matches!(status, 429 | 503) && wait.is_some_and(|w| w <= MAX_WAIT_SECS) {
            retried = true;
            sleep_ms(wait.unwrap_or(1).max(1) * 1000).await;
            continue;
        }
        let text = response.text().await.unwrap_or_default();
        let mut err = match serde_json::from_str::<ErrorEnvelope>(&text) {
            Ok(envelope) => ApiError::from(envelope),
            Err(_) => ApiError::new(
                if status >= 500 { ErrorCode::Unavailable } else { ErrorCode::BadRequest },
                format!("{} answered with an unexpected error ({status}). Please try again.", service()),
            ),
        };
        err.retry_after_secs = wait;
        return Err(err);
    }
}

/// Waits `ms` milliseconds of browser time.
async fn sleep_ms(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn parse<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    serde_json::from_str(text).map_err(|_| not_understood())
}

fn encode<B: Serialize>(body: &B) -> Result<String, ApiError> {
    serde_json::to_string(body)
        .map_err(|_| ApiError::new(ErrorCode::BadRequest, "Could not encode the request."))
}

pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    parse(&send(Method::GET, path, None, None).await?)
}

pub async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    let body = encode(body)?;
    parse(&send(Method::POST, path, Some(&body), None).await?)
}

/// A POST a person may retry (a payment, a refund, a new key): `key` is the same for every
/// try of one attempt, so the worker acts on it once (`new_key` makes one per attempt).
pub async fn post_once<B: Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
    key: &str,
) -> Result<T, ApiError> {
    let body = encode(body)?;
    parse(&send(Method::POST, path, Some(&body), Some(key)).await?)
}

pub async fn patch<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    let body = encode(body)?;
    parse(&send(Method::PATCH, path, Some(&body), None).await?)
}

/// A POST whose answer has no body (204).
pub async fn post_empty(path: &str) -> Result<(), ApiError> {
    send(Method::POST, path, None, None).await.map(drop)
}

pub async fn delete(path: &str) -> Result<(), ApiError> {
    send(Method::DELETE, path, None, None).await.map(drop)
}

/// A fresh idempotency key: the browser's `crypto.randomUUID()` (secure contexts), else 128
/// random bits from `Math.random` and the clock, which is plenty to tell one attempt from another.
pub fn new_key() -> String {
    let uuid = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &JsValue::from_str("crypto")).ok())
        .and_then(|crypto| {
            let random_uuid = js_sys::Reflect::get(&crypto, &JsValue::from_str("randomUUID")).ok()?;
            let random_uuid: js_sys::Function = random_uuid.dyn_into().ok()?;
            random_uuid.call0(&crypto).ok()?.as_string()
        });
    uuid.unwrap_or_else(|| {
        let now = js_sys::Date::now() as u64;
        let random = || (js_sys::Math::random() * 4_294_967_296.0) as u64;
        format!("{:012x}-{:08x}{:08x}{:04x}", now, random(), random(), random() & 0xffff)
    })
}
