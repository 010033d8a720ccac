//! The table's socket (`/api/poker/tables/{id}/socket`, the session cookie signs it in) and what it
//! tells: the latest `state`, the action log, chat, and each finished hand checked with
//! `shared::poker::play::verify_hand` (the revealed seed against the commitment, then the engine
//! replaying the hand on that deck). A closed socket is opened again after a growing wait.

use leptos::prelude::*;
use shared::poker::{
    cards::Card,
    play::verify_hand,
    wire::{ActionTaken, ChatLine, ClientFrame, HandEnded, Move, ServerFrame, TableState},
};
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{Event, MessageEvent, WebSocket};

const FIRST_WAIT_MS: f64 = 500.0;
const LONGEST_WAIT_MS: f64 = 15_000.0;
/// Lines of the action log and of chat kept on the page.
const KEPT: usize = 60;

/// A finished hand's check in this browser.
#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    pub hand: u64,
    pub hand_id: String,
    pub commitment: String,
    pub outcome: Result<(), String>,
}

struct Socket {
    ws: WebSocket,
    _callbacks: Vec<Closure<dyn FnMut(Event)>>,
}

impl Drop for Socket {
    fn drop(&mut self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close();
    }
}

/// Everything the table page shows from its socket.
#[derive(Clone, Copy)]
pub struct Live {
    pub table_id: StoredValue<String>,
    pub state: RwSignal<Option<TableState>>,
    pub log: RwSignal<Vec<String>>,
    pub chat: RwSignal<Vec<ChatLine>>,
    pub check: RwSignal<Option<Check>>,
    pub error: RwSignal<Option<String>>,
    pub connected: RwSignal<bool>,
    socket: StoredValue<Option<Socket>, LocalStorage>,
    /// (hand, seat, cards) the viewer was dealt, for checking the hand when it ends.
    dealt: StoredValue<Option<(u64, u8, Vec<Card>)>>,
    entropy_for: StoredValue<u64>,
    left: StoredValue<bool>,
}

impl Live {
    pub fn new(table_id: String) -> Live {
        Live {
            table_id: StoredValue::new(table_id),
            state: RwSignal::new(None),
            log: RwSignal::new(Vec::new()),
            chat: RwSignal::new(Vec::new()),
            check: RwSignal::new(None),
            error: RwSignal::new(None),
            connected: RwSignal::new(false),
            socket: StoredValue::new_local(None),
            dealt: StoredValue::new(None),
            entropy_for: StoredValue::new(0),
            left: StoredValue::new(false),
        }
    }

    /// Sends a frame; false when the socket is not open.
    pub fn send(&self, frame: &ClientFrame) -> bool {
        self.socket.with_value(|s| {
            s.as_ref().is_some_and(|s| {
                s.ws.ready_state() == WebSocket::OPEN
                    && serde_json::to_string(frame).is_ok_and(|text| s.ws.send_with_str(&text).is_ok())
            })
        })
    }

    /// Closes the socket for good (the page is left).
    pub fn close(&self) {
        self.left.set_value(true);
        self.socket.set_value(None);
    }

    fn push(list: RwSignal<Vec<String>>, line: String) {
        list.update(|lines| {
            lines.push(line);
            if lines.len() > KEPT {
                lines.remove(0);
            }
        });
    }

    fn on_frame(&self, frame: ServerFrame) {
        match frame {
            ServerFrame::State(state) => {
                if let (Some(seat), Some(hand)) = (state.you, state.hand) {
                    let cards: Option<Vec<Card>> = state
                        .seats
                        .iter()
                        .find(|s| s.seat == seat)
                        .and_then(|s| s.cards.iter().copied().collect());
                    if let Some(cards) = cards.filter(|c| !c.is_empty()) {
                        self.dealt.set_value(Some((hand, seat, cards)));
                    }
                }
                // Mix this browser's randomness into the next shuffle, once its commitment is out.
                if state.you.is_some() && self.entropy_for.get_value() != state.next_hand {
                    let hex = app_ui::api::new_key().replace('-', "");
                    if self.send(&ClientFrame::Entropy { hand: state.next_hand, hex }) {
                        self.entropy_for.set_value(state.next_hand);
                    }
                }
                let _ = self.state.try_set(Some(*state));
            }
            ServerFrame::HandStarted(started) => {
                Live::push(
                    self.log,
                    format!("Hand #{} dealt (commitment {}…)", started.hand, &started.commitment[..12]),
                );
            }
            ServerFrame::Action(action) => Live::push(self.log, describe(&action)),
            ServerFrame::HandEnded(ended) => self.ended(&ended),
            ServerFrame::Chat(line) => self.chat.update(|lines| {
                lines.push(line);
                if lines.len() > KEPT {
                    lines.remove(0);
                }
            }),
            ServerFrame::Error(refusal) => {
                let _ = self.error.try_set(Some(refusal.message));
            }
        }
    }

    fn ended(&self, ended: &HandEnded) {
        for w in &ended.winners {
            let with = w.hand.as_ref().map(|h| format!(" with {}", h.to_lowercase())).unwrap_or_default();
            Live::push(self.log, format!("{} wins {}{with}", w.username, chips(w.amount)));
        }
        let dealt = self.dealt.get_value().filter(|(hand, _, _)| *hand == ended.hand);
        let mine = dealt.as_ref().map(|(_, seat, cards)| (*seat, cards.as_slice()));
        let outcome = verify_hand(ended, mine).map_err(|e| e.to_string());
        let _ = self.check.try_set(Some(Check {
            hand: ended.hand,
            hand_id: ended.hand_id.clone(),
            commitment: ended.commitment.clone(),
            outcome,
        }));
    }
}

/// Chips as people read them: 12,500.
pub fn chips(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn describe(a: &ActionTaken) -> String {
    let who = &a.username;
    let amount = a.amount.map(chips).unwrap_or_default();
    let all_in = if a.all_in { " (all in)" } else { "" };
    let auto = if a.auto { " (timed out or left)" } else { "" };
    let what = match a.action {
        Move::Fold => "folds".to_owned(),
        Move::Check => "checks".to_owned(),
        Move::Call => format!("calls {amount}"),
        Move::Bet => format!("bets {amount}"),
        Move::Raise => format!("raises to {amount}"),
        Move::Complete => format!("completes to {amount}"),
        Move::BringIn => format!("brings in for {amount}"),
        Move::Show => format!("shows {}", a.cards.iter().map(Card::to_string).collect::<Vec<_>>().join(" ")),
        Move::Muck => "mucks".to_owned(),
    };
    format!("{who} {what}{all_in}{auto}")
}

fn socket_url(table_id: &str) -> Option<String> {
    let location = web_sys::window()?.location();
    let scheme = if location.protocol().ok()? == "https:" { "wss" } else { "ws" };
    Some(format!(
        "{scheme}://{}/api/poker/tables/{}/socket",
        location.host().ok()?,
        app_ui::nav::encode(table_id)
    ))
}

/// Opens the socket; `failures` is how many tries in a row have failed.
pub fn connect(live: Live, failures: u32) {
    if live.left.try_get_value().is_none_or(|left| left) {
        return;
    }
    let Some(ws) = socket_url(&live.table_id.get_value()).and_then(|url| WebSocket::new(&url).ok()) else {
        reconnect_later(live, failures + 1);
        return;
    };
    let opened = Closure::<dyn FnMut(Event)>::new(move |_| {
        let _ = live.connected.try_set(true);
    });
    let message = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
        let text = event.unchecked_into::<MessageEvent>().data().as_string().unwrap_or_default();
        if let Ok(frame) = serde_json::from_str::<ServerFrame>(&text) {
            live.on_frame(frame);
        }
    });
    let closed = Closure::<dyn FnMut(Event)>::new(move |_| {
        let was_live = live.connected.try_get_untracked().unwrap_or(false);
        let _ = live.connected.try_set(false);
        reconnect_later(live, if was_live { 0 } else { failures + 1 });
    });
    ws.set_onopen(Some(opened.as_ref().unchecked_ref()));
    ws.set_onmessage(Some(message.as_ref().unchecked_ref()));
    ws.set_onclose(Some(closed.as_ref().unchecked_ref()));
    live.socket.set_value(Some(Socket { ws, _callbacks: vec![opened, message, closed] }));
}

fn reconnect_later(live: Live, failures: u32) {
    let wait = (FIRST_WAIT_MS * 2f64.powi(failures.min(6) as i32)).min(LONGEST_WAIT_MS);
    let jitter = 0.75 + js_sys::Math::random() / 2.0;
    let Some(window) = web_sys::window() else { return };
    let callback = Closure::once_into_js(move || connect(live, failures));
    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
        callback.unchecked_ref(),
        (wait * jitter) as i32,
    );
}
