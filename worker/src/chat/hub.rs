//! `ChatHub`, one Durable Object per person: it holds the sockets of their signed-in devices
//! (`GET /api/chat/socket`, one socket per device, every conversation on it) and hands each
//! of them what the person's conversations produce. A message is appended by its room, then
//! handed to the hub of every member (`fan_out`), which sends it to each socket it holds.
//!
//! Sockets use the hibernation API: the hub may be evicted between frames with its sockets
//! kept open, so who a socket belongs to travels with the socket (its attachment), not in the
//! object's memory.

use crate::{
    auth::identity,
    chat::{
        conversations::{member_of, my_row},
        heartbeat::{self, Beat},
        messages::{self, reaches_others, Sender},
        push, room,
        store::{contacts as contacts_store, conversations as store},
    },
    http::{error_response, header, internal, ApiResult, Cx, OrInternal},
    password::random,
    platform::now_ms,
    turns::Turns,
};
use serde::{Deserialize, Serialize};
use shared::{
    chat::{
        history::{Window, MAX_PAGE},
        pace::Pace,
        receipts::{as_shown, Marks, Receipt},
        rest::SendMessage,
        wire::{read_client_frame, ClientFrame, FrameErrorCode, Refusal, ServerFrame},
    },
    error::ErrorEnvelope,
    ids::TimeId,
    ApiError, ErrorCode,
};
use worker::{
    durable_object, DurableObject, Env, Headers, Method, Request, RequestInit, Response, Result, State,
    WebSocket, WebSocketIncomingMessage, WebSocketPair,
};

/// Headers the worker sets (after authenticating) when it hands a socket to a hub.
const USER_ID_HEADER: &str = "X-Dozen-Chat-User-Id";
const USERNAME_HEADER: &str = "X-Dozen-Chat-Username";
/// How the socket signed in (`identity::Credential::to_tag`), checked again on every ping round.
const CREDENTIAL_HEADER: &str = "X-Dozen-Chat-Credential";
const INTERNAL_HEADERS: [&str; 3] = [USER_ID_HEADER, USERNAME_HEADER, CREDENTIAL_HEADER];

fn hub(env: &Env, user_id: &str) -> std::result::Result<worker::Stub, ApiError> {
    let namespace = env.durable_object("CHAT_HUBS").internal("CHAT_HUBS binding")?;
    namespace.id_from_name(user_id).and_then(|id| id.get_stub()).internal("CHAT_HUBS stub")
}

/// Opens this device's chat socket: a WebSocket carrying every conversation of the signed-in
/// person (session cookie, or `Authorization: Bearer` with an API key). Its frames are in the
/// README's "Chat protocol".
#[utoipa::path(get, path = "/api/chat/socket", tag = "chat", security(("session" = []), ("api_key" = [])),
    responses((status = 101, description = "Switching to the chat socket"), (status = 400, body = ErrorEnvelope),
              (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn socket(req: &mut Request, cx: &Cx) -> ApiResult {
    let identity = identity::require(req, cx).await?;
    if !header(req, "Upgrade").is_some_and(|u| u.eq_ignore_ascii_case("websocket")) {
        return Err(ApiError::new(
            ErrorCode::BadRequest,
            "This is a WebSocket: connect with `Upgrade: websocket`.",
        ));
    }
    // A page of another site must not open a socket with this person's cookie.
    if header(req, "Origin").is_some_and(|origin| origin != cx.own_origin) {
        return Err(ApiError::new(ErrorCode::CrossSiteRequest, "Sockets open from Dozen's own pages only."));
    }
    let me = &identity.user;
    connect(&cx.env, req, [&me.id, &me.username, &identity.credential.to_tag()]).await
}

/// Hands a signed-in person's socket request to their hub, with who they are (user id,
/// username, credential) in headers only the worker can set.
async fn connect(env: &Env, req: &Request, values: [&str; 3]) -> std::result::Result<Response, ApiError> {
    let headers = Headers::new();
    for (name, value) in req.headers().entries() {
        if !INTERNAL_HEADERS.iter().any(|h| name.eq_ignore_ascii_case(h)) {
            let _ = headers.append(&name, &value);
        }
    }
    for (name, value) in INTERNAL_HEADERS.iter().zip(values) {
        headers.set(name, value).internal("socket headers")?;
    }
    let user_id = values[0];
    let mut init = RequestInit::new();
    init.with_method(Method::Get).with_headers(headers);
    let request = Request::new_with_init("https://chat-hub/connect", &init).internal("socket request")?;
    hub(env, user_id)?.fetch_with_request(request).await.internal("opening a chat socket")
}

/// Sends one frame to every device of these people (each hub once), all at once. A hub that
/// cannot be reached loses nothing: its devices catch up with `sync` when they reconnect.
/// Who of them it reached on no live socket (their hub holds none, or could not be asked):
/// those a message is pushed to (`push`).
pub async fn fan_out(env: &Env, user_ids: &[String], frame: &ServerFrame) -> Vec<String> {
    let text = frame.to_json();
    let deliveries = user_ids.iter().map(|user_id| {
        let text = text.clone();
        async move {
            let mut init = RequestInit::new();
            init.with_method(Method::Post).with_body(Some(text.into()));
            let sent = match (hub(env, user_id), Request::new_with_init("https://chat-hub/deliver", &init)) {
                (Ok(stub), Ok(request)) => match stub.fetch_with_request(request).await {
                    Ok(mut response) => Ok(response.json::<Delivered>().await.map_or(0, |d| d.live)),
                    Err(err) => Err(err),
                },
                (Err(err), _) => Err(worker::Error::RustError(err.message)),
                (_, Err(err)) => Err(err),
            };
            match sent {
                Ok(live) => (live == 0).then(|| user_id.clone()),
                Err(err) => {
                    let _ = internal("delivering to a chat hub", err);
                    Some(user_id.clone())
                }
            }
        }
    });
    futures_util::future::join_all(deliveries).await.into_iter().flatten().collect()
}

/// A hub's answer to `/deliver`: how many live sockets took the frame.
#[derive(Serialize, Deserialize)]
struct Delivered {
    live: usize,
}

/// Who a socket belongs to, kept with the socket across hibernation.
#[derive(Serialize, Deserialize, Clone)]
struct Device {
    device_id: String,
    user_id: String,
    username: String,
    /// How it signed in: checked again on every ping round.
    credential: String,
    /// Unix ms: when it connected, when it was last heard (any frame) and when its person last
    /// did something (sent, read, typed).
    connected_at: i64,
    last_heard: i64,
    last_active: i64,
    /// How fast it may send frames.
    pace: Pace,
}

impl Device {
    fn beat(&self) -> Beat {
        Beat { last_heard: self.last_heard, last_active: self.last_active }
    }
}

#[durable_object]
pub struct ChatHub {
    state: State,
    env: Env,
    /// Sends are taken one at a time, appended and handed on before the next: a person's
    /// messages keep the order they were sent in, in the log and at every receiver. (Held only
    /// in memory: nothing waits on it while the hub hibernates.)
    sending: Turns,
}

impl DurableObject for ChatHub {
    fn new(state: State, env: Env) -> Self {
        Self { state, env, sending: Turns::default() }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        match req.path().as_str() {
            "/connect" => Ok(self.open_socket(&req).await.unwrap_or_else(|err| error_response(&err))),
            "/deliver" => {
                let text = req.text().await?;
                Response::from_json(&Delivered { live: self.deliver(&text) })
            }
            _ => Ok(error_response(&ApiError::not_found("No such hub request."))),
        }
    }

    async fn websocket_message(&self, ws: WebSocket, message: WebSocketIncomingMessage) -> Result<()> {
        let Ok(Some(mut device)) = ws.deserialize_attachment::<Device>() else {
            let _ = ws.close(Some(1011), Some("Unknown device."));
            return Ok(());
        };
        let text = match message {
            WebSocketIncomingMessage::String(text) => text,
            WebSocketIncomingMessage::Binary(_) => {
                let _ = ws.close(Some(1003), Some("Frames are JSON text."));
                return Ok(());
            }
        };
        // Everything up to the first await runs in the order the frames came: the device's
        // heartbeat and pace, and a send's turn.
        let now_ms = now_ms();
        let frame = read_client_frame(&text);
        device.last_heard = now_ms;
        let paced = device.pace.take(now_ms);
        let active = frame.as_ref().is_ok_and(is_activity);
        if active && paced {
            device.last_active = now_ms;
        }
        let _ = ws.serialize_attachment(&device);
        if !paced {
            let slow = Refusal {
                code: FrameErrorCode::RateLimited,
                message: "Too many frames; slow down.".into(),
                close: false,
            };
            // A refused send names its client id, so the device can offer to send it again.
            let client_id = match &frame {
                Ok(ClientFrame::Send { client_id, .. }) => Some(client_id.clone()),
                _ => None,
            };
            send(&ws, &ServerFrame::refused(&slow, client_id));
            return Ok(());
        }
        match frame {
            Ok(frame) => {
                let turn = matches!(frame, ClientFrame::Send { .. }).then(|| self.sending.ticket());
                if let Some(turn) = &turn {
                    turn.wait().await;
                }
                if active {
                    self.refresh_presence(&device, &[], now_ms).await;
                }
                self.handle(&ws, &device, frame, now_ms).await
            }
            Err(refusal) => {
                send(&ws, &ServerFrame::refused(&refusal, None));
                if refusal.close {
                    let _ = ws.close(Some(1008), Some(&refusal.message));
                }
            }
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
        // Complete the closing handshake; a socket already closed ignores it.
        let _ = ws.close(Some(1000), Some("Bye."));
        self.gone(&ws).await;
        Ok(())
    }

    async fn websocket_error(&self, ws: WebSocket, _error: worker::Error) -> Result<()> {
        let _ = ws.close(Some(1011), Some("Socket error."));
        self.gone(&ws).await;
        Ok(())
    }

    /// Pings every socket, closes those gone silent, and works out presence again.
    async fn alarm(&self) -> Result<Response> {
        let now_ms = now_ms();
        let gone_after = heartbeat::gone_after_ms(&self.env);
        let mut gone = Vec::new();
        let signed_in = self.credentials_still_standing(now_ms).await;
        for (ws, device) in self.devices(&[]) {
            if now_ms - device.last_heard > gone_after {
                let _ = ws.close(Some(1001), Some("No answer to pings."));
                gone.push(device.device_id);
            } else if !signed_in.contains(&device.credential) {
                let _ = ws.close(Some(1008), Some("Signed out."));
                gone.push(device.device_id);
            } else {
                send(&ws, &ServerFrame::Ping);
            }
        }
        let live = self.devices(&gone);
        let beats: Vec<Beat> = live.iter().map(|(_, d)| d.beat()).collect();
        if let Err(err) = heartbeat::refresh(&self.state, &self.env, None, &beats, now_ms).await {
            let _ = internal("presence after pings", err);
        }
        if !live.is_empty() {
            if let Err(err) = heartbeat::next_alarm(&self.state, &self.env).await {
                let _ = internal("the next ping", err);
            }
        }
        Response::empty()
    }
}

/// Whether a frame shows its person at the device (what keeps them online rather than away).
fn is_activity(frame: &ClientFrame) -> bool {
    matches!(frame, ClientFrame::Send { .. } | ClientFrame::Read { .. } | ClientFrame::Typing { .. })
}

fn send(ws: &WebSocket, frame: &ServerFrame) {
    let _ = ws.send_with_str(frame.to_json());
}

/// The error frame for a refused request (the socket stays open).
fn refused(err: &ApiError, client_id: Option<String>) -> ServerFrame {
    let code = match err.code {
        ErrorCode::NotFound => FrameErrorCode::NotFound,
        ErrorCode::Forbidden | ErrorCode::Conflict => FrameErrorCode::Forbidden,
        ErrorCode::RateLimited => FrameErrorCode::RateLimited,
        ErrorCode::Internal | ErrorCode::Unavailable => FrameErrorCode::Internal,
        _ => FrameErrorCode::Invalid,
    };
    let refusal = Refusal { code, message: err.message.clone(), close: false };
    ServerFrame::refused(&refusal, client_id)
}

impl ChatHub {
    /// Accepts a device's socket, tells it its contacts' presence, and counts it in its
    /// person's presence.
    async fn open_socket(&self, req: &Request) -> std::result::Result<Response, ApiError> {
        let user_id = header(req, USER_ID_HEADER).ok_or_else(ApiError::unauthenticated)?;
        let username = header(req, USERNAME_HEADER).ok_or_else(ApiError::unauthenticated)?;
        let credential = header(req, CREDENTIAL_HEADER).ok_or_else(ApiError::unauthenticated)?;
        let now_ms = now_ms();
        let device = Device {
            device_id: TimeId::new(now_ms, random::<10>()?).to_string(),
            user_id,
            username,
            credential,
            connected_at: now_ms,
            last_heard: now_ms,
            last_active: now_ms,
            pace: Pace::new(now_ms),
        };
        // What can fail comes before the socket is accepted: a refused socket leaves nothing.
        let contacts = heartbeat::contacts_presence(&self.env, &device.user_id).await?;
        heartbeat::keep_alarm(&self.state, &self.env).await?;
        let pair = WebSocketPair::new().internal("a socket pair")?;
        self.state.accept_web_socket(&pair.server);
        if let Err(err) = pair.server.serialize_attachment(&device) {
            let _ = pair.server.close(Some(1011), Some("Could not open the socket."));
            return Err(internal("a socket's device", err));
        }
        for frame in contacts {
            send(&pair.server, &frame);
        }
        self.refresh_presence(&device, &[], now_ms).await;
        Response::from_websocket(pair.client).internal("answering a socket")
    }

    /// The credentials of the open sockets that still sign their person in (a session not
    /// ended, a key not revoked). When D1 cannot answer, all of them: a hiccup signs nobody out.
    async fn credentials_still_standing(&self, now_ms: i64) -> Vec<String> {
        let mut tags: Vec<(String, String)> =
            self.devices(&[]).into_iter().map(|(_, d)| (d.credential, d.user_id)).collect();
        tags.sort();
        tags.dedup();
        let Ok(db) = self.env.d1("DB") else {
            return tags.into_iter().map(|(tag, _)| tag).collect();
        };
        let mut standing = Vec::new();
        for (tag, user_id) in tags {
            match identity::still_signs_in(&db, &tag, &user_id, now_ms).await {
                Ok(false) => {}
                Ok(true) | Err(_) => standing.push(tag),
            }
        }
        standing
    }

    /// The open sockets and their devices, but for those `excluding` names.
    fn devices(&self, excluding: &[String]) -> Vec<(WebSocket, Device)> {
        self.state
            .get_websockets()
            .into_iter()
            .filter_map(|ws| {
                let device = ws.deserialize_attachment::<Device>().ok().flatten()?;
                (!excluding.contains(&device.device_id)).then_some((ws, device))
            })
            .collect()
    }

    /// Presence again from the live devices (a failure is logged: presence is best effort).
    async fn refresh_presence(&self, device: &Device, excluding: &[String], now_ms: i64) {
        let beats: Vec<Beat> = self.devices(excluding).iter().map(|(_, d)| d.beat()).collect();
        let who = Some((device.user_id.as_str(), device.username.as_str()));
        if let Err(err) = heartbeat::refresh(&self.state, &self.env, who, &beats, now_ms).await {
            let _ = internal("refreshing presence", err);
        }
    }

    /// A socket closed: its person may be offline now.
    async fn gone(&self, ws: &WebSocket) {
        if let Ok(Some(device)) = ws.deserialize_attachment::<Device>() {
            let now_ms = now_ms();
            self.refresh_presence(&device, std::slice::from_ref(&device.device_id), now_ms).await;
        }
    }

    fn send_to_all(&self, text: &str) {
        for ws in self.state.get_websockets() {
            let _ = ws.send_with_str(text);
        }
    }

    /// Sends a frame to every socket; how many live ones took it. Live: open, and heard from
    /// within the heartbeat's limit (a socket silent longer is one the next ping round closes,
    /// a phone in a tunnel, and its person is better told by a push).
    fn deliver(&self, text: &str) -> usize {
        let now_ms = now_ms();
        let gone_after = heartbeat::gone_after_ms(&self.env);
        let mut live = 0;
        for ws in self.state.get_websockets() {
            let took = ws.send_with_str(text).is_ok();
            let heard = ws
                .deserialize_attachment::<Device>()
                .ok()
                .flatten()
                .is_some_and(|device| now_ms - device.last_heard <= gone_after);
            if took && heard {
                live += 1;
            }
        }
        live
    }

    async fn handle(&self, ws: &WebSocket, device: &Device, frame: ClientFrame, now_ms: i64) {
        let client_id = match &frame {
            ClientFrame::Send { client_id, .. } => Some(client_id.clone()),
            _ => None,
        };
        if let Err(err) = self.act(ws, device, frame, now_ms).await {
            send(ws, &refused(&err, client_id));
        }
    }

    async fn act(
        &self,
        ws: &WebSocket,
        device: &Device,
        frame: ClientFrame,
        now_ms: i64,
    ) -> std::result::Result<(), ApiError> {
        let db = self.env.d1("DB").internal("D1 binding")?;
        let me = &device.user_id;
        match frame {
            ClientFrame::Send { conversation, client_id, body, reply_to, media, sticker } => {
                let sender = Sender { id: me, username: &device.username };
                let message = SendMessage { client_id: client_id.clone(), body, reply_to, media, sticker };
                let (appended, members) =
                    messages::post(&self.env, &db, &sender, &conversation, message, now_ms).await?;
                let seq = appended.message.seq;
                let frame = ServerFrame::Message(appended.message.clone());
                // This person's devices (this one too) hear it from here, everyone else's from
                // their hubs. A repeated client id is delivered again: devices drop what they
                // hold, and a delivery cut short the first time is made good.
                self.send_to_all(&frame.to_json());
                send(ws, &ServerFrame::Sent { conversation, client_id, seq });
                let unreached = fan_out(&self.env, &others(members, me), &frame).await;
                // A new message (not a repeat) is pushed to those it reached on no live socket,
                // without holding up this person's next send.
                if appended.created {
                    let sent = push::Sent::new(me, &appended.message, unreached, now_ms);
                    self.state.wait_until(push::notify(self.env.clone(), sent));
                }
                Ok(())
            }
            ClientFrame::Sync { conversation, after_seq } => {
                let (conversation, members) = member_of(&db, &conversation, me).await?;
                let mine = my_row(&members, me)?;
                let mut after = after_seq.max(u64::try_from(mine.joined_seq).unwrap_or(0));
                loop {
                    let window = Window { after, before: None, limit: MAX_PAGE, from_oldest: true };
                    let page = room::page(&self.env, &conversation.id, &window).await?;
                    for message in page.items {
                        after = message.seq;
                        send(ws, &ServerFrame::Message(message));
                    }
                    if !page.has_more {
                        return Ok(());
                    }
                }
            }
            ClientFrame::Delivered { conversation, seq } => {
                self.receipt(&db, device, &conversation, Receipt::Delivered, seq).await
            }
            ClientFrame::Read { conversation, seq } => {
                self.receipt(&db, device, &conversation, Receipt::Read, seq).await
            }
            ClientFrame::Typing { conversation } => {
                let (conversation_row, members) = member_of(&db, &conversation, me).await?;
                if !reaches_others(&db, &conversation_row, &members, me).await? {
                    return Ok(()); // Across a block nothing is shown, and nothing is said.
                }
                let ids = members.into_iter().map(|m| m.user_id).collect();
                let frame = ServerFrame::Typing { conversation, user: device.username.clone() };
                fan_out(&self.env, &others(ids, me), &frame).await;
                Ok(())
            }
            ClientFrame::Pong {} => Ok(()),
        }
    }

    /// Moves this person's mark forward and tells every member (their own other devices too).
    async fn receipt(
        &self,
        db: &worker::D1Database,
        device: &Device,
        conversation: &str,
        receipt: Receipt,
        seq: u64,
    ) -> std::result::Result<(), ApiError> {
        let me = &device.user_id;
        let (conversation, members) = member_of(db, conversation, me).await?;
        let mine = my_row(&members, me)?;
        let last_seq = u64::try_from(conversation.last_seq).unwrap_or(0);
        let Some(next) = mine.marks().after(receipt, seq, last_seq) else {
            return Ok(());
        };
        let before = mine.marks();
        let stored = store::set_marks(db, &conversation.id, me, next).await?;
        let frame = |marks: Marks| ServerFrame::Receipt {
            conversation: conversation.id.clone(),
            user: device.username.clone(),
            delivered_seq: marks.delivered_seq,
            read_seq: marks.read_seq,
        };
        // Their own devices learn the true marks (unread counts agree across devices).
        self.send_to_all(&frame(stored).to_json());
        // The others see what the privacy setting shows, and only when that moved: a read that
        // is kept private must not be told by the timing of a frame either.
        let sends_read_receipts = contacts_store::settings(db, me).await?.sends_read_receipts;
        let shown = as_shown(stored, sends_read_receipts);
        if shown == as_shown(before, sends_read_receipts)
            || !reaches_others(db, &conversation, &members, me).await?
        {
            return Ok(());
        }
        let ids = members.into_iter().map(|m| m.user_id).collect();
        fan_out(&self.env, &others(ids, me), &frame(shown)).await;
        Ok(())
    }
}

/// Everyone but `me`.
fn others(user_ids: Vec<String>, me: &str) -> Vec<String> {
    user_ids.into_iter().filter(|id| id != me).collect()
}
