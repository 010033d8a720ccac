//! Reading a locker QR with the camera, where the browser has `BarcodeDetector` (Chrome on
//! Android and macOS, Safari; not desktop Linux): the back camera plays into a `<video>` in
//! `holder`, and frames are read three times a second until a QR shows up or a minute passes.
//! web-sys has no stable binding for the detector, so it is reached through `js_sys::Reflect`.

use js_sys::{Array, Function, Promise, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// How long the camera looks before it gives up.
const SCAN_MS: u32 = 60_000;
const EVERY_MS: u32 = 300;

fn get(target: &JsValue, name: &str) -> Result<JsValue, JsValue> {
    Reflect::get(target, &JsValue::from_str(name))
}

fn method(target: &JsValue, name: &str) -> Result<Function, JsValue> {
    get(target, name)?.dyn_into::<Function>()
}

/// Whether this browser can read QR codes from a camera.
pub fn available() -> bool {
    let Some(window) = web_sys::window() else { return false };
    let navigator = JsValue::from(window.navigator());
    Reflect::has(&window, &JsValue::from_str("BarcodeDetector")).unwrap_or(false)
        && get(&navigator, "mediaDevices").is_ok_and(|m| !m.is_undefined())
}

/// The text of the first QR code the camera sees, or None after a minute. The camera is off again
/// when it returns.
pub async fn read_qr(holder: &web_sys::Element) -> Result<Option<String>, JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let devices = get(&window.navigator().into(), "mediaDevices")?;
    let constraints = JSON::parse(r#"{"video":{"facingMode":"environment"},"audio":false}"#)?;
    let stream = JsFuture::from(
        method(&devices, "getUserMedia")?.call1(&devices, &constraints)?.dyn_into::<Promise>()?,
    )
    .await?;
    let video = window.document().ok_or("no document")?.create_element("video")?;
    video.set_attribute("playsinline", "")?;
    video.set_attribute("muted", "")?;
    Reflect::set(&video, &JsValue::from_str("srcObject"), &stream)?;
    holder.replace_children_with_node_1(&video);
    let found = look(&window, &video).await;
    // The camera goes off whatever happened.
    if let Ok(tracks) = method(&stream, "getTracks").and_then(|f| f.call0(&stream)) {
        for track in Array::from(&tracks).iter() {
            if let Ok(stop) = method(&track, "stop") {
                let _ = stop.call0(&track);
            }
        }
    }
    video.remove();
    found
}

async fn look(window: &web_sys::Window, video: &web_sys::Element) -> Result<Option<String>, JsValue> {
    if let Ok(played) = method(video, "play").and_then(|play| play.call0(video)) {
        if let Ok(promise) = played.dyn_into::<Promise>() {
            JsFuture::from(promise).await?;
        }
    }
    let detector_class = get(window, "BarcodeDetector")?.dyn_into::<Function>()?;
    let options = JSON::parse(r#"{"formats":["qr_code"]}"#)?;
    let detector = Reflect::construct(&detector_class, &Array::of1(&options))?;
    let detect = method(&detector, "detect")?;
    for _ in 0..SCAN_MS / EVERY_MS {
        app_ui::api::sleep_ms(EVERY_MS).await;
        // A frame not ready yet is no error: look again.
        let Ok(pending) = detect.call1(&detector, video) else { continue };
        let Ok(codes) = JsFuture::from(pending.dyn_into::<Promise>()?).await else { continue };
        if let Some(first) = Array::from(&codes).iter().next() {
            return Ok(get(&first, "rawValue")?.as_string());
        }
    }
    Ok(None)
}
