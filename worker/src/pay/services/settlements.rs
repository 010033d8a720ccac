//! Settlements (T+N payouts of each merchant's balance, on the Cron Trigger) and the
//! reconciliation report, in which every captured payment and refund of the period appears
//! exactly once.

use super::{config::settlement_days, runtime::Runtime};
use crate::{
    http::OrInternal,
    password::random,
    pay::store::{self, run_batch, settlements::NewSettlement},
};
use shared::{
    pay::{
        entity::unix_seconds,
        ids::new_id,
        ledger::Movement,
        settlement::{settlement_cutoff, ReconRow},
        RazorpayError,
    },
    ApiError,
};
use worker::{D1Database, Env};

/// Pays out, per merchant and currency, the balance of postings older than T+N. Each run
/// claims the postings it pays inside one D1 transaction; a balance that is not positive (more
/// refunded than captured since the last payout) waits for later captures.
pub async fn settle_due(env: &Env, now_ms: i64) -> Result<usize, RazorpayError> {
    let db = env.d1("DB").internal("D1 binding")?;
    let cutoff_ms = settlement_cutoff(now_ms, settlement_days(env));
    let mut settled = 0;
    for due in &store::settlements::due(&db, cutoff_ms).await? {
        let id = new_id("setl_", now_ms, random::<8>()?);
        let utr = super::runtime::digits(12)?;
        let settlement = NewSettlement {
            id: &id,
            merchant_id: &due.merchant_id,
            currency: &due.currency,
            cutoff_ms,
            utr: &utr,
            now_ms,
        };
        let changes = run_batch(&db, store::settlements::settle(&db, &settlement)?, "a settlement").await?;
        if changes.get(1) == Some(&1) {
            settled += 1;
            Runtime::scheduled(env, now_ms).settlement_event(&due.merchant_id, &id).await;
        }
    }
    Ok(settled)
}

/// Every capture and refund the merchant posted in [from_ms, until_ms), once each, oldest first.
pub async fn recon_rows(
    db: &D1Database,
    merchant_id: &str,
    from_ms: i64,
    until_ms: i64,
) -> Result<Vec<ReconRow>, ApiError> {
    let sources = store::settlements::recon_sources(db, merchant_id, from_ms, until_ms).await?;
    Ok(sources
        .into_iter()
        .map(|s| {
            let refund = s.movement == Movement::Refund;
            ReconRow {
                entity_id: s.source_id,
                kind: if refund { "refund".into() } else { "payment".into() },
                credit: if refund { 0 } else { s.amount },
                debit: if refund { s.amount } else { 0 },
                amount: s.amount,
                currency: s.currency,
                fee: s.fee,
                tax: s.tax,
                on_hold: false,
                settled: s.settlement_id.is_some(),
                created_at: unix_seconds(s.created_at),
                settled_at: s.settled_at.map(unix_seconds),
                settlement_id: s.settlement_id,
                settlement_utr: s.settlement_utr,
                payment_id: s.payment_id,
                order_id: s.order_id,
                order_receipt: s.order_receipt,
                method: s.method,
                card_network: s.card_network,
            }
        })
        .collect())
}
