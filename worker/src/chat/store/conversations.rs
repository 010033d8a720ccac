//! `chat_conversations` and `chat_members`.

use crate::{
    d1::{all, first, num, prepare, run, run_batch, text},
    http::{internal, OrInternal},
};
use serde::Deserialize;
use shared::{
    chat::{
        members::{Member, Role, MAX_GROUP_MEMBERS},
        receipts::Marks,
    },
    ApiError,
};
use worker::D1Database;

#[derive(Deserialize, Clone)]
pub struct ConversationRow {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub created_at: i64,
    pub last_seq: i64,
    /// 1: end-to-end encrypted.
    pub encrypted: i64,
}

#[derive(Deserialize, Clone)]
pub struct MemberRow {
    pub conversation_id: String,
    pub user_id: String,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub joined_at: i64,
    pub delivered_seq: i64,
    pub read_seq: i64,
    /// The last seq before they joined: they read what comes after it.
    pub joined_seq: i64,
}

impl MemberRow {
    pub fn member(&self) -> Member {
        let role = if self.role == "admin" { Role::Admin } else { Role::Member };
        Member { user_id: self.user_id.clone(), role, joined_at: self.joined_at }
    }

    pub fn marks(&self) -> Marks {
        let seq = |n: i64| u64::try_from(n).unwrap_or(0);
        Marks { delivered_seq: seq(self.delivered_seq), read_seq: seq(self.read_seq) }
    }
}

fn role_str(role: Role) -> &'static str {
    match role {
        Role::Admin => "admin",
        Role::Member => "member",
    }
}

/// Creates the pair's direct conversation unless it exists; the id of the one that stands.
/// With `them` absent (they block the caller) only the caller joins it: it stays out of their
/// list until they start it themselves.
pub async fn direct(
    db: &D1Database,
    new_id: &str,
    pair_key: &str,
    me: &str,
    them: Option<&str>,
    encrypted: bool,
    now_ms: i64,
) -> Result<String, ApiError> {
    let member = |user: &str| {
        prepare(
            db,
            "INSERT OR IGNORE INTO chat_members (conversation_id, user_id, role, joined_at, delivered_seq, read_seq, joined_seq) \
             SELECT id, ?2, 'member', ?3, last_seq, last_seq, last_seq FROM chat_conversations WHERE pair_key = ?1",
            &[text(pair_key), text(user), num(now_ms)],
        )
    };
    let mut statements = vec![
        prepare(
            db,
            "INSERT OR IGNORE INTO chat_conversations (id, kind, pair_key, created_by, created_at, last_activity_at, encrypted) \
             VALUES (?1, 'direct', ?2, ?3, ?4, ?4, ?5)",
            &[text(new_id), text(pair_key), text(me), num(now_ms), num(i64::from(encrypted))],
        )?,
        member(me)?,
    ];
    if let Some(them) = them {
        statements.push(member(them)?);
    }
    db.batch(statements).await.internal("creating a direct conversation")?;
    #[derive(Deserialize)]
    struct Id {
        id: String,
    }
    let stood: Option<Id> =
        first(db, "SELECT id FROM chat_conversations WHERE pair_key = ?1", &[text(pair_key)]).await?;
    stood.map(|s| s.id).ok_or_else(|| internal("direct conversation", "missing after insert"))
}

/// Creates a group with its members, all at once.
pub async fn group(
    db: &D1Database,
    id: &str,
    title: &str,
    creator: &str,
    members: &[Member],
    encrypted: bool,
    now_ms: i64,
) -> Result<(), ApiError> {
    let mut statements = vec![prepare(
        db,
        "INSERT INTO chat_conversations (id, kind, title, created_by, created_at, last_activity_at, encrypted) \
         VALUES (?1, 'group', ?2, ?3, ?4, ?4, ?5)",
        &[text(id), text(title), text(creator), num(now_ms), num(i64::from(encrypted))],
    )?];
    for member in members {
        statements.push(prepare(
            db,
            "INSERT INTO chat_members (conversation_id, user_id, role, joined_at) VALUES (?1, ?2, ?3, ?4)",
            &[text(id), text(&member.user_id), text(role_str(member.role)), num(member.joined_at)],
        )?);
    }
    db.batch(statements).await.internal("creating a group").map(drop)
}

pub async fn get(db: &D1Database, id: &str) -> Result<Option<ConversationRow>, ApiError> {
    first(
        db,
        "SELECT id, kind, title, created_at, last_seq, encrypted FROM chat_conversations WHERE id = ?1",
        &[text(id)],
    )
    .await
}

const MEMBER_COLUMNS: &str =
    "m.conversation_id, m.user_id, u.username, u.display_name, m.role, m.joined_at, m.delivered_seq, m.read_seq, m.joined_seq";

/// The members of one conversation, in the order they joined.
pub async fn members(db: &D1Database, id: &str) -> Result<Vec<MemberRow>, ApiError> {
    all(
        db,
        &format!(
            "SELECT {MEMBER_COLUMNS} FROM chat_members m JOIN auth_users u ON u.id = m.user_id \
             WHERE m.conversation_id = ?1 ORDER BY m.joined_at, m.user_id"
        ),
        &[text(id)],
    )
    .await
}

/// The conversations `user_id` is in, newest activity first (at most `limit`).
pub async fn of_user(db: &D1Database, user_id: &str, limit: i64) -> Result<Vec<ConversationRow>, ApiError> {
    all(
        db,
        "SELECT c.id, c.kind, c.title, c.created_at, c.last_seq, c.encrypted \
         FROM chat_conversations c JOIN chat_members m ON m.conversation_id = c.id \
         WHERE m.user_id = ?1 ORDER BY c.last_activity_at DESC, c.id DESC LIMIT ?2",
        &[text(user_id), num(limit)],
    )
    .await
}

/// The members of the conversations `of_user` lists (the same `limit`).
pub async fn members_of_users_conversations(
    db: &D1Database,
    user_id: &str,
    limit: i64,
) -> Result<Vec<MemberRow>, ApiError> {
    all(
        db,
        &format!(
            "SELECT {MEMBER_COLUMNS} FROM chat_members m JOIN auth_users u ON u.id = m.user_id \
             WHERE m.conversation_id IN (SELECT c.id FROM chat_conversations c \
               JOIN chat_members mine ON mine.conversation_id = c.id WHERE mine.user_id = ?1 \
               ORDER BY c.last_activity_at DESC, c.id DESC LIMIT ?2) \
             ORDER BY m.joined_at, m.user_id"
        ),
        &[text(user_id), num(limit)],
    )
    .await
}

/// The ids and usernames of the people with these (normalized) usernames.
pub async fn users_named(db: &D1Database, usernames: &[String]) -> Result<Vec<(String, String)>, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        id: String,
        username: String,
    }
    let rows: Vec<Row> = all(
        db,
        "SELECT id, username FROM auth_users WHERE username IN (SELECT value FROM json_each(?1))",
        &[text(&serde_json::to_string(usernames).unwrap_or_default())],
    )
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.username)).collect())
}

/// The condition that the acting user (`?{n}`) is an admin of conversation `?1`: admin rights
/// are checked by the write itself, so one removed meanwhile cannot still act.
fn admin_check(n: u8) -> String {
    format!("EXISTS (SELECT 1 FROM chat_members WHERE conversation_id = ?1 AND user_id = ?{n} AND role = 'admin')")
}

/// Renames a group if `admin` is still one of its admins; whether it did.
pub async fn rename(db: &D1Database, id: &str, admin: &str, title: &str) -> Result<bool, ApiError> {
    let sql = format!("UPDATE chat_conversations SET title = ?2 WHERE id = ?1 AND {}", admin_check(3));
    Ok(run(db, &sql, &[text(id), text(title), text(admin)]).await? > 0)
}

/// Adds members, all or none: none when that would pass the group's limit (also when admins add
/// at the same moment: the count is read by the same statement) or when `admin` is no longer an
/// admin. Newcomers start with everything before them delivered and read: up to `room_last_seq`
/// (the room's, read just before) or D1's `last_seq`, the later. How many it added.
pub async fn add(
    db: &D1Database,
    id: &str,
    admin: &str,
    user_ids: &[String],
    room_last_seq: u64,
    now_ms: i64,
) -> Result<usize, ApiError> {
    let sql = format!(
        "INSERT OR IGNORE INTO chat_members (conversation_id, user_id, role, joined_at, delivered_seq, read_seq, joined_seq) \
         SELECT ?1, j.value, 'member', ?3, MAX(c.last_seq, ?6), MAX(c.last_seq, ?6), MAX(c.last_seq, ?6) \
         FROM json_each(?2) j, chat_conversations c \
         WHERE c.id = ?1 AND {} \
           AND (SELECT COUNT(*) FROM chat_members WHERE conversation_id = ?1) + json_array_length(?2) <= ?5",
        admin_check(4)
    );
    let ids = serde_json::to_string(user_ids).unwrap_or_default();
    let room_last_seq = i64::try_from(room_last_seq).unwrap_or(i64::MAX);
    run(
        db,
        &sql,
        &[text(id), text(&ids), num(now_ms), text(admin), num(MAX_GROUP_MEMBERS as i64), num(room_last_seq)],
    )
    .await
}

/// Removes `user_id` (themselves leaving, or removed by `actor` while an admin); if no admin is
/// left, the member who joined first becomes one, and a group nobody is left in goes, all in one
/// transaction (two admins leaving at once still leave an admin): the rule of
/// `shared::chat::members::after_leaving`, done in SQL so that it holds under races. Whether
/// they were removed.
pub async fn remove(db: &D1Database, id: &str, actor: &str, user_id: &str) -> Result<bool, ApiError> {
    let statements = vec![
        prepare(
            db,
            &format!(
                "DELETE FROM chat_members WHERE conversation_id = ?1 AND user_id = ?2 AND (?2 = ?3 OR {})",
                admin_check(3)
            ),
            &[text(id), text(user_id), text(actor)],
        )?,
        prepare(
            db,
            "UPDATE chat_members SET role = 'admin' WHERE conversation_id = ?1 AND user_id = \
               (SELECT user_id FROM chat_members WHERE conversation_id = ?1 ORDER BY joined_at, user_id LIMIT 1) \
             AND NOT EXISTS (SELECT 1 FROM chat_members WHERE conversation_id = ?1 AND role = 'admin')",
            &[text(id)],
        )?,
        prepare(
            db,
            "DELETE FROM chat_conversations WHERE id = ?1 AND kind = 'group' \
             AND NOT EXISTS (SELECT 1 FROM chat_members WHERE conversation_id = ?1)",
            &[text(id)],
        )?,
    ];
    let changed = run_batch(db, statements, "removing a member").await?;
    Ok(changed.first().is_some_and(|&n| n > 0))
}

/// Records a message the conversation's room appended: the conversation's last seq and activity,
/// and the sender's own marks (they have read what they sent). `MAX` keeps both right when
/// sends finish out of order, and a repeated client id heals a record that was lost.
pub async fn record_message(
    db: &D1Database,
    id: &str,
    sender_id: &str,
    seq: u64,
    now_ms: i64,
) -> Result<(), ApiError> {
    let seq = i64::try_from(seq).unwrap_or(0);
    let statements = vec![
        prepare(
            db,
            "UPDATE chat_conversations SET last_seq = MAX(last_seq, ?2), last_activity_at = MAX(last_activity_at, ?3) \
             WHERE id = ?1",
            &[text(id), num(seq), num(now_ms)],
        )?,
        prepare(
            db,
            "UPDATE chat_members SET delivered_seq = MAX(delivered_seq, ?3), read_seq = MAX(read_seq, ?3) \
             WHERE conversation_id = ?1 AND user_id = ?2",
            &[text(id), text(sender_id), num(seq)],
        )?,
    ];
    db.batch(statements).await.internal("recording a message").map(drop)
}

/// Moves a member's marks forward to `marks` (never back: two receipts racing keep the higher);
/// the marks as they stand after.
pub async fn set_marks(db: &D1Database, id: &str, user_id: &str, marks: Marks) -> Result<Marks, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        delivered_seq: i64,
        read_seq: i64,
    }
    let seq = |n: u64| num(i64::try_from(n).unwrap_or(0));
    let row: Option<Row> = first(
        db,
        "UPDATE chat_members SET delivered_seq = MAX(delivered_seq, ?3), read_seq = MAX(read_seq, ?4) \
         WHERE conversation_id = ?1 AND user_id = ?2 RETURNING delivered_seq, read_seq",
        &[text(id), text(user_id), seq(marks.delivered_seq), seq(marks.read_seq)],
    )
    .await?;
    let row = row.ok_or_else(|| ApiError::not_found("No such conversation."))?;
    let seq = |n: i64| u64::try_from(n).unwrap_or(0);
    Ok(Marks { delivered_seq: seq(row.delivered_seq), read_seq: seq(row.read_seq) })
}

/// Makes a member an admin if `admin` still is one; whether it did.
pub async fn make_admin(db: &D1Database, id: &str, admin: &str, user_id: &str) -> Result<bool, ApiError> {
    let sql = format!(
        "UPDATE chat_members SET role = 'admin' WHERE conversation_id = ?1 AND user_id = ?2 AND {}",
        admin_check(3)
    );
    Ok(run(db, &sql, &[text(id), text(user_id), text(admin)]).await? > 0)
}
