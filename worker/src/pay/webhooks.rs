//! Webhooks: `/api/pay/webhooks` for the signed-in merchant (register, list, remove, and every
//! delivery with every attempt), and sending events. An event is stored with one delivery per
//! subscribed webhook before the API call that caused it answers; the first attempt runs right
//! after the response (`wait_until`), later ones from the Cron Trigger with backoff until a 2xx,
//! for 24 hours. Each attempt is claimed with a lease first, so two runs never send it twice.

use crate::{
    auth::identity,
    d1::{all, count, first, num, opt_num, opt_text, prepare, run, text},
    http::{internal, json, no_content, read_json, ApiResult, Cx, OrInternal},
    password::random,
    pay::{
        runtime::Runtime,
        store::{self, PaymentRow},
    },
};
use serde::Deserialize;
use serde_json::Value;
use shared::{
    pay::{
        entity::unix_seconds,
        ids::new_id,
        payment_link::LinkStatus,
        signature::webhook_signature,
        webhook::{
            is_delivered, next_attempt_at, validate_events, validate_secret, validate_url, EventBody,
            ATTEMPT_LEASE_MS, MAX_WEBHOOKS,
        },
        wire::{AttemptView, DeliveryList, DeliveryView, RegisterWebhookRequest, WebhookList, WebhookView},
    },
    time::Timestamp,
    ApiError, ErrorCode,
};
use worker::{console_error, D1Database, Env, Fetch, Headers, Method, Request, RequestInit};

#[derive(Deserialize)]
struct WebhookRow {
    id: String,
    url: String,
    events: String,
    active: i64,
    created_at: i64,
}

impl WebhookRow {
    fn events(&self) -> Vec<String> {
        serde_json::from_str(&self.events).unwrap_or_default()
    }

    fn view(&self) -> WebhookView {
        WebhookView {
            id: self.id.clone(),
            url: self.url.clone(),
            events: self.events(),
            active: self.active != 0,
            created_at: Timestamp(self.created_at),
        }
    }
}

// --- the merchant's API --------------------------------------------------------------------------

/// Registers a webhook.
#[utoipa::path(post, path = "/api/pay/webhooks", tag = "pay", security(("session" = []), ("api_key" = [])), request_body = RegisterWebhookRequest,
    responses((status = 201, body = WebhookView), (status = 401, body = shared::error::ErrorEnvelope),
              (status = 409, description = "Too many webhooks", body = shared::error::ErrorEnvelope),
              (status = 422, body = shared::error::ErrorEnvelope)))]
pub async fn register(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?;
    let input: RegisterWebhookRequest = read_json(req).await?;
    let url = validate_url(&input.url)?;
    let events = validate_events(&input.events)?;
    validate_secret(&input.secret)?;
    let db = cx.db()?;
    let existing =
        count(&db, "SELECT COUNT(*) AS n FROM pay_webhooks WHERE merchant_id = ?1", &[text(&me.user.id)])
            .await?;
    if existing >= MAX_WEBHOOKS {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!("You have {MAX_WEBHOOKS} webhooks; remove one before adding another."),
        ));
    }
    let id = new_id("wh_", cx.now_ms, random::<8>()?);
    let events_json = serde_json::to_string(&events).internal("webhook events")?;
    run(
        &db,
        "INSERT INTO pay_webhooks (id, merchant_id, url, secret, events, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        &[text(&id), text(&me.user.id), text(&url), text(&input.secret), text(&events_json), num(cx.now_ms)],
    )
    .await?;
    json(201, &WebhookView { id, url, events, active: true, created_at: Timestamp(cx.now_ms) })
}

/// The merchant's webhooks (never their secrets).
#[utoipa::path(get, path = "/api/pay/webhooks", tag = "pay", security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = WebhookList), (status = 401, body = shared::error::ErrorEnvelope)))]
pub async fn list(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?;
    let rows: Vec<WebhookRow> = all(
        &cx.db()?,
        "SELECT * FROM pay_webhooks WHERE merchant_id = ?1 ORDER BY created_at DESC, id DESC",
        &[text(&me.user.id)],
    )
    .await?;
    json(200, &WebhookList { items: rows.iter().map(WebhookRow::view).collect() })
}

/// Removes a webhook: nothing more is sent to it. Someone else's is a 404.
#[utoipa::path(delete, path = "/api/pay/webhooks/{id}", tag = "pay", security(("session" = []), ("api_key" = [])),
    params(("id" = String, Path, description = "wh_…")),
    responses((status = 204), (status = 404, body = shared::error::ErrorEnvelope)))]
pub async fn remove(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let me = identity::require(req, cx).await?;
    let changed = run(
        &cx.db()?,
        "DELETE FROM pay_webhooks WHERE id = ?1 AND merchant_id = ?2",
        &[text(id), text(&me.user.id)],
    )
    .await?;
    if changed == 0 {
        return Err(ApiError::not_found("No webhook with this id."));
    }
    no_content()
}

#[derive(Deserialize)]
struct DeliveryRow {
    id: String,
    event_id: String,
    event: String,
    status: String,
    next_attempt_at: Option<i64>,
    created_at: i64,
    delivered_at: Option<i64>,
}

#[derive(Deserialize)]
struct AttemptRow {
    delivery_id: String,
    attempt: i64,
    at: i64,
    status_code: Option<i64>,
    error: Option<String>,
    duration_ms: Option<i64>,
}

/// The newest 50 deliveries of a webhook, each with its attempts.
#[utoipa::path(get, path = "/api/pay/webhooks/{id}/deliveries", tag = "pay", security(("session" = []), ("api_key" = [])),
    params(("id" = String, Path, description = "wh_…")),
    responses((status = 200, body = DeliveryList), (status = 404, body = shared::error::ErrorEnvelope)))]
pub async fn deliveries(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let me = identity::require(req, cx).await?;
    let db = cx.db()?;
    let owned = count(
        &db,
        "SELECT COUNT(*) AS n FROM pay_webhooks WHERE id = ?1 AND merchant_id = ?2",
        &[text(id), text(&me.user.id)],
    )
    .await?;
    if owned == 0 {
        return Err(ApiError::not_found("No webhook with this id."));
    }
    let rows: Vec<DeliveryRow> = all(
        &db,
        "SELECT d.id, d.event_id, e.event, d.status, d.next_attempt_at, d.created_at, d.delivered_at \
         FROM pay_deliveries d JOIN pay_events e ON e.id = d.event_id \
         WHERE d.webhook_id = ?1 ORDER BY d.created_at DESC, d.id DESC LIMIT 50",
        &[text(id)],
    )
    .await?;
    let attempts: Vec<AttemptRow> = all(
        &db,
        "SELECT a.* FROM pay_delivery_attempts a JOIN pay_deliveries d ON d.id = a.delivery_id \
         WHERE d.webhook_id = ?1 ORDER BY a.attempt",
        &[text(id)],
    )
    .await?;
    let items = rows
        .into_iter()
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
            next_attempt_at: (row.status == "pending")
                .then_some(row.next_attempt_at)
                .flatten()
                .map(Timestamp),
            delivered_at: row.delivered_at.map(Timestamp),
            created_at: Timestamp(row.created_at),
            id: row.id,
            event_id: row.event_id,
            event: row.event,
            status: row.status,
        })
        .collect();
    json(200, &DeliveryList { items })
}

// --- emitting events -------------------------------------------------------------------------------

/// Razorpay's `account_id` of a merchant.
fn account_id(merchant_id: &str) -> String {
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
        let hooks: Vec<WebhookRow> = all(
            &db,
            "SELECT * FROM pay_webhooks WHERE merchant_id = ?1 AND active = 1",
            &[text(merchant_id)],
        )
        .await?;
        let subscribed: Vec<&WebhookRow> =
            hooks.iter().filter(|h| h.events().iter().any(|e| e == event)).collect();
        if subscribed.is_empty() {
            return Ok(Vec::new());
        }
        let now_ms = self.now_ms;
        let event_id = new_id("evt_", now_ms, random::<8>()?);
        let body = EventBody::new(&account_id(merchant_id), event, entities, unix_seconds(now_ms));
        let body = serde_json::to_string(&body).internal("event body")?;
        let mut statements = vec![prepare(
            &db,
            "INSERT INTO pay_events (id, merchant_id, event, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            &[text(&event_id), text(merchant_id), text(event), text(&body), num(now_ms)],
        )?];
        let mut delivery_ids = Vec::new();
        for hook in subscribed {
            let delivery_id = new_id("whd_", now_ms, random::<8>()?);
            statements.push(prepare(
                &db,
                "INSERT INTO pay_deliveries (id, event_id, webhook_id, merchant_id, status, next_attempt_at, created_at) \
                 VALUES (?1, ?2, ?3, ?4, 'pending', ?5, ?5)",
                &[text(&delivery_id), text(&event_id), text(&hook.id), text(merchant_id), num(now_ms)],
            )?);
            delivery_ids.push(delivery_id);
        }
        db.batch(statements).await.internal("storing an event")?;
        Ok(delivery_ids)
    }

    /// The events of a payment that changed: `payment.*` carry the payment; `order.paid` the
    /// payment and its order, and is followed by the payment link's own event when the order
    /// paid (part of) a link.
    pub async fn payment_events(&self, merchant_id: &str, payment_id: &str, events: &[&str]) {
        let Ok(db) = self.db() else { return };
        let Ok(Some(payment)) = store::payment(&db, merchant_id, payment_id).await else { return };
        let payment_entity = serde_json::to_value(payment.entity()).unwrap_or(Value::Null);
        for event in events {
            let mut entities = vec![("payment", payment_entity.clone())];
            if *event == "order.paid" {
                let order = store::order(&db, merchant_id, &payment.order_id).await.ok().flatten();
                entities.push((
                    "order",
                    order
                        .as_ref()
                        .map_or(Value::Null, |o| serde_json::to_value(o.entity()).unwrap_or_default()),
                ));
                if let Some(link_id) = order.and_then(|o| o.payment_link_id) {
                    if let Ok(Some(link)) = store::payment_link(&db, merchant_id, &link_id).await {
                        let link_event = match link.status() {
                            LinkStatus::Paid => "payment_link.paid",
                            _ => "payment_link.partially_paid",
                        };
                        let link_entity = serde_json::to_value(link.entity(&db).await).unwrap_or_default();
                        let link_entities = vec![
                            ("payment_link", link_entity),
                            ("payment", payment_entity.clone()),
                            ("order", entities[1].1.clone()),
                        ];
                        self.emit(merchant_id, link_event, link_entities).await;
                    }
                }
            }
            self.emit(merchant_id, event, entities).await;
        }
    }

    /// The events of a new refund: they carry the refund and its payment.
    pub async fn refund_events(&self, merchant_id: &str, refund_id: &str, events: &[&str]) {
        let Ok(db) = self.db() else { return };
        let Ok(Some(refund)) = store::refund(&db, merchant_id, refund_id).await else { return };
        let payment: Option<PaymentRow> =
            store::payment(&db, merchant_id, &refund.payment_id).await.ok().flatten();
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
        let Ok(Some(link)) = store::payment_link(&db, merchant_id, link_id).await else { return };
        let entity = serde_json::to_value(link.entity(&db).await).unwrap_or_default();
        self.emit(merchant_id, event, vec![("payment_link", entity)]).await;
    }
}

/// Shorthands for the API handlers.
pub async fn payment_events(cx: &Cx, merchant_id: &str, payment_id: &str, events: &[&str]) {
    Runtime::for_request(cx).payment_events(merchant_id, payment_id, events).await;
}

pub async fn refund_events(cx: &Cx, merchant_id: &str, refund_id: &str, events: &[&str]) {
    Runtime::for_request(cx).refund_events(merchant_id, refund_id, events).await;
}

// --- delivering ----------------------------------------------------------------------------------

#[derive(Deserialize)]
struct DueDelivery {
    id: String,
    event_id: String,
    attempts: i64,
    created_at: i64,
    url: String,
    secret: String,
    body: String,
}

/// One attempt of one delivery, if it is due and nobody else claimed it.
async fn attempt(env: &Env, delivery_id: &str, now_ms: i64) -> Result<(), ApiError> {
    let db = env.d1("DB").internal("D1 binding")?;
    let claimed = run(
        &db,
        "UPDATE pay_deliveries SET attempts = attempts + 1, next_attempt_at = ?3 \
         WHERE id = ?1 AND status = 'pending' AND next_attempt_at <= ?2",
        &[text(delivery_id), num(now_ms), num(now_ms + ATTEMPT_LEASE_MS)],
    )
    .await?;
    if claimed == 0 {
        return Ok(());
    }
    let due: DueDelivery = first(
        &db,
        "SELECT d.id, d.event_id, d.attempts, d.created_at, w.url, w.secret, e.body FROM pay_deliveries d \
         JOIN pay_webhooks w ON w.id = d.webhook_id JOIN pay_events e ON e.id = d.event_id WHERE d.id = ?1",
        &[text(delivery_id)],
    )
    .await?
    .ok_or_else(|| internal("delivery", "claimed a delivery that is gone"))?;
    let started = crate::platform::now_ms();
    let outcome = send(&due).await;
    let duration = crate::platform::now_ms() - started;
    record(&db, &due, outcome, now_ms, duration).await
}

/// POSTs the stored body, signed; the receiver's status, or why it could not be reached.
async fn send(due: &DueDelivery) -> Result<u16, String> {
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

async fn record(
    db: &D1Database,
    due: &DueDelivery,
    outcome: Result<u16, String>,
    now_ms: i64,
    duration_ms: i64,
) -> Result<(), ApiError> {
    let (status_code, error) = match &outcome {
        Ok(status) => (Some(i64::from(*status)), None),
        Err(err) => (None, Some(err.chars().take(500).collect::<String>())),
    };
    let delivered = matches!(outcome, Ok(status) if is_delivered(status));
    let attempts = u32::try_from(due.attempts).unwrap_or(u32::MAX);
    let next = (!delivered).then(|| next_attempt_at(due.created_at, attempts, now_ms)).flatten();
    let status = match (delivered, next) {
        (true, _) => "delivered",
        (false, Some(_)) => "pending",
        (false, None) => "failed",
    };
    let log = prepare(
        db,
        "INSERT OR REPLACE INTO pay_delivery_attempts (delivery_id, attempt, at, status_code, error, duration_ms) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        &[text(&due.id), num(due.attempts), num(now_ms), opt_num(status_code), opt_text(error.as_deref()), num(duration_ms)],
    )?;
    let update = prepare(
        db,
        "UPDATE pay_deliveries SET status = ?2, next_attempt_at = ?3, delivered_at = ?4 WHERE id = ?1",
        &[text(&due.id), text(status), opt_num(next), opt_num(delivered.then_some(now_ms))],
    )?;
    db.batch(vec![log, update]).await.map(drop).internal("recording an attempt")
}

/// Retries every delivery due at `now_ms` (the Cron Trigger), oldest first, at most 50 a run.
pub async fn retry_due(env: &Env, now_ms: i64) -> Result<usize, ApiError> {
    #[derive(Deserialize)]
    struct Due {
        id: String,
    }
    let db = env.d1("DB").internal("D1 binding")?;
    let due: Vec<Due> = all(
        &db,
        "SELECT id FROM pay_deliveries WHERE status = 'pending' AND next_attempt_at <= ?1 \
         ORDER BY next_attempt_at LIMIT 50",
        &[num(now_ms)],
    )
    .await?;
    for delivery in &due {
        attempt(env, &delivery.id, now_ms).await?;
    }
    Ok(due.len())
}
