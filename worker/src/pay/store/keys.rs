//! `pay_keys`: merchant key ids (their secrets are derived, never stored).

use crate::d1::{all, count, first, num, prepare, run_prepared, text};
use serde::Deserialize;
use shared::ApiError;
use worker::{D1Database, D1PreparedStatement};

#[derive(Deserialize)]
pub struct KeyRow {
    pub key_id: String,
    pub merchant_id: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

pub async fn get(db: &D1Database, key_id: &str) -> Result<Option<KeyRow>, ApiError> {
    first(db, "SELECT * FROM pay_keys WHERE key_id = ?1", &[text(key_id)]).await
}

/// The merchant's keys, newest first.
pub async fn list(db: &D1Database, merchant_id: &str) -> Result<Vec<KeyRow>, ApiError> {
    all(
        db,
        "SELECT * FROM pay_keys WHERE merchant_id = ?1 ORDER BY created_at DESC, key_id DESC",
        &[text(merchant_id)],
    )
    .await
}

pub async fn count_active(db: &D1Database, merchant_id: &str) -> Result<i64, ApiError> {
    count(
        db,
        "SELECT COUNT(*) AS n FROM pay_keys WHERE merchant_id = ?1 AND revoked_at IS NULL",
        &[text(merchant_id)],
    )
    .await
}

/// The merchant's newest active key id.
pub async fn newest_active(db: &D1Database, merchant_id: &str) -> Result<Option<String>, ApiError> {
    #[derive(Deserialize)]
    struct Key {
        key_id: String,
    }
    let key: Option<Key> = first(
        db,
        "SELECT key_id FROM pay_keys WHERE merchant_id = ?1 AND revoked_at IS NULL ORDER BY created_at DESC LIMIT 1",
        &[text(merchant_id)],
    )
    .await?;
    Ok(key.map(|k| k.key_id))
}

pub async fn insert(db: &D1Database, key_id: &str, merchant_id: &str, now_ms: i64) -> Result<(), ApiError> {
    run_prepared(insert_statement(db, key_id, merchant_id, now_ms)?, "inserting a key").await.map(drop)
}

pub fn insert_statement(
    db: &D1Database,
    key_id: &str,
    merchant_id: &str,
    now_ms: i64,
) -> Result<D1PreparedStatement, ApiError> {
    prepare(
        db,
        "INSERT INTO pay_keys (key_id, merchant_id, created_at) VALUES (?1, ?2, ?3)",
        &[text(key_id), text(merchant_id), num(now_ms)],
    )
}

/// Whether an active key of the merchant was revoked.
pub async fn revoke(db: &D1Database, key_id: &str, merchant_id: &str, now_ms: i64) -> Result<bool, ApiError> {
    let changed = run_prepared(revoke_statement(db, key_id, merchant_id, now_ms)?, "revoking a key").await?;
    Ok(changed == 1)
}

pub fn revoke_statement(
    db: &D1Database,
    key_id: &str,
    merchant_id: &str,
    now_ms: i64,
) -> Result<D1PreparedStatement, ApiError> {
    prepare(
        db,
        "UPDATE pay_keys SET revoked_at = ?3 WHERE key_id = ?1 AND merchant_id = ?2 AND revoked_at IS NULL",
        &[text(key_id), text(merchant_id), num(now_ms)],
    )
}
