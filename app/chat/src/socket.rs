//! The device's one socket (`/api/chat/socket`, the session cookie signs it in): frames in go
//! to `Chat::on_frame`; when it closes it is opened again after a growing, jittered wait, and
//! `Chat::on_open` catches up from what the device holds.

use crate::state::{Chat, Link};
use leptos::prelude::*;
use shared::chat::wire::{ClientFrame, ServerFrame};
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{Event, MessageEvent, WebSocket};

/// The first wait before connecting again, and the longest.
const FIRST_WAIT_MS: f64 = 500.0;
const LONGEST_WAIT_MS: f64 = 15_000.0;

/// An open (or opening) socket and the callbacks it holds, dropped with it.
pub struct Socket {
    ws: WebSocket,
    _callbacks: Vec<Closure<dyn FnMut(Event)>>,
}

impl Socket {
    pub fn send(&self, frame: &ClientFrame) -> bool {
        self.ws.ready_state() == WebSocket::OPEN
            && serde_json::to_string(frame).is_ok_and(|text| self.ws.send_with_str(&text).is_ok())
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close();
    }
}

fn socket_url() -> Option<String> {
    let location = web_sys::window()?.location();
    let scheme = if location.protocol().ok()? == "https:" { "wss" } else { "ws" };
    Some(format!("{scheme}://{}/api/chat/socket", location.host().ok()?))
}

/// Opens the socket; `failures` is how many tries in a row have failed (for the wait after).
pub fn connect(chat: Chat, failures: u32) {
    // A retry due after the messenger left the page (signed out) has nothing to connect.
    if chat.link.try_set(Link::Connecting).is_some() {
        return;
    }
    let Some(ws) = socket_url().and_then(|url| WebSocket::new(&url).ok()) else {
        reconnect_later(chat, failures + 1);
        return;
    };
    let opened = Closure::<dyn FnMut(Event)>::new(move |_| chat.on_open());
    let message = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
        let text = event.unchecked_into::<MessageEvent>().data().as_string().unwrap_or_default();
        if let Some(frame) = ServerFrame::from_json(&text) {
            chat.on_frame(frame);
        }
    });
    // The number of failures so far is read when it closes: one that had opened starts over.
    let closed = Closure::<dyn FnMut(Event)>::new(move |_| {
        let was_live = chat.link.get_untracked() == Link::Live;
        chat.link.set(Link::Waiting);
        reconnect_later(chat, if was_live { 0 } else { failures + 1 });
    });
    ws.set_onopen(Some(opened.as_ref().unchecked_ref()));
    ws.set_onmessage(Some(message.as_ref().unchecked_ref()));
    ws.set_onclose(Some(closed.as_ref().unchecked_ref()));
    chat.set_socket(Socket { ws, _callbacks: vec![opened, message, closed] });
}

fn reconnect_later(chat: Chat, failures: u32) {
    let wait = (FIRST_WAIT_MS * 2f64.powi(failures.min(6) as i32)).min(LONGEST_WAIT_MS);
    let jitter = 0.75 + js_sys::Math::random() / 2.0;
    after_ms((wait * jitter) as i32, move || connect(chat, failures));
}

/// Runs `f` once after `ms` milliseconds.
pub fn after_ms(ms: i32, f: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else { return };
    let callback = Closure::once_into_js(f);
    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), ms);
}

pub fn page_visible() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_none_or(|d| d.visibility_state() == web_sys::VisibilityState::Visible)
}

/// Keeps `chat.visible` in step with the tab while the messenger is on the page; coming back
/// into view marks what is shown read.
pub fn watch_visibility(chat: Chat) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let changed = Closure::<dyn FnMut(Event)>::new(move |_| {
        let _ = chat.visible.try_set(page_visible());
        chat.mark_read();
    });
    let _ = document.add_event_listener_with_callback("visibilitychange", changed.as_ref().unchecked_ref());
    let listener = StoredValue::new_local(Some(changed));
    on_cleanup(move || {
        if let Some(changed) = listener.try_update_value(Option::take).flatten() {
            let _ = document
                .remove_event_listener_with_callback("visibilitychange", changed.as_ref().unchecked_ref());
        }
    });
}
