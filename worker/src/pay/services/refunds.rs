//! Refunds. Several partial refunds may follow one capture; together they never pass the
//! captured amount, even when they race: each writes only if the refunded total plus its own
//! amount still fits, inside one D1 transaction, so racing refunds that fit all go through.

use super::runtime::{digits, Runtime};
use crate::{
    password::random,
    pay::store::{
        self,
        refunds::{NewRefundRow, RefundRow},
        run_batch,
    },
};
use serde_json::{Map, Value};
use shared::pay::{
    ids::{PaymentId, RefundId},
    ledger,
    money::{currency, parse_amount},
    notes::{optional_text, parse_notes},
    payment::{plan_refund, RefundStatus},
    RazorpayError,
};

/// A refund that no longer fits after a racing one (its plan was made from an older total)
/// re-reads and re-plans, at most this often.
const MAX_TRIES: usize = 5;

/// Refunds the merchant's payment (Razorpay's body: `amount?`, `speed?`, `notes?`, `receipt?`).
pub async fn refund(
    run: &Runtime<'_>,
    merchant_id: &str,
    payment_id: &str,
    body: &Map<String, Value>,
) -> Result<RefundRow, RazorpayError> {
    let payment_id = PaymentId::parse(payment_id)?;
    let requested = match body.get("amount") {
        None | Some(Value::Null) => None,
        value => Some(parse_amount(value, "amount")?),
    };
    let speed = match body.get("speed").and_then(Value::as_str) {
        None => "normal",
        Some(speed @ ("normal" | "optimum")) => speed,
        Some(_) => return Err(RazorpayError::invalid("speed", "The speed must be normal or optimum.")),
    };
    let notes = parse_notes(body.get("notes"))?;
    let receipt = optional_text(body.get("receipt"), "receipt", 40)?;
    let db = run.db()?;
    for _ in 0..MAX_TRIES {
        let payment = store::payments::get(&db, merchant_id, payment_id.as_str())
            .await?
            .ok_or_else(RazorpayError::no_such_id)?;
        let payment_currency = currency(&payment.currency)?;
        let plan = plan_refund(
            payment.status,
            payment.amount,
            payment.amount_refunded,
            requested,
            payment_currency,
        )?;
        let id = RefundId::new(run.now_ms, random::<8>()?);
        let arn = digits(12)?;
        let row = NewRefundRow {
            id: id.as_str(),
            merchant_id,
            payment_id: &payment.id,
            amount: plan.amount,
            currency: &payment.currency,
            // The test bank processes refunds at once; `pending` is for banks that do not.
            status: RefundStatus::Processed,
            notes: &notes,
            receipt: receipt.as_deref(),
            speed_requested: speed,
            speed_processed: "normal",
            arn: &arn,
            now_ms: run.now_ms,
        };
        let statements = store::refunds::refund(&db, &row, &ledger::refund(plan.amount))?;
        let changes = run_batch(&db, statements, "a refund batch").await?;
        if changes.first() == Some(&1) {
            let row = store::refunds::get(&db, merchant_id, id.as_str())
                .await?
                .ok_or_else(RazorpayError::server_error)?;
            run.refund_events(merchant_id, id.as_str(), &["refund.created", "refund.processed"]).await;
            return Ok(row);
        }
    }
    Err(RazorpayError::not_allowed("The payment is being refunded by another request; try again."))
}
