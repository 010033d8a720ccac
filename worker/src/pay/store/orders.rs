//! `pay_orders`: what a merchant expects to be paid (and the order of each payment-link part
//! and subscription charge).

use super::{merchant_page, notes_of, Owner};
use crate::{
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

/// Stores a new order and answers it as stored, in one statement (`RETURNING`): an order
/// write is one round trip to D1.
pub async fn insert_returning(
    db: &D1Database,
    order: &NewOrderRow<'_>,
) -> Result<Option<OrderRow>, ApiError> {
    statement(db, order, "INSERT", " RETURNING *")?
        .first::<OrderRow>(None)
        .await
        .internal("inserting an order")
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
