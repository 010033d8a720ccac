//! `/api/cricket/matches/{id}/chat` and `/polls`: a live match's chat and polls
//! (`shared::cricket::talk`). Rows are in D1; each new message, removal and vote is passed to the
//! match's object, which sends it to every viewer's socket. The match's scorers moderate: they
//! remove messages, mute people and open and close polls.

use super::{room::Broadcast, store};
use crate::{
    auth::identity,
    d1::{self, num, opt_text, text},
    http::{json, no_content, query_pairs, read_json, ApiResult, Cx},
    password::random,
    rate_limit,
};
use serde::Deserialize;
use shared::{
    cricket::{
        live_view::LiveFrame,
        talk::{
            clean_message, ChatMessage, ChatPage, NewChatMessage, NewMute, NewPoll, NewVote, Poll, CHAT_PAGE,
            MAX_OPEN_POLLS, MESSAGES_PER_WINDOW, MESSAGE_WINDOW_SECS,
        },
    },
    error::ErrorEnvelope,
    ids::TimeId,
    rate_limit::RateLimit,
    time::Timestamp,
    ApiError, ErrorCode,
};
use worker::{D1Database, Request};

const MESSAGES: RateLimit = RateLimit { limit: MESSAGES_PER_WINDOW, window_secs: MESSAGE_WINDOW_SECS };
/// Polls and mutes one moderator may make in an hour.
const MODERATION: RateLimit = RateLimit { limit: 120, window_secs: 3_600 };

/// The match, if it is scored live here (an imported match has no chat and no polls).
async fn live_match(db: &D1Database, id: &str) -> Result<store::MatchRow, ApiError> {
    let row = store::match_row(db, id).await?;
    if row.source != "live" {
        return Err(ApiError::new(ErrorCode::Conflict, "An imported match has no chat and no polls."));
    }
    Ok(row)
}

/// Sends a frame to every viewer of the match. The row is written already, so a failure here
/// only delays viewers until they next ask.
async fn tell_viewers(cx: &Cx, match_id: &str, frame: LiveFrame) {
    let asked = Broadcast { frame };
    let sent: Result<serde_json::Value, ApiError> =
        crate::durable::ask(&cx.env, "CRICKET_MATCHES", match_id, "/broadcast", &asked).await;
    if let Err(err) = sent {
        worker::console_warn!("cricket broadcast to {match_id} failed: {}", err.message);
    }
}

#[derive(Deserialize)]
struct MessageRow {
    id: String,
    username: String,
    body: String,
    sent_at: i64,
    moderator: i64,
}

impl From<MessageRow> for ChatMessage {
    fn from(r: MessageRow) -> Self {
        ChatMessage {
            id: r.id,
            username: r.username,
            body: r.body,
            sent_at: r.sent_at,
            moderator: r.moderator != 0,
        }
    }
}

const MESSAGE_COLUMNS: &str = "c.id, u.username, c.body, c.sent_at,
    (c.user_id = m.created_by OR EXISTS (SELECT 1 FROM cricket_scorers s WHERE s.match_id = c.match_id AND s.user_id = c.user_id)) AS moderator";

/// The chat, a page at a time: the newest messages, oldest first; `before` for older ones.
#[utoipa::path(get, path = "/api/cricket/matches/{id}/chat", tag = "cricket",
    params(("id" = String, Path), ("before" = Option<String>, Query, description = "next_before of the page after")),
    responses((status = 200, body = ChatPage), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn chat(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let db = cx.db()?;
    live_match(&db, id).await?;
    let before = query_pairs(req).into_iter().find(|(k, v)| k == "before" && !v.is_empty()).map(|(_, v)| v);
    let mut rows = d1::all::<MessageRow>(
        &db,
        &format!(
            "SELECT {MESSAGE_COLUMNS} FROM cricket_chat c
             JOIN auth_users u ON u.id = c.user_id JOIN cricket_matches m ON m.id = c.match_id
             WHERE c.match_id = ?1 AND c.removed_by IS NULL AND (?2 IS NULL OR c.id < ?2)
             ORDER BY c.id DESC LIMIT ?3"
        ),
        &[text(id), opt_text(before.as_deref()), num(i64::from(CHAT_PAGE) + 1)],
    )
    .await?;
    let more = rows.len() > CHAT_PAGE as usize;
    rows.truncate(CHAT_PAGE as usize);
    rows.reverse();
    let next_before = more.then(|| rows.first().map(|r| r.id.clone())).flatten();
    json(200, &ChatPage { messages: rows.into_iter().map(ChatMessage::from).collect(), next_before })
}

/// Sends a message to the match's chat: five every fifteen seconds, none while muted.
#[utoipa::path(post, path = "/api/cricket/matches/{id}/chat", tag = "cricket", params(("id" = String, Path)),
    request_body = NewChatMessage, security(("session" = []), ("api_key" = [])),
    responses((status = 201, body = ChatMessage), (status = 401, body = ErrorEnvelope),
              (status = 403, body = ErrorEnvelope, description = "A moderator muted you here"),
              (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope),
              (status = 429, body = ErrorEnvelope)))]
pub async fn send_message(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let db = cx.db()?;
    live_match(&db, id).await?;
    let body = clean_message(&read_json::<NewChatMessage>(req).await?.body)?;
    let muted_until: Option<i64> = d1::value(
        &db,
        "SELECT until AS value FROM cricket_mutes WHERE match_id = ?1 AND user_id = ?2 AND until > ?3",
        &[text(id), text(&me.id), num(cx.now_ms)],
    )
    .await?;
    if let Some(until) = muted_until {
        let time = Timestamp(until).to_rfc3339();
        return Err(ApiError {
            retry_after_secs: u32::try_from((until - cx.now_ms + 999) / 1000).ok(),
            ..ApiError::new(
                ErrorCode::Forbidden,
                format!(
                    "A moderator muted you in this chat until {} UTC.",
                    time.get(11..16).unwrap_or(&time)
                ),
            )
        });
    }
    rate_limit::hit(&db, &format!("cricket-chat:{id}:{}", me.id), MESSAGES, cx.now_ms).await?;
    let message_id = TimeId::new(cx.now_ms, random::<10>()?).to_string();
    d1::run(
        &db,
        "INSERT INTO cricket_chat (id, match_id, user_id, body, sent_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        &[text(&message_id), text(id), text(&me.id), text(&body), num(cx.now_ms)],
    )
    .await?;
    let message = ChatMessage {
        id: message_id,
        username: me.username.clone(),
        body,
        sent_at: cx.now_ms,
        moderator: store::is_scorer(&db, id, &me.id).await?,
    };
    tell_viewers(cx, id, LiveFrame::Chat(message.clone())).await;
    json(201, &message)
}

/// Takes a message down: its author, or a moderator.
#[utoipa::path(delete, path = "/api/cricket/matches/{id}/chat/{message_id}", tag = "cricket",
    params(("id" = String, Path), ("message_id" = String, Path)), security(("session" = []), ("api_key" = [])),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
              (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn remove_message(req: &mut Request, cx: &Cx, id: &str, message_id: &str) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let db = cx.db()?;
    live_match(&db, id).await?;
    let author: Option<String> = d1::value(
        &db,
        "SELECT user_id AS value FROM cricket_chat WHERE id = ?1 AND match_id = ?2 AND removed_by IS NULL",
        &[text(message_id), text(id)],
    )
    .await?;
    let author = author.ok_or_else(|| ApiError::not_found("No such message."))?;
    if author != me.id && !store::is_scorer(&db, id, &me.id).await? {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "Only its author or a moderator takes a message down.",
        ));
    }
    let changed = d1::run(
        &db,
        "UPDATE cricket_chat SET removed_by = ?3 WHERE id = ?1 AND match_id = ?2 AND removed_by IS NULL",
        &[text(message_id), text(id), text(&me.id)],
    )
    .await?;
    if changed == 0 {
        return Err(ApiError::not_found("No such message."));
    }
    tell_viewers(cx, id, LiveFrame::ChatRemoved { id: message_id.to_owned() }).await;
    no_content()
}

/// The caller, if they moderate the match (its scorers); else 403.
async fn moderator(req: &Request, cx: &Cx, db: &D1Database, id: &str) -> Result<String, ApiError> {
    let me = identity::require(req, cx).await?.user;
    live_match(db, id).await?;
    if !store::is_scorer(db, id, &me.id).await? {
        return Err(ApiError::new(ErrorCode::Forbidden, "Only the match's scorers moderate it."));
    }
    rate_limit::hit(db, &format!("cricket-moderation:user:{}", me.id), MODERATION, cx.now_ms).await?;
    Ok(me.id)
}

/// Keeps someone out of the chat for 1 to 1,440 minutes (a moderator; scorers cannot be muted).
#[utoipa::path(post, path = "/api/cricket/matches/{id}/mutes", tag = "cricket", params(("id" = String, Path)),
    request_body = NewMute, security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = Muted), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
              (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope),
              (status = 429, body = ErrorEnvelope)))]
pub async fn mute(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let db = cx.db()?;
    let me = moderator(req, cx, &db, id).await?;
    let asked = read_json::<NewMute>(req).await?.checked()?;
    let user_id = store::user_id_of(&db, &asked.username)
        .await?
        .ok_or_else(|| ApiError::invalid("username", "Nobody has that username."))?;
    if store::is_scorer(&db, id, &user_id).await? {
        return Err(ApiError::invalid("username", "A scorer of this match cannot be muted in it."));
    }
    let until = cx.now_ms + i64::from(asked.minutes) * 60_000;
    d1::run(
        &db,
        "INSERT INTO cricket_mutes (match_id, user_id, until, muted_by) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (match_id, user_id) DO UPDATE SET until = excluded.until, muted_by = excluded.muted_by",
        &[text(id), text(&user_id), num(until), text(&me)],
    )
    .await?;
    json(200, &Muted { username: asked.username.trim().to_lowercase(), until })
}

/// Who is muted, and until when (unix ms).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Muted {
    pub username: String,
    pub until: i64,
}

#[derive(Deserialize)]
struct PollRow {
    id: String,
    question: String,
    options: String,
    closed_at: Option<i64>,
}

/// A match's polls (newest first, or just one), with their votes and the caller's own.
async fn polls(
    db: &D1Database,
    match_id: &str,
    poll_id: Option<&str>,
    user_id: Option<&str>,
) -> Result<Vec<Poll>, ApiError> {
    #[derive(Deserialize)]
    struct Count {
        poll_id: String,
        option: u32,
        n: u32,
    }
    #[derive(Deserialize)]
    struct Mine {
        poll_id: String,
        option: u32,
    }
    let rows = d1::all::<PollRow>(
        db,
        "SELECT id, question, options, closed_at FROM cricket_polls
         WHERE match_id = ?1 AND (?2 IS NULL OR id = ?2) ORDER BY id DESC LIMIT 50",
        &[text(match_id), opt_text(poll_id)],
    )
    .await?;
    let counts = d1::all::<Count>(
        db,
        "SELECT v.poll_id, v.option, COUNT(*) AS n FROM cricket_poll_votes v
         JOIN cricket_polls p ON p.id = v.poll_id
         WHERE p.match_id = ?1 AND (?2 IS NULL OR p.id = ?2) GROUP BY v.poll_id, v.option",
        &[text(match_id), opt_text(poll_id)],
    )
    .await?;
    let mine = match user_id {
        Some(user) => d1::all::<Mine>(
            db,
            "SELECT v.poll_id, v.option FROM cricket_poll_votes v JOIN cricket_polls p ON p.id = v.poll_id
                 WHERE p.match_id = ?1 AND v.user_id = ?2",
            &[text(match_id), text(user)],
        )
        .await?,
        None => Vec::new(),
    };
    Ok(rows
        .into_iter()
        .map(|r| {
            let mut poll = Poll {
                options: serde_json::from_str(&r.options).unwrap_or_default(),
                question: r.question,
                votes: Vec::new(),
                total: 0,
                closed: r.closed_at.is_some(),
                my_vote: mine.iter().find(|m| m.poll_id == r.id).map(|m| m.option),
                id: r.id,
            };
            let tally: Vec<(u32, u32)> =
                counts.iter().filter(|c| c.poll_id == poll.id).map(|c| (c.option, c.n)).collect();
            poll.tally(&tally);
            poll
        })
        .collect())
}

async fn one_poll(
    db: &D1Database,
    match_id: &str,
    poll_id: &str,
    user_id: Option<&str>,
) -> Result<Poll, ApiError> {
    polls(db, match_id, Some(poll_id), user_id)
        .await?
        .pop()
        .ok_or_else(|| ApiError::not_found("No such poll."))
}

/// The match's polls, newest first, with their results (and the caller's vote when signed in).
#[utoipa::path(get, path = "/api/cricket/matches/{id}/polls", tag = "cricket", params(("id" = String, Path)),
    responses((status = 200, body = [Poll]), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn list_polls(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let db = cx.db()?;
    live_match(&db, id).await?;
    let me = identity::optional(req, cx).await?.map(|i| i.user.id);
    json(200, &polls(&db, id, None, me.as_deref()).await?)
}

/// Opens a poll (a moderator): who wins, how the next wicket falls, or their own question.
/// At most three are open at once.
#[utoipa::path(post, path = "/api/cricket/matches/{id}/polls", tag = "cricket", params(("id" = String, Path)),
    request_body = NewPoll, security(("session" = []), ("api_key" = [])),
    responses((status = 201, body = Poll), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
              (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope),
              (status = 429, body = ErrorEnvelope)))]
pub async fn open_poll(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let db = cx.db()?;
    let me = moderator(req, cx, &db, id).await?;
    let row = store::match_row(&db, id).await?;
    let first_class = matches!(row.match_type.as_str(), "Test" | "MDM");
    let (question, options) =
        read_json::<NewPoll>(req).await?.question_and_options(&[row.team_a, row.team_b], first_class)?;
    let poll_id = TimeId::new(cx.now_ms, random::<10>()?).to_string();
    // The count and the insert are one statement, so two moderators cannot open a fourth.
    let opened = d1::run(
        &db,
        "INSERT INTO cricket_polls (id, match_id, question, options, created_by, created_at)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6
         WHERE (SELECT COUNT(*) FROM cricket_polls WHERE match_id = ?2 AND closed_at IS NULL) < ?7",
        &[
            text(&poll_id),
            text(id),
            text(&question),
            text(&serde_json::to_string(&options).unwrap_or_default()),
            text(&me),
            num(cx.now_ms),
            num(i64::from(MAX_OPEN_POLLS)),
        ],
    )
    .await?;
    if opened == 0 {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!("A match has at most {MAX_OPEN_POLLS} polls open: close one first."),
        ));
    }
    let poll = one_poll(&db, id, &poll_id, None).await?;
    tell_viewers(cx, id, LiveFrame::Poll(poll.clone())).await;
    json(201, &poll)
}

/// Votes in an open poll: one vote a person, never changed.
#[utoipa::path(post, path = "/api/cricket/matches/{id}/polls/{poll_id}/votes", tag = "cricket",
    params(("id" = String, Path), ("poll_id" = String, Path)), request_body = NewVote,
    security(("session" = []), ("api_key" = [])),
    responses((status = 201, body = Poll), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
              (status = 409, body = ErrorEnvelope, description = "Voted already, or the poll is closed"),
              (status = 422, body = ErrorEnvelope)))]
pub async fn vote(req: &mut Request, cx: &Cx, id: &str, poll_id: &str) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let db = cx.db()?;
    live_match(&db, id).await?;
    let poll = one_poll(&db, id, poll_id, Some(&me.id)).await?;
    let asked = read_json::<NewVote>(req).await?;
    poll.check_vote(&asked)?;
    if poll.my_vote.is_some() {
        return Err(ApiError::new(ErrorCode::Conflict, "You have voted in this poll."));
    }
    // Only into an open poll, and only once (the key is the poll and the person).
    let counted = d1::run(
        &db,
        "INSERT INTO cricket_poll_votes (poll_id, user_id, option, voted_at)
         SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM cricket_polls WHERE id = ?1 AND closed_at IS NULL)
         ON CONFLICT (poll_id, user_id) DO NOTHING",
        &[text(poll_id), text(&me.id), num(i64::from(asked.option)), num(cx.now_ms)],
    )
    .await?;
    let poll = one_poll(&db, id, poll_id, Some(&me.id)).await?;
    if counted == 0 {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            if poll.closed { "This poll is closed." } else { "You have voted in this poll." },
        ));
    }
    tell_viewers(cx, id, LiveFrame::Poll(Poll { my_vote: None, ..poll.clone() })).await;
    json(201, &poll)
}

/// Closes a poll (a moderator): its results stay, no more votes.
#[utoipa::path(post, path = "/api/cricket/matches/{id}/polls/{poll_id}/close", tag = "cricket",
    params(("id" = String, Path), ("poll_id" = String, Path)), security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = Poll), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
              (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope)))]
pub async fn close_poll(req: &mut Request, cx: &Cx, id: &str, poll_id: &str) -> ApiResult {
    let db = cx.db()?;
    moderator(req, cx, &db, id).await?;
    one_poll(&db, id, poll_id, None).await?;
    let closed = d1::run(
        &db,
        "UPDATE cricket_polls SET closed_at = ?3 WHERE id = ?1 AND match_id = ?2 AND closed_at IS NULL",
        &[text(poll_id), text(id), num(cx.now_ms)],
    )
    .await?;
    if closed == 0 {
        return Err(ApiError::new(ErrorCode::Conflict, "This poll is closed already."));
    }
    let poll = one_poll(&db, id, poll_id, None).await?;
    tell_viewers(cx, id, LiveFrame::Poll(poll.clone())).await;
    json(200, &poll)
}
