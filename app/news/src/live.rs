//! A page's live socket: a story's page follows `/api/news/items/{id}/live` (new comments,
//! scores, edits, removals), the lists follow `/api/news/live` (new stories and the scores of
//! those shown). No sign-in is needed: frames are what a reader without an account sees. A
//! socket that closes is opened again after a growing, jittered wait, and the page is told
//! (`on_reopen`) so it can catch up on what it missed meanwhile. Leaving the page closes it.

use app_ui::socket::{after_ms, retry_wait_ms, Socket};
use leptos::prelude::*;
use shared::news::wire::LiveFrame;
use std::rc::Rc;

/// What a page does with the socket's news.
#[derive(Clone)]
struct Handlers {
    frame: Rc<dyn Fn(LiveFrame)>,
    reopened: Rc<dyn Fn()>,
}

/// A page's socket while the page is shown.
#[derive(Clone, Copy)]
pub struct Live {
    /// Whether the socket is open now (pages say "live" while it is).
    pub connected: RwSignal<bool>,
    path: StoredValue<String>,
    handlers: StoredValue<Handlers, LocalStorage>,
    socket: StoredValue<Option<Socket>, LocalStorage>,
    left: StoredValue<bool>,
}

impl Live {
    /// Opens `path` for the current page; closed when the page goes.
    pub fn follow(
        path: String,
        on_frame: impl Fn(LiveFrame) + 'static,
        on_reopen: impl Fn() + 'static,
    ) -> Live {
        let live = Live {
            connected: RwSignal::new(false),
            path: StoredValue::new(path),
            handlers: StoredValue::new_local(Handlers {
                frame: Rc::new(on_frame),
                reopened: Rc::new(on_reopen),
            }),
            socket: StoredValue::new_local(None),
            left: StoredValue::new(false),
        };
        connect(live, 0, false);
        on_cleanup(move || {
            live.left.try_set_value(true);
            live.socket.try_set_value(None);
        });
        live
    }
}

/// `failures`: tries in a row that failed; `again`: an earlier socket of this page had opened,
/// so frames may have been missed.
fn connect(live: Live, failures: u32, again: bool) {
    if live.left.try_get_value().is_none_or(|left| left) {
        return;
    }
    let Some(handlers) = live.handlers.try_get_value() else { return };
    let Handlers { frame, reopened } = handlers;
    let socket = Socket::open(
        &live.path.get_value(),
        move || {
            let _ = live.connected.try_set(true);
            if again {
                reopened();
            }
        },
        move |text| {
            if let Ok(f) = serde_json::from_str::<LiveFrame>(&text) {
                frame(f);
            }
        },
        move || {
            let was_live = live.connected.try_get_untracked().unwrap_or(false);
            let _ = live.connected.try_set(false);
            let failures = if was_live { 0 } else { failures + 1 };
            after_ms(retry_wait_ms(failures), move || connect(live, failures, again || was_live));
        },
    );
    match socket {
        Some(socket) => live.socket.set_value(Some(socket)),
        None => after_ms(retry_wait_ms(failures + 1), move || connect(live, failures + 1, again)),
    }
}
