//! `pay_routing_configs` (each merchant's simulated processors) and `pay_processor_stats`
//! (per-processor outcomes in 5-minute buckets).

use crate::d1::{all, first, num, prepare, run, text};
use serde::Deserialize;
use shared::{pay::routing::Hop, ApiError};
use worker::{D1Database, D1PreparedStatement};

/// The JSON of the merchant's routing configuration, if it set one.
pub async fn config(db: &D1Database, merchant_id: &str) -> Result<Option<String>, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        config: String,
    }
    let row: Option<Row> =
        first(db, "SELECT config FROM pay_routing_configs WHERE merchant_id = ?1", &[text(merchant_id)])
            .await?;
    Ok(row.map(|r| r.config))
}

pub async fn set_config(
    db: &D1Database,
    merchant_id: &str,
    config: &str,
    now_ms: i64,
) -> Result<(), ApiError> {
    run(
        db,
        "INSERT INTO pay_routing_configs (merchant_id, config, updated_at) VALUES (?1, ?2, ?3) \
         ON CONFLICT (merchant_id) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at",
        &[text(merchant_id), text(config), num(now_ms)],
    )
    .await
    .map(drop)
}

pub async fn reset_config(db: &D1Database, merchant_id: &str) -> Result<(), ApiError> {
    run(db, "DELETE FROM pay_routing_configs WHERE merchant_id = ?1", &[text(merchant_id)]).await.map(drop)
}

#[derive(Deserialize)]
pub struct BucketRow {
    pub processor: String,
    pub bucket_start: i64,
    pub attempts: i64,
    pub successes: i64,
    pub latency_total_ms: i64,
}

/// The merchant's buckets of `method` that started after `after_ms`.
pub async fn buckets(
    db: &D1Database,
    merchant_id: &str,
    method: &str,
    after_ms: i64,
) -> Result<Vec<BucketRow>, ApiError> {
    all(
        db,
        "SELECT processor, bucket_start, attempts, successes, latency_total_ms FROM pay_processor_stats \
         WHERE merchant_id = ?1 AND method = ?2 AND bucket_start > ?3",
        &[text(merchant_id), text(method), num(after_ms)],
    )
    .await
}

/// Counts each hop of a routed payment in its processor's bucket.
pub async fn record_hops(
    db: &D1Database,
    merchant_id: &str,
    method: &str,
    bucket_start: i64,
    hops: &[Hop],
) -> Result<(), ApiError> {
    let statements = record_hops_statements(db, merchant_id, method, bucket_start, hops)?;
    if statements.is_empty() {
        return Ok(());
    }
    super::run_batch(db, statements, "routing stats").await.map(drop)
}

/// The statements of [`record_hops`], for a caller that batches them with others.
pub fn record_hops_statements(
    db: &D1Database,
    merchant_id: &str,
    method: &str,
    bucket_start: i64,
    hops: &[Hop],
) -> Result<Vec<D1PreparedStatement>, ApiError> {
    hops
        .iter()
        .map(|hop| {
            prepare(
                db,
                "INSERT INTO pay_processor_stats (merchant_id, processor, method, bucket_start, attempts, successes, latency_total_ms) \
                 VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6) ON CONFLICT (merchant_id, method, processor, bucket_start) DO UPDATE SET \
                 attempts = attempts + 1, successes = successes + excluded.successes, \
                 latency_total_ms = latency_total_ms + excluded.latency_total_ms",
                &[
                    text(merchant_id),
                    text(&hop.processor),
                    text(method),
                    num(bucket_start),
                    num(i64::from(hop.ok)),
                    num(i64::from(hop.latency_ms)),
                ],
            )
        })
        .collect()
}
