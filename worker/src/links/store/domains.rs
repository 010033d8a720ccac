//! `links_domains`: custom short domains and who holds them.

use crate::d1::{all, count, first, num, run, text};
use serde::Deserialize;
use shared::ApiError;
use worker::D1Database;

#[derive(Deserialize)]
pub struct DomainRow {
    pub hostname: String,
    pub created_at: i64,
}

pub async fn get(db: &D1Database, hostname: &str) -> Result<Option<DomainRow>, ApiError> {
    first(db, "SELECT hostname, created_at FROM links_domains WHERE hostname = ?1", &[text(hostname)]).await
}

/// The domain if `user_id` holds it.
pub async fn owned(db: &D1Database, hostname: &str, user_id: &str) -> Result<Option<DomainRow>, ApiError> {
    first(
        db,
        "SELECT hostname, created_at FROM links_domains WHERE hostname = ?1 AND user_id = ?2",
        &[text(hostname), text(user_id)],
    )
    .await
}

pub async fn count_of(db: &D1Database, user_id: &str) -> Result<i64, ApiError> {
    count(db, "SELECT COUNT(*) AS n FROM links_domains WHERE user_id = ?1", &[text(user_id)]).await
}

/// Registers the domain unless someone holds it already; whether it did.
pub async fn insert(db: &D1Database, hostname: &str, user_id: &str, now_ms: i64) -> Result<bool, ApiError> {
    let inserted = run(
        db,
        "INSERT OR IGNORE INTO links_domains (hostname, user_id, created_at) VALUES (?1, ?2, ?3)",
        &[text(hostname), text(user_id), num(now_ms)],
    )
    .await?;
    Ok(inserted > 0)
}

/// The user's domains, by name.
pub async fn list(db: &D1Database, user_id: &str) -> Result<Vec<DomainRow>, ApiError> {
    all(
        db,
        "SELECT hostname, created_at FROM links_domains WHERE user_id = ?1 ORDER BY hostname",
        &[text(user_id)],
    )
    .await
}

/// How many links live on the domain.
pub async fn links_on(db: &D1Database, hostname: &str) -> Result<i64, ApiError> {
    count(db, "SELECT COUNT(*) AS n FROM links WHERE domain = ?1", &[text(hostname)]).await
}

pub async fn remove(db: &D1Database, hostname: &str) -> Result<(), ApiError> {
    run(db, "DELETE FROM links_domains WHERE hostname = ?1", &[text(hostname)]).await.map(drop)
}
