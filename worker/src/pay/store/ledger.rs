//! `pay_ledger`: the double-entry postings of every capture, refund and settlement
//! (`shared::pay::ledger`), and the balances they add up to.

use crate::d1::{all, num, prepare, text};
use serde::Deserialize;
use shared::{
    pay::ledger::{Account, Movement, Posting},
    ApiError,
};
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

/// The postings of one movement.
pub struct Entry<'a> {
    pub merchant_id: &'a str,
    pub movement: Movement,
    pub source_id: &'a str,
    pub postings: &'a [Posting],
    pub currency: &'a str,
    pub now_ms: i64,
}

/// The statements that post `entry`, each written only if `guard` holds (its `?`s bound by
/// `guard_args`); a movement posts at most once (UNIQUE (movement, source_id, account)).
pub fn post(
    db: &D1Database,
    entry: &Entry<'_>,
    guard: &str,
    guard_args: &[JsValue],
) -> Result<Vec<D1PreparedStatement>, ApiError> {
    entry
        .postings
        .iter()
        .map(|posting| {
            let sql = format!(
                "INSERT OR IGNORE INTO pay_ledger (merchant_id, movement, source_id, account, amount, currency, created_at) \
                 SELECT ?, ?, ?, ?, ?, ?, ? WHERE {guard}"
            );
            let mut args = vec![
                text(entry.merchant_id),
                text(entry.movement.as_str()),
                text(entry.source_id),
                text(posting.account.as_str()),
                num(posting.amount),
                text(entry.currency),
                num(entry.now_ms),
            ];
            args.extend_from_slice(guard_args);
            prepare(db, &sql, &args)
        })
        .collect()
}

/// The sum of each of the merchant's accounts.
#[derive(Deserialize)]
pub struct AccountTotal {
    pub account: Account,
    pub total: i64,
}

pub async fn totals(db: &D1Database, merchant_id: &str) -> Result<Vec<AccountTotal>, ApiError> {
    all(
        db,
        "SELECT account, SUM(amount) AS total FROM pay_ledger WHERE merchant_id = ?1 GROUP BY account",
        &[text(merchant_id)],
    )
    .await
}
