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
                       f.width, f.height, f.thumbnail_type, f.created_at";

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

/// A file, if `user_id` is a member of its conversation.
pub async fn for_member(db: &D1Database, id: &str, user_id: &str) -> Result<Option<MediaRow>, ApiError> {
    first(
        db,
        &format!(
            "SELECT {COLUMNS} FROM chat_media f JOIN chat_members m \
             ON m.conversation_id = f.conversation_id AND m.user_id = ?2 WHERE f.id = ?1"
        ),
        &[text(id), text(user_id)],
    )
    .await
}

/// A file `uploader_id` shared into `conversation_id`, to attach to their message.
pub async fn own_upload(
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

/// The file is carried by message `seq` (the first message that sent it).
pub async fn attach(db: &D1Database, id: &str, seq: u64) -> Result<(), ApiError> {
    run(db, "UPDATE chat_media SET seq = ?2 WHERE id = ?1 AND seq IS NULL", &[text(id), num(seq as i64)])
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

pub async fn remove(db: &D1Database, id: &str) -> Result<(), ApiError> {
    run(db, "DELETE FROM chat_media WHERE id = ?1", &[text(id)]).await.map(drop)
}
