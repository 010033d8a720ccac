//! Customers and plans: who a merchant bills, and what and how often (shared::pay::plan).
//! Subscriptions tie them together.

use super::keys::Merchant;
use crate::{
    http::Cx,
    password::random,
    pay::store::{
        self,
        customers::{CustomerFields, CustomerRow},
        plans::PlanRow,
    },
};
use serde_json::{Map, Value};
use shared::pay::{
    ids::{new_id, CustomerId, PlanId},
    plan::{NewCustomer, NewPlan},
    RazorpayError,
};

fn fields(new: &NewCustomer) -> CustomerFields<'_> {
    CustomerFields {
        name: &new.name,
        email: new.email.as_deref(),
        contact: new.contact.as_deref(),
        gstin: new.gstin.as_deref(),
        notes: &new.notes,
    }
}

/// A new customer, or the one with the same email and contact (refused with `fail_existing`).
pub async fn create_customer(
    cx: &Cx,
    merchant: &Merchant,
    new: &NewCustomer,
) -> Result<CustomerRow, RazorpayError> {
    let db = cx.db()?;
    let existing = store::customers::with_email_and_contact(
        &db,
        &merchant.id,
        new.email.as_deref(),
        new.contact.as_deref(),
    )
    .await?;
    if let Some(existing) = existing.filter(|_| new.email.is_some() || new.contact.is_some()) {
        if new.fail_existing {
            return Err(RazorpayError::not_allowed("Customer already exists for the merchant"));
        }
        return Ok(existing);
    }
    let id = CustomerId::new(cx.now_ms, random::<8>()?);
    store::customers::insert(&db, id.as_str(), &merchant.id, &fields(new), cx.now_ms).await?;
    owned_customer(cx, merchant, id.as_str()).await
}

pub async fn owned_customer(cx: &Cx, merchant: &Merchant, id: &str) -> Result<CustomerRow, RazorpayError> {
    let id = CustomerId::parse(id)?;
    store::customers::get(&cx.db()?, &merchant.id, id.as_str()).await?.ok_or_else(RazorpayError::no_such_id)
}

/// What is sent replaces (name, email, contact, gstin, notes).
pub async fn edit_customer(
    cx: &Cx,
    merchant: &Merchant,
    id: &str,
    body: &Map<String, Value>,
) -> Result<CustomerRow, RazorpayError> {
    let current = owned_customer(cx, merchant, id).await?;
    let mut merged =
        serde_json::to_value(current.entity()).unwrap_or_default().as_object().cloned().unwrap_or_default();
    for (key, value) in body {
        merged.insert(key.clone(), value.clone());
    }
    merged.insert("fail_existing".into(), Value::String("0".into()));
    let new = NewCustomer::parse(&merged)?;
    store::customers::update(&cx.db()?, &current.id, &merchant.id, &fields(&new)).await?;
    owned_customer(cx, merchant, &current.id).await
}

pub async fn create_plan(cx: &Cx, merchant: &Merchant, new: &NewPlan) -> Result<PlanRow, RazorpayError> {
    let id = PlanId::new(cx.now_ms, random::<8>()?);
    let item_id = new_id("item_", cx.now_ms, random::<8>()?);
    store::plans::insert(&cx.db()?, id.as_str(), &item_id, &merchant.id, new, cx.now_ms).await?;
    owned_plan(cx, merchant, id.as_str()).await
}

pub async fn owned_plan(cx: &Cx, merchant: &Merchant, id: &str) -> Result<PlanRow, RazorpayError> {
    let id = PlanId::parse(id)?;
    store::plans::get(&cx.db()?, &merchant.id, id.as_str()).await?.ok_or_else(RazorpayError::no_such_id)
}
