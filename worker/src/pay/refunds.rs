//! Refunds: `POST /v1/payments/{id}/refund` (and `POST /v1/refunds`), fetch and list. Several
//! partial refunds may follow one capture; together they never pass the captured amount, even
//! when they race: each writes only if the refunded total plus its own amount still fits, inside
//! one D1 transaction, so racing refunds that fit all go through.

use crate::http::OrInternal;
use crate::{
    d1::{num, prepare, text},
    http::Cx,
    password::random,
    pay::{
        keys::Merchant,
        respond::{ok, V1Result},
        runtime::digits,
        store::{self, insert_where, ledger_statements, maybe, notes_json},
        webhooks,
    },
};
use serde_json::{Map, Value};
use shared::pay::{
    entity::Collection,
    ids::{PaymentId, RefundId},
    ledger::{self, Movement},
    list::ListQuery,
    money::{currency, parse_amount},
    notes::{optional_text, parse_notes},
    payment::plan_refund,
    RazorpayError,
};

/// A refund that no longer fits after a racing one (its plan was made from an older total)
/// re-reads and re-plans, at most this often.
const MAX_TRIES: usize = 5;

#[utoipa::path(post, path = "/v1/payments/{id}/refund", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    request_body(content = Object, description = "{amount?, speed?, notes?, receipt?}"),
    responses((status = 200, body = shared::pay::entity::Refund, description = "The refund"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn create(cx: &Cx, merchant: &Merchant, payment_id: &str, body: &Map<String, Value>) -> V1Result {
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
    let db = cx.db()?;
    for _ in 0..MAX_TRIES {
        let payment = store::payment(&db, &merchant.id, payment_id.as_str())
            .await?
            .ok_or_else(RazorpayError::no_such_id)?;
        let payment_currency = currency(&payment.currency)?;
        let plan = plan_refund(
            payment.status(),
            payment.amount,
            payment.amount_refunded,
            requested,
            payment_currency,
        )?;
        let id = RefundId::new(cx.now_ms, random::<8>()?);
        let arn = digits(12)?;
        let refund_exists = "EXISTS (SELECT 1 FROM pay_refunds WHERE id = ?)";
        let mut statements = vec![insert_where(
            &db,
            "pay_refunds",
            &[
                ("id", text(id.as_str())),
                ("merchant_id", text(&merchant.id)),
                ("payment_id", text(&payment.id)),
                ("amount", num(plan.amount)),
                ("currency", text(&payment.currency)),
                // The test bank processes refunds at once; `pending` is for banks that do not.
                ("status", text("processed")),
                ("notes", text(&notes_json(&notes))),
                ("receipt", maybe(receipt.as_deref())),
                ("speed_requested", text(speed)),
                ("speed_processed", text("normal")),
                ("arn", text(&arn)),
                ("created_at", num(cx.now_ms)),
                ("processed_at", num(cx.now_ms)),
            ],
            "EXISTS (SELECT 1 FROM pay_payments WHERE id = ? AND merchant_id = ? AND status = 'captured' \
             AND amount_refunded + ? <= amount)",
            &[text(&payment.id), text(&merchant.id), num(plan.amount)],
        )?];
        statements.push(prepare(
            &db,
            &format!(
                "UPDATE pay_payments SET amount_refunded = amount_refunded + ?1, \
                 status = CASE WHEN amount_refunded + ?1 >= amount THEN 'refunded' ELSE status END \
                 WHERE id = ?2 AND {}",
                refund_exists.replace('?', "?3")
            ),
            &[num(plan.amount), text(&payment.id), text(id.as_str())],
        )?);
        statements.extend(ledger_statements(
            &db,
            &merchant.id,
            Movement::Refund,
            id.as_str(),
            &ledger::refund(plan.amount),
            &payment.currency,
            cx.now_ms,
            refund_exists,
            &[text(id.as_str())],
        )?);
        let results = db.batch(statements).await.internal("a refund batch")?;
        let inserted =
            results.first().and_then(|r| r.meta().ok().flatten()).and_then(|m| m.changes).unwrap_or(0);
        if inserted == 1 {
            let row = store::refund(&db, &merchant.id, id.as_str())
                .await?
                .ok_or_else(RazorpayError::server_error)?;
            webhooks::refund_events(cx, &merchant.id, id.as_str(), &["refund.created", "refund.processed"])
                .await;
            return ok(&row.entity());
        }
    }
    Err(RazorpayError::not_allowed("The payment is being refunded by another request; try again."))
}

/// `POST /v1/refunds` with `payment_id` in the body.
#[utoipa::path(post, path = "/v1/refunds", tag = "pay-v1", security(("razorpay_key" = [])),
    request_body(content = Object, description = "{payment_id, amount?, speed?, notes?, receipt?}"),
    responses((status = 200, body = shared::pay::entity::Refund, description = "The refund"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn create_for(cx: &Cx, merchant: &Merchant, body: &Map<String, Value>) -> V1Result {
    let payment_id = body
        .get("payment_id")
        .and_then(Value::as_str)
        .ok_or_else(|| RazorpayError::invalid("payment_id", "The payment_id field is required."))?;
    create(cx, merchant, payment_id, body).await
}

#[utoipa::path(get, path = "/v1/refunds/{id}", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = shared::pay::entity::Refund, description = "The refund"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn fetch(cx: &Cx, merchant: &Merchant, id: &str) -> V1Result {
    let id = RefundId::parse(id)?;
    let row =
        store::refund(&cx.db()?, &merchant.id, id.as_str()).await?.ok_or_else(RazorpayError::no_such_id)?;
    ok(&row.entity())
}

#[utoipa::path(get, path = "/v1/refunds", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("count" = Option<i64>, Query), ("skip" = Option<i64>, Query), ("from" = Option<i64>, Query, description = "unix seconds"), ("to" = Option<i64>, Query, description = "unix seconds")),
    responses((status = 200, description = "A collection of refunds"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn list(cx: &Cx, merchant: &Merchant, query: &ListQuery) -> V1Result {
    let rows: Vec<store::RefundRow> =
        store::merchant_page(&cx.db()?, "pay_refunds", &merchant.id, query).await?;
    ok(&Collection::new(rows.iter().map(store::RefundRow::entity).collect()))
}

#[utoipa::path(get, path = "/v1/payments/{id}/refunds", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path), ("count" = Option<i64>, Query), ("skip" = Option<i64>, Query), ("from" = Option<i64>, Query, description = "unix seconds"), ("to" = Option<i64>, Query, description = "unix seconds")),
    responses((status = 200, description = "A collection of the payment's refunds"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn of_payment(cx: &Cx, merchant: &Merchant, payment_id: &str, query: &ListQuery) -> V1Result {
    let payment_id = PaymentId::parse(payment_id)?;
    let db = cx.db()?;
    store::payment(&db, &merchant.id, payment_id.as_str()).await?.ok_or_else(RazorpayError::no_such_id)?;
    let rows = store::refunds_of_payment(&db, &merchant.id, payment_id.as_str(), query).await?;
    ok(&Collection::new(rows.iter().map(store::RefundRow::entity).collect()))
}

#[utoipa::path(get, path = "/v1/payments/{id}/refunds/{refund_id}", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path), ("refund_id" = String, Path)),
    responses((status = 200, body = shared::pay::entity::Refund, description = "The refund"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn one_of_payment(cx: &Cx, merchant: &Merchant, payment_id: &str, refund_id: &str) -> V1Result {
    let refund_id = RefundId::parse(refund_id)?;
    let row = store::refund(&cx.db()?, &merchant.id, refund_id.as_str())
        .await?
        .filter(|r| r.payment_id == payment_id)
        .ok_or_else(RazorpayError::no_such_id)?;
    ok(&row.entity())
}
