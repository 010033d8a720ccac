//! `/v1/customers` and `/v1/plans`: who a merchant bills, and what and how often
//! (shared::pay::plan). Subscriptions tie them together (`subscriptions`).

use crate::{
    d1::{first, num, run, text},
    http::Cx,
    password::random,
    pay::{
        keys::Merchant,
        respond::{ok, V1Result},
        store::{self, maybe, notes_json, notes_of},
    },
};
use serde::Deserialize;
use serde_json::{Map, Value};
use shared::pay::{
    entity::{unix_seconds, Collection, Customer, Plan, PlanItem},
    ids::{new_id, CustomerId, PlanId},
    list::ListQuery,
    plan::{NewCustomer, NewPlan, Period},
    RazorpayError,
};
use worker::D1Database;

// --- customers ----------------------------------------------------------------------------------

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

pub async fn customer(
    db: &D1Database,
    merchant_id: &str,
    id: &str,
) -> Result<Option<CustomerRow>, RazorpayError> {
    Ok(first(
        db,
        "SELECT * FROM pay_customers WHERE id = ?1 AND merchant_id = ?2",
        &[text(id), text(merchant_id)],
    )
    .await?)
}

#[utoipa::path(post, path = "/v1/customers", tag = "pay-v1", security(("razorpay_key" = [])),
    request_body(content = Object, description = "{name, email, contact, gstin, notes, fail_existing}"),
    responses((status = 200, body = shared::pay::entity::Customer, description = "The customer"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn create_customer(cx: &Cx, merchant: &Merchant, body: &Map<String, Value>) -> V1Result {
    let new = NewCustomer::parse(body)?;
    let db = cx.db()?;
    let existing: Option<CustomerRow> = first(
        &db,
        "SELECT * FROM pay_customers WHERE merchant_id = ?1 AND email IS ?2 AND contact IS ?3 LIMIT 1",
        &[text(&merchant.id), maybe(new.email.as_deref()), maybe(new.contact.as_deref())],
    )
    .await?;
    if let Some(existing) = existing.filter(|_| new.email.is_some() || new.contact.is_some()) {
        if new.fail_existing {
            return Err(RazorpayError::not_allowed("Customer already exists for the merchant"));
        }
        return ok(&existing.entity());
    }
    let id = CustomerId::new(cx.now_ms, random::<8>()?);
    run(
        &db,
        "INSERT INTO pay_customers (id, merchant_id, name, email, contact, gstin, notes, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        &[
            text(id.as_str()),
            text(&merchant.id),
            text(&new.name),
            maybe(new.email.as_deref()),
            maybe(new.contact.as_deref()),
            maybe(new.gstin.as_deref()),
            text(&notes_json(&new.notes)),
            num(cx.now_ms),
        ],
    )
    .await?;
    fetch_customer(cx, merchant, id.as_str()).await
}

#[utoipa::path(get, path = "/v1/customers/{id}", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = shared::pay::entity::Customer, description = "The customer"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn fetch_customer(cx: &Cx, merchant: &Merchant, id: &str) -> V1Result {
    let id = CustomerId::parse(id)?;
    let row = customer(&cx.db()?, &merchant.id, id.as_str()).await?.ok_or_else(RazorpayError::no_such_id)?;
    ok(&row.entity())
}

/// `PUT /v1/customers/{id}`: name, email, contact, gstin, notes (what is sent replaces).
#[utoipa::path(put, path = "/v1/customers/{id}", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    request_body(content = Object, description = "{name, email, contact, gstin, notes}"),
    responses((status = 200, body = shared::pay::entity::Customer, description = "The customer"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn edit_customer(cx: &Cx, merchant: &Merchant, id: &str, body: &Map<String, Value>) -> V1Result {
    let id = CustomerId::parse(id)?;
    let db = cx.db()?;
    let current = customer(&db, &merchant.id, id.as_str()).await?.ok_or_else(RazorpayError::no_such_id)?;
    let mut merged =
        serde_json::to_value(current.entity()).unwrap_or_default().as_object().cloned().unwrap_or_default();
    for (key, value) in body {
        merged.insert(key.clone(), value.clone());
    }
    merged.insert("fail_existing".into(), Value::String("0".into()));
    let new = NewCustomer::parse(&merged)?;
    run(
        &db,
        "UPDATE pay_customers SET name = ?3, email = ?4, contact = ?5, gstin = ?6, notes = ?7 WHERE id = ?1 AND merchant_id = ?2",
        &[
            text(id.as_str()),
            text(&merchant.id),
            text(&new.name),
            maybe(new.email.as_deref()),
            maybe(new.contact.as_deref()),
            maybe(new.gstin.as_deref()),
            text(&notes_json(&new.notes)),
        ],
    )
    .await?;
    fetch_customer(cx, merchant, id.as_str()).await
}

#[utoipa::path(get, path = "/v1/customers", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("count" = Option<i64>, Query), ("skip" = Option<i64>, Query), ("from" = Option<i64>, Query, description = "unix seconds"), ("to" = Option<i64>, Query, description = "unix seconds")),
    responses((status = 200, description = "A collection of customers"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn list_customers(cx: &Cx, merchant: &Merchant, query: &ListQuery) -> V1Result {
    let rows: Vec<CustomerRow> =
        store::merchant_page(&cx.db()?, "pay_customers", &merchant.id, query).await?;
    ok(&Collection::new(rows.iter().map(CustomerRow::entity).collect()))
}

// --- plans --------------------------------------------------------------------------------------

#[derive(Deserialize, Clone)]
pub struct PlanRow {
    pub id: String,
    pub period: String,
    pub interval: i64,
    pub item_id: String,
    pub item_name: String,
    pub item_description: Option<String>,
    pub amount: i64,
    pub currency: String,
    pub notes: String,
    pub created_at: i64,
}

impl PlanRow {
    pub fn period(&self) -> Period {
        Period::parse(&self.period).unwrap_or(Period::Monthly)
    }

    pub fn entity(&self) -> Plan {
        let created = unix_seconds(self.created_at);
        Plan {
            id: self.id.clone(),
            entity: "plan".into(),
            interval: self.interval,
            period: self.period(),
            item: PlanItem {
                id: self.item_id.clone(),
                active: true,
                name: self.item_name.clone(),
                description: self.item_description.clone(),
                amount: self.amount,
                unit_amount: self.amount,
                currency: self.currency.clone(),
                item_type: "plan".into(),
                created_at: created,
                updated_at: created,
            },
            notes: notes_of(&self.notes),
            created_at: created,
        }
    }
}

pub async fn plan(db: &D1Database, merchant_id: &str, id: &str) -> Result<Option<PlanRow>, RazorpayError> {
    Ok(first(
        db,
        "SELECT * FROM pay_plans WHERE id = ?1 AND merchant_id = ?2",
        &[text(id), text(merchant_id)],
    )
    .await?)
}

#[utoipa::path(post, path = "/v1/plans", tag = "pay-v1", security(("razorpay_key" = [])),
    request_body(content = Object, description = "{period, interval, item: {name, amount, currency, description}, notes}"),
    responses((status = 200, body = shared::pay::entity::Plan, description = "The plan"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn create_plan(cx: &Cx, merchant: &Merchant, body: &Map<String, Value>) -> V1Result {
    let new = NewPlan::parse(body)?;
    let id = PlanId::new(cx.now_ms, random::<8>()?);
    run(
        &cx.db()?,
        "INSERT INTO pay_plans (id, merchant_id, period, interval, item_id, item_name, item_description, amount, \
         currency, notes, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        &[
            text(id.as_str()),
            text(&merchant.id),
            text(new.period.as_str()),
            num(new.interval),
            text(&new_id("item_", cx.now_ms, random::<8>()?)),
            text(&new.name),
            maybe(new.description.as_deref()),
            num(new.amount),
            text(new.currency.code),
            text(&notes_json(&new.notes)),
            num(cx.now_ms),
        ],
    )
    .await?;
    fetch_plan(cx, merchant, id.as_str()).await
}

#[utoipa::path(get, path = "/v1/plans/{id}", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = shared::pay::entity::Plan, description = "The plan"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn fetch_plan(cx: &Cx, merchant: &Merchant, id: &str) -> V1Result {
    let id = PlanId::parse(id)?;
    let row = plan(&cx.db()?, &merchant.id, id.as_str()).await?.ok_or_else(RazorpayError::no_such_id)?;
    ok(&row.entity())
}

#[utoipa::path(get, path = "/v1/plans", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("count" = Option<i64>, Query), ("skip" = Option<i64>, Query), ("from" = Option<i64>, Query, description = "unix seconds"), ("to" = Option<i64>, Query, description = "unix seconds")),
    responses((status = 200, description = "A collection of plans"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn list_plans(cx: &Cx, merchant: &Merchant, query: &ListQuery) -> V1Result {
    let rows: Vec<PlanRow> = store::merchant_page(&cx.db()?, "pay_plans", &merchant.id, query).await?;
    ok(&Collection::new(rows.iter().map(PlanRow::entity).collect()))
}
