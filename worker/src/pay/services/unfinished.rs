//! Payments nobody finished: authorized payments nobody captured within their order's window
//! are released — refunded in full, as Razorpay's auto-refund does — and payments abandoned at
//! the OTP step fail. Both are jobs of Pay's entry in the product list; `now_ms` is the Cron
//! Trigger's scheduled time.

use super::runtime::digits;
use crate::{
    http::OrInternal,
    password::random,
    pay::store::{self, payments::PaymentRow, refunds::NewRefundRow, run_batch},
};
use serde_json::json;
use shared::pay::{
    error::RazorpayErrorCode,
    ids::RefundId,
    payment::{PaymentEvent, PaymentStatus, RefundStatus},
    RazorpayError,
};
use worker::{D1Database, Env};

/// Payments released per run (the rest wait for the next minute).
const BATCH: i64 = 100;
/// A payment waiting for its OTP this long has been abandoned.
pub const OTP_TIMEOUT_MS: i64 = 15 * 60_000;

/// Releases an authorized, uncaptured payment: refunded in full with a refund entity, and no
/// ledger postings since nothing was captured. False when it is no longer authorized (a
/// capture won the race).
pub async fn release_payment(
    db: &D1Database,
    payment: &PaymentRow,
    now_ms: i64,
    reason: &str,
) -> Result<bool, RazorpayError> {
    // Checked by the state machine; the UPDATE re-checks against a racing capture.
    let after = PaymentStatus::Authorized.apply(PaymentEvent::ReleaseUncaptured)?;
    let refund_id = RefundId::new(now_ms, random::<8>()?);
    let arn = digits(12)?;
    let notes = json!({"reason": reason}).as_object().cloned().unwrap_or_default();
    let row = NewRefundRow {
        id: refund_id.as_str(),
        merchant_id: &payment.merchant_id,
        payment_id: &payment.id,
        amount: payment.amount,
        currency: &payment.currency,
        status: RefundStatus::Processed,
        notes: &notes,
        receipt: None,
        speed_requested: "normal",
        speed_processed: "normal",
        arn: &arn,
        now_ms,
    };
    let changes = run_batch(db, store::refunds::release(db, &row, after)?, "release").await?;
    Ok(changes.first() == Some(&1))
}

/// Authorized payments past their capture window are released (at most `BATCH` a run).
pub async fn release_due(env: &Env, now_ms: i64) -> Result<usize, RazorpayError> {
    let db = env.d1("DB").internal("D1 binding")?;
    let mut released = 0;
    for payment in &store::payments::due_for_release(&db, now_ms, BATCH).await? {
        if release_payment(&db, payment, now_ms, "not captured in time").await? {
            released += 1;
        }
    }
    Ok(released)
}

/// Payments left at the OTP step fail.
pub async fn time_out_abandoned(env: &Env, now_ms: i64) -> Result<usize, RazorpayError> {
    let db = env.d1("DB").internal("D1 binding")?;
    let failure = store::payments::Decline {
        code: RazorpayErrorCode::BadRequestError,
        description: "Payment was not completed on time.",
        source: "customer",
        step: "payment_authentication",
        reason: "payment_timed_out",
    };
    Ok(store::payments::fail_waiting_since(&db, now_ms - OTP_TIMEOUT_MS, &failure).await?)
}
