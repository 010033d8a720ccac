//! Chat's end-to-end encryption in the browser, as a bundle of its own: the chat page imports
//! this bundle's JS module when it needs encryption (app/chat/src/e2ee.rs) and calls the
//! functions below, with JSON for the wire types. Loaded on demand, it costs the chat page's
//! first visit nothing.
//!
//! - `device`: this browser's keys (made with WebCrypto, kept in IndexedDB), published.
//! - `vault`: sealing and opening on `shared::chat::e2ee`'s rules; search; safety numbers.
//! - `push`: this browser's notifications (the permission, the subscription, the server told).
//! - `recorder`: voice notes from the microphone.
//! - `idb`, `subtle`, `api`: IndexedDB, WebCrypto and the few `/api/chat` calls it makes.
//!
//! Notifications and voice notes are here too for the same reason: what the chat page does not
//! need on its first paint costs it nothing here.

mod api;
mod device;
mod idb;
mod push;
mod recorder;
mod subtle;
mod vault;

use shared::chat::e2ee::Opened;
use std::{cell::RefCell, rc::Rc};
use vault::{Sealed, Vault};
use wasm_bindgen::prelude::*;

thread_local! {
    static VAULT: RefCell<Option<Rc<Vault>>> = const { RefCell::new(None) };
    /// A voice note being recorded.
    static RECORDING: RefCell<Option<recorder::Recording>> = const { RefCell::new(None) };
}

/// Nothing runs until the page calls `start`.
fn main() {}

fn vault() -> Result<Rc<Vault>, JsValue> {
    VAULT.with(|v| v.borrow().clone()).ok_or_else(|| JsValue::from_str("The vault has not started."))
}

fn failed(err: subtle::CryptoError) -> JsValue {
    JsValue::from_str(&err.0)
}

/// Opens this browser's device for `me` (made and published on first use): its id.
#[wasm_bindgen]
pub async fn start(me: String) -> Result<String, JsValue> {
    if let Ok(vault) = vault() {
        return Ok(vault.device_id().to_owned());
    }
    let vault = Vault::open(&me).await.map_err(failed)?;
    let id = vault.device_id().to_owned();
    VAULT.with(|v| *v.borrow_mut() = Some(Rc::new(vault)));
    Ok(id)
}

/// Seals `text` for a conversation (for its members as the server has them) as message
/// `client_id`: the body to send.
#[wasm_bindgen]
pub async fn seal(conversation: String, text: String, client_id: String) -> Result<String, JsValue> {
    vault()?.seal(&conversation, &text, &client_id).await.map_err(failed)
}

/// Forgets the words of a message deleted for everyone.
#[wasm_bindgen]
pub async fn forget(
    conversation: String,
    seq: String,
    sender: String,
    client_id: String,
) -> Result<(), JsValue> {
    let seq = seq.parse().map_err(|_| JsValue::from_str("seq is a number"))?;
    vault()?.forget(&conversation, seq, &sender, &client_id).await.map_err(failed)
}

/// Opens a sealed message: an [`Opened`] as one line (`Opened::to_line`).
#[wasm_bindgen]
pub async fn open(
    conversation: String,
    seq: String,
    sender: String,
    client_id: String,
    body: String,
    sent_at: String,
) -> Result<String, JsValue> {
    let seq = seq.parse().map_err(|_| JsValue::from_str("seq is a number"))?;
    let message = Sealed { conversation, seq, sender, client_id, body, sent_at };
    let opened = match vault()?.open_message(&message).await {
        Ok(text) => Opened::Text(text),
        Err(why) => why,
    };
    Ok(opened.to_line())
}

/// The messages this browser opened that have every word of `q`, newest first: `SearchHit`s
/// as JSON.
#[wasm_bindgen]
pub async fn search(q: String) -> Result<String, JsValue> {
    let hits = vault()?.search(&q).await.map_err(failed)?;
    serde_json::to_string(&hits).map_err(|e| JsValue::from_str(&e.to_string()))
}

/// The safety number of the person signed in and `them`, then a line break and the same as an
/// SVG QR code (drawn here, so the chat page does not carry the QR encoder).
#[wasm_bindgen]
pub async fn safety_number(them: String) -> Result<String, JsValue> {
    let number = vault()?.safety_number(&them).await.map_err(failed)?;
    let qr = shared::links::qr::svg_for(&number, 160).unwrap_or_default();
    Ok(format!("{number}\n{qr}"))
}

/// Where this browser's notifications for Chat stand: `unsupported`, `denied`, `off` or `on`.
#[wasm_bindgen]
pub async fn push_status() -> String {
    push::status().await.to_owned()
}

/// Turns notifications on (the browser asks the person first): the new status.
#[wasm_bindgen]
pub async fn push_on() -> Result<String, JsValue> {
    let device = vault()?.device_id().to_owned();
    push::turn_on(&device).await.map(str::to_owned).map_err(failed)
}

/// Turns notifications off: the new status.
#[wasm_bindgen]
pub async fn push_off() -> Result<String, JsValue> {
    push::turn_off().await.map(str::to_owned).map_err(failed)
}

/// Starts recording a voice note (the browser asks for the microphone first); one at a time.
#[wasm_bindgen]
pub async fn record_start() -> Result<(), JsValue> {
    let recording = recorder::start().await.map_err(|e| JsValue::from_str(&e))?;
    if let Some(earlier) = RECORDING.with(|r| r.borrow_mut().replace(recording)) {
        earlier.cancel();
    }
    Ok(())
}

/// Stops the voice note: a `File` to send.
#[wasm_bindgen]
pub async fn record_finish() -> Result<JsValue, JsValue> {
    let recording = RECORDING
        .with(|r| r.borrow_mut().take())
        .ok_or_else(|| JsValue::from_str("nothing is being recorded"))?;
    recording.finish().await.map_err(|e| JsValue::from_str(&e))
}

/// Stops the voice note, if one is being recorded, and drops it.
#[wasm_bindgen]
pub async fn record_cancel() -> Result<(), JsValue> {
    if let Some(recording) = RECORDING.with(|r| r.borrow_mut().take()) {
        recording.cancel();
    }
    Ok(())
}
