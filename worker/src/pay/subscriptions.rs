//! Subscriptions: `/v1/subscriptions` for the merchant (create with a short URL made by Links,
//! fetch, list, cancel now or at the cycle's end, pause, resume), the customer's side that
//! authorizes one (paying the first cycle, or ₹1 that is released at once when the subscription
//! starts later), and the Cron Trigger's work: charging each cycle to the saved instrument,
//! retrying failures and halting, completing, cancelling at the cycle's end, expiring.

use crate::http::OrInternal;
use crate::{
    d1::{all, first, num, opt_num, run, text},
    http::{read_json, ApiResult, Cx},
    links,
    password::random,
    pay::{
        checkout_answer, config,
        keys::{secret_of, Merchant},
        payments::{self, Attempted},
        plans::{self, PlanRow},
        respond::{ok, V1Result},
        runtime::Runtime,
        store::{self, maybe, notes_json, OrderRow},
        unfinished,
    },
    rate_limit,
};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use shared::{
    pay::{
        attempt::{Instrument, NewPayment, SavedInstrument},
        entity::{unix_seconds, Collection, Subscription},
        ids::{OrderId, SubscriptionId},
        limits::CHECKOUT_ATTEMPTS,
        list::ListQuery,
        methods::card_fingerprint,
        money::currency,
        order::DEFAULT_CAPTURE_WINDOW_MINUTES,
        signature::subscription_payment_signature,
        subscription::{Billing, NewSubscription, SubStatus},
        wire::{CheckoutPayRequest, CheckoutResult, CheckoutStatus, SubscriptionView},
        RazorpayError,
    },
    time::Timestamp,
    ApiError, ErrorCode,
};
use worker::{D1Database, Env, Request};

/// What the authorization charges when the subscription starts later (then released at once).
const AUTH_AMOUNT: i64 = 100;

#[derive(Deserialize, Clone)]
pub struct SubscriptionRow {
    pub id: String,
    pub merchant_id: String,
    pub key_id: String,
    pub plan_id: String,
    pub customer_id: Option<String>,
    pub status: String,
    pub quantity: i64,
    pub total_count: i64,
    pub paid_count: i64,
    pub auth_attempts: i64,
    pub failed_attempts: i64,
    pub customer_notify: i64,
    pub notes: String,
    pub start_at: Option<i64>,
    pub requested_start: Option<i64>,
    pub charge_at: Option<i64>,
    pub current_start: Option<i64>,
    pub current_end: Option<i64>,
    pub ended_at: Option<i64>,
    pub cancel_at: Option<i64>,
    pub expire_by: i64,
    pub instrument: Option<String>,
    pub short_url: String,
    pub created_at: i64,
}

impl SubscriptionRow {
    pub fn status(&self) -> SubStatus {
        SubStatus::parse(&self.status).unwrap_or(SubStatus::Created)
    }

    fn billing(&self, plan: &PlanRow) -> Billing {
        Billing {
            status: self.status(),
            period: plan.period(),
            interval: plan.interval,
            total_count: self.total_count,
            paid_count: self.paid_count,
            start_at: self.start_at.unwrap_or(self.created_at),
            failed_attempts: self.failed_attempts,
        }
    }

    fn saved(&self) -> Option<SavedInstrument> {
        self.instrument.as_deref().and_then(|json| serde_json::from_str(json).ok())
    }

    pub fn entity(&self, plan: Option<&PlanRow>) -> Subscription {
        let end_at = plan.filter(|_| self.start_at.is_some()).map(|p| unix_seconds(self.billing(p).end_at()));
        Subscription {
            id: self.id.clone(),
            entity: "subscription".into(),
            plan_id: self.plan_id.clone(),
            customer_id: self.customer_id.clone(),
            status: self.status(),
            current_start: self.current_start.map(unix_seconds),
            current_end: self.current_end.map(unix_seconds),
            ended_at: self.ended_at.map(unix_seconds),
            quantity: self.quantity,
            notes: serde_json::from_str(&self.notes).unwrap_or_default(),
            charge_at: self.charge_at.map(unix_seconds),
            start_at: self.start_at.or(self.requested_start).map(unix_seconds),
            end_at,
            auth_attempts: self.auth_attempts,
            total_count: self.total_count,
            paid_count: self.paid_count,
            customer_notify: self.customer_notify != 0,
            created_at: unix_seconds(self.created_at),
            expire_by: Some(unix_seconds(self.expire_by)),
            short_url: self.short_url.clone(),
            has_scheduled_changes: self.cancel_at.is_some(),
            change_scheduled_at: self.cancel_at.map(unix_seconds),
            source: "api".into(),
            payment_method: self.saved().map(|s| s.method.as_str().to_owned()),
            offer_id: None,
            remaining_count: self.total_count - self.paid_count,
        }
    }
}

async fn subscription(
    db: &D1Database,
    merchant_id: &str,
    id: &str,
) -> Result<Option<SubscriptionRow>, RazorpayError> {
    Ok(first(
        db,
        "SELECT * FROM pay_subscriptions WHERE id = ?1 AND merchant_id = ?2",
        &[text(id), text(merchant_id)],
    )
    .await?)
}

async fn plan_of(db: &D1Database, sub: &SubscriptionRow) -> Result<PlanRow, RazorpayError> {
    plans::plan(db, &sub.merchant_id, &sub.plan_id).await?.ok_or_else(RazorpayError::server_error)
}

/// The customer's page (the short URL leads here).
pub fn page_path(id: &str) -> String {
    format!("/pay/subscription/{id}")
}

// --- the merchant's /v1 -------------------------------------------------------------------------

#[utoipa::path(post, path = "/v1/subscriptions", tag = "pay-v1", security(("razorpay_key" = [])),
    request_body(content = Object, description = "{plan_id, total_count, quantity, start_at, expire_by, customer_id, customer_notify, notes}"),
    responses((status = 200, body = shared::pay::entity::Subscription, description = "The subscription"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn create(cx: &Cx, merchant: &Merchant, body: &Map<String, Value>) -> V1Result {
    let new = NewSubscription::parse(body, cx.now_ms)?;
    let db = cx.db()?;
    shared::pay::ids::PlanId::parse(&new.plan_id)
        .map_err(|_| RazorpayError::invalid("plan_id", "The id provided does not exist"))?;
    plans::plan(&db, &merchant.id, &new.plan_id)
        .await?
        .ok_or_else(|| RazorpayError::invalid("plan_id", "The id provided does not exist"))?;
    if let Some(customer_id) = &new.customer_id {
        plans::customer(&db, &merchant.id, customer_id)
            .await?
            .ok_or_else(|| RazorpayError::invalid("customer_id", "The id provided does not exist"))?;
    }
    let id = SubscriptionId::new(cx.now_ms, random::<8>()?);
    let short_url = links::api::shorten_own_page(cx, &merchant.id, &page_path(id.as_str()), "pay")
        .await
        .map_err(RazorpayError::from)?;
    run(
        &db,
        "INSERT INTO pay_subscriptions (id, merchant_id, key_id, plan_id, customer_id, status, quantity, total_count, \
           customer_notify, notes, requested_start, expire_by, short_url, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, 'created', ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        &[
            text(id.as_str()),
            text(&merchant.id),
            text(&merchant.key_id),
            text(&new.plan_id),
            maybe(new.customer_id.as_deref()),
            num(new.quantity),
            num(new.total_count),
            num(i64::from(new.customer_notify)),
            text(&notes_json(&new.notes)),
            opt_num(new.start_at_ms),
            num(new.expire_by_ms),
            text(&short_url),
            num(cx.now_ms),
        ],
    )
    .await?;
    fetch(cx, merchant, id.as_str()).await
}

async fn owned(cx: &Cx, merchant: &Merchant, id: &str) -> Result<SubscriptionRow, RazorpayError> {
    let id = SubscriptionId::parse(id)?;
    subscription(&cx.db()?, &merchant.id, id.as_str()).await?.ok_or_else(RazorpayError::no_such_id)
}

#[utoipa::path(get, path = "/v1/subscriptions/{id}", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = shared::pay::entity::Subscription, description = "The subscription"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn fetch(cx: &Cx, merchant: &Merchant, id: &str) -> V1Result {
    let sub = owned(cx, merchant, id).await?;
    let plan = plans::plan(&cx.db()?, &merchant.id, &sub.plan_id).await?;
    ok(&sub.entity(plan.as_ref()))
}

#[utoipa::path(get, path = "/v1/subscriptions", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("count" = Option<i64>, Query), ("skip" = Option<i64>, Query), ("from" = Option<i64>, Query, description = "unix seconds"), ("to" = Option<i64>, Query, description = "unix seconds")),
    responses((status = 200, description = "A collection of subscriptions"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn list(cx: &Cx, merchant: &Merchant, query: &ListQuery) -> V1Result {
    let db = cx.db()?;
    let rows: Vec<SubscriptionRow> =
        store::merchant_page(&db, "pay_subscriptions", &merchant.id, query).await?;
    // Each plan is read once, however many subscriptions on the page share it.
    let mut plans_by_id = std::collections::HashMap::new();
    let mut items = Vec::with_capacity(rows.len());
    for row in &rows {
        if !plans_by_id.contains_key(&row.plan_id) {
            plans_by_id.insert(row.plan_id.clone(), plans::plan(&db, &merchant.id, &row.plan_id).await?);
        }
        items.push(row.entity(plans_by_id.get(&row.plan_id).and_then(Option::as_ref)));
    }
    ok(&Collection::new(items))
}

/// `cancel_at_cycle_end: 1` keeps it running to the end of the paid cycle; otherwise now.
#[utoipa::path(post, path = "/v1/subscriptions/{id}/cancel", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    request_body(content = Object, description = "{cancel_at_cycle_end: 0 | 1}"),
    responses((status = 200, body = shared::pay::entity::Subscription, description = "The subscription"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn cancel(cx: &Cx, merchant: &Merchant, id: &str, body: &Map<String, Value>) -> V1Result {
    let sub = owned(cx, merchant, id).await?;
    sub.status().cancel()?;
    let at_cycle_end = matches!(body.get("cancel_at_cycle_end"), Some(Value::Bool(true)))
        || body.get("cancel_at_cycle_end").and_then(Value::as_i64) == Some(1)
        || body.get("cancel_at_cycle_end").and_then(Value::as_str) == Some("1");
    let db = cx.db()?;
    match (at_cycle_end, sub.current_end.filter(|end| *end > cx.now_ms)) {
        (true, Some(end)) => {
            run(
                &db,
                "UPDATE pay_subscriptions SET cancel_at = ?3 WHERE id = ?1 AND merchant_id = ?2",
                &[text(&sub.id), text(&merchant.id), num(end)],
            )
            .await?;
        }
        _ => {
            let changed = run(
                &db,
                "UPDATE pay_subscriptions SET status = 'cancelled', ended_at = ?3, charge_at = NULL, cancel_at = NULL \
                 WHERE id = ?1 AND merchant_id = ?2 AND status = ?4",
                &[text(&sub.id), text(&merchant.id), num(cx.now_ms), text(&sub.status)],
            )
            .await?;
            if changed == 0 {
                return Err(RazorpayError::not_allowed("The subscription changed meanwhile; fetch it again"));
            }
            Runtime::for_request(cx)
                .subscription_event(&merchant.id, &sub.id, "subscription.cancelled", None)
                .await;
        }
    }
    fetch(cx, merchant, &sub.id).await
}

#[utoipa::path(post, path = "/v1/subscriptions/{id}/pause", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = shared::pay::entity::Subscription, description = "The paused subscription"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn pause(cx: &Cx, merchant: &Merchant, id: &str) -> V1Result {
    let sub = owned(cx, merchant, id).await?;
    let paused = sub.status().pause()?;
    set_status(cx, merchant, &sub, paused, sub.charge_at).await?;
    Runtime::for_request(cx).subscription_event(&merchant.id, &sub.id, "subscription.paused", None).await;
    fetch(cx, merchant, &sub.id).await
}

/// Resumes billing; a charge that fell due while paused is made on the next run.
#[utoipa::path(post, path = "/v1/subscriptions/{id}/resume", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = shared::pay::entity::Subscription, description = "The resumed subscription"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn resume(cx: &Cx, merchant: &Merchant, id: &str) -> V1Result {
    let sub = owned(cx, merchant, id).await?;
    let active = sub.status().resume()?;
    set_status(cx, merchant, &sub, active, sub.charge_at.map(|at| at.max(cx.now_ms))).await?;
    Runtime::for_request(cx).subscription_event(&merchant.id, &sub.id, "subscription.resumed", None).await;
    fetch(cx, merchant, &sub.id).await
}

async fn set_status(
    cx: &Cx,
    merchant: &Merchant,
    sub: &SubscriptionRow,
    status: SubStatus,
    charge_at: Option<i64>,
) -> Result<(), RazorpayError> {
    let changed = run(
        &cx.db()?,
        "UPDATE pay_subscriptions SET status = ?3, charge_at = ?4 WHERE id = ?1 AND merchant_id = ?2 AND status = ?5",
        &[text(&sub.id), text(&merchant.id), text(status.as_str()), opt_num(charge_at), text(&sub.status)],
    )
    .await?;
    if changed == 0 {
        return Err(RazorpayError::not_allowed("The subscription changed meanwhile; fetch it again"));
    }
    Ok(())
}

// --- the customer's side: authorization ------------------------------------------------------------

#[derive(Deserialize)]
struct Owner {
    merchant_id: String,
    merchant_name: String,
}

async fn public_subscription(cx: &Cx, id: &str) -> Result<(SubscriptionRow, PlanRow, String), ApiError> {
    let missing = || ApiError::not_found("No subscription with this id.");
    let id = SubscriptionId::parse(id).map_err(|_| missing())?;
    let db = cx.db()?;
    let owner: Owner = first(
        &db,
        "SELECT s.merchant_id, u.display_name AS merchant_name FROM pay_subscriptions s \
         JOIN auth_users u ON u.id = s.merchant_id WHERE s.id = ?1",
        &[text(id.as_str())],
    )
    .await?
    .ok_or_else(missing)?;
    let sub = subscription(&db, &owner.merchant_id, id.as_str())
        .await
        .internal("loading a subscription for its page")?
        .ok_or_else(missing)?;
    let plan = plan_of(&db, &sub).await.internal("loading a subscription's plan")?;
    Ok((sub, plan, owner.merchant_name))
}

/// What the customer is asked to authorize.
#[utoipa::path(get, path = "/api/pay/subscriptions/{id}", tag = "pay",
    params(("id" = String, Path, description = "sub_…")),
    responses((status = 200, body = SubscriptionView), (status = 404, body = shared::error::ErrorEnvelope)))]
pub async fn view(cx: &Cx, id: &str) -> ApiResult {
    let (sub, plan, merchant_name) = public_subscription(cx, id).await?;
    crate::http::json(
        200,
        &SubscriptionView {
            id: sub.id.clone(),
            status: sub.status().as_str().into(),
            merchant_name,
            plan_name: plan.item_name.clone(),
            plan_description: plan.item_description.clone(),
            amount: plan.amount * sub.quantity,
            currency: plan.currency.clone(),
            period: plan.period().as_str().into(),
            interval: plan.interval,
            total_count: sub.total_count,
            paid_count: sub.paid_count,
            start_at: sub.requested_start.map(Timestamp),
            expire_by: Timestamp(sub.expire_by),
        },
    )
}

/// The customer authorizes the subscription with an instrument: the first cycle is charged
/// now, or — with a later `start_at` — ₹1 is authorized and released at once.
#[utoipa::path(post, path = "/api/pay/subscriptions/{id}/authorize", tag = "pay",
    params(("id" = String, Path, description = "sub_…")),
    request_body = CheckoutPayRequest,
    responses((status = 200, body = CheckoutResult), (status = 404, body = shared::error::ErrorEnvelope),
              (status = 409, body = shared::error::ErrorEnvelope), (status = 422, body = shared::error::ErrorEnvelope),
              (status = 429, body = shared::error::ErrorEnvelope)))]
pub async fn authorize(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let db = cx.db()?;
    rate_limit::hit(&db, &format!("pay-checkout:ip:{}", cx.client_ip), CHECKOUT_ATTEMPTS, cx.now_ms).await?;
    let (sub, plan, _) = public_subscription(cx, id).await?;
    sub.status().authorize().map_err(|e| ApiError::new(ErrorCode::Conflict, e.description))?;
    if cx.now_ms >= sub.expire_by {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "This subscription's authorization window has passed.",
        ));
    }
    let input: CheckoutPayRequest = read_json(req).await?;
    let trial = sub.requested_start.is_some_and(|start| start > cx.now_ms);
    let amount = if trial { AUTH_AMOUNT } else { plan.amount * sub.quantity };
    // One authorization order per subscription (its id is the subscription's): two attempts
    // racing can never both be charged, because an order is paid once.
    let order_id = OrderId::parse(&format!("{}{}", OrderId::PREFIX, &sub.id[SubscriptionId::PREFIX.len()..]))
        .internal("the authorization order's id")?;
    let order = new_order(&db, &sub, amount, &plan.currency, !trial, cx.now_ms, Some(order_id))
        .await
        .internal("creating the authorization order")?;
    let body = checkout_answer::payment_body(&order, input);
    let attempt = NewPayment::parse(&body, cx.now_ms)?;
    let master = config::master_secret(&cx.env).internal("reading PAY_SECRET")?;
    let fingerprint = match &attempt.instrument {
        Instrument::Card(card) => Some(card_fingerprint(&card.number, &master)),
        _ => None,
    };
    let saved = SavedInstrument::keep(&attempt.instrument, fingerprint);
    run(
        &db,
        "UPDATE pay_subscriptions SET auth_attempts = auth_attempts + 1 WHERE id = ?1",
        &[text(&sub.id)],
    )
    .await?;
    let answer = match payments::attempt_payment(
        &Runtime::for_request(cx),
        &sub.merchant_id,
        &order,
        &attempt,
    )
    .await
    {
        Ok(Attempted::Approved { payment_id, captured, .. }) => {
            remember_instrument(&db, &sub.id, &payment_id, &saved, cx.now_ms).await?;
            if trial || captured {
                finish_authorization(&Runtime::for_request(cx), &sub.merchant_id, &sub.id, &payment_id)
                    .await?
            } else {
                checkout_answer::held_for_review(payment_id, &order.id)
            }
        }
        Ok(Attempted::NeedsOtp { payment_id }) => {
            remember_instrument(&db, &sub.id, &payment_id, &saved, cx.now_ms).await?;
            checkout_answer::otp_required(payment_id, &order.id)
        }
        Err(err) if checkout_answer::declined(&err) => checkout_answer::failed(err, &order.id),
        Err(err) => return Err(err.into()),
    };
    crate::http::json(200, &answer)
}

/// The instrument of an attempt that may still be approved (see the migration 0013).
async fn remember_instrument(
    db: &D1Database,
    sub_id: &str,
    payment_id: &str,
    saved: &SavedInstrument,
    now_ms: i64,
) -> Result<(), ApiError> {
    run(
        db,
        "INSERT OR REPLACE INTO pay_subscription_instruments (payment_id, subscription_id, instrument, created_at) \
         VALUES (?1, ?2, ?3, ?4)",
        &[text(payment_id), text(sub_id), text(&serde_json::to_string(saved).unwrap_or_default()), num(now_ms)],
    )
    .await?;
    Ok(())
}

/// An order for one charge of the subscription (`id` reuses an existing one: authorization).
async fn new_order(
    db: &D1Database,
    sub: &SubscriptionRow,
    amount: i64,
    currency_code: &str,
    auto_capture: bool,
    now_ms: i64,
    id: Option<OrderId>,
) -> Result<OrderRow, RazorpayError> {
    let id = match id {
        Some(id) => id,
        None => OrderId::new(now_ms, random::<8>()?),
    };
    run(
        db,
        "INSERT OR IGNORE INTO pay_orders (id, merchant_id, key_id, amount, currency, status, notes, auto_capture, \
           capture_window_minutes, subscription_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, 'created', ?6, ?7, ?8, ?9, ?10)",
        &[
            text(id.as_str()),
            text(&sub.merchant_id),
            text(&sub.key_id),
            num(amount),
            text(currency_code),
            text(&json!({"subscription_id": sub.id}).to_string()),
            num(i64::from(auto_capture)),
            num(DEFAULT_CAPTURE_WINDOW_MINUTES),
            text(&sub.id),
            num(now_ms),
        ],
    )
    .await?;
    store::order(db, &sub.merchant_id, id.as_str()).await?.ok_or_else(RazorpayError::server_error)
}

/// After the authorization payment was approved (at once or after its OTP): the subscription
/// is authenticated (a trial: the ₹1 is released) or active with its first cycle paid; the
/// answer carries the subscription signature (`payment_id|subscription_id`).
pub async fn finish_authorization(
    run_: &Runtime<'_>,
    merchant_id: &str,
    sub_id: &str,
    payment_id: &str,
) -> Result<CheckoutResult, ApiError> {
    let db = run_.db()?;
    let now_ms = run_.now_ms;
    let sub = subscription(&db, merchant_id, sub_id)
        .await
        .internal("loading the subscription being authorized")?
        .ok_or("no row")
        .internal("loading the subscription being authorized")?;
    let plan = plan_of(&db, &sub).await.internal("loading the authorized subscription's plan")?;
    let trial = sub.requested_start.is_some_and(|start| start > now_ms);
    let (status, start_at, charge_at, paid_count, current) = if trial {
        if let Ok(Some(payment)) = store::payment(&db, merchant_id, payment_id).await {
            unfinished::release_payment(&db, &payment, now_ms, "subscription authorization")
                .await
                .internal("releasing a trial's authorization")?;
        }
        let start = sub.requested_start.unwrap_or(now_ms);
        (SubStatus::Authenticated, start, Some(start), 0, None)
    } else {
        let billing = Billing { start_at: now_ms, ..sub.billing(&plan) };
        let after = billing.after_charge(true, now_ms);
        (after.status, now_ms, after.charge_at, after.paid_count, after.current)
    };
    #[derive(Deserialize)]
    struct Kept {
        instrument: String,
    }
    let kept: Option<Kept> = first(
        &db,
        "SELECT instrument FROM pay_subscription_instruments WHERE payment_id = ?1 AND subscription_id = ?2",
        &[text(payment_id), text(&sub.id)],
    )
    .await?;
    let changed = run(
        &db,
        "UPDATE pay_subscriptions SET status = ?2, start_at = ?3, charge_at = ?4, paid_count = ?5, current_start = ?6, \
           current_end = ?7, failed_attempts = 0, ended_at = ?8, instrument = ?9 WHERE id = ?1 AND status = 'created'",
        &[
            text(&sub.id),
            text(status.as_str()),
            num(start_at),
            opt_num(charge_at),
            num(paid_count),
            opt_num(current.map(|c| c.0)),
            opt_num(current.map(|c| c.1)),
            opt_num((status == SubStatus::Completed).then_some(now_ms)),
            maybe(kept.as_ref().map(|k| k.instrument.as_str())),
        ],
    )
    .await?;
    if changed == 0 {
        // Another attempt authorized it first: this one's hold (a trial's ₹1) is released.
        if let Ok(Some(payment)) = store::payment(&db, merchant_id, payment_id).await {
            if payment.captured_at.is_none() {
                unfinished::release_payment(
                    &db,
                    &payment,
                    now_ms,
                    "subscription authorized by another payment",
                )
                .await
                .internal("releasing a second authorization")?;
            }
        }
        return Err(ApiError::new(ErrorCode::Conflict, "This subscription was authorized already."));
    }
    run_.subscription_event(merchant_id, &sub.id, "subscription.authenticated", Some(payment_id)).await;
    if !trial {
        run_.subscription_event(merchant_id, &sub.id, "subscription.activated", Some(payment_id)).await;
        run_.subscription_event(merchant_id, &sub.id, "subscription.charged", Some(payment_id)).await;
    }
    let secret = secret_of(run_.env, &sub.key_id).internal("the subscription key's secret")?;
    let status = if trial { CheckoutStatus::Authorized } else { CheckoutStatus::Paid };
    Ok(CheckoutResult {
        razorpay_signature: Some(subscription_payment_signature(payment_id, &sub.id, &secret)),
        razorpay_subscription_id: Some(sub.id),
        ..checkout_answer::answer(status, payment_id.to_owned(), "")
    })
}

// --- the Cron Trigger: charging cycles --------------------------------------------------------------

/// Charges every subscription due at `now_ms` (at most 50 a run), and expires the ones never
/// authorized in time.
pub async fn charge_due(env: &Env, now_ms: i64) -> Result<usize, RazorpayError> {
    let db = env.d1("DB").internal("D1 binding")?;
    let run_ = Runtime::scheduled(env, now_ms);
    let expired: Vec<SubscriptionRow> = all(
        &db,
        "SELECT * FROM pay_subscriptions WHERE status = 'created' AND expire_by <= ?1 LIMIT 100",
        &[num(now_ms)],
    )
    .await?;
    for sub in &expired {
        let changed = run(
            &db,
            "UPDATE pay_subscriptions SET status = 'expired', ended_at = ?2 WHERE id = ?1 AND status = 'created'",
            &[text(&sub.id), num(now_ms)],
        )
        .await?;
        if changed == 1 {
            run_.subscription_event(&sub.merchant_id, &sub.id, "subscription.expired", None).await;
        }
    }
    let due: Vec<SubscriptionRow> = all(
        &db,
        "SELECT * FROM pay_subscriptions WHERE status IN ('authenticated', 'active', 'pending') AND charge_at <= ?1 \
         ORDER BY charge_at LIMIT 50",
        &[num(now_ms)],
    )
    .await?;
    for sub in &due {
        // Claim the charge, so two runs never charge one cycle twice.
        let claimed = run(
            &db,
            "UPDATE pay_subscriptions SET charge_at = ?3 WHERE id = ?1 AND charge_at = ?2 \
             AND status IN ('authenticated', 'active', 'pending')",
            &[text(&sub.id), opt_num(sub.charge_at), num(now_ms + 10 * 60_000)],
        )
        .await?;
        if claimed == 0 {
            continue;
        }
        // Read again after claiming: a pause or cancel may have landed since the list was read.
        let Some(fresh) = subscription(&db, &sub.merchant_id, &sub.id).await? else { continue };
        charge(&run_, &db, &fresh).await?;
    }
    Ok(due.len() + expired.len())
}

async fn charge(run_: &Runtime<'_>, db: &D1Database, sub: &SubscriptionRow) -> Result<(), RazorpayError> {
    let now_ms = run_.now_ms;
    if sub.cancel_at.is_some_and(|at| at <= now_ms) {
        run(
            db,
            "UPDATE pay_subscriptions SET status = 'cancelled', ended_at = ?2, charge_at = NULL, cancel_at = NULL WHERE id = ?1",
            &[text(&sub.id), num(now_ms)],
        )
        .await?;
        run_.subscription_event(&sub.merchant_id, &sub.id, "subscription.cancelled", None).await;
        return Ok(());
    }
    let plan = plan_of(db, sub).await?;
    let saved = sub.saved().ok_or("no saved instrument").internal("charging a subscription")?;
    let customer = match &sub.customer_id {
        Some(id) => plans::customer(db, &sub.merchant_id, id).await?,
        None => None,
    };
    let amount = plan.amount * sub.quantity;
    let order = new_order(db, sub, amount, &plan.currency, true, now_ms, None).await?;
    let attempt = NewPayment {
        order_id: shared::pay::ids::OrderId::parse(&order.id)?,
        amount,
        currency: currency(&plan.currency)?,
        email: customer.as_ref().and_then(|c| c.email.clone()).unwrap_or_default(),
        contact: customer.as_ref().and_then(|c| c.contact.clone()).unwrap_or_default(),
        description: Some(format!("{} — cycle {}", plan.item_name, sub.paid_count + 1)),
        notes: Map::new(),
        instrument: Instrument::Saved(saved),
    };
    let (succeeded, payment_id) =
        match payments::attempt_payment(run_, &sub.merchant_id, &order, &attempt).await {
            Ok(Attempted::Approved { payment_id, .. }) => (true, Some(payment_id)),
            Ok(Attempted::NeedsOtp { payment_id }) => (false, Some(payment_id)),
            Err(err) => (false, err.metadata.get("payment_id").and_then(Value::as_str).map(str::to_owned)),
        };
    let was = sub.status();
    let after = sub.billing(&plan).after_charge(succeeded, now_ms);
    let ended = matches!(after.status, SubStatus::Completed | SubStatus::Halted).then_some(now_ms);
    run(
        db,
        // What the charge paid is always recorded; the schedule moves on only if nobody paused or
        // cancelled the subscription while it was being charged.
        "UPDATE pay_subscriptions SET paid_count = ?3, failed_attempts = ?4, \
           current_start = COALESCE(?6, current_start), current_end = COALESCE(?7, current_end), \
           charge_at = CASE WHEN status = ?9 THEN ?5 ELSE charge_at END, \
           ended_at = CASE WHEN status = ?9 THEN ?8 ELSE ended_at END, \
           status = CASE WHEN status = ?9 THEN ?2 ELSE status END \
         WHERE id = ?1",
        &[
            text(&sub.id),
            text(after.status.as_str()),
            num(after.paid_count),
            num(after.failed_attempts),
            opt_num(after.charge_at),
            opt_num(after.current.map(|c| c.0)),
            opt_num(after.current.map(|c| c.1)),
            opt_num(ended),
            text(&sub.status),
        ],
    )
    .await?;
    let payment = payment_id.as_deref();
    let events: Vec<&str> = match (succeeded, after.status) {
        (true, status) => {
            let mut events = Vec::new();
            if was == SubStatus::Authenticated {
                events.push("subscription.activated");
            }
            events.push("subscription.charged");
            if status == SubStatus::Completed {
                events.push("subscription.completed");
            }
            events
        }
        (false, SubStatus::Halted) => vec!["subscription.halted"],
        (false, _) => vec!["subscription.pending"],
    };
    for event in events {
        run_.subscription_event(&sub.merchant_id, &sub.id, event, payment).await;
    }
    Ok(())
}

impl Runtime<'_> {
    /// A subscription's event: the subscription, and the payment when there is one.
    pub async fn subscription_event(
        &self,
        merchant_id: &str,
        sub_id: &str,
        event: &str,
        payment_id: Option<&str>,
    ) {
        let Ok(db) = self.db() else { return };
        let Ok(Some(sub)) = subscription(&db, merchant_id, sub_id).await else { return };
        let plan = plans::plan(&db, merchant_id, &sub.plan_id).await.ok().flatten();
        let mut entities =
            vec![("subscription", serde_json::to_value(sub.entity(plan.as_ref())).unwrap_or_default())];
        if let Some(payment_id) = payment_id {
            if let Ok(Some(payment)) = store::payment(&db, merchant_id, payment_id).await {
                entities.push(("payment", serde_json::to_value(payment.entity()).unwrap_or_default()));
            }
        }
        self.emit(merchant_id, event, entities).await;
    }
}
