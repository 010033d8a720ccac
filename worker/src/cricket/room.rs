//! `CricketMatch`, one Durable Object per match scored live: it takes the scorers' events one at
//! a time, checks each against the Laws (`shared::cricket::live`), writes it to D1 with what it
//! changes (the innings, the scores, the result) in one transaction, and sends every viewer's
//! socket the new state. A viewer who joins late gets the state at once. The log lives in D1
//! (`cricket_events`), so an object that lost its memory plays it again.

use super::store;
use crate::{
    http::{error_response, header, internal, OrInternal},
    platform::now_ms,
    turns::Turns,
};
use serde::{Deserialize, Serialize};
use shared::{
    cricket::{
        live::{Event, Live},
        live_view::{live_state, LiveFrame, LiveState},
    },
    ApiError, ErrorCode,
};
use std::cell::RefCell;
use worker::{
    durable_object, DurableObject, Env, Request, Response, Result, State, WebSocket, WebSocketPair,
};

/// The header naming the match a socket is for (set by the worker, never by the client).
pub const MATCH_HEADER: &str = "X-Dozen-Cricket-Match";

/// A scorer's change: an event to add, or the last one to take back.
#[derive(Serialize, Deserialize)]
pub struct Change {
    pub match_id: String,
    pub user_id: String,
    /// None: undo the last event.
    pub event: Option<Event>,
    /// The events the scorer saw: when the log has moved since (another scorer's ball, an
    /// undo), the change is refused rather than applied to a match they did not see.
    pub expected_seq: Option<u32>,
}

/// The most events a match takes (a five-day Test bowls about 3,000 balls).
pub const MAX_EVENTS: usize = 6_000;
/// The largest event, as JSON (a ball is about 200 bytes).
pub const MAX_EVENT_BYTES: usize = 4_096;
/// The most sockets one match's object serves.
pub const MAX_VIEWERS: usize = 2_000;

struct Loaded {
    match_id: String,
    events: Vec<Event>,
    /// Changes so far: every event and undo adds one.
    revision: u64,
    live: Live,
}

#[durable_object]
pub struct CricketMatch {
    state: State,
    env: Env,
    turns: Turns,
    loaded: RefCell<Option<Loaded>>,
}

impl DurableObject for CricketMatch {
    fn new(state: State, env: Env) -> Self {
        Self { state, env, turns: Turns::default(), loaded: RefCell::new(None) }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let turn = self.turns.ticket();
        turn.wait().await;
        let answer = match req.path().as_str() {
            "/connect" => self.open_socket(&req).await,
            "/broadcast" => match req.json::<Broadcast>().await {
                Ok(asked) => {
                    self.broadcast(&asked.frame);
                    Response::from_json(&serde_json::json!({ "sent": true })).internal("an answer")
                }
                Err(err) => Err(internal("a broadcast", err)),
            },
            "/change" => match req.json::<Change>().await {
                Ok(change) => {
                    self.change(change).await.and_then(|s| Response::from_json(&s).internal("a state"))
                }
                Err(err) => Err(internal("a change", err)),
            },
            _ => Err(ApiError::not_found("No such match request.")),
        };
        Ok(answer.unwrap_or_else(|err| error_response(&err)))
    }

    async fn websocket_message(
        &self,
        ws: WebSocket,
        _message: worker::WebSocketIncomingMessage,
    ) -> Result<()> {
        // The socket only sends: a viewer that talks is closed (and costs nothing more).
        let _ = ws.close(Some(1003), Some("This socket only sends."));
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
}

fn send(ws: &WebSocket, state: &LiveState) {
    if let Ok(text) = serde_json::to_string(&LiveFrame::State(Box::new(state.clone()))) {
        let _ = ws.send_with_str(text);
    }
}

/// What the worker asks the object to pass on to every viewer (chat, polls).
#[derive(Serialize, Deserialize)]
pub struct Broadcast {
    pub frame: LiveFrame,
}

impl CricketMatch {
    /// Sends one frame to every viewer's socket.
    fn broadcast(&self, frame: &LiveFrame) {
        let Ok(text) = serde_json::to_string(frame) else { return };
        for ws in self.state.get_websockets() {
            let _ = ws.send_with_str(&text);
        }
    }

    fn db(&self) -> std::result::Result<worker::D1Database, ApiError> {
        self.env.d1("DB").internal("DB binding")
    }

    /// The match and its log, from memory or from D1.
    async fn load(&self, match_id: &str) -> std::result::Result<(), ApiError> {
        if self.loaded.borrow().as_ref().is_some_and(|l| l.match_id == match_id) {
            return Ok(());
        }
        let db = self.db()?;
        let base = store::load(&db, match_id).await?;
        let events = store::events(&db, match_id).await?;
        let revision = store::revision(&db, match_id).await?;
        let live = Live::restore(base, &events);
        *self.loaded.borrow_mut() = Some(Loaded { match_id: match_id.to_owned(), events, revision, live });
        Ok(())
    }

    async fn open_socket(&self, req: &Request) -> std::result::Result<Response, ApiError> {
        let match_id = header(req, MATCH_HEADER).ok_or_else(|| ApiError::not_found("No such match."))?;
        if self.state.get_websockets().len() >= MAX_VIEWERS {
            return Err(ApiError::new(
                ErrorCode::Unavailable,
                "This match has all the viewers one object serves.",
            ));
        }
        self.load(&match_id).await?;
        let pair = WebSocketPair::new().internal("a socket pair")?;
        self.state.accept_web_socket(&pair.server);
        if let Some(loaded) = self.loaded.borrow().as_ref() {
            send(&pair.server, &live_state(&loaded.live, loaded.events.len() as u32, loaded.revision));
        }
        Response::from_websocket(pair.client).internal("answering a socket")
    }

    /// Applies a change: checked, written to D1, then sent to every viewer.
    async fn change(&self, change: Change) -> std::result::Result<LiveState, ApiError> {
        self.load(&change.match_id).await?;
        let (events, live) = {
            let loaded = self.loaded.borrow();
            let loaded = loaded.as_ref().ok_or_else(ApiError::internal)?;
            if let Some(expected) = change.expected_seq.filter(|e| *e as usize != loaded.events.len()) {
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    format!(
                        "The match has moved on: it is at event {}, not {expected}. Look again.",
                        loaded.events.len()
                    ),
                ));
            }
            let mut events = loaded.events.clone();
            let live = match change.event {
                Some(event) => {
                    let size = serde_json::to_string(&event).map_or(0, |t| t.len());
                    if size > MAX_EVENT_BYTES {
                        return Err(ApiError::new(
                            ErrorCode::PayloadTooLarge,
                            format!(
                                "An event is at most {MAX_EVENT_BYTES} bytes of JSON; this one is {size}."
                            ),
                        ));
                    }
                    if events.len() >= MAX_EVENTS {
                        return Err(ApiError::new(
                            ErrorCode::Conflict,
                            format!("A match takes at most {MAX_EVENTS} events."),
                        ));
                    }
                    let mut live = loaded.live.clone();
                    live.apply(&event)?;
                    events.push(event);
                    live
                }
                None => {
                    if events.pop().is_none() {
                        return Err(ApiError::new(ErrorCode::Conflict, "There is nothing to undo."));
                    }
                    Live::restore(loaded.live.m.clone(), &events)
                }
            };
            (events, live)
        };
        let db = self.db()?;
        let was_finished = self.loaded.borrow().as_ref().is_some_and(|l| l.live.finished);
        let revision = self.loaded.borrow().as_ref().map_or(0, |l| l.revision) + 1;
        let added = if events.len() > self.loaded.borrow().as_ref().map_or(0, |l| l.events.len()) {
            events.last()
        } else {
            None
        };
        let written = store::write_change(
            &db,
            &change.match_id,
            &change.user_id,
            added,
            events.len(),
            revision,
            &live,
            was_finished,
            now_ms(),
        )
        .await;
        if let Err(err) = written {
            // The write may have landed all the same: the next change reads the log again.
            *self.loaded.borrow_mut() = None;
            return Err(err);
        }
        let state = live_state(&live, events.len() as u32, revision);
        *self.loaded.borrow_mut() = Some(Loaded { match_id: change.match_id, events, revision, live });
        self.broadcast(&LiveFrame::State(Box::new(state.clone())));
        Ok(state)
    }
}
