//! One conversation's message log: the SQLite database of its `ChatRoom` Durable Object.
//!
//! Calls here are synchronous (DO SQLite runs in the object's thread) and the object runs one
//! request's synchronous code at a time, so reading the last seq and inserting the next one
//! cannot interleave with another send: seqs are 1, 2, 3 … with no gap and no repeat.

use crate::http::OrInternal;
use serde::Deserialize;
use shared::{chat::history::Window, ApiError};
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
}

const COLUMNS: &str = "seq, sender, client_id, body, reply_to, sent_at, edited_at";

/// A message to append.
pub struct NewMessage<'a> {
    pub sender_id: &'a str,
    pub sender: &'a str,
    pub client_id: &'a str,
    pub body: &'a str,
    pub reply_to: Option<u64>,
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
        sql.exec(SCHEMA, None).internal("creating the message log")?;
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
            "INSERT INTO messages (seq, sender_id, sender, client_id, body, reply_to, sent_at) \
             VALUES ((SELECT COALESCE(MAX(seq), 0) + 1 FROM messages), ?, ?, ?, ?, ?, ?) RETURNING {COLUMNS}"
        );
        let bindings = vec![
            message.sender_id.into(),
            message.sender.into(),
            message.client_id.into(),
            message.body.into(),
            message.reply_to.map(int).unwrap_or(SqlStorageValue::Null),
            message.sent_at.into(),
        ];
        self.rows(&query, bindings)?
            .into_iter()
            .next()
            .ok_or_else(|| crate::http::internal("appending a message", "no row returned"))
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
