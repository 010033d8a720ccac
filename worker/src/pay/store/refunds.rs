//! `pay_refunds`, with what moves with a refund in one transaction: its payment's refunded
//! amount and status, and its ledger postings.

use super::{insert_where, ledger, merchant_page, notes_json, notes_of, window};
use crate::d1::{all, first, num, opt_text, prepare, text};
use serde::Deserialize;
use serde_json::{Map, Value};
use shared::{
    pay::{
        entity::{unix_seconds, Refund},
        ledger::{Movement, Posting},
        list::ListQuery,
        payment::{PaymentStatus, RefundStatus},
    },
    ApiError,
};
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

#[derive(Deserialize, Clone)]
pub struct RefundRow {
    pub id: String,
    pub payment_id: String,
    pub amount: i64,
    pub currency: String,
    pub status: RefundStatus,
    pub notes: String,
    pub receipt: Option<String>,
    pub speed_requested: String,
    pub speed_processed: Option<String>,
    pub arn: Option<String>,
    pub created_at: i64,
}

impl RefundRow {
    pub fn entity(&self) -> Refund {
        let mut acquirer_data = Map::new();
        acquirer_data.insert("arn".into(), self.arn.clone().map_or(Value::Null, Value::String));
        Refund {
            id: self.id.clone(),
            entity: "refund".into(),
            amount: self.amount,
            currency: self.currency.clone(),
            payment_id: self.payment_id.clone(),
            notes: notes_of(&self.notes),
            receipt: self.receipt.clone(),
            acquirer_data,
            created_at: unix_seconds(self.created_at),
            batch_id: None,
            status: self.status,
            speed_processed: self.speed_processed.clone(),
            speed_requested: self.speed_requested.clone(),
        }
    }
}

pub async fn get(db: &D1Database, merchant_id: &str, id: &str) -> Result<Option<RefundRow>, ApiError> {
    first(db, "SELECT * FROM pay_refunds WHERE id = ?1 AND merchant_id = ?2", &[text(id), text(merchant_id)])
        .await
}

pub async fn page(db: &D1Database, merchant_id: &str, query: &ListQuery) -> Result<Vec<RefundRow>, ApiError> {
    merchant_page(db, "pay_refunds", merchant_id, query).await
}

pub async fn of_payment(
    db: &D1Database,
    merchant_id: &str,
    payment_id: &str,
    query: &ListQuery,
) -> Result<Vec<RefundRow>, ApiError> {
    all(
        db,
        "SELECT * FROM pay_refunds WHERE payment_id = ?1 AND merchant_id = ?2 AND created_at >= ?3 AND created_at < ?4 \
         ORDER BY created_at DESC, id DESC LIMIT ?5 OFFSET ?6",
        &[[text(payment_id), text(merchant_id)].as_slice(), &window(query)].concat(),
    )
    .await
}

/// A refund as it is stored (the test bank processes refunds at once).
pub struct NewRefundRow<'a> {
    pub id: &'a str,
    pub merchant_id: &'a str,
    pub payment_id: &'a str,
    pub amount: i64,
    pub currency: &'a str,
    pub status: RefundStatus,
    pub notes: &'a Map<String, Value>,
    pub receipt: Option<&'a str>,
    pub speed_requested: &'a str,
    pub speed_processed: &'a str,
    pub arn: &'a str,
    pub now_ms: i64,
}

fn columns(row: &NewRefundRow<'_>) -> Vec<(&'static str, JsValue)> {
    vec![
        ("id", text(row.id)),
        ("merchant_id", text(row.merchant_id)),
        ("payment_id", text(row.payment_id)),
        ("amount", num(row.amount)),
        ("currency", text(row.currency)),
        ("status", text(row.status.as_str())),
        ("notes", text(&notes_json(row.notes))),
        ("receipt", opt_text(row.receipt)),
        ("speed_requested", text(row.speed_requested)),
        ("speed_processed", text(row.speed_processed)),
        ("arn", text(row.arn)),
        ("created_at", num(row.now_ms)),
        ("processed_at", num(row.now_ms)),
    ]
}

/// The statements of a refund of a captured payment: the refund, only if the refunded total
/// plus its amount still fits; the payment's refunded amount (refunded in full at the amount);
/// its ledger postings. The first statement's change count says whether it was made.
pub fn refund(
    db: &D1Database,
    row: &NewRefundRow<'_>,
    postings: &[Posting],
) -> Result<Vec<D1PreparedStatement>, ApiError> {
    let mut statements = vec![insert_where(
        db,
        "pay_refunds",
        &columns(row),
        "EXISTS (SELECT 1 FROM pay_payments WHERE id = ? AND merchant_id = ? AND status = ? \
         AND amount_refunded + ? <= amount)",
        &[
            text(row.payment_id),
            text(row.merchant_id),
            text(PaymentStatus::Captured.as_str()),
            num(row.amount),
        ],
    )?];
    statements.push(prepare(
        db,
        "UPDATE pay_payments SET amount_refunded = amount_refunded + ?1, \
         status = CASE WHEN amount_refunded + ?1 >= amount THEN ?4 ELSE status END \
         WHERE id = ?2 AND EXISTS (SELECT 1 FROM pay_refunds WHERE id = ?3)",
        &[num(row.amount), text(row.payment_id), text(row.id), text(PaymentStatus::Refunded.as_str())],
    )?);
    statements.extend(ledger::post(
        db,
        &ledger::Entry {
            merchant_id: row.merchant_id,
            movement: Movement::Refund,
            source_id: row.id,
            postings,
            currency: row.currency,
            now_ms: row.now_ms,
        },
        "EXISTS (SELECT 1 FROM pay_refunds WHERE id = ?)",
        &[text(row.id)],
    )?);
    Ok(statements)
}

/// The statements that release an authorized, uncaptured payment: it becomes `released_as`
/// (refunded) in full, and — only for the run that released it, once — a refund records it. No
/// ledger postings, since nothing was captured. The first statement's change count says
/// whether it was released (a capture may have won the race).
pub fn release(
    db: &D1Database,
    row: &NewRefundRow<'_>,
    released_as: PaymentStatus,
) -> Result<Vec<D1PreparedStatement>, ApiError> {
    let release = prepare(
        db,
        "UPDATE pay_payments SET status = ?1, amount_refunded = amount WHERE id = ?2 AND status = ?3",
        &[text(released_as.as_str()), text(row.payment_id), text(PaymentStatus::Authorized.as_str())],
    )?;
    let refund = insert_where(
        db,
        "pay_refunds",
        &columns(row),
        "EXISTS (SELECT 1 FROM pay_payments WHERE id = ? AND status = ? AND captured_at IS NULL) \
         AND NOT EXISTS (SELECT 1 FROM pay_refunds WHERE payment_id = ?)",
        &[text(row.payment_id), text(released_as.as_str()), text(row.payment_id)],
    )?;
    Ok(vec![release, refund])
}
