//! What the edge runtime provides and `shared` must not touch: the clock, timers, randomness and
//! WebCrypto's PBKDF2.

use js_sys::{Array, Object, Uint8Array};
use std::{
    future::{poll_fn, Future},
    pin::pin,
    task::Poll,
    time::Duration,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Crypto, CryptoKey, Pbkdf2Params};
use worker::Delay;

/// A Worker secret (`wrangler secret put NAME`), or under `wrangler dev` the variable of that
/// name from `.dev.vars`. Without it nothing is made up: the caller answers the opaque 500.
pub fn secret(env: &worker::Env, name: &str) -> Result<Vec<u8>, shared::ApiError> {
    env.secret(name)
        .map(|s| s.to_string())
        .or_else(|_| env.var(name).map(|v| v.to_string()))
        .map(String::into_bytes)
        .map_err(|_| crate::http::internal(name, format!("not set; run `wrangler secret put {name}`")))
}

/// Unix milliseconds. (`std::time::SystemTime::now()` panics inside a Worker.)
pub fn now_ms() -> i64 {
    worker::Date::now().as_millis() as i64
}

fn crypto() -> Result<Crypto, JsValue> {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("crypto")).map(JsCast::unchecked_into)
}

/// `N` bytes from the runtime's CSPRNG.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], JsValue> {
    let mut bytes = [0u8; N];
    crypto()?.get_random_values_with_u8_array(&mut bytes)?;
    Ok(bytes)
}

/// PBKDF2-HMAC-SHA256 of `password` with `salt`, 256 bits, through WebCrypto.
pub async fn pbkdf2_sha256(password: &str, salt: &[u8], iterations: u32) -> Result<Vec<u8>, JsValue> {
    let subtle = crypto()?.subtle();
    let usages = Array::of1(&JsValue::from_str("deriveBits"));
    let key_data: Object = Uint8Array::from(password.as_bytes()).into();
    let key: CryptoKey =
        JsFuture::from(subtle.import_key_with_str("raw", &key_data, "PBKDF2", false, &usages)?)
            .await?
            .unchecked_into();
    let salt: Object = Uint8Array::from(salt).into();
    let params = Pbkdf2Params::new("PBKDF2", &JsValue::from_str("SHA-256"), iterations, &salt);
    let bits = JsFuture::from(subtle.derive_bits_with_object(&params, &key, 256)?).await?;
    Ok(Uint8Array::new(&bits).to_vec())
}

/// `work`'s answer, or `None` when it has none within `ms`.
pub async fn within<T>(ms: u64, work: impl Future<Output = T>) -> Option<T> {
    let mut work = pin!(work);
    let mut timer = pin!(Delay::from(Duration::from_millis(ms)));
    poll_fn(|cx| match work.as_mut().poll(cx) {
        Poll::Ready(answer) => Poll::Ready(Some(answer)),
        Poll::Pending => timer.as_mut().poll(cx).map(|()| None),
    })
    .await
}
