//! Payments nobody finished: authorized payments nobody captured within their order's window
//! are released — refunded in full, as Razorpay's auto-refund does — and payments abandoned at
//! the OTP step fail. Both are jobs of Pay's entry in the product list (with expiring payment
//! links, billing subscriptions, settling and retrying webhooks); `now_ms` is the Cron
//! Trigger's scheduled time.

use crate::http::OrInternal;
use crate::{
    d1::{all, num, prepare, run, text},
    password::random,
    pay::store::{insert_where, notes_json, PaymentRow},
};
use serde_json::json;
use shared::pay::{
    ids::RefundId,
    payment::{PaymentEvent, PaymentStatus},
    RazorpayError,
};
use worker::Env;

/// Payments released per run (the rest wait for the next minute).
const BATCH: i64 = 100;
/// A payment waiting for its OTP this long has been abandoned.
pub const OTP_TIMEOUT_MS: i64 = 15 * 60_000;

/// Releases an authorized, uncaptured payment: refunded in full with a refund entity, and no
/// ledger postings since nothing was captured. False when it is no longer authorized (a
/// capture won the race).
pub async fn release_payment(
    db: &worker::D1Database,
    payment: &PaymentRow,
    now_ms: i64,
    reason: &str,
) -> Result<bool, RazorpayError> {
    // Checked by the state machine; the UPDATE below re-checks against a racing capture.
    let after = PaymentStatus::Authorized.apply(PaymentEvent::ReleaseUncaptured)?;
    let refund_id = RefundId::new(now_ms, random::<8>()?);
    let arn = crate::pay::runtime::digits(12)?;
    let release = prepare(
        db,
        "UPDATE pay_payments SET status = ?1, amount_refunded = amount WHERE id = ?2 AND status = 'authorized'",
        &[text(after.as_str()), text(&payment.id)],
    )?;
    let refund = insert_where(
        db,
        "pay_refunds",
        &[
            ("id", text(refund_id.as_str())),
            ("merchant_id", text(&payment.merchant_id)),
            ("payment_id", text(&payment.id)),
            ("amount", num(payment.amount)),
            ("currency", text(&payment.currency)),
            ("status", text("processed")),
            ("notes", text(&notes_json(&json!({"reason": reason}).as_object().cloned().unwrap_or_default()))),
            ("speed_requested", text("normal")),
            ("speed_processed", text("normal")),
            ("arn", text(&arn)),
            ("created_at", num(now_ms)),
            ("processed_at", num(now_ms)),
        ],
        // Only the run that released it refunds it, once.
        "EXISTS (SELECT 1 FROM pay_payments WHERE id = ? AND status = 'refunded' AND captured_at IS NULL) \
         AND NOT EXISTS (SELECT 1 FROM pay_refunds WHERE payment_id = ?)",
        &[text(&payment.id), text(&payment.id)],
    )?;
    let results = db.batch(vec![release, refund]).await.internal("release")?;
    Ok(results.first().and_then(|r| r.meta().ok().flatten()).and_then(|m| m.changes) == Some(1))
}

/// Authorized payments past their capture window are released (at most `BATCH` a run).
pub async fn release_due(env: &Env, now_ms: i64) -> Result<usize, RazorpayError> {
    let db = env.d1("DB").internal("D1 binding")?;
    let due: Vec<PaymentRow> = all(
        &db,
        "SELECT * FROM pay_payments WHERE status = 'authorized' AND capture_deadline <= ?1 \
         ORDER BY capture_deadline LIMIT ?2",
        &[num(now_ms), num(BATCH)],
    )
    .await?;
    let mut released = 0;
    for payment in &due {
        if release_payment(&db, payment, now_ms, "not captured in time").await? {
            released += 1;
        }
    }
    Ok(released)
}

/// Payments left at the OTP step fail.
pub async fn time_out_abandoned(env: &Env, now_ms: i64) -> Result<usize, RazorpayError> {
    let db = env.d1("DB").internal("D1 binding")?;
    Ok(run(
        &db,
        "UPDATE pay_payments SET status = 'failed', error_code = 'BAD_REQUEST_ERROR', \
           error_description = 'Payment was not completed on time.', error_source = 'customer', \
           error_step = 'payment_authentication', error_reason = 'payment_timed_out' \
         WHERE status = 'created' AND created_at <= ?1",
        &[num(now_ms - OTP_TIMEOUT_MS)],
    )
    .await?)
}
