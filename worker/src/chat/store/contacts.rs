//! `chat_contacts` (one row per pair) and `chat_settings`.

use crate::d1::{all, first, num, run, text};
use serde::Deserialize;
use shared::{
    chat::{
        contacts::{Bond, Relation},
        rest::ChatSettings,
    },
    ApiError,
};
use worker::D1Database;

#[derive(Deserialize)]
struct RelationRow {
    bond: String,
    a_blocks: i64,
    b_blocks: i64,
    version: i64,
}

/// The pair's relation and its version (0: no row yet).
pub async fn relation(db: &D1Database, a_id: &str, b_id: &str) -> Result<(Relation, i64), ApiError> {
    let row: Option<RelationRow> = first(
        db,
        "SELECT bond, a_blocks, b_blocks, version FROM chat_contacts WHERE a_id = ?1 AND b_id = ?2",
        &[text(a_id), text(b_id)],
    )
    .await?;
    Ok(match row {
        Some(row) => (
            Relation {
                bond: Bond::parse(&row.bond).unwrap_or_default(),
                a_blocks: row.a_blocks != 0,
                b_blocks: row.b_blocks != 0,
            },
            row.version,
        ),
        None => (Relation::default(), 0),
    })
}

/// Stores the pair's relation if it is still at `version`; whether it was.
pub async fn put_relation(
    db: &D1Database,
    a_id: &str,
    b_id: &str,
    relation: &Relation,
    version: i64,
    now_ms: i64,
) -> Result<bool, ApiError> {
    let args = [
        text(a_id),
        text(b_id),
        text(relation.bond.as_str()),
        num(i64::from(relation.a_blocks)),
        num(i64::from(relation.b_blocks)),
        num(version),
        num(now_ms),
    ];
    let changed = if version == 0 {
        run(
            db,
            "INSERT INTO chat_contacts (a_id, b_id, bond, a_blocks, b_blocks, version, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6 + 1, ?7) ON CONFLICT (a_id, b_id) DO NOTHING",
            &args,
        )
        .await?
    } else {
        run(
            db,
            "UPDATE chat_contacts SET bond = ?3, a_blocks = ?4, b_blocks = ?5, version = ?6 + 1, updated_at = ?7 \
             WHERE a_id = ?1 AND b_id = ?2 AND version = ?6",
            &args,
        )
        .await?
    };
    Ok(changed == 1)
}

/// One of a person's pairs: the other person and the relation.
#[derive(Deserialize)]
pub struct PairRow {
    pub a_id: String,
    pub other_username: String,
    pub other_display_name: String,
    pub bond: String,
    pub a_blocks: i64,
    pub b_blocks: i64,
}

impl PairRow {
    pub fn relation(&self) -> Relation {
        Relation {
            bond: Bond::parse(&self.bond).unwrap_or_default(),
            a_blocks: self.a_blocks != 0,
            b_blocks: self.b_blocks != 0,
        }
    }
}

/// Every pair `user_id` is in (with the other person's names).
pub async fn pairs_of(db: &D1Database, user_id: &str) -> Result<Vec<PairRow>, ApiError> {
    all(
        db,
        "SELECT c.a_id, u.username AS other_username, u.display_name AS other_display_name, \
                c.bond, c.a_blocks, c.b_blocks \
         FROM chat_contacts c JOIN auth_users u ON u.id = CASE WHEN c.a_id = ?1 THEN c.b_id ELSE c.a_id END \
         WHERE c.a_id = ?1 OR c.b_id = ?1",
        &[text(user_id)],
    )
    .await
}

#[derive(Deserialize)]
struct SettingsRow {
    shows_last_seen: i64,
    sends_read_receipts: i64,
}

pub async fn settings(db: &D1Database, user_id: &str) -> Result<ChatSettings, ApiError> {
    let row: Option<SettingsRow> = first(
        db,
        "SELECT shows_last_seen, sends_read_receipts FROM chat_settings WHERE user_id = ?1",
        &[text(user_id)],
    )
    .await?;
    Ok(row.map_or_else(ChatSettings::default, |r| ChatSettings {
        shows_last_seen: r.shows_last_seen != 0,
        sends_read_receipts: r.sends_read_receipts != 0,
    }))
}

pub async fn put_settings(db: &D1Database, user_id: &str, settings: ChatSettings) -> Result<(), ApiError> {
    run(
        db,
        "INSERT INTO chat_settings (user_id, shows_last_seen, sends_read_receipts) VALUES (?1, ?2, ?3) \
         ON CONFLICT (user_id) DO UPDATE SET shows_last_seen = excluded.shows_last_seen, \
         sends_read_receipts = excluded.sends_read_receipts",
        &[
            text(user_id),
            num(i64::from(settings.shows_last_seen)),
            num(i64::from(settings.sends_read_receipts)),
        ],
    )
    .await
    .map(drop)
}
