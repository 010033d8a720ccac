//! Webhooks: registering them, and sending events. An event is stored with one delivery per
//! subscribed webhook before the API call that caused it answers; the first attempt runs right
//! after the response (`wait_until`), later ones from the Cron Trigger with backoff until a 2xx,
//! for 24 hours. Each attempt is claimed with a lease first, so two runs never send it twice.

use super::runtime::Runtime;
use crate::{
    http::{internal, Cx, OrInternal},
    password::random,
    pay::store::{
        self,
        webhooks::{AttemptOutcome, NewWebhookRow, Sendable, WebhookRow},
    },
};
use serde_json::Value;
use shared::{
    pay::{
        entity::unix_seconds,
        ids::new_id,
        payment_link::LinkStatus,
        signature::webhook_signature,
        webhook::{
            is_delivered, next_attempt_at, validate_events, validate_secret, validate_url, DeliveryStatus,
            EventBody, ATTEMPT_LEASE_MS, MAX_WEBHOOKS,
        },
        wire::{AttemptView, DeliveryView, RegisterWebhookRequest, WebhookView},
    },
    time::Timestamp,
    ApiError, ErrorCode,
};
use worker::{console_error, Env, Fetch, Headers, Method, Request, RequestInit};

pub fn view(row: &WebhookRow) -> WebhookView {
    WebhookView {
        id: row.id.clone(),
        url: row.url.clone(),
        events: row.events(),
        active: row.active != 0,
        created_at: Timestamp(row.created_at),
    }
}

/// Registers a webhook of the merchant.
pub async fn register(
    cx: &Cx,
    merchant_id: &str,
    input: &RegisterWebhookRequest,
) -> Result<WebhookView, ApiError> {
    let url = validate_url(&input.url)?;
    let events = validate_events(&input.events)?;
    validate_secret(&input.secret)?;
    let db = cx.db()?;
    if store::webhooks::count_of(&db, merchant_id).await? >= MAX_WEBHOOKS {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!("You have {MAX_WEBHOOKS} webhooks; remove one before adding another."),
        ));
    }
    let id = new_id("wh_", cx.now_ms, random::<8>()?);
    let events_json = serde_json::to_string(&events).internal("webhook events")?;
    let row = NewWebhookRow {
        id: &id,
        merchant_id,
        url: &url,
        secret: &input.secret,
        events: &events_json,
        now_ms: cx.now_ms,
    };
    store::webhooks::insert(&db, &row).await?;
    Ok(WebhookView { id, url, events, active: true, created_at: Timestamp(cx.now_ms) })
}

/// The newest 50 deliveries of the merchant's webhook, each with its attempts; `None` when
/// the webhook is not theirs.
pub async fn deliveries(cx: &Cx, merchant_id: &str, id: &str) -> Result<Option<Vec<DeliveryView>>, ApiError> {
    let db = cx.db()?;
    if !store::webhooks::is_owned(&db, merchant_id, id).await? {
        return Ok(None);
    }
    let rows = store::webhooks::deliveries(&db, id).await?;
    let attempts = store::webhooks::attempts(&db, id).await?;
    Ok(Some(
        rows.into_iter()
            .map(|row| DeliveryView {
                attempts: attempts
                    .iter()
                    .filter(|a| a.delivery_id == row.id)
                    .map(|a| AttemptView {
                        attempt: a.attempt,
                        at: Timestamp(a.at),
                        status_code: a.status_code,
                        error: a.error.clone(),
                        duration_ms: a.duration_ms,
                    })
                    .collect(),
                next_attempt_at: (row.status == DeliveryStatus::Pending)
                    .then_some(row.next_attempt_at)
                    .flatten()
                    .map(Timestamp),
                delivered_at: row.delivered_at.map(Timestamp),
                created_at: Timestamp(row.created_at),
                id: row.id,
                event_id: row.event_id,
                event: row.event,
                status: row.status.as_str().to_owned(),
            })
            .collect(),
    ))
}

// --- emitting events -------------------------------------------------------------------------------

/// Razorpay's `account_id` of a merchant.
pub(crate) fn account_id(merchant_id: &str) -> String {
    format!("acc_{merchant_id}")
}

impl Runtime<'_> {
    /// Stores `event` for every active webhook of the merchant subscribed to it, then tries the
    /// deliveries. Failures are logged: the change that caused the event has already happened
    /// and must be reported as such.
    pub(crate) async fn emit(&self, merchant_id: &str, event: &str, entities: Vec<(&str, Value)>) {
        match self.store_event(merchant_id, event, entities).await {
            Ok(deliveries) if deliveries.is_empty() => {}
            Ok(deliveries) => {
                let (env, now_ms) = (self.env.clone(), self.now_ms);
                let send = async move {
                    for id in deliveries {
                        if let Err(err) = attempt(&env, &id, now_ms).await {
                            console_error!("delivering {id}: {err}");
                        }
                    }
                };
                match self.after_response {
                    Some(ctx) => ctx.wait_until(send),
                    None => send.await,
                }
            }
            Err(err) => console_error!("storing webhook event {event}: {err}"),
        }
    }

    async fn store_event(
        &self,
        merchant_id: &str,
        event: &str,
        entities: Vec<(&str, Value)>,
    ) -> Result<Vec<String>, ApiError> {
        let db = self.db()?;
        let hooks = store::webhooks::active(&db, merchant_id).await?;
        let subscribed: Vec<&WebhookRow> =
            hooks.iter().filter(|h| h.events().iter().any(|e| e == event)).collect();
        if subscribed.is_empty() {
            return Ok(Vec::new());
        }
        let now_ms = self.now_ms;
        let event_id = new_id("evt_", now_ms, random::<8>()?);
        let body = EventBody::new(&account_id(merchant_id), event, entities, unix_seconds(now_ms));
        let body = serde_json::to_string(&body).internal("event body")?;
        let mut deliveries = Vec::new();
        for hook in subscribed {
            deliveries.push((new_id("whd_", now_ms, random::<8>()?), hook.id.clone()));
        }
        store::webhooks::store_event(&db, &event_id, merchant_id, event, &body, &deliveries, now_ms).await?;
        Ok(deliveries.into_iter().map(|(id, _)| id).collect())
    }

    /// The events of a payment that changed: `payment.*` carry the payment; `order.paid` the
    /// payment and its order, and is followed by the payment link's own event when the order
    /// paid (part of) a link.
    pub async fn payment_events(&self, merchant_id: &str, payment_id: &str, events: &[&str]) {
        let Ok(db) = self.db() else { return };
        let Ok(Some(payment)) = store::payments::get(&db, merchant_id, payment_id).await else { return };
        let payment_entity = serde_json::to_value(payment.entity()).unwrap_or(Value::Null);
        for event in events {
            let mut entities = vec![("payment", payment_entity.clone())];
            if *event == "order.paid" {
                let order = store::orders::get(&db, merchant_id, &payment.order_id).await.ok().flatten();
                entities.push((
                    "order",
                    order
                        .as_ref()
                        .map_or(Value::Null, |o| serde_json::to_value(o.entity()).unwrap_or_default()),
                ));
                if let Some(link_id) = order.and_then(|o| o.payment_link_id) {
                    if let Ok(Some(link)) = store::payment_links::get(&db, merchant_id, &link_id).await {
                        let link_event = match link.status {
                            LinkStatus::Paid => "payment_link.paid",
                            _ => "payment_link.partially_paid",
                        };
                        match store::payment_links::entity(&db, &link).await {
                            Ok(link_entity) => {
                                let link_entities = vec![
                                    ("payment_link", serde_json::to_value(link_entity).unwrap_or_default()),
                                    ("payment", payment_entity.clone()),
                                    ("order", entities[1].1.clone()),
                                ];
                                self.emit(merchant_id, link_event, link_entities).await;
                            }
                            Err(err) => console_error!("{link_event} of {link_id}: {err}"),
                        }
                    }
                }
            }
            self.emit(merchant_id, event, entities).await;
        }
    }

    /// The events of a new refund: they carry the refund and its payment.
    pub async fn refund_events(&self, merchant_id: &str, refund_id: &str, events: &[&str]) {
        let Ok(db) = self.db() else { return };
        let Ok(Some(refund)) = store::refunds::get(&db, merchant_id, refund_id).await else { return };
        let payment = store::payments::get(&db, merchant_id, &refund.payment_id).await.ok().flatten();
        for event in events {
            let entities = vec![
                ("refund", serde_json::to_value(refund.entity()).unwrap_or_default()),
                (
                    "payment",
                    payment
                        .as_ref()
                        .map_or(Value::Null, |p| serde_json::to_value(p.entity()).unwrap_or_default()),
                ),
            ];
            self.emit(merchant_id, event, entities).await;
        }
    }

    /// A payment link's own event (`payment_link.cancelled`, `payment_link.expired`).
    pub async fn payment_link_event(&self, merchant_id: &str, link_id: &str, event: &str) {
        let Ok(db) = self.db() else { return };
        let Ok(Some(link)) = store::payment_links::get(&db, merchant_id, link_id).await else { return };
        let Ok(entity) = store::payment_links::entity(&db, &link).await else { return };
        let entity = serde_json::to_value(entity).unwrap_or_default();
        self.emit(merchant_id, event, vec![("payment_link", entity)]).await;
    }

    /// A subscription's event: the subscription, and the payment when there is one.
    pub async fn subscription_event(
        &self,
        merchant_id: &str,
        sub_id: &str,
        event: &str,
        payment_id: Option<&str>,
    ) {
        let Ok(db) = self.db() else { return };
        let Ok(Some(sub)) = store::subscriptions::get(&db, merchant_id, sub_id).await else { return };
        let plan = store::plans::get(&db, merchant_id, &sub.plan_id).await.ok().flatten();
        let mut entities =
            vec![("subscription", serde_json::to_value(sub.entity(plan.as_ref())).unwrap_or_default())];
        if let Some(payment_id) = payment_id {
            if let Ok(Some(payment)) = store::payments::get(&db, merchant_id, payment_id).await {
                entities.push(("payment", serde_json::to_value(payment.entity()).unwrap_or_default()));
            }
        }
        self.emit(merchant_id, event, entities).await;
    }

    /// `settlement.processed` to the merchant's webhooks.
    pub async fn settlement_event(&self, merchant_id: &str, id: &str) {
        let Ok(db) = self.db() else { return };
        let Ok(Some(row)) = store::settlements::by_id(&db, id).await else { return };
        self.emit(merchant_id, "settlement.processed", vec![("settlement", row.entity())]).await;
    }
}

// --- delivering ----------------------------------------------------------------------------------

/// One attempt of one delivery, if it is due and nobody else claimed it.
async fn attempt(env: &Env, delivery_id: &str, now_ms: i64) -> Result<(), ApiError> {
    let db = env.d1("DB").internal("D1 binding")?;
    if !store::webhooks::claim_attempt(&db, delivery_id, now_ms, now_ms + ATTEMPT_LEASE_MS).await? {
        return Ok(());
    }
    let due = store::webhooks::sendable(&db, delivery_id)
        .await?
        .ok_or_else(|| internal("delivery", "claimed a delivery that is gone"))?;
    let started = crate::platform::now_ms();
    let outcome = send(&due).await;
    let duration_ms = crate::platform::now_ms() - started;
    let (status_code, error) = match &outcome {
        Ok(status) => (Some(i64::from(*status)), None),
        Err(err) => (None, Some(err.chars().take(500).collect::<String>())),
    };
    let delivered = matches!(outcome, Ok(status) if is_delivered(status));
    let attempts = u32::try_from(due.attempts).unwrap_or(u32::MAX);
    let next = (!delivered).then(|| next_attempt_at(due.created_at, attempts, now_ms)).flatten();
    let outcome = AttemptOutcome {
        status_code,
        error: error.as_deref(),
        duration_ms,
        status: DeliveryStatus::after_attempt(delivered, next),
        next_attempt_at: next,
        delivered_at: delivered.then_some(now_ms),
    };
    store::webhooks::record_attempt(&db, &due.id, due.attempts, now_ms, &outcome).await
}

/// POSTs the stored body, signed; the receiver's status, or why it could not be reached.
async fn send(due: &Sendable) -> Result<u16, String> {
    let headers = Headers::new();
    let set = |name: &str, value: &str| headers.set(name, value).map_err(|e| e.to_string());
    set("Content-Type", "application/json")?;
    set("User-Agent", "Dozen-Pay-Webhooks/1 (Razorpay-compatible)")?;
    set("X-Razorpay-Signature", &webhook_signature(due.body.as_bytes(), &due.secret))?;
    set("X-Razorpay-Event-Id", &due.event_id)?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_headers(headers.clone()).with_body(Some(due.body.as_str().into()));
    let request = Request::new_with_init(&due.url, &init).map_err(|e| e.to_string())?;
    let response = Fetch::Request(request).send().await.map_err(|e| e.to_string())?;
    Ok(response.status_code())
}

/// Retries every delivery due at `now_ms` (the Cron Trigger), oldest first, at most 50 a run.
pub async fn retry_due(env: &Env, now_ms: i64) -> Result<usize, ApiError> {
    let db = env.d1("DB").internal("D1 binding")?;
    let due = store::webhooks::due(&db, now_ms).await?;
    for id in &due {
        attempt(env, id, now_ms).await?;
    }
    Ok(due.len())
}
