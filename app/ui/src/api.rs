//! The app's one HTTP client: JSON in and out with the `shared` wire types, every failure as the
//! same [`ApiError`] the worker sends (its error envelope), an `Idempotency-Key` on the writes
//! that take one, and `Retry-After` honoured: a 429 or 503 that asks for a short wait is sent
//! once more after it, a longer wait is handed to the page (`ApiError::retry_after_secs`).
//!
//! The generic functions are thin: sending, retrying and reading the answer are one
//! non-generic function, so each wire type adds only its JSON decoding to a bundle.

use gloo_net::http::{Method, Request, RequestBuilder};
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

/// The request, built anew for each try (a sent request's body is used up).
#[inline(never)]
fn request(method: &Method, path: &str, body: Option<&str>, key: Option<&str>) -> Result<Request, ApiError> {
    let mut builder = RequestBuilder::new(path).method(method.clone());
    if let Some(key) = key {
        builder = builder.header("Idempotency-Key", key);
    }
    match body {
        Some(body) => builder.header("Content-Type", "application/json").body(body),
        None => builder.build(),
    }
    .map_err(|_| unreachable_error())
}

/// The error a refusal means: the worker's envelope, else what its status says.
#[inline(never)]
fn refusal(status: u16, text: &str, wait: Option<u32>) -> ApiError {
    let mut err = match serde_json::from_str::<ErrorEnvelope>(text) {
        Ok(envelope) => ApiError::from(envelope),
        Err(_) => ApiError::new(
            if status >= 500 { ErrorCode::Unavailable } else { ErrorCode::BadRequest },
            format!("{} answered with an unexpected error ({status}). Please try again.", service()),
        ),
    };
    err.retry_after_secs = wait;
    err
}

/// Sends one request (once more after a short `Retry-After`) and returns the answer's body
/// text, or the error the answer (or its absence) means.
#[inline(never)]
async fn send(method: Method, path: &str, body: Option<&str>, key: Option<&str>) -> Result<String, ApiError> {
    let mut retried = false;
    loop {
        let response = request(&method, path, body, key)?.send().await.map_err(|_| unreachable_error())?;
        let text = response.text().await.map_err(|_| unreachable_error());
        if response.ok() {
            return text;
        }
        let status = response.status();
        let wait = response.headers().get("retry-after").and_then(|s| s.trim().parse::<u32>().ok());
        if !retried && matches!(status, 429 | 503) && wait.is_some_and(|w| w <= MAX_WAIT_SECS) {
            retried = true;
            sleep_ms(wait.unwrap_or(1).max(1) * 1000).await;
            continue;
        }
        return Err(refusal(status, &text.unwrap_or_default(), wait));
    }
}

/// Waits `ms` milliseconds of browser time.
pub async fn sleep_ms(ms: u32) {
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

pub async fn put<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    let body = encode(body)?;
    parse(&send(Method::PUT, path, Some(&body), None).await?)
}

/// A PUT whose answer has no body (204).
pub async fn put_empty(path: &str) -> Result<(), ApiError> {
    send(Method::PUT, path, None, None).await.map(drop)
}

/// A POST whose answer has no body (204).
pub async fn post_empty(path: &str) -> Result<(), ApiError> {
    send(Method::POST, path, None, None).await.map(drop)
}

pub async fn delete(path: &str) -> Result<(), ApiError> {
    send(Method::DELETE, path, None, None).await.map(drop)
}

/// A DELETE whose answer has a body (News' unvote answers the vote that stands).
pub async fn delete_for<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    parse(&send(Method::DELETE, path, None, None).await?)
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

/// The idempotency key of one attempt at a write: the same request again (a retry after a lost
/// answer, a second click) keeps its key, so the worker acts once; a different request, or any
/// after the worker answered, gets a new one.
pub struct Attempt<T: Send + Sync + 'static> {
    last: leptos::prelude::StoredValue<Option<(String, T)>>,
}

impl<T: Send + Sync + 'static> Clone for Attempt<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Attempt<T> {}

impl<T: PartialEq + Clone + Send + Sync + 'static> Default for Attempt<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: PartialEq + Clone + Send + Sync + 'static> Attempt<T> {
    pub fn new() -> Self {
        Self { last: leptos::prelude::StoredValue::new(None) }
    }

    /// The key to send `request` with.
    pub fn key(&self, request: &T) -> String {
        use leptos::prelude::*;
        let key = match self.last.get_value() {
            Some((key, previous)) if previous == *request => key,
            _ => new_key(),
        };
        self.last.set_value(Some((key.clone(), request.clone())));
        key
    }

    /// The worker answered (or refused for good): the next attempt is a new one.
    pub fn answered(&self) {
        use leptos::prelude::*;
        self.last.set_value(None);
    }
}

/// Whether the worker may not have acted on a write (no answer, or a server fault), so that it
/// may be sent again with the same key.
pub fn unanswered(err: &ApiError) -> bool {
    matches!(err.code, ErrorCode::Unavailable | ErrorCode::Internal)
}
