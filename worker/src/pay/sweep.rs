//! Pay's scheduled work (the Cron Trigger in wrangler.toml, every minute): authorized payments
//! nobody captured within their order's window are released — refunded in full, as Razorpay's
//! auto-refund does — payments abandoned at the OTP step fail, payment links past their
//! `expire_by` expire, subscriptions due are charged, balances older than T+N are settled, and
//! webhook deliveries that are due are tried again. `now_ms` is the trigger's
//! scheduled time.
//!
//! Under `wrangler dev` (DOZEN_LOCAL) the same sweep also answers `POST /api/pay/sweep?time=<ms>`,
//! so tests can run it "later": wrangler's own `/cdn-cgi/handler/scheduled` fails for this
//! worker's class entrypoint (DataCloneError on the ScheduledController, wrangler 4.86).

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
use worker::{console_log, Env, Request, Response};

/// Where `wrangler dev` exposes the sweep (never in production: DOZEN_LOCAL is dev-only).
pub const LOCAL_TRIGGER_PATH: &str = "/api/pay/sweep";

/// Runs the sweep as the Cron Trigger would at `?time=` (unix ms; default now).
pub async fn run_locally(req: &Request, cx: &crate::http::Cx) -> Response {
    let time = req
        .url()
        .ok()
        .and_then(|u| u.query_pairs().find(|(k, _)| k == "time").and_then(|(_, v)| v.parse::<i64>().ok()))
        .unwrap_or(cx.now_ms);
    match run_all(&cx.env, time).await {
        Ok(()) => Response::from_json(&json!({"ran_at": time}))
            .unwrap_or_else(|_| Response::error("", 500).expect("a response")),
        Err(err) => crate::pay::respond::error_response(&err),
    }
}

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
    let results =
        db.batch(vec![release, refund]).await.map_err(|e| crate::pay::respond::storage("release", e))?;
    Ok(results.first().and_then(|r| r.meta().ok().flatten()).and_then(|m| m.changes) == Some(1))
}

/// Authorized payments past their capture window are released (at most `BATCH` a run).
async fn release_due(env: &Env, now_ms: i64) -> Result<usize, RazorpayError> {
    let db = env.d1("DB").map_err(|e| crate::pay::respond::storage("D1 binding", e))?;
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
async fn time_out_abandoned(env: &Env, now_ms: i64) -> Result<usize, RazorpayError> {
    let db = env.d1("DB").map_err(|e| crate::pay::respond::storage("D1 binding", e))?;
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

/// Every job of the Cron Trigger. One failing job is logged and does not stop the others.
pub async fn run_all(env: &Env, now_ms: i64) -> Result<(), RazorpayError> {
    let jobs = [
        ("released uncaptured payments", release_due(env, now_ms).await),
        ("timed out OTP payments", time_out_abandoned(env, now_ms).await),
        ("expired payment links", crate::pay::payment_links::expire_due(env, now_ms).await),
        ("billed subscriptions", crate::pay::subscriptions::charge_due(env, now_ms).await),
        ("settlements", crate::pay::settlements::settle_due(env, now_ms).await),
        ("retried webhooks", crate::pay::webhooks::retry_due(env, now_ms).await.map_err(RazorpayError::from)),
    ];
    let mut failed = None;
    for (job, outcome) in jobs {
        match outcome {
            Ok(0) => {}
            Ok(n) => console_log!("pay sweep: {job}: {n}"),
            Err(err) => {
                console_log!("pay sweep: {job} failed: {err}");
                failed = Some(err);
            }
        }
    }
    failed.map_or(Ok(()), Err)
}
