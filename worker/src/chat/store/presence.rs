//! `chat_presence`: each person's presence as their hub last worked it out, and who may see it
//! (contacts, with no block either way).

use crate::d1::{all, num, opt_num, run, text};
use serde::Deserialize;
use shared::{
    chat::presence::{Presence, Status},
    ApiError,
};
use worker::D1Database;

fn status_str(status: Status) -> &'static str {
    match status {
        Status::Online => "online",
        Status::Away => "away",
        Status::Offline => "offline",
    }
}

fn parse_status(stored: &str) -> Status {
    match stored {
        "online" => Status::Online,
        "away" => Status::Away,
        _ => Status::Offline,
    }
}

pub async fn set(db: &D1Database, user_id: &str, presence: Presence, now_ms: i64) -> Result<(), ApiError> {
    run(
        db,
        "INSERT INTO chat_presence (user_id, status, last_seen, updated_at) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (user_id) DO UPDATE SET status = ?2, last_seen = COALESCE(?3, last_seen), updated_at = ?4",
        &[text(user_id), text(status_str(presence.status)), opt_num(presence.last_seen), num(now_ms)],
    )
    .await
    .map(drop)
}

/// Who may see `user_id`'s presence: their contacts, unless either blocks the other.
const CONTACTS_OF: &str =
    "SELECT CASE WHEN c.a_id = ?1 THEN c.b_id ELSE c.a_id END AS id FROM chat_contacts c \
     WHERE (c.a_id = ?1 OR c.b_id = ?1) AND c.bond = 'contacts' AND c.a_blocks = 0 AND c.b_blocks = 0";

pub async fn watchers(db: &D1Database, user_id: &str) -> Result<Vec<String>, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        id: String,
    }
    let rows: Vec<Row> = all(db, CONTACTS_OF, &[text(user_id)]).await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// A contact's presence as stored, with whether they let their last seen be shown.
pub struct ContactPresence {
    pub username: String,
    pub presence: Presence,
    pub shows_last_seen: bool,
}

/// The presence of everyone whose presence `user_id` may see (the same rule, seen from the
/// other side: it is symmetric).
pub async fn of_contacts(db: &D1Database, user_id: &str) -> Result<Vec<ContactPresence>, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        username: String,
        status: Option<String>,
        last_seen: Option<i64>,
        shows_last_seen: Option<i64>,
    }
    let sql = format!(
        "SELECT u.username, p.status, p.last_seen, s.shows_last_seen FROM ({CONTACTS_OF}) ids \
         JOIN auth_users u ON u.id = ids.id \
         LEFT JOIN chat_presence p ON p.user_id = ids.id LEFT JOIN chat_settings s ON s.user_id = ids.id"
    );
    let rows: Vec<Row> = all(db, &sql, &[text(user_id)]).await?;
    Ok(rows
        .into_iter()
        .map(|r| ContactPresence {
            username: r.username,
            presence: Presence {
                status: r.status.as_deref().map_or(Status::Offline, parse_status),
                last_seen: r.last_seen,
            },
            shows_last_seen: r.shows_last_seen.is_none_or(|v| v != 0),
        })
        .collect())
}
