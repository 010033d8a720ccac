//! `PokerTable`, one Durable Object per table: it runs the table's hands on the shared engine
//! (`shared::poker::play::Table`), holds the sockets of its players and spectators, keeps the
//! action clock with its alarm, and writes each finished hand to D1 in one transaction with the
//! seats' chips after it (`store::settle`).
//!
//! Every change takes a turn (`Turns`), so nothing lands while a hand is being written. The
//! table is saved to the object's storage before its frames go out and before D1 hears of a
//! finished hand: a hand D1 has not taken yet stays `pending` (and is written again, which
//! changes nothing once it landed) and no hand is dealt until it is written.
//!
//! Sockets use the hibernation API: who a socket belongs to travels with it (its attachment).

use super::store;
use crate::{
    http::{error_response, header, internal, OrInternal},
    password::random,
    platform::now_ms,
    turns::Turns,
};
use serde::{Deserialize, Serialize};
use shared::{
    chat::pace::Pace,
    ids::TimeId,
    poker::{
        play::{Finished, Leave, Outcome, Table},
        seat::SeatView,
        wire::{
            chat_allowed, chat_line, from_hex, read_client_frame, ClientFrame, Refusal, ServerFrame,
            FRAMES_BURST, FRAMES_PER_SECOND,
        },
    },
    ApiError, ErrorCode,
};
use std::{cell::RefCell, collections::HashMap};
use worker::{
    durable_object, DurableObject, Env, Request, Response, Result, State, WebSocket,
    WebSocketIncomingMessage, WebSocketPair,
};

/// Headers the worker sets (after authenticating) when it hands a socket to a table.
pub const USER_ID_HEADER: &str = "X-Dozen-Poker-User-Id";
pub const USERNAME_HEADER: &str = "X-Dozen-Poker-Username";
pub const TABLE_HEADER: &str = "X-Dozen-Poker-Table";

const STORAGE_KEY: &str = "table";
/// How soon a hand or seat change D1 did not take is written again.
const RETRY_MS: i64 = 2_000;
/// Sockets one person may hold open at one table (tabs, devices).
const SOCKETS_PER_USER: usize = 4;

/// The pause between hands (ms), so that people see the result: `POKER_HAND_PAUSE_MS`, 3 s
/// unless set (the e2e suites set it short).
fn hand_pause_ms(env: &Env) -> i64 {
    env.var("POKER_HAND_PAUSE_MS").ok().and_then(|v| v.to_string().parse().ok()).unwrap_or(3_000)
}

/// A seat change saved before D1 is asked, so that an answer lost on the way (or the object
/// restarting meanwhile) is settled from what D1 holds: a buy-in by whether its seat row exists,
/// a cash-out by doing it again (it moves chips only while the seat is there).
#[derive(Clone, Serialize, Deserialize)]
enum SeatOp {
    Sit(SitRequest),
    Leave {
        user_id: String,
    },
    /// A sit-and-go's last seat was taken: it started then (written again, it changes nothing).
    Start {
        at: i64,
    },
}

/// What the object keeps: the table, hands and seat changes D1 has not taken yet, and when the
/// next hand is due.
#[derive(Clone, Serialize, Deserialize)]
struct Stored {
    table: Table,
    pending: Vec<Finished>,
    #[serde(default)]
    seat_ops: Vec<SeatOp>,
    deal_at: Option<i64>,
}

impl Stored {
    fn unsettled(&self) -> bool {
        !self.pending.is_empty() || !self.seat_ops.is_empty()
    }
}

/// Who a socket belongs to, kept with it across hibernation.
#[derive(Serialize, Deserialize)]
struct Viewer {
    table_id: String,
    user_id: String,
    username: String,
    pace: Pace,
}

/// `POST /sit`: a buy-in the worker checked against the table's rules.
#[derive(Clone, Serialize, Deserialize)]
pub struct SitRequest {
    pub table_id: String,
    pub seat_id: String,
    pub user_id: String,
    pub username: String,
    pub seat: u8,
    pub buy_in: u64,
}

#[derive(Serialize, Deserialize)]
pub struct SitReply {
    pub sat: bool,
}

/// `POST /leave`.
#[derive(Serialize, Deserialize)]
pub struct LeaveRequest {
    pub table_id: String,
    pub user_id: String,
}

/// Up now (`left`), or when the hand in play ends (`seat` until then).
#[derive(Serialize, Deserialize)]
pub struct LeaveReply {
    pub left: bool,
    pub seat: Option<SeatView>,
}

#[durable_object]
pub struct PokerTable {
    state: State,
    env: Env,
    turns: Turns,
    /// The stored table, as last saved.
    cached: RefCell<Option<Stored>>,
    /// When each person's last chat lines went (whatever socket they came from). Held in
    /// memory only: an object woken from hibernation starts everyone afresh.
    chat_sent: RefCell<HashMap<String, Vec<i64>>>,
}

impl DurableObject for PokerTable {
    fn new(state: State, env: Env) -> Self {
        Self {
            state,
            env,
            turns: Turns::default(),
            cached: RefCell::new(None),
            chat_sent: RefCell::new(HashMap::new()),
        }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let turn = self.turns.ticket();
        turn.wait().await;
        let answer = match req.path().as_str() {
            "/connect" => self.open_socket(&req).await,
            "/sit" => match req.json::<SitRequest>().await {
                Ok(asked) => {
                    self.sit(&asked).await.and_then(|r| Response::from_json(&r).internal("sit reply"))
                }
                Err(err) => Err(internal("a sit request", err)),
            },
            "/leave" => match req.json::<LeaveRequest>().await {
                Ok(asked) => {
                    self.leave(&asked).await.and_then(|r| Response::from_json(&r).internal("leave reply"))
                }
                Err(err) => Err(internal("a leave request", err)),
            },
            _ => Err(ApiError::not_found("No such table request.")),
        };
        Ok(answer.unwrap_or_else(|err| error_response(&err)))
    }

    async fn websocket_message(&self, ws: WebSocket, message: WebSocketIncomingMessage) -> Result<()> {
        let Ok(Some(mut viewer)) = ws.deserialize_attachment::<Viewer>() else {
            let _ = ws.close(Some(1011), Some("Unknown viewer."));
            return Ok(());
        };
        let WebSocketIncomingMessage::String(text) = message else {
            let _ = ws.close(Some(1003), Some("Frames are JSON text."));
            return Ok(());
        };
        // Up to the first await the frames are taken in the order they came.
        let now = now_ms();
        let paced = viewer.pace.take_at_rate(now, FRAMES_BURST, FRAMES_PER_SECOND);
        let frame = read_client_frame(&text);
        let chat_ok = !matches!(frame, Ok(ClientFrame::Chat { .. }))
            || chat_allowed(self.chat_sent.borrow_mut().entry(viewer.user_id.clone()).or_default(), now);
        let _ = ws.serialize_attachment(&viewer);
        let turn = self.turns.ticket();
        if !paced || !chat_ok {
            send(&ws, &ServerFrame::Error(Refusal::new("rate_limited", "Too many frames; slow down.")));
            return Ok(());
        }
        let frame = match frame {
            Ok(frame) => frame,
            Err(refusal) => {
                send(&ws, &ServerFrame::Error(refusal));
                return Ok(());
            }
        };
        turn.wait().await;
        if let Err(refusal) = self.handle(&viewer, frame, now_ms()).await {
            send(&ws, &ServerFrame::Error(refusal));
        }
        Ok(())
    }

    async fn websocket_close(
        &self,
        ws: WebSocket,
        _code: usize,
        _reason: String,
        _was_clean: bool,
    ) -> Result<()> {
        let _ = ws.close(Some(1000), Some("Bye."));
        Ok(())
    }

    async fn websocket_error(&self, ws: WebSocket, _error: worker::Error) -> Result<()> {
        let _ = ws.close(Some(1011), Some("Socket error."));
        Ok(())
    }

    /// The clock ran out, a hand is due, or a hand waits to be written.
    async fn alarm(&self) -> Result<Response> {
        let turn = self.turns.ticket();
        turn.wait().await;
        // Should this run fail half way, the table is woken again (its own alarm replaces this).
        self.state.storage().set_alarm(RETRY_MS).await?;
        let stored = match self.stored().await {
            Ok(Some(stored)) => stored,
            Ok(None) => {
                self.state.storage().delete_alarm().await?;
                return Response::empty();
            }
            Err(err) => {
                let _ = internal("loading a table for its alarm", err.message);
                return Response::empty();
            }
        };
        let mut stored = stored;
        let now = now_ms();
        let outcome = stored.table.clock(now);
        if let Err(err) = self.commit(stored, outcome, now).await {
            let _ = internal("a table's alarm (woken again soon)", err.message);
        }
        Response::empty()
    }
}

fn send(ws: &WebSocket, frame: &ServerFrame) {
    let _ = ws.send_with_str(frame.to_json());
}

fn unavailable() -> ApiError {
    ApiError::new(ErrorCode::Unavailable, "The table is catching up: try again in a moment.")
}

/// The chips a seat starts with: the buy-in, or a sit-and-go's starting chips (its buy-in is
/// the entry, paid into the prize pool).
fn seat_chips(table: &Table, buy_in: u64) -> u64 {
    table.rules.sit_and_go.map_or(buy_in, |sng| sng.starting_chips)
}

/// Gets a player up in D1: their chips back to the wallet, or (a sit-and-go not started) their
/// entry; whether they had a seat.
async fn get_up(
    db: &worker::D1Database,
    table: &Table,
    user_id: &str,
) -> std::result::Result<bool, ApiError> {
    if table.tournament.is_some() {
        store::unregister(db, &table.id, user_id).await
    } else {
        store::leave(db, &table.id, user_id).await
    }
}

impl PokerTable {
    /// The saved table, if there is one.
    async fn stored(&self) -> std::result::Result<Option<Stored>, ApiError> {
        if let Some(stored) = self.cached.borrow().as_ref() {
            return Ok(Some(stored.clone()));
        }
        let text: Option<String> = self.state.storage().get(STORAGE_KEY).await.internal("reading a table")?;
        let stored = match text {
            Some(text) => Some(serde_json::from_str::<Stored>(&text).internal("reading a stored table")?),
            None => None,
        };
        *self.cached.borrow_mut() = stored.clone();
        Ok(stored)
    }

    /// The saved table, or the table as D1 knows it (its rules and seats) the first time.
    async fn load(&self, table_id: &str) -> std::result::Result<Stored, ApiError> {
        if let Some(stored) = self.stored().await? {
            return Ok(stored);
        }
        let db = self.env.d1("DB").internal("DB binding")?;
        let row = store::one(&db, table_id).await?.ok_or_else(|| ApiError::not_found("No such table."))?;
        let mut table = Table::new(row.id.clone(), row.rules()?, random::<32>()?);
        // Should the object's storage ever be lost, hands go on from the last one D1 holds.
        table.hands_dealt = u64::try_from(row.last_hand).unwrap_or(0);
        for owner in store::seat_owners(&db, table_id).await? {
            let seat = u8::try_from(owner.seat).unwrap_or(0);
            let chips = u64::try_from(owner.chips).unwrap_or(0);
            let _ = table.sit(seat, &owner.user_id, &owner.username, chips);
        }
        let mut seat_ops = Vec::new();
        if let (Some(tournament), Some(started)) = (table.tournament.as_mut(), row.started_at) {
            tournament.started_ms = Some(started);
            tournament.entrants = table.rules.seats;
            let finishes = store::finishes(&db, &[table_id]).await?;
            tournament.placed = finishes.iter().map(store::FinishRow::placed).collect();
        } else if table.start_if_full(now_ms()) {
            // Full in D1 but never marked started (the object went down in between).
            seat_ops.push(SeatOp::Start { at: now_ms() });
        }
        Ok(Stored { table, pending: Vec::new(), seat_ops, deal_at: None })
    }

    async fn save(&self, stored: &Stored) -> std::result::Result<(), ApiError> {
        let text = serde_json::to_string(stored).internal("writing a table")?;
        self.state.storage().put(STORAGE_KEY, text).await.internal("saving a table")?;
        *self.cached.borrow_mut() = Some(stored.clone());
        Ok(())
    }

    /// Settles with D1 what it may not have taken yet, oldest first (seat changes, then hands);
    /// whether nothing is left.
    async fn settle(&self, stored: &mut Stored) -> bool {
        let Ok(db) = self.env.d1("DB") else { return !stored.unsettled() };
        while let Some(op) = stored.seat_ops.first().cloned() {
            let settled = match op {
                SeatOp::Sit(asked) => store::seat_exists(&db, &asked.seat_id).await.map(|took| {
                    if took && stored.table.seat_of(&asked.user_id).is_none() {
                        let chips = seat_chips(&stored.table, asked.buy_in);
                        match stored.table.sit(asked.seat, &asked.user_id, &asked.username, chips) {
                            Ok(()) if self.has_socket(&asked.user_id) => {
                                stored.table.arrived(&asked.user_id);
                            }
                            Ok(()) => {}
                            Err(refusal) => {
                                let _ = internal("seating a recovered buy-in", refusal.message);
                            }
                        }
                        // The recovered seat may be a sit-and-go's last (written next, in order).
                        if stored.table.start_if_full(now_ms()) {
                            stored.seat_ops.push(SeatOp::Start { at: now_ms() });
                        }
                    }
                }),
                SeatOp::Leave { user_id } => get_up(&db, &stored.table, &user_id).await.map(drop),
                SeatOp::Start { at } => store::start(&db, &stored.table.id, at).await,
            };
            if let Err(err) = settled {
                let _ = internal("settling a seat change (kept to try again)", err.message);
                return false;
            }
            stored.seat_ops.remove(0);
        }
        while let Some(finished) = stored.pending.first() {
            if let Err(err) = store::settle(&db, &stored.table.id, finished).await {
                let _ = internal("writing a finished hand (kept to try again)", err.message);
                return false;
            }
            stored.pending.remove(0);
        }
        true
    }

    /// Saves a change and what followed from it (the finished hand written, the next hand dealt
    /// when due), then sends the frames and every viewer's state, and sets the alarm.
    async fn commit(
        &self,
        mut stored: Stored,
        outcome: Outcome,
        now: i64,
    ) -> std::result::Result<(), ApiError> {
        let mut frames = Vec::new();
        let mut outcome = Some(outcome);
        while let Some(o) = outcome.take() {
            let run_out = o.ended.as_ref().map_or(0, |e| i64::from(e.run_out_streets()));
            frames.extend(o.started.map(ServerFrame::HandStarted));
            frames.extend(o.actions.into_iter().map(ServerFrame::Action));
            frames.extend(o.ended.map(ServerFrame::HandEnded));
            if let Some(finished) = o.finished {
                stored.pending.push(finished);
                // Browsers show a run-out a street at a time (a third of the pause each) first.
                let pause = hand_pause_ms(&self.env);
                stored.deal_at = Some(now + pause + run_out * pause / 3);
                // Saved with the hand pending first: the hand is never lost between the two writes.
                self.save(&stored).await?;
            }
            if stored.unsettled() && !self.settle(&mut stored).await {
                break;
            }
            if !stored.table.can_deal() {
                stored.deal_at = None;
                break;
            }
            let due = *stored.deal_at.get_or_insert(now + hand_pause_ms(&self.env));
            if due <= now {
                stored.deal_at = None;
                let hand_id = TimeId::new(now, random::<10>()?).to_string();
                outcome = Some(stored.table.start_hand(hand_id, random::<32>()?, now));
            }
        }
        self.save(&stored).await?;
        self.set_alarm(&stored, now).await;
        self.broadcast(&stored.table, &frames, now);
        Ok(())
    }

    /// Wakes the object for the clock, the next hand, or a hand to write again.
    async fn set_alarm(&self, stored: &Stored, now: i64) {
        let retry = stored.unsettled().then_some(now + RETRY_MS);
        let next = [stored.table.wake_at(), stored.deal_at, retry].into_iter().flatten().min();
        let storage = self.state.storage();
        let set = match next {
            Some(at) => storage.set_alarm((at - now).max(1)).await,
            None => storage.delete_alarm().await,
        };
        if let Err(err) = set {
            let _ = internal("setting a table's alarm", err);
        }
    }

    fn has_socket(&self, user_id: &str) -> bool {
        self.sockets().iter().any(|(_, viewer)| viewer.user_id == user_id)
    }

    fn sockets(&self) -> Vec<(WebSocket, Viewer)> {
        self.state
            .get_websockets()
            .into_iter()
            .filter_map(|ws| {
                let viewer = ws.deserialize_attachment::<Viewer>().ok().flatten()?;
                Some((ws, viewer))
            })
            .collect()
    }

    /// Sends the frames to every socket, then each viewer's own state.
    fn broadcast(&self, table: &Table, frames: &[ServerFrame], now: i64) {
        let texts: Vec<String> = frames.iter().map(ServerFrame::to_json).collect();
        for (ws, viewer) in self.sockets() {
            for text in &texts {
                let _ = ws.send_with_str(text);
            }
            send(&ws, &ServerFrame::State(Box::new(table.view(Some(&viewer.user_id), now))));
        }
    }

    /// Accepts a socket; a seated player who was away is dealt in from the next hand. What can
    /// fail (loading, saving) comes first: a refused socket leaves nothing behind, and the
    /// commitment a viewer is shown is the one saved.
    async fn open_socket(&self, req: &Request) -> std::result::Result<Response, ApiError> {
        let user_id = header(req, USER_ID_HEADER).ok_or_else(ApiError::unauthenticated)?;
        let username = header(req, USERNAME_HEADER).ok_or_else(ApiError::unauthenticated)?;
        let table_id = header(req, TABLE_HEADER).ok_or_else(|| ApiError::not_found("No such table."))?;
        if self.sockets().iter().filter(|(_, v)| v.user_id == user_id).count() >= SOCKETS_PER_USER {
            return Err(ApiError::new(
                ErrorCode::RateLimited,
                format!("You have this table open {SOCKETS_PER_USER} times already: close one."),
            ));
        }
        let first_load = self.cached.borrow().is_none();
        let mut stored = self.load(&table_id).await?;
        let now = now_ms();
        // A seat change left unsettled is settled now (commit does), with the arrival.
        if stored.table.arrived(&user_id) || stored.unsettled() {
            self.commit(stored, Outcome::default(), now).await?;
        } else if first_load {
            stored.deal_at = None;
            self.save(&stored).await?;
        }
        let table = self.stored().await?.map(|s| s.table).ok_or_else(ApiError::internal)?;
        let pair = WebSocketPair::new().internal("a socket pair")?;
        let viewer = Viewer { table_id, user_id: user_id.clone(), username, pace: Pace::new(now) };
        pair.server.serialize_attachment(&viewer).internal("a socket's viewer")?;
        self.state.accept_web_socket(&pair.server);
        for line in &table.chat {
            send(&pair.server, &ServerFrame::Chat(line.clone()));
        }
        send(&pair.server, &ServerFrame::State(Box::new(table.view(Some(&user_id), now))));
        Response::from_websocket(pair.client).internal("answering a socket")
    }

    /// The table, with every finished hand written to D1 (a change to the seats waits for it).
    async fn settled(&self, table_id: &str) -> std::result::Result<Stored, ApiError> {
        let mut stored = self.load(table_id).await?;
        if stored.unsettled() {
            let done = self.settle(&mut stored).await;
            // What was settled is kept, whatever the caller does next.
            self.save(&stored).await?;
            if !done {
                return Err(unavailable());
            }
        }
        Ok(stored)
    }

    async fn sit(&self, asked: &SitRequest) -> std::result::Result<SitReply, ApiError> {
        let mut stored = self.settled(&asked.table_id).await?;
        let table = &stored.table;
        let index = usize::from(asked.seat).wrapping_sub(1);
        if table.tournament_started() {
            return Err(ApiError::new(ErrorCode::Conflict, "This sit-and-go has started: pick another."));
        }
        if table.seat_of(&asked.user_id).is_some() || table.seats.get(index).is_none_or(Option::is_some) {
            return Ok(SitReply { sat: false });
        }
        let db = self.env.d1("DB").internal("DB binding")?;
        let now = now_ms();
        // Saved first: if D1's answer is lost, `settle` finds out whether it took the seat.
        stored.seat_ops.push(SeatOp::Sit(asked.clone()));
        self.save(&stored).await?;
        self.set_alarm(&stored, now).await;
        let chips = seat_chips(&stored.table, asked.buy_in);
        let took = if stored.table.tournament.is_some() {
            store::register(
                &db,
                &asked.seat_id,
                &asked.table_id,
                &asked.user_id,
                asked.seat,
                chips,
                asked.buy_in,
                now,
            )
            .await?
        } else {
            store::sit(&db, &asked.seat_id, &asked.table_id, &asked.user_id, asked.seat, asked.buy_in, now)
                .await?
        };
        stored.seat_ops.pop();
        if !took {
            self.save(&stored).await?;
            return Ok(SitReply { sat: false });
        }
        if let Err(refusal) = stored.table.sit(asked.seat, &asked.user_id, &asked.username, chips) {
            return Err(internal("seating a player D1 seated", refusal.message));
        }
        // Sitting down with the table open: dealt in from the next hand.
        if self.has_socket(&asked.user_id) {
            stored.table.arrived(&asked.user_id);
        }
        // A sit-and-go starts with its last seat; D1 hears of it before the first hand is dealt.
        if stored.table.start_if_full(now) {
            stored.seat_ops.push(SeatOp::Start { at: now });
        }
        self.commit(stored, Outcome::default(), now).await?;
        Ok(SitReply { sat: true })
    }

    async fn leave(&self, asked: &LeaveRequest) -> std::result::Result<LeaveReply, ApiError> {
        let mut stored = self.settled(&asked.table_id).await?;
        let now = now_ms();
        let (leave, outcome) = stored.table.leave(&asked.user_id, now);
        match leave {
            Leave::NotSeated => {
                // A seat D1 holds and the table does not know (a write that landed late) is not
                // in play: it is cashed out.
                let db = self.env.d1("DB").internal("DB binding")?;
                if get_up(&db, &stored.table, &asked.user_id).await? {
                    return Ok(LeaveReply { left: true, seat: None });
                }
                Err(ApiError::not_found("You have no seat at this table."))
            }
            Leave::Playing => Err(ApiError::new(
                ErrorCode::Conflict,
                "A sit-and-go is played to the end: sit out instead (you are folded and blinded until you are back).",
            )),
            Leave::Now(_) => {
                let db = self.env.d1("DB").internal("DB binding")?;
                // Saved first (the seat already gone from the table): if D1's answer is lost,
                // `settle` cashes out again, which moves chips only while the seat is there.
                stored.seat_ops.push(SeatOp::Leave { user_id: asked.user_id.clone() });
                self.save(&stored).await?;
                self.set_alarm(&stored, now).await;
                get_up(&db, &stored.table, &asked.user_id).await?;
                stored.seat_ops.pop();
                self.commit(stored, outcome, now).await?;
                Ok(LeaveReply { left: true, seat: None })
            }
            Leave::AfterHand => {
                self.commit(stored, outcome, now).await?;
                // The fold may have ended the hand, and with it the seat (once D1 has the hand).
                let stored = self.stored().await?;
                let written = stored.as_ref().is_some_and(|s| !s.unsettled());
                let table = stored.map(|s| s.table);
                let seat = table.as_ref().and_then(|t| {
                    let index = t.seat_of(&asked.user_id)?;
                    let player = t.seats[index].as_ref()?;
                    Some(SeatView {
                        seat: u8::try_from(index + 1).unwrap_or(0),
                        username: player.username.clone(),
                        chips: player.chips,
                    })
                });
                Ok(LeaveReply { left: seat.is_none() && written, seat })
            }
        }
    }

    /// One frame from a viewer, in its turn.
    async fn handle(
        &self,
        viewer: &Viewer,
        frame: ClientFrame,
        now: i64,
    ) -> std::result::Result<(), Refusal> {
        let trouble = |err: ApiError| Refusal::new("internal", err.message);
        let mut stored = self.load(&viewer.table_id).await.map_err(trouble)?;
        let table = &mut stored.table;
        let user = viewer.user_id.as_str();
        let outcome = match frame {
            ClientFrame::Act { hand, action, amount } => table.act(user, hand, action, amount, now)?,
            ClientFrame::Show => match table.show(user)? {
                Some(shown) => Outcome { actions: vec![shown], ..Outcome::default() },
                None => return Ok(()),
            },
            ClientFrame::Muck => return Ok(()),
            ClientFrame::SitOut => {
                if !table.sit_out(user)? {
                    return Ok(());
                }
                Outcome::default()
            }
            ClientFrame::SitIn => {
                if !table.sit_in(user)? {
                    return Ok(());
                }
                Outcome::default()
            }
            ClientFrame::Chat { text, emote } => {
                // A chat line changes nothing at the table: it alone goes out, no states.
                let seat = table.seat_of(user).and_then(|s| u8::try_from(s + 1).ok());
                let line = chat_line(&viewer.username, seat, text.as_deref(), emote.as_deref(), now)?;
                table.keep_chat(line.clone());
                self.save(&stored).await.map_err(trouble)?;
                let text = ServerFrame::Chat(line).to_json();
                for (ws, _) in self.sockets() {
                    let _ = ws.send_with_str(&text);
                }
                return Ok(());
            }
            ClientFrame::Entropy { hand, hex } => {
                let bytes = from_hex(&hex).ok_or_else(|| Refusal::new("invalid", "Entropy is hex."))?;
                table.add_entropy(user, hand, bytes)?;
                return self.save(&stored).await.map_err(trouble);
            }
        };
        self.commit(stored, outcome, now).await.map_err(trouble)
    }
}
