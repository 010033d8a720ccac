//! A live match's socket (`/api/cricket/matches/{id}/socket`, no sign-in needed): the latest
//! state after every ball, an undo included. A closed socket is opened again after a growing
//! wait; the page reloads what it shows in full (scorecard, commentary, charts) when `seq` moves.

use app_ui::socket::{after_ms, retry_wait_ms, Socket};
use leptos::prelude::*;
use shared::cricket::live_view::{LiveFrame, LiveState};

#[derive(Clone, Copy)]
pub struct Follow {
    pub state: RwSignal<Option<LiveState>>,
    pub connected: RwSignal<bool>,
    match_id: StoredValue<String>,
    socket: StoredValue<Option<Socket>, LocalStorage>,
    left: StoredValue<bool>,
}

impl Follow {
    pub fn new(match_id: String) -> Follow {
        Follow {
            state: RwSignal::new(None),
            connected: RwSignal::new(false),
            match_id: StoredValue::new(match_id),
            socket: StoredValue::new_local(None),
            left: StoredValue::new(false),
        }
    }

    /// Closes the socket for good (the page is left).
    pub fn close(&self) {
        self.left.set_value(true);
        self.socket.set_value(None);
    }

    /// How many events the page has seen: what its resources reload on.
    pub fn seq(&self) -> u32 {
        self.state.with(|s| s.as_ref().map_or(0, |s| s.seq))
    }
}

pub fn connect(follow: Follow, failures: u32) {
    if follow.left.try_get_value().is_none_or(|left| left) {
        return;
    }
    let path = format!("/api/cricket/matches/{}/socket", app_ui::nav::encode(&follow.match_id.get_value()));
    let socket = Socket::open(
        &path,
        move || {
            let _ = follow.connected.try_set(true);
        },
        move |text| {
            if let Ok(LiveFrame::State(state)) = serde_json::from_str::<LiveFrame>(&text) {
                let _ = follow.state.try_set(Some(*state));
            }
        },
        move || {
            let was_live = follow.connected.try_get_untracked().unwrap_or(false);
            let _ = follow.connected.try_set(false);
            after_ms(retry_wait_ms(if was_live { 0 } else { failures + 1 }), move || {
                connect(follow, if was_live { 0 } else { failures + 1 })
            });
        },
    );
    match socket {
        Some(socket) => follow.socket.set_value(Some(socket)),
        None => after_ms(retry_wait_ms(failures + 1), move || connect(follow, failures + 1)),
    }
}
