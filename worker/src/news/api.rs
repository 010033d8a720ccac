//! `/api/news`: the ranked lists, submitting, a story's thread, commenting, voting, flagging
//! and vouching, and profiles. Reading needs no account; writing does. Dead items are shown
//! to their authors and the moderators only (`shared::news::moderation::visible`).

use crate::{
    auth::{identity, store::UserRow},
    http::{json, query_pairs, read_json, ApiResult, Cx},
    news::{
        front,
        live::{self, FRONT_ROOM},
        store::{self, ItemRow, Listing, NewComment, NewStory, Stored},
    },
};
use shared::{
    error::ErrorEnvelope,
    news::{
        comments::{editable, thread, ThreadComment},
        moderation::{check_pace, hourly_limit, may_flag, may_vouch, visible, Posting},
        ranking::explain,
        submission::{check_url, clean_text, clean_title, StoryKind},
        votes::{can_unvote, cast, unvote_until, Ballot, Cast, Direction, ARCHIVED_AFTER_MS, VOTE_CHANGES},
        wire::{
            CommentRequest, CommentView, FlagRequest, ItemPage, LiveFrame, StandingView, StoryList,
            StoryView, SubmitRequest, Submitted, VoteRequest, VoteResult,
        },
        HOUR_MS,
    },
    time::Timestamp,
    ApiError, ErrorCode,
};
use worker::{D1Database, Request};

/// Stories per page, as on HN.
pub const PAGE_SIZE: usize = 30;
/// Ranked lists go this deep (HN's API lists 500).
pub const LIST_DEPTH: usize = 500;

/// Who is reading, when signed in, with their News standing.
pub struct Reader {
    pub user: UserRow,
    pub moderator: bool,
    pub person: store::PersonRow,
}

impl Reader {
    pub fn id(&self) -> &str {
        &self.user.id
    }

    /// Whether dead items are shown to this reader (marked): moderators, and showdead.
    pub(super) fn shows_dead(&self) -> bool {
        self.moderator || self.person.showdead != 0
    }

    /// Whether an item is shown to this reader as dead: a shadow-banned author is not told.
    fn sees_dead(&self, item: &ItemRow) -> bool {
        item.is_dead() && !(self.id() == item.author_id && self.person.shadow_banned != 0)
    }
}

pub(super) fn shown_dead(reader: Option<&Reader>, item: &ItemRow) -> bool {
    reader.map_or(item.is_dead(), |r| r.sees_dead(item))
}

pub fn is_moderator(cx: &Cx, username: &str) -> bool {
    let moderators = cx.env.var("NEWS_MODERATORS").map(|v| v.to_string()).unwrap_or_default();
    shared::roles::named_in(&moderators, username)
}

pub(super) async fn reader(req: &Request, cx: &Cx) -> Result<Option<Reader>, ApiError> {
    match identity::optional(req, cx).await? {
        Some(who) => Ok(Some(as_reader(cx, who.user).await?)),
        None => Ok(None),
    }
}

pub(super) async fn writer(req: &Request, cx: &Cx) -> Result<Reader, ApiError> {
    as_reader(cx, identity::require(req, cx).await?.user).await
}

async fn as_reader(cx: &Cx, user: UserRow) -> Result<Reader, ApiError> {
    let person = store::person(&cx.db()?, &user.id).await?;
    let moderator = is_moderator(cx, &user.username);
    Ok(Reader { user, moderator, person })
}

/// Ids are below 2^53: D1 carries them as JS numbers.
pub const MAX_ID: i64 = 1 << 53;

pub(super) fn parse_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| (1..MAX_ID).contains(id))
        .ok_or_else(|| ApiError::not_found(format!("There is no item {raw}.")))
}

pub(super) fn no_item(id: i64) -> ApiError {
    ApiError::not_found(format!("There is no item {id}."))
}

/// The item if this reader may see it, else 404 (a dead item is not admitted to exist).
pub(super) async fn visible_item(
    db: &D1Database,
    id: i64,
    reader: Option<&Reader>,
) -> Result<ItemRow, ApiError> {
    let item = store::item(db, id).await?.ok_or_else(|| no_item(id))?;
    let own = reader.is_some_and(|r| r.id() == item.author_id);
    if !visible(item.is_dead(), own, reader.is_some_and(Reader::shows_dead)) {
        return Err(no_item(id));
    }
    Ok(item)
}

/// What a reader has done to the items on a page.
#[derive(Default)]
pub(super) struct Marks {
    votes: Vec<store::CastVote>,
    flags: Vec<i64>,
    favorites: Vec<i64>,
}

pub(super) async fn marks(db: &D1Database, reader: Option<&Reader>, ids: &[i64]) -> Result<Marks, ApiError> {
    let Some(reader) = reader else { return Ok(Marks::default()) };
    let votes = store::votes_among(db, reader.id(), ids).await?;
    let (flags, favorites) = store::marks_among(db, reader.id(), ids).await?;
    Ok(Marks { votes, flags, favorites })
}

impl Marks {
    /// The reader's vote on an item, and until when they may take it back.
    fn vote_on(&self, id: i64) -> (Option<Direction>, Option<Timestamp>) {
        match self.votes.iter().find(|v| v.item_id == id) {
            Some(v) => (Some(v.direction), Some(Timestamp(unvote_until(v.voted_at)))),
            None => (None, None),
        }
    }
}

pub(super) fn story_view(item: &ItemRow, reader: Option<&Reader>, marks: &Marks, now_ms: i64) -> StoryView {
    let own = reader.is_some_and(|r| r.id() == item.author_id);
    let deleted = item.is_deleted();
    let (voted, vote_taken_back_by) = marks.vote_on(item.id);
    StoryView {
        id: item.id,
        kind: item.story_kind(),
        title: if deleted { "[deleted]".into() } else { item.title.clone().unwrap_or_default() },
        url: if deleted { None } else { item.url.clone() },
        site: if deleted { None } else { item.site.clone() },
        text: if deleted { String::new() } else { item.text.clone() },
        by: item.by.clone(),
        created_at: Timestamp(item.created_at),
        points: item.points,
        comments: item.descendants,
        dead: shown_dead(reader, item),
        deleted,
        voted,
        unvote_until: vote_taken_back_by,
        editable: own && !deleted && editable(item.created_at, now_ms),
        flagged: marks.flags.contains(&item.id),
        favorite: marks.favorites.contains(&item.id),
    }
}

fn listing_of(name: &str) -> Result<Listing, ApiError> {
    match name {
        "" | "front" | "top" => Ok(Listing::Ranked(None)),
        "new" => Ok(Listing::New),
        "best" => Ok(Listing::Best),
        "ask" => Ok(Listing::Ranked(Some(StoryKind::Ask))),
        "show" => Ok(Listing::Ranked(Some(StoryKind::Show))),
        other => Err(ApiError::invalid(
            "list",
            format!("There is no list \"{other}\": choose front, new, best, ask or show."),
        )),
    }
}

/// One page of a list.
#[utoipa::path(get, path = "/api/news/stories", tag = "news",
    params(("list" = Option<String>, Query, description = "front (default), new, best, ask or show"),
           ("page" = Option<u32>, Query, description = "1-based, 30 stories a page")),
    responses((status = 200, body = StoryList),
              (status = 401, body = ErrorEnvelope, description = "An API key that is not valid")))]
pub async fn list(req: &mut Request, cx: &Cx) -> ApiResult {
    let query = query_pairs(req);
    let get = |name: &str| query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or_default();
    let listing = listing_of(get("list"))?;
    let page: usize = match get("page") {
        "" => 1,
        raw => {
            raw.parse().ok().filter(|p| (1..=LIST_DEPTH / PAGE_SIZE + 1).contains(p)).ok_or_else(|| {
                ApiError::invalid(
                    "page",
                    format!("The page must be a number from 1 to {}.", LIST_DEPTH / PAGE_SIZE + 1),
                )
            })?
        }
    };
    let db = cx.db()?;
    let ids = front::ids(cx, &db, listing).await?;
    let start = (page - 1) * PAGE_SIZE;
    let on_page: Vec<i64> = ids.iter().skip(start).take(PAGE_SIZE).copied().collect();
    let rows = store::items(&db, &on_page).await?;
    let reader = reader(req, cx).await?;
    let marks = marks(&db, reader.as_ref(), &on_page).await?;
    let stories = on_page
        .iter()
        .filter_map(|id| rows.iter().find(|r| r.id == *id))
        // Killed or deleted since the list was ranked.
        .filter(|row| !row.is_dead() && !row.is_deleted())
        .map(|row| story_view(row, reader.as_ref(), &marks, cx.now_ms))
        .collect();
    json(200, &StoryList { stories, page: page as u32, more: ids.len() > start + PAGE_SIZE })
}

/// Submits a link, an Ask or a Show. A URL already submitted in the last 30 days goes to the
/// story that has it (200, `duplicate`), and counts as an upvote there.
#[utoipa::path(post, path = "/api/news/stories", tag = "news", request_body = SubmitRequest,
    security(("session" = []), ("api_key" = [])),
    responses((status = 201, body = Submitted), (status = 200, body = Submitted, description = "A duplicate"),
              (status = 403, body = ErrorEnvelope, description = "Banned"),
              (status = 429, body = ErrorEnvelope, description = "Posting too fast")))]
pub async fn submit(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = writer(req, cx).await?;
    let body: SubmitRequest = read_json(req).await?;
    let title = clean_title(&body.title)?;
    let url = match body.url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        Some(raw) => Some(check_url(raw)?),
        None => None,
    };
    let text = clean_text(body.text.as_deref().unwrap_or_default(), "text", url.is_none())?;
    let kind = StoryKind::of(&title, url.is_some());
    let db = cx.db()?;
    let person = &me.person;
    refuse_banned(person)?;
    let age_ms = cx.now_ms - me.user.created_at;
    let recent = store::recent_posts(&db, me.id(), true, cx.now_ms).await?;
    check_pace(Posting::Story, age_ms, person.karma, &recent, cx.now_ms)?;
    let story = NewStory {
        kind,
        author_id: me.id(),
        title: &title,
        url: url.as_ref().map(|u| u.url.as_str()),
        url_key: url.as_ref().map(|u| u.key.as_str()),
        site: url.as_ref().map(|u| u.site.as_str()),
        text: &text,
        dead: person.shadow_banned != 0,
        hourly_limit: hourly_limit(Posting::Story, age_ms, person.karma),
        now_ms: cx.now_ms,
    };
    let (status, id, duplicate) = match store::insert_story(&db, &story).await? {
        Stored::New(id) => (201, id, false),
        Stored::OverPace => return Err(pace_lost(&db, &me, Posting::Story, cx).await),
        Stored::Duplicate(existing) => {
            let item = store::item(&db, existing).await?.ok_or_else(|| no_item(existing))?;
            // HN counts a duplicate submission as an upvote, where the rules allow one.
            let existing_vote = store::vote_of(&db, existing, me.id()).await?.map(|(d, _)| d);
            if !item.is_dead() && item.author_id != me.id() && existing_vote.is_none() {
                store::cast_vote(&db, &item, me.id(), Direction::Up, cx.now_ms).await?;
            }
            (200, existing, true)
        }
    };
    front::changed(cx).await;
    let row = store::item(&db, id).await?.ok_or_else(|| no_item(id))?;
    if !row.is_dead() {
        let frame = if duplicate {
            score_frames(&row)
        } else {
            let story = story_view(&row, None, &Marks::default(), cx.now_ms);
            vec![(FRONT_ROOM.to_owned(), vec![LiveFrame::Story { story }])]
        };
        live::tell(cx, frame);
    }
    let marks = marks(&db, Some(&me), &[id]).await?;
    json(status, &Submitted { story: story_view(&row, Some(&me), &marks, cx.now_ms), duplicate })
}

/// The 429 of a post that a concurrent one beat to the last place of the hour.
async fn pace_lost(db: &D1Database, me: &Reader, posting: Posting, cx: &Cx) -> ApiError {
    let recent =
        store::recent_posts(db, me.id(), posting == Posting::Story, cx.now_ms).await.unwrap_or_default();
    check_pace(posting, cx.now_ms - me.user.created_at, me.person.karma, &recent, cx.now_ms)
        .err()
        .unwrap_or_else(|| ApiError::rate_limited(60))
}

/// The story a thread hangs from, refused (409) when it is dead, deleted or archived: then
/// nothing in its thread can be answered or voted on.
async fn open_thread(db: &D1Database, item: &ItemRow, now_ms: i64) -> Result<ItemRow, ApiError> {
    let story = match item.story_id.filter(|_| !item.is_story()) {
        Some(story_id) => store::item(db, story_id).await?.ok_or_else(|| no_item(story_id))?,
        None => item.clone(),
    };
    if story.is_dead() || story.is_deleted() {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "This thread is closed: its story is dead or deleted.",
        ));
    }
    if now_ms - story.created_at >= ARCHIVED_AFTER_MS {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "This thread is archived; it can't be answered or voted on.",
        ));
    }
    Ok(story)
}

pub(super) fn refuse_banned(person: &store::PersonRow) -> Result<(), ApiError> {
    if person.banned != 0 {
        return Err(ApiError::new(ErrorCode::Forbidden, "This account is banned from posting on News."));
    }
    Ok(())
}

/// A story and its thread (a comment's id answers with its story's thread).
#[utoipa::path(get, path = "/api/news/items/{id}", tag = "news",
    params(("id" = i64, Path, description = "A story's or a comment's id")),
    responses((status = 200, body = ItemPage), (status = 404, body = ErrorEnvelope),
              (status = 401, body = ErrorEnvelope, description = "An API key that is not valid")))]
pub async fn item_page(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let id = parse_id(id)?;
    let db = cx.db()?;
    let reader = reader(req, cx).await?;
    let mut item = visible_item(&db, id, reader.as_ref()).await?;
    if let Some(story_id) = item.story_id.filter(|_| !item.is_story()) {
        item = visible_item(&db, story_id, reader.as_ref()).await?;
    }
    let comments = store::comments_of(&db, item.id).await?;
    let mut ids: Vec<i64> = comments.iter().map(|c| c.id).collect();
    ids.push(item.id);
    let marks = marks(&db, reader.as_ref(), &ids).await?;
    let last_visit = match &reader {
        Some(r) => store::visit(&db, r.id(), item.id, cx.now_ms).await?,
        None => None,
    };
    let comments = comment_views(&comments, reader.as_ref(), &marks, last_visit, cx.now_ms);
    json(
        200,
        &ItemPage {
            story: story_view(&item, reader.as_ref(), &marks, cx.now_ms),
            comments,
            last_visit: last_visit.map(Timestamp),
            rank: explain(&item.rankable(), cx.now_ms),
        },
    )
}

pub(super) fn comment_views(
    rows: &[ItemRow],
    reader: Option<&Reader>,
    marks: &Marks,
    last_visit: Option<i64>,
    now_ms: i64,
) -> Vec<CommentView> {
    let story_id = rows.first().and_then(|r| r.story_id).unwrap_or_default();
    let threaded: Vec<ThreadComment<i64>> = rows
        .iter()
        .map(|row| ThreadComment {
            id: row.id,
            parent: row.parent_id.filter(|p| *p != story_id),
            points: row.points,
            created_ms: row.created_at,
            dead: row.is_dead(),
            deleted: row.is_deleted(),
            visible_when_dead: reader.is_some_and(|r| r.shows_dead() || r.id() == row.author_id),
        })
        .collect();
    thread(&threaded, now_ms)
        .into_iter()
        .filter_map(|line| {
            let row = rows.iter().find(|r| r.id == line.id)?;
            let own = reader.is_some_and(|r| r.id() == row.author_id);
            let hidden = line.placeholder;
            let (voted, vote_taken_back_by) = marks.vote_on(row.id);
            Some(CommentView {
                id: row.id,
                story_id: row.story_id.unwrap_or_default(),
                parent: row.parent_id.unwrap_or_default(),
                depth: u32::try_from(line.depth).unwrap_or(u32::MAX),
                by: if hidden { String::new() } else { row.by.clone() },
                text: if hidden {
                    if row.is_deleted() {
                        "[deleted]".into()
                    } else {
                        "[dead]".into()
                    }
                } else {
                    row.text.clone()
                },
                created_at: Timestamp(row.created_at),
                points: own.then_some(row.points),
                dead: shown_dead(reader, row),
                deleted: row.is_deleted(),
                placeholder: hidden,
                voted,
                unvote_until: vote_taken_back_by,
                editable: own && !hidden && editable(row.created_at, now_ms),
                new: !own && last_visit.is_some_and(|seen| row.created_at > seen),
            })
        })
        .collect()
}

/// Answers a story or a comment.
#[utoipa::path(post, path = "/api/news/comments", tag = "news", request_body = CommentRequest,
    security(("session" = []), ("api_key" = [])),
    responses((status = 201, body = CommentView), (status = 404, body = ErrorEnvelope),
              (status = 403, body = ErrorEnvelope, description = "Banned"),
              (status = 409, body = ErrorEnvelope, description = "Dead, deleted or archived"),
              (status = 429, body = ErrorEnvelope, description = "Posting too fast")))]
pub async fn comment(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = writer(req, cx).await?;
    let body: CommentRequest = read_json(req).await?;
    let text = clean_text(&body.text, "text", true)?;
    let db = cx.db()?;
    let parent = visible_item(&db, body.parent, Some(&me)).await.map_err(|_| ApiError {
        field: Some("parent".into()),
        ..ApiError::not_found(format!("There is no item {}.", body.parent))
    })?;
    if parent.is_dead() || parent.is_deleted() {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "That item is dead or deleted; it can't be answered.",
        ));
    }
    open_thread(&db, &parent, cx.now_ms).await?;
    let person = &me.person;
    refuse_banned(person)?;
    let age_ms = cx.now_ms - me.user.created_at;
    let recent = store::recent_posts(&db, me.id(), false, cx.now_ms).await?;
    check_pace(Posting::Comment, age_ms, person.karma, &recent, cx.now_ms)?;
    let new = NewComment {
        parent_id: parent.id,
        author_id: me.id(),
        text: &text,
        hourly_limit: hourly_limit(Posting::Comment, age_ms, person.karma),
        now_ms: cx.now_ms,
    };
    let Some(stored) = store::insert_comment(&db, &new).await? else {
        // Not stored: the thread closed (a kill, a deletion) since it was read, or the pace.
        let parent = store::item(&db, parent.id).await?.ok_or_else(|| no_item(parent.id))?;
        if parent.is_dead() || parent.is_deleted() {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                "That item is dead or deleted; it can't be answered.",
            ));
        }
        open_thread(&db, &parent, cx.now_ms).await?;
        return Err(pace_lost(&db, &me, Posting::Comment, cx).await);
    };
    front::changed(cx).await;
    // Its place in the thread (its depth) is known from the thread it joined.
    let thread = store::comments_of(&db, stored.story_id).await?;
    let view = comment_views(&thread, Some(&me), &Marks::default(), None, cx.now_ms)
        .into_iter()
        .find(|c| c.id == stored.id)
        .ok_or_else(|| crate::http::internal("showing a new comment", "not in its thread"))?;
    if stored.dead == 0 {
        // Others see it as a reader without an account would, the moment it is stored.
        let public = comment_views(&thread, None, &Marks::default(), None, cx.now_ms)
            .into_iter()
            .find(|c| c.id == stored.id);
        let mut frames = Vec::new();
        if let Some(comment) = public {
            frames.push((live::story_room(stored.story_id), vec![LiveFrame::Comment { comment }]));
        }
        if let Some(story) = store::item(&db, stored.story_id).await? {
            frames.extend(score_frames(&story));
        }
        live::tell(cx, frames);
    }
    json(201, &view)
}

/// Votes an item up (or a comment down, with 500 karma). The same vote again changes nothing.
#[utoipa::path(post, path = "/api/news/items/{id}/vote", tag = "news", request_body = VoteRequest,
    params(("id" = i64, Path, description = "A story's or a comment's id")),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = VoteResult), (status = 403, body = ErrorEnvelope),
              (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope),
              (status = 429, body = ErrorEnvelope, description = "Votes changed too fast")))]
pub async fn vote(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let me = writer(req, cx).await?;
    let id = parse_id(id)?;
    let body: VoteRequest = read_json(req).await?;
    let db = cx.db()?;
    let item = visible_item(&db, id, Some(&me)).await?;
    if item.is_deleted() {
        return Err(no_item(id));
    }
    let existing = store::vote_of(&db, id, me.id()).await?.map(|(d, _)| d);
    let ballot = Ballot {
        direction: body.direction,
        on_comment: !item.is_story(),
        voter_is_author: item.author_id == me.id(),
        voter_karma: me.person.karma,
        item_dead: item.is_dead(),
        item_created_ms: item.created_at,
        existing,
    };
    if existing != Some(body.direction) && !item.is_story() {
        open_thread(&db, &item, cx.now_ms).await?;
    }
    let mut moved = false;
    if cast(&ballot, cx.now_ms)? == Cast::New {
        limit_vote_changes(cx, &db, &me).await?;
        // A vote racing this one for the same reader loses on the key: then nothing moves.
        moved = store::cast_vote(&db, &item, me.id(), body.direction, cx.now_ms).await?;
        front::changed(cx).await;
    }
    vote_result(cx, &db, &item, me.id(), moved).await
}

/// Counts a vote cast or taken back against the reader's minute (429 past `VOTE_CHANGES`).
async fn limit_vote_changes(cx: &Cx, db: &D1Database, me: &Reader) -> Result<(), ApiError> {
    crate::rate_limit::hit(db, &format!("news-votes:user:{}", me.id()), VOTE_CHANGES, cx.now_ms)
        .await
        .map(drop)
}

/// A vote's answer: the reader's standing vote, and the points of a story (a comment's
/// points are its author's to see, who cannot vote on it).
async fn vote_result(cx: &Cx, db: &D1Database, item: &ItemRow, reader_id: &str, moved: bool) -> ApiResult {
    let vote = store::vote_of(db, item.id, reader_id).await?;
    let points = if item.is_story() { Some(store::points_of(db, item.id).await?) } else { None };
    if let Some(points) = points.filter(|_| moved && !item.is_dead()) {
        live::tell(cx, score_frames(&ItemRow { points, ..item.clone() }));
    }
    json(
        200,
        &VoteResult {
            id: item.id,
            points,
            voted: vote.map(|(direction, _)| direction),
            unvote_until: vote.map(|(_, voted_at)| Timestamp(unvote_until(voted_at))),
        },
    )
}

/// A story's points and count of comments, for its page and the lists.
pub(super) fn score_frames(story: &ItemRow) -> Vec<(String, Vec<LiveFrame>)> {
    let frame = LiveFrame::Score { id: story.id, points: story.points, comments: story.descendants };
    vec![(live::story_room(story.id), vec![frame.clone()]), (FRONT_ROOM.to_owned(), vec![frame])]
}

/// Takes a vote back, within an hour of casting it.
#[utoipa::path(delete, path = "/api/news/items/{id}/vote", tag = "news",
    params(("id" = i64, Path, description = "A story's or a comment's id")),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = VoteResult), (status = 404, body = ErrorEnvelope),
              (status = 409, body = ErrorEnvelope, description = "Cast more than an hour ago"),
              (status = 429, body = ErrorEnvelope, description = "Votes changed too fast")))]
pub async fn unvote(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let me = writer(req, cx).await?;
    let id = parse_id(id)?;
    let db = cx.db()?;
    let item = visible_item(&db, id, Some(&me)).await?;
    let mut moved = false;
    if let Some((direction, voted_ms)) = store::vote_of(&db, id, me.id()).await? {
        can_unvote(voted_ms, cx.now_ms)?;
        limit_vote_changes(cx, &db, &me).await?;
        moved = store::take_back_vote(&db, &item, me.id(), direction, cx.now_ms - HOUR_MS).await?;
        if moved {
            front::changed(cx).await;
        }
    }
    vote_result(cx, &db, &item, me.id(), moved).await
}

/// An item's standing after a flag or a vouch; open pages drop an item the flag killed.
async fn standing_view(cx: &Cx, db: &D1Database, id: i64, was_dead: bool) -> ApiResult {
    let item = store::item(db, id).await?.ok_or_else(|| no_item(id))?;
    if item.is_dead() && !was_dead {
        let story_id = item.story_id.unwrap_or(id);
        let mut frames = vec![(live::story_room(story_id), vec![LiveFrame::Removed { id }])];
        if item.is_story() {
            frames.push((FRONT_ROOM.to_owned(), vec![LiveFrame::Removed { id }]));
        }
        live::tell(cx, frames);
    }
    json(200, &StandingView { id, flags: item.flags, vouches: item.vouches, dead: item.is_dead() })
}

/// Flags an item, with a reason; enough flags kill it.
#[utoipa::path(post, path = "/api/news/items/{id}/flag", tag = "news", request_body = FlagRequest,
    params(("id" = i64, Path, description = "A story's or a comment's id")),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = StandingView), (status = 403, body = ErrorEnvelope),
              (status = 404, body = ErrorEnvelope)))]
pub async fn flag(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let me = writer(req, cx).await?;
    let id = parse_id(id)?;
    let body: FlagRequest = read_json(req).await?;
    let db = cx.db()?;
    let item = visible_item(&db, id, Some(&me)).await?;
    may_flag(me.person.karma, item.author_id == me.id(), body.reason, !item.is_story())?;
    store::flag(&db, id, me.id(), body.reason.as_str(), cx.now_ms).await?;
    front::changed(cx).await;
    standing_view(cx, &db, id, item.is_dead()).await
}

/// Vouches for an item that flags killed; enough vouches revive it.
#[utoipa::path(post, path = "/api/news/items/{id}/vouch", tag = "news",
    params(("id" = i64, Path, description = "A story's or a comment's id")),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = StandingView), (status = 403, body = ErrorEnvelope),
              (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn vouch(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let me = writer(req, cx).await?;
    let id = parse_id(id)?;
    let db = cx.db()?;
    // Vouching is for dead items, which readers with karma are shown as such.
    let item = store::item(&db, id).await?.ok_or_else(|| no_item(id))?;
    let author = store::person(&db, &item.author_id).await?;
    may_vouch(me.person.karma, item.author_id == me.id(), &item.standing(author.shadow_banned != 0))?;
    store::vouch(&db, id, me.id(), cx.now_ms).await?;
    front::changed(cx).await;
    standing_view(cx, &db, id, item.is_dead()).await
}
