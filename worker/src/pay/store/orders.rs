//! `pay_orders`: what a merchant expects to be paid (and the order of each payment-link part
//! and subscription charge).

use super::{merchant_page, notes_of, Owner};
use crate::{
    coalesce::placeholders,
    d1::{first, num, opt_text, prepare, run_prepared, text},
    http::OrInternal,
};
use serde::Deserialize;
use shared::{
    pay::{
        entity::{unix_seconds, Order},
        list::ListQuery,
        order::OrderStatus,
    },
    ApiError,
};
use worker::{D1Database, D1PreparedStatement};

#[derive(Deserialize, Clone)]
pub struct OrderRow {
    pub id: String,
    /// Read where a query names it (`insert_all`); empty elsewhere.
    #[serde(default)]
    pub merchant_id: String,
    pub key_id: String,
    pub amount: i64,
    pub amount_paid: i64,
    pub currency: String,
    pub receipt: Option<String>,
    pub status: OrderStatus,
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
            status: self.status,
            attempts: self.attempts,
            notes: notes_of(&self.notes),
            created_at: unix_seconds(self.created_at),
        }
    }
}

/// A new order, `created`.
pub struct NewOrderRow<'a> {
    pub id: &'a str,
    pub merchant_id: &'a str,
    pub key_id: &'a str,
    pub amount: i64,
    pub currency: &'a str,
    pub receipt: Option<&'a str>,
    /// JSON of its notes.
    pub notes: &'a str,
    pub auto_capture: bool,
    pub capture_window_minutes: i64,
    pub partial_payment: bool,
    pub payment_link_id: Option<&'a str>,
    pub subscription_id: Option<&'a str>,
    pub created_at: i64,
}

/// Stores a new order; with `or_ignore`, an order whose id exists already is left as it is (a
/// subscription's one authorization order).
pub async fn insert(db: &D1Database, order: &NewOrderRow<'_>, or_ignore: bool) -> Result<(), ApiError> {
    run_prepared(insert_statement(db, order, or_ignore)?, "inserting an order").await.map(drop)
}

/// A new order of the `/v1` API, owned, as it waits to be stored with others.
#[derive(Clone, PartialEq)]
pub struct PendingOrder {
    pub id: String,
    pub merchant_id: String,
    pub key_id: String,
    pub amount: i64,
    pub currency: String,
    pub receipt: Option<String>,
    pub notes: String,
    pub auto_capture: bool,
    pub capture_window_minutes: i64,
    pub partial_payment: bool,
    pub created_at: i64,
}

impl PendingOrder {
    fn row(&self) -> NewOrderRow<'_> {
        NewOrderRow {
            id: &self.id,
            merchant_id: &self.merchant_id,
            key_id: &self.key_id,
            amount: self.amount,
            currency: &self.currency,
            receipt: self.receipt.as_deref(),
            notes: &self.notes,
            auto_capture: self.auto_capture,
            capture_window_minutes: self.capture_window_minutes,
            partial_payment: self.partial_payment,
            payment_link_id: None,
            subscription_id: None,
            created_at: self.created_at,
        }
    }

    /// Whether `row` is this order as stored (not an older order that happened to hold its id).
    pub fn is_stored_as(&self, row: &OrderRow) -> bool {
        row.id == self.id && row.merchant_id == self.merchant_id && row.created_at == self.created_at
    }
}

/// Stores new orders and answers them as stored, in one round trip to D1 (one transaction).
/// Each insert leaves an existing id alone, so storing an order twice is harmless.
pub async fn insert_all(db: &D1Database, orders: &[PendingOrder]) -> Result<Vec<OrderRow>, ApiError> {
    let mut statements =
        orders.iter().map(|order| insert_statement(db, &order.row(), true)).collect::<Result<Vec<_>, _>>()?;
    let ids: Vec<_> = orders.iter().map(|order| text(&order.id)).collect();
    statements.push(prepare(
        db,
        &format!("SELECT * FROM pay_orders WHERE id IN ({})", placeholders(ids.len())),
        &ids,
    )?);
    let results = db.batch(statements).await.internal("storing orders")?;
    match results.last() {
        Some(stored) => stored.results::<OrderRow>().internal("reading stored orders"),
        None => Ok(Vec::new()),
    }
}

pub fn insert_statement(
    db: &D1Database,
    order: &NewOrderRow<'_>,
    or_ignore: bool,
) -> Result<D1PreparedStatement, ApiError> {
    statement(db, order, if or_ignore { "INSERT OR IGNORE" } else { "INSERT" }, "")
}

fn statement(
    db: &D1Database,
    order: &NewOrderRow<'_>,
    verb: &str,
    returning: &str,
) -> Result<D1PreparedStatement, ApiError> {
    prepare(
        db,
        &format!(
            "{verb} INTO pay_orders (id, merchant_id, key_id, amount, currency, receipt, status, notes, auto_capture, \
               capture_window_minutes, partial_payment, payment_link_id, subscription_id, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14){returning}"
        ),
        &[
            text(order.id),
            text(order.merchant_id),
            text(order.key_id),
            num(order.amount),
            text(order.currency),
            opt_text(order.receipt),
            text(OrderStatus::Created.as_str()),
            text(order.notes),
            num(i64::from(order.auto_capture)),
            num(order.capture_window_minutes),
            num(i64::from(order.partial_payment)),
            opt_text(order.payment_link_id),
            opt_text(order.subscription_id),
            num(order.created_at),
        ],
    )
}

pub async fn get(db: &D1Database, merchant_id: &str, id: &str) -> Result<Option<OrderRow>, ApiError> {
    first(db, "SELECT * FROM pay_orders WHERE id = ?1 AND merchant_id = ?2", &[text(id), text(merchant_id)])
        .await
}

pub async fn page(db: &D1Database, merchant_id: &str, query: &ListQuery) -> Result<Vec<OrderRow>, ApiError> {
    merchant_page(db, "pay_orders", merchant_id, query).await
}

/// Any merchant's order's owner: the hosted checkout is public by order id.
pub async fn owner(db: &D1Database, id: &str) -> Result<Option<Owner>, ApiError> {
    super::owner(db, "pay_orders", id).await
}
