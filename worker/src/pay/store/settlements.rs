//! `pay_settlements` and the ledger queries behind them: which balances are due, the batch that
//! claims the postings a settlement pays, and the reconciliation report's rows.

use super::merchant_page;
use crate::d1::{all, first, num, prepare, text};
use serde::Deserialize;
use serde_json::json;
use shared::{
    pay::{
        entity::unix_seconds,
        ledger::{Account, Movement},
        list::ListQuery,
        settlement::SettlementStatus,
    },
    ApiError,
};
use worker::{D1Database, D1PreparedStatement};

#[derive(Deserialize, Clone)]
pub struct SettlementRow {
    pub id: String,
    pub amount: i64,
    pub currency: String,
    pub fees: i64,
    pub tax: i64,
    pub status: SettlementStatus,
    pub utr: String,
    pub created_at: i64,
}

impl SettlementRow {
    pub fn entity(&self) -> serde_json::Value {
        json!({
            "id": self.id,
            "entity": "settlement",
            "amount": self.amount,
            "currency": self.currency,
            "status": self.status.as_str(),
            "fees": self.fees,
            "tax": self.tax,
            "utr": self.utr,
            "created_at": unix_seconds(self.created_at),
        })
    }
}

pub async fn get(db: &D1Database, merchant_id: &str, id: &str) -> Result<Option<SettlementRow>, ApiError> {
    first(
        db,
        "SELECT * FROM pay_settlements WHERE id = ?1 AND merchant_id = ?2",
        &[text(id), text(merchant_id)],
    )
    .await
}

/// A settlement by id alone (for its webhook event, whose merchant the caller knows).
pub async fn by_id(db: &D1Database, id: &str) -> Result<Option<SettlementRow>, ApiError> {
    first(db, "SELECT * FROM pay_settlements WHERE id = ?1", &[text(id)]).await
}

pub async fn page(
    db: &D1Database,
    merchant_id: &str,
    query: &ListQuery,
) -> Result<Vec<SettlementRow>, ApiError> {
    merchant_page(db, "pay_settlements", merchant_id, query).await
}

/// A merchant and currency with a balance to pay out.
#[derive(Deserialize)]
pub struct Due {
    pub merchant_id: String,
    pub currency: String,
}

/// Merchants and currencies whose unsettled balance postings up to `cutoff_ms` sum to money
/// owed to them (at most 100). The poker house is never settled: its balance is its players'
/// rupees, which leave by payouts when they withdraw.
pub async fn due(db: &D1Database, cutoff_ms: i64) -> Result<Vec<Due>, ApiError> {
    all(
        db,
        "SELECT merchant_id, currency FROM pay_ledger WHERE account = ?2 AND settlement_id IS NULL \
           AND created_at <= ?1 AND merchant_id != ?3 GROUP BY merchant_id, currency HAVING SUM(amount) < 0 LIMIT 100",
        &[num(cutoff_ms), text(Account::MerchantBalance.as_str()), text(shared::poker::money::HOUSE_USER_ID)],
    )
    .await
}

/// One settlement to make.
pub struct NewSettlement<'a> {
    pub id: &'a str,
    pub merchant_id: &'a str,
    pub currency: &'a str,
    pub cutoff_ms: i64,
    pub utr: &'a str,
    pub now_ms: i64,
}

/// The batch of one settlement: claim the unsettled balance postings up to the cutoff; record
/// the settlement of their sum (with the fees and tax of the captures it pays) only if it is
/// positive; otherwise release the claim for a later run; post the settlement's own movement.
/// The second statement's change count says whether it was made.
pub fn settle(db: &D1Database, s: &NewSettlement<'_>) -> Result<Vec<D1PreparedStatement>, ApiError> {
    let balance = Account::MerchantBalance.as_str();
    let capture = Movement::Capture.as_str();
    let claim = prepare(
        db,
        "UPDATE pay_ledger SET settlement_id = ?1 WHERE merchant_id = ?2 AND currency = ?3 \
         AND account = ?5 AND settlement_id IS NULL AND created_at <= ?4",
        &[text(s.id), text(s.merchant_id), text(s.currency), num(s.cutoff_ms), text(balance)],
    )?;
    let record = prepare(
        db,
        "INSERT INTO pay_settlements (id, merchant_id, amount, currency, fees, tax, status, utr, created_at) \
         SELECT ?1, ?2, -SUM(l.amount), ?3, \
           COALESCE((SELECT -SUM(f.amount) FROM pay_ledger f WHERE f.movement = ?7 \
             AND f.account IN (?8, ?9) AND f.source_id IN \
               (SELECT source_id FROM pay_ledger WHERE settlement_id = ?1 AND movement = ?7)), 0), \
           COALESCE((SELECT -SUM(t.amount) FROM pay_ledger t WHERE t.movement = ?7 \
             AND t.account = ?9 AND t.source_id IN \
               (SELECT source_id FROM pay_ledger WHERE settlement_id = ?1 AND movement = ?7)), 0), \
           ?6, ?4, ?5 \
         FROM pay_ledger l WHERE l.settlement_id = ?1 HAVING -SUM(l.amount) > 0",
        &[
            text(s.id),
            text(s.merchant_id),
            text(s.currency),
            text(s.utr),
            num(s.now_ms),
            text(SettlementStatus::Processed.as_str()),
            text(capture),
            text(Account::FeeRevenue.as_str()),
            text(Account::TaxPayable.as_str()),
        ],
    )?;
    let release = prepare(
        db,
        "UPDATE pay_ledger SET settlement_id = NULL WHERE settlement_id = ?1 \
         AND NOT EXISTS (SELECT 1 FROM pay_settlements WHERE id = ?1)",
        &[text(s.id)],
    )?;
    let post = |account: Account, sign: &str| {
        prepare(
            db,
            &format!(
                "INSERT INTO pay_ledger (merchant_id, movement, source_id, account, amount, currency, created_at, settlement_id) \
                 SELECT merchant_id, ?3, id, ?2, {sign} amount, currency, created_at, id \
                 FROM pay_settlements WHERE id = ?1"
            ),
            &[text(s.id), text(account.as_str()), text(Movement::Settlement.as_str())],
        )
    };
    Ok(vec![
        claim,
        record,
        release,
        post(Account::MerchantBalance, "")?,
        post(Account::SettledToMerchant, "-")?,
    ])
}

/// A capture or refund posted in a period, with what the report shows of it.
#[derive(Deserialize)]
pub struct ReconSource {
    pub movement: Movement,
    pub source_id: String,
    pub amount: i64,
    pub fee: i64,
    pub tax: i64,
    pub currency: String,
    pub created_at: i64,
    pub settlement_id: Option<String>,
    pub settled_at: Option<i64>,
    pub settlement_utr: Option<String>,
    pub payment_id: String,
    pub order_id: Option<String>,
    pub order_receipt: Option<String>,
    pub method: Option<String>,
    pub card_network: Option<String>,
}

/// Every capture and refund posted in [from_ms, until_ms), once each, oldest first.
pub async fn recon_sources(
    db: &D1Database,
    merchant_id: &str,
    from_ms: i64,
    until_ms: i64,
) -> Result<Vec<ReconSource>, ApiError> {
    all(
        db,
        "SELECT l.movement, l.source_id, \
           SUM(CASE WHEN l.movement = ?4 AND l.account = ?6 THEN l.amount \
                    WHEN l.movement = ?5 AND l.account = ?7 THEN l.amount ELSE 0 END) AS amount, \
           -SUM(CASE WHEN l.account IN (?8, ?9) THEN l.amount ELSE 0 END) AS fee, \
           -SUM(CASE WHEN l.account = ?9 THEN l.amount ELSE 0 END) AS tax, \
           l.currency, MIN(l.created_at) AS created_at, \
           MAX(CASE WHEN l.account = ?7 THEN l.settlement_id END) AS settlement_id, \
           s.created_at AS settled_at, s.utr AS settlement_utr, \
           COALESCE(r.payment_id, l.source_id) AS payment_id, p.order_id, o.receipt AS order_receipt, p.method, \
           p.card_network \
         FROM pay_ledger l \
           LEFT JOIN pay_refunds r ON r.id = l.source_id \
           LEFT JOIN pay_payments p ON p.id = COALESCE(r.payment_id, l.source_id) \
           LEFT JOIN pay_orders o ON o.id = p.order_id \
           LEFT JOIN pay_settlements s ON s.id = (SELECT settlement_id FROM pay_ledger x WHERE x.movement = l.movement \
             AND x.source_id = l.source_id AND x.account = ?7) \
         WHERE l.merchant_id = ?1 AND l.movement IN (?4, ?5) AND l.created_at >= ?2 AND l.created_at < ?3 \
         GROUP BY l.movement, l.source_id ORDER BY MIN(l.created_at), l.source_id",
        &[
            text(merchant_id),
            num(from_ms),
            num(until_ms),
            text(Movement::Capture.as_str()),
            text(Movement::Refund.as_str()),
            text(Account::CustomerFunds.as_str()),
            text(Account::MerchantBalance.as_str()),
            text(Account::FeeRevenue.as_str()),
            text(Account::TaxPayable.as_str()),
        ],
    )
    .await
}
