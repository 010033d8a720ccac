//! `pay_customers`: who a merchant bills.

use super::{merchant_page, notes_json, notes_of};
use crate::d1::{first, num, opt_text, prepare, run, run_prepared, text};
use serde::Deserialize;
use serde_json::{Map, Value};
use shared::{
    pay::{
        entity::{unix_seconds, Customer},
        list::ListQuery,
    },
    ApiError,
};
use worker::{D1Database, D1PreparedStatement};

#[derive(Deserialize, Clone)]
pub struct CustomerRow {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub contact: Option<String>,
    pub gstin: Option<String>,
    pub notes: String,
    pub created_at: i64,
}

impl CustomerRow {
    pub fn entity(&self) -> Customer {
        Customer {
            id: self.id.clone(),
            entity: "customer".into(),
            name: self.name.clone(),
            email: self.email.clone(),
            contact: self.contact.clone(),
            gstin: self.gstin.clone(),
            notes: notes_of(&self.notes),
            created_at: unix_seconds(self.created_at),
        }
    }
}

/// A customer's fields as they are written.
pub struct CustomerFields<'a> {
    pub name: &'a str,
    pub email: Option<&'a str>,
    pub contact: Option<&'a str>,
    pub gstin: Option<&'a str>,
    pub notes: &'a Map<String, Value>,
}

pub async fn get(db: &D1Database, merchant_id: &str, id: &str) -> Result<Option<CustomerRow>, ApiError> {
    first(
        db,
        "SELECT * FROM pay_customers WHERE id = ?1 AND merchant_id = ?2",
        &[text(id), text(merchant_id)],
    )
    .await
}

/// The merchant's customer with exactly this email and contact (either may be absent).
pub async fn with_email_and_contact(
    db: &D1Database,
    merchant_id: &str,
    email: Option<&str>,
    contact: Option<&str>,
) -> Result<Option<CustomerRow>, ApiError> {
    first(
        db,
        "SELECT * FROM pay_customers WHERE merchant_id = ?1 AND email IS ?2 AND contact IS ?3 LIMIT 1",
        &[text(merchant_id), opt_text(email), opt_text(contact)],
    )
    .await
}

pub async fn page(
    db: &D1Database,
    merchant_id: &str,
    query: &ListQuery,
) -> Result<Vec<CustomerRow>, ApiError> {
    merchant_page(db, "pay_customers", merchant_id, query).await
}

pub async fn insert(
    db: &D1Database,
    id: &str,
    merchant_id: &str,
    fields: &CustomerFields<'_>,
    now_ms: i64,
) -> Result<(), ApiError> {
    run_prepared(insert_statement(db, id, merchant_id, fields, now_ms)?, "inserting a customer")
        .await
        .map(drop)
}

pub fn insert_statement(
    db: &D1Database,
    id: &str,
    merchant_id: &str,
    fields: &CustomerFields<'_>,
    now_ms: i64,
) -> Result<D1PreparedStatement, ApiError> {
    prepare(
        db,
        "INSERT INTO pay_customers (id, merchant_id, name, email, contact, gstin, notes, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        &[
            text(id),
            text(merchant_id),
            text(fields.name),
            opt_text(fields.email),
            opt_text(fields.contact),
            opt_text(fields.gstin),
            text(&notes_json(fields.notes)),
            num(now_ms),
        ],
    )
}

pub async fn update(
    db: &D1Database,
    id: &str,
    merchant_id: &str,
    fields: &CustomerFields<'_>,
) -> Result<(), ApiError> {
    run(
        db,
        "UPDATE pay_customers SET name = ?3, email = ?4, contact = ?5, gstin = ?6, notes = ?7 \
         WHERE id = ?1 AND merchant_id = ?2",
        &[
            text(id),
            text(merchant_id),
            text(fields.name),
            opt_text(fields.email),
            opt_text(fields.contact),
            opt_text(fields.gstin),
            text(&notes_json(fields.notes)),
        ],
    )
    .await
    .map(drop)
}
