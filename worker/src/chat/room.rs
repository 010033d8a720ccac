//! `ChatRoom`, one Durable Object per conversation: it holds the conversation's ordered log
//! (its own SQLite database, `store::log`) and numbers each message 1, 2, 3 … with no gaps. A
//! client id sent again by the same sender is the first message, never a second one.
//!
//! The worker checks who may do what (membership and blocks are in D1) before it asks the room;
//! the room keeps the log's own rules (seqs, client ids, what a reply may point at). The worker
//! talks to it over internal JSON requests: `POST /append` and `POST /page`.

use crate::{
    chat::store::log::{Log, LogRow, NewMessage},
    http::{error_response, OrInternal},
};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use shared::{
    chat::{
        history::{may_reply_to, Window},
        media::MediaView,
        message::{may_change, react, reaction_views},
        wire::MessageFrame,
    },
    time::Timestamp,
    ApiError, ErrorCode,
};
use worker::{durable_object, DurableObject, Env, Request, Response, Result, State};

/// `POST /append`: a message from a member whose history starts after `floor`.
#[derive(Serialize, Deserialize)]
pub struct Append {
    pub conversation: String,
    pub sender_id: String,
    pub sender: String,
    pub client_id: String,
    pub body: String,
    pub reply_to: Option<u64>,
    /// The file it carries, as D1 describes it.
    pub media: Option<MediaView>,
    /// The file is another message's (or another send's): only a retry of that message may
    /// name it.
    pub media_taken: bool,
    /// The sticker it is, checked against the set.
    #[serde(default)]
    pub sticker: Option<String>,
    pub floor: u64,
    pub now_ms: i64,
}

/// What an append did: `created` is false when the client id was already used (the message is
/// then the first one).
#[derive(Serialize, Deserialize)]
pub struct Appended {
    pub created: bool,
    pub message: MessageFrame,
}

/// `POST /page`: one window of the log.
#[derive(Serialize, Deserialize)]
pub struct PageRequest {
    pub conversation: String,
    pub after: u64,
    pub before: Option<u64>,
    pub limit: u64,
    pub from_oldest: bool,
}

#[derive(Serialize, Deserialize)]
pub struct Page {
    pub items: Vec<MessageFrame>,
    pub has_more: bool,
    pub last_seq: u64,
}

/// Asks a conversation's room; its refusals come back as the `ApiError` it answered.
async fn call<Q: Serialize, A: DeserializeOwned>(
    env: &Env,
    conversation: &str,
    path: &str,
    body: &Q,
) -> std::result::Result<A, ApiError> {
    crate::durable::ask(env, "CHAT_ROOMS", conversation, path, body).await
}

pub async fn append(env: &Env, request: &Append) -> std::result::Result<Appended, ApiError> {
    call(env, &request.conversation, "/append", request).await
}

pub async fn page(env: &Env, conversation: &str, window: &Window) -> std::result::Result<Page, ApiError> {
    let request = PageRequest {
        conversation: conversation.to_owned(),
        after: window.after,
        before: window.before,
        limit: window.limit,
        from_oldest: window.from_oldest,
    };
    call(env, conversation, "/page", &request).await
}

/// `POST /find`: the message a sender sent with a client id, if any.
#[derive(Serialize, Deserialize)]
pub struct FindRequest {
    pub conversation: String,
    pub sender_id: String,
    pub client_id: String,
}

/// The message `sender_id` sent with `client_id`, if the room has it.
pub async fn find(
    env: &Env,
    conversation: &str,
    sender_id: &str,
    client_id: &str,
) -> std::result::Result<Option<MessageFrame>, ApiError> {
    let request = FindRequest {
        conversation: conversation.to_owned(),
        sender_id: sender_id.to_owned(),
        client_id: client_id.to_owned(),
    };
    call(env, conversation, "/find", &request).await
}

/// The room's last seq: the truth D1's `last_seq` follows (a write of it can fail).
pub async fn last_seq(env: &Env, conversation: &str) -> std::result::Result<u64, ApiError> {
    // A window that holds no message: the answer is only the last seq.
    let nothing = Window { after: 0, before: Some(1), limit: 1, from_oldest: true };
    Ok(page(env, conversation, &nothing).await?.last_seq)
}

pub fn frame(conversation: &str, row: LogRow) -> MessageFrame {
    let reactions = reaction_views(&row.reactions());
    MessageFrame {
        conversation: conversation.to_owned(),
        seq: u64::try_from(row.seq).unwrap_or(0),
        client_id: row.client_id,
        sender: row.sender,
        body: row.body,
        sent_at: Timestamp(row.sent_at).to_rfc3339(),
        reply_to: row.reply_to.and_then(|r| u64::try_from(r).ok()),
        edited: row.edited_at.is_some(),
        deleted: row.deleted_at.is_some(),
        reactions,
        media: row.media.as_deref().and_then(|m| serde_json::from_str(m).ok()),
        sticker: row.sticker,
    }
}

/// A change to a message already in the log.
#[derive(Serialize, Deserialize)]
pub enum Change {
    Edit { body: String },
    Delete,
    React { emoji: Option<String> },
}

/// `POST /change`: `actor` (whose history starts after `floor`) changes message `seq`.
#[derive(Serialize, Deserialize)]
pub struct ChangeRequest {
    pub conversation: String,
    pub seq: u64,
    pub actor_id: String,
    pub actor: String,
    pub floor: u64,
    pub now_ms: i64,
    pub change: Change,
}

pub async fn change(env: &Env, request: &ChangeRequest) -> std::result::Result<MessageFrame, ApiError> {
    call(env, &request.conversation, "/change", request).await
}

/// `POST /versions`: the earlier versions of message `seq`, for its sender only.
#[derive(Serialize, Deserialize)]
pub struct VersionsRequest {
    pub seq: u64,
    pub actor_id: String,
    pub floor: u64,
}

pub async fn versions(
    env: &Env,
    conversation: &str,
    request: &VersionsRequest,
) -> std::result::Result<Vec<(String, i64)>, ApiError> {
    call(env, conversation, "/versions", request).await
}

#[durable_object]
pub struct ChatRoom {
    state: State,
}

impl DurableObject for ChatRoom {
    fn new(state: State, _env: Env) -> Self {
        Self { state }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let path = req.path();
        let body = req.text().await?;
        let answer = match Log::open(self.state.storage().sql()) {
            Ok(log) => match path.as_str() {
                "/append" => parse(&body).and_then(|a| append_to(&log, a)).and_then(|a| to_json(&a)),
                "/page" => parse(&body).and_then(|p| page_of(&log, p)).and_then(|p| to_json(&p)),
                "/change" => parse(&body).and_then(|c| change_in(&log, c)).and_then(|m| to_json(&m)),
                "/versions" => parse(&body).and_then(|v| versions_in(&log, v)).and_then(|v| to_json(&v)),
                "/find" => parse::<FindRequest>(&body)
                    .and_then(|f| {
                        Ok(log
                            .by_client_id(&f.sender_id, &f.client_id)?
                            .map(|row| frame(&f.conversation, row)))
                    })
                    .and_then(|m| to_json(&m)),
                _ => Err(ApiError::not_found("No such room request.")),
            },
            Err(err) => Err(err),
        };
        Ok(answer.unwrap_or_else(|err| error_response(&err)))
    }
}

fn parse<T: DeserializeOwned>(body: &str) -> std::result::Result<T, ApiError> {
    serde_json::from_str(body).internal("reading a room request")
}

fn to_json<T: Serialize>(value: &T) -> std::result::Result<Response, ApiError> {
    Response::from_json(value).internal("answering a room request")
}

fn append_to(log: &Log, request: Append) -> std::result::Result<Appended, ApiError> {
    if let Some(first) = log.by_client_id(&request.sender_id, &request.client_id)? {
        return Ok(Appended { created: false, message: frame(&request.conversation, first) });
    }
    if request.media_taken {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "This file was already sent; upload it again to send it again.",
        ));
    }
    if let Some(reply_to) = request.reply_to {
        may_reply_to(reply_to, request.floor, log.last_seq()?)?;
    }
    let row = log.append(&NewMessage {
        sender_id: &request.sender_id,
        sender: &request.sender,
        client_id: &request.client_id,
        body: &request.body,
        reply_to: request.reply_to,
        media: request.media.as_ref(),
        sticker: request.sticker.as_deref(),
        sent_at: request.now_ms,
    })?;
    Ok(Appended { created: true, message: frame(&request.conversation, row) })
}

/// The message `seq` as a member whose history starts after `floor` may see it.
fn visible(log: &Log, seq: u64, floor: u64) -> std::result::Result<LogRow, ApiError> {
    let missing = || ApiError::not_found("No such message.");
    if seq <= floor {
        return Err(missing());
    }
    log.get(seq)?.ok_or_else(missing)
}

fn change_in(log: &Log, request: ChangeRequest) -> std::result::Result<MessageFrame, ApiError> {
    let row = visible(log, request.seq, request.floor)?;
    let deleted = row.deleted_at.is_some();
    let changed = match request.change {
        Change::Edit { body } => {
            may_change(&request.actor_id, &row.sender_id, row.sent_at, request.now_ms, deleted)?;
            if row.sticker.is_some() {
                return Err(ApiError::new(ErrorCode::Conflict, "A sticker has no words to edit."));
            }
            log.edit(&row, &body, request.now_ms)?
        }
        Change::Delete => {
            may_change(&request.actor_id, &row.sender_id, row.sent_at, request.now_ms, deleted)?;
            log.delete(row.seq, request.now_ms)?
        }
        Change::React { emoji } => {
            if deleted {
                return Err(ApiError::new(ErrorCode::Conflict, "This message was deleted."));
            }
            log.set_reactions(row.seq, &react(row.reactions(), &request.actor, emoji.as_deref()))?
        }
    };
    Ok(frame(&request.conversation, changed))
}

fn versions_in(log: &Log, request: VersionsRequest) -> std::result::Result<Vec<(String, i64)>, ApiError> {
    let row = visible(log, request.seq, request.floor)?;
    if row.sender_id != request.actor_id {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "Only its sender sees a message's earlier versions.",
        ));
    }
    log.versions(row.seq)
}

fn page_of(log: &Log, request: PageRequest) -> std::result::Result<Page, ApiError> {
    let window = Window {
        after: request.after,
        before: request.before,
        limit: request.limit,
        from_oldest: request.from_oldest,
    };
    let (rows, has_more) = log.page(&window)?;
    Ok(Page {
        items: rows.into_iter().map(|row| frame(&request.conversation, row)).collect(),
        has_more,
        last_seq: log.last_seq()?,
    })
}
