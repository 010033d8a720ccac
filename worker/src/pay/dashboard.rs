//! The merchant's dashboard API (`/pay` in the SPA), signed in with a Dozen session: the same
//! entities as `/v1` (Razorpay's JSON), listed with the dashboard's filters, a refund button,
//! and the figures behind its charts. Errors are the project's shape.

use crate::http::OrInternal;
use crate::{
    auth::identity,
    d1::{all, num, text},
    http::{json, read_json, ApiResult, Cx},
    pay::{
        keys::Merchant,
        payment_links, payments, refunds,
        runtime::Runtime,
        store::{self, maybe, PaymentRow},
        subscriptions, unfinished,
    },
};
use serde::Deserialize;
use serde_json::{Map, Value};
use shared::{
    pay::{
        entity::Collection,
        fraud::ReviewStatus,
        list::ListQuery,
        payment::PaymentStatus,
        wire::{DailyVolume, MethodFigures, PaySummary},
        RazorpayError,
    },
    ApiError, ErrorCode,
};
use worker::{Request, Response};

/// The signed-in user as a merchant (their newest active key signs what they create here).
async fn merchant(req: &Request, cx: &Cx) -> Result<Merchant, ApiError> {
    #[derive(Deserialize)]
    struct Key {
        key_id: String,
    }
    let me = identity::require(req, cx).await?;
    let key: Option<Key> = crate::d1::first(
        &cx.db()?,
        "SELECT key_id FROM pay_keys WHERE merchant_id = ?1 AND revoked_at IS NULL ORDER BY created_at DESC LIMIT 1",
        &[text(&me.user.id)],
    )
    .await?;
    Ok(Merchant { id: me.user.id, key_id: key.map(|k| k.key_id).unwrap_or_default() })
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

fn query_pairs(req: &Request) -> Vec<(String, String)> {
    req.url().map(|u| u.query_pairs().into_owned().collect()).unwrap_or_default()
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
        |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).filter(|v| !v.is_empty());
    let status = get("status");
    if let Some(status) = &status {
        PaymentStatus::parse(status).ok_or_else(|| ApiError::invalid("status", "Unknown payment status."))?;
    }
    let method = get("method");
    let rows: Vec<PaymentRow> = all(
        &cx.db()?,
        "SELECT * FROM pay_payments WHERE merchant_id = ?1 AND (?2 IS NULL OR status = ?2) AND (?3 IS NULL OR method = ?3) \
           AND created_at >= ?4 AND created_at < ?5 ORDER BY created_at DESC, id DESC LIMIT ?6 OFFSET ?7",
        &[
            text(&me.id),
            maybe(status.as_deref()),
            maybe(method.as_deref()),
            num(query.from_ms),
            num(query.until_ms.min(1 << 52)),
            num(query.count),
            num(query.skip),
        ],
    )
    .await?;
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
    project(refunds::create(cx, &me, id, &body).await)
}

#[utoipa::path(get, path = "/api/pay/payment-links", tag = "pay", security(("session" = []), ("api_key" = [])),
    responses((status = 200, description = "{\"payment_links\": […]}"), (status = 401, body = shared::error::ErrorEnvelope)))]
pub async fn payment_links(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = merchant(req, cx).await?;
    project(payment_links::list(cx, &me, req).await)
}

#[utoipa::path(get, path = "/api/pay/subscriptions", tag = "pay", security(("session" = []), ("api_key" = [])),
    responses((status = 200, description = "A Razorpay collection of subscriptions"),
              (status = 401, body = shared::error::ErrorEnvelope)))]
pub async fn subscriptions(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = merchant(req, cx).await?;
    let query = list_query(&query_pairs(req))?;
    project(subscriptions::list(cx, &me, &query).await)
}

/// The merchant's settlements (Razorpay's collection), newest first.
#[utoipa::path(get, path = "/api/pay/settlements", tag = "pay", security(("session" = []), ("api_key" = [])),
    responses((status = 200, description = "A Razorpay collection of settlements"),
              (status = 401, body = shared::error::ErrorEnvelope)))]
pub async fn settlements(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = merchant(req, cx).await?;
    let query = list_query(&query_pairs(req))?;
    project(crate::pay::settlements::list(cx, &me, &query).await)
}

#[derive(Deserialize)]
struct MethodRow {
    method: String,
    attempts: i64,
    succeeded: i64,
    volume: i64,
}

impl MethodRow {
    fn figures(&self) -> MethodFigures {
        MethodFigures {
            key: self.method.clone(),
            attempts: self.attempts,
            succeeded: self.succeeded,
            volume: self.volume,
        }
    }
}

#[derive(Deserialize)]
struct DayRow {
    day: String,
    count: i64,
    volume: i64,
}

#[derive(Deserialize)]
struct AccountRow {
    account: String,
    total: i64,
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
    let methods: Vec<MethodRow> = all(
        &db,
        "SELECT method, COUNT(*) AS attempts, \
           SUM(CASE WHEN status IN ('authorized', 'captured', 'refunded') THEN 1 ELSE 0 END) AS succeeded, \
           SUM(CASE WHEN captured_at IS NOT NULL THEN amount ELSE 0 END) AS volume \
         FROM pay_payments WHERE merchant_id = ?1 AND created_at >= ?2 GROUP BY method ORDER BY method",
        &[text(&me.id), num(since)],
    )
    .await?;
    let processors: Vec<MethodRow> = all(
        &db,
        "SELECT processor AS method, COUNT(*) AS attempts, \
           SUM(CASE WHEN status IN ('authorized', 'captured', 'refunded') THEN 1 ELSE 0 END) AS succeeded, \
           SUM(CASE WHEN captured_at IS NOT NULL THEN amount ELSE 0 END) AS volume \
         FROM pay_payments WHERE merchant_id = ?1 AND created_at >= ?2 AND processor IS NOT NULL \
         GROUP BY processor ORDER BY processor",
        &[text(&me.id), num(since)],
    )
    .await?;
    let daily: Vec<DayRow> = all(
        &db,
        "SELECT strftime('%Y-%m-%d', captured_at / 1000, 'unixepoch') AS day, COUNT(*) AS count, SUM(amount) AS volume \
         FROM pay_payments WHERE merchant_id = ?1 AND captured_at >= ?2 GROUP BY day ORDER BY day",
        &[text(&me.id), num(since)],
    )
    .await?;
    let accounts: Vec<AccountRow> = all(
        &db,
        "SELECT account, SUM(amount) AS total FROM pay_ledger WHERE merchant_id = ?1 GROUP BY account",
        &[text(&me.id)],
    )
    .await?;
    let account = |name: &str| accounts.iter().find(|a| a.account == name).map_or(0, |a| a.total);
    json(
        200,
        &PaySummary {
            days,
            by_method: methods.iter().map(MethodRow::figures).collect(),
            by_processor: processors.iter().map(MethodRow::figures).collect(),
            daily: daily
                .into_iter()
                .map(|d| DailyVolume { day: d.day, count: d.count, volume: d.volume })
                .collect(),
            balance: -account("merchant_balance"),
            fees: -account("fee_revenue") - account("tax_payable"),
            settled: -account("settled_to_merchant"),
        },
    )
}

// --- the review queue (fraud rules) -------------------------------------------------------------

#[derive(Deserialize)]
struct ReviewRow {
    payment_id: String,
    flags: String,
    status: String,
    created_at: i64,
    decided_at: Option<i64>,
}

/// Payments held by the fraud rules (`status`: pending by default, approved, rejected).
#[utoipa::path(get, path = "/api/pay/reviews", tag = "pay", security(("session" = []), ("api_key" = [])),
    params(("status" = Option<String>, Query)),
    responses((status = 200, description = "{items: [{payment, flags: [{rule, attempts, limit}], status, created_at, decided_at}]}"),
              (status = 401, body = shared::error::ErrorEnvelope)))]
pub async fn reviews(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = merchant(req, cx).await?;
    let pairs = query_pairs(req);
    let status = pairs.iter().find(|(k, _)| k == "status").map_or("pending", |(_, v)| v.as_str()).to_owned();
    if !["pending", "approved", "rejected"].contains(&status.as_str()) {
        return Err(ApiError::invalid("status", "The status must be pending, approved or rejected."));
    }
    let db = cx.db()?;
    let rows: Vec<ReviewRow> = all(
        &db,
        "SELECT * FROM pay_reviews WHERE merchant_id = ?1 AND status = ?2 ORDER BY created_at DESC LIMIT 100",
        &[text(&me.id), text(&status)],
    )
    .await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let payment =
            store::payment(&db, &me.id, &row.payment_id).await.internal("loading a payment under review")?;
        items.push(serde_json::json!({
            "payment": payment.map(|p| p.entity()),
            "flags": serde_json::from_str::<Value>(&row.flags).unwrap_or_default(),
            "status": row.status,
            "created_at": shared::time::Timestamp(row.created_at),
            "decided_at": row.decided_at.map(shared::time::Timestamp),
        }));
    }
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
    let db = cx.db()?;
    let missing = || ApiError::not_found("No held payment with this id is yours.");
    let review: ReviewRow = crate::d1::first(
        &db,
        "SELECT * FROM pay_reviews WHERE payment_id = ?1 AND merchant_id = ?2",
        &[text(payment_id), text(&me.id)],
    )
    .await?
    .ok_or_else(missing)?;
    let status = ReviewStatus::parse(&review.status).and_then(|s| s.decide(approve)).ok_or_else(|| {
        ApiError::new(ErrorCode::Conflict, format!("This review is {} already.", review.status))
    })?;
    let claimed = crate::d1::run(
        &db,
        "UPDATE pay_reviews SET status = ?2, decided_at = ?3 WHERE payment_id = ?1 AND status = 'pending'",
        &[text(payment_id), text(status.as_str()), num(cx.now_ms)],
    )
    .await?;
    if claimed == 0 {
        return Err(ApiError::new(ErrorCode::Conflict, "This review was decided meanwhile."));
    }
    let payment = store::payment(&db, &me.id, payment_id)
        .await
        .internal("loading the payment to decide")?
        .ok_or_else(missing)?;
    let order =
        store::order(&db, &me.id, &payment.order_id).await.internal("loading the decided payment's order")?;
    let run_ = Runtime::for_request(cx);
    if approve {
        let auto_capture = order.as_ref().is_some_and(|o| o.auto_capture != 0);
        if auto_capture && payment.status() == PaymentStatus::Authorized {
            let captured =
                payments::capture_approved(&run_, &me.id, &payment).await.map_err(ApiError::from)?;
            // A subscription's held authorization is finished now that it is paid.
            if let (true, Some(sub_id)) =
                (captured, order.as_ref().and_then(|o| o.subscription_id.as_deref()))
            {
                subscriptions::finish_authorization(&run_, &me.id, sub_id, &payment.id).await?;
            }
        }
    } else if payment.status() == PaymentStatus::Authorized {
        unfinished::release_payment(&db, &payment, cx.now_ms, "rejected in review")
            .await
            .map_err(ApiError::from)?;
    }
    let after = store::payment(&db, &me.id, payment_id)
        .await
        .internal("loading the decided payment")?
        .ok_or_else(missing)?;
    json(200, &after.entity())
}
