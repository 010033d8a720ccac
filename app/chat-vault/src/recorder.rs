//! Voice notes: the microphone recorded with the browser's `MediaRecorder` (Opus in WebM in
//! Chromium, Opus in Ogg in Firefox, AAC in MP4 in Safari) into a file that is sent like any
//! other (the server takes WebM or MP4 claimed as sound for an audio note). Here rather than in
//! the chat bundle, which has no bytes to spare on a first visit; through `Reflect`, which costs
//! less than web-sys's media bindings.

use js_sys::{Array, Function, Object, Promise, Reflect};
use std::{cell::RefCell, rc::Rc};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

fn get(target: &JsValue, name: &str) -> Option<JsValue> {
    Reflect::get(target, &name.into()).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

fn call(target: &JsValue, name: &str, args: &Array) -> Result<JsValue, JsValue> {
    get(target, name).ok_or_else(|| JsValue::from_str(name))?.dyn_into::<Function>()?.apply(target, args)
}

fn window() -> JsValue {
    web_sys::window().map(Into::into).unwrap_or(JsValue::UNDEFINED)
}

fn said(err: JsValue) -> String {
    get(&err, "message")
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| "the microphone is not available".into())
}

/// Lets go of the microphone (the browser's "recording" mark goes away).
fn release(stream: &JsValue) {
    if let Ok(tracks) = call(stream, "getTracks", &Array::new()) {
        for track in Array::from(&tracks).iter() {
            let _ = call(&track, "stop", &Array::new());
        }
    }
}

/// A recording under way.
pub struct Recording {
    recorder: JsValue,
    stream: JsValue,
    chunks: Rc<RefCell<Vec<JsValue>>>,
    /// Kept alive while the recorder may call it.
    _on_data: Closure<dyn FnMut(JsValue)>,
}

/// Asks for the microphone (the browser asks the person) and starts recording.
pub async fn start() -> Result<Recording, String> {
    let devices =
        get(&window(), "navigator").and_then(|n| get(&n, "mediaDevices")).ok_or("no microphone here")?;
    let constraints = Object::new();
    Reflect::set(&constraints, &"audio".into(), &JsValue::TRUE).map_err(said)?;
    let asked: Promise =
        call(&devices, "getUserMedia", &Array::of1(&constraints)).map_err(said)?.unchecked_into();
    let stream = JsFuture::from(asked).await.map_err(said)?;
    let recording = record(stream.clone());
    if recording.is_err() {
        release(&stream);
    }
    recording.map_err(said)
}

fn record(stream: JsValue) -> Result<Recording, JsValue> {
    let class: Function = get(&window(), "MediaRecorder").ok_or("no MediaRecorder")?.unchecked_into();
    let recorder = Reflect::construct(&class, &Array::of1(&stream))?;
    let chunks = Rc::new(RefCell::new(Vec::new()));
    let kept = chunks.clone();
    let on_data = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
        if let Some(data) = get(&event, "data") {
            kept.borrow_mut().push(data);
        }
    });
    Reflect::set(&recorder, &"ondataavailable".into(), on_data.as_ref())?;
    call(&recorder, "start", &Array::new())?;
    Ok(Recording { recorder, stream, chunks, _on_data: on_data })
}

impl Recording {
    /// Stops, lets go of the microphone, and gives the recording as a `File`.
    pub async fn finish(self) -> Result<JsValue, String> {
        // A recorder that stopped by itself (the microphone went away) has its data already,
        // and would never say "stop" again.
        if get(&self.recorder, "state").and_then(|s| s.as_string()).as_deref() != Some("inactive") {
            let stopped = Promise::new(&mut |resolve, _| {
                let _ = Reflect::set(&self.recorder, &"onstop".into(), &resolve);
            });
            let asked = call(&self.recorder, "stop", &Array::new());
            if asked.is_ok() {
                let _ = JsFuture::from(stopped).await;
            }
        }
        release(&self.stream);
        if self.chunks.borrow().is_empty() {
            return Err("nothing was recorded".into());
        }
        let content_type = get(&self.recorder, "mimeType").and_then(|t| t.as_string()).unwrap_or_default();
        let extension = match content_type.split(['/', ';']).nth(1) {
            Some("ogg") => "ogg",
            Some("mp4") => "m4a",
            _ => "webm",
        };
        let parts: Array = self.chunks.borrow().iter().collect();
        let options = Object::new();
        Reflect::set(&options, &"type".into(), &content_type.into()).map_err(said)?;
        let class: Function = get(&window(), "File").ok_or("no File")?.unchecked_into();
        let args = Array::of3(&parts, &format!("voice-note.{extension}").into(), &options);
        Reflect::construct(&class, &args).map_err(said)
    }

    /// Stops without keeping anything.
    pub fn cancel(self) {
        let _ = call(&self.recorder, "stop", &Array::new());
        release(&self.stream);
    }
}

impl Drop for Recording {
    /// The recorder says "data" once more after a stop: not to a closure that is gone.
    fn drop(&mut self) {
        let _ = Reflect::set(&self.recorder, &"ondataavailable".into(), &JsValue::NULL);
    }
}
