//! One conversation's message log: the SQLite database of its `ChatRoom` Durable Object.
//!
//! Calls here are synchronous (DO SQLite runs in the object's thread) and the object runs one
//! request's synchronous code at a time, so reading the last seq and inserting the next one
//! cannot interleave with another send: seqs are 1, 2, 3 … with no gap and no repeat.

use crate::http::OrInternal;
use serde::Deserialize;
use shared::{
    chat::{history::Window, media::MediaView, message::Reactions},
    ApiError,
};
use worker::{SqlStorage, SqlStorageValue};

const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS messages (
  seq        INTEGER PRIMARY KEY,
  sender_id  TEXT NOT NULL,
  sender     TEXT NOT NULL,
  client_id  TEXT NOT NULL,
  body       TEXT NOT NULL,
  reply_to   INTEGER,
  sent_at    INTEGER NOT NULL,
  edited_at  INTEGER,
  UNIQUE (sender_id, client_id)
)";

/// Columns added after the first rooms were made, in order; `log_meta.version` counts how many
/// a room has (a room adds the rest when it next opens).
const ADDED: &[&str] = &[
    // Deleted for everyone: the body is emptied, the row stays (seqs never move).
    "ALTER TABLE messages ADD COLUMN deleted_at INTEGER",
    // JSON [[username, emoji], …]: one reaction per person, in the order they reacted.
    "ALTER TABLE messages ADD COLUMN reactions TEXT NOT NULL DEFAULT '[]'",
    // JSON [[body, replaced_at], …]: earlier versions, shown to the sender only.
    "ALTER TABLE messages ADD COLUMN versions TEXT NOT NULL DEFAULT '[]'",
    // JSON MediaView: the file it carries (dropped when deleted for everyone).
    "ALTER TABLE messages ADD COLUMN media TEXT",
    // The sticker it is (shared::chat::stickers), when it is one.
    "ALTER TABLE messages ADD COLUMN sticker TEXT",
];

/// A stored message.
#[derive(Debug, Clone, Deserialize)]
pub struct LogRow {
    pub seq: i64,
    pub sender: String,
    pub client_id: String,
    pub body: String,
    pub reply_to: Option<i64>,
    pub sent_at: i64,
    pub edited_at: Option<i64>,
    pub deleted_at: Option<i64>,
    pub sender_id: String,
    pub reactions: String,
    pub media: Option<String>,
    pub sticker: Option<String>,
}

impl LogRow {
    pub fn reactions(&self) -> Reactions {
        serde_json::from_str(&self.reactions).unwrap_or_default()
    }
}

/// A row's columns but its earlier versions, which only its sender reads (up to
/// `MAX_EDITS` bodies: not to be carried by every page and sync).
const COLUMNS: &str =
    "seq, sender, client_id, body, reply_to, sent_at, edited_at, deleted_at, sender_id, reactions, media, sticker";

/// A message to append.
pub struct NewMessage<'a> {
    pub sender_id: &'a str,
    pub sender: &'a str,
    pub client_id: &'a str,
    pub body: &'a str,
    pub reply_to: Option<u64>,
    pub media: Option<&'a MediaView>,
    pub sticker: Option<&'a str>,
    pub sent_at: i64,
}

pub struct Log {
    sql: SqlStorage,
}

fn int(n: u64) -> SqlStorageValue {
    // Seqs and limits stay far below 2^53, where JS numbers are exact.
    SqlStorageValue::from(i64::try_from(n).unwrap_or(i64::MAX >> 11))
}

impl Log {
    pub fn open(sql: SqlStorage) -> Result<Self, ApiError> {
        #[derive(Deserialize)]
        struct Meta {
            version: i64,
        }
        sql.exec(SCHEMA, None).internal("creating the message log")?;
        sql.exec("CREATE TABLE IF NOT EXISTS log_meta (version INTEGER NOT NULL)", None)
            .internal("creating the log's meta")?;
        let meta: Vec<Meta> =
            sql.exec("SELECT version FROM log_meta", None).and_then(|c| c.to_array()).internal("log meta")?;
        let have = meta.first().map_or(0, |m| m.version.max(0) as usize);
        if have < ADDED.len() {
            for statement in &ADDED[have..] {
                sql.exec(statement, None).internal(statement)?;
            }
            sql.exec("DELETE FROM log_meta", None).internal("log meta")?;
            sql.exec("INSERT INTO log_meta (version) VALUES (?)", vec![int(ADDED.len() as u64)])
                .internal("log meta")?;
        }
        Ok(Self { sql })
    }

    fn rows(&self, query: &str, bindings: Vec<SqlStorageValue>) -> Result<Vec<LogRow>, ApiError> {
        self.sql.exec(query, bindings).and_then(|c| c.to_array::<LogRow>()).internal(query)
    }

    pub fn last_seq(&self) -> Result<u64, ApiError> {
        #[derive(Deserialize)]
        struct Last {
            seq: i64,
        }
        let last: Vec<Last> = self
            .sql
            .exec("SELECT COALESCE(MAX(seq), 0) AS seq FROM messages", None)
            .and_then(|c| c.to_array())
            .internal("reading the last seq")?;
        Ok(last.first().map_or(0, |l| u64::try_from(l.seq).unwrap_or(0)))
    }

    /// The message this sender already sent with this client id, if any.
    pub fn by_client_id(&self, sender_id: &str, client_id: &str) -> Result<Option<LogRow>, ApiError> {
        let query = format!("SELECT {COLUMNS} FROM messages WHERE sender_id = ? AND client_id = ?");
        Ok(self.rows(&query, vec![sender_id.into(), client_id.into()])?.into_iter().next())
    }

    /// Appends a message with the next seq; the stored row.
    pub fn append(&self, message: &NewMessage) -> Result<LogRow, ApiError> {
        let query = format!(
            "INSERT INTO messages (seq, sender_id, sender, client_id, body, reply_to, sent_at, media, sticker) \
             VALUES ((SELECT COALESCE(MAX(seq), 0) + 1 FROM messages), ?, ?, ?, ?, ?, ?, ?, ?) RETURNING {COLUMNS}"
        );
        let bindings = vec![
            message.sender_id.into(),
            message.sender.into(),
            message.client_id.into(),
            message.body.into(),
            message.reply_to.map(int).unwrap_or(SqlStorageValue::Null),
            message.sent_at.into(),
            message
                .media
                .and_then(|m| serde_json::to_string(m).ok())
                .map_or(SqlStorageValue::Null, SqlStorageValue::from),
            message.sticker.map_or(SqlStorageValue::Null, SqlStorageValue::from),
        ];
        self.rows(&query, bindings)?
            .into_iter()
            .next()
            .ok_or_else(|| crate::http::internal("appending a message", "no row returned"))
    }

    pub fn get(&self, seq: u64) -> Result<Option<LogRow>, ApiError> {
        let query = format!("SELECT {COLUMNS} FROM messages WHERE seq = ?");
        Ok(self.rows(&query, vec![int(seq)])?.into_iter().next())
    }

    /// A message's earlier versions: `[(body, replaced_at)]`, oldest first.
    pub fn versions(&self, seq: i64) -> Result<Vec<(String, i64)>, ApiError> {
        #[derive(Deserialize)]
        struct Versions {
            versions: String,
        }
        let found: Vec<Versions> = self
            .sql
            .exec("SELECT versions FROM messages WHERE seq = ?", vec![seq.into()])
            .and_then(|c| c.to_array())
            .internal("reading a message's versions")?;
        Ok(found.first().and_then(|v| serde_json::from_str(&v.versions).ok()).unwrap_or_default())
    }

    /// Replaces a message's body, keeping the one it had (replaced at `now_ms`), up to
    /// `MAX_EDITS` times.
    pub fn edit(&self, row: &LogRow, body: &str, now_ms: i64) -> Result<LogRow, ApiError> {
        let mut versions = self.versions(row.seq)?;
        shared::chat::message::may_edit_again(versions.len())?;
        versions.push((row.body.clone(), now_ms));
        let query = format!(
            "UPDATE messages SET body = ?, edited_at = ?, versions = ? WHERE seq = ? RETURNING {COLUMNS}"
        );
        let versions = serde_json::to_string(&versions).unwrap_or_default();
        self.one(&query, vec![body.into(), now_ms.into(), versions.into(), row.seq.into()])
    }

    /// Deletes a message for everyone: its body, earlier versions and reactions go; its seq stays.
    pub fn delete(&self, seq: i64, now_ms: i64) -> Result<LogRow, ApiError> {
        let query = format!(
            "UPDATE messages SET body = '', versions = '[]', reactions = '[]', media = NULL, sticker = NULL, deleted_at = ? \
             WHERE seq = ? RETURNING {COLUMNS}"
        );
        self.one(&query, vec![now_ms.into(), seq.into()])
    }

    pub fn set_reactions(&self, seq: i64, reactions: &Reactions) -> Result<LogRow, ApiError> {
        let query = format!("UPDATE messages SET reactions = ? WHERE seq = ? RETURNING {COLUMNS}");
        let reactions = serde_json::to_string(reactions).unwrap_or_default();
        self.one(&query, vec![reactions.into(), seq.into()])
    }

    fn one(&self, query: &str, bindings: Vec<SqlStorageValue>) -> Result<LogRow, ApiError> {
        self.rows(query, bindings)?.into_iter().next().ok_or_else(|| crate::http::internal(query, "no row"))
    }

    /// The messages a window holds, oldest first, and whether more lie beyond it.
    pub fn page(&self, window: &Window) -> Result<(Vec<LogRow>, bool), ApiError> {
        let order = if window.from_oldest { "ASC" } else { "DESC" };
        let query =
            format!("SELECT {COLUMNS} FROM messages WHERE seq > ? AND seq < ? ORDER BY seq {order} LIMIT ?");
        let before = window.before.map_or(int(u64::MAX), int);
        let mut rows = self.rows(&query, vec![int(window.after), before, int(window.limit + 1)])?;
        let has_more = rows.len() as u64 > window.limit;
        rows.truncate(window.limit as usize);
        if !window.from_oldest {
            rows.reverse();
        }
        Ok((rows, has_more))
    }
}
