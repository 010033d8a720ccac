//! `/api/chat/conversations/{id}/messages`: sending (exactly once per client id) and reading
//! the log a page at a time. The log is the conversation's `ChatRoom`; D1 learns each message's
//! seq for conversation lists and unread counts.

use crate::{
    auth::{identity, store::UserRow},
    chat::{
        contacts::relation,
        conversations::{member_of, my_row},
        hub, push,
        room::{self, Append, Appended, Change, ChangeRequest, VersionsRequest},
        store::{
            conversations::{self as store, ConversationRow, MemberRow},
            media::{self as media_store, Hold, MediaRow},
            search,
        },
    },
    http::{json, query_pairs, read_json, ApiResult, Cx, OrInternal},
};
use shared::{
    chat::{
        contacts::Status,
        history::window,
        message,
        rest::{EditMessage, MessagePage, MessageVersion, MessageVersions, React, SendMessage},
        stickers,
        wire::{MessageFrame, ServerFrame},
    },
    error::ErrorEnvelope,
    time::Timestamp,
    ApiError, ErrorCode,
};
use worker::{D1Database, Env, Request};

fn floor(member: &MemberRow) -> u64 {
    u64::try_from(member.joined_seq).unwrap_or(0)
}

/// Who sends.
pub struct Sender<'a> {
    pub id: &'a str,
    pub username: &'a str,
}

/// Sends a message into a conversation, from REST or a socket: the checks (member, not blocked,
/// a valid body), the room's append, and D1's record. The room's answer and the members' ids,
/// for the caller to hand the message on (`hub::fan_out`).
pub async fn post(
    env: &Env,
    db: &D1Database,
    sender: &Sender<'_>,
    conversation_id: &str,
    message: SendMessage,
    now_ms: i64,
) -> Result<(Appended, Vec<String>), ApiError> {
    message::client_id(&message.client_id)?;
    let (conversation, members) = member_of(db, conversation_id, sender.id).await?;
    if conversation.encrypted != 0 {
        message::envelope_body(&message.body)?;
        if message.media.is_some() {
            return Err(ApiError::invalid(
                "media",
                "Files cannot be sent in end-to-end encrypted chats yet.",
            ));
        }
        if message.sticker.is_some() {
            return Err(ApiError::invalid(
                "sticker",
                "Stickers cannot be sent in end-to-end encrypted chats yet.",
            ));
        }
    } else if let Some(sticker) = &message.sticker {
        stickers::find(sticker)?;
        if !message.body.is_empty() || message.media.is_some() {
            return Err(ApiError::invalid(
                "sticker",
                "A sticker is sent on its own, without words or a file.",
            ));
        }
    } else {
        message::body_with(&message.body, message.media.is_some())?;
    }
    let mine = my_row(&members, sender.id)?;
    may_post(db, &conversation, &members, sender.id).await?;
    let hold = match &message.media {
        None => None,
        Some(media_id) => Some(
            media_store::hold(db, media_id, &conversation.id, sender.id, &message.client_id, now_ms)
                .await?
                .ok_or_else(|| {
                ApiError::invalid("media", "No such file: upload it to this conversation first.")
            })?,
        ),
    };
    let (media, media_taken) = match hold {
        None => (None, false),
        Some(Hold::Held(row)) => (Some(row), false),
        Some(Hold::Taken(row)) => (Some(row), true),
    };
    let appended = room::append(
        env,
        &Append {
            conversation: conversation.id.clone(),
            sender_id: sender.id.to_owned(),
            sender: sender.username.to_owned(),
            client_id: message.client_id,
            body: message.body,
            reply_to: message.reply_to,
            media: media.as_ref().map(MediaRow::view),
            media_taken,
            sticker: message.sticker.clone(),
            floor: floor(mine),
            now_ms,
        },
    )
    .await;
    if let Some(media) = &media {
        settle_hold(db, media, media_taken, appended.as_ref().ok()).await;
    }
    let appended = appended?;
    // The message stands once the room has it; D1's record only feeds lists and unread counts,
    // and the next message (or a retry of this one) brings it up to date if this write fails.
    if let Err(err) =
        store::record_message(db, &conversation.id, sender.id, appended.message.seq, now_ms).await
    {
        let _ = crate::http::internal("recording a message in D1", err);
    }
    // What the server cannot read, it cannot index: an encrypted conversation is searched in
    // its members' browsers.
    let sent = &appended.message;
    if conversation.encrypted == 0 {
        let text = searchable_text(sent);
        if let Err(err) = search::index(db, &conversation.id, sent.seq, &sent.sender, now_ms, &text).await {
            let _ = crate::http::internal("indexing a message for search", err);
        }
    }
    Ok((appended, members.into_iter().map(|m| m.user_id).collect()))
}

/// Whether `me` may post in a conversation (they are a member): in a direct one, not across a
/// block either way; someone who blocked the other is told to unblock first.
pub async fn may_post(
    db: &D1Database,
    conversation: &ConversationRow,
    members: &[MemberRow],
    me: &str,
) -> Result<(), ApiError> {
    if conversation.kind != "direct" {
        return Ok(());
    }
    // Without the other person in it, they blocked the sender before it began.
    let other = members.iter().find(|m| m.user_id != me).ok_or_else(unreachable_person)?;
    let (relation, side) = relation(db, me, &other.user_id).await?;
    if relation.status(side) == Status::Blocked {
        return Err(ApiError::new(ErrorCode::Conflict, "You blocked them; unblock them to send."));
    }
    if !relation.may_reach(side) {
        return Err(unreachable_person());
    }
    Ok(())
}

/// After a send that named a file: the file now belongs to the message that carries it (a
/// retry whose first attempt never got that far included), or is free again if this send held
/// it and no message carries it. Failures are logged: at worst the file stays held, and the
/// scheduled job settles it by asking the room.
async fn settle_hold(db: &D1Database, media: &MediaRow, taken: bool, appended: Option<&Appended>) {
    let carried = appended.filter(|a| a.message.media.as_ref().is_some_and(|m| m.id == media.id));
    let result = match (carried, taken) {
        (Some(appended), _) => media_store::attach(db, &media.id, appended.message.seq).await,
        (None, false) => media_store::release(db, &media.id).await,
        (None, true) => Ok(()),
    };
    if let Err(err) = result {
        let _ = crate::http::internal("settling a file's message", err);
    }
}

/// What search finds a message by: its words, and the name of the file it carries (so that a
/// file sent without a caption is found, and listed, by its name).
fn searchable_text(message: &MessageFrame) -> String {
    if let Some(sticker) = message.sticker.as_deref().and_then(|s| stickers::find(s).ok()) {
        return sticker.label();
    }
    match &message.media {
        Some(media) if message.body.is_empty() => media.name.clone(),
        Some(media) => format!("{}\n{}", message.body, media.name),
        None => message.body.clone(),
    }
}

/// Sends a message: 201 with its seq, or 200 with the first message when this sender already
/// used the client id (a retry never makes a second message). Every member's devices get it.
#[utoipa::path(post, path = "/api/chat/conversations/{id}/messages", tag = "chat", params(("id" = String, Path)),
    request_body = SendMessage, security(("session" = []), ("api_key" = [])),
    responses((status = 201, body = MessageFrame), (status = 200, body = MessageFrame, description = "The message this client id already sent"),
              (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
              (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn send(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let body = read_json::<SendMessage>(req).await?;
    let db = cx.db()?;
    let sender = Sender { id: &me.id, username: &me.username };
    let (appended, members) = post(&cx.env, &db, &sender, id, body, cx.now_ms).await?;
    let status = if appended.created { 201 } else { 200 };
    let unreached = hub::fan_out(&cx.env, &members, &ServerFrame::Message(appended.message.clone())).await;
    // A new message (not a retry) is pushed to the members it reached on no live socket.
    if appended.created {
        let sent = push::Sent::new(&me.id, &appended.message, unreached, cx.now_ms);
        cx.ctx.wait_until(push::notify(cx.env.clone(), sent));
    }
    json(status, &appended.message)
}

/// Whether what `me` does in a conversation may be shown to the others: in a direct one, not
/// across a block either way (groups are shared with everyone in them).
pub async fn reaches_others(
    db: &D1Database,
    conversation: &ConversationRow,
    members: &[MemberRow],
    me: &str,
) -> Result<bool, ApiError> {
    if conversation.kind != "direct" {
        return Ok(true);
    }
    let Some(other) = members.iter().find(|m| m.user_id != me) else {
        return Ok(false);
    };
    let (relation, side) = relation(db, me, &other.user_id).await?;
    Ok(relation.may_reach(side))
}

/// A message deleted for everyone takes its file with it: out of R2, then out of D1 (a failure
/// is logged; the message no longer names the file, so nobody is shown it).
async fn forget_files(cx: &Cx, db: &D1Database, conversation_id: &str, seq: u64) {
    let result = async {
        let bucket = cx.env.bucket("MEDIA").internal("MEDIA binding")?;
        for row in media_store::of_message(db, conversation_id, seq).await? {
            bucket.delete(row.key()).await.internal("deleting a chat file")?;
            if row.thumbnail_type.is_some() {
                bucket.delete(row.thumbnail_key()).await.internal("deleting a thumbnail")?;
            }
            media_store::remove(db, &row.id).await?;
        }
        Ok::<(), ApiError>(())
    };
    if let Err(err) = result.await {
        let _ = crate::http::internal("forgetting a deleted message's file", err.message);
    }
}

fn unreachable_person() -> ApiError {
    ApiError::new(ErrorCode::Forbidden, "This person isn't receiving your messages.")
}

/// One page of the log, oldest first: the newest messages (or those before `before_seq`), or
/// with `after_seq` the ones after it (how a client catches up). A member reads what was sent
/// after they joined.
#[utoipa::path(get, path = "/api/chat/conversations/{id}/messages", tag = "chat",
    params(("id" = String, Path), ("after_seq" = Option<u64>, Query), ("before_seq" = Option<u64>, Query),
           ("limit" = Option<u64>, Query, description = "1–200, default 50")),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = MessagePage), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
              (status = 422, body = ErrorEnvelope)))]
pub async fn list(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let query = query_pairs(req);
    let param = |name: &str| query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let db = cx.db()?;
    let (conversation, members) = member_of(&db, id, &me.id).await?;
    let mine = my_row(&members, &me.id)?;
    let window = window(param("after_seq"), param("before_seq"), param("limit"), floor(mine))?;
    let page = room::page(&cx.env, &conversation.id, &window).await?;
    json(200, &MessagePage { items: page.items, has_more: page.has_more, last_seq: page.last_seq })
}

/// A message's seq from the path: a whole number, else no such message.
fn seq_of(seq: &str) -> Result<u64, ApiError> {
    seq.parse::<u64>().map_err(|_| ApiError::not_found("No such message."))
}

/// Changes a message for the caller and tells every member's devices (`changed`).
async fn change_message(
    cx: &Cx,
    me: &UserRow,
    id: &str,
    seq: &str,
    change: Change,
) -> Result<MessageFrame, ApiError> {
    let seq = seq_of(seq)?;
    let db = cx.db()?;
    let (conversation, members) = member_of(&db, id, &me.id).await?;
    let mine = my_row(&members, &me.id)?;
    if let Change::Edit { body } = &change {
        if conversation.encrypted != 0 {
            message::envelope_body(body)?;
        } else {
            message::body(body)?;
        }
    }
    // Deleting is always allowed; adding words or a reaction is not, across a block.
    if !matches!(change, Change::Delete) && !reaches_others(&db, &conversation, &members, &me.id).await? {
        return Err(unreachable_person());
    }
    let reindex = match &change {
        Change::Edit { .. } => Some(true),
        Change::Delete => Some(false),
        Change::React { .. } => None,
    };
    let request = ChangeRequest {
        conversation: conversation.id.clone(),
        seq,
        actor_id: me.id.clone(),
        actor: me.username.clone(),
        floor: floor(mine),
        now_ms: cx.now_ms,
        change,
    };
    let changed = room::change(&cx.env, &request).await?;
    if reindex == Some(false) {
        forget_files(cx, &db, &conversation.id, seq).await;
    }
    let reindex = reindex.filter(|_| conversation.encrypted == 0);
    let indexed = match reindex {
        Some(true) => search::reindex(&db, &conversation.id, seq, &searchable_text(&changed)).await,
        Some(false) => search::forget(&db, &conversation.id, seq).await,
        None => Ok(()),
    };
    if let Err(err) = indexed {
        let _ = crate::http::internal("updating the search index", err);
    }
    let ids: Vec<String> = members.into_iter().map(|m| m.user_id).collect();
    hub::fan_out(&cx.env, &ids, &ServerFrame::Changed(changed.clone())).await;
    Ok(changed)
}

/// Edits a message (its sender, within 15 minutes of sending it); the earlier body is kept for
/// the sender.
#[utoipa::path(patch, path = "/api/chat/conversations/{id}/messages/{seq}", tag = "chat",
    params(("id" = String, Path), ("seq" = u64, Path)), request_body = EditMessage, security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = MessageFrame), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
              (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn edit(req: &mut Request, cx: &Cx, id: &str, seq: &str) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let body = read_json::<EditMessage>(req).await?;
    json(200, &change_message(cx, &me, id, seq, Change::Edit { body: body.body }).await?)
}

/// Deletes a message for everyone (its sender, within 15 minutes): its seq stays, empty.
#[utoipa::path(delete, path = "/api/chat/conversations/{id}/messages/{seq}", tag = "chat",
    params(("id" = String, Path), ("seq" = u64, Path)), security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = MessageFrame), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
              (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn delete(req: &mut Request, cx: &Cx, id: &str, seq: &str) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    json(200, &change_message(cx, &me, id, seq, Change::Delete).await?)
}

/// Reacts with one emoji (replacing the caller's reaction to this message, if any).
#[utoipa::path(put, path = "/api/chat/conversations/{id}/messages/{seq}/reaction", tag = "chat",
    params(("id" = String, Path), ("seq" = u64, Path)), request_body = React, security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = MessageFrame), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
              (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn react(req: &mut Request, cx: &Cx, id: &str, seq: &str) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let body = read_json::<React>(req).await?;
    let emoji = message::reaction(&body.emoji)?.to_owned();
    json(200, &change_message(cx, &me, id, seq, Change::React { emoji: Some(emoji) }).await?)
}

/// Takes the caller's reaction back.
#[utoipa::path(delete, path = "/api/chat/conversations/{id}/messages/{seq}/reaction", tag = "chat",
    params(("id" = String, Path), ("seq" = u64, Path)), security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = MessageFrame), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
              (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn unreact(req: &mut Request, cx: &Cx, id: &str, seq: &str) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    json(200, &change_message(cx, &me, id, seq, Change::React { emoji: None }).await?)
}

/// A message's earlier versions (its sender only).
#[utoipa::path(get, path = "/api/chat/conversations/{id}/messages/{seq}/versions", tag = "chat",
    params(("id" = String, Path), ("seq" = u64, Path)), security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = MessageVersions), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
              (status = 404, body = ErrorEnvelope)))]
pub async fn versions(req: &mut Request, cx: &Cx, id: &str, seq: &str) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let seq = seq_of(seq)?;
    let db = cx.db()?;
    let (conversation, members) = member_of(&db, id, &me.id).await?;
    let mine = my_row(&members, &me.id)?;
    let request = VersionsRequest { seq, actor_id: me.id.clone(), floor: floor(mine) };
    let items = room::versions(&cx.env, &conversation.id, &request)
        .await?
        .into_iter()
        .map(|(body, replaced_at)| MessageVersion { body, replaced_at: Timestamp(replaced_at).to_rfc3339() })
        .collect();
    json(200, &MessageVersions { items })
}
