//! Live pages: `NewsLive`, one Durable Object per open story (`story:{id}`) and one for the
//! front page (`front`), holds its readers' sockets and passes on what the worker tells it
//! (`shared::news::wire::LiveFrame`). It keeps no state of its own: the truth is in D1, so a
//! reader who reconnects reloads the page and then follows the frames.
//!
//! The worker tells the objects after its write has committed, in `wait_until`, so a reader
//! never sees a frame for something that did not happen, and the writer never waits for them.

use crate::{
    http::{error_response, header, internal, ApiResult, Cx, OrInternal},
    news::api::{no_item, parse_id, visible_item},
};
use serde::{Deserialize, Serialize};
use shared::{error::ErrorEnvelope, news::wire::LiveFrame, ApiError, ErrorCode};
use worker::{
    durable_object, DurableObject, Env, Request, Response, Result, State, WebSocket, WebSocketPair,
};

pub const BINDING: &str = "NEWS_LIVE";
/// The most sockets one object serves.
pub const MAX_READERS: usize = 5_000;
/// The most sockets one address holds open on one page: enough for a household's tabs, too few
/// to crowd everyone else out.
pub const MAX_PER_ADDRESS: usize = 20;
/// The header naming the reader's address (set by the worker, never by the client).
const ADDRESS_HEADER: &str = "X-Dozen-News-Address";

/// The object of a story's page.
pub fn story_room(story_id: i64) -> String {
    format!("story:{story_id}")
}

/// The object of the lists (front, new, ask, show).
pub const FRONT_ROOM: &str = "front";

#[derive(Serialize, Deserialize)]
struct Broadcast {
    frames: Vec<LiveFrame>,
}

#[durable_object]
pub struct NewsLive {
    state: State,
}

impl DurableObject for NewsLive {
    fn new(state: State, _env: Env) -> Self {
        Self { state }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let answer = match req.path().as_str() {
            "/connect" => self.open_socket(&req),
            "/broadcast" => match req.json::<Broadcast>().await {
                Ok(asked) => {
                    for frame in &asked.frames {
                        self.broadcast(frame);
                    }
                    Response::from_json(&serde_json::json!({ "sent": true })).internal("an answer")
                }
                Err(err) => Err(internal("a broadcast", err)),
            },
            _ => Err(ApiError::not_found("No such live request.")),
        };
        Ok(answer.unwrap_or_else(|err| error_response(&err)))
    }

    async fn websocket_message(
        &self,
        ws: WebSocket,
        _message: worker::WebSocketIncomingMessage,
    ) -> Result<()> {
        // The socket only sends: a reader that talks is closed.
        let _ = ws.close(Some(1003), Some("This socket only sends."));
        Ok(())
    }

    async fn websocket_close(
        &self,
        ws: WebSocket,
        _code: usize,
        _reason: String,
        _clean: bool,
    ) -> Result<()> {
        let _ = ws.close(Some(1000), Some("Bye."));
        Ok(())
    }

    async fn websocket_error(&self, ws: WebSocket, _error: worker::Error) -> Result<()> {
        let _ = ws.close(Some(1011), Some("Socket error."));
        Ok(())
    }
}

impl NewsLive {
    fn open_socket(&self, req: &Request) -> std::result::Result<Response, ApiError> {
        if self.state.get_websockets().len() >= MAX_READERS {
            return Err(ApiError::new(
                ErrorCode::Unavailable,
                "This page has all the live readers one object serves.",
            ));
        }
        let address = header(req, ADDRESS_HEADER).unwrap_or_else(|| "unknown".into());
        if self.state.get_websockets_with_tag(&address).len() >= MAX_PER_ADDRESS {
            let mut refused = ApiError::rate_limited(60);
            refused.message = format!("At most {MAX_PER_ADDRESS} live copies of one page per address.");
            return Err(refused);
        }
        let pair = WebSocketPair::new().internal("a socket pair")?;
        // Hibernatable: an idle page costs nothing between frames.
        self.state.accept_websocket_with_tags(&pair.server, &[&address]);
        Response::from_websocket(pair.client).internal("answering a socket")
    }

    fn broadcast(&self, frame: &LiveFrame) {
        let Ok(text) = serde_json::to_string(frame) else { return };
        for ws in self.state.get_websockets() {
            let _ = ws.send_with_str(&text);
        }
    }
}

/// Refuses a plain GET of a socket's path.
pub fn require_upgrade(req: &Request) -> std::result::Result<(), ApiError> {
    if header(req, "Upgrade").is_some_and(|u| u.eq_ignore_ascii_case("websocket")) {
        Ok(())
    } else {
        Err(ApiError::new(ErrorCode::BadRequest, "This is a WebSocket: connect with `Upgrade: websocket`."))
    }
}

/// Tells the rooms' readers, after the response (a lost frame costs a reader a refresh, never a
/// write).
pub fn tell(cx: &Cx, sends: Vec<(String, Vec<LiveFrame>)>) {
    let sends: Vec<_> = sends.into_iter().filter(|(_, frames)| !frames.is_empty()).collect();
    if sends.is_empty() {
        return;
    }
    let env = cx.env.clone();
    cx.ctx.wait_until(async move {
        for (room, frames) in sends {
            let sent: std::result::Result<serde_json::Value, ApiError> =
                crate::durable::ask(&env, BINDING, &room, "/broadcast", &Broadcast { frames }).await;
            if let Err(err) = sent {
                worker::console_warn!("news live {room}: {}", err.message);
            }
        }
    });
}

/// Follows a story's page: its new comments, its score, edits and removals (frames in
/// `LiveFrame`). A comment's id follows its story.
#[utoipa::path(get, path = "/api/news/items/{id}/live", tag = "news",
    params(("id" = i64, Path, description = "A story's or a comment's id")),
    responses((status = 101, description = "Switching to the story's socket"), (status = 400, body = ErrorEnvelope),
              (status = 404, body = ErrorEnvelope),
              (status = 429, body = ErrorEnvelope, description = "Too many from this address"),
              (status = 503, body = ErrorEnvelope, description = "The page has all the readers it serves"),
              (status = 401, body = ErrorEnvelope, description = "An API key that is not valid")))]
pub async fn story_socket(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    require_upgrade(req)?;
    let id = parse_id(id)?;
    let db = cx.db()?;
    // A page is followed by whoever may read it: a dead story's author (shadow-banned or not,
    // told nothing by it), moderators and showdead readers too. Dead items are never sent.
    let reader = super::api::reader(req, cx).await?;
    let item = visible_item(&db, id, reader.as_ref()).await?;
    let story_id = item.story_id.filter(|_| !item.is_story()).unwrap_or(item.id);
    let story = visible_item(&db, story_id, reader.as_ref()).await?;
    if story.is_deleted() {
        return Err(no_item(story_id));
    }
    let address = [(ADDRESS_HEADER, cx.client_ip.as_str())];
    crate::durable::connect(&cx.env, BINDING, &story_room(story_id), req, &address).await
}

/// Follows the lists: new stories, scores and removals.
#[utoipa::path(get, path = "/api/news/live", tag = "news",
    responses((status = 101, description = "Switching to the lists' socket"), (status = 400, body = ErrorEnvelope),
              (status = 429, body = ErrorEnvelope, description = "Too many from this address"),
              (status = 503, body = ErrorEnvelope, description = "The lists have all the readers they serve"),
              (status = 401, body = ErrorEnvelope, description = "An API key that is not valid")))]
pub async fn front_socket(req: &mut Request, cx: &Cx) -> ApiResult {
    require_upgrade(req)?;
    crate::durable::connect(&cx.env, BINDING, FRONT_ROOM, req, &[(ADDRESS_HEADER, cx.client_ip.as_str())])
        .await
}
