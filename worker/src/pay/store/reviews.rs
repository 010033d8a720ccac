//! `pay_reviews`: payments the fraud rules held for the merchant's review.

use crate::d1::{all, count, first, num, prepare, run_prepared, text};
use serde::Deserialize;
use shared::{pay::fraud::ReviewStatus, ApiError};
use worker::{D1Database, D1PreparedStatement};

#[derive(Deserialize)]
pub struct ReviewRow {
    pub payment_id: String,
    /// JSON: [shared::pay::fraud::Flag].
    pub flags: String,
    pub status: ReviewStatus,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

/// Holds a payment for review, if it was stored (in the batch that stores it).
pub fn hold(
    db: &D1Database,
    payment_id: &str,
    merchant_id: &str,
    flags_json: &str,
    now_ms: i64,
) -> Result<D1PreparedStatement, ApiError> {
    prepare(
        db,
        "INSERT INTO pay_reviews (payment_id, merchant_id, flags, status, created_at) \
         SELECT ?1, ?2, ?3, ?5, ?4 WHERE EXISTS (SELECT 1 FROM pay_payments WHERE id = ?1)",
        &[
            text(payment_id),
            text(merchant_id),
            text(flags_json),
            num(now_ms),
            text(ReviewStatus::Pending.as_str()),
        ],
    )
}

/// Whether the payment waits in the review queue.
pub async fn is_pending(db: &D1Database, payment_id: &str) -> Result<bool, ApiError> {
    let n = count(
        db,
        "SELECT COUNT(*) AS n FROM pay_reviews WHERE payment_id = ?1 AND status = ?2",
        &[text(payment_id), text(ReviewStatus::Pending.as_str())],
    )
    .await?;
    Ok(n > 0)
}

/// The merchant's newest 100 reviews in `status`.
pub async fn list(
    db: &D1Database,
    merchant_id: &str,
    status: ReviewStatus,
) -> Result<Vec<ReviewRow>, ApiError> {
    all(
        db,
        "SELECT * FROM pay_reviews WHERE merchant_id = ?1 AND status = ?2 ORDER BY created_at DESC LIMIT 100",
        &[text(merchant_id), text(status.as_str())],
    )
    .await
}

pub async fn get(
    db: &D1Database,
    merchant_id: &str,
    payment_id: &str,
) -> Result<Option<ReviewRow>, ApiError> {
    first(
        db,
        "SELECT * FROM pay_reviews WHERE payment_id = ?1 AND merchant_id = ?2",
        &[text(payment_id), text(merchant_id)],
    )
    .await
}

/// Decides a pending review as `to`; whether this call decided it.
pub async fn decide(
    db: &D1Database,
    payment_id: &str,
    to: ReviewStatus,
    now_ms: i64,
) -> Result<bool, ApiError> {
    let claimed = run_prepared(decide_statement(db, payment_id, to, now_ms)?, "deciding a review").await?;
    Ok(claimed > 0)
}

pub fn decide_statement(
    db: &D1Database,
    payment_id: &str,
    to: ReviewStatus,
    now_ms: i64,
) -> Result<D1PreparedStatement, ApiError> {
    prepare(
        db,
        "UPDATE pay_reviews SET status = ?2, decided_at = ?3 WHERE payment_id = ?1 AND status = ?4",
        &[text(payment_id), text(to.as_str()), num(now_ms), text(ReviewStatus::Pending.as_str())],
    )
}
