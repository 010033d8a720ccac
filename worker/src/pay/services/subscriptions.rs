//! Subscriptions: created with a short URL made by Links, cancelled now or at the cycle's end,
//! paused, resumed; the customer's authorization (paying the first cycle, or ₹1 that is
//! released at once when the subscription starts later); and the Cron Trigger's work: charging
//! each cycle to the saved instrument, retrying failures and halting, completing, cancelling at
//! the cycle's end, expiring.

use super::{
    checkout, config,
    keys::{secret_of, Merchant},
    payments::{self, Attempted},
    runtime::Runtime,
    unfinished,
};
use crate::{
    http::{Cx, OrInternal},
    links,
    password::random,
    pay::store::{
        self, notes_json,
        orders::{NewOrderRow, OrderRow},
        plans::PlanRow,
        subscriptions::{Authorized, NewSubscriptionRow, SubscriptionRow},
        Owner,
    },
};
use serde_json::{json, Map, Value};
use shared::{
    pay::{
        attempt::{Instrument, NewPayment, SavedInstrument},
        ids::{OrderId, PlanId, SubscriptionId},
        methods::card_fingerprint,
        money::currency,
        order::DEFAULT_CAPTURE_WINDOW_MINUTES,
        signature::subscription_payment_signature,
        subscription::{Billing, NewSubscription, SubStatus},
        wire::{CheckoutPayRequest, CheckoutResult, CheckoutStatus},
        RazorpayError,
    },
    ApiError, ErrorCode,
};
use worker::{D1Database, Env};

/// What the authorization charges when the subscription starts later (then released at once).
const AUTH_AMOUNT: i64 = 100;

/// The customer's page (the short URL leads here).
pub fn page_path(id: &str) -> String {
    format!("/pay/subscription/{id}")
}

async fn plan_of(db: &D1Database, sub: &SubscriptionRow) -> Result<PlanRow, RazorpayError> {
    store::plans::get(db, &sub.merchant_id, &sub.plan_id).await?.ok_or_else(RazorpayError::server_error)
}

// --- the merchant's -----------------------------------------------------------------------------

pub async fn create(
    cx: &Cx,
    merchant: &Merchant,
    new: &NewSubscription,
) -> Result<SubscriptionRow, RazorpayError> {
    let db = cx.db()?;
    PlanId::parse(&new.plan_id)
        .map_err(|_| RazorpayError::invalid("plan_id", "The id provided does not exist"))?;
    store::plans::get(&db, &merchant.id, &new.plan_id)
        .await?
        .ok_or_else(|| RazorpayError::invalid("plan_id", "The id provided does not exist"))?;
    if let Some(customer_id) = &new.customer_id {
        store::customers::get(&db, &merchant.id, customer_id)
            .await?
            .ok_or_else(|| RazorpayError::invalid("customer_id", "The id provided does not exist"))?;
    }
    let id = SubscriptionId::new(cx.now_ms, random::<8>()?);
    let short_url = links::api::shorten_own_page(cx, &merchant.id, &page_path(id.as_str()), "pay")
        .await
        .map_err(RazorpayError::from)?;
    let notes = notes_json(&new.notes);
    let row = NewSubscriptionRow {
        id: id.as_str(),
        merchant_id: &merchant.id,
        key_id: &merchant.key_id,
        plan_id: &new.plan_id,
        customer_id: new.customer_id.as_deref(),
        quantity: new.quantity,
        total_count: new.total_count,
        customer_notify: new.customer_notify,
        notes: &notes,
        requested_start: new.start_at_ms,
        expire_by: new.expire_by_ms,
        short_url: &short_url,
        now_ms: cx.now_ms,
    };
    store::subscriptions::insert(&db, &row).await?;
    owned(cx, merchant, id.as_str()).await
}

/// The merchant's subscription `id` (another merchant's is one that does not exist).
pub async fn owned(cx: &Cx, merchant: &Merchant, id: &str) -> Result<SubscriptionRow, RazorpayError> {
    let id = SubscriptionId::parse(id)?;
    store::subscriptions::get(&cx.db()?, &merchant.id, id.as_str())
        .await?
        .ok_or_else(RazorpayError::no_such_id)
}

/// Razorpay's entity (with what its plan says of its end).
pub async fn entity(
    cx: &Cx,
    merchant: &Merchant,
    sub: &SubscriptionRow,
) -> Result<shared::pay::entity::Subscription, RazorpayError> {
    let plan = store::plans::get(&cx.db()?, &merchant.id, &sub.plan_id).await?;
    Ok(sub.entity(plan.as_ref()))
}

/// A page of the merchant's subscriptions as entities; each plan is read once, however many
/// subscriptions on the page share it.
pub async fn list(
    cx: &Cx,
    merchant: &Merchant,
    query: &shared::pay::list::ListQuery,
) -> Result<Vec<shared::pay::entity::Subscription>, RazorpayError> {
    let db = cx.db()?;
    let rows = store::subscriptions::page(&db, &merchant.id, query).await?;
    let mut plans_by_id = std::collections::HashMap::new();
    let mut items = Vec::with_capacity(rows.len());
    for row in &rows {
        if !plans_by_id.contains_key(&row.plan_id) {
            plans_by_id
                .insert(row.plan_id.clone(), store::plans::get(&db, &merchant.id, &row.plan_id).await?);
        }
        items.push(row.entity(plans_by_id.get(&row.plan_id).and_then(Option::as_ref)));
    }
    Ok(items)
}

/// Cancels at the end of the paid cycle (`at_cycle_end`, when one is running) or now.
pub async fn cancel(
    cx: &Cx,
    merchant: &Merchant,
    id: &str,
    at_cycle_end: bool,
) -> Result<SubscriptionRow, RazorpayError> {
    let sub = owned(cx, merchant, id).await?;
    sub.status.cancel()?;
    let db = cx.db()?;
    match (at_cycle_end, sub.current_end.filter(|end| *end > cx.now_ms)) {
        (true, Some(end)) => store::subscriptions::cancel_at(&db, &sub.id, &merchant.id, end).await?,
        _ => {
            if !store::subscriptions::cancel_now(&db, &sub.id, &merchant.id, Some(sub.status), cx.now_ms)
                .await?
            {
                return Err(RazorpayError::not_allowed("The subscription changed meanwhile; fetch it again"));
            }
            Runtime::for_request(cx)
                .subscription_event(&merchant.id, &sub.id, "subscription.cancelled", None)
                .await;
        }
    }
    owned(cx, merchant, &sub.id).await
}

pub async fn pause(cx: &Cx, merchant: &Merchant, id: &str) -> Result<SubscriptionRow, RazorpayError> {
    let sub = owned(cx, merchant, id).await?;
    let paused = sub.status.pause()?;
    set_status(cx, merchant, &sub, paused, sub.charge_at).await?;
    Runtime::for_request(cx).subscription_event(&merchant.id, &sub.id, "subscription.paused", None).await;
    owned(cx, merchant, &sub.id).await
}

/// Resumes billing; a charge that fell due while paused is made on the next run.
pub async fn resume(cx: &Cx, merchant: &Merchant, id: &str) -> Result<SubscriptionRow, RazorpayError> {
    let sub = owned(cx, merchant, id).await?;
    let active = sub.status.resume()?;
    set_status(cx, merchant, &sub, active, sub.charge_at.map(|at| at.max(cx.now_ms))).await?;
    Runtime::for_request(cx).subscription_event(&merchant.id, &sub.id, "subscription.resumed", None).await;
    owned(cx, merchant, &sub.id).await
}

async fn set_status(
    cx: &Cx,
    merchant: &Merchant,
    sub: &SubscriptionRow,
    status: SubStatus,
    charge_at: Option<i64>,
) -> Result<(), RazorpayError> {
    if !store::subscriptions::set_status(&cx.db()?, &sub.id, &merchant.id, sub.status, status, charge_at)
        .await?
    {
        return Err(RazorpayError::not_allowed("The subscription changed meanwhile; fetch it again"));
    }
    Ok(())
}

// --- the customer's: authorization --------------------------------------------------------------

/// Any merchant's subscription by id, with its plan and owner: its page is public.
pub async fn public(cx: &Cx, id: &str) -> Result<(SubscriptionRow, PlanRow, Owner), ApiError> {
    let missing = || ApiError::not_found("No subscription with this id.");
    let id = SubscriptionId::parse(id).map_err(|_| missing())?;
    let db = cx.db()?;
    let owner = store::subscriptions::owner(&db, id.as_str()).await?.ok_or_else(missing)?;
    let sub = store::subscriptions::get(&db, &owner.merchant_id, id.as_str())
        .await
        .internal("loading a subscription for its page")?
        .ok_or_else(missing)?;
    let plan = plan_of(&db, &sub).await.internal("loading a subscription's plan")?;
    Ok((sub, plan, owner))
}

/// The customer authorizes `sub` with an instrument: the first cycle is charged now, or —
/// with a later `start_at` — ₹1 is authorized and released at once.
pub async fn authorize(
    cx: &Cx,
    sub: &SubscriptionRow,
    plan: &PlanRow,
    input: CheckoutPayRequest,
) -> Result<CheckoutResult, ApiError> {
    let db = cx.db()?;
    let trial = sub.requested_start.is_some_and(|start| start > cx.now_ms);
    let amount = if trial { AUTH_AMOUNT } else { plan.amount * sub.quantity };
    // One authorization order per subscription (its id is the subscription's): two attempts
    // racing can never both be charged, because an order is paid once.
    let order_id = OrderId::parse(&format!("{}{}", OrderId::PREFIX, &sub.id[SubscriptionId::PREFIX.len()..]))
        .internal("the authorization order's id")?;
    let order = new_order(&db, sub, amount, &plan.currency, !trial, cx.now_ms, Some(order_id))
        .await
        .internal("creating the authorization order")?;
    let body = checkout::payment_body(&order, input);
    let attempt = NewPayment::parse(&body, cx.now_ms)?;
    let master = config::master_secret(&cx.env).internal("reading PAY_SECRET")?;
    let fingerprint = match &attempt.instrument {
        Instrument::Card(card) => Some(card_fingerprint(&card.number, &master)),
        _ => None,
    };
    let saved = SavedInstrument::keep(&attempt.instrument, fingerprint);
    store::subscriptions::count_auth_attempt(&db, &sub.id).await?;
    let run = Runtime::for_request(cx);
    Ok(match payments::attempt_payment(&run, &sub.merchant_id, &order, &attempt).await {
        Ok(Attempted::Approved { payment_id, captured, .. }) => {
            store::subscriptions::remember_instrument(&db, &sub.id, &payment_id, &saved, cx.now_ms).await?;
            if trial || captured {
                finish_authorization(&run, &sub.merchant_id, &sub.id, &payment_id).await?
            } else {
                checkout::held_for_review(payment_id, &order.id)
            }
        }
        Ok(Attempted::NeedsOtp { payment_id }) => {
            store::subscriptions::remember_instrument(&db, &sub.id, &payment_id, &saved, cx.now_ms).await?;
            checkout::otp_required(payment_id, &order.id)
        }
        Err(err) if checkout::declined(&err) => checkout::failed(err, &order.id),
        Err(err) => return Err(err.into()),
    })
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
    let notes = json!({"subscription_id": sub.id}).to_string();
    let row = NewOrderRow {
        id: id.as_str(),
        merchant_id: &sub.merchant_id,
        key_id: &sub.key_id,
        amount,
        currency: currency_code,
        receipt: None,
        notes: &notes,
        auto_capture,
        capture_window_minutes: DEFAULT_CAPTURE_WINDOW_MINUTES,
        partial_payment: false,
        payment_link_id: None,
        subscription_id: Some(&sub.id),
        created_at: now_ms,
    };
    store::orders::insert(db, &row, true).await?;
    store::orders::get(db, &sub.merchant_id, id.as_str()).await?.ok_or_else(RazorpayError::server_error)
}

/// Releases an authorization hold that did not become the subscription's (a trial's ₹1, or a
/// second attempt's).
async fn release_hold(
    db: &D1Database,
    merchant_id: &str,
    payment_id: &str,
    now_ms: i64,
    reason: &str,
) -> Result<(), ApiError> {
    if let Ok(Some(payment)) = store::payments::get(db, merchant_id, payment_id).await {
        if payment.captured_at.is_none() {
            unfinished::release_payment(db, &payment, now_ms, reason).await.internal(reason)?;
        }
    }
    Ok(())
}

/// After the authorization payment was approved (at once or after its OTP): the subscription
/// is authenticated (a trial: the ₹1 is released) or active with its first cycle paid; the
/// answer carries the subscription signature (`payment_id|subscription_id`).
pub async fn finish_authorization(
    run: &Runtime<'_>,
    merchant_id: &str,
    sub_id: &str,
    payment_id: &str,
) -> Result<CheckoutResult, ApiError> {
    let db = run.db()?;
    let now_ms = run.now_ms;
    let sub = store::subscriptions::get(&db, merchant_id, sub_id)
        .await
        .internal("loading the subscription being authorized")?
        .ok_or("no row")
        .internal("loading the subscription being authorized")?;
    let plan = plan_of(&db, &sub).await.internal("loading the authorized subscription's plan")?;
    let trial = sub.requested_start.is_some_and(|start| start > now_ms);
    let authorized = if trial {
        release_hold(&db, merchant_id, payment_id, now_ms, "subscription authorization").await?;
        let start = sub.requested_start.unwrap_or(now_ms);
        Authorized {
            status: SubStatus::Authenticated,
            start_at: start,
            charge_at: Some(start),
            paid_count: 0,
            current: None,
            ended_at: None,
            instrument: None,
        }
    } else {
        let billing = Billing { start_at: now_ms, ..sub.billing(&plan) };
        let after = billing.after_charge(true, now_ms);
        Authorized {
            status: after.status,
            start_at: now_ms,
            charge_at: after.charge_at,
            paid_count: after.paid_count,
            current: after.current,
            ended_at: (after.status == SubStatus::Completed).then_some(now_ms),
            instrument: None,
        }
    };
    let kept = store::subscriptions::kept_instrument(&db, &sub.id, payment_id).await?;
    let authorized = Authorized { instrument: kept.as_deref(), ..authorized };
    if !store::subscriptions::authorize(&db, &sub.id, &authorized).await? {
        // Another attempt authorized it first: this one's hold (a trial's ₹1) is released.
        release_hold(&db, merchant_id, payment_id, now_ms, "subscription authorized by another payment")
            .await?;
        return Err(ApiError::new(ErrorCode::Conflict, "This subscription was authorized already."));
    }
    run.subscription_event(merchant_id, &sub.id, "subscription.authenticated", Some(payment_id)).await;
    if !trial {
        run.subscription_event(merchant_id, &sub.id, "subscription.activated", Some(payment_id)).await;
        run.subscription_event(merchant_id, &sub.id, "subscription.charged", Some(payment_id)).await;
    }
    let secret = secret_of(run.env, &sub.key_id).internal("the subscription key's secret")?;
    let status = if trial { CheckoutStatus::Authorized } else { CheckoutStatus::Paid };
    Ok(CheckoutResult {
        razorpay_signature: Some(subscription_payment_signature(payment_id, &sub.id, &secret)),
        razorpay_subscription_id: Some(sub.id),
        ..checkout::answer(status, payment_id.to_owned(), "")
    })
}

// --- the Cron Trigger: charging cycles --------------------------------------------------------------

/// Charges every subscription due at `now_ms` (at most 50 a run), and expires the ones never
/// authorized in time.
pub async fn charge_due(env: &Env, now_ms: i64) -> Result<usize, RazorpayError> {
    let db = env.d1("DB").internal("D1 binding")?;
    let run = Runtime::scheduled(env, now_ms);
    let expired = store::subscriptions::unauthorized_past_expiry(&db, now_ms).await?;
    for sub in &expired {
        if store::subscriptions::expire(&db, &sub.id, now_ms).await? {
            run.subscription_event(&sub.merchant_id, &sub.id, "subscription.expired", None).await;
        }
    }
    let due = store::subscriptions::due(&db, now_ms).await?;
    for sub in &due {
        // Claim the charge, so two runs never charge one cycle twice.
        if !store::subscriptions::claim_charge(&db, &sub.id, sub.charge_at, now_ms + 10 * 60_000).await? {
            continue;
        }
        // Read again after claiming: a pause or cancel may have landed since the list was read.
        let Some(fresh) = store::subscriptions::get(&db, &sub.merchant_id, &sub.id).await? else { continue };
        charge(&run, &db, &fresh).await?;
    }
    Ok(due.len() + expired.len())
}

async fn charge(run: &Runtime<'_>, db: &D1Database, sub: &SubscriptionRow) -> Result<(), RazorpayError> {
    let now_ms = run.now_ms;
    if sub.cancel_at.is_some_and(|at| at <= now_ms) {
        store::subscriptions::cancel_now(db, &sub.id, &sub.merchant_id, None, now_ms).await?;
        run.subscription_event(&sub.merchant_id, &sub.id, "subscription.cancelled", None).await;
        return Ok(());
    }
    let plan = plan_of(db, sub).await?;
    let (succeeded, payment_id) = pay_cycle(run, db, sub, &plan).await?;
    let was = sub.status;
    let after = sub.billing(&plan).after_charge(succeeded, now_ms);
    let ended = matches!(after.status, SubStatus::Completed | SubStatus::Halted).then_some(now_ms);
    // What the charge paid is always recorded; the schedule moves on only if nobody paused or
    // cancelled the subscription while it was being charged.
    store::subscriptions::record_charge(db, &sub.id, was, &after, ended).await?;
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
        run.subscription_event(&sub.merchant_id, &sub.id, event, payment_id.as_deref()).await;
    }
    Ok(())
}

/// Charges one cycle to the saved instrument: whether it succeeded, and its payment.
async fn pay_cycle(
    run: &Runtime<'_>,
    db: &D1Database,
    sub: &SubscriptionRow,
    plan: &PlanRow,
) -> Result<(bool, Option<String>), RazorpayError> {
    let saved = sub.saved().ok_or("no saved instrument").internal("charging a subscription")?;
    let customer = match &sub.customer_id {
        Some(id) => store::customers::get(db, &sub.merchant_id, id).await?,
        None => None,
    };
    let amount = plan.amount * sub.quantity;
    let order = new_order(db, sub, amount, &plan.currency, true, run.now_ms, None).await?;
    let attempt = NewPayment {
        order_id: OrderId::parse(&order.id)?,
        amount,
        currency: currency(&plan.currency)?,
        email: customer.as_ref().and_then(|c| c.email.clone()).unwrap_or_default(),
        contact: customer.as_ref().and_then(|c| c.contact.clone()).unwrap_or_default(),
        description: Some(format!("{} — cycle {}", plan.item_name, sub.paid_count + 1)),
        notes: Map::new(),
        instrument: Instrument::Saved(saved),
    };
    Ok(match payments::attempt_payment(run, &sub.merchant_id, &order, &attempt).await {
        Ok(Attempted::Approved { payment_id, .. }) => (true, Some(payment_id)),
        Ok(Attempted::NeedsOtp { payment_id }) => (false, Some(payment_id)),
        Err(err) => (false, err.metadata.get("payment_id").and_then(Value::as_str).map(str::to_owned)),
    })
}
