//! `/v1/customers` and `/v1/plans`: who a merchant bills, and what and how often.

use super::respond::{ok, V1Result};
use crate::{
    http::Cx,
    pay::{
        services::{self, keys::Merchant},
        store::{self, customers::CustomerRow, plans::PlanRow},
    },
};
use serde_json::{Map, Value};
use shared::pay::{
    entity::Collection,
    list::ListQuery,
    plan::{NewCustomer, NewPlan},
};

#[utoipa::path(post, path = "/v1/customers", tag = "pay-v1", security(("razorpay_key" = [])),
    request_body(content = Object, description = "{name, email, contact, gstin, notes, fail_existing}"),
    responses((status = 200, body = shared::pay::entity::Customer, description = "The customer"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn create_customer(cx: &Cx, merchant: &Merchant, body: &Map<String, Value>) -> V1Result {
    let new = NewCustomer::parse(body)?;
    ok(&services::plans::create_customer(cx, merchant, &new).await?.entity())
}

#[utoipa::path(get, path = "/v1/customers/{id}", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = shared::pay::entity::Customer, description = "The customer"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn fetch_customer(cx: &Cx, merchant: &Merchant, id: &str) -> V1Result {
    ok(&services::plans::owned_customer(cx, merchant, id).await?.entity())
}

/// `PUT /v1/customers/{id}`: name, email, contact, gstin, notes (what is sent replaces).
#[utoipa::path(put, path = "/v1/customers/{id}", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    request_body(content = Object, description = "{name, email, contact, gstin, notes}"),
    responses((status = 200, body = shared::pay::entity::Customer, description = "The customer"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn edit_customer(cx: &Cx, merchant: &Merchant, id: &str, body: &Map<String, Value>) -> V1Result {
    ok(&services::plans::edit_customer(cx, merchant, id, body).await?.entity())
}

#[utoipa::path(get, path = "/v1/customers", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("count" = Option<i64>, Query), ("skip" = Option<i64>, Query), ("from" = Option<i64>, Query, description = "unix seconds"), ("to" = Option<i64>, Query, description = "unix seconds")),
    responses((status = 200, description = "A collection of customers"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn list_customers(cx: &Cx, merchant: &Merchant, query: &ListQuery) -> V1Result {
    let rows = store::customers::page(&cx.db()?, &merchant.id, query).await?;
    ok(&Collection::new(rows.iter().map(CustomerRow::entity).collect()))
}

#[utoipa::path(post, path = "/v1/plans", tag = "pay-v1", security(("razorpay_key" = [])),
    request_body(content = Object, description = "{period, interval, item: {name, amount, currency, description}, notes}"),
    responses((status = 200, body = shared::pay::entity::Plan, description = "The plan"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn create_plan(cx: &Cx, merchant: &Merchant, body: &Map<String, Value>) -> V1Result {
    let new = NewPlan::parse(body)?;
    ok(&services::plans::create_plan(cx, merchant, &new).await?.entity())
}

#[utoipa::path(get, path = "/v1/plans/{id}", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = shared::pay::entity::Plan, description = "The plan"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn fetch_plan(cx: &Cx, merchant: &Merchant, id: &str) -> V1Result {
    ok(&services::plans::owned_plan(cx, merchant, id).await?.entity())
}

#[utoipa::path(get, path = "/v1/plans", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("count" = Option<i64>, Query), ("skip" = Option<i64>, Query), ("from" = Option<i64>, Query, description = "unix seconds"), ("to" = Option<i64>, Query, description = "unix seconds")),
    responses((status = 200, description = "A collection of plans"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn list_plans(cx: &Cx, merchant: &Merchant, query: &ListQuery) -> V1Result {
    let rows = store::plans::page(&cx.db()?, &merchant.id, query).await?;
    ok(&Collection::new(rows.iter().map(PlanRow::entity).collect()))
}
