//! Paying an order: one attempt (the S2S API, the hosted checkout and subscription charges all
//! pay through [`attempt_payment`]), its OTP step, and capture. A test bank decides each
//! attempt from its instrument (shared::pay::methods); approvals are signed the way Razorpay
//! signs them, with the order's key secret.

use super::{config, keys::secret_of, routing, runtime::Runtime};
use crate::{
    coalesce::Coalesced,
    http::Cx,
    password::random,
    pay::store::{
        self,
        orders::OrderRow,
        payments::{Capture, Decline, InstrumentColumns, NewPaymentRow, PaymentRow, VelocitySince},
        run_batch,
    },
};
use serde_json::{json, Map, Value};
use shared::pay::{
    attempt::{Instrument, NewPayment},
    error::RazorpayErrorCode,
    fraud::{assess, Flag, Recent, VelocityKey, RULES},
    ids::{new_id, PaymentId},
    ledger,
    methods::{card_fingerprint, otp_matches, TestOutcome, MAX_OTP_ATTEMPTS},
    money::{currency, fee_for, parse_amount},
    order::{check_payment_for_order, OrderStatus},
    payment::{check_capture, PaymentStatus},
    signature::payment_signature,
    RazorpayError,
};
use std::rc::Rc;
use worker::{D1Database, D1PreparedStatement};

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

/// What the test bank hands back with an approval, per method (Razorpay's `acquirer_data`).
pub(crate) fn acquirer_data(instrument: &Instrument) -> Result<Map<String, Value>, RazorpayError> {
    let value = match instrument {
        Instrument::Card(_) => json!({"auth_code": super::runtime::digits(6)?}),
        Instrument::Upi { .. } => {
            json!({"rrn": super::runtime::digits(12)?, "upi_transaction_id": super::runtime::digits(12)?})
        }
        Instrument::Netbanking { .. } => json!({"bank_transaction_id": super::runtime::digits(8)?}),
        Instrument::Wallet { .. } => json!({"transaction_id": super::runtime::digits(10)?}),
        Instrument::Saved(_) => json!({"auth_code": super::runtime::digits(6)?, "recurring": true}),
    };
    Ok(value.as_object().cloned().unwrap_or_default())
}

/// The statements that capture an authorized payment at its full amount.
#[allow(clippy::too_many_arguments)]
pub(crate) fn capture_statements(
    db: &D1Database,
    merchant_id: &str,
    payment_id: &str,
    order_id: &str,
    amount: i64,
    currency: &str,
    now_ms: i64,
) -> Result<Vec<D1PreparedStatement>, RazorpayError> {
    let fee = fee_for(amount, false);
    let postings = ledger::capture(amount, fee);
    let capture =
        Capture { merchant_id, payment_id, order_id, amount, currency, fee, postings: &postings, now_ms };
    let mut statements = store::payments::capture(db, &capture)?;
    // A poker deposit (an order of the house's) lands in the player's wallet in this transaction.
    if merchant_id == shared::poker::money::HOUSE_USER_ID {
        let credit = amount - fee.fee;
        statements.extend(crate::poker::money::credit_on_capture(db, payment_id, order_id, credit, now_ms)?);
    }
    // A lockers extension (an order of Lockers') moves the parcel's window in this transaction.
    if merchant_id == shared::lockers::window::LOCKERS_MERCHANT_ID {
        statements.extend(crate::lockers::store::extend_on_capture(db, payment_id, order_id, now_ms)?);
    }
    Ok(statements)
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
    let since = |key: VelocityKey| now_ms - RULES.iter().find(|r| r.key == key).map_or(0, |r| r.window_ms);
    let since = VelocitySince {
        card: since(VelocityKey::CardFingerprint),
        email: since(VelocityKey::Email),
        ip: since(VelocityKey::ClientIp),
    };
    let counts = store::payments::velocity(db, merchant_id, fingerprint, email, client_ip, &since).await?;
    Ok(assess(&Recent {
        card_fingerprint: fingerprint.map(|_| counts.card),
        email: (!email.is_empty()).then_some(counts.email),
        client_ip: client_ip.filter(|ip| *ip != "unknown").map(|_| counts.ip),
    }))
}

/// What a payment stores of its instrument: the card (its number never stored, only its
/// last four digits and keyed fingerprint), the UPI address, the bank or the wallet, or the
/// instrument a subscription saved.
pub(crate) fn instrument_columns(
    instrument: &Instrument,
    fingerprint: Option<&str>,
    now_ms: i64,
) -> Result<InstrumentColumns, RazorpayError> {
    let card_id =
        || -> Result<Option<String>, RazorpayError> { Ok(Some(new_id("card_", now_ms, random::<8>()?))) };
    Ok(match instrument {
        Instrument::Card(card) => InstrumentColumns {
            card_id: card_id()?,
            card_name: card.name.clone(),
            card_last4: Some(card.last4.clone()),
            card_network: Some(card.network.name().to_owned()),
            card_type: Some(card.card_type.as_str().to_owned()),
            card_fingerprint: Some(fingerprint.unwrap_or_default().to_owned()),
            ..InstrumentColumns::default()
        },
        Instrument::Upi { vpa } => {
            InstrumentColumns { vpa: Some(vpa.clone()), ..InstrumentColumns::default() }
        }
        Instrument::Netbanking { bank } => {
            InstrumentColumns { bank: Some(bank.code.to_owned()), ..InstrumentColumns::default() }
        }
        Instrument::Wallet { wallet } => {
            InstrumentColumns { wallet: Some((*wallet).to_owned()), ..InstrumentColumns::default() }
        }
        Instrument::Saved(saved) => InstrumentColumns {
            card_id: if saved.card_last4.is_some() { card_id()? } else { None },
            card_name: saved.card_name.clone(),
            card_last4: saved.card_last4.clone(),
            card_network: saved.card_network.clone(),
            card_type: saved.card_type.clone(),
            card_fingerprint: saved.card_fingerprint.clone(),
            vpa: saved.vpa.clone(),
            bank: saved.bank.clone(),
            wallet: saved.wallet.clone(),
        },
    })
}

/// Records one attempt to pay `order` (which belongs to `merchant_id`) and asks the test bank.
pub async fn attempt_payment(
    run: &Runtime<'_>,
    merchant_id: &str,
    order: &OrderRow,
    attempt: &NewPayment,
) -> Result<Attempted, RazorpayError> {
    let db = run.db()?;
    let now_ms = run.now_ms;
    check_payment_for_order(
        order.status,
        order.amount,
        &order.currency,
        attempt.amount,
        attempt.currency.code,
    )?;
    let method = attempt.instrument.method().as_str();
    let decision = routing::route(run, merchant_id, method).await?;
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
    let gateway_failed = decision.processor.is_none();
    let routing_json = serde_json::to_string(&decision).unwrap_or_default();
    let acquirer = if is_approved { acquirer_data(&attempt.instrument)? } else { Map::new() };
    let row = NewPaymentRow {
        id: id.as_str(),
        merchant_id,
        order_id: &order.id,
        amount: attempt.amount,
        currency: attempt.currency.code,
        status,
        method,
        description: attempt.description.as_deref(),
        email: &attempt.email,
        contact: &attempt.contact,
        notes: &attempt.notes,
        auto_capture: order.auto_capture,
        created_at: now_ms,
        acquirer_data: &acquirer,
        authorized: is_approved.then_some((now_ms, now_ms + order.capture_window_minutes * 60_000)),
        instrument: instrument_columns(&attempt.instrument, fingerprint.as_deref(), now_ms)?,
        processor: decision.processor.as_deref(),
        client_ip: run.client_ip,
        routing: &routing_json,
        decline: decline_of(&outcome, gateway_failed),
    };
    let mut statements = vec![
        store::payments::insert_attempt(&db, &row)?,
        store::payments::count_attempt(&db, &order.id, id.as_str())?,
    ];
    if held {
        let flags_json = serde_json::to_string(&flags).unwrap_or_default();
        statements.push(store::reviews::hold(&db, id.as_str(), merchant_id, &flags_json, now_ms)?);
    }
    let capturing = is_approved && order.auto_capture != 0 && !held;
    if capturing {
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
    // The capture UPDATE follows the insert and the order's update.
    let changes = run_batch(&db, statements, "a payment batch").await?;
    let captured = capturing && changes.get(2) == Some(&1);
    if changes.first() != Some(&1) {
        return Err(RazorpayError::not_allowed(if order.payment_link_id.is_some() {
            "This payment link no longer takes this payment"
        } else {
            "Order has already been paid"
        }));
    }
    tell(run, merchant_id, order, id.as_str(), outcome, captured, gateway_failed).await
}

/// Why a declined attempt failed, in Razorpay's terms: the bank said no, or no processor could
/// carry it (the gateway).
pub(crate) fn decline_of(outcome: &TestOutcome, gateway_failed: bool) -> Option<Decline<'static>> {
    match *outcome {
        TestOutcome::Decline { reason, description } => Some(Decline {
            code: if gateway_failed {
                RazorpayErrorCode::GatewayError
            } else {
                RazorpayErrorCode::BadRequestError
            },
            description,
            source: if gateway_failed { "gateway" } else { "bank" },
            step: "payment_authorization",
            reason,
        }),
        _ => None,
    }
}

/// Tells the merchant's webhooks what became of a stored attempt, and the caller: an approval
/// signed as Razorpay signs, the OTP step, or the decline as Razorpay's error.
async fn tell(
    run: &Runtime<'_>,
    merchant_id: &str,
    order: &OrderRow,
    payment_id: &str,
    outcome: TestOutcome,
    captured: bool,
    gateway_failed: bool,
) -> Result<Attempted, RazorpayError> {
    let events: &[&str] = match outcome {
        TestOutcome::Approve if captured => &["payment.authorized", "payment.captured", "order.paid"],
        TestOutcome::Approve => &["payment.authorized"],
        TestOutcome::Decline { .. } => &["payment.failed"],
        TestOutcome::RequireOtp => &[],
    };
    run.payment_events(merchant_id, payment_id, events).await;
    if captured {
        after_capture(run, merchant_id, payment_id).await;
    }
    match outcome {
        TestOutcome::Approve => approved(run.env, order, payment_id, captured),
        TestOutcome::RequireOtp => Ok(Attempted::NeedsOtp { payment_id: payment_id.to_owned() }),
        TestOutcome::Decline { description, .. } if gateway_failed => {
            Err(RazorpayError::gateway(description, GATEWAY_REASON)
                .with_metadata("payment_id", payment_id)
                .with_metadata("order_id", order.id.as_str()))
        }
        TestOutcome::Decline { reason, description } => {
            Err(declined(description, reason, payment_id, &order.id))
        }
    }
}

/// Payments read at most per query when concurrent reads are answered together.
const READS_PER_QUERY: usize = 50;

type PaymentKey = (String, String);

thread_local! {
    /// This isolate's `GET /v1/payments/{id}` reads, by (payment id, merchant id).
    static PAYMENT_READS: Rc<Coalesced<PaymentKey, PaymentRow>> = Rc::new(Coalesced::new(
        READS_PER_QUERY,
        |db, keys| {
            Box::pin(async move {
                let ids: Vec<String> = keys.into_iter().map(|(id, _)| id).collect();
                store::payments::of_ids(&db, &ids).await
            })
        },
        |row, (id, merchant_id)| row.id == *id && row.merchant_id == *merchant_id,
    ));
}

/// One of the merchant's payments, as `owned` reads it, but answered together with this
/// isolate's concurrent reads: the read of every checkout's last step costs one D1 round trip
/// per batch of requests, and is as fresh as a query of its own.
pub async fn read(cx: &Cx, merchant_id: &str, id: &str) -> Result<PaymentRow, RazorpayError> {
    let id = PaymentId::parse(id)?;
    let reads = PAYMENT_READS.with(Rc::clone);
    reads
        .run(&cx.ctx, cx.db()?, (id.as_str().to_owned(), merchant_id.to_owned()))
        .await?
        .ok_or_else(RazorpayError::no_such_id)
}

/// The merchant's payment `id` (another merchant's is one that does not exist).
pub async fn owned(db: &D1Database, merchant_id: &str, id: &str) -> Result<PaymentRow, RazorpayError> {
    let id = PaymentId::parse(id)?;
    store::payments::get(db, merchant_id, id.as_str()).await?.ok_or_else(RazorpayError::no_such_id)
}

async fn owned_with_order(
    db: &D1Database,
    merchant_id: &str,
    id: &str,
) -> Result<(PaymentRow, OrderRow), RazorpayError> {
    let payment = owned(db, merchant_id, id).await?;
    let order = store::orders::get(db, merchant_id, &payment.order_id)
        .await?
        .ok_or_else(RazorpayError::server_error)?;
    Ok((payment, order))
}

/// Only a payment waiting for its OTP takes one.
pub fn check_waiting_for_otp(payment: &PaymentRow) -> Result<(), RazorpayError> {
    if payment.status != PaymentStatus::Created {
        return Err(RazorpayError::not_allowed(format!(
            "This payment is {} and takes no OTP",
            payment.status.as_str()
        )));
    }
    Ok(())
}

/// Checks the OTP of a payment waiting for one (S2S and the hosted checkout): the right one
/// authorizes (and, with auto-capture, captures); each wrong one counts, and the last allowed
/// wrong one fails the payment.
pub async fn submit_otp(
    run: &Runtime<'_>,
    merchant_id: &str,
    id: &str,
    otp: &str,
) -> Result<Attempted, RazorpayError> {
    let db = run.db()?;
    let (payment, order) = owned_with_order(&db, merchant_id, id).await?;
    check_waiting_for_otp(&payment)?;
    if otp_matches(otp) {
        return authorize_after_otp(run, &db, merchant_id, &payment, &order).await;
    }
    let description = "The OTP entered is incorrect.";
    let last_try = payment.otp_attempts + 1 >= i64::from(MAX_OTP_ATTEMPTS);
    let failed_description = "Payment failed because the OTP was entered incorrectly too many times.";
    let failure = Decline {
        code: RazorpayErrorCode::BadRequestError,
        description: failed_description,
        source: "customer",
        step: "payment_authentication",
        reason: "incorrect_otp",
    };
    store::payments::wrong_otp(&db, merchant_id, &payment.id, i64::from(MAX_OTP_ATTEMPTS), &failure).await?;
    if last_try {
        run.payment_events(merchant_id, &payment.id, &["payment.failed"]).await;
    }
    let error = RazorpayError::payment_failed(
        if last_try { failed_description } else { description },
        failure.source,
        failure.step,
        failure.reason,
    )
    .with_metadata("payment_id", payment.id.as_str())
    .with_metadata("order_id", order.id.as_str());
    Err(RazorpayError { field: (!last_try).then(|| "otp".to_owned()), ..error })
}

async fn authorize_after_otp(
    run: &Runtime<'_>,
    db: &D1Database,
    merchant_id: &str,
    payment: &PaymentRow,
    order: &OrderRow,
) -> Result<Attempted, RazorpayError> {
    let acquirer = json!({"auth_code": super::runtime::digits(6)?}).as_object().cloned().unwrap_or_default();
    let deadline = run.now_ms + order.capture_window_minutes * 60_000;
    let mut statements = vec![store::payments::authorize_after_otp(
        db,
        merchant_id,
        &payment.id,
        run.now_ms,
        deadline,
        &acquirer,
    )?];
    // A payment the fraud rules flagged waits for the merchant's review instead.
    let capturing = payment.auto_capture != 0 && !store::reviews::is_pending(db, &payment.id).await?;
    if capturing {
        statements.extend(capture_statements(
            db,
            merchant_id,
            &payment.id,
            &order.id,
            payment.amount,
            &payment.currency,
            run.now_ms,
        )?);
    }
    let changes = run_batch(db, statements, "a payment batch").await?;
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
    run.payment_events(merchant_id, &payment.id, events).await;
    if captured {
        after_capture(run, merchant_id, &payment.id).await;
    }
    approved(run.env, order, &payment.id, captured)
}

/// What Dozen's own products do once a payment of theirs is captured (the capture's transaction
/// has done the rest): a lockers extension that came too late is refunded.
async fn after_capture(run: &Runtime<'_>, merchant_id: &str, payment_id: &str) {
    if merchant_id == shared::lockers::window::LOCKERS_MERCHANT_ID {
        crate::lockers::extension::refund_if_late(run, payment_id).await;
    }
}

/// Captures the merchant's payment `id` with its full authorized amount (Razorpay's body:
/// `amount`, `currency`). Concurrent captures of one payment capture it once; the others hear
/// "already captured".
pub async fn capture(
    run: &Runtime<'_>,
    merchant_id: &str,
    id: &str,
    body: &Map<String, Value>,
) -> Result<PaymentRow, RazorpayError> {
    let db = run.db()?;
    let (payment, order) = owned_with_order(&db, merchant_id, id).await?;
    let amount = parse_amount(body.get("amount"), "amount")?;
    let requested_currency = body.get("currency").and_then(Value::as_str);
    let payment_currency = currency(&payment.currency)?;
    check_capture(payment.status, payment.amount, payment_currency, amount, requested_currency)?;
    if store::reviews::is_pending(&db, &payment.id).await? {
        return Err(RazorpayError::not_allowed(
            "This payment is held for review; approve or reject it in the dashboard",
        ));
    }
    if order.status == OrderStatus::Paid {
        return Err(RazorpayError::not_allowed("Order has already been paid by another payment"));
    }
    let statements = capture_statements(
        &db,
        merchant_id,
        &payment.id,
        &order.id,
        payment.amount,
        &payment.currency,
        run.now_ms,
    )?;
    let changes = run_batch(&db, statements, "a payment batch").await?;
    let (after, _) = owned_with_order(&db, merchant_id, &payment.id).await?;
    if changes.first() != Some(&1) {
        // Someone else changed it between our read and our write: say what it is now.
        check_capture(after.status, after.amount, payment_currency, amount, requested_currency)?;
        return Err(RazorpayError::not_allowed("Order has already been paid by another payment"));
    }
    run.payment_events(merchant_id, &payment.id, &["payment.captured", "order.paid"]).await;
    after_capture(run, merchant_id, &payment.id).await;
    Ok(after)
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
    let captured = run_batch(&db, statements, "a payment batch").await?.first() == Some(&1);
    if captured {
        run.payment_events(merchant_id, &payment.id, &["payment.captured", "order.paid"]).await;
        after_capture(run, merchant_id, &payment.id).await;
    }
    Ok(captured)
}
