//! `pay_payments` and what moves with a payment in one transaction: its order's status, the
//! ledger postings of its capture, and the payment link it pays part of.

use super::{insert_where, ledger, merchant_page, notes_json, notes_of, window};
use crate::{
    coalesce::placeholders,
    d1::{all, first, num, opt_text, prepare, run, run_prepared, text},
};
use serde::Deserialize;
use serde_json::{Map, Value};
use shared::{
    pay::{
        entity::{unix_seconds, Card, Payment},
        error::RazorpayErrorCode,
        ledger::Movement,
        list::ListQuery,
        money::Fee,
        order::OrderStatus,
        payment::{PaymentStatus, RefundProgress},
        payment_link::LinkStatus,
    },
    ApiError,
};
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

#[derive(Deserialize, Clone)]
pub struct PaymentRow {
    pub id: String,
    pub merchant_id: String,
    pub order_id: String,
    pub amount: i64,
    pub currency: String,
    pub status: PaymentStatus,
    pub method: String,
    pub amount_refunded: i64,
    pub description: Option<String>,
    pub card_id: Option<String>,
    pub card_name: Option<String>,
    pub card_last4: Option<String>,
    pub card_network: Option<String>,
    pub card_type: Option<String>,
    pub bank: Option<String>,
    pub wallet: Option<String>,
    pub vpa: Option<String>,
    pub email: Option<String>,
    pub contact: Option<String>,
    pub notes: String,
    pub fee: Option<i64>,
    pub tax: Option<i64>,
    pub error_code: Option<String>,
    pub error_description: Option<String>,
    pub error_source: Option<String>,
    pub error_step: Option<String>,
    pub error_reason: Option<String>,
    pub acquirer_data: String,
    pub otp_attempts: i64,
    pub auto_capture: i64,
    pub created_at: i64,
    pub captured_at: Option<i64>,
}

impl PaymentRow {
    pub fn entity(&self) -> Payment {
        let refund_status = match self.amount_refunded {
            0 => None,
            refunded if refunded >= self.amount => Some(RefundProgress::Full),
            _ => Some(RefundProgress::Partial),
        };
        let card = match (&self.card_id, &self.card_last4) {
            (Some(id), Some(last4)) => Some(Card {
                id: id.clone(),
                entity: "card".into(),
                name: self.card_name.clone(),
                last4: last4.clone(),
                network: self.card_network.clone().unwrap_or_else(|| "Unknown".into()),
                card_type: self.card_type.clone().unwrap_or_else(|| "credit".into()),
                issuer: None,
                international: false,
                emi: false,
            }),
            _ => None,
        };
        Payment {
            id: self.id.clone(),
            entity: "payment".into(),
            amount: self.amount,
            currency: self.currency.clone(),
            status: self.status,
            order_id: Some(self.order_id.clone()),
            invoice_id: None,
            international: false,
            method: self.method.clone(),
            amount_refunded: self.amount_refunded,
            refund_status,
            captured: self.captured_at.is_some(),
            description: self.description.clone(),
            card_id: self.card_id.clone(),
            card,
            bank: self.bank.clone(),
            wallet: self.wallet.clone(),
            vpa: self.vpa.clone(),
            email: self.email.clone(),
            contact: self.contact.clone(),
            customer_id: None,
            notes: notes_of(&self.notes),
            fee: self.fee,
            tax: self.tax,
            error_code: self.error_code.clone(),
            error_description: self.error_description.clone(),
            error_source: self.error_source.clone(),
            error_step: self.error_step.clone(),
            error_reason: self.error_reason.clone(),
            acquirer_data: notes_of(&self.acquirer_data),
            created_at: unix_seconds(self.created_at),
        }
    }
}

pub async fn get(db: &D1Database, merchant_id: &str, id: &str) -> Result<Option<PaymentRow>, ApiError> {
    first(db, "SELECT * FROM pay_payments WHERE id = ?1 AND merchant_id = ?2", &[text(id), text(merchant_id)])
        .await
}

/// The payments of these ids, whoever's they are (the caller checks): one query for many reads.
pub async fn of_ids(db: &D1Database, ids: &[String]) -> Result<Vec<PaymentRow>, ApiError> {
    let sql = format!("SELECT * FROM pay_payments WHERE id IN ({})", placeholders(ids.len()));
    all(db, &sql, &ids.iter().map(|id| text(id)).collect::<Vec<_>>()).await
}

pub async fn of_order(
    db: &D1Database,
    merchant_id: &str,
    order_id: &str,
) -> Result<Vec<PaymentRow>, ApiError> {
    all(
        db,
        "SELECT * FROM pay_payments WHERE order_id = ?1 AND merchant_id = ?2 ORDER BY created_at DESC, id DESC",
        &[text(order_id), text(merchant_id)],
    )
    .await
}

pub async fn page(
    db: &D1Database,
    merchant_id: &str,
    query: &ListQuery,
) -> Result<Vec<PaymentRow>, ApiError> {
    merchant_page(db, "pay_payments", merchant_id, query).await
}

/// A page of the merchant's payments with the dashboard's filters.
pub async fn page_filtered(
    db: &D1Database,
    merchant_id: &str,
    status: Option<PaymentStatus>,
    method: Option<&str>,
    query: &ListQuery,
) -> Result<Vec<PaymentRow>, ApiError> {
    all(
        db,
        "SELECT * FROM pay_payments WHERE merchant_id = ?1 AND (?2 IS NULL OR status = ?2) AND (?3 IS NULL OR method = ?3) \
           AND created_at >= ?4 AND created_at < ?5 ORDER BY created_at DESC, id DESC LIMIT ?6 OFFSET ?7",
        &[[text(merchant_id), opt_text(status.map(PaymentStatus::as_str)), opt_text(method)].as_slice(), &window(query)]
            .concat(),
    )
    .await
}

/// Whose payment `id` is, and of which order: the checkout's OTP step is public by payment id.
#[derive(Deserialize)]
pub struct PaymentOwner {
    pub merchant_id: String,
    pub order_id: String,
}

pub async fn owner(db: &D1Database, id: &str) -> Result<Option<PaymentOwner>, ApiError> {
    first(db, "SELECT merchant_id, order_id FROM pay_payments WHERE id = ?1", &[text(id)]).await
}

/// The merchant's attempts since each time, by card fingerprint, email and client address.
#[derive(Deserialize, Default)]
pub struct VelocityCounts {
    pub card: i64,
    pub email: i64,
    pub ip: i64,
}

pub struct VelocitySince {
    pub card: i64,
    pub email: i64,
    pub ip: i64,
}

pub async fn velocity(
    db: &D1Database,
    merchant_id: &str,
    fingerprint: Option<&str>,
    email: &str,
    client_ip: Option<&str>,
    since: &VelocitySince,
) -> Result<VelocityCounts, ApiError> {
    let counts: Option<VelocityCounts> = first(
        db,
        "SELECT \
           (SELECT COUNT(*) FROM pay_payments WHERE merchant_id = ?1 AND card_fingerprint = ?2 AND created_at > ?5) AS card, \
           (SELECT COUNT(*) FROM pay_payments WHERE merchant_id = ?1 AND email = ?3 AND created_at > ?6) AS email, \
           (SELECT COUNT(*) FROM pay_payments WHERE merchant_id = ?1 AND client_ip = ?4 AND created_at > ?7) AS ip",
        &[
            text(merchant_id),
            opt_text(fingerprint),
            text(email),
            opt_text(client_ip),
            num(since.card),
            num(since.email),
            num(since.ip),
        ],
    )
    .await?;
    Ok(counts.unwrap_or_default())
}

/// What paid, as stored: the card (never its number: last four digits and a keyed
/// fingerprint), the UPI address, the bank or the wallet.
#[derive(Default)]
pub struct InstrumentColumns {
    pub card_id: Option<String>,
    pub card_name: Option<String>,
    pub card_last4: Option<String>,
    pub card_network: Option<String>,
    pub card_type: Option<String>,
    pub card_fingerprint: Option<String>,
    pub vpa: Option<String>,
    pub bank: Option<String>,
    pub wallet: Option<String>,
}

/// Why a payment failed, in Razorpay's terms.
pub struct Decline<'a> {
    pub code: RazorpayErrorCode,
    pub description: &'a str,
    pub source: &'a str,
    pub step: &'a str,
    pub reason: &'a str,
}

pub fn error_code(code: RazorpayErrorCode) -> &'static str {
    match code {
        RazorpayErrorCode::BadRequestError => "BAD_REQUEST_ERROR",
        RazorpayErrorCode::GatewayError => "GATEWAY_ERROR",
        RazorpayErrorCode::ServerError => "SERVER_ERROR",
    }
}

/// One attempt to pay an order, as it is first stored.
pub struct NewPaymentRow<'a> {
    pub id: &'a str,
    pub merchant_id: &'a str,
    pub order_id: &'a str,
    pub amount: i64,
    pub currency: &'a str,
    pub status: PaymentStatus,
    pub method: &'a str,
    pub description: Option<&'a str>,
    pub email: &'a str,
    pub contact: &'a str,
    pub notes: &'a Map<String, Value>,
    pub auto_capture: i64,
    pub created_at: i64,
    pub acquirer_data: &'a Map<String, Value>,
    /// (authorized_at, capture_deadline) of an approval.
    pub authorized: Option<(i64, i64)>,
    pub instrument: InstrumentColumns,
    pub processor: Option<&'a str>,
    pub client_ip: Option<&'a str>,
    /// The routing decision's JSON.
    pub routing: &'a str,
    pub decline: Option<Decline<'a>>,
}

/// Stores an attempt, only while its order is unpaid and, for a payment link's order, while
/// the link is open, unexpired and has room for it.
pub fn insert_attempt(db: &D1Database, row: &NewPaymentRow<'_>) -> Result<D1PreparedStatement, ApiError> {
    let opt = |value: &Option<String>| opt_text(value.as_deref());
    let i = &row.instrument;
    let mut columns: Vec<(&str, JsValue)> = vec![
        ("id", text(row.id)),
        ("merchant_id", text(row.merchant_id)),
        ("order_id", text(row.order_id)),
        ("amount", num(row.amount)),
        ("currency", text(row.currency)),
        ("status", text(row.status.as_str())),
        ("method", text(row.method)),
        ("description", opt_text(row.description)),
        ("email", text(row.email)),
        ("contact", text(row.contact)),
        ("notes", text(&notes_json(row.notes))),
        ("auto_capture", num(row.auto_capture)),
        ("created_at", num(row.created_at)),
        ("acquirer_data", text(&notes_json(row.acquirer_data))),
        ("card_id", opt(&i.card_id)),
        ("card_name", opt(&i.card_name)),
        ("card_last4", opt(&i.card_last4)),
        ("card_network", opt(&i.card_network)),
        ("card_type", opt(&i.card_type)),
        ("card_fingerprint", opt(&i.card_fingerprint)),
        ("vpa", opt(&i.vpa)),
        ("bank", opt(&i.bank)),
        ("wallet", opt(&i.wallet)),
        ("processor", opt_text(row.processor)),
        ("client_ip", opt_text(row.client_ip)),
        ("routing", text(row.routing)),
    ];
    if let Some((authorized_at, capture_deadline)) = row.authorized {
        columns.push(("authorized_at", num(authorized_at)));
        columns.push(("capture_deadline", num(capture_deadline)));
    }
    if let Some(decline) = &row.decline {
        columns.extend([
            ("error_code", text(error_code(decline.code))),
            ("error_description", text(decline.description)),
            ("error_source", text(decline.source)),
            ("error_step", text(decline.step)),
            ("error_reason", text(decline.reason)),
        ]);
    }
    insert_where(
        db,
        "pay_payments",
        &columns,
        "EXISTS (SELECT 1 FROM pay_orders WHERE id = ? AND merchant_id = ? AND status != ?) \
         AND NOT EXISTS (SELECT 1 FROM pay_orders o JOIN pay_payment_links l ON l.id = o.payment_link_id \
           WHERE o.id = ? AND (l.status NOT IN (?, ?) OR l.expire_by <= ? OR l.amount_paid + o.amount > l.amount))",
        &[
            text(row.order_id),
            text(row.merchant_id),
            text(OrderStatus::Paid.as_str()),
            text(row.order_id),
            text(LinkStatus::Created.as_str()),
            text(LinkStatus::PartiallyPaid.as_str()),
            num(row.created_at),
        ],
    )
}

/// The order counts the attempt (if it was stored) and is `attempted` unless paid.
pub fn count_attempt(
    db: &D1Database,
    order_id: &str,
    payment_id: &str,
) -> Result<D1PreparedStatement, ApiError> {
    prepare(
        db,
        "UPDATE pay_orders SET attempts = attempts + 1, status = CASE WHEN status = ?3 THEN status ELSE ?4 END \
         WHERE id = ?1 AND EXISTS (SELECT 1 FROM pay_payments WHERE id = ?2)",
        &[
            text(order_id),
            text(payment_id),
            text(OrderStatus::Paid.as_str()),
            text(OrderStatus::Attempted.as_str()),
        ],
    )
}

/// What capturing an authorized payment writes.
pub struct Capture<'a> {
    pub merchant_id: &'a str,
    pub payment_id: &'a str,
    pub order_id: &'a str,
    pub amount: i64,
    pub currency: &'a str,
    pub fee: Fee,
    /// Its ledger postings (`shared::pay::ledger::capture`).
    pub postings: &'a [shared::pay::ledger::Posting],
    pub now_ms: i64,
}

/// The statements that capture an authorized payment: the payment (only while its order is
/// unpaid, and a payment link's order only while the link is open and has room for it), its
/// ledger postings and the order, each guarded on the capture having happened; the link counts
/// each captured payment once and recomputes its total from those rows. The first statement's
/// change count says whether it was captured.
pub fn capture(db: &D1Database, c: &Capture<'_>) -> Result<Vec<D1PreparedStatement>, ApiError> {
    let (paid, created, partially_paid) =
        (LinkStatus::Paid.as_str(), LinkStatus::Created.as_str(), LinkStatus::PartiallyPaid.as_str());
    let mut statements = vec![prepare(
        db,
        "UPDATE pay_payments SET status = ?1, fee = ?2, tax = ?3, captured_at = ?4 \
         WHERE id = ?5 AND merchant_id = ?6 AND status = ?7 \
         AND EXISTS (SELECT 1 FROM pay_orders WHERE id = ?8 AND status != ?9) \
         AND NOT EXISTS (SELECT 1 FROM pay_orders o JOIN pay_payment_links l ON l.id = o.payment_link_id \
           WHERE o.id = ?8 AND (l.status NOT IN (?10, ?11) OR l.amount_paid + ?12 > l.amount))",
        &[
            text(PaymentStatus::Captured.as_str()),
            num(c.fee.fee),
            num(c.fee.tax),
            num(c.now_ms),
            text(c.payment_id),
            text(c.merchant_id),
            text(PaymentStatus::Authorized.as_str()),
            text(c.order_id),
            text(OrderStatus::Paid.as_str()),
            text(created),
            text(partially_paid),
            num(c.amount),
        ],
    )?];
    let captured = "EXISTS (SELECT 1 FROM pay_payments WHERE id = ? AND captured_at IS NOT NULL)";
    statements.extend(ledger::post(
        db,
        &ledger::Entry {
            merchant_id: c.merchant_id,
            movement: Movement::Capture,
            source_id: c.payment_id,
            postings: c.postings,
            currency: c.currency,
            now_ms: c.now_ms,
        },
        captured,
        &[text(c.payment_id)],
    )?);
    let captured_n = |n: usize| captured.replace('?', &format!("?{n}"));
    statements.push(prepare(
        db,
        &format!(
            "UPDATE pay_orders SET status = ?2, amount_paid = amount WHERE id = ?1 AND {}",
            captured_n(3)
        ),
        &[text(c.order_id), text(OrderStatus::Paid.as_str()), text(c.payment_id)],
    )?);
    statements.push(prepare(
        db,
        &format!(
            "INSERT OR IGNORE INTO pay_payment_link_payments (payment_id, plink_id, amount, created_at) \
             SELECT ?1, payment_link_id, ?2, ?3 FROM pay_orders WHERE id = ?4 AND payment_link_id IS NOT NULL AND {}",
            captured_n(1)
        ),
        &[text(c.payment_id), num(c.amount), num(c.now_ms), text(c.order_id)],
    )?);
    statements.push(prepare(
        db,
        &format!(
            "UPDATE pay_payment_links SET \
               amount_paid = (SELECT COALESCE(SUM(amount), 0) FROM pay_payment_link_payments WHERE plink_id = pay_payment_links.id), \
               status = CASE WHEN (SELECT COALESCE(SUM(amount), 0) FROM pay_payment_link_payments \
                                   WHERE plink_id = pay_payment_links.id) >= amount THEN ?4 ELSE ?5 END, \
               updated_at = ?1 \
             WHERE id = (SELECT payment_link_id FROM pay_orders WHERE id = ?2) AND {}",
            captured_n(3)
        ),
        &[num(c.now_ms), text(c.order_id), text(c.payment_id), text(paid), text(partially_paid)],
    )?);
    Ok(statements)
}

/// A payment waiting for its OTP is authorized (the OTP was right).
pub fn authorize_after_otp(
    db: &D1Database,
    merchant_id: &str,
    payment_id: &str,
    now_ms: i64,
    capture_deadline: i64,
    acquirer_data: &Map<String, Value>,
) -> Result<D1PreparedStatement, ApiError> {
    prepare(
        db,
        "UPDATE pay_payments SET status = ?1, authorized_at = ?2, capture_deadline = ?3, acquirer_data = ?4 \
         WHERE id = ?5 AND merchant_id = ?6 AND status = ?7",
        &[
            text(PaymentStatus::Authorized.as_str()),
            num(now_ms),
            num(capture_deadline),
            text(&notes_json(acquirer_data)),
            text(payment_id),
            text(merchant_id),
            text(PaymentStatus::Created.as_str()),
        ],
    )
}

/// Counts a wrong OTP; the last allowed one fails the payment with `failure`.
pub async fn wrong_otp(
    db: &D1Database,
    merchant_id: &str,
    payment_id: &str,
    max_attempts: i64,
    failure: &Decline<'_>,
) -> Result<usize, ApiError> {
    run_prepared(wrong_otp_statement(db, merchant_id, payment_id, max_attempts, failure)?, "a wrong OTP")
        .await
}

pub fn wrong_otp_statement(
    db: &D1Database,
    merchant_id: &str,
    payment_id: &str,
    max_attempts: i64,
    failure: &Decline<'_>,
) -> Result<D1PreparedStatement, ApiError> {
    prepare(
        db,
        "UPDATE pay_payments SET otp_attempts = otp_attempts + 1, \
           status = CASE WHEN otp_attempts + 1 >= ?1 THEN ?5 ELSE status END, \
           error_code = CASE WHEN otp_attempts + 1 >= ?1 THEN ?6 END, \
           error_description = CASE WHEN otp_attempts + 1 >= ?1 THEN ?2 END, \
           error_source = CASE WHEN otp_attempts + 1 >= ?1 THEN ?7 END, \
           error_step = CASE WHEN otp_attempts + 1 >= ?1 THEN ?8 END, \
           error_reason = CASE WHEN otp_attempts + 1 >= ?1 THEN ?9 END \
         WHERE id = ?3 AND merchant_id = ?4 AND status = ?10",
        &[
            num(max_attempts),
            text(failure.description),
            text(payment_id),
            text(merchant_id),
            text(PaymentStatus::Failed.as_str()),
            text(error_code(failure.code)),
            text(failure.source),
            text(failure.step),
            text(failure.reason),
            text(PaymentStatus::Created.as_str()),
        ],
    )
}

/// Authorized payments whose capture window closed by `now_ms`, oldest deadline first.
pub async fn due_for_release(db: &D1Database, now_ms: i64, limit: i64) -> Result<Vec<PaymentRow>, ApiError> {
    all(
        db,
        "SELECT * FROM pay_payments WHERE status = ?1 AND capture_deadline <= ?2 ORDER BY capture_deadline LIMIT ?3",
        &[text(PaymentStatus::Authorized.as_str()), num(now_ms), num(limit)],
    )
    .await
}

/// Fails the payments created (waiting for an OTP) at or before `cutoff_ms`.
pub async fn fail_waiting_since(
    db: &D1Database,
    cutoff_ms: i64,
    failure: &Decline<'_>,
) -> Result<usize, ApiError> {
    run(
        db,
        "UPDATE pay_payments SET status = ?2, error_code = ?3, error_description = ?4, error_source = ?5, \
           error_step = ?6, error_reason = ?7 \
         WHERE status = ?8 AND created_at <= ?1",
        &[
            num(cutoff_ms),
            text(PaymentStatus::Failed.as_str()),
            text(error_code(failure.code)),
            text(failure.description),
            text(failure.source),
            text(failure.step),
            text(failure.reason),
            text(PaymentStatus::Created.as_str()),
        ],
    )
    .await
}

/// The newest 20 routing decisions of the merchant's payments.
#[derive(Deserialize)]
pub struct RoutedPayment {
    pub id: String,
    pub created_at: i64,
    /// The decision's JSON.
    pub routing: String,
}

pub async fn recent_routing(db: &D1Database, merchant_id: &str) -> Result<Vec<RoutedPayment>, ApiError> {
    all(
        db,
        "SELECT id, created_at, routing FROM pay_payments WHERE merchant_id = ?1 AND routing IS NOT NULL \
         ORDER BY created_at DESC, id DESC LIMIT 20",
        &[text(merchant_id)],
    )
    .await
}

/// Attempts, successes and captured volume of one method or processor.
#[derive(Deserialize)]
pub struct Figures {
    /// The method or processor.
    pub label: String,
    pub attempts: i64,
    pub succeeded: i64,
    pub volume: i64,
}

/// The merchant's figures since `since_ms`, by `method` or by `processor` (a fixed column).
pub async fn figures_by(
    db: &D1Database,
    merchant_id: &str,
    since_ms: i64,
    by_processor: bool,
) -> Result<Vec<Figures>, ApiError> {
    let column = if by_processor { "processor" } else { "method" };
    all(
        db,
        &format!(
            "SELECT {column} AS label, COUNT(*) AS attempts, \
               SUM(CASE WHEN status IN (?3, ?4, ?5) THEN 1 ELSE 0 END) AS succeeded, \
               SUM(CASE WHEN captured_at IS NOT NULL THEN amount ELSE 0 END) AS volume \
             FROM pay_payments WHERE merchant_id = ?1 AND created_at >= ?2 AND {column} IS NOT NULL \
             GROUP BY {column} ORDER BY {column}"
        ),
        &[
            text(merchant_id),
            num(since_ms),
            text(PaymentStatus::Authorized.as_str()),
            text(PaymentStatus::Captured.as_str()),
            text(PaymentStatus::Refunded.as_str()),
        ],
    )
    .await
}

/// Captured payments per UTC day.
#[derive(Deserialize)]
pub struct Day {
    pub day: String,
    pub count: i64,
    pub volume: i64,
}

pub async fn captured_by_day(
    db: &D1Database,
    merchant_id: &str,
    since_ms: i64,
) -> Result<Vec<Day>, ApiError> {
    all(
        db,
        "SELECT strftime('%Y-%m-%d', captured_at / 1000, 'unixepoch') AS day, COUNT(*) AS count, SUM(amount) AS volume \
         FROM pay_payments WHERE merchant_id = ?1 AND captured_at >= ?2 GROUP BY day ORDER BY day",
        &[text(merchant_id), num(since_ms)],
    )
    .await
}
