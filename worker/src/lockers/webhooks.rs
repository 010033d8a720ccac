//! `/api/lockers/webhooks`, and their delivery: every minute (the Cron Trigger; `POST
//! /api/scheduled` under `wrangler dev`) each active endpoint that is due, those waiting longest
//! first, takes under a lease the next events of the parcels its owner sends or receives, oldest
//! first, and POSTs them one by one, signed at the moment of sending (`shared::lockers::webhook`).
//! Each 2xx moves its cursor past the event at once (and renews the lease); anything else stops
//! the batch and backs off, so an event is never skipped; a run spends at most 20 s on one
//! endpoint. Once an endpoint has had every event so far, its cursor jumps to the newest event,
//! so it never reads the same stretch of others' events again.

use crate::platform::now_ms as clock_ms;
use crate::{
    auth::identity,
    d1::{all, first, num, opt_text, run, text, value},
    http::{internal, json, no_content, read_json, ApiResult, Cx, OrInternal},
    password::random,
};
use serde::Deserialize;
use shared::{
    error::ErrorEnvelope,
    ids::TimeId,
    lockers::webhook::{
        backoff_ms, event_type, signature, NewWebhook, WebhookEvent, WebhookParcel, WebhookView, BATCH,
        MAX_FAILURES, MAX_WEBHOOKS, SIGNATURE_HEADER,
    },
    time::Timestamp,
    ApiError, ErrorCode,
};
use worker::{D1Database, Env, Fetch, Headers, Method, Request, RequestInit};

/// How long a delivery run holds an endpoint, renewed with each delivery.
const LEASE_MS: i64 = 60_000;
/// How long one run spends on one endpoint before it leaves the rest to the next run.
const BUDGET_MS: i64 = 20_000;

#[derive(Deserialize)]
struct WebhookRow {
    id: String,
    owner_id: String,
    url: String,
    secret: String,
    cursor: i64,
    failures: i64,
    last_error: Option<String>,
    next_attempt_at: i64,
    active: i64,
    created_at: i64,
}

const COLUMNS: &str =
    "id, owner_id, url, secret, cursor, failures, last_error, next_attempt_at, active, created_at";

fn view(row: &WebhookRow) -> WebhookView {
    let failing = row.failures > 0 && row.active != 0;
    WebhookView {
        id: row.id.clone(),
        url: row.url.clone(),
        active: row.active != 0,
        delivered_through: (row.cursor > 0).then(|| format!("evt_{}", row.cursor)),
        failures: u32::try_from(row.failures).unwrap_or(u32::MAX),
        last_error: row.last_error.clone(),
        next_attempt_at: failing.then(|| Timestamp(row.next_attempt_at).to_rfc3339()),
        created_at: Timestamp(row.created_at).to_rfc3339(),
    }
}

/// Registers an endpoint for the events of the caller's parcels from now on (at most five).
#[utoipa::path(post, path = "/api/lockers/webhooks", tag = "lockers", request_body = NewWebhook,
    security(("session" = []), ("api_key" = [])),
    responses((status = 201, body = WebhookView), (status = 401, body = ErrorEnvelope),
              (status = 409, body = ErrorEnvelope, description = "Five endpoints already"), (status = 422, body = ErrorEnvelope)))]
pub async fn register(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let asked = read_json::<NewWebhook>(req).await?;
    let url = asked.check()?;
    let db = cx.db()?;
    let id = TimeId::new(cx.now_ms, random::<10>()?).to_string();
    // The limit and the insert in one statement; events so far are not sent (the cursor starts at the last one).
    let made = run(
        &db,
        "INSERT INTO lockers_webhooks (id, owner_id, url, secret, cursor, created_at) \
         SELECT ?1, ?2, ?3, ?4, COALESCE((SELECT MAX(rowid) FROM lockers_events), 0), ?5 \
         WHERE (SELECT COUNT(*) FROM lockers_webhooks WHERE owner_id = ?2 AND active = 1) < ?6",
        &[
            text(&id),
            text(&me.id),
            text(&url),
            text(&asked.secret),
            num(cx.now_ms),
            num(i64::try_from(MAX_WEBHOOKS).unwrap_or(5)),
        ],
    )
    .await?;
    if made != 1 {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!("You have {MAX_WEBHOOKS} webhooks; remove one before adding another."),
        ));
    }
    let row = one(&db, &id).await?.ok_or_else(ApiError::internal)?;
    json(201, &view(&row))
}

async fn one(db: &D1Database, id: &str) -> Result<Option<WebhookRow>, ApiError> {
    first(db, &format!("SELECT {COLUMNS} FROM lockers_webhooks WHERE id = ?1"), &[text(id)]).await
}

/// The caller's endpoints, with how far each has got.
#[utoipa::path(get, path = "/api/lockers/webhooks", tag = "lockers", security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = [WebhookView]), (status = 401, body = ErrorEnvelope)))]
pub async fn list(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    // Switched-off ones too (`active: false`, with the last error), until their owner removes them.
    let rows: Vec<WebhookRow> = all(
        &cx.db()?,
        &format!("SELECT {COLUMNS} FROM lockers_webhooks WHERE owner_id = ?1 ORDER BY created_at"),
        &[text(&me.id)],
    )
    .await?;
    json(200, &rows.iter().map(view).collect::<Vec<_>>())
}

/// Removes one of the caller's endpoints (another person's is one that does not exist).
#[utoipa::path(delete, path = "/api/lockers/webhooks/{id}", tag = "lockers", params(("id" = String, Path)),
    security(("session" = []), ("api_key" = [])),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn remove(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let gone = run(
        &cx.db()?,
        "DELETE FROM lockers_webhooks WHERE id = ?1 AND owner_id = ?2",
        &[text(id), text(&me.id)],
    )
    .await?;
    if gone != 1 {
        return Err(ApiError::not_found("No such webhook."));
    }
    no_content()
}

/// An event with its parcel as it is now.
#[derive(Deserialize)]
struct EventRow {
    seq: i64,
    at: i64,
    status: String,
    actor: Option<String>,
    detail: Option<String>,
    package_id: String,
    kind: String,
    now_status: String,
    reference: Option<String>,
    return_of: Option<String>,
    location_id: String,
    bank_id: Option<String>,
    door: Option<i64>,
    pickup_by: Option<i64>,
}

fn body_of(e: &EventRow) -> WebhookEvent {
    WebhookEvent {
        id: format!("evt_{}", e.seq),
        kind: event_type(&e.status, e.detail.as_deref()),
        created_at: Timestamp(e.at).to_rfc3339(),
        actor: e.actor.clone().unwrap_or_else(|| "system".to_owned()),
        detail: e.detail.clone(),
        package: WebhookParcel {
            id: e.package_id.clone(),
            kind: e.kind.clone(),
            status: e.now_status.clone(),
            reference: e.reference.clone(),
            return_of: e.return_of.clone(),
            location_id: e.location_id.clone(),
            bank_id: e.bank_id.clone(),
            door: e.door.and_then(|d| u16::try_from(d).ok()),
            pickup_by: e.pickup_by.map(|at| Timestamp(at).to_rfc3339()),
        },
    }
}

/// POSTs one body, signed now; Ok for a 2xx, else why not.
async fn send(url: &str, secret: &str, event_id: &str, body: &str) -> Result<(), String> {
    let headers = Headers::new();
    let set = |name: &str, value: &str| headers.set(name, value).map_err(|e| e.to_string());
    set("Content-Type", "application/json")?;
    set("User-Agent", "Dozen-Lockers-Webhooks/1")?;
    set(SIGNATURE_HEADER, &signature(secret, clock_ms() / 1_000, body.as_bytes()))?;
    set("Dozen-Event-Id", event_id)?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_headers(headers.clone()).with_body(Some(body.into()));
    let request = Request::new_with_init(url, &init).map_err(|e| e.to_string())?;
    let response = Fetch::Request(request).send().await.map_err(|e| e.to_string())?;
    match response.status_code() {
        200..=299 => Ok(()),
        status => Err(format!("HTTP {status}")),
    }
}

/// Delivers what is due to every endpoint (the Cron Trigger); how many events were delivered.
pub async fn deliver_due(env: &Env, now_ms: i64) -> Result<usize, ApiError> {
    let db = env.d1("DB").internal("D1 binding")?;
    let due: Vec<WebhookRow> = all(
        &db,
        &format!(
            "SELECT {COLUMNS} FROM lockers_webhooks WHERE active = 1 AND next_attempt_at <= ?1 AND lease_until <= ?1 \
             ORDER BY last_run_at LIMIT 50"
        ),
        &[num(now_ms)],
    )
    .await?;
    let mut delivered = 0;
    for hook in due {
        delivered += deliver(&db, &hook, now_ms).await?;
    }
    Ok(delivered)
}

async fn deliver(db: &D1Database, hook: &WebhookRow, now_ms: i64) -> Result<usize, ApiError> {
    // The lease: another run that read the same row finds it taken.
    let leased = run(
        db,
        "UPDATE lockers_webhooks SET lease_until = ?2, last_run_at = ?3 WHERE id = ?1 AND lease_until <= ?3 AND active = 1",
        &[text(&hook.id), num(now_ms + LEASE_MS), num(now_ms)],
    )
    .await?;
    if leased != 1 {
        return Ok(0);
    }
    // Events up to this one are all this run looks at.
    let newest: Option<i64> = value(db, "SELECT MAX(rowid) AS value FROM lockers_events", &[]).await?;
    let snapshot = newest.unwrap_or(hook.cursor);
    let events: Vec<EventRow> = all(
        db,
        "SELECT e.rowid AS seq, e.at, e.status, u.username AS actor, e.detail, p.id AS package_id, p.kind, \
           p.status AS now_status, p.reference, p.return_of, p.location_id, p.bank_id, p.door, p.pickup_by \
         FROM lockers_events e JOIN lockers_packages p ON p.id = e.package_id \
         LEFT JOIN auth_users u ON u.id = e.actor_id \
         WHERE e.rowid > ?1 AND e.rowid <= ?2 AND (p.sender_id = ?3 OR p.recipient_id = ?3) ORDER BY e.rowid LIMIT ?4",
        &[num(hook.cursor), num(snapshot), text(&hook.owner_id), num(i64::try_from(BATCH).unwrap_or(50))],
    )
    .await?;
    let started = clock_ms();
    let mut sent = 0;
    let mut failed = None;
    for event in &events {
        let elapsed = clock_ms() - started;
        if elapsed > BUDGET_MS {
            break;
        }
        let body = serde_json::to_string(&body_of(event)).map_err(|e| internal("a webhook body", e))?;
        match send(&hook.url, &hook.secret, &format!("evt_{}", event.seq), &body).await {
            Ok(()) => {
                sent += 1;
                // Kept at once: a run that stops here does not send it again.
                run(
                    db,
                    "UPDATE lockers_webhooks SET cursor = MAX(cursor, ?2), lease_until = ?3 WHERE id = ?1",
                    &[text(&hook.id), num(event.seq), num(now_ms + elapsed + LEASE_MS)],
                )
                .await?;
            }
            Err(reason) => {
                failed = Some(reason);
                break;
            }
        }
    }
    match failed {
        None => {
            // Had everything up to the snapshot: nothing before it needs reading again.
            let caught_up = sent == events.len() && events.len() < BATCH;
            run(
                db,
                "UPDATE lockers_webhooks SET cursor = MAX(cursor, ?2), failures = 0, last_error = NULL, \
                   next_attempt_at = 0, lease_until = 0 WHERE id = ?1",
                &[text(&hook.id), num(if caught_up { snapshot } else { 0 })],
            )
            .await?;
        }
        Some(reason) => {
            let failures = u32::try_from(hook.failures).unwrap_or(u32::MAX).saturating_add(1);
            run(
                db,
                "UPDATE lockers_webhooks SET failures = ?2, last_error = ?3, next_attempt_at = ?4, lease_until = 0, \
                   active = CASE WHEN ?2 >= ?5 THEN 0 ELSE active END WHERE id = ?1",
                &[
                    text(&hook.id),
                    num(i64::from(failures)),
                    opt_text(Some(&reason.chars().take(200).collect::<String>())),
                    num(now_ms + backoff_ms(failures)),
                    num(i64::from(MAX_FAILURES)),
                ],
            )
            .await?;
        }
    }
    Ok(sent)
}
