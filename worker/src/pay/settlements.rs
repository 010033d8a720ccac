//! Settlements (T+N payouts of each merchant's balance, on the Cron Trigger), `/v1/settlements`,
//! and the reconciliation report: Razorpay's `/v1/settlements/recon/combined` and the
//! dashboard's JSON/CSV download, in which every captured payment and refund of the period
//! appears exactly once.

use crate::{
    auth::identity,
    d1::{all, first, num, prepare, text},
    http::{json, ApiResult, Cx, OrInternal},
    password::random,
    pay::{
        keys::Merchant,
        respond::{ok, V1Result},
        runtime::Runtime,
        store,
    },
};
use serde::Deserialize;
use serde_json::json;
use shared::{
    pay::{
        entity::{unix_seconds, Collection},
        ids::new_id,
        list::ListQuery,
        settlement::{recon_csv, recon_period, settlement_cutoff, ReconRow, DEFAULT_SETTLEMENT_DAYS},
        RazorpayError,
    },
    ApiError,
};
use worker::{Env, Request, Response};

/// T+N from `PAY_SETTLEMENT_DAYS` (default 2).
fn settlement_days(env: &Env) -> i64 {
    env.var("PAY_SETTLEMENT_DAYS")
        .ok()
        .and_then(|v| v.to_string().parse().ok())
        .filter(|d| (0..=30).contains(d))
        .unwrap_or(DEFAULT_SETTLEMENT_DAYS)
}

#[derive(Deserialize)]
struct Due {
    merchant_id: String,
    currency: String,
}

/// Pays out, per merchant and currency, the balance of postings older than T+N. Each run
/// claims the postings it pays inside one D1 transaction; a balance that is not positive (more
/// refunded than captured since the last payout) waits for later captures.
pub async fn settle_due(env: &Env, now_ms: i64) -> Result<usize, RazorpayError> {
    let db = env.d1("DB").internal("D1 binding")?;
    let cutoff = settlement_cutoff(now_ms, settlement_days(env));
    let due: Vec<Due> = all(
        &db,
        "SELECT merchant_id, currency FROM pay_ledger WHERE account = 'merchant_balance' AND settlement_id IS NULL \
           AND created_at <= ?1 GROUP BY merchant_id, currency HAVING SUM(amount) < 0 LIMIT 100",
        &[num(cutoff)],
    )
    .await?;
    let mut settled = 0;
    for Due { merchant_id, currency } in &due {
        let id = new_id("setl_", now_ms, random::<8>()?);
        let utr = crate::pay::runtime::digits(12)?;
        let claim = prepare(
            &db,
            "UPDATE pay_ledger SET settlement_id = ?1 WHERE merchant_id = ?2 AND currency = ?3 \
             AND account = 'merchant_balance' AND settlement_id IS NULL AND created_at <= ?4",
            &[text(&id), text(merchant_id), text(currency), num(cutoff)],
        )?;
        let record = prepare(
            &db,
            "INSERT INTO pay_settlements (id, merchant_id, amount, currency, fees, tax, status, utr, created_at) \
             SELECT ?1, ?2, -SUM(l.amount), ?3, \
               COALESCE((SELECT -SUM(f.amount) FROM pay_ledger f WHERE f.movement = 'capture' \
                 AND f.account IN ('fee_revenue', 'tax_payable') AND f.source_id IN \
                   (SELECT source_id FROM pay_ledger WHERE settlement_id = ?1 AND movement = 'capture')), 0), \
               COALESCE((SELECT -SUM(t.amount) FROM pay_ledger t WHERE t.movement = 'capture' \
                 AND t.account = 'tax_payable' AND t.source_id IN \
                   (SELECT source_id FROM pay_ledger WHERE settlement_id = ?1 AND movement = 'capture')), 0), \
               'processed', ?4, ?5 \
             FROM pay_ledger l WHERE l.settlement_id = ?1 HAVING -SUM(l.amount) > 0",
            &[text(&id), text(merchant_id), text(currency), text(&utr), num(now_ms)],
        )?;
        // A balance that is not positive releases its claim for a later run.
        let release = prepare(
            &db,
            "UPDATE pay_ledger SET settlement_id = NULL WHERE settlement_id = ?1 \
             AND NOT EXISTS (SELECT 1 FROM pay_settlements WHERE id = ?1)",
            &[text(&id)],
        )?;
        let post = |account: &str, sign: &str| {
            prepare(
                &db,
                &format!(
                    "INSERT INTO pay_ledger (merchant_id, movement, source_id, account, amount, currency, created_at, settlement_id) \
                     SELECT merchant_id, 'settlement', id, ?2, {sign} amount, currency, created_at, id \
                     FROM pay_settlements WHERE id = ?1"
                ),
                &[text(&id), text(account)],
            )
        };
        let statements =
            vec![claim, record, release, post("merchant_balance", "")?, post("settled_to_merchant", "-")?];
        let results = db.batch(statements).await.internal("a settlement")?;
        if results.get(1).and_then(|r| r.meta().ok().flatten()).and_then(|m| m.changes) == Some(1) {
            settled += 1;
            Runtime::scheduled(env, now_ms).settlement_event(merchant_id, &id).await;
        }
    }
    Ok(settled)
}

#[derive(Deserialize, Clone)]
struct SettlementRow {
    id: String,
    amount: i64,
    currency: String,
    fees: i64,
    tax: i64,
    status: String,
    utr: String,
    created_at: i64,
}

impl SettlementRow {
    fn entity(&self) -> serde_json::Value {
        json!({
            "id": self.id,
            "entity": "settlement",
            "amount": self.amount,
            "currency": self.currency,
            "status": self.status,
            "fees": self.fees,
            "tax": self.tax,
            "utr": self.utr,
            "created_at": unix_seconds(self.created_at),
        })
    }
}

#[utoipa::path(get, path = "/v1/settlements", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("count" = Option<i64>, Query), ("skip" = Option<i64>, Query), ("from" = Option<i64>, Query, description = "unix seconds"), ("to" = Option<i64>, Query, description = "unix seconds")),
    responses((status = 200, description = "A collection of settlements"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn list(cx: &Cx, merchant: &Merchant, query: &ListQuery) -> V1Result {
    let rows: Vec<SettlementRow> =
        store::merchant_page(&cx.db()?, "pay_settlements", &merchant.id, query).await?;
    ok(&Collection::new(rows.iter().map(SettlementRow::entity).collect()))
}

#[utoipa::path(get, path = "/v1/settlements/{id}", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    responses((status = 200, description = "The settlement"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn fetch(cx: &Cx, merchant: &Merchant, id: &str) -> V1Result {
    if !shared::pay::ids::has_shape("setl_", id) {
        return Err(RazorpayError::no_such_id());
    }
    let row: SettlementRow = first(
        &cx.db()?,
        "SELECT * FROM pay_settlements WHERE id = ?1 AND merchant_id = ?2",
        &[text(id), text(&merchant.id)],
    )
    .await?
    .ok_or_else(RazorpayError::no_such_id)?;
    ok(&row.entity())
}

// --- reconciliation -----------------------------------------------------------------------------------

#[derive(Deserialize)]
struct ReconSource {
    movement: String,
    source_id: String,
    amount: i64,
    fee: i64,
    tax: i64,
    currency: String,
    created_at: i64,
    settlement_id: Option<String>,
    settled_at: Option<i64>,
    settlement_utr: Option<String>,
    payment_id: String,
    order_id: Option<String>,
    order_receipt: Option<String>,
    method: Option<String>,
    card_network: Option<String>,
}

/// Every capture and refund posted in [from_ms, until_ms), once each, oldest first.
async fn recon_rows(
    cx: &Cx,
    merchant_id: &str,
    from_ms: i64,
    until_ms: i64,
) -> Result<Vec<ReconRow>, ApiError> {
    let sources: Vec<ReconSource> = all(
        &cx.db()?,
        "SELECT l.movement, l.source_id, \
           SUM(CASE WHEN l.movement = 'capture' AND l.account = 'customer_funds' THEN l.amount \
                    WHEN l.movement = 'refund' AND l.account = 'merchant_balance' THEN l.amount ELSE 0 END) AS amount, \
           -SUM(CASE WHEN l.account IN ('fee_revenue', 'tax_payable') THEN l.amount ELSE 0 END) AS fee, \
           -SUM(CASE WHEN l.account = 'tax_payable' THEN l.amount ELSE 0 END) AS tax, \
           l.currency, MIN(l.created_at) AS created_at, \
           MAX(CASE WHEN l.account = 'merchant_balance' THEN l.settlement_id END) AS settlement_id, \
           s.created_at AS settled_at, s.utr AS settlement_utr, \
           COALESCE(r.payment_id, l.source_id) AS payment_id, p.order_id, o.receipt AS order_receipt, p.method, \
           p.card_network \
         FROM pay_ledger l \
           LEFT JOIN pay_refunds r ON r.id = l.source_id \
           LEFT JOIN pay_payments p ON p.id = COALESCE(r.payment_id, l.source_id) \
           LEFT JOIN pay_orders o ON o.id = p.order_id \
           LEFT JOIN pay_settlements s ON s.id = (SELECT settlement_id FROM pay_ledger x WHERE x.movement = l.movement \
             AND x.source_id = l.source_id AND x.account = 'merchant_balance') \
         WHERE l.merchant_id = ?1 AND l.movement IN ('capture', 'refund') AND l.created_at >= ?2 AND l.created_at < ?3 \
         GROUP BY l.movement, l.source_id ORDER BY MIN(l.created_at), l.source_id",
        &[text(merchant_id), num(from_ms), num(until_ms)],
    )
    .await?;
    Ok(sources
        .into_iter()
        .map(|s| {
            let refund = s.movement == "refund";
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

/// The period a `year`/`month`/`day` query names.
fn period(pairs: &[(String, String)]) -> Result<(i64, i64), ApiError> {
    let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    recon_period(get("year"), get("month"), get("day"))
}

/// `2026-11-29`, `2026-11` or `2026` from a query `period` has accepted.
fn file_period(pairs: &[(String, String)]) -> String {
    ["year", "month", "day"]
        .iter()
        .filter_map(|key| pairs.iter().find(|(k, _)| k == key))
        .filter_map(|(_, v)| v.trim().parse::<u16>().ok())
        .enumerate()
        .map(|(i, n)| if i == 0 { n.to_string() } else { format!("{n:02}") })
        .collect::<Vec<_>>()
        .join("-")
}

fn pairs(req: &Request) -> Vec<(String, String)> {
    req.url().map(|u| u.query_pairs().into_owned().collect()).unwrap_or_default()
}

/// `GET /v1/settlements/recon/combined?year=&month=&day=` (Razorpay's report).
#[utoipa::path(get, path = "/v1/settlements/recon/combined", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("year" = i64, Query), ("month" = Option<i64>, Query), ("day" = Option<i64>, Query)),
    responses((status = 200, description = "A collection of recon rows"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn recon_combined(req: &Request, cx: &Cx, merchant: &Merchant) -> V1Result {
    let (from, until) = period(&pairs(req)).map_err(RazorpayError::from)?;
    let rows = recon_rows(cx, &merchant.id, from, until).await.map_err(RazorpayError::from)?;
    ok(&Collection::new(rows))
}

/// The dashboard's download: `?year=&month=&day=` and `format=json|csv`.
#[utoipa::path(get, path = "/api/pay/reconciliation", tag = "pay", security(("session" = []), ("api_key" = [])),
    params(("year" = i64, Query), ("month" = Option<i64>, Query), ("day" = Option<i64>, Query),
           ("format" = Option<String>, Query, description = "json (default) or csv")),
    responses((status = 200, description = "A collection of recon rows, or text/csv"),
              (status = 401, body = shared::error::ErrorEnvelope), (status = 422, body = shared::error::ErrorEnvelope)))]
pub async fn reconciliation(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?;
    let pairs = pairs(req);
    let (from, until) = period(&pairs)?;
    let rows = recon_rows(cx, &me.user.id, from, until).await?;
    match pairs.iter().find(|(k, _)| k == "format").map(|(_, v)| v.as_str()) {
        None | Some("json") => json(200, &Collection::new(rows)),
        Some("csv") => {
            // Only the validated period names the file (it goes into a header).
            let name = format!("dozen-pay-recon-{}.csv", file_period(&pairs));
            let response = Response::ok(recon_csv(&rows)).internal("csv")?;
            crate::http::with_headers(
                response,
                &[
                    ("Content-Type", "text/csv; charset=utf-8".to_owned()),
                    ("Content-Disposition", format!("attachment; filename=\"{name}\"")),
                ],
            )
        }
        Some(_) => Err(ApiError::invalid("format", "The format must be json or csv.")),
    }
}

impl Runtime<'_> {
    /// `settlement.processed` to the merchant's webhooks.
    pub async fn settlement_event(&self, merchant_id: &str, id: &str) {
        let Ok(db) = self.db() else { return };
        let Ok(Some(row)) =
            first::<SettlementRow>(&db, "SELECT * FROM pay_settlements WHERE id = ?1", &[text(id)]).await
        else {
            return;
        };
        self.emit(merchant_id, "settlement.processed", vec![("settlement", row.entity())]).await;
    }
}
