//! `/api/poker/wallet/deposits` and `/api/poker/wallet/withdrawals`: rupees in and out of the
//! wallet through Pay (`shared::poker::money`). A deposit is a Pay order of the house's, paid at
//! Pay's hosted checkout, and credited by [`credit_on_capture`]'s statements inside the very
//! transaction in which Pay captures its payment. A withdrawal takes the rupees from the wallet
//! and makes the Pay payout that sends them, in one transaction.

use crate::{
    auth::identity,
    d1::{all, num, prepare, run, run_batch, text},
    http::{json, read_json, ApiResult, Cx},
    password::random,
    pay::services::{keys::merchant_of_user, orders, payouts::Payout},
    rate_limit,
};
use serde::Deserialize;
use serde_json::{json as json_value, Map};
use shared::{
    error::ErrorEnvelope,
    ids::TimeId,
    pay::{
        money::currency,
        order::{NewOrder, DEFAULT_CAPTURE_WINDOW_MINUTES},
    },
    poker::money::{
        deposit_credit, short_of, DepositStatus, DepositView, NewDeposit, NewWithdrawal, WithdrawalView,
        HOUSE_USER_ID,
    },
    rate_limit::RateLimit,
    time::Timestamp,
    ApiError,
};
use worker::{D1Database, D1PreparedStatement, Request};

/// Deposits (Pay orders) a person may start in an hour.
const NEW_DEPOSITS: RateLimit = RateLimit { limit: 20, window_secs: 3_600 };
/// Withdrawals a person may make in an hour.
const NEW_WITHDRAWALS: RateLimit = RateLimit { limit: 10, window_secs: 3_600 };
/// Deposits and withdrawals the wallet lists, newest first.
pub const LISTED: i64 = 20;

/// Where a deposit is paid: Pay's hosted checkout, back to the wallet once paid.
fn checkout_url(origin: &str, order_id: &str) -> String {
    orders::hosted_checkout_url(origin, order_id, "/poker/wallet")
}

/// Starts a deposit: a Pay order of the house's for the amount, the player in its notes, paid
/// at Pay's checkout. Nothing is credited until Pay captures the payment.
#[utoipa::path(post, path = "/api/poker/wallet/deposits", tag = "poker",
    request_body = NewDeposit, security(("session" = []), ("api_key" = [])),
    responses((status = 201, body = DepositView), (status = 401, body = ErrorEnvelope),
              (status = 422, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope)))]
pub async fn deposit(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let amount = read_json::<NewDeposit>(req).await?.check()?;
    let db = cx.db()?;
    rate_limit::hit(&db, &format!("poker-deposits:user:{}", me.id), NEW_DEPOSITS, cx.now_ms).await?;
    let house = merchant_of_user(cx, HOUSE_USER_ID.to_owned()).await?;
    if house.key_id.is_empty() {
        return Err(crate::http::internal("starting a deposit", "the house has no Pay key (migration 0032)"));
    }
    let mut notes = Map::new();
    notes.insert("poker_user_id".into(), json_value!(me.id));
    notes.insert("purpose".into(), json_value!("poker wallet deposit"));
    let order = NewOrder {
        amount: i64::try_from(amount).unwrap_or(i64::MAX),
        currency: currency("INR")?,
        receipt: Some(format!("poker-{}", me.username)),
        notes,
        auto_capture: true,
        capture_window_minutes: DEFAULT_CAPTURE_WINDOW_MINUTES,
        partial_payment: false,
    };
    let order = orders::create(cx, &house, &order).await?;
    // Listed in the wallet from now on; the credit does not depend on this row (the capture
    // reads the player from the order's notes).
    run(
        &db,
        "INSERT OR IGNORE INTO poker_deposits (order_id, user_id, amount, created_at) VALUES (?1, ?2, ?3, ?4)",
        &[text(&order.id), text(&me.id), num(order.amount), num(cx.now_ms)],
    )
    .await?;
    let view = DepositView {
        id: order.id.clone(),
        amount,
        credit: deposit_credit(amount),
        currency: "INR".into(),
        status: DepositStatus::Pending,
        checkout_url: checkout_url(&orders::origin_of(req)?, &order.id),
        created_at: Timestamp(cx.now_ms).to_rfc3339(),
        credited_at: None,
    };
    json(201, &view)
}

/// The statements that credit a deposit, for the transaction in which Pay captures `payment_id`
/// of the house's order `order_id`: the wallet (made if need be) gets `credit` (what was paid
/// less Pay's fee, what Pay's ledger owes the house for it) once, however often the capture is
/// written again, and the deposit row says when.
pub fn credit_on_capture(
    db: &D1Database,
    payment_id: &str,
    order_id: &str,
    credit: i64,
    now_ms: i64,
) -> Result<Vec<D1PreparedStatement>, ApiError> {
    // The player, from the order's notes; only once the payment is captured in this batch.
    let player = "(SELECT json_extract(notes, '$.poker_user_id') FROM pay_orders \
                  WHERE id = ?2 AND merchant_id = ?5 AND json_valid(notes))";
    let captured =
        "EXISTS (SELECT 1 FROM pay_payments WHERE id = ?1 AND order_id = ?2 AND captured_at IS NOT NULL)";
    let credited = "EXISTS (SELECT 1 FROM poker_deposits WHERE order_id = ?2 AND credited_at IS NOT NULL)";
    let args = [text(payment_id), text(order_id), num(credit), num(now_ms), text(HOUSE_USER_ID)];
    Ok(vec![
        prepare(
            db,
            &format!(
                "INSERT OR IGNORE INTO poker_wallets (user_id, play_chips) \
                 SELECT {player}, 0 WHERE {player} IS NOT NULL AND {captured}"
            ),
            &args,
        )?,
        prepare(
            db,
            &format!(
                "UPDATE poker_wallets SET inr_paise = inr_paise + ?3 \
                 WHERE user_id = {player} AND {captured} AND NOT {credited}"
            ),
            &args,
        )?,
        prepare(
            db,
            &format!(
                "INSERT INTO poker_deposits (order_id, user_id, amount, credited, payment_id, created_at, credited_at) \
                 SELECT ?2, {player}, (SELECT amount FROM pay_orders WHERE id = ?2), ?3, ?1, ?4, ?4 \
                 WHERE {player} IS NOT NULL AND {captured} \
                 ON CONFLICT (order_id) DO UPDATE SET payment_id = excluded.payment_id, credited = excluded.credited, \
                   credited_at = excluded.credited_at \
                 WHERE poker_deposits.credited_at IS NULL"
            ),
            &args,
        )?,
    ])
}

/// Sends rupees from the wallet to a UPI ID through a Pay payout: the withdrawal is recorded
/// only if the wallet holds the amount, the wallet is debited only for a withdrawal recorded, and
/// the payout and its ledger postings are made only for it, all in one transaction.
#[utoipa::path(post, path = "/api/poker/wallet/withdrawals", tag = "poker",
    request_body = NewWithdrawal, security(("session" = []), ("api_key" = [])),
    responses((status = 201, body = WithdrawalView), (status = 401, body = ErrorEnvelope),
              (status = 409, body = ErrorEnvelope, description = "The wallet holds less"),
              (status = 422, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope)))]
pub async fn withdraw(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let (amount, vpa) = read_json::<NewWithdrawal>(req).await?.check()?;
    let db = cx.db()?;
    rate_limit::hit(&db, &format!("poker-withdrawals:user:{}", me.id), NEW_WITHDRAWALS, cx.now_ms).await?;
    let paise = i64::try_from(amount).unwrap_or(i64::MAX);
    let id = TimeId::new(cx.now_ms, random::<10>()?).to_string();
    let payout = Payout::new(cx.now_ms)?;
    let mut statements = vec![
        prepare(
            &db,
            "INSERT INTO poker_withdrawals (id, user_id, amount, vpa, payout_id, created_at) \
             SELECT ?1, ?2, ?3, ?4, ?5, ?6 \
             WHERE (SELECT inr_paise FROM poker_wallets WHERE user_id = ?2) >= ?3",
            &[text(&id), text(&me.id), num(paise), text(&vpa), text(payout.id.as_str()), num(cx.now_ms)],
        )?,
        prepare(
            &db,
            "UPDATE poker_wallets SET inr_paise = inr_paise - ?3 \
             WHERE user_id = ?2 AND EXISTS (SELECT 1 FROM poker_withdrawals WHERE id = ?1)",
            &[text(&id), text(&me.id), num(paise)],
        )?,
    ];
    statements.extend(payout.statements(
        &db,
        HOUSE_USER_ID,
        paise,
        "INR",
        &vpa,
        &id,
        cx.now_ms,
        "EXISTS (SELECT 1 FROM poker_withdrawals WHERE id = ?)",
        &[text(&id)],
    )?);
    if run_batch(&db, statements, "withdrawing").await?.first() != Some(&1) {
        let held = super::store::wallet(&db, &me.id, cx.now_ms).await?.inr_paise;
        return Err(short_of(u64::try_from(held).unwrap_or(0), amount));
    }
    json(
        201,
        &WithdrawalView {
            id,
            amount,
            currency: "INR".into(),
            vpa,
            payout_id: payout.id.to_string(),
            created_at: Timestamp(cx.now_ms).to_rfc3339(),
        },
    )
}

#[derive(Deserialize)]
struct DepositRow {
    order_id: String,
    amount: i64,
    credited: Option<i64>,
    created_at: i64,
    credited_at: Option<i64>,
}

#[derive(Deserialize)]
struct WithdrawalRow {
    id: String,
    amount: i64,
    vpa: String,
    payout_id: String,
    created_at: i64,
}

/// The person's latest deposits and withdrawals, as the wallet lists them.
pub async fn history(
    req: &Request,
    db: &D1Database,
    user_id: &str,
) -> Result<(Vec<DepositView>, Vec<WithdrawalView>), ApiError> {
    let origin = orders::origin_of(req)?;
    let deposits: Vec<DepositRow> = all(
        db,
        "SELECT order_id, amount, credited, created_at, credited_at FROM poker_deposits WHERE user_id = ?1 \
         ORDER BY created_at DESC, order_id DESC LIMIT ?2",
        &[text(user_id), num(LISTED)],
    )
    .await?;
    let withdrawals: Vec<WithdrawalRow> = all(
        db,
        "SELECT id, amount, vpa, payout_id, created_at FROM poker_withdrawals WHERE user_id = ?1 \
         ORDER BY created_at DESC, id DESC LIMIT ?2",
        &[text(user_id), num(LISTED)],
    )
    .await?;
    let paise = |n: i64| u64::try_from(n).unwrap_or(0);
    Ok((
        deposits
            .into_iter()
            .map(|d| DepositView {
                checkout_url: checkout_url(&origin, &d.order_id),
                id: d.order_id,
                amount: paise(d.amount),
                credit: d.credited.map_or_else(|| deposit_credit(paise(d.amount)), paise),
                currency: "INR".into(),
                status: if d.credited_at.is_some() {
                    DepositStatus::Credited
                } else {
                    DepositStatus::Pending
                },
                created_at: Timestamp(d.created_at).to_rfc3339(),
                credited_at: d.credited_at.map(|at| Timestamp(at).to_rfc3339()),
            })
            .collect(),
        withdrawals
            .into_iter()
            .map(|w| WithdrawalView {
                id: w.id,
                amount: paise(w.amount),
                currency: "INR".into(),
                vpa: w.vpa,
                payout_id: w.payout_id,
                created_at: Timestamp(w.created_at).to_rfc3339(),
            })
            .collect(),
    ))
}
