//! The table's socket (`/api/poker/tables/{id}/socket`, the session cookie signs it in) and what it
//! tells: the latest `state`, the action log, chat, and each finished hand checked with
//! `shared::poker::play::verify_hand` (the revealed seed against the commitment, then the engine
//! replaying the hand on that deck). A closed socket is opened again after a growing wait.

use crate::{run_out::RunOut, rupees::amount};
use app_ui::socket::{after_ms, retry_wait_ms, Socket};
use leptos::prelude::*;
use shared::poker::{
    cards::Card,
    money::Chips,
    play::verify_hand,
    wire::{ActionTaken, ChatLine, ClientFrame, HandEnded, Move, ServerFrame, TableState},
};
/// How long each street of an all-in run-out is on show (a third of the worker's pause between
/// hands, `POKER_HAND_PAUSE_MS`).
const RUN_OUT_STREET_MS: i32 = 1_000;
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

/// Everything the table page shows from its socket.
#[derive(Clone, Copy)]
pub struct Live {
    pub table_id: StoredValue<String>,
    pub state: RwSignal<Option<TableState>>,
    pub log: RwSignal<Vec<String>>,
    pub chat: RwSignal<Vec<ChatLine>>,
    pub check: RwSignal<Option<Check>>,
    /// The street of an all-in run-out on show, if one is.
    pub run_out: RwSignal<Option<RunOut>>,
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
            run_out: RwSignal::new(None),
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
        self.socket.with_value(|s| s.as_ref().is_some_and(|s| s.send(frame)))
    }

    /// Closes the socket for good (the page is left).
    pub fn close(&self) {
        self.left.set_value(true);
        self.socket.set_value(None);
    }

    /// What the table's chips are (play until its first state arrives).
    fn chips(&self) -> Chips {
        self.state.try_with_untracked(|s| s.as_ref().map(|s| s.chips)).flatten().unwrap_or_default()
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
                let _ = self.run_out.try_set(None);
                Live::push(
                    self.log,
                    format!("Hand #{} dealt (commitment {}…)", started.hand, &started.commitment[..12]),
                );
            }
            ServerFrame::Action(action) => Live::push(self.log, describe(&action, self.chips())),
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

    /// Shows street `i` of a run-out, then the next a third of the table's pause later (the
    /// table waits that much longer before the next hand); the last gives way to the result.
    fn show_run_out(&self, ended: &HandEnded, streets: Vec<RunOut>, i: usize) {
        let Some(street) = streets.get(i).cloned() else {
            let _ = self.run_out.try_set(None);
            return;
        };
        if i == 0 && !street.equity.is_empty() {
            Live::push(self.log, format!("All in: {}", crate::run_out::summary(ended, &street)));
        }
        let hand = street.hand;
        if self.run_out.try_set(Some(street)).is_none() {
            let live = *self;
            let ended = ended.clone();
            after_ms(RUN_OUT_STREET_MS, move || {
                // Gone on when the next hand was dealt meanwhile.
                if live.run_out.try_with_untracked(|r| r.as_ref().map(|r| r.hand)).flatten() == Some(hand) {
                    live.show_run_out(&ended, streets, i + 1);
                }
            });
        }
    }

    fn ended(&self, ended: &HandEnded) {
        for w in &ended.winners {
            let with = w.hand.as_ref().map(|h| format!(" with {}", h.to_lowercase())).unwrap_or_default();
            let won = amount(self.chips(), w.amount);
            Live::push(self.log, format!("{} wins {won}{with}", w.username));
        }
        self.show_run_out(ended, crate::run_out::streets(ended), 0);
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
pub fn describe(a: &ActionTaken, chips: Chips) -> String {
    let who = &a.username;
    let amount = a.amount.map(|n| amount(chips, n)).unwrap_or_default();
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

/// Opens the socket; `failures` is how many tries in a row have failed.
pub fn connect(live: Live, failures: u32) {
    if live.left.try_get_value().is_none_or(|left| left) {
        return;
    }
    let path = format!("/api/poker/tables/{}/socket", app_ui::nav::encode(&live.table_id.get_value()));
    let socket = Socket::open(
        &path,
        move || {
            let _ = live.connected.try_set(true);
        },
        move |text| {
            if let Ok(frame) = serde_json::from_str::<ServerFrame>(&text) {
                live.on_frame(frame);
            }
        },
        move || {
            let was_live = live.connected.try_get_untracked().unwrap_or(false);
            let _ = live.connected.try_set(false);
            reconnect_later(live, if was_live { 0 } else { failures + 1 });
        },
    );
    match socket {
        Some(socket) => live.socket.set_value(Some(socket)),
        None => reconnect_later(live, failures + 1),
    }
}

fn reconnect_later(live: Live, failures: u32) {
    after_ms(retry_wait_ms(failures), move || connect(live, failures));
}
