//! A live match's socket (`/api/cricket/matches/{id}/socket`, no sign-in needed): the latest
//! state after every ball, an undo included, and the chat's messages and the polls' votes as
//! they come. A closed socket is opened again after a growing wait; the page reloads what it
//! shows in full (scorecard, commentary, charts) when the `revision` moves.

use app_ui::socket::{after_ms, retry_wait_ms, Socket};
use leptos::prelude::*;
use shared::cricket::{
    live_view::{LiveFrame, LiveState},
    talk::{ChatMessage, Poll},
};

/// Chat messages a page keeps (the newest).
const KEPT_MESSAGES: usize = 200;

#[derive(Clone, Copy)]
pub struct Follow {
    pub state: RwSignal<Option<LiveState>>,
    pub connected: RwSignal<bool>,
    /// The chat, oldest first.
    pub messages: RwSignal<Vec<ChatMessage>>,
    /// The polls, newest first.
    pub polls: RwSignal<Vec<Poll>>,
    match_id: StoredValue<String>,
    socket: StoredValue<Option<Socket>, LocalStorage>,
    left: StoredValue<bool>,
}

impl Follow {
    pub fn new(match_id: String) -> Follow {
        Follow {
            state: RwSignal::new(None),
            connected: RwSignal::new(false),
            messages: RwSignal::new(Vec::new()),
            polls: RwSignal::new(Vec::new()),
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

    /// How many changes the page has seen (it only rises): what its resources reload on.
    pub fn revision(&self) -> u64 {
        self.state.with(|s| s.as_ref().map_or(0, |s| s.revision))
    }

    /// Adds messages (a page loaded, or one from the socket), each once, in order.
    pub fn add_messages(&self, new: Vec<ChatMessage>) {
        let _ = self.messages.try_update(|all| {
            for m in new {
                if !all.iter().any(|x| x.id == m.id) {
                    all.push(m);
                }
            }
            all.sort_by(|a, b| a.id.cmp(&b.id));
            let extra = all.len().saturating_sub(KEPT_MESSAGES);
            all.drain(..extra);
        });
    }

    /// Takes in a poll's news: of two versions the one with more votes is the newer, a close
    /// is never undone, and the caller's own vote is kept.
    pub fn merge_poll(&self, poll: Poll) {
        let _ = self.polls.try_update(|all| match all.iter_mut().find(|p| p.id == poll.id) {
            Some(known) => {
                if poll.total >= known.total {
                    known.votes = poll.votes;
                    known.total = poll.total;
                }
                known.closed |= poll.closed;
                known.my_vote = known.my_vote.or(poll.my_vote);
            }
            None => {
                all.push(poll);
                all.sort_by(|a, b| b.id.cmp(&a.id));
            }
        });
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
        move |text| match serde_json::from_str::<LiveFrame>(&text) {
            Ok(LiveFrame::State(state)) => {
                let _ = follow.state.try_set(Some(*state));
            }
            Ok(LiveFrame::Chat(message)) => follow.add_messages(vec![message]),
            Ok(LiveFrame::ChatRemoved { id }) => {
                let _ = follow.messages.try_update(|all| all.retain(|m| m.id != id));
            }
            Ok(LiveFrame::Poll(poll)) => follow.merge_poll(poll),
            Err(_) => {}
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
