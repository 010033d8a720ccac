//! `chat_media`: what each file shared in a conversation is (the bytes are in R2).

use crate::d1::{all, first, num, opt_num, opt_text, run, text};
use serde::Deserialize;
use shared::{
    chat::media::{MediaKind, MediaView},
    ApiError,
};
use worker::D1Database;

#[derive(Debug, Clone, Deserialize)]
pub struct MediaRow {
    pub id: String,
    pub conversation_id: String,
    pub uploader_id: String,
    pub kind: String,
    pub content_type: String,
    pub name: String,
    pub size: i64,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub thumbnail_type: Option<String>,
    pub created_at: i64,
    /// The message that carries it: none while unsent, 0 while a send holds it.
    pub seq: Option<i64>,
    /// The client id of the message a send held it for (its sender is the uploader).
    pub held_for: Option<String>,
}

impl MediaRow {
    /// Where R2 keeps the bytes.
    pub fn key(&self) -> String {
        format!("chat/{}/{}", self.conversation_id, self.id)
    }

    pub fn thumbnail_key(&self) -> String {
        format!("{}.thumbnail", self.key())
    }

    pub fn view(&self) -> MediaView {
        let side = |n: Option<i64>| n.and_then(|n| u32::try_from(n).ok());
        MediaView {
            id: self.id.clone(),
            kind: MediaKind::parse(&self.kind),
            content_type: self.content_type.clone(),
            name: self.name.clone(),
            size: u64::try_from(self.size).unwrap_or(0),
            width: side(self.width),
            height: side(self.height),
            has_thumbnail: self.thumbnail_type.is_some(),
        }
    }
}

const COLUMNS: &str = "f.id, f.conversation_id, f.uploader_id, f.kind, f.content_type, f.name, f.size, \
                       f.width, f.height, f.thumbnail_type, f.created_at, f.seq, f.held_for";

pub async fn insert(db: &D1Database, row: &MediaRow) -> Result<(), ApiError> {
    run(
        db,
        "INSERT INTO chat_media (id, conversation_id, uploader_id, kind, content_type, name, size, width, \
         height, thumbnail_type, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        &[
            text(&row.id),
            text(&row.conversation_id),
            text(&row.uploader_id),
            text(&row.kind),
            text(&row.content_type),
            text(&row.name),
            num(row.size),
            opt_num(row.width),
            opt_num(row.height),
            opt_text(row.thumbnail_type.as_deref()),
            num(row.created_at),
        ],
    )
    .await
    .map(drop)
}

/// A file, if `user_id` may see it: a member of its conversation, and either its uploader or
/// someone who may read the message that carries it (sent after they joined).
pub async fn for_member(db: &D1Database, id: &str, user_id: &str) -> Result<Option<MediaRow>, ApiError> {
    first(
        db,
        &format!(
            "SELECT {COLUMNS} FROM chat_media f JOIN chat_members m \
             ON m.conversation_id = f.conversation_id AND m.user_id = ?2 \
             WHERE f.id = ?1 AND (f.uploader_id = ?2 OR f.seq > m.joined_seq)"
        ),
        &[text(id), text(user_id)],
    )
    .await
}

/// What holding a file for a message found.
pub enum Hold {
    /// This send holds it now (until `attach` or `release`), or another attempt at the same
    /// message does (both may carry it: the room keeps one message per client id).
    Held(MediaRow),
    /// Another message has it, or a send of another message holds it: only a retry of that
    /// message may name it again.
    Taken(MediaRow),
}

/// Holds `uploader_id`'s file for their message `client_id`, so that one file is carried by
/// one message even when two sends race; `None` when they uploaded no such file here.
pub async fn hold(
    db: &D1Database,
    id: &str,
    conversation_id: &str,
    uploader_id: &str,
    client_id: &str,
    now_ms: i64,
) -> Result<Option<Hold>, ApiError> {
    let held = run(
        db,
        "UPDATE chat_media SET seq = 0, held_for = ?4, held_at = ?5 \
         WHERE id = ?1 AND conversation_id = ?2 AND uploader_id = ?3 AND seq IS NULL",
        &[text(id), text(conversation_id), text(uploader_id), text(client_id), num(now_ms)],
    )
    .await?;
    let Some(row) = own_upload(db, id, conversation_id, uploader_id).await? else { return Ok(None) };
    let this_message = row.seq == Some(0) && row.held_for.as_deref() == Some(client_id);
    if held == 0 && this_message {
        // A retry: the scheduled job leaves a hold this fresh alone.
        run(
            db,
            "UPDATE chat_media SET held_at = ?3 WHERE id = ?1 AND seq = 0 AND held_for = ?2",
            &[text(id), text(client_id), num(now_ms)],
        )
        .await?;
    }
    Ok(Some(if held == 1 || this_message { Hold::Held(row) } else { Hold::Taken(row) }))
}

/// Files a send held before `cutoff_ms` and never settled (the request ended between the room
/// and D1): the room says whether their message went out.
pub async fn held_before(db: &D1Database, cutoff_ms: i64, limit: i64) -> Result<Vec<MediaRow>, ApiError> {
    all(
        db,
        // Holds from before `held_at` was kept count from the upload.
        &format!(
            "SELECT {COLUMNS} FROM chat_media f WHERE f.seq = 0 AND COALESCE(f.held_at, f.created_at) < ?1 \
             ORDER BY COALESCE(f.held_at, f.created_at) LIMIT ?2"
        ),
        &[num(cutoff_ms), num(limit)],
    )
    .await
}

/// A send that held a file did not carry it after all (refused, or a retry of a message
/// without it): the file is free again.
pub async fn release(db: &D1Database, id: &str) -> Result<(), ApiError> {
    run(db, "UPDATE chat_media SET seq = NULL WHERE id = ?1 AND seq = 0", &[text(id)]).await.map(drop)
}

/// Uploads made before `cutoff_ms` and never sent (one a send holds right now is not).
pub async fn unsent_before(db: &D1Database, cutoff_ms: i64, limit: i64) -> Result<Vec<MediaRow>, ApiError> {
    all(
        db,
        &format!(
            "SELECT {COLUMNS} FROM chat_media f WHERE f.seq IS NULL AND f.created_at < ?1 \
             ORDER BY f.created_at LIMIT ?2"
        ),
        &[num(cutoff_ms), num(limit)],
    )
    .await
}

/// A file `uploader_id` shared into `conversation_id`, to attach to their message.
async fn own_upload(
    db: &D1Database,
    id: &str,
    conversation_id: &str,
    uploader_id: &str,
) -> Result<Option<MediaRow>, ApiError> {
    first(
        db,
        &format!("SELECT {COLUMNS} FROM chat_media f WHERE f.id = ?1 AND f.conversation_id = ?2 AND f.uploader_id = ?3"),
        &[text(id), text(conversation_id), text(uploader_id)],
    )
    .await
}

/// The file is carried by message `seq` (from the hold, or unheld after a failure).
pub async fn attach(db: &D1Database, id: &str, seq: u64) -> Result<(), ApiError> {
    run(
        db,
        "UPDATE chat_media SET seq = ?2 WHERE id = ?1 AND (seq IS NULL OR seq = 0)",
        &[text(id), num(seq as i64)],
    )
    .await
    .map(drop)
}

/// The files message `seq` carries.
pub async fn of_message(db: &D1Database, conversation_id: &str, seq: u64) -> Result<Vec<MediaRow>, ApiError> {
    all(
        db,
        &format!("SELECT {COLUMNS} FROM chat_media f WHERE f.conversation_id = ?1 AND f.seq = ?2"),
        &[text(conversation_id), num(seq as i64)],
    )
    .await
}

/// Forgets an upload still unsent (one a send took meanwhile stays); whether it did.
pub async fn remove_unsent(db: &D1Database, id: &str) -> Result<bool, ApiError> {
    Ok(run(db, "DELETE FROM chat_media WHERE id = ?1 AND seq IS NULL", &[text(id)]).await? == 1)
}

pub async fn remove(db: &D1Database, id: &str) -> Result<(), ApiError> {
    run(db, "DELETE FROM chat_media WHERE id = ?1", &[text(id)]).await.map(drop)
}
