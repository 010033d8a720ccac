//! `chat_to_device`: envelopes waiting in the inbox of the device they are sealed for.

use crate::{
    d1::{all, num, prepare, run, run_batch, text},
    http::OrInternal,
};
use serde::Deserialize;
use shared::{chat::e2ee::to_device::ToDeviceItem, time::Timestamp, ApiError};
use std::collections::HashMap;
use worker::{D1Database, D1PreparedStatement};

/// An envelope to queue, for `device` of the user `recipient_id`.
pub struct Addressed<'a> {
    pub recipient_id: &'a str,
    pub device: &'a str,
    pub body: &'a str,
}

/// The most bytes of envelopes one statement takes as its JSON argument: D1 takes strings of up
/// to 2 MB, and a send may carry more than that in all.
const STATEMENT_BYTES: usize = 900_000;

/// The most envelopes from `sender_id` that would wait for any one device once `envelopes` are
/// queued (what waits for it already, and what this send adds for it).
pub async fn most_waiting_after(
    db: &D1Database,
    sender_id: &str,
    envelopes: &[Addressed<'_>],
) -> Result<i64, ApiError> {
    #[derive(Deserialize)]
    struct Waiting {
        recipient_id: String,
        recipient_device: String,
        n: i64,
    }
    let mut adding: HashMap<(&str, &str), i64> = HashMap::new();
    for e in envelopes {
        *adding.entry((e.recipient_id, e.device)).or_default() += 1;
    }
    let devices = serde_json::to_string(&adding.keys().collect::<Vec<_>>()).unwrap_or_default();
    let waiting: Vec<Waiting> = all(
        db,
        "SELECT t.recipient_id, t.recipient_device, COUNT(*) AS n FROM json_each(?2) j \
           JOIN chat_to_device t ON t.recipient_id = json_extract(j.value, '$[0]') \
             AND t.recipient_device = json_extract(j.value, '$[1]') AND t.sender_id = ?1 \
         GROUP BY t.recipient_id, t.recipient_device",
        &[text(sender_id), text(&devices)],
    )
    .await?;
    for w in &waiting {
        if let Some(n) = adding.get_mut(&(w.recipient_id.as_str(), w.recipient_device.as_str())) {
            *n += w.n;
        }
    }
    Ok(adding.into_values().max().unwrap_or(0))
}

/// Queues envelopes from `sender_device` of `sender_id`, all or none: one batch (one transaction)
/// of inserts, each taking a run of them from one JSON argument, so that a thousand envelopes
/// are one statement or a few rather than a thousand. Ids follow the order given. How many it
/// queued.
pub async fn queue(
    db: &D1Database,
    conversation_id: &str,
    sender_id: &str,
    sender_device: &str,
    envelopes: &[Addressed<'_>],
    now_ms: i64,
) -> Result<usize, ApiError> {
    let mut runs = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, envelope) in envelopes.iter().enumerate() {
        let size = envelope.body.len() + envelope.device.len() + envelope.recipient_id.len();
        if i > start && bytes + size > STATEMENT_BYTES {
            runs.push(&envelopes[start..i]);
            (start, bytes) = (i, 0);
        }
        bytes += size;
    }
    runs.push(&envelopes[start..]);
    let statements = runs
        .into_iter()
        .map(|run| insert(db, conversation_id, sender_id, sender_device, run, now_ms))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(run_batch(db, statements, "queueing to-device envelopes").await?.iter().sum())
}

fn insert(
    db: &D1Database,
    conversation_id: &str,
    sender_id: &str,
    sender_device: &str,
    envelopes: &[Addressed<'_>],
    now_ms: i64,
) -> Result<D1PreparedStatement, ApiError> {
    let rows: Vec<[&str; 3]> = envelopes.iter().map(|e| [e.recipient_id, e.device, e.body]).collect();
    prepare(
        db,
        "INSERT INTO chat_to_device (recipient_id, recipient_device, sender_id, sender_device, conversation_id, body, created_at) \
         SELECT json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'), ?2, ?3, ?4, json_extract(j.value, '$[2]'), ?5 \
         FROM json_each(?1) j ORDER BY j.key",
        &[
            text(&serde_json::to_string(&rows).internal("to-device rows")?),
            text(sender_id),
            text(sender_device),
            text(conversation_id),
            num(now_ms),
        ],
    )
}

#[derive(Deserialize)]
struct ItemRow {
    id: i64,
    conversation_id: String,
    sender: String,
    sender_device: String,
    body: String,
    created_at: i64,
}

/// A page of a device's inbox: envelopes after `after`, oldest first. Only those of
/// conversations its person is still in: what was handed to them before they left is no longer
/// theirs to read.
pub async fn page(
    db: &D1Database,
    user_id: &str,
    device: &str,
    after: u64,
    limit: u32,
) -> Result<Vec<ToDeviceItem>, ApiError> {
    let rows: Vec<ItemRow> = all(
        db,
        "SELECT t.id, t.conversation_id, u.username AS sender, t.sender_device, t.body, t.created_at \
         FROM chat_to_device t JOIN auth_users u ON u.id = t.sender_id \
         WHERE t.recipient_id = ?1 AND t.recipient_device = ?2 AND t.id > ?3 \
           AND EXISTS (SELECT 1 FROM chat_members m WHERE m.conversation_id = t.conversation_id AND m.user_id = ?1) \
         ORDER BY t.id LIMIT ?4",
        &[text(user_id), text(device), num(i64::try_from(after).unwrap_or(i64::MAX)), num(i64::from(limit))],
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ToDeviceItem {
            id: u64::try_from(r.id).unwrap_or(0),
            conversation: r.conversation_id,
            sender: r.sender,
            sender_device: r.sender_device,
            body: r.body,
            sent_at: Timestamp(r.created_at).to_rfc3339(),
        })
        .collect())
}

/// Forgets a device's envelopes up to id `up_to` (it has them).
pub async fn acknowledge(db: &D1Database, user_id: &str, device: &str, up_to: u64) -> Result<(), ApiError> {
    run(
        db,
        "DELETE FROM chat_to_device WHERE recipient_id = ?1 AND recipient_device = ?2 AND id <= ?3",
        &[text(user_id), text(device), num(i64::try_from(up_to).unwrap_or(i64::MAX))],
    )
    .await
    .map(drop)
}

/// The statement that empties a device's inbox, for the batch that forgets the device.
pub fn empty_inbox(db: &D1Database, user_id: &str, device: &str) -> Result<D1PreparedStatement, ApiError> {
    prepare(
        db,
        "DELETE FROM chat_to_device WHERE recipient_id = ?1 AND recipient_device = ?2",
        &[text(user_id), text(device)],
    )
}

/// Drops up to `limit` envelopes queued before `cutoff_ms` (the job runs every minute: a backlog
/// goes over several runs, each short); how many.
pub async fn drop_before(db: &D1Database, cutoff_ms: i64, limit: i64) -> Result<usize, ApiError> {
    run(
        db,
        "DELETE FROM chat_to_device WHERE id IN \
           (SELECT id FROM chat_to_device WHERE created_at < ?1 ORDER BY created_at LIMIT ?2)",
        &[num(cutoff_ms), num(limit)],
    )
    .await
}
