//! A WebSocket to this site's own API (chat's device socket, poker's table socket): JSON frames
//! out, text frames in, and when it closes the owner opens it again after `retry_wait_ms`, a
//! wait that grows with each failure in a row and is jittered so a restarted server is not met
//! by every browser at once.

use serde::Serialize;
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{Event, MessageEvent, WebSocket};

/// The first wait before connecting again, and the longest.
const FIRST_WAIT_MS: f64 = 500.0;
const LONGEST_WAIT_MS: f64 = 15_000.0;

/// An open (or opening) socket and the callbacks it holds; dropping it closes it.
pub struct Socket {
    ws: WebSocket,
    _callbacks: Vec<Closure<dyn FnMut(Event)>>,
}

impl Socket {
    /// Opens `path` on this site (`ws:` or `wss:` as the page is served); none when the browser
    /// refuses. `on_close` runs once it has closed, however it closed.
    pub fn open(
        path: &str,
        mut on_open: impl FnMut() + 'static,
        mut on_text: impl FnMut(String) + 'static,
        mut on_close: impl FnMut() + 'static,
    ) -> Option<Socket> {
        let location = web_sys::window()?.location();
        let scheme = if location.protocol().ok()? == "https:" { "wss" } else { "ws" };
        let ws = WebSocket::new(&format!("{scheme}://{}{path}", location.host().ok()?)).ok()?;
        let opened = Closure::<dyn FnMut(Event)>::new(move |_| on_open());
        let message = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
            if let Some(text) = event.unchecked_into::<MessageEvent>().data().as_string() {
                on_text(text);
            }
        });
        let closed = Closure::<dyn FnMut(Event)>::new(move |_| on_close());
        ws.set_onopen(Some(opened.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(closed.as_ref().unchecked_ref()));
        Some(Socket { ws, _callbacks: vec![opened, message, closed] })
    }

    /// Sends a frame as JSON; false when the socket is not open.
    pub fn send<T: Serialize>(&self, frame: &T) -> bool {
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

/// How long to wait before opening again after `failures` failed tries in a row.
pub fn retry_wait_ms(failures: u32) -> i32 {
    let wait = (FIRST_WAIT_MS * 2f64.powi(failures.min(6) as i32)).min(LONGEST_WAIT_MS);
    let jitter = 0.75 + js_sys::Math::random() / 2.0;
    (wait * jitter) as i32
}

/// Runs `f` once after `ms` milliseconds.
pub fn after_ms(ms: i32, f: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else { return };
    let callback = Closure::once_into_js(f);
    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), ms);
}
