//! This browser's Web Push subscription for Chat: asked for when the person turns notifications
//! on (the browser's permission prompt, then its push service's subscription with the server's
//! VAPID key), handed to the server with this device's id, and taken back when turned off. The
//! service worker (public/sw.js) shows what arrives.

use crate::subtle::CryptoError;
use js_sys::{Function, Object, Promise, Reflect, Uint8Array, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

type Result<T> = std::result::Result<T, CryptoError>;

/// Where notifications stand here: `unsupported`, `denied` (blocked for this site), `off`, `on`.
pub type Status = &'static str;

fn get(target: &JsValue, name: &str) -> Option<JsValue> {
    Reflect::get(target, &name.into()).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

async fn call(target: &JsValue, name: &str, args: &[JsValue]) -> Result<JsValue> {
    let function: Function = get(target, name)
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| CryptoError(format!("this browser has no {name}")))?;
    let args: js_sys::Array = args.iter().collect();
    let answer = function.apply(target, &args)?;
    match answer.dyn_into::<Promise>() {
        Ok(promise) => Ok(JsFuture::from(promise).await?),
        Err(value) => Ok(value),
    }
}

/// The page's push manager (through the service worker once it is ready), or none.
async fn push_manager() -> Option<JsValue> {
    let window: JsValue = web_sys::window()?.into();
    get(&window, "PushManager")?;
    let workers = get(&get(&window, "navigator")?, "serviceWorker")?;
    let registration = JsFuture::from(get(&workers, "ready")?.dyn_into::<Promise>().ok()?).await.ok()?;
    get(&registration, "pushManager")
}

fn permission() -> Option<String> {
    let window: JsValue = web_sys::window()?.into();
    get(&get(&window, "Notification")?, "permission")?.as_string()
}

async fn subscription(manager: &JsValue) -> Result<Option<JsValue>> {
    let found = call(manager, "getSubscription", &[]).await?;
    Ok((!found.is_null() && !found.is_undefined()).then_some(found))
}

pub async fn status() -> Status {
    let Some(manager) = push_manager().await else { return "unsupported" };
    if permission().as_deref() == Some("denied") {
        return "denied";
    }
    let Ok(Some(subscribed)) = subscription(&manager).await else { return "off" };
    // The browser's subscription is this person's only if the server reaches it for them: after
    // a sign-out (theirs or another person's on this browser) it is not, until turned on again.
    let endpoint = get(&subscribed, "endpoint").and_then(|e| e.as_string()).unwrap_or_default();
    match crate::api::push_subscriptions().await {
        Ok(list) if list.items.iter().any(|s| s.endpoint == endpoint && s.active) => "on",
        _ => "off",
    }
}

/// Turns notifications on for `device`: the permission, the subscription, the server told.
pub async fn turn_on(device: &str) -> Result<Status> {
    let manager =
        push_manager().await.ok_or_else(|| CryptoError("This browser cannot show notifications.".into()))?;
    let window: JsValue = web_sys::window().map(Into::into).unwrap_or(JsValue::UNDEFINED);
    let notification = get(&window, "Notification").unwrap_or(JsValue::UNDEFINED);
    let answer = call(&notification, "requestPermission", &[]).await?;
    if answer.as_string().as_deref() != Some("granted") {
        return Err(CryptoError(
            "Notifications are blocked for this site (see the browser's site settings).".into(),
        ));
    }
    let key = crate::api::push_key().await?.public_key;
    let key = crate::device::unb64(&key)?;
    let options = Object::new();
    Reflect::set(&options, &"userVisibleOnly".into(), &JsValue::TRUE)?;
    Reflect::set(&options, &"applicationServerKey".into(), &Uint8Array::from(key.as_slice()))?;
    let subscribed = call(&manager, "subscribe", &[options.into()]).await?;
    let json = call(&subscribed, "toJSON", &[]).await?;
    Reflect::set(&json, &"device".into(), &device.into())?;
    let body = JSON::stringify(&json)?.as_string().unwrap_or_default();
    if let Err(err) = crate::api::subscribe(body).await {
        // A subscription the server does not know would read "on" and bring nothing.
        let _ = call(&subscribed, "unsubscribe", &[]).await;
        return Err(err);
    }
    Ok("on")
}

/// Turns them off: the browser's subscription ended, and the server's forgotten.
pub async fn turn_off() -> Result<Status> {
    let Some(manager) = push_manager().await else { return Ok("unsupported") };
    if let Some(subscribed) = subscription(&manager).await? {
        let endpoint = get(&subscribed, "endpoint").and_then(|e| e.as_string()).unwrap_or_default();
        call(&subscribed, "unsubscribe", &[]).await?;
        crate::api::unsubscribe(&endpoint).await?;
    }
    Ok("off")
}
