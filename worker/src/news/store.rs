//! News' rows in D1 (migration 0042): items (stories and comments, HN's integer ids), votes,
//! flags, vouches, favorites, people's News profiles, the moderation log and thread visits.
//! Counters on an item change in the same batch as the row that justifies them, guarded by
//! `changes()`, so a vote clicked twice at once counts once.

use crate::d1::{self, num, opt_num, opt_text, prepare, text};
use serde::Deserialize;
use shared::{
    news::{
        moderation::{Action, Standing, KILL_AT_FLAGS, VOUCH_WEIGHT},
        ranking::Rankable,
        submission::{StoryKind, DUPLICATE_WINDOW_MS},
        votes::Direction,
        wire::ModerationEntry,
        HOUR_MS,
    },
    time::Timestamp,
    ApiError,
};
use worker::{D1Database, D1PreparedStatement};

/// An item with its author's username.
#[derive(Debug, Clone, Deserialize)]
pub struct ItemRow {
    pub id: i64,
    pub kind: String,
    pub story_kind: Option<String>,
    pub author_id: String,
    pub by: String,
    pub story_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub site: Option<String>,
    pub text: String,
    pub points: i64,
    pub descendants: i64,
    pub flags: i64,
    pub vouches: i64,
    pub killed: i64,
    pub dead: i64,
    pub deleted: i64,
    pub moderator_factor: Option<f64>,
    pub created_at: i64,
}

impl ItemRow {
    pub fn is_story(&self) -> bool {
        self.kind == "story"
    }

    pub fn story_kind(&self) -> StoryKind {
        self.story_kind.as_deref().and_then(StoryKind::parse).unwrap_or(StoryKind::Link)
    }

    pub fn is_dead(&self) -> bool {
        self.dead != 0
    }

    pub fn is_deleted(&self) -> bool {
        self.deleted != 0
    }

    /// What decides whether it is dead (an author's shadow ban is already in `dead`).
    pub fn standing(&self, author_shadow_banned: bool) -> Standing {
        Standing {
            flags: u32::try_from(self.flags).unwrap_or(0),
            vouches: u32::try_from(self.vouches).unwrap_or(0),
            killed_by_moderator: self.killed != 0,
            author_shadow_banned,
        }
    }

    pub fn rankable(&self) -> Rankable {
        Rankable {
            points: self.points,
            created_ms: self.created_at,
            is_comment: !self.is_story(),
            has_url: self.url.is_some(),
            comments: u32::try_from(self.descendants).unwrap_or(0),
            // Flags count against a live item's rank only while they stand.
            flags: if self.is_dead() { 0 } else { self.standing(false).rank_flags() },
            moderator_factor: self.moderator_factor,
        }
    }
}

const ITEM_COLUMNS: &str =
    "i.id, i.kind, i.story_kind, i.author_id, u.username AS by, i.story_id, i.parent_id, \
     i.title, i.url, i.site, i.text, i.points, i.descendants, i.flags, i.vouches, i.killed, i.dead, \
     i.deleted, i.moderator_factor, i.created_at";

fn item_select(rest: &str) -> String {
    format!("SELECT {ITEM_COLUMNS} FROM news_items i JOIN auth_users u ON u.id = i.author_id {rest}")
}

pub async fn item(db: &D1Database, id: i64) -> Result<Option<ItemRow>, ApiError> {
    d1::first(db, &item_select("WHERE i.id = ?1"), &[num(id)]).await
}

/// Items by id, in no particular order (callers order them).
pub async fn items(db: &D1Database, ids: &[i64]) -> Result<Vec<ItemRow>, ApiError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    d1::all(db, &item_select("WHERE i.id IN (SELECT value FROM json_each(?1))"), &[d1::json_list(ids)]).await
}

/// A story's comments, all of them (the thread is ordered in `shared::news::comments`).
pub async fn comments_of(db: &D1Database, story_id: i64) -> Result<Vec<ItemRow>, ApiError> {
    d1::all(db, &item_select("WHERE i.story_id = ?1 AND i.kind = 'comment' ORDER BY i.id"), &[num(story_id)])
        .await
}

/// The direct replies to an item (HN's `kids`).
pub async fn children_of(db: &D1Database, id: i64) -> Result<Vec<ItemRow>, ApiError> {
    d1::all(db, &item_select("WHERE i.parent_id = ?1 ORDER BY i.id"), &[num(id)]).await
}

/// Which stories a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    /// Ranked: the front page, Ask or Show (`None` for all kinds).
    Ranked(Option<StoryKind>),
    New,
    Best,
}

/// Stories ranked lists consider: the live ones of the last `RANK_WINDOW_MS` (older ones rank
/// near zero), at most `RANK_CANDIDATES`.
pub const RANK_WINDOW_MS: i64 = 7 * 24 * HOUR_MS;
pub const RANK_CANDIDATES: i64 = 2_000;

/// The live stories a listing draws from, newest first (ranked lists rank them in `shared`).
pub async fn candidates(
    db: &D1Database,
    listing: Listing,
    limit: i64,
    now_ms: i64,
) -> Result<Vec<ItemRow>, ApiError> {
    let live = "i.kind = 'story' AND i.dead = 0 AND i.deleted = 0";
    match listing {
        Listing::Ranked(kind) => {
            let kind_filter =
                kind.map(|k| format!("AND i.story_kind = '{}'", k.as_str())).unwrap_or_default();
            d1::all(
                db,
                &item_select(&format!(
                    "WHERE {live} {kind_filter} AND i.created_at > ?1 ORDER BY i.created_at DESC LIMIT ?2"
                )),
                &[num(now_ms - RANK_WINDOW_MS), num(limit.min(RANK_CANDIDATES))],
            )
            .await
        }
        Listing::New => {
            d1::all(db, &item_select(&format!("WHERE {live} ORDER BY i.id DESC LIMIT ?1")), &[num(limit)])
                .await
        }
        Listing::Best => {
            d1::all(
                db,
                &item_select(&format!(
                    "WHERE {live} AND i.created_at > ?1 ORDER BY i.points DESC, i.id DESC LIMIT ?2"
                )),
                &[num(now_ms - RANK_WINDOW_MS), num(limit)],
            )
            .await
        }
    }
}

/// A story about to be stored.
pub struct NewStory<'a> {
    pub kind: StoryKind,
    pub author_id: &'a str,
    pub title: &'a str,
    pub url: Option<&'a str>,
    pub url_key: Option<&'a str>,
    pub site: Option<&'a str>,
    pub text: &'a str,
    pub dead: bool,
    /// The author's stories per hour (`shared::news::moderation::hourly_limit`).
    pub hourly_limit: u32,
    pub now_ms: i64,
}

/// What became of a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    New(i64),
    /// A live story within the duplicate window has this URL.
    Duplicate(i64),
    /// The author reached their hourly limit (a submission racing this one took the last place).
    OverPace,
}

/// Stores a story in one statement that also checks the duplicate window and the author's
/// hourly pace, so two submissions of one URL at once make one story, and twenty at once from
/// a new account make two.
pub async fn insert_story(db: &D1Database, story: &NewStory<'_>) -> Result<Stored, ApiError> {
    #[derive(Deserialize)]
    struct Id {
        id: i64,
    }
    let duplicate = "SELECT id FROM news_items WHERE url_key = ?5 AND kind = 'story' AND deleted = 0 \
                     AND dead = 0 AND created_at > ?10 ORDER BY created_at LIMIT 1";
    // A duplicate killed or deleted between the insert and the lookup: the insert is tried again.
    for _ in 0..2 {
        let inserted: Option<Id> = d1::first(
            db,
            &format!(
                "INSERT INTO news_items (kind, story_kind, author_id, title, url_key, url, site, text, dead, created_at) \
                 SELECT 'story', ?1, ?2, ?3, ?5, ?4, ?6, ?7, ?8, ?9 \
                 WHERE (?5 IS NULL OR NOT EXISTS ({duplicate})) \
                   AND (SELECT COUNT(*) FROM news_items WHERE author_id = ?2 AND kind = 'story' \
                        AND created_at > ?9 - {HOUR_MS}) < ?11 \
                 RETURNING id"
            ),
            &[
                text(story.kind.as_str()),
                text(story.author_id),
                text(story.title),
                opt_text(story.url),
                opt_text(story.url_key),
                opt_text(story.site),
                text(story.text),
                num(i64::from(story.dead)),
                num(story.now_ms),
                num(story.now_ms - DUPLICATE_WINDOW_MS),
                num(i64::from(story.hourly_limit)),
            ],
        )
        .await?;
        if let Some(Id { id }) = inserted {
            return Ok(Stored::New(id));
        }
        if story.url_key.is_none() {
            return Ok(Stored::OverPace);
        }
        let existing: Option<Id> = d1::first(
            db,
            &duplicate.replace("?5", "?1").replace("?10", "?2"),
            &[opt_text(story.url_key), num(story.now_ms - DUPLICATE_WINDOW_MS)],
        )
        .await?;
        match existing {
            Some(Id { id }) => return Ok(Stored::Duplicate(id)),
            None => {
                let recent = recent_posts(db, story.author_id, true, story.now_ms).await?;
                if recent.len() >= story.hourly_limit as usize {
                    return Ok(Stored::OverPace);
                }
            }
        }
    }
    Err(ApiError::new(
        shared::ErrorCode::Conflict,
        "The story this URL duplicated was removed just now; submit it again.",
    ))
}

pub struct NewComment<'a> {
    /// The story or comment answered: the comment joins the thread it is in when stored.
    pub parent_id: i64,
    pub author_id: &'a str,
    pub text: &'a str,
    pub now_ms: i64,
    /// The author's comments per hour (`shared::news::moderation::hourly_limit`).
    pub hourly_limit: u32,
}

/// A stored comment: its id, the story whose thread it joined, and whether it is dead (its
/// author shadow-banned).
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct StoredComment {
    pub id: i64,
    pub story_id: i64,
    pub dead: i64,
}

/// A new comment, and its story's count of comments, in one transaction; `None` when it was
/// not stored: its parent or story is dead or deleted by now, or the author reached their hourly
/// pace. All three are checked in the insert itself, and so is the author's shadow ban, so a
/// kill, a merge, a ban or another comment landing meanwhile is never missed.
pub async fn insert_comment(
    db: &D1Database,
    comment: &NewComment<'_>,
) -> Result<Option<StoredComment>, ApiError> {
    let statements = vec![
        prepare(
            db,
            &format!(
                "INSERT INTO news_items (kind, author_id, story_id, parent_id, text, dead, points, created_at) \
                 SELECT 'comment', ?1, s.id, p.id, ?3, \
                   EXISTS (SELECT 1 FROM news_people WHERE user_id = ?1 AND shadow_banned = 1), 1, ?4 \
                 FROM news_items p JOIN news_items s ON s.id = COALESCE(p.story_id, p.id) \
                 WHERE p.id = ?2 AND p.dead = 0 AND p.deleted = 0 AND s.dead = 0 AND s.deleted = 0 \
                   AND (SELECT COUNT(*) FROM news_items WHERE author_id = ?1 AND kind = 'comment' \
                        AND created_at > ?4 - {HOUR_MS}) < ?5 \
                 RETURNING id, story_id, dead"
            ),
            &[
                text(comment.author_id),
                num(comment.parent_id),
                text(comment.text),
                num(comment.now_ms),
                num(i64::from(comment.hourly_limit)),
            ],
        )?,
        prepare(
            db,
            "UPDATE news_items SET descendants = (SELECT COUNT(*) FROM news_items c \
               WHERE c.story_id = news_items.id AND c.kind = 'comment' AND c.dead = 0 AND c.deleted = 0) \
             WHERE changes() = 1 AND id = (SELECT story_id FROM news_items WHERE id = last_insert_rowid())",
            &[],
        )?,
    ];
    let results = db.batch(statements).await.map_err(|e| crate::http::internal("adding a comment", e))?;
    let rows = results
        .first()
        .map(|r| r.results::<StoredComment>())
        .transpose()
        .map_err(|e| crate::http::internal("adding a comment", e))?
        .unwrap_or_default();
    Ok(rows.into_iter().next())
}

/// The times of an author's stories or comments in the last hour (for the posting pace).
pub async fn recent_posts(
    db: &D1Database,
    author_id: &str,
    story: bool,
    now_ms: i64,
) -> Result<Vec<i64>, ApiError> {
    #[derive(Deserialize)]
    struct At {
        created_at: i64,
    }
    let rows: Vec<At> = d1::all(
        db,
        "SELECT created_at FROM news_items WHERE author_id = ?1 AND kind = ?2 AND created_at > ?3",
        &[text(author_id), text(if story { "story" } else { "comment" }), num(now_ms - HOUR_MS)],
    )
    .await?;
    Ok(rows.into_iter().map(|r| r.created_at).collect())
}

/// A person's News profile (all defaults until they have one).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PersonRow {
    pub karma: i64,
    pub banned: i64,
    pub shadow_banned: i64,
    /// HN's showdead: dead items are shown to them, marked.
    pub showdead: i64,
}

pub async fn person(db: &D1Database, user_id: &str) -> Result<PersonRow, ApiError> {
    Ok(d1::first(
        db,
        "SELECT karma, banned, shadow_banned, showdead FROM news_people WHERE user_id = ?1",
        &[text(user_id)],
    )
    .await?
    .unwrap_or_default())
}

/// A reader's standing vote on an item, and when it was cast.
pub async fn vote_of(
    db: &D1Database,
    item_id: i64,
    user_id: &str,
) -> Result<Option<(Direction, i64)>, ApiError> {
    #[derive(Deserialize)]
    struct Vote {
        direction: i64,
        voted_at: i64,
    }
    let vote: Option<Vote> = d1::first(
        db,
        "SELECT direction, voted_at FROM news_votes WHERE item_id = ?1 AND user_id = ?2",
        &[num(item_id), text(user_id)],
    )
    .await?;
    Ok(vote.map(|v| (if v.direction > 0 { Direction::Up } else { Direction::Down }, v.voted_at)))
}

/// The reader's votes among `ids`.
pub async fn votes_among(db: &D1Database, user_id: &str, ids: &[i64]) -> Result<Vec<CastVote>, ApiError> {
    #[derive(Deserialize)]
    struct Vote {
        item_id: i64,
        direction: i64,
        voted_at: i64,
    }
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<Vote> = d1::all(
        db,
        "SELECT item_id, direction, voted_at FROM news_votes WHERE user_id = ?1 AND item_id IN (SELECT value FROM json_each(?2))",
        &[text(user_id), d1::json_list(ids)],
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|v| CastVote {
            item_id: v.item_id,
            direction: if v.direction > 0 { Direction::Up } else { Direction::Down },
            voted_at: v.voted_at,
        })
        .collect())
}

/// A reader's standing vote on an item.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CastVote {
    pub item_id: i64,
    pub direction: Direction,
    pub voted_at: i64,
}

/// Records a vote and moves the item's points and its author's karma, all or nothing; the
/// points and karma move only if the vote row was new. Says whether it was.
pub async fn cast_vote(
    db: &D1Database,
    item: &ItemRow,
    user_id: &str,
    direction: Direction,
    now_ms: i64,
) -> Result<bool, ApiError> {
    let weight = direction.weight();
    let statements = vec![
        prepare(db, "INSERT OR IGNORE INTO news_people (user_id) VALUES (?1)", &[text(&item.author_id)])?,
        prepare(
            db,
            // Never on an item deleted or killed since it was read.
            "INSERT OR IGNORE INTO news_votes (item_id, user_id, direction, voted_at) SELECT ?1, ?2, ?3, ?4 \
             WHERE EXISTS (SELECT 1 FROM news_items WHERE id = ?1 AND deleted = 0 AND dead = 0)",
            &[num(item.id), text(user_id), num(weight), num(now_ms)],
        )?,
        points_and_karma(db, item, weight)?,
        karma_after(db, item, weight)?,
    ];
    let changed = d1::run_batch(db, statements, "casting a vote").await?;
    Ok(changed.get(1).copied().unwrap_or(0) == 1)
}

fn points_and_karma(db: &D1Database, item: &ItemRow, weight: i64) -> Result<D1PreparedStatement, ApiError> {
    prepare(
        db,
        "UPDATE news_items SET points = points + ?2 WHERE id = ?1 AND changes() = 1",
        &[num(item.id), num(weight)],
    )
}

fn karma_after(db: &D1Database, item: &ItemRow, weight: i64) -> Result<D1PreparedStatement, ApiError> {
    prepare(
        db,
        "UPDATE news_people SET karma = karma + ?2 WHERE user_id = ?1 AND changes() = 1",
        &[text(&item.author_id), num(weight)],
    )
}

/// Takes a vote back (only one cast within the unvote window), undoing its points and karma.
/// Says whether there was such a vote.
pub async fn take_back_vote(
    db: &D1Database,
    item: &ItemRow,
    user_id: &str,
    direction: Direction,
    voted_after_ms: i64,
) -> Result<bool, ApiError> {
    let weight = direction.weight();
    let statements = vec![
        prepare(db, "INSERT OR IGNORE INTO news_people (user_id) VALUES (?1)", &[text(&item.author_id)])?,
        prepare(
            db,
            "DELETE FROM news_votes WHERE item_id = ?1 AND user_id = ?2 AND direction = ?3 AND voted_at > ?4",
            &[num(item.id), text(user_id), num(weight), num(voted_after_ms)],
        )?,
        points_and_karma(db, item, -weight)?,
        karma_after(db, item, -weight)?,
    ];
    let changed = d1::run_batch(db, statements, "taking back a vote").await?;
    Ok(changed.get(1).copied().unwrap_or(0) == 1)
}

pub async fn points_of(db: &D1Database, item_id: i64) -> Result<i64, ApiError> {
    Ok(d1::value(db, "SELECT points AS value FROM news_items WHERE id = ?1", &[num(item_id)])
        .await?
        .unwrap_or(0))
}

/// The SQL of "dead" from an item's columns: `shared::news::moderation::Standing::is_dead`,
/// evaluated inside the statement that changes a count, so two flags at once are both counted.
fn dead_expression() -> String {
    format!(
        "(killed = 1 OR flags - vouches * {VOUCH_WEIGHT} >= {KILL_AT_FLAGS} \
          OR EXISTS (SELECT 1 FROM news_people p WHERE p.user_id = news_items.author_id AND p.shadow_banned = 1))"
    )
}

/// Counts a story's comments again (live and not deleted), in the batch that killed, revived,
/// deleted or moved one: `item_id` is the story or any item of its thread.
fn recount_story_of(db: &D1Database, item_id: i64) -> Result<D1PreparedStatement, ApiError> {
    prepare(
        db,
        "UPDATE news_items SET descendants = (SELECT COUNT(*) FROM news_items c \
           WHERE c.story_id = news_items.id AND c.kind = 'comment' AND c.dead = 0 AND c.deleted = 0) \
         WHERE id = (SELECT COALESCE(story_id, id) FROM news_items WHERE id = ?1)",
        &[num(item_id)],
    )
}

/// Records a flag (once per reader) and recomputes whether the item is dead. Says whether
/// the flag was new.
pub async fn flag(
    db: &D1Database,
    item_id: i64,
    user_id: &str,
    reason: &str,
    now_ms: i64,
) -> Result<bool, ApiError> {
    let record = prepare(
        db,
        "INSERT OR IGNORE INTO news_flags (item_id, user_id, reason, flagged_at) VALUES (?1, ?2, ?3, ?4)",
        &[num(item_id), text(user_id), text(reason), num(now_ms)],
    )?;
    count_and_judge(db, record, item_id, "flags", "flagging").await
}

/// Records a vouch (once per reader) and recomputes whether the item is dead.
pub async fn vouch(db: &D1Database, item_id: i64, user_id: &str, now_ms: i64) -> Result<bool, ApiError> {
    let record = prepare(
        db,
        // Only while flags (not a moderator) keep it dead: two vouches at once count once.
        "INSERT OR IGNORE INTO news_vouches (item_id, user_id, vouched_at) SELECT ?1, ?2, ?3 \
         WHERE EXISTS (SELECT 1 FROM news_items WHERE id = ?1 AND dead = 1 AND killed = 0)",
        &[num(item_id), text(user_id), num(now_ms)],
    )?;
    count_and_judge(db, record, item_id, "vouches", "vouching").await
}

/// A reader's flag or vouch (`record`), then in the same batch: the item's count of them, only
/// if the row was new; whether it is dead now; and its story's count of comments.
async fn count_and_judge(
    db: &D1Database,
    record: D1PreparedStatement,
    item_id: i64,
    counter: &str,
    what: &str,
) -> Result<bool, ApiError> {
    let statements = vec![
        record,
        prepare(
            db,
            &format!("UPDATE news_items SET {counter} = {counter} + 1 WHERE id = ?1 AND changes() = 1"),
            &[num(item_id)],
        )?,
        prepare(
            db,
            &format!("UPDATE news_items SET dead = {} WHERE id = ?1", dead_expression()),
            &[num(item_id)],
        )?,
        recount_story_of(db, item_id)?,
    ];
    let changed = d1::run_batch(db, statements, what).await?;
    Ok(changed.first().copied().unwrap_or(0) == 1)
}

/// Whether the reader has flagged each of `ids`, and saved each.
pub async fn marks_among(
    db: &D1Database,
    user_id: &str,
    ids: &[i64],
) -> Result<(Vec<i64>, Vec<i64>), ApiError> {
    #[derive(Deserialize)]
    struct Mark {
        item_id: i64,
        mark: String,
    }
    if ids.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let rows: Vec<Mark> = d1::all(
        db,
        "SELECT item_id, 'flag' AS mark FROM news_flags WHERE user_id = ?1 AND item_id IN (SELECT value FROM json_each(?2)) \
         UNION ALL SELECT item_id, 'favorite' FROM news_favorites WHERE user_id = ?1 AND item_id IN (SELECT value FROM json_each(?2))",
        &[text(user_id), d1::json_list(ids)],
    )
    .await?;
    let of = |kind: &str| rows.iter().filter(|m| m.mark == kind).map(|m| m.item_id).collect();
    Ok((of("flag"), of("favorite")))
}

/// When the reader last opened a story's thread (before now), and records this visit.
pub async fn visit(
    db: &D1Database,
    user_id: &str,
    story_id: i64,
    now_ms: i64,
) -> Result<Option<i64>, ApiError> {
    let previous: Option<i64> = d1::value(
        db,
        "SELECT seen_at AS value FROM news_visits WHERE user_id = ?1 AND story_id = ?2",
        &[text(user_id), num(story_id)],
    )
    .await?;
    d1::run(
        db,
        "INSERT INTO news_visits (user_id, story_id, seen_at) VALUES (?1, ?2, ?3) \
         ON CONFLICT (user_id, story_id) DO UPDATE SET seen_at = MAX(seen_at, excluded.seen_at)",
        &[text(user_id), num(story_id), num(now_ms)],
    )
    .await?;
    Ok(previous)
}

/// A profile's row: the account and its News standing, by username.
#[derive(Debug, Clone, Deserialize)]
pub struct ProfileRow {
    pub id: String,
    pub username: String,
    pub created_at: i64,
    pub karma: Option<i64>,
    pub about: Option<String>,
    pub showdead: Option<i64>,
    pub stories: i64,
    pub comments: i64,
}

pub async fn profile(db: &D1Database, username: &str) -> Result<Option<ProfileRow>, ApiError> {
    d1::first(
        db,
        "SELECT u.id, u.username, u.created_at, p.karma, p.about, p.showdead, \
           (SELECT COUNT(*) FROM news_items WHERE author_id = u.id AND kind = 'story' AND dead = 0 AND deleted = 0) AS stories, \
           (SELECT COUNT(*) FROM news_items WHERE author_id = u.id AND kind = 'comment' AND dead = 0 AND deleted = 0) AS comments \
         FROM auth_users u LEFT JOIN news_people p ON p.user_id = u.id WHERE u.username = ?1",
        &[text(&username.to_ascii_lowercase())],
    )
    .await
}

/// The ids of an author's live items, newest first (HN's `submitted`).
pub async fn submitted(db: &D1Database, author_id: &str, limit: i64) -> Result<Vec<i64>, ApiError> {
    #[derive(Deserialize)]
    struct Id {
        id: i64,
    }
    let rows: Vec<Id> = d1::all(
        db,
        "SELECT id FROM news_items WHERE author_id = ?1 AND dead = 0 ORDER BY id DESC LIMIT ?2",
        &[text(author_id), num(limit)],
    )
    .await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

pub async fn max_item(db: &D1Database) -> Result<i64, ApiError> {
    Ok(d1::value(db, "SELECT MAX(id) AS value FROM news_items", &[]).await?.unwrap_or(0))
}

/// Items changed lately (new, voted, edited) and the profiles whose karma moved with them.
pub async fn updates(db: &D1Database, limit: i64) -> Result<(Vec<i64>, Vec<String>), ApiError> {
    #[derive(Deserialize)]
    struct Changed {
        id: i64,
        username: String,
    }
    let rows: Vec<Changed> = d1::all(
        db,
        "SELECT i.id, u.username FROM (\
            SELECT id, MAX(at) AS at FROM (\
              SELECT * FROM (SELECT id, COALESCE(edited_at, created_at) AS at FROM news_items ORDER BY id DESC LIMIT ?1) \
              UNION ALL SELECT * FROM (SELECT item_id, voted_at FROM news_votes ORDER BY voted_at DESC LIMIT ?1)) \
            GROUP BY id ORDER BY at DESC LIMIT ?1) c \
         JOIN news_items i ON i.id = c.id JOIN auth_users u ON u.id = i.author_id \
         WHERE i.dead = 0 ORDER BY c.at DESC",
        &[num(limit)],
    )
    .await?;
    let mut profiles: Vec<String> = Vec::new();
    for row in &rows {
        if !profiles.contains(&row.username) {
            profiles.push(row.username.clone());
        }
    }
    Ok((rows.into_iter().map(|r| r.id).collect(), profiles))
}

/// An author's edit, as stored.
pub struct Edit<'a> {
    pub item_id: i64,
    pub author_id: &'a str,
    pub title: Option<&'a str>,
    /// What the new title makes the story (Show, Ask or a link).
    pub kind: Option<StoryKind>,
    pub text: &'a str,
    /// The edit window: the item must be younger than this.
    pub created_after_ms: i64,
    pub now_ms: i64,
}

/// Changes an item's text (and a story's title) for its author, only within the edit window
/// (held in the statement too, so an edit sent at the last second cannot land after it).
/// Says whether it changed.
pub async fn edit(db: &D1Database, edit: &Edit<'_>) -> Result<bool, ApiError> {
    let changed = d1::run(
        db,
        "UPDATE news_items SET title = COALESCE(?3, title), story_kind = COALESCE(?7, story_kind), text = ?4, \
           edited_at = ?5 \
         WHERE id = ?1 AND author_id = ?2 AND deleted = 0 AND created_at > ?6",
        &[
            num(edit.item_id),
            text(edit.author_id),
            opt_text(edit.title),
            text(edit.text),
            num(edit.now_ms),
            num(edit.created_after_ms),
            opt_text(edit.kind.map(StoryKind::as_str)),
        ],
    )
    .await?;
    Ok(changed == 1)
}

/// Deletes an item for its author within the edit window, and counts its story's comments
/// again. A deleted comment with replies stays in the thread as "[deleted]".
pub async fn delete(
    db: &D1Database,
    item_id: i64,
    author_id: &str,
    created_after_ms: i64,
    now_ms: i64,
) -> Result<bool, ApiError> {
    let statements = vec![
        prepare(
            db,
            "UPDATE news_items SET deleted = 1, edited_at = ?3 \
             WHERE id = ?1 AND author_id = ?2 AND deleted = 0 AND created_at > ?4",
            &[num(item_id), text(author_id), num(now_ms), num(created_after_ms)],
        )?,
        recount_story_of(db, item_id)?,
    ];
    let changed = d1::run_batch(db, statements, "deleting an item").await?;
    Ok(changed.first().copied().unwrap_or(0) == 1)
}

/// Saves an item to a reader's favorites, or takes it off.
pub async fn set_favorite(
    db: &D1Database,
    user_id: &str,
    item_id: i64,
    saved: bool,
    now_ms: i64,
) -> Result<(), ApiError> {
    if saved {
        d1::run(
            db,
            "INSERT OR IGNORE INTO news_favorites (user_id, item_id, saved_at) VALUES (?1, ?2, ?3)",
            &[text(user_id), num(item_id), num(now_ms)],
        )
        .await?;
    } else {
        d1::run(
            db,
            "DELETE FROM news_favorites WHERE user_id = ?1 AND item_id = ?2",
            &[text(user_id), num(item_id)],
        )
        .await?;
    }
    Ok(())
}

/// A person's about text.
/// Changes a person's about text and showdead setting; `None` leaves one as it is.
pub async fn edit_profile(
    db: &D1Database,
    user_id: &str,
    about: Option<&str>,
    showdead: Option<bool>,
) -> Result<(), ApiError> {
    d1::run(
        db,
        "INSERT INTO news_people (user_id, about, showdead) VALUES (?1, COALESCE(?2, ''), COALESCE(?3, 0)) \
         ON CONFLICT (user_id) DO UPDATE SET about = COALESCE(?2, about), showdead = COALESCE(?3, showdead)",
        &[text(user_id), opt_text(about), opt_num(showdead.map(i64::from))],
    )
    .await?;
    Ok(())
}

/// Which of a person's items a profile lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileList {
    Stories,
    Comments,
    /// Stories they saved.
    Favorites,
    /// Stories they upvoted.
    Upvoted,
}

/// A page of a profile's list, newest first, one more than `limit` when there is more. Dead
/// and deleted items are left out unless `with_dead` (the owner and moderators see their dead).
pub async fn profile_items(
    db: &D1Database,
    user_id: &str,
    list: ProfileList,
    with_dead: bool,
    offset: i64,
    limit: i64,
) -> Result<Vec<ItemRow>, ApiError> {
    let shown = if with_dead { "i.deleted = 0" } else { "i.deleted = 0 AND i.dead = 0" };
    let rest = match list {
        ProfileList::Stories => format!("WHERE i.author_id = ?1 AND i.kind = 'story' AND {shown} ORDER BY i.id DESC"),
        ProfileList::Comments => format!("WHERE i.author_id = ?1 AND i.kind = 'comment' AND {shown} ORDER BY i.id DESC"),
        ProfileList::Favorites => "JOIN news_favorites f ON f.item_id = i.id \
             WHERE f.user_id = ?1 AND i.kind = 'story' AND i.deleted = 0 AND i.dead = 0 ORDER BY f.saved_at DESC"
            .to_owned(),
        ProfileList::Upvoted => "JOIN news_votes v ON v.item_id = i.id \
             WHERE v.user_id = ?1 AND v.direction = 1 AND i.kind = 'story' AND i.deleted = 0 AND i.dead = 0 \
             ORDER BY v.voted_at DESC"
            .to_owned(),
    };
    d1::all(
        db,
        &item_select(&format!("{rest} LIMIT ?2 OFFSET ?3")),
        &[text(user_id), num(limit + 1), num(offset)],
    )
    .await
}

/// The titles of stories, by id.
pub async fn titles(db: &D1Database, ids: &[i64]) -> Result<Vec<(i64, String)>, ApiError> {
    #[derive(Deserialize)]
    struct Title {
        id: i64,
        title: Option<String>,
    }
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<Title> = d1::all(
        db,
        "SELECT id, CASE WHEN deleted = 1 THEN '[deleted]' WHEN dead = 1 THEN '[dead]' ELSE title END AS title \
         FROM news_items WHERE id IN (SELECT value FROM json_each(?1))",
        &[d1::json_list(ids)],
    )
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.title.unwrap_or_default())).collect())
}

/// What a moderator's action acts on, found by the handler.
pub struct Moderated<'a> {
    pub moderator_id: &'a str,
    pub action: &'a Action,
    /// The action's name in the log (`shadow_unban` for an unban that only lifted a shadow ban).
    pub logged_as: &'a str,
    /// The person acted on (bans), by id.
    pub user_id: Option<&'a str>,
    pub reason: &'a str,
    /// What changed, for the log ("old title → new title").
    pub detail: &'a str,
    pub now_ms: i64,
}

/// Applies a moderator's action and writes it to the public log, in one transaction. Returns
/// the log entry's id.
pub async fn moderate(db: &D1Database, m: &Moderated<'_>) -> Result<i64, ApiError> {
    let mut statements = match m.action {
        Action::Kill { item } => vec![
            prepare(db, "UPDATE news_items SET killed = 1, dead = 1 WHERE id = ?1", &[num(*item)])?,
            recount_story_of(db, *item)?,
        ],
        Action::Revive { item } => vec![
            // The flags that stood are forgiven: the readers who flagged may flag again.
            prepare(db, "DELETE FROM news_flags WHERE item_id = ?1", &[num(*item)])?,
            prepare(db, "DELETE FROM news_vouches WHERE item_id = ?1", &[num(*item)])?,
            prepare(
                db,
                "UPDATE news_items SET killed = 0, flags = 0, vouches = 0 WHERE id = ?1",
                &[num(*item)],
            )?,
            prepare(
                db,
                &format!("UPDATE news_items SET dead = {} WHERE id = ?1", dead_expression()),
                &[num(*item)],
            )?,
            recount_story_of(db, *item)?,
        ],
        Action::EditTitle { item, title } => {
            vec![prepare(
                db,
                // "Show HN" in the title or not decides Show, as at submission (the link stays).
                "UPDATE news_items SET title = ?2, edited_at = ?3, \
                   story_kind = CASE WHEN lower(?2) LIKE 'show hn%' THEN 'show' \
                     WHEN url IS NULL OR lower(?2) LIKE 'ask hn%' THEN 'ask' ELSE 'link' END \
                 WHERE id = ?1",
                &[num(*item), text(title), num(m.now_ms)],
            )?]
        }
        Action::Merge { item, into } => vec![
            prepare(
                db,
                "UPDATE news_items SET story_id = ?2 WHERE story_id = ?1 AND kind = 'comment'",
                &[num(*item), num(*into)],
            )?,
            prepare(
                db,
                "UPDATE news_items SET parent_id = ?2 WHERE parent_id = ?1",
                &[num(*item), num(*into)],
            )?,
            prepare(db, "UPDATE news_items SET killed = 1, dead = 1 WHERE id = ?1", &[num(*item)])?,
            recount_story_of(db, *item)?,
            recount_story_of(db, *into)?,
        ],
        Action::Adjust { item, factor } => vec![prepare(
            db,
            "UPDATE news_items SET moderator_factor = ?2 WHERE id = ?1",
            &[num(*item), d1::opt_real(*factor)],
        )?],
        Action::Ban { .. } | Action::Unban { .. } | Action::ShadowBan { .. } => {
            let user_id = m.user_id.unwrap_or_default();
            let (banned, shadow) = match m.action {
                Action::Ban { .. } => ("1", "shadow_banned"),
                Action::ShadowBan { .. } => ("banned", "1"),
                _ => ("0", "0"),
            };
            vec![
                prepare(db, "INSERT OR IGNORE INTO news_people (user_id) VALUES (?1)", &[text(user_id)])?,
                prepare(
                    db,
                    &format!("UPDATE news_people SET banned = {banned}, shadow_banned = {shadow} WHERE user_id = ?1"),
                    &[text(user_id)],
                )?,
                // A shadow ban reaches back to what they posted, and lifting it brings that back.
                prepare(
                    db,
                    &format!("UPDATE news_items SET dead = {} WHERE author_id = ?1", dead_expression()),
                    &[text(user_id)],
                )?,
                prepare(
                    db,
                    "UPDATE news_items SET descendants = (SELECT COUNT(*) FROM news_items c \
                       WHERE c.story_id = news_items.id AND c.kind = 'comment' AND c.dead = 0 AND c.deleted = 0) \
                     WHERE id IN (SELECT story_id FROM news_items WHERE author_id = ?1 AND kind = 'comment')",
                    &[text(user_id)],
                )?,
            ]
        }
    };
    statements.push(prepare(
        db,
        "INSERT INTO news_moderation_log (at, moderator_id, action, item_id, user_id, reason, detail) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
        &[
            num(m.now_ms),
            text(m.moderator_id),
            text(m.logged_as),
            opt_num(m.action.item()),
            opt_text(m.user_id),
            text(m.reason),
            text(m.detail),
        ],
    )?);
    #[derive(Deserialize)]
    struct Id {
        id: i64,
    }
    let what = "a moderator's action";
    let results = db.batch(statements).await.map_err(|e| crate::http::internal(what, e))?;
    let logged = results
        .last()
        .map(|r| r.results::<Id>())
        .transpose()
        .map_err(|e| crate::http::internal(what, e))?
        .unwrap_or_default();
    logged.first().map(|row| row.id).ok_or_else(|| crate::http::internal(what, "no log entry"))
}

/// A page of the moderation log, newest first (one more than `limit` when there is more).
/// Shadow bans and their lifting are left out unless `with_shadow_bans`: telling the world would
/// undo them.
pub async fn moderation_log(
    db: &D1Database,
    with_shadow_bans: bool,
    offset: i64,
    limit: i64,
) -> Result<Vec<ModerationEntry>, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        id: i64,
        at: i64,
        moderator: String,
        action: String,
        item: Option<i64>,
        username: Option<String>,
        reason: String,
        detail: String,
    }
    let filter = if with_shadow_bans { "" } else { "WHERE l.action NOT IN ('shadow_ban', 'shadow_unban')" };
    let rows: Vec<Row> = d1::all(
        db,
        &format!(
            "SELECT l.id, l.at, m.username AS moderator, l.action, l.item_id AS item, u.username, l.reason, l.detail \
             FROM news_moderation_log l JOIN auth_users m ON m.id = l.moderator_id \
             LEFT JOIN auth_users u ON u.id = l.user_id {filter} ORDER BY l.id DESC LIMIT ?1 OFFSET ?2"
        ),
        &[num(limit + 1), num(offset)],
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ModerationEntry {
            id: r.id,
            at: Timestamp(r.at),
            moderator: r.moderator,
            action: r.action,
            item: r.item,
            username: r.username,
            reason: r.reason,
            detail: r.detail,
        })
        .collect())
}

/// A user's id by username.
pub async fn user_id_of(db: &D1Database, username: &str) -> Result<Option<String>, ApiError> {
    d1::value(
        db,
        "SELECT id AS value FROM auth_users WHERE username = ?1",
        &[text(&username.to_ascii_lowercase())],
    )
    .await
}

/// Whether a moderator has retitled a story (its author may then no longer change the title).
pub async fn retitled_by_moderator(db: &D1Database, item_id: i64) -> Result<bool, ApiError> {
    let times = d1::count(
        db,
        "SELECT COUNT(*) AS n FROM news_moderation_log WHERE item_id = ?1 AND action = 'edit_title'",
        &[num(item_id)],
    )
    .await?;
    Ok(times > 0)
}
