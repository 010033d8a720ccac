//! `pay_payouts`: money a merchant sends from its balance to a UPI ID, with its ledger postings,
//! in the caller's transaction (Poker's withdrawals add their own statements to the batch).

use super::ledger;
use crate::d1::{num, prepare, text};
use shared::{
    pay::ledger::{Movement, Posting},
    ApiError,
};
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

pub struct NewPayout<'a> {
    pub id: &'a str,
    pub merchant_id: &'a str,
    pub amount: i64,
    pub currency: &'a str,
    pub vpa: &'a str,
    /// The bank's reference for the transfer.
    pub utr: &'a str,
    /// The merchant's own id for it.
    pub reference_id: Option<&'a str>,
    /// Its ledger postings (`shared::pay::ledger::payout`).
    pub postings: &'a [Posting],
    pub now_ms: i64,
}

/// The statements that make the payout and post it, each only where `guard` (SQL with `?`
/// placeholders for `guard_args`) holds when it runs: the payout row first, then its postings
/// guarded on that row.
pub fn insert(
    db: &D1Database,
    p: &NewPayout<'_>,
    guard: &str,
    guard_args: &[JsValue],
) -> Result<Vec<D1PreparedStatement>, ApiError> {
    let mut args = vec![
        text(p.id),
        text(p.merchant_id),
        num(p.amount),
        text(p.currency),
        text(p.vpa),
        text(p.utr),
        p.reference_id.map_or(JsValue::NULL, text),
        num(p.now_ms),
    ];
    args.extend_from_slice(guard_args);
    let mut statements = vec![prepare(
        db,
        &format!(
            "INSERT INTO pay_payouts (id, merchant_id, amount, currency, mode, vpa, status, utr, reference_id, created_at) \
             SELECT ?, ?, ?, ?, 'UPI', ?, 'processed', ?, ?, ? WHERE {guard}"
        ),
        &args,
    )?];
    statements.extend(ledger::post(
        db,
        &ledger::Entry {
            merchant_id: p.merchant_id,
            movement: Movement::Payout,
            source_id: p.id,
            postings: p.postings,
            currency: p.currency,
            now_ms: p.now_ms,
        },
        "EXISTS (SELECT 1 FROM pay_payouts WHERE id = ?)",
        &[text(p.id)],
    )?);
    Ok(statements)
}
