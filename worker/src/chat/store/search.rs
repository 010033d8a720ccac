//! `chat_messages_text` and its FTS5 index `chat_search`: the text of each message of the
//! conversations that are not end-to-end encrypted, as the room last had it.

use crate::d1::{all, num, opt_text, run, text};
use serde::Deserialize;
use shared::ApiError;
use worker::D1Database;

/// Indexes a message (a repeated client id indexes nothing new).
pub async fn index(
    db: &D1Database,
    conversation_id: &str,
    seq: u64,
    sender: &str,
    sent_at: i64,
    body: &str,
) -> Result<(), ApiError> {
    run(
        db,
        "INSERT OR IGNORE INTO chat_messages_text (conversation_id, seq, sender, sent_at, body) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
        &[text(conversation_id), num(seq as i64), text(sender), num(sent_at), text(body)],
    )
    .await
    .map(drop)
}

/// An edited message is found by its new words only.
pub async fn reindex(db: &D1Database, conversation_id: &str, seq: u64, body: &str) -> Result<(), ApiError> {
    run(
        db,
        "UPDATE chat_messages_text SET body = ?3 WHERE conversation_id = ?1 AND seq = ?2",
        &[text(conversation_id), num(seq as i64), text(body)],
    )
    .await
    .map(drop)
}

/// A message deleted for everyone is found no more.
pub async fn forget(db: &D1Database, conversation_id: &str, seq: u64) -> Result<(), ApiError> {
    run(
        db,
        "DELETE FROM chat_messages_text WHERE conversation_id = ?1 AND seq = ?2",
        &[text(conversation_id), num(seq as i64)],
    )
    .await
    .map(drop)
}

#[derive(Deserialize)]
pub struct Hit {
    pub conversation_id: String,
    pub seq: i64,
    pub sender: String,
    pub sent_at: i64,
    pub body: String,
}

/// The newest messages matching `fts` (an FTS5 query from `shared::chat::search::fts_query`)
/// among those `user_id` may read: in their conversations, sent after they joined.
pub async fn search(db: &D1Database, user_id: &str, fts: &str, limit: u64) -> Result<Vec<Hit>, ApiError> {
    all(
        db,
        "SELECT t.conversation_id, t.seq, t.sender, t.sent_at, t.body \
         FROM chat_search s JOIN chat_messages_text t ON t.id = s.rowid \
         JOIN chat_members m ON m.conversation_id = t.conversation_id AND m.user_id = ?1 \
         WHERE chat_search MATCH ?2 AND t.seq > m.joined_seq \
         ORDER BY t.sent_at DESC, t.seq DESC LIMIT ?3",
        &[text(user_id), text(fts), num(limit as i64)],
    )
    .await
}

#[derive(Deserialize)]
pub struct Latest {
    pub conversation_id: String,
    pub seq: i64,
    pub sender: String,
    pub sent_at: i64,
    pub body: String,
}

/// The newest message still there in each of `user_id`'s conversations (or in `only`),
/// among those they may read: sent after they joined.
pub async fn latest(db: &D1Database, user_id: &str, only: Option<&str>) -> Result<Vec<Latest>, ApiError> {
    all(
        db,
        "SELECT t.conversation_id, t.seq, t.sender, t.sent_at, t.body \
         FROM chat_members m JOIN chat_messages_text t ON t.conversation_id = m.conversation_id \
         WHERE m.user_id = ?1 AND (?2 IS NULL OR m.conversation_id = ?2) AND t.seq = \
           (SELECT MAX(seq) FROM chat_messages_text WHERE conversation_id = m.conversation_id AND seq > m.joined_seq)",
        &[text(user_id), opt_text(only)],
    )
    .await
}
