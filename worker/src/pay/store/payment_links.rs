//! `pay_payment_links` and `pay_payment_link_payments` (each captured payment of a link, counted
//! once; the link's total is recomputed from them when a payment is captured, in `payments`).

use super::{notes_of, Owner};
use crate::d1::{all, first, num, opt_num, opt_text, prepare, run, run_prepared, text};
use serde::Deserialize;
use serde_json::{Map, Value};
use shared::{
    pay::{
        entity::{unix_seconds, PaymentLink, PaymentLinkPayment},
        payment::PaymentStatus,
        payment_link::{LinkCustomer, LinkState, LinkStatus},
    },
    ApiError,
};
use worker::{D1Database, D1PreparedStatement};

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
    pub status: LinkStatus,
    pub expire_by: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub cancelled_at: Option<i64>,
    pub expired_at: Option<i64>,
}

/// A captured payment of a link.
#[derive(Deserialize)]
pub struct LinkPaymentRow {
    pub payment_id: String,
    pub amount: i64,
    pub created_at: i64,
    pub method: String,
    pub status: PaymentStatus,
}

impl PaymentLinkRow {
    pub fn state(&self) -> LinkState {
        LinkState {
            status: self.status,
            amount: self.amount,
            amount_paid: self.amount_paid,
            accept_partial: self.accept_partial != 0,
            first_min_partial_amount: self.first_min_partial_amount,
            expire_by_ms: self.expire_by,
            min_amount: shared::pay::money::currency(&self.currency).map_or(100, |c| c.min_amount),
        }
    }

    /// Razorpay's entity, with the link's captured payments.
    pub fn entity(&self, payments: &[LinkPaymentRow]) -> PaymentLink {
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
                        status: p.status.as_str().to_owned(),
                        updated_at: unix_seconds(p.created_at),
                    })
                    .collect()
            }),
            reference_id: self.reference_id.clone().unwrap_or_default(),
            reminder_enable: self.reminder_enable != 0,
            reminders: Vec::new(),
            short_url: self.short_url.clone(),
            status: self.status,
            updated_at: unix_seconds(self.updated_at),
            upi_link: self.upi_link != 0,
            user_id: String::new(),
        }
    }
}

/// The link's captured payments, oldest first.
pub async fn payments(db: &D1Database, link_id: &str) -> Result<Vec<LinkPaymentRow>, ApiError> {
    all(
        db,
        "SELECT lp.payment_id, lp.amount, lp.created_at, p.method, p.status FROM pay_payment_link_payments lp \
         JOIN pay_payments p ON p.id = lp.payment_id WHERE lp.plink_id = ?1 ORDER BY lp.created_at",
        &[text(link_id)],
    )
    .await
}

/// Razorpay's entity of a stored link (reads its payments).
pub async fn entity(db: &D1Database, link: &PaymentLinkRow) -> Result<PaymentLink, ApiError> {
    Ok(link.entity(&payments(db, &link.id).await?))
}

pub async fn get(db: &D1Database, merchant_id: &str, id: &str) -> Result<Option<PaymentLinkRow>, ApiError> {
    first(
        db,
        "SELECT * FROM pay_payment_links WHERE id = ?1 AND merchant_id = ?2",
        &[text(id), text(merchant_id)],
    )
    .await
}

pub async fn by_reference(
    db: &D1Database,
    merchant_id: &str,
    reference: &str,
) -> Result<Option<PaymentLinkRow>, ApiError> {
    first(
        db,
        "SELECT * FROM pay_payment_links WHERE merchant_id = ?1 AND reference_id = ?2",
        &[text(merchant_id), text(reference)],
    )
    .await
}

/// The merchant's newest 100 links, with Razorpay's `reference_id` and `payment_id` filters.
pub async fn list(
    db: &D1Database,
    merchant_id: &str,
    reference_id: Option<&str>,
    payment_id: Option<&str>,
) -> Result<Vec<PaymentLinkRow>, ApiError> {
    all(
        db,
        "SELECT * FROM pay_payment_links l WHERE merchant_id = ?1 \
           AND (?2 IS NULL OR reference_id = ?2) \
           AND (?3 IS NULL OR EXISTS (SELECT 1 FROM pay_payment_link_payments p WHERE p.plink_id = l.id AND p.payment_id = ?3)) \
         ORDER BY created_at DESC, id DESC LIMIT 100",
        &[text(merchant_id), opt_text(reference_id), opt_text(payment_id)],
    )
    .await
}

/// Any merchant's link's owner: the link's page is public by id.
pub async fn owner(db: &D1Database, id: &str) -> Result<Option<Owner>, ApiError> {
    super::owner(db, "pay_payment_links", id).await
}

/// A new link, `created`.
pub struct NewLinkRow<'a> {
    pub id: &'a str,
    pub merchant_id: &'a str,
    pub key_id: &'a str,
    pub amount: i64,
    pub currency: &'a str,
    pub accept_partial: bool,
    pub first_min_partial_amount: Option<i64>,
    pub description: Option<&'a str>,
    pub reference_id: Option<&'a str>,
    /// JSON of the customer.
    pub customer: &'a str,
    pub notify_sms: bool,
    pub notify_email: bool,
    pub reminder_enable: bool,
    /// JSON of its notes.
    pub notes: &'a str,
    pub callback_url: Option<&'a str>,
    pub upi_link: bool,
    pub short_url: &'a str,
    pub expire_by: i64,
    pub now_ms: i64,
}

/// Stores a new link unless the merchant has one with its `reference_id`; whether it did.
pub async fn insert(db: &D1Database, link: &NewLinkRow<'_>) -> Result<bool, ApiError> {
    let inserted = run_prepared(insert_statement(db, link)?, "inserting a payment link").await?;
    Ok(inserted == 1)
}

pub fn insert_statement(db: &D1Database, link: &NewLinkRow<'_>) -> Result<D1PreparedStatement, ApiError> {
    prepare(
        db,
        "INSERT INTO pay_payment_links (id, merchant_id, key_id, amount, currency, accept_partial, \
           first_min_partial_amount, description, reference_id, customer, notify_sms, notify_email, reminder_enable, \
           notes, callback_url, upi_link, short_url, status, expire_by, created_at, updated_at) \
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?20, ?18, ?19, ?19 \
         WHERE NOT EXISTS (SELECT 1 FROM pay_payment_links WHERE merchant_id = ?2 AND reference_id = ?9)",
        &[
            text(link.id),
            text(link.merchant_id),
            text(link.key_id),
            num(link.amount),
            text(link.currency),
            num(i64::from(link.accept_partial)),
            opt_num(link.first_min_partial_amount),
            opt_text(link.description),
            opt_text(link.reference_id),
            text(link.customer),
            num(i64::from(link.notify_sms)),
            num(i64::from(link.notify_email)),
            num(i64::from(link.reminder_enable)),
            text(link.notes),
            opt_text(link.callback_url),
            num(i64::from(link.upi_link)),
            text(link.short_url),
            num(link.expire_by),
            num(link.now_ms),
            text(LinkStatus::Created.as_str()),
        ],
    )
}

/// What `PATCH /v1/payment_links/{id}` may change.
pub struct LinkEdit<'a> {
    pub reference_id: Option<&'a str>,
    pub expire_by: i64,
    /// JSON of its notes.
    pub notes: &'a str,
    pub reminder_enable: i64,
    pub accept_partial: i64,
}

/// Fails when another link of the merchant holds the reference (UNIQUE).
pub async fn edit(
    db: &D1Database,
    merchant_id: &str,
    id: &str,
    edit: &LinkEdit<'_>,
    now_ms: i64,
) -> Result<usize, ApiError> {
    run(
        db,
        "UPDATE pay_payment_links SET reference_id = ?3, expire_by = ?4, notes = ?5, reminder_enable = ?6, \
           accept_partial = ?7, updated_at = ?8 WHERE id = ?1 AND merchant_id = ?2",
        &[
            text(id),
            text(merchant_id),
            opt_text(edit.reference_id),
            num(edit.expire_by),
            text(edit.notes),
            num(edit.reminder_enable),
            num(edit.accept_partial),
            num(now_ms),
        ],
    )
    .await
}

/// Closes an open link as `to` (cancelled, or expired at `now_ms`); whether it was open.
pub async fn close(
    db: &D1Database,
    id: &str,
    merchant_id: Option<&str>,
    to: LinkStatus,
    now_ms: i64,
) -> Result<bool, ApiError> {
    let changed =
        run_prepared(close_statement(db, id, merchant_id, to, now_ms)?, "closing a payment link").await?;
    Ok(changed == 1)
}

pub fn close_statement(
    db: &D1Database,
    id: &str,
    merchant_id: Option<&str>,
    to: LinkStatus,
    now_ms: i64,
) -> Result<D1PreparedStatement, ApiError> {
    let column = match to {
        LinkStatus::Expired => "expired_at",
        _ => "cancelled_at",
    };
    prepare(
        db,
        &format!(
            "UPDATE pay_payment_links SET status = ?3, {column} = ?4, updated_at = ?4 \
             WHERE id = ?1 AND (?2 IS NULL OR merchant_id = ?2) AND status IN (?5, ?6)"
        ),
        &[
            text(id),
            opt_text(merchant_id),
            text(to.as_str()),
            num(now_ms),
            text(LinkStatus::Created.as_str()),
            text(LinkStatus::PartiallyPaid.as_str()),
        ],
    )
}

/// Open links past their `expire_by` (at most 100).
#[derive(Deserialize)]
pub struct DueLink {
    pub id: String,
    pub merchant_id: String,
}

pub async fn due_to_expire(db: &D1Database, now_ms: i64) -> Result<Vec<DueLink>, ApiError> {
    all(
        db,
        "SELECT id, merchant_id FROM pay_payment_links WHERE status IN (?2, ?3) AND expire_by <= ?1 LIMIT 100",
        &[num(now_ms), text(LinkStatus::Created.as_str()), text(LinkStatus::PartiallyPaid.as_str())],
    )
    .await
}
