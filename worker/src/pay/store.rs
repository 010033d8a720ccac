//! Pay's D1 tables (migrations/0006_pay.sql): rows, their Razorpay entities, and the guarded
//! statements that keep money exact under races. Every query names the merchant.
//!
//! Races are settled inside D1 batches (one transaction each): a statement that must happen
//! only if an earlier one did is guarded by `WHERE EXISTS (…)` on what that earlier one wrote,
//! so twenty captures of one payment post one capture, and refunds never pass the amount.

use crate::d1::{all, first, num, opt_text, prepare, text};
use serde::{de::DeserializeOwned, Deserialize};
use serde_json::{Map, Value};
use shared::pay::{
    entity::{unix_seconds, Card, Order, Payment, PaymentLink, PaymentLinkPayment, Refund},
    ledger::{Movement, Posting},
    list::ListQuery,
    order::OrderStatus,
    payment::{PaymentStatus, RefundProgress, RefundStatus},
    payment_link::{LinkCustomer, LinkState, LinkStatus},
    RazorpayError,
};
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

pub fn notes_of(json: &str) -> Map<String, Value> {
    serde_json::from_str(json).unwrap_or_default()
}

pub fn notes_json(notes: &Map<String, Value>) -> String {
    serde_json::to_string(notes).unwrap_or_else(|_| "{}".into())
}

/// `INSERT INTO table (columns…) SELECT ?… WHERE guard`: an insert that happens only when the
/// guard holds. `guard_args` bind the guard's own `?`s, after the columns'.
pub fn insert_where(
    db: &D1Database,
    table: &str,
    columns: &[(&str, JsValue)],
    guard: &str,
    guard_args: &[JsValue],
) -> Result<D1PreparedStatement, RazorpayError> {
    let names: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
    let marks = vec!["?"; columns.len()].join(", ");
    let sql = format!("INSERT INTO {table} ({}) SELECT {marks} WHERE {guard}", names.join(", "));
    let mut args: Vec<JsValue> = columns.iter().map(|(_, value)| value.clone()).collect();
    args.extend_from_slice(guard_args);
    Ok(prepare(db, &sql, &args)?)
}

/// The ledger postings of one movement, each written only if `guard` holds; a movement posts
/// at most once (UNIQUE (movement, source_id, account)).
#[allow(clippy::too_many_arguments)]
pub fn ledger_statements(
    db: &D1Database,
    merchant_id: &str,
    movement: Movement,
    source_id: &str,
    postings: &[Posting],
    currency: &str,
    now_ms: i64,
    guard: &str,
    guard_args: &[JsValue],
) -> Result<Vec<D1PreparedStatement>, RazorpayError> {
    postings
        .iter()
        .map(|posting| {
            let sql = format!(
                "INSERT OR IGNORE INTO pay_ledger (merchant_id, movement, source_id, account, amount, currency, created_at) \
                 SELECT ?, ?, ?, ?, ?, ?, ? WHERE {guard}"
            );
            let mut args = vec![
                text(merchant_id),
                text(movement.as_str()),
                text(source_id),
                text(posting.account.as_str()),
                num(posting.amount),
                text(currency),
                num(now_ms),
            ];
            args.extend_from_slice(guard_args);
            Ok(prepare(db, &sql, &args)?)
        })
        .collect()
}

/// One page of a merchant's rows of `table` (a fixed table name, never input), newest first,
/// under Razorpay's list filters.
pub async fn merchant_page<T: DeserializeOwned>(
    db: &D1Database,
    table: &str,
    merchant_id: &str,
    query: &ListQuery,
) -> Result<Vec<T>, RazorpayError> {
    Ok(all(
        db,
        &format!(
            "SELECT * FROM {table} WHERE merchant_id = ?1 AND created_at >= ?2 AND created_at < ?3 \
             ORDER BY created_at DESC, id DESC LIMIT ?4 OFFSET ?5"
        ),
        &[
            text(merchant_id),
            num(query.from_ms),
            num(query.until_ms.min(1 << 52)),
            num(query.count),
            num(query.skip),
        ],
    )
    .await?)
}

// --- keys -------------------------------------------------------------------------------------

#[derive(Deserialize)]
pub struct KeyRow {
    pub key_id: String,
    pub merchant_id: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

pub async fn key(db: &D1Database, key_id: &str) -> Result<Option<KeyRow>, RazorpayError> {
    Ok(first(db, "SELECT * FROM pay_keys WHERE key_id = ?1", &[text(key_id)]).await?)
}

// --- orders -----------------------------------------------------------------------------------

#[derive(Deserialize, Clone)]
pub struct OrderRow {
    pub id: String,
    pub key_id: String,
    pub amount: i64,
    pub amount_paid: i64,
    pub currency: String,
    pub receipt: Option<String>,
    pub status: String,
    pub attempts: i64,
    pub notes: String,
    pub auto_capture: i64,
    pub capture_window_minutes: i64,
    pub created_at: i64,
    /// Set when the order pays (part of) a payment link.
    #[serde(default)]
    pub payment_link_id: Option<String>,
    /// Set when the order is one charge of a subscription.
    #[serde(default)]
    pub subscription_id: Option<String>,
}

impl OrderRow {
    pub fn status(&self) -> OrderStatus {
        OrderStatus::parse(&self.status).unwrap_or(OrderStatus::Created)
    }

    pub fn entity(&self) -> Order {
        Order {
            id: self.id.clone(),
            entity: "order".into(),
            amount: self.amount,
            amount_paid: self.amount_paid,
            amount_due: self.amount - self.amount_paid,
            currency: self.currency.clone(),
            receipt: self.receipt.clone(),
            offer_id: None,
            status: self.status(),
            attempts: self.attempts,
            notes: notes_of(&self.notes),
            created_at: unix_seconds(self.created_at),
        }
    }
}

pub async fn order(db: &D1Database, merchant_id: &str, id: &str) -> Result<Option<OrderRow>, RazorpayError> {
    Ok(first(
        db,
        "SELECT * FROM pay_orders WHERE id = ?1 AND merchant_id = ?2",
        &[text(id), text(merchant_id)],
    )
    .await?)
}

// --- payments ---------------------------------------------------------------------------------

#[derive(Deserialize, Clone)]
pub struct PaymentRow {
    pub id: String,
    pub merchant_id: String,
    pub order_id: String,
    pub amount: i64,
    pub currency: String,
    pub status: String,
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
    pub fn status(&self) -> PaymentStatus {
        PaymentStatus::parse(&self.status).unwrap_or(PaymentStatus::Failed)
    }

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
            status: self.status(),
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

pub async fn payment(
    db: &D1Database,
    merchant_id: &str,
    id: &str,
) -> Result<Option<PaymentRow>, RazorpayError> {
    Ok(first(
        db,
        "SELECT * FROM pay_payments WHERE id = ?1 AND merchant_id = ?2",
        &[text(id), text(merchant_id)],
    )
    .await?)
}

pub async fn payments_of_order(
    db: &D1Database,
    merchant_id: &str,
    order_id: &str,
) -> Result<Vec<PaymentRow>, RazorpayError> {
    Ok(all(
        db,
        "SELECT * FROM pay_payments WHERE order_id = ?1 AND merchant_id = ?2 ORDER BY created_at DESC, id DESC",
        &[text(order_id), text(merchant_id)],
    )
    .await?)
}

// --- refunds ----------------------------------------------------------------------------------

#[derive(Deserialize, Clone)]
pub struct RefundRow {
    pub id: String,
    pub payment_id: String,
    pub amount: i64,
    pub currency: String,
    pub status: String,
    pub notes: String,
    pub receipt: Option<String>,
    pub speed_requested: String,
    pub speed_processed: Option<String>,
    pub arn: Option<String>,
    pub created_at: i64,
}

impl RefundRow {
    pub fn entity(&self) -> Refund {
        let mut acquirer_data = Map::new();
        acquirer_data.insert("arn".into(), self.arn.clone().map_or(Value::Null, Value::String));
        Refund {
            id: self.id.clone(),
            entity: "refund".into(),
            amount: self.amount,
            currency: self.currency.clone(),
            payment_id: self.payment_id.clone(),
            notes: notes_of(&self.notes),
            receipt: self.receipt.clone(),
            acquirer_data,
            created_at: unix_seconds(self.created_at),
            batch_id: None,
            status: RefundStatus::parse(&self.status).unwrap_or(RefundStatus::Pending),
            speed_processed: self.speed_processed.clone(),
            speed_requested: self.speed_requested.clone(),
        }
    }
}

pub async fn refund(
    db: &D1Database,
    merchant_id: &str,
    id: &str,
) -> Result<Option<RefundRow>, RazorpayError> {
    Ok(first(
        db,
        "SELECT * FROM pay_refunds WHERE id = ?1 AND merchant_id = ?2",
        &[text(id), text(merchant_id)],
    )
    .await?)
}

pub async fn refunds_of_payment(
    db: &D1Database,
    merchant_id: &str,
    payment_id: &str,
    query: &ListQuery,
) -> Result<Vec<RefundRow>, RazorpayError> {
    Ok(all(
        db,
        "SELECT * FROM pay_refunds WHERE payment_id = ?1 AND merchant_id = ?2 AND created_at >= ?3 AND created_at < ?4 \
         ORDER BY created_at DESC, id DESC LIMIT ?5 OFFSET ?6",
        &[
            text(payment_id),
            text(merchant_id),
            num(query.from_ms),
            num(query.until_ms.min(1 << 52)),
            num(query.count),
            num(query.skip),
        ],
    )
    .await?)
}

/// Optional text or NULL, for inserts.
pub fn maybe(value: Option<&str>) -> JsValue {
    opt_text(value)
}

// --- payment links ----------------------------------------------------------------------------

#[derive(Deserialize, Clone)]
pub struct PaymentLinkRow {
    pub id: String,
    pub merchant_id: String,
    pub key_id: String,
    pub amount: i64,
    pub amount_paid: i64,
    pub currency: String,
    pub accept_partial: i64,
    pub first_min_partial_amount: Option<i64>,
    pub description: Option<String>,
    pub reference_id: Option<String>,
    pub customer: String,
    pub notify_sms: i64,
    pub notify_email: i64,
    pub reminder_enable: i64,
    pub notes: String,
    pub callback_url: Option<String>,
    pub upi_link: i64,
    pub short_url: String,
    pub status: String,
    pub expire_by: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub cancelled_at: Option<i64>,
    pub expired_at: Option<i64>,
}

#[derive(Deserialize)]
struct LinkPaymentRow {
    payment_id: String,
    amount: i64,
    created_at: i64,
    method: String,
    status: String,
}

impl PaymentLinkRow {
    pub fn status(&self) -> LinkStatus {
        LinkStatus::parse(&self.status).unwrap_or(LinkStatus::Created)
    }

    pub fn state(&self) -> LinkState {
        LinkState {
            status: self.status(),
            amount: self.amount,
            amount_paid: self.amount_paid,
            accept_partial: self.accept_partial != 0,
            first_min_partial_amount: self.first_min_partial_amount,
            expire_by_ms: self.expire_by,
            min_amount: shared::pay::money::currency(&self.currency).map_or(100, |c| c.min_amount),
        }
    }

    /// Razorpay's entity, with the link's captured payments.
    pub async fn entity(&self, db: &D1Database) -> PaymentLink {
        let payments: Vec<LinkPaymentRow> = all(
            db,
            "SELECT lp.payment_id, lp.amount, lp.created_at, p.method, p.status FROM pay_payment_link_payments lp \
             JOIN pay_payments p ON p.id = lp.payment_id WHERE lp.plink_id = ?1 ORDER BY lp.created_at",
            &[text(&self.id)],
        )
        .await
        .unwrap_or_default();
        let mut notify = Map::new();
        notify.insert("sms".into(), Value::Bool(self.notify_sms != 0));
        notify.insert("email".into(), Value::Bool(self.notify_email != 0));
        PaymentLink {
            id: self.id.clone(),
            accept_partial: self.accept_partial != 0,
            amount: self.amount,
            amount_paid: self.amount_paid,
            callback_method: if self.callback_url.is_some() { "get".into() } else { String::new() },
            callback_url: self.callback_url.clone().unwrap_or_default(),
            cancelled_at: self.cancelled_at.map_or(0, unix_seconds),
            created_at: unix_seconds(self.created_at),
            currency: self.currency.clone(),
            customer: serde_json::from_str::<LinkCustomer>(&self.customer).unwrap_or_default(),
            description: self.description.clone().unwrap_or_default(),
            expire_by: unix_seconds(self.expire_by),
            expired_at: self.expired_at.map_or(0, unix_seconds),
            first_min_partial_amount: self.first_min_partial_amount.unwrap_or(0),
            notes: notes_of(&self.notes),
            notify,
            payments: (!payments.is_empty()).then(|| {
                payments
                    .iter()
                    .map(|p| PaymentLinkPayment {
                        amount: p.amount,
                        created_at: unix_seconds(p.created_at),
                        method: p.method.clone(),
                        payment_id: p.payment_id.clone(),
                        plink_id: self.id.clone(),
                        status: p.status.clone(),
                        updated_at: unix_seconds(p.created_at),
                    })
                    .collect()
            }),
            reference_id: self.reference_id.clone().unwrap_or_default(),
            reminder_enable: self.reminder_enable != 0,
            reminders: Vec::new(),
            short_url: self.short_url.clone(),
            status: self.status(),
            updated_at: unix_seconds(self.updated_at),
            upi_link: self.upi_link != 0,
            user_id: String::new(),
        }
    }
}

pub async fn payment_link(
    db: &D1Database,
    merchant_id: &str,
    id: &str,
) -> Result<Option<PaymentLinkRow>, RazorpayError> {
    Ok(first(
        db,
        "SELECT * FROM pay_payment_links WHERE id = ?1 AND merchant_id = ?2",
        &[text(id), text(merchant_id)],
    )
    .await?)
}
