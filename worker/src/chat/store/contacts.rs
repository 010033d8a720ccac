//! `chat_contacts` (one row per pair) and `chat_settings`.

use crate::d1::{all, first, num, run, text};
use serde::Deserialize;
use shared::{
    chat::{
        contacts::{Bond, Relation},
        rest::{ChatSettings, GroupAdds, UpdateChatSettings},
    },
    ApiError,
};
use wasm_bindgen::JsValue;
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
    group_adds: String,
}

pub async fn settings(db: &D1Database, user_id: &str) -> Result<ChatSettings, ApiError> {
    let row: Option<SettingsRow> = first(
        db,
        "SELECT shows_last_seen, sends_read_receipts, group_adds FROM chat_settings WHERE user_id = ?1",
        &[text(user_id)],
    )
    .await?;
    Ok(row.map_or_else(ChatSettings::default, |r| ChatSettings {
        shows_last_seen: r.shows_last_seen != 0,
        sends_read_receipts: r.sends_read_receipts != 0,
        group_adds: GroupAdds::parse(&r.group_adds),
    }))
}

#[derive(Deserialize)]
struct PrivateReader {
    user_id: String,
}

/// The members of a conversation who keep their reading private (read receipts off).
pub async fn private_readers(db: &D1Database, conversation_id: &str) -> Result<Vec<String>, ApiError> {
    let rows: Vec<PrivateReader> = all(
        db,
        "SELECT s.user_id FROM chat_settings s JOIN chat_members m ON m.user_id = s.user_id \
         WHERE m.conversation_id = ?1 AND s.sends_read_receipts = 0",
        &[text(conversation_id)],
    )
    .await?;
    Ok(rows.into_iter().map(|r| r.user_id).collect())
}

/// Applies a change in one statement (absent fields keep the stored value), so two changes at
/// once never undo each other; the settings as they are after it.
pub async fn change_settings(
    db: &D1Database,
    user_id: &str,
    change: UpdateChatSettings,
) -> Result<ChatSettings, ApiError> {
    let flag = |v: Option<bool>| v.map_or(JsValue::NULL, |b| num(i64::from(b)));
    let defaults = ChatSettings::default();
    run(
        db,
        "INSERT INTO chat_settings (user_id, shows_last_seen, sends_read_receipts, group_adds) \
         VALUES (?1, COALESCE(?2, ?5), COALESCE(?3, ?6), COALESCE(?4, ?7)) \
         ON CONFLICT (user_id) DO UPDATE SET \
           shows_last_seen = COALESCE(?2, shows_last_seen), \
           sends_read_receipts = COALESCE(?3, sends_read_receipts), \
           group_adds = COALESCE(?4, group_adds)",
        &[
            text(user_id),
            flag(change.shows_last_seen),
            flag(change.sends_read_receipts),
            change.group_adds.map_or(JsValue::NULL, |g| text(g.as_str())),
            num(i64::from(defaults.shows_last_seen)),
            num(i64::from(defaults.sends_read_receipts)),
            text(defaults.group_adds.as_str()),
        ],
    )
    .await?;
    settings(db, user_id).await
}

/// Who among `user_ids` lets only their contacts add them to groups.
pub async fn contacts_only_adders(db: &D1Database, user_ids: &[String]) -> Result<Vec<String>, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        user_id: String,
    }
    let rows: Vec<Row> = all(
        db,
        "SELECT user_id FROM chat_settings WHERE group_adds = 'contacts' \
         AND user_id IN (SELECT value FROM json_each(?1))",
        &[text(&serde_json::to_string(user_ids).unwrap_or_default())],
    )
    .await?;
    Ok(rows.into_iter().map(|r| r.user_id).collect())
}

/// The relations between `me` and each of `others` that has a row, keyed by the other's id.
pub async fn relations_with(
    db: &D1Database,
    me: &str,
    others: &[String],
) -> Result<Vec<(String, Relation)>, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        a_id: String,
        b_id: String,
        bond: String,
        a_blocks: i64,
        b_blocks: i64,
    }
    let rows: Vec<Row> = all(
        db,
        "SELECT a_id, b_id, bond, a_blocks, b_blocks FROM chat_contacts \
         WHERE (a_id = ?1 AND b_id IN (SELECT value FROM json_each(?2))) \
            OR (b_id = ?1 AND a_id IN (SELECT value FROM json_each(?2)))",
        &[text(me), text(&serde_json::to_string(others).unwrap_or_default())],
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let other = if r.a_id == me { r.b_id } else { r.a_id };
            let relation = Relation {
                bond: Bond::parse(&r.bond).unwrap_or_default(),
                a_blocks: r.a_blocks != 0,
                b_blocks: r.b_blocks != 0,
            };
            (other, relation)
        })
        .collect())
}
