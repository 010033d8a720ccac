//! The merchant's dashboard API (`/pay` in the SPA), signed in with a Dozen session: the same
//! entities as `/v1` (Razorpay's JSON), listed with the dashboard's filters, a refund button,
//! the review queue, and the figures behind its charts. Errors are the project's shape.

use super::{payment_links as v1_links, settlements as v1_settlements, subscriptions as v1_subscriptions};
use crate::{
    auth::identity,
    http::{json, query_pairs, read_json, ApiResult, Cx},
    pay::{
        services::{self, keys::Merchant},
        store::{
            self,
            ledger::AccountTotal,
            payments::{Figures, PaymentRow},
        },
    },
};
use serde_json::{Map, Value};
use shared::{
    pay::{
        entity::Collection,
        ledger::Account,
        list::ListQuery,
        payment::PaymentStatus,
        wire::{DailyVolume, MethodFigures, PaySummary},
        RazorpayError,
    },
    ApiError,
};
use worker::{Request, Response};

/// The signed-in user as a merchant (their newest active key signs what they create here).
async fn merchant(req: &Request, cx: &Cx) -> Result<Merchant, ApiError> {
    let me = identity::require(req, cx).await?;
    services::keys::merchant_of_user(cx, me.user.id).await
}

/// A `/v1` answer in the project's shape: an id that does not exist (for this merchant) is 404.
fn project(result: Result<Response, RazorpayError>) -> ApiResult {
    result.map_err(|err| {
        if err.description == RazorpayError::no_such_id().description {
            ApiError::not_found("Nothing with this id is yours.")
        } else {
            ApiError::from(err)
        }
    })
}

fn list_query(pairs: &[(String, String)]) -> Result<ListQuery, ApiError> {
    ListQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).map_err(ApiError::from)
}

/// Payments, newest first, filtered by `status` and `method` (and Razorpay's count/skip/from/to).
#[utoipa::path(get, path = "/api/pay/payments", tag = "pay", security(("session" = []), ("api_key" = [])),
    params(("status" = Option<String>, Query), ("method" = Option<String>, Query),
           ("count" = Option<i64>, Query), ("skip" = Option<i64>, Query)),
    responses((status = 200, description = "A Razorpay collection of payments"),
              (status = 401, body = shared::error::ErrorEnvelope), (status = 422, body = shared::error::ErrorEnvelope)))]
pub async fn payments(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = merchant(req, cx).await?;
    let pairs = query_pairs(req);
    let query = list_query(&pairs)?;
    let get =
        |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty());
    let status = get("status")
        .map(str::parse::<PaymentStatus>)
        .transpose()
        .map_err(|_| ApiError::invalid("status", "Unknown payment status."))?;
    let rows = store::payments::page_filtered(&cx.db()?, &me.id, status, get("method"), &query).await?;
    json(200, &Collection::new(rows.iter().map(PaymentRow::entity).collect()))
}

/// Refunds a payment (all that is left, or `amount`).
#[utoipa::path(post, path = "/api/pay/payments/{id}/refund", tag = "pay", security(("session" = []), ("api_key" = [])),
    params(("id" = String, Path, description = "pay_…")),
    request_body(content = Object, description = "{amount?, speed?, notes?, receipt?}: Razorpay's refund body"),
    responses((status = 200, description = "A Razorpay refund"), (status = 404, body = shared::error::ErrorEnvelope),
              (status = 409, body = shared::error::ErrorEnvelope), (status = 422, body = shared::error::ErrorEnvelope)))]
pub async fn refund(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let me = merchant(req, cx).await?;
    let body: Map<String, Value> = read_json(req).await?;
    project(super::refunds::create(cx, &me, id, &body).await)
}

#[utoipa::path(get, path = "/api/pay/payment-links", tag = "pay", security(("session" = []), ("api_key" = [])),
    responses((status = 200, description = "{\"payment_links\": […]}"), (status = 401, body = shared::error::ErrorEnvelope)))]
pub async fn payment_links(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = merchant(req, cx).await?;
    project(v1_links::list(cx, &me, req).await)
}

#[utoipa::path(get, path = "/api/pay/subscriptions", tag = "pay", security(("session" = []), ("api_key" = [])),
    responses((status = 200, description = "A Razorpay collection of subscriptions"),
              (status = 401, body = shared::error::ErrorEnvelope)))]
pub async fn subscriptions(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = merchant(req, cx).await?;
    let query = list_query(&query_pairs(req))?;
    project(v1_subscriptions::list(cx, &me, &query).await)
}

/// The merchant's settlements (Razorpay's collection), newest first.
#[utoipa::path(get, path = "/api/pay/settlements", tag = "pay", security(("session" = []), ("api_key" = [])),
    responses((status = 200, description = "A Razorpay collection of settlements"),
              (status = 401, body = shared::error::ErrorEnvelope)))]
pub async fn settlements(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = merchant(req, cx).await?;
    let query = list_query(&query_pairs(req))?;
    project(v1_settlements::list(cx, &me, &query).await)
}

fn figures(rows: &[Figures]) -> Vec<MethodFigures> {
    rows.iter()
        .map(|f| MethodFigures {
            key: f.label.clone(),
            attempts: f.attempts,
            succeeded: f.succeeded,
            volume: f.volume,
        })
        .collect()
}

/// The figures behind the dashboard's charts, over the last `days` (1–365, default 30).
#[utoipa::path(get, path = "/api/pay/summary", tag = "pay", security(("session" = []), ("api_key" = [])),
    params(("days" = Option<i64>, Query)),
    responses((status = 200, body = PaySummary), (status = 401, body = shared::error::ErrorEnvelope),
              (status = 422, body = shared::error::ErrorEnvelope)))]
pub async fn summary(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = merchant(req, cx).await?;
    let pairs = query_pairs(req);
    let days = match pairs.iter().find(|(k, _)| k == "days") {
        Some((_, v)) => v
            .parse::<i64>()
            .ok()
            .filter(|d| (1..=365).contains(d))
            .ok_or_else(|| ApiError::invalid("days", "The days must be 1 to 365."))?,
        None => 30,
    };
    let since = cx.now_ms - days * 86_400_000;
    let db = cx.db()?;
    let methods = store::payments::figures_by(&db, &me.id, since, false).await?;
    let processors = store::payments::figures_by(&db, &me.id, since, true).await?;
    let daily = store::payments::captured_by_day(&db, &me.id, since).await?;
    let accounts: Vec<AccountTotal> = store::ledger::totals(&db, &me.id).await?;
    let account = |which: Account| accounts.iter().find(|a| a.account == which).map_or(0, |a| a.total);
    json(
        200,
        &PaySummary {
            days,
            by_method: figures(&methods),
            by_processor: figures(&processors),
            daily: daily
                .into_iter()
                .map(|d| DailyVolume { day: d.day, count: d.count, volume: d.volume })
                .collect(),
            balance: -account(Account::MerchantBalance),
            fees: -account(Account::FeeRevenue) - account(Account::TaxPayable),
            settled: -account(Account::SettledToMerchant),
        },
    )
}

// --- the review queue (fraud rules) -------------------------------------------------------------

/// Payments held by the fraud rules (`status`: pending by default, approved, rejected).
#[utoipa::path(get, path = "/api/pay/reviews", tag = "pay", security(("session" = []), ("api_key" = [])),
    params(("status" = Option<String>, Query)),
    responses((status = 200, description = "{items: [{payment, flags: [{rule, attempts, limit}], status, created_at, decided_at}]}"),
              (status = 401, body = shared::error::ErrorEnvelope)))]
pub async fn reviews(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = merchant(req, cx).await?;
    let pairs = query_pairs(req);
    let status =
        services::reviews::status_filter(pairs.iter().find(|(k, _)| k == "status").map(|(_, v)| v.as_str()))?;
    let items: Vec<Value> = services::reviews::list(cx, &me, status)
        .await?
        .into_iter()
        .map(|(row, payment)| {
            serde_json::json!({
                "payment": payment.map(|p| p.entity()),
                "flags": serde_json::from_str::<Value>(&row.flags).unwrap_or_default(),
                "status": row.status.as_str(),
                "created_at": shared::time::Timestamp(row.created_at),
                "decided_at": row.decided_at.map(shared::time::Timestamp),
            })
        })
        .collect();
    json(200, &serde_json::json!({ "items": items }))
}

/// Approves a held payment: captured now when its order captures automatically (otherwise the
/// merchant captures it as usual).
#[utoipa::path(post, path = "/api/pay/reviews/{payment_id}/approve", tag = "pay", security(("session" = []), ("api_key" = [])),
    params(("payment_id" = String, Path, description = "pay_…")),
    responses((status = 200, description = "The payment (Razorpay JSON)"), (status = 404, body = shared::error::ErrorEnvelope),
              (status = 409, body = shared::error::ErrorEnvelope)))]
pub async fn approve(req: &mut Request, cx: &Cx, payment_id: &str) -> ApiResult {
    decide(req, cx, payment_id, true).await
}

/// Rejects a held payment: its authorization is released (refunded in full).
#[utoipa::path(post, path = "/api/pay/reviews/{payment_id}/reject", tag = "pay", security(("session" = []), ("api_key" = [])),
    params(("payment_id" = String, Path, description = "pay_…")),
    responses((status = 200, description = "The payment (Razorpay JSON)"), (status = 404, body = shared::error::ErrorEnvelope),
              (status = 409, body = shared::error::ErrorEnvelope)))]
pub async fn reject(req: &mut Request, cx: &Cx, payment_id: &str) -> ApiResult {
    decide(req, cx, payment_id, false).await
}

async fn decide(req: &mut Request, cx: &Cx, payment_id: &str, approve: bool) -> ApiResult {
    let me = merchant(req, cx).await?;
    json(200, &services::reviews::decide(cx, &me, payment_id, approve).await?.entity())
}
