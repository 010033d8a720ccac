//! `chat_device_keys`: each device's published public keys.

use crate::d1::{all, num, prepare, run, run_batch, text};
use serde::Deserialize;
use shared::{
    chat::e2ee::keys::{DeviceKeys, PublishKeys},
    time::Timestamp,
    ApiError,
};
use worker::D1Database;

#[derive(Deserialize)]
pub struct KeysRow {
    username: String,
    device_id: String,
    identity_key: String,
    signing_key: String,
    pre_key_id: i64,
    pre_key: String,
    pre_key_signature: String,
    updated_at: i64,
}

impl KeysRow {
    pub fn view(self) -> DeviceKeys {
        DeviceKeys {
            username: self.username,
            device: self.device_id,
            identity_key: self.identity_key,
            signing_key: self.signing_key,
            pre_key_id: u32::try_from(self.pre_key_id).unwrap_or(0),
            pre_key: self.pre_key,
            pre_key_signature: self.pre_key_signature,
            updated_at: Timestamp(self.updated_at).to_rfc3339(),
        }
    }
}

const COLUMNS: &str = "u.username, k.device_id, k.identity_key, k.signing_key, k.pre_key_id, k.pre_key, \
                       k.pre_key_signature, k.updated_at";

/// Publishes a device's keys: a new device is added; a known one keeps its identity and signing
/// keys and takes a newer pre-key. Whether it stood as asked (false: the device's identity
/// differs, or the pre-key is not newer).
pub async fn publish(
    db: &D1Database,
    user_id: &str,
    device: &str,
    keys: &PublishKeys,
    max_devices: i64,
    now_ms: i64,
) -> Result<bool, ApiError> {
    // A new device only while the person has fewer than `max_devices`, counted by the insert
    // itself (two new devices at once cannot both take the last place).
    let changed = run(
        db,
        "INSERT INTO chat_device_keys (user_id, device_id, identity_key, signing_key, pre_key_id, pre_key, \
           pre_key_signature, created_at, updated_at) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8 \
         WHERE EXISTS (SELECT 1 FROM chat_device_keys WHERE user_id = ?1 AND device_id = ?2) \
           OR (SELECT COUNT(*) FROM chat_device_keys WHERE user_id = ?1) < ?9 \
         ON CONFLICT (user_id, device_id) DO UPDATE SET pre_key_id = excluded.pre_key_id, \
           pre_key = excluded.pre_key, pre_key_signature = excluded.pre_key_signature, updated_at = excluded.updated_at \
         WHERE chat_device_keys.identity_key = excluded.identity_key \
           AND chat_device_keys.signing_key = excluded.signing_key \
           AND (chat_device_keys.pre_key_id < excluded.pre_key_id \
             OR (chat_device_keys.pre_key_id = excluded.pre_key_id AND chat_device_keys.pre_key = excluded.pre_key \
                 AND chat_device_keys.pre_key_signature = excluded.pre_key_signature))",
        &[
            text(user_id),
            text(device),
            text(&keys.identity_key),
            text(&keys.signing_key),
            num(i64::from(keys.pre_key_id)),
            text(&keys.pre_key),
            text(&keys.pre_key_signature),
            num(now_ms),
            num(max_devices),
        ],
    )
    .await?;
    Ok(changed == 1)
}

/// A person's devices' keys, oldest device first.
pub async fn of_user(db: &D1Database, user_id: &str) -> Result<Vec<KeysRow>, ApiError> {
    all(
        db,
        &format!(
            "SELECT {COLUMNS} FROM chat_device_keys k JOIN auth_users u ON u.id = k.user_id \
             WHERE k.user_id = ?1 ORDER BY k.created_at, k.device_id LIMIT 20"
        ),
        &[text(user_id)],
    )
    .await
}

pub async fn one(db: &D1Database, user_id: &str, device: &str) -> Result<Option<KeysRow>, ApiError> {
    Ok(all(
        db,
        &format!(
            "SELECT {COLUMNS} FROM chat_device_keys k JOIN auth_users u ON u.id = k.user_id \
             WHERE k.user_id = ?1 AND k.device_id = ?2"
        ),
        &[text(user_id), text(device)],
    )
    .await?
    .into_iter()
    .next())
}

/// Forgets a device, and with it what waits in its to-device inbox (no device will read it);
/// whether it was there.
pub async fn remove(db: &D1Database, user_id: &str, device: &str) -> Result<bool, ApiError> {
    let statements = vec![
        prepare(
            db,
            "DELETE FROM chat_device_keys WHERE user_id = ?1 AND device_id = ?2",
            &[text(user_id), text(device)],
        )?,
        super::to_device::empty_inbox(db, user_id, device)?,
    ];
    let changed = run_batch(db, statements, "forgetting a device").await?;
    Ok(changed.first() == Some(&1))
}

/// The published devices of the members of a conversation: (user id, device id).
pub async fn of_members(db: &D1Database, conversation_id: &str) -> Result<Vec<(String, String)>, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        user_id: String,
        device_id: String,
    }
    let rows: Vec<Row> = all(
        db,
        "SELECT k.user_id, k.device_id FROM chat_device_keys k \
         JOIN chat_members m ON m.user_id = k.user_id WHERE m.conversation_id = ?1",
        &[text(conversation_id)],
    )
    .await?;
    Ok(rows.into_iter().map(|r| (r.user_id, r.device_id)).collect())
}
