//! The device's one socket (`/api/chat/socket`, the session cookie signs it in): frames in go
//! to `Chat::on_frame`; when it closes it is opened again after a growing, jittered wait, and
//! `Chat::on_open` catches up from what the device holds.

use crate::state::{Chat, Link};
use app_ui::socket::{retry_wait_ms, Socket};
use leptos::prelude::*;
use shared::chat::wire::ServerFrame;
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::Event;

pub use app_ui::socket::after_ms;

/// Opens the socket; `failures` is how many tries in a row have failed (for the wait after).
pub fn connect(chat: Chat, failures: u32) {
    // A retry due after the messenger left the page (signed out) has nothing to connect.
    if chat.link.try_set(Link::Connecting).is_some() {
        return;
    }
    let socket = Socket::open(
        "/api/chat/socket",
        move || chat.on_open(),
        move |text| {
            if let Some(frame) = ServerFrame::from_json(&text) {
                chat.on_frame(frame);
            }
        },
        // The number of failures so far is read when it closes: one that had opened starts over.
        move || {
            let was_live = chat.link.get_untracked() == Link::Live;
            chat.link.set(Link::Waiting);
            reconnect_later(chat, if was_live { 0 } else { failures + 1 });
        },
    );
    match socket {
        Some(socket) => chat.set_socket(socket),
        None => reconnect_later(chat, failures + 1),
    }
}

fn reconnect_later(chat: Chat, failures: u32) {
    after_ms(retry_wait_ms(failures), move || connect(chat, failures));
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
