//! `pay_subscriptions` and `pay_subscription_instruments` (the instrument of each authorization
//! attempt, until the bank approves one).

use super::{merchant_page, plans::PlanRow, Owner};
use crate::d1::{all, first, num, opt_num, opt_text, prepare, run, run_prepared, text};
use serde::Deserialize;
use shared::{
    pay::{
        attempt::SavedInstrument,
        entity::{unix_seconds, Subscription},
        list::ListQuery,
        subscription::{AfterCharge, Billing, SubStatus},
    },
    ApiError,
};
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

#[derive(Deserialize, Clone)]
pub struct SubscriptionRow {
    pub id: String,
    pub merchant_id: String,
    pub key_id: String,
    pub plan_id: String,
    pub customer_id: Option<String>,
    pub status: SubStatus,
    pub quantity: i64,
    pub total_count: i64,
    pub paid_count: i64,
    pub auth_attempts: i64,
    pub failed_attempts: i64,
    pub customer_notify: i64,
    pub notes: String,
    pub start_at: Option<i64>,
    pub requested_start: Option<i64>,
    pub charge_at: Option<i64>,
    pub current_start: Option<i64>,
    pub current_end: Option<i64>,
    pub ended_at: Option<i64>,
    pub cancel_at: Option<i64>,
    pub expire_by: i64,
    pub instrument: Option<String>,
    pub short_url: String,
    pub created_at: i64,
}

impl SubscriptionRow {
    pub fn billing(&self, plan: &PlanRow) -> Billing {
        Billing {
            status: self.status,
            period: plan.period,
            interval: plan.interval,
            total_count: self.total_count,
            paid_count: self.paid_count,
            start_at: self.start_at.unwrap_or(self.created_at),
            failed_attempts: self.failed_attempts,
        }
    }

    /// The instrument the authorization saved.
    pub fn saved(&self) -> Option<SavedInstrument> {
        self.instrument.as_deref().and_then(|json| serde_json::from_str(json).ok())
    }

    pub fn entity(&self, plan: Option<&PlanRow>) -> Subscription {
        let end_at = plan.filter(|_| self.start_at.is_some()).map(|p| unix_seconds(self.billing(p).end_at()));
        Subscription {
            id: self.id.clone(),
            entity: "subscription".into(),
            plan_id: self.plan_id.clone(),
            customer_id: self.customer_id.clone(),
            status: self.status,
            current_start: self.current_start.map(unix_seconds),
            current_end: self.current_end.map(unix_seconds),
            ended_at: self.ended_at.map(unix_seconds),
            quantity: self.quantity,
            notes: serde_json::from_str(&self.notes).unwrap_or_default(),
            charge_at: self.charge_at.map(unix_seconds),
            start_at: self.start_at.or(self.requested_start).map(unix_seconds),
            end_at,
            auth_attempts: self.auth_attempts,
            total_count: self.total_count,
            paid_count: self.paid_count,
            customer_notify: self.customer_notify != 0,
            created_at: unix_seconds(self.created_at),
            expire_by: Some(unix_seconds(self.expire_by)),
            short_url: self.short_url.clone(),
            has_scheduled_changes: self.cancel_at.is_some(),
            change_scheduled_at: self.cancel_at.map(unix_seconds),
            source: "api".into(),
            payment_method: self.saved().map(|s| s.method.as_str().to_owned()),
            offer_id: None,
            remaining_count: self.total_count - self.paid_count,
        }
    }
}

/// The statuses in which the schedule charges, bound as `?`s.
fn billing_statuses() -> [JsValue; 3] {
    [SubStatus::Authenticated, SubStatus::Active, SubStatus::Pending].map(|s| text(s.as_str()))
}

pub async fn get(db: &D1Database, merchant_id: &str, id: &str) -> Result<Option<SubscriptionRow>, ApiError> {
    first(
        db,
        "SELECT * FROM pay_subscriptions WHERE id = ?1 AND merchant_id = ?2",
        &[text(id), text(merchant_id)],
    )
    .await
}

pub async fn page(
    db: &D1Database,
    merchant_id: &str,
    query: &ListQuery,
) -> Result<Vec<SubscriptionRow>, ApiError> {
    merchant_page(db, "pay_subscriptions", merchant_id, query).await
}

/// Any merchant's subscription's owner: its authorization page is public by id.
pub async fn owner(db: &D1Database, id: &str) -> Result<Option<Owner>, ApiError> {
    super::owner(db, "pay_subscriptions", id).await
}

/// A new subscription, `created`.
pub struct NewSubscriptionRow<'a> {
    pub id: &'a str,
    pub merchant_id: &'a str,
    pub key_id: &'a str,
    pub plan_id: &'a str,
    pub customer_id: Option<&'a str>,
    pub quantity: i64,
    pub total_count: i64,
    pub customer_notify: bool,
    /// JSON of its notes.
    pub notes: &'a str,
    pub requested_start: Option<i64>,
    pub expire_by: i64,
    pub short_url: &'a str,
    pub now_ms: i64,
}

pub async fn insert(db: &D1Database, sub: &NewSubscriptionRow<'_>) -> Result<(), ApiError> {
    run_prepared(insert_statement(db, sub)?, "inserting a subscription").await.map(drop)
}

pub fn insert_statement(
    db: &D1Database,
    sub: &NewSubscriptionRow<'_>,
) -> Result<D1PreparedStatement, ApiError> {
    prepare(
        db,
        "INSERT INTO pay_subscriptions (id, merchant_id, key_id, plan_id, customer_id, status, quantity, total_count, \
           customer_notify, notes, requested_start, expire_by, short_url, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?14, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        &[
            text(sub.id),
            text(sub.merchant_id),
            text(sub.key_id),
            text(sub.plan_id),
            opt_text(sub.customer_id),
            num(sub.quantity),
            num(sub.total_count),
            num(i64::from(sub.customer_notify)),
            text(sub.notes),
            opt_num(sub.requested_start),
            num(sub.expire_by),
            text(sub.short_url),
            num(sub.now_ms),
            text(SubStatus::Created.as_str()),
        ],
    )
}

/// Cancels at `at` (the end of the paid cycle) instead of now.
pub async fn cancel_at(db: &D1Database, id: &str, merchant_id: &str, at: i64) -> Result<(), ApiError> {
    run(
        db,
        "UPDATE pay_subscriptions SET cancel_at = ?3 WHERE id = ?1 AND merchant_id = ?2",
        &[text(id), text(merchant_id), num(at)],
    )
    .await
    .map(drop)
}

/// Cancels the merchant's subscription now, only while it is still `from` (when given); whether it did.
pub async fn cancel_now(
    db: &D1Database,
    id: &str,
    merchant_id: &str,
    from: Option<SubStatus>,
    now_ms: i64,
) -> Result<bool, ApiError> {
    let changed =
        run_prepared(cancel_now_statement(db, id, merchant_id, from, now_ms)?, "cancelling a subscription")
            .await?;
    Ok(changed == 1)
}

pub fn cancel_now_statement(
    db: &D1Database,
    id: &str,
    merchant_id: &str,
    from: Option<SubStatus>,
    now_ms: i64,
) -> Result<D1PreparedStatement, ApiError> {
    prepare(
        db,
        "UPDATE pay_subscriptions SET status = ?2, ended_at = ?3, charge_at = NULL, cancel_at = NULL \
         WHERE id = ?1 AND merchant_id = ?5 AND (?4 IS NULL OR status = ?4)",
        &[
            text(id),
            text(SubStatus::Cancelled.as_str()),
            num(now_ms),
            opt_text(from.map(SubStatus::as_str)),
            text(merchant_id),
        ],
    )
}

/// Moves the merchant's subscription from `from` to `to` (pause, resume); whether it did.
pub async fn set_status(
    db: &D1Database,
    id: &str,
    merchant_id: &str,
    from: SubStatus,
    to: SubStatus,
    charge_at: Option<i64>,
) -> Result<bool, ApiError> {
    let changed = run(
        db,
        "UPDATE pay_subscriptions SET status = ?3, charge_at = ?4 WHERE id = ?1 AND merchant_id = ?2 AND status = ?5",
        &[text(id), text(merchant_id), text(to.as_str()), opt_num(charge_at), text(from.as_str())],
    )
    .await?;
    Ok(changed == 1)
}

pub async fn count_auth_attempt(db: &D1Database, id: &str) -> Result<(), ApiError> {
    run_prepared(count_auth_attempt_statement(db, id)?, "counting an authorization").await.map(drop)
}

pub fn count_auth_attempt_statement(db: &D1Database, id: &str) -> Result<D1PreparedStatement, ApiError> {
    prepare(db, "UPDATE pay_subscriptions SET auth_attempts = auth_attempts + 1 WHERE id = ?1", &[text(id)])
}

/// Keeps the instrument of an authorization attempt that may still be approved.
pub async fn remember_instrument(
    db: &D1Database,
    sub_id: &str,
    payment_id: &str,
    saved: &SavedInstrument,
    now_ms: i64,
) -> Result<(), ApiError> {
    let statement = remember_instrument_statement(db, sub_id, payment_id, saved, now_ms)?;
    run_prepared(statement, "keeping an instrument").await.map(drop)
}

pub fn remember_instrument_statement(
    db: &D1Database,
    sub_id: &str,
    payment_id: &str,
    saved: &SavedInstrument,
    now_ms: i64,
) -> Result<D1PreparedStatement, ApiError> {
    prepare(
        db,
        "INSERT OR REPLACE INTO pay_subscription_instruments (payment_id, subscription_id, instrument, created_at) \
         VALUES (?1, ?2, ?3, ?4)",
        &[text(payment_id), text(sub_id), text(&serde_json::to_string(saved).unwrap_or_default()), num(now_ms)],
    )
}

/// The JSON of the instrument kept for an authorization attempt.
pub async fn kept_instrument(
    db: &D1Database,
    sub_id: &str,
    payment_id: &str,
) -> Result<Option<String>, ApiError> {
    #[derive(Deserialize)]
    struct Kept {
        instrument: String,
    }
    let kept: Option<Kept> = first(
        db,
        "SELECT instrument FROM pay_subscription_instruments WHERE payment_id = ?1 AND subscription_id = ?2",
        &[text(payment_id), text(sub_id)],
    )
    .await?;
    Ok(kept.map(|k| k.instrument))
}

/// What an approved authorization makes of a `created` subscription.
pub struct Authorized<'a> {
    pub status: SubStatus,
    pub start_at: i64,
    pub charge_at: Option<i64>,
    pub paid_count: i64,
    pub current: Option<(i64, i64)>,
    pub ended_at: Option<i64>,
    /// JSON of the saved instrument.
    pub instrument: Option<&'a str>,
}

/// Authorizes a subscription that is still `created`; whether this call did.
pub async fn authorize(db: &D1Database, id: &str, to: &Authorized<'_>) -> Result<bool, ApiError> {
    let changed = run_prepared(authorize_statement(db, id, to)?, "authorizing a subscription").await?;
    Ok(changed == 1)
}

pub fn authorize_statement(
    db: &D1Database,
    id: &str,
    to: &Authorized<'_>,
) -> Result<D1PreparedStatement, ApiError> {
    prepare(
        db,
        "UPDATE pay_subscriptions SET status = ?2, start_at = ?3, charge_at = ?4, paid_count = ?5, current_start = ?6, \
           current_end = ?7, failed_attempts = 0, ended_at = ?8, instrument = ?9 WHERE id = ?1 AND status = ?10",
        &[
            text(id),
            text(to.status.as_str()),
            num(to.start_at),
            opt_num(to.charge_at),
            num(to.paid_count),
            opt_num(to.current.map(|c| c.0)),
            opt_num(to.current.map(|c| c.1)),
            opt_num(to.ended_at),
            opt_text(to.instrument),
            text(SubStatus::Created.as_str()),
        ],
    )
}

/// Subscriptions never authorized by their `expire_by` (at most 100).
pub async fn unauthorized_past_expiry(
    db: &D1Database,
    now_ms: i64,
) -> Result<Vec<SubscriptionRow>, ApiError> {
    all(
        db,
        "SELECT * FROM pay_subscriptions WHERE status = ?2 AND expire_by <= ?1 LIMIT 100",
        &[num(now_ms), text(SubStatus::Created.as_str())],
    )
    .await
}

/// Expires a subscription still `created`; whether this call did.
pub async fn expire(db: &D1Database, id: &str, now_ms: i64) -> Result<bool, ApiError> {
    let changed = run(
        db,
        "UPDATE pay_subscriptions SET status = ?3, ended_at = ?2 WHERE id = ?1 AND status = ?4",
        &[text(id), num(now_ms), text(SubStatus::Expired.as_str()), text(SubStatus::Created.as_str())],
    )
    .await?;
    Ok(changed == 1)
}

/// Billing subscriptions whose charge is due, soonest first (at most 50).
pub async fn due(db: &D1Database, now_ms: i64) -> Result<Vec<SubscriptionRow>, ApiError> {
    let [a, b, c] = billing_statuses();
    all(
        db,
        "SELECT * FROM pay_subscriptions WHERE status IN (?2, ?3, ?4) AND charge_at <= ?1 ORDER BY charge_at LIMIT 50",
        &[num(now_ms), a, b, c],
    )
    .await
}

/// Claims a due charge (moves `charge_at` to `until`), so two runs never charge one cycle
/// twice; whether this call claimed it.
pub async fn claim_charge(
    db: &D1Database,
    id: &str,
    charge_at: Option<i64>,
    until: i64,
) -> Result<bool, ApiError> {
    let [a, b, c] = billing_statuses();
    let claimed = run(
        db,
        "UPDATE pay_subscriptions SET charge_at = ?3 WHERE id = ?1 AND charge_at = ?2 AND status IN (?4, ?5, ?6)",
        &[text(id), opt_num(charge_at), num(until), a, b, c],
    )
    .await?;
    Ok(claimed == 1)
}

/// Records what a charge paid; the schedule moves on only if the subscription is still `was`
/// (nobody paused or cancelled it while it was being charged).
pub async fn record_charge(
    db: &D1Database,
    id: &str,
    was: SubStatus,
    after: &AfterCharge,
    ended_at: Option<i64>,
) -> Result<(), ApiError> {
    run_prepared(record_charge_statement(db, id, was, after, ended_at)?, "recording a charge").await.map(drop)
}

pub fn record_charge_statement(
    db: &D1Database,
    id: &str,
    was: SubStatus,
    after: &AfterCharge,
    ended_at: Option<i64>,
) -> Result<D1PreparedStatement, ApiError> {
    prepare(
        db,
        "UPDATE pay_subscriptions SET paid_count = ?3, failed_attempts = ?4, \
           current_start = COALESCE(?6, current_start), current_end = COALESCE(?7, current_end), \
           charge_at = CASE WHEN status = ?9 THEN ?5 ELSE charge_at END, \
           ended_at = CASE WHEN status = ?9 THEN ?8 ELSE ended_at END, \
           status = CASE WHEN status = ?9 THEN ?2 ELSE status END \
         WHERE id = ?1",
        &[
            text(id),
            text(after.status.as_str()),
            num(after.paid_count),
            num(after.failed_attempts),
            opt_num(after.charge_at),
            opt_num(after.current.map(|c| c.0)),
            opt_num(after.current.map(|c| c.1)),
            opt_num(ended_at),
            text(was.as_str()),
        ],
    )
}
