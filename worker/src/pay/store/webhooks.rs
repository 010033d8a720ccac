//! `pay_webhooks` (endpoints), `pay_events`, `pay_deliveries` (one per event and subscribed
//! webhook) and `pay_delivery_attempts`.

use super::run_batch;
use crate::d1::{all, count, first, num, opt_num, opt_text, prepare, run, run_prepared, text};
use serde::Deserialize;
use shared::{pay::webhook::DeliveryStatus, ApiError};
use worker::{D1Database, D1PreparedStatement};

#[derive(Deserialize)]
pub struct WebhookRow {
    pub id: String,
    pub url: String,
    /// JSON list of event names.
    pub events: String,
    pub active: i64,
    pub created_at: i64,
}

impl WebhookRow {
    pub fn events(&self) -> Vec<String> {
        serde_json::from_str(&self.events).unwrap_or_default()
    }
}

pub async fn count_of(db: &D1Database, merchant_id: &str) -> Result<i64, ApiError> {
    count(db, "SELECT COUNT(*) AS n FROM pay_webhooks WHERE merchant_id = ?1", &[text(merchant_id)]).await
}

/// Whether the merchant has the webhook `id`.
pub async fn is_owned(db: &D1Database, merchant_id: &str, id: &str) -> Result<bool, ApiError> {
    let n = count(
        db,
        "SELECT COUNT(*) AS n FROM pay_webhooks WHERE id = ?1 AND merchant_id = ?2",
        &[text(id), text(merchant_id)],
    )
    .await?;
    Ok(n > 0)
}

pub struct NewWebhookRow<'a> {
    pub id: &'a str,
    pub merchant_id: &'a str,
    pub url: &'a str,
    pub secret: &'a str,
    /// JSON list of event names.
    pub events: &'a str,
    pub now_ms: i64,
}

pub async fn insert(db: &D1Database, hook: &NewWebhookRow<'_>) -> Result<(), ApiError> {
    run_prepared(insert_statement(db, hook)?, "inserting a webhook").await.map(drop)
}

pub fn insert_statement(db: &D1Database, hook: &NewWebhookRow<'_>) -> Result<D1PreparedStatement, ApiError> {
    prepare(
        db,
        "INSERT INTO pay_webhooks (id, merchant_id, url, secret, events, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        &[
            text(hook.id),
            text(hook.merchant_id),
            text(hook.url),
            text(hook.secret),
            text(hook.events),
            num(hook.now_ms),
        ],
    )
}

/// The merchant's webhooks, newest first.
pub async fn list(db: &D1Database, merchant_id: &str) -> Result<Vec<WebhookRow>, ApiError> {
    all(
        db,
        "SELECT * FROM pay_webhooks WHERE merchant_id = ?1 ORDER BY created_at DESC, id DESC",
        &[text(merchant_id)],
    )
    .await
}

pub async fn active(db: &D1Database, merchant_id: &str) -> Result<Vec<WebhookRow>, ApiError> {
    all(db, "SELECT * FROM pay_webhooks WHERE merchant_id = ?1 AND active = 1", &[text(merchant_id)]).await
}

/// Whether the merchant's webhook was removed.
pub async fn remove(db: &D1Database, merchant_id: &str, id: &str) -> Result<bool, ApiError> {
    let changed = run(
        db,
        "DELETE FROM pay_webhooks WHERE id = ?1 AND merchant_id = ?2",
        &[text(id), text(merchant_id)],
    )
    .await?;
    Ok(changed > 0)
}

/// An event and its deliveries, stored in one transaction: (delivery id, webhook id) each,
/// `pending` and due at once.
pub async fn store_event(
    db: &D1Database,
    event_id: &str,
    merchant_id: &str,
    event: &str,
    body: &str,
    deliveries: &[(String, String)],
    now_ms: i64,
) -> Result<(), ApiError> {
    let statements = store_event_statements(db, event_id, merchant_id, event, body, deliveries, now_ms)?;
    run_batch(db, statements, "storing an event").await.map(drop)
}

/// The statements of [`store_event`], for a caller that batches them with others.
pub fn store_event_statements(
    db: &D1Database,
    event_id: &str,
    merchant_id: &str,
    event: &str,
    body: &str,
    deliveries: &[(String, String)],
    now_ms: i64,
) -> Result<Vec<D1PreparedStatement>, ApiError> {
    let mut statements = vec![prepare(
        db,
        "INSERT INTO pay_events (id, merchant_id, event, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        &[text(event_id), text(merchant_id), text(event), text(body), num(now_ms)],
    )?];
    for (delivery_id, webhook_id) in deliveries {
        statements.push(prepare(
            db,
            "INSERT INTO pay_deliveries (id, event_id, webhook_id, merchant_id, status, next_attempt_at, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?6, ?5, ?5)",
            &[
                text(delivery_id),
                text(event_id),
                text(webhook_id),
                text(merchant_id),
                num(now_ms),
                text(DeliveryStatus::Pending.as_str()),
            ],
        )?);
    }
    Ok(statements)
}

#[derive(Deserialize)]
pub struct DeliveryRow {
    pub id: String,
    pub event_id: String,
    pub event: String,
    pub status: DeliveryStatus,
    pub next_attempt_at: Option<i64>,
    pub created_at: i64,
    pub delivered_at: Option<i64>,
}

#[derive(Deserialize)]
pub struct AttemptRow {
    pub delivery_id: String,
    pub attempt: i64,
    pub at: i64,
    pub status_code: Option<i64>,
    pub error: Option<String>,
    pub duration_ms: Option<i64>,
}

/// The newest 50 deliveries of a webhook.
pub async fn deliveries(db: &D1Database, webhook_id: &str) -> Result<Vec<DeliveryRow>, ApiError> {
    all(
        db,
        "SELECT d.id, d.event_id, e.event, d.status, d.next_attempt_at, d.created_at, d.delivered_at \
         FROM pay_deliveries d JOIN pay_events e ON e.id = d.event_id \
         WHERE d.webhook_id = ?1 ORDER BY d.created_at DESC, d.id DESC LIMIT 50",
        &[text(webhook_id)],
    )
    .await
}

/// Every attempt of a webhook's deliveries, in order.
pub async fn attempts(db: &D1Database, webhook_id: &str) -> Result<Vec<AttemptRow>, ApiError> {
    all(
        db,
        "SELECT a.* FROM pay_delivery_attempts a JOIN pay_deliveries d ON d.id = a.delivery_id \
         WHERE d.webhook_id = ?1 ORDER BY a.attempt",
        &[text(webhook_id)],
    )
    .await
}

/// Claims the next attempt of a pending delivery due at `now_ms` with a lease until
/// `lease_until`, so two runs never send it twice; whether this call claimed it.
pub async fn claim_attempt(
    db: &D1Database,
    id: &str,
    now_ms: i64,
    lease_until: i64,
) -> Result<bool, ApiError> {
    let claimed =
        run_prepared(claim_attempt_statement(db, id, now_ms, lease_until)?, "claiming an attempt").await?;
    Ok(claimed > 0)
}

pub fn claim_attempt_statement(
    db: &D1Database,
    id: &str,
    now_ms: i64,
    lease_until: i64,
) -> Result<D1PreparedStatement, ApiError> {
    prepare(
        db,
        "UPDATE pay_deliveries SET attempts = attempts + 1, next_attempt_at = ?3 \
         WHERE id = ?1 AND status = ?4 AND next_attempt_at <= ?2",
        &[text(id), num(now_ms), num(lease_until), text(DeliveryStatus::Pending.as_str())],
    )
}

/// A claimed delivery with what sending it needs.
#[derive(Deserialize)]
pub struct Sendable {
    pub id: String,
    pub event_id: String,
    pub attempts: i64,
    pub created_at: i64,
    pub url: String,
    pub secret: String,
    pub body: String,
}

pub async fn sendable(db: &D1Database, id: &str) -> Result<Option<Sendable>, ApiError> {
    first(
        db,
        "SELECT d.id, d.event_id, d.attempts, d.created_at, w.url, w.secret, e.body FROM pay_deliveries d \
         JOIN pay_webhooks w ON w.id = d.webhook_id JOIN pay_events e ON e.id = d.event_id WHERE d.id = ?1",
        &[text(id)],
    )
    .await
}

/// One attempt's outcome.
pub struct AttemptOutcome<'a> {
    pub status_code: Option<i64>,
    pub error: Option<&'a str>,
    pub duration_ms: i64,
    pub status: DeliveryStatus,
    pub next_attempt_at: Option<i64>,
    pub delivered_at: Option<i64>,
}

/// Logs attempt number `attempt` and moves the delivery on, in one transaction.
pub async fn record_attempt(
    db: &D1Database,
    delivery_id: &str,
    attempt: i64,
    now_ms: i64,
    outcome: &AttemptOutcome<'_>,
) -> Result<(), ApiError> {
    let statements = record_attempt_statements(db, delivery_id, attempt, now_ms, outcome)?;
    run_batch(db, statements, "recording an attempt").await.map(drop)
}

/// The statements of [`record_attempt`], for a caller that batches them with others.
pub fn record_attempt_statements(
    db: &D1Database,
    delivery_id: &str,
    attempt: i64,
    now_ms: i64,
    outcome: &AttemptOutcome<'_>,
) -> Result<Vec<D1PreparedStatement>, ApiError> {
    let log = prepare(
        db,
        "INSERT OR REPLACE INTO pay_delivery_attempts (delivery_id, attempt, at, status_code, error, duration_ms) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        &[
            text(delivery_id),
            num(attempt),
            num(now_ms),
            opt_num(outcome.status_code),
            opt_text(outcome.error),
            num(outcome.duration_ms),
        ],
    )?;
    let update = prepare(
        db,
        "UPDATE pay_deliveries SET status = ?2, next_attempt_at = ?3, delivered_at = ?4 WHERE id = ?1",
        &[
            text(delivery_id),
            text(outcome.status.as_str()),
            opt_num(outcome.next_attempt_at),
            opt_num(outcome.delivered_at),
        ],
    )?;
    Ok(vec![log, update])
}

/// Pending deliveries due at `now_ms`, oldest first (at most 50).
pub async fn due(db: &D1Database, now_ms: i64) -> Result<Vec<String>, ApiError> {
    #[derive(Deserialize)]
    struct Due {
        id: String,
    }
    let due: Vec<Due> = all(
        db,
        "SELECT id FROM pay_deliveries WHERE status = ?2 AND next_attempt_at <= ?1 ORDER BY next_attempt_at LIMIT 50",
        &[num(now_ms), text(DeliveryStatus::Pending.as_str())],
    )
    .await?;
    Ok(due.into_iter().map(|d| d.id).collect())
}
