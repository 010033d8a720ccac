//! `/v1/payments`: the server-to-server payment (`create/json`) with its OTP step, fetch, list
//! and capture. A test bank decides each attempt from its instrument (shared::pay::methods);
//! approvals are signed the way Razorpay signs them, with the order's key secret.

use crate::http::OrInternal;
use crate::{
    d1::{num, text},
    http::Cx,
    password::random,
    pay::{
        config,
        keys::{secret_of, Merchant},
        respond::{ok, V1Result},
        routing,
        runtime::{digits, Runtime},
        store::{self, insert_where, ledger_statements, maybe, notes_json, OrderRow, PaymentRow},
        webhooks,
    },
};
use serde_json::{json, Map, Value};
use shared::pay::{
    attempt::{Instrument, NewPayment},
    entity::Collection,
    fraud::{assess, Flag, Recent, VelocityKey, RULES},
    ids::{new_id, PaymentId},
    ledger::{self, Movement},
    list::ListQuery,
    methods::{card_fingerprint, otp_matches, TestOutcome, MAX_OTP_ATTEMPTS},
    money::{currency, fee_for, parse_amount},
    order::check_payment_for_order,
    payment::{check_capture, PaymentStatus},
    signature::payment_signature,
    RazorpayError,
};
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

/// What the test bank hands back with an approval, per method (Razorpay's `acquirer_data`).
fn acquirer_data(instrument: &Instrument) -> Result<Map<String, Value>, RazorpayError> {
    let value = match instrument {
        Instrument::Card(_) => json!({"auth_code": digits(6)?}),
        Instrument::Upi { .. } => json!({"rrn": digits(12)?, "upi_transaction_id": digits(12)?}),
        Instrument::Netbanking { .. } => json!({"bank_transaction_id": digits(8)?}),
        Instrument::Wallet { .. } => json!({"transaction_id": digits(10)?}),
        Instrument::Saved(_) => json!({"auth_code": digits(6)?, "recurring": true}),
    };
    Ok(value.as_object().cloned().unwrap_or_default())
}

/// The statements that capture an authorized payment: the payment (only while its order is
/// unpaid), its ledger postings and the order, each guarded on the capture having happened.
#[allow(clippy::too_many_arguments)]
fn capture_statements(
    db: &D1Database,
    merchant_id: &str,
    payment_id: &str,
    order_id: &str,
    amount: i64,
    currency: &str,
    now_ms: i64,
) -> Result<Vec<D1PreparedStatement>, RazorpayError> {
    let fee = fee_for(amount, false);
    // A payment link's order captures only while the link is open and has room for it.
    let mut statements = vec![crate::d1::prepare(
        db,
        "UPDATE pay_payments SET status = 'captured', fee = ?, tax = ?, captured_at = ? \
         WHERE id = ? AND merchant_id = ? AND status = 'authorized' \
         AND EXISTS (SELECT 1 FROM pay_orders WHERE id = ? AND status != 'paid') \
         AND NOT EXISTS (SELECT 1 FROM pay_orders o JOIN pay_payment_links l ON l.id = o.payment_link_id \
           WHERE o.id = ? AND (l.status NOT IN ('created', 'partially_paid') OR l.amount_paid + ? > l.amount))",
        &[
            num(fee.fee),
            num(fee.tax),
            num(now_ms),
            text(payment_id),
            text(merchant_id),
            text(order_id),
            text(order_id),
            num(amount),
        ],
    )?];
    let captured = "EXISTS (SELECT 1 FROM pay_payments WHERE id = ? AND captured_at IS NOT NULL)";
    statements.extend(ledger_statements(
        db,
        merchant_id,
        Movement::Capture,
        payment_id,
        &ledger::capture(amount, fee),
        currency,
        now_ms,
        captured,
        &[text(payment_id)],
    )?);
    statements.push(crate::d1::prepare(
        db,
        &format!("UPDATE pay_orders SET status = 'paid', amount_paid = amount WHERE id = ? AND {captured}"),
        &[text(order_id), text(payment_id)],
    )?);
    // The link counts each captured payment once; its total is recomputed from those rows.
    statements.push(crate::d1::prepare(
        db,
        &format!(
            "INSERT OR IGNORE INTO pay_payment_link_payments (payment_id, plink_id, amount, created_at) \
             SELECT ?, payment_link_id, ?, ? FROM pay_orders WHERE id = ? AND payment_link_id IS NOT NULL AND {captured}"
        ),
        &[text(payment_id), num(amount), num(now_ms), text(order_id), text(payment_id)],
    )?);
    statements.push(crate::d1::prepare(
        db,
        &format!(
            "UPDATE pay_payment_links SET \
               amount_paid = (SELECT COALESCE(SUM(amount), 0) FROM pay_payment_link_payments WHERE plink_id = pay_payment_links.id), \
               status = CASE WHEN (SELECT COALESCE(SUM(amount), 0) FROM pay_payment_link_payments \
                                   WHERE plink_id = pay_payment_links.id) >= amount THEN 'paid' ELSE 'partially_paid' END, \
               updated_at = ? \
             WHERE id = (SELECT payment_link_id FROM pay_orders WHERE id = ?) AND {captured}"
        ),
        &[num(now_ms), text(order_id), text(payment_id)],
    )?);
    Ok(statements)
}

async fn run_batch(
    db: &D1Database,
    statements: Vec<D1PreparedStatement>,
) -> Result<Vec<usize>, RazorpayError> {
    let results = db.batch(statements).await.internal("a payment batch")?;
    Ok(results.iter().map(|r| r.meta().ok().flatten().and_then(|m| m.changes).unwrap_or(0)).collect())
}

/// An approval with Razorpay's signature (`utility.verify_payment_signature` checks it), made
/// with the secret of the key that created the order.
fn approved(
    env: &worker::Env,
    order: &OrderRow,
    payment_id: &str,
    captured: bool,
) -> Result<Attempted, RazorpayError> {
    let signature = payment_signature(&order.id, payment_id, &secret_of(env, &order.key_id)?);
    Ok(Attempted::Approved {
        payment_id: payment_id.to_owned(),
        order_id: order.id.clone(),
        signature,
        captured,
    })
}

fn otp_next(cx: &Cx, payment_id: &str) -> Value {
    json!({
        "razorpay_payment_id": payment_id,
        "next": [
            {"action": "otp_submit", "url": format!("{}/v1/payments/{payment_id}/otp/submit", cx.own_origin)},
            {"action": "otp_resend", "url": format!("{}/v1/payments/{payment_id}/otp/resend", cx.own_origin)},
        ],
    })
}

fn declined(description: &str, reason: &str, payment_id: &str, order_id: &str) -> RazorpayError {
    RazorpayError::payment_failed(description, "bank", "payment_authorization", reason)
        .with_metadata("payment_id", payment_id)
        .with_metadata("order_id", order_id)
}

/// The velocity rules this attempt breaks, counting the merchant's attempts in each window.
async fn fraud_flags(
    db: &D1Database,
    merchant_id: &str,
    fingerprint: Option<&str>,
    email: &str,
    client_ip: Option<&str>,
    now_ms: i64,
) -> Result<Vec<Flag>, RazorpayError> {
    #[derive(serde::Deserialize)]
    struct Counts {
        card: i64,
        email: i64,
        ip: i64,
    }
    let since = |key: VelocityKey| now_ms - RULES.iter().find(|r| r.key == key).map_or(0, |r| r.window_ms);
    let counts: Option<Counts> = crate::d1::first(
        db,
        "SELECT \
           (SELECT COUNT(*) FROM pay_payments WHERE merchant_id = ?1 AND card_fingerprint = ?2 AND created_at > ?5) AS card, \
           (SELECT COUNT(*) FROM pay_payments WHERE merchant_id = ?1 AND email = ?3 AND created_at > ?6) AS email, \
           (SELECT COUNT(*) FROM pay_payments WHERE merchant_id = ?1 AND client_ip = ?4 AND created_at > ?7) AS ip",
        &[
            text(merchant_id),
            maybe(fingerprint),
            text(email),
            crate::pay::store::maybe(client_ip),
            num(since(VelocityKey::CardFingerprint)),
            num(since(VelocityKey::Email)),
            num(since(VelocityKey::ClientIp)),
        ],
    )
    .await?;
    let counts = counts.unwrap_or(Counts { card: 0, email: 0, ip: 0 });
    Ok(assess(&Recent {
        card_fingerprint: fingerprint.map(|_| counts.card),
        email: (!email.is_empty()).then_some(counts.email),
        client_ip: client_ip.filter(|ip| *ip != "unknown").map(|_| counts.ip),
    }))
}

/// When every processor failed to carry a payment.
const GATEWAY_REASON: &str = "gateway_technical_error";
const GATEWAY_DESCRIPTION: &str =
    "The payment could not be completed because the payment processors did not respond. Please try again.";

/// What became of a payment attempt that the bank did not decline (declines are errors).
pub enum Attempted {
    /// Authorized, signed as Razorpay signs; `captured` when it was captured too (its order
    /// auto-captures, no fraud rule held it, and nothing else paid the order first).
    Approved { payment_id: String, order_id: String, signature: String, captured: bool },
    /// The bank asks for an OTP ([`submit_otp`]).
    NeedsOtp { payment_id: String },
}

/// Razorpay's answer to an attempt: the 3 signed fields, or the OTP step's `next` actions.
fn attempted_response(cx: &Cx, attempted: Attempted) -> V1Result {
    match attempted {
        Attempted::Approved { payment_id, order_id, signature, .. } => ok(&json!({
            "razorpay_payment_id": payment_id,
            "razorpay_order_id": order_id,
            "razorpay_signature": signature,
        })),
        Attempted::NeedsOtp { payment_id } => ok(&otp_next(cx, &payment_id)),
    }
}

/// `POST /v1/payments/create/json`.
#[utoipa::path(post, path = "/v1/payments/create/json", tag = "pay-v1", security(("razorpay_key" = [])),
    request_body(content = Object, description = "{amount, currency, order_id, email, contact, method, card | vpa | bank | wallet}"),
    responses((status = 200, description = "{razorpay_payment_id, razorpay_order_id, razorpay_signature}, or {razorpay_payment_id, next: [otp_submit, otp_resend]}"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn create_json(cx: &Cx, merchant: &Merchant, body: &Map<String, Value>) -> V1Result {
    let attempt = NewPayment::parse(body, cx.now_ms)?;
    let order = store::order(&cx.db()?, &merchant.id, attempt.order_id.as_str())
        .await?
        .ok_or_else(|| RazorpayError::invalid("order_id", "The id provided does not exist"))?;
    // The caller is the merchant's server: the customer's address is the body's `ip` (Razorpay's
    // S2S field), never the caller's.
    let customer_ip = body.get("ip").and_then(Value::as_str).map(str::trim).filter(|ip| !ip.is_empty());
    let run = Runtime { client_ip: customer_ip, ..Runtime::for_request(cx) };
    attempted_response(cx, attempt_payment(&run, &merchant.id, &order, &attempt).await?)
}

/// The columns of a payment that say what paid: the card (its number never stored, only its
/// last four digits and keyed fingerprint), the UPI address, the bank or the wallet, or the
/// instrument a subscription saved.
fn instrument_columns(
    instrument: &Instrument,
    fingerprint: Option<&str>,
    now_ms: i64,
) -> Result<Vec<(&'static str, JsValue)>, RazorpayError> {
    Ok(match instrument {
        Instrument::Card(card) => vec![
            ("card_id", text(&new_id("card_", now_ms, random::<8>()?))),
            ("card_name", maybe(card.name.as_deref())),
            ("card_last4", text(&card.last4)),
            ("card_network", text(card.network.name())),
            ("card_type", text(card.card_type.as_str())),
            ("card_fingerprint", text(fingerprint.unwrap_or_default())),
        ],
        Instrument::Upi { vpa } => vec![("vpa", text(vpa))],
        Instrument::Netbanking { bank } => vec![("bank", text(bank.code))],
        Instrument::Wallet { wallet } => vec![("wallet", text(wallet))],
        Instrument::Saved(saved) => {
            let mut columns = Vec::new();
            if saved.card_last4.is_some() {
                columns.push(("card_id", text(&new_id("card_", now_ms, random::<8>()?))));
            }
            columns.extend([
                ("card_name", maybe(saved.card_name.as_deref())),
                ("card_last4", maybe(saved.card_last4.as_deref())),
                ("card_network", maybe(saved.card_network.as_deref())),
                ("card_type", maybe(saved.card_type.as_deref())),
                ("card_fingerprint", maybe(saved.card_fingerprint.as_deref())),
                ("vpa", maybe(saved.vpa.as_deref())),
                ("bank", maybe(saved.bank.as_deref())),
                ("wallet", maybe(saved.wallet.as_deref())),
            ]);
            columns
        }
    })
}

/// The error columns of a declined payment, in Razorpay's terms: the bank said no, or no
/// processor could carry it (the gateway).
fn decline_columns(reason: &str, description: &str, gateway_failed: bool) -> [(&'static str, JsValue); 5] {
    [
        ("error_code", text(if gateway_failed { "GATEWAY_ERROR" } else { "BAD_REQUEST_ERROR" })),
        ("error_description", text(description)),
        ("error_source", text(if gateway_failed { "gateway" } else { "bank" })),
        ("error_step", text("payment_authorization")),
        ("error_reason", text(reason)),
    ]
}

/// Records one attempt to pay `order` (which belongs to `merchant_id`) and asks the test bank:
/// the S2S API and the hosted checkout both pay through here.
pub async fn attempt_payment(
    run: &Runtime<'_>,
    merchant_id: &str,
    order: &OrderRow,
    attempt: &NewPayment,
) -> Result<Attempted, RazorpayError> {
    let db = run.db()?;
    let now_ms = run.now_ms;
    check_payment_for_order(
        order.status(),
        order.amount,
        &order.currency,
        attempt.amount,
        attempt.currency.code,
    )?;
    let decision = routing::route(run, merchant_id, attempt.instrument.method().as_str()).await?;
    // The bank decides once a processor carried the payment; with none, it fails at the gateway.
    let outcome = match decision.processor {
        Some(_) => attempt.instrument.outcome(),
        None => TestOutcome::Decline { reason: GATEWAY_REASON, description: GATEWAY_DESCRIPTION },
    };
    let id = PaymentId::new(now_ms, random::<8>()?);
    let master = config::master_secret(run.env)?;
    let status = match outcome {
        TestOutcome::Approve => PaymentStatus::Authorized,
        TestOutcome::RequireOtp => PaymentStatus::Created,
        TestOutcome::Decline { .. } => PaymentStatus::Failed,
    };
    let is_approved = status == PaymentStatus::Authorized;
    let fingerprint = match &attempt.instrument {
        Instrument::Card(card) => Some(card_fingerprint(&card.number, &master)),
        _ => None,
    };
    // Velocity rules apply to what customers start; a held approval is not captured until the
    // merchant reviews it.
    let flags = match &attempt.instrument {
        Instrument::Saved(_) => Vec::new(),
        _ => {
            fraud_flags(&db, merchant_id, fingerprint.as_deref(), &attempt.email, run.client_ip, now_ms)
                .await?
        }
    };
    let held = !flags.is_empty() && matches!(outcome, TestOutcome::Approve | TestOutcome::RequireOtp);
    let capture_deadline = now_ms + order.capture_window_minutes * 60_000;
    let mut columns = vec![
        ("id", text(id.as_str())),
        ("merchant_id", text(merchant_id)),
        ("order_id", text(&order.id)),
        ("amount", num(attempt.amount)),
        ("currency", text(attempt.currency.code)),
        ("status", text(status.as_str())),
        ("method", text(attempt.instrument.method().as_str())),
        ("description", maybe(attempt.description.as_deref())),
        ("email", text(&attempt.email)),
        ("contact", text(&attempt.contact)),
        ("notes", text(&notes_json(&attempt.notes))),
        ("auto_capture", num(order.auto_capture)),
        ("created_at", num(now_ms)),
        (
            "acquirer_data",
            text(&notes_json(&if is_approved { acquirer_data(&attempt.instrument)? } else { Map::new() })),
        ),
    ];
    if is_approved {
        columns.push(("authorized_at", num(now_ms)));
        columns.push(("capture_deadline", num(capture_deadline)));
    }
    columns.extend(instrument_columns(&attempt.instrument, fingerprint.as_deref(), now_ms)?);
    columns.push(("processor", maybe(decision.processor.as_deref())));
    columns.push(("client_ip", maybe(run.client_ip)));
    columns.push(("routing", text(&serde_json::to_string(&decision).unwrap_or_default())));
    let gateway_failed = decision.processor.is_none();
    if let TestOutcome::Decline { reason, description } = outcome {
        columns.extend(decline_columns(reason, description, gateway_failed));
    }
    let mut statements = vec![insert_where(
        &db,
        "pay_payments",
        &columns,
        "EXISTS (SELECT 1 FROM pay_orders WHERE id = ? AND merchant_id = ? AND status != 'paid') \
         AND NOT EXISTS (SELECT 1 FROM pay_orders o JOIN pay_payment_links l ON l.id = o.payment_link_id \
           WHERE o.id = ? AND (l.status NOT IN ('created', 'partially_paid') OR l.expire_by <= ? \
             OR l.amount_paid + o.amount > l.amount))",
        &[text(&order.id), text(merchant_id), text(&order.id), num(now_ms)],
    )?];
    statements.push(crate::d1::prepare(
        &db,
        "UPDATE pay_orders SET attempts = attempts + 1, status = CASE WHEN status = 'paid' THEN status ELSE 'attempted' END \
         WHERE id = ? AND EXISTS (SELECT 1 FROM pay_payments WHERE id = ?)",
        &[text(&order.id), text(id.as_str())],
    )?);
    if held {
        statements.push(crate::d1::prepare(
            &db,
            "INSERT INTO pay_reviews (payment_id, merchant_id, flags, status, created_at) \
             SELECT ?1, ?2, ?3, 'pending', ?4 WHERE EXISTS (SELECT 1 FROM pay_payments WHERE id = ?1)",
            &[
                text(id.as_str()),
                text(merchant_id),
                text(&serde_json::to_string(&flags).unwrap_or_default()),
                num(now_ms),
            ],
        )?);
    }
    if is_approved && order.auto_capture != 0 && !held {
        statements.extend(capture_statements(
            &db,
            merchant_id,
            id.as_str(),
            &order.id,
            attempt.amount,
            attempt.currency.code,
            now_ms,
        )?);
    }
    let capturing = is_approved && order.auto_capture != 0 && !held;
    // The capture UPDATE follows the insert and the order's update.
    let changes = run_batch(&db, statements).await?;
    let captured = capturing && changes.get(2) == Some(&1);
    if changes.first() != Some(&1) {
        return Err(RazorpayError::not_allowed(if order.payment_link_id.is_some() {
            "This payment link no longer takes this payment"
        } else {
            "Order has already been paid"
        }));
    }
    let events: &[&str] = match outcome {
        TestOutcome::Approve if captured => &["payment.authorized", "payment.captured", "order.paid"],
        TestOutcome::Approve => &["payment.authorized"],
        TestOutcome::Decline { .. } => &["payment.failed"],
        TestOutcome::RequireOtp => &[],
    };
    run.payment_events(merchant_id, id.as_str(), events).await;
    match outcome {
        TestOutcome::Approve => approved(run.env, order, id.as_str(), captured),
        TestOutcome::RequireOtp => Ok(Attempted::NeedsOtp { payment_id: id.to_string() }),
        TestOutcome::Decline { description, .. } if gateway_failed => {
            Err(RazorpayError::gateway(description, GATEWAY_REASON)
                .with_metadata("payment_id", id.as_str())
                .with_metadata("order_id", order.id.as_str()))
        }
        TestOutcome::Decline { reason, description } => {
            Err(declined(description, reason, id.as_str(), &order.id))
        }
    }
}

/// The merchant's payment `id` (another merchant's is one that does not exist).
async fn owned_payment(db: &D1Database, merchant_id: &str, id: &str) -> Result<PaymentRow, RazorpayError> {
    let id = PaymentId::parse(id)?;
    store::payment(db, merchant_id, id.as_str()).await?.ok_or_else(RazorpayError::no_such_id)
}

async fn payment_and_order(
    db: &D1Database,
    merchant_id: &str,
    id: &str,
) -> Result<(PaymentRow, OrderRow), RazorpayError> {
    let payment = owned_payment(db, merchant_id, id).await?;
    let order =
        store::order(db, merchant_id, &payment.order_id).await?.ok_or_else(RazorpayError::server_error)?;
    Ok((payment, order))
}

/// `POST /v1/payments/{id}/otp/submit`: the right OTP authorizes (and, with auto-capture,
/// captures); each wrong one counts, and the last allowed wrong one fails the payment.
#[utoipa::path(post, path = "/v1/payments/{id}/otp/submit", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    request_body(content = Object, description = "{otp}"),
    responses((status = 200, description = "{razorpay_payment_id, razorpay_order_id, razorpay_signature}"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn otp_submit(cx: &Cx, merchant: &Merchant, id: &str, body: &Map<String, Value>) -> V1Result {
    let otp = match body.get("otp") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => return Err(RazorpayError::invalid("otp", "The otp field is required.")),
    };
    attempted_response(cx, submit_otp(cx, &merchant.id, id, &otp).await?)
}

/// Checks the OTP of a payment waiting for one (S2S and the hosted checkout).
pub async fn submit_otp(cx: &Cx, merchant_id: &str, id: &str, otp: &str) -> Result<Attempted, RazorpayError> {
    let db = cx.db()?;
    let (payment, order) = payment_and_order(&db, merchant_id, id).await?;
    if payment.status() != PaymentStatus::Created {
        return Err(RazorpayError::not_allowed(format!(
            "This payment is {} and takes no OTP",
            payment.status().as_str()
        )));
    }
    if otp_matches(otp) {
        let acquirer = notes_json(&json!({"auth_code": digits(6)?}).as_object().cloned().unwrap_or_default());
        let mut statements = vec![crate::d1::prepare(
            &db,
            "UPDATE pay_payments SET status = 'authorized', authorized_at = ?, capture_deadline = ?, acquirer_data = ? \
             WHERE id = ? AND merchant_id = ? AND status = 'created'",
            &[
                num(cx.now_ms),
                num(cx.now_ms + order.capture_window_minutes * 60_000),
                text(&acquirer),
                text(&payment.id),
                text(merchant_id),
            ],
        )?];
        // A payment the fraud rules flagged waits for the merchant's review instead.
        let capturing = payment.auto_capture != 0 && !under_review(&db, &payment.id).await?;
        if capturing {
            statements.extend(capture_statements(
                &db,
                merchant_id,
                &payment.id,
                &order.id,
                payment.amount,
                &payment.currency,
                cx.now_ms,
            )?);
        }
        let changes = run_batch(&db, statements).await?;
        if changes.first() != Some(&1) {
            return Err(RazorpayError::not_allowed("This payment has already been processed"));
        }
        // Captured only if the capture UPDATE applied: another payment may have paid the order.
        let captured = capturing && changes.get(1) == Some(&1);
        let events: &[&str] = if captured {
            &["payment.authorized", "payment.captured", "order.paid"]
        } else {
            &["payment.authorized"]
        };
        webhooks::payment_events(cx, merchant_id, &payment.id, events).await;
        return approved(&cx.env, &order, &payment.id, captured);
    }
    let description = "The OTP entered is incorrect.";
    let last_try = payment.otp_attempts + 1 >= i64::from(MAX_OTP_ATTEMPTS);
    let failed_description = "Payment failed because the OTP was entered incorrectly too many times.";
    crate::d1::run(
        &db,
        "UPDATE pay_payments SET otp_attempts = otp_attempts + 1, \
           status = CASE WHEN otp_attempts + 1 >= ?1 THEN 'failed' ELSE status END, \
           error_code = CASE WHEN otp_attempts + 1 >= ?1 THEN 'BAD_REQUEST_ERROR' END, \
           error_description = CASE WHEN otp_attempts + 1 >= ?1 THEN ?2 END, \
           error_source = CASE WHEN otp_attempts + 1 >= ?1 THEN 'customer' END, \
           error_step = CASE WHEN otp_attempts + 1 >= ?1 THEN 'payment_authentication' END, \
           error_reason = CASE WHEN otp_attempts + 1 >= ?1 THEN 'incorrect_otp' END \
         WHERE id = ?3 AND merchant_id = ?4 AND status = 'created'",
        &[num(i64::from(MAX_OTP_ATTEMPTS)), text(failed_description), text(&payment.id), text(merchant_id)],
    )
    .await?;
    if last_try {
        webhooks::payment_events(cx, merchant_id, &payment.id, &["payment.failed"]).await;
    }
    let error = RazorpayError::payment_failed(
        if last_try { failed_description } else { description },
        "customer",
        "payment_authentication",
        "incorrect_otp",
    )
    .with_metadata("payment_id", payment.id.as_str())
    .with_metadata("order_id", order.id.as_str());
    Err(RazorpayError { field: (!last_try).then(|| "otp".to_owned()), ..error })
}

/// `POST /v1/payments/{id}/otp/resend` (and `otp_generate`): the test bank "sends" the OTP again.
#[utoipa::path(post, path = "/v1/payments/{id}/otp/resend", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    responses((status = 200, description = "{razorpay_payment_id, next}"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn otp_resend(cx: &Cx, merchant: &Merchant, id: &str) -> V1Result {
    let payment = owned_payment(&cx.db()?, &merchant.id, id).await?;
    if payment.status() != PaymentStatus::Created {
        return Err(RazorpayError::not_allowed(format!(
            "This payment is {} and takes no OTP",
            payment.status().as_str()
        )));
    }
    ok(&otp_next(cx, &payment.id))
}

#[utoipa::path(get, path = "/v1/payments/{id}", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = shared::pay::entity::Payment, description = "The payment"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn fetch(cx: &Cx, merchant: &Merchant, id: &str) -> V1Result {
    let payment = owned_payment(&cx.db()?, &merchant.id, id).await?;
    ok(&payment.entity())
}

#[utoipa::path(get, path = "/v1/payments", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("count" = Option<i64>, Query), ("skip" = Option<i64>, Query), ("from" = Option<i64>, Query, description = "unix seconds"), ("to" = Option<i64>, Query, description = "unix seconds")),
    responses((status = 200, description = "A collection of payments"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn list(cx: &Cx, merchant: &Merchant, query: &ListQuery) -> V1Result {
    let rows: Vec<PaymentRow> = store::merchant_page(&cx.db()?, "pay_payments", &merchant.id, query).await?;
    ok(&Collection::new(rows.iter().map(PaymentRow::entity).collect()))
}

/// `POST /v1/payments/{id}/capture` with the full authorized amount. Concurrent captures of one
/// payment capture it once; the others hear "already captured".
#[utoipa::path(post, path = "/v1/payments/{id}/capture", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    request_body(content = Object, description = "{amount, currency}"),
    responses((status = 200, body = shared::pay::entity::Payment, description = "The captured payment"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn capture(cx: &Cx, merchant: &Merchant, id: &str, body: &Map<String, Value>) -> V1Result {
    let db = cx.db()?;
    let (payment, order) = payment_and_order(&db, &merchant.id, id).await?;
    let amount = parse_amount(body.get("amount"), "amount")?;
    let requested_currency = body.get("currency").and_then(Value::as_str);
    let payment_currency = currency(&payment.currency)?;
    check_capture(payment.status(), payment.amount, payment_currency, amount, requested_currency)?;
    if under_review(&db, &payment.id).await? {
        return Err(RazorpayError::not_allowed(
            "This payment is held for review; approve or reject it in the dashboard",
        ));
    }
    if order.status() == shared::pay::order::OrderStatus::Paid {
        return Err(RazorpayError::not_allowed("Order has already been paid by another payment"));
    }
    let statements = capture_statements(
        &db,
        &merchant.id,
        &payment.id,
        &order.id,
        payment.amount,
        &payment.currency,
        cx.now_ms,
    )?;
    let changes = run_batch(&db, statements).await?;
    let (after, _) = payment_and_order(&db, &merchant.id, &payment.id).await?;
    if changes.first() != Some(&1) {
        // Someone else changed it between our read and our write: say what it is now.
        check_capture(after.status(), after.amount, payment_currency, amount, requested_currency)?;
        return Err(RazorpayError::not_allowed("Order has already been paid by another payment"));
    }
    webhooks::payment_events(cx, &merchant.id, &payment.id, &["payment.captured", "order.paid"]).await;
    ok(&after.entity())
}

/// Whether the payment waits in the review queue.
pub async fn under_review(db: &D1Database, payment_id: &str) -> Result<bool, RazorpayError> {
    Ok(crate::d1::count(
        db,
        "SELECT COUNT(*) AS n FROM pay_reviews WHERE payment_id = ?1 AND status = 'pending'",
        &[text(payment_id)],
    )
    .await?
        > 0)
}

/// Captures a held payment the merchant approved (when its order captures automatically).
pub async fn capture_approved(
    run: &Runtime<'_>,
    merchant_id: &str,
    payment: &PaymentRow,
) -> Result<bool, RazorpayError> {
    let db = run.db()?;
    let statements = capture_statements(
        &db,
        merchant_id,
        &payment.id,
        &payment.order_id,
        payment.amount,
        &payment.currency,
        run.now_ms,
    )?;
    let captured = run_batch(&db, statements).await?.first() == Some(&1);
    if captured {
        run.payment_events(merchant_id, &payment.id, &["payment.captured", "order.paid"]).await;
    }
    Ok(captured)
}
