//! Payment links: `/v1/payment_links` for the merchant (create with a short URL made by Links,
//! fetch, list, edit, cancel), and the public side the customer's page uses: the link, and an
//! order for the amount they choose to pay now, which the hosted checkout then pays.

use crate::http::OrInternal;
use crate::{
    d1::{all, first, num, opt_num, prepare, run, text},
    http::{json, read_json, ApiResult, Cx},
    links,
    password::random,
    pay::{
        keys::Merchant,
        respond::{ok, V1Result},
        runtime::Runtime,
        store::{self, maybe, notes_json, PaymentLinkRow},
    },
    rate_limit,
};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use shared::{
    pay::{
        ids::{OrderId, PaymentLinkId},
        limits::CHECKOUT_ATTEMPTS,
        notes::{optional_text, parse_notes},
        order::DEFAULT_CAPTURE_WINDOW_MINUTES,
        payment_link::{check_expire_by, NewPaymentLink, MAX_REFERENCE_CHARS},
        wire::{PaymentLinkOrder, PaymentLinkOrderRequest, PaymentLinkView},
        RazorpayError,
    },
    time::Timestamp,
    ApiError, ErrorCode,
};
use worker::Request;

/// The customer's page of a link (the short URL leads here).
pub fn page_path(id: &str) -> String {
    format!("/pay/link/{id}")
}

fn reference_taken() -> RazorpayError {
    RazorpayError::invalid("reference_id", "A payment link with this reference_id exists already.")
}

#[utoipa::path(post, path = "/v1/payment_links", tag = "pay-v1", security(("razorpay_key" = [])),
    request_body(content = Object, description = "{amount, currency, accept_partial, first_min_partial_amount, description, reference_id, customer, notify, reminder_enable, notes, callback_url, callback_method, expire_by}"),
    responses((status = 200, body = shared::pay::entity::PaymentLink, description = "The payment link"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn create(cx: &Cx, merchant: &Merchant, body: &Map<String, Value>) -> V1Result {
    let link = NewPaymentLink::parse(body, cx.now_ms)?;
    let db = cx.db()?;
    if let Some(reference) = &link.reference_id {
        if store_by_reference(&db, &merchant.id, reference).await?.is_some() {
            return Err(reference_taken());
        }
    }
    let id = PaymentLinkId::new(cx.now_ms, random::<8>()?);
    let short_url = links::api::shorten_own_page(cx, &merchant.id, &page_path(id.as_str()), "pay")
        .await
        .map_err(RazorpayError::from)?;
    let inserted = run(
        &db,
        "INSERT INTO pay_payment_links (id, merchant_id, key_id, amount, currency, accept_partial, \
           first_min_partial_amount, description, reference_id, customer, notify_sms, notify_email, reminder_enable, \
           notes, callback_url, upi_link, short_url, status, expire_by, created_at, updated_at) \
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, 'created', ?18, ?19, ?19 \
         WHERE NOT EXISTS (SELECT 1 FROM pay_payment_links WHERE merchant_id = ?2 AND reference_id = ?9)",
        &[
            text(id.as_str()),
            text(&merchant.id),
            text(&merchant.key_id),
            num(link.amount),
            text(link.currency.code),
            num(i64::from(link.accept_partial)),
            opt_num(link.first_min_partial_amount),
            maybe(link.description.as_deref()),
            maybe(link.reference_id.as_deref()),
            text(&serde_json::to_string(&link.customer).unwrap_or_else(|_| "{}".into())),
            num(i64::from(link.notify_sms)),
            num(i64::from(link.notify_email)),
            num(i64::from(link.reminder_enable)),
            text(&notes_json(&link.notes)),
            maybe(link.callback_url.as_deref()),
            num(i64::from(link.upi_link)),
            text(&short_url),
            num(link.expire_by_ms),
            num(cx.now_ms),
        ],
    )
    .await?;
    if inserted == 0 {
        return Err(reference_taken());
    }
    fetch(cx, merchant, id.as_str()).await
}

async fn store_by_reference(
    db: &worker::D1Database,
    merchant_id: &str,
    reference: &str,
) -> Result<Option<PaymentLinkRow>, RazorpayError> {
    Ok(first(
        db,
        "SELECT * FROM pay_payment_links WHERE merchant_id = ?1 AND reference_id = ?2",
        &[text(merchant_id), text(reference)],
    )
    .await?)
}

async fn owned(cx: &Cx, merchant: &Merchant, id: &str) -> Result<PaymentLinkRow, RazorpayError> {
    let id = PaymentLinkId::parse(id)?;
    store::payment_link(&cx.db()?, &merchant.id, id.as_str()).await?.ok_or_else(RazorpayError::no_such_id)
}

#[utoipa::path(get, path = "/v1/payment_links/{id}", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = shared::pay::entity::PaymentLink, description = "The payment link"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn fetch(cx: &Cx, merchant: &Merchant, id: &str) -> V1Result {
    let link = owned(cx, merchant, id).await?;
    ok(&link.entity(&cx.db()?).await)
}

/// Razorpay answers `{"payment_links": […]}` here (not a collection); filters `payment_id`
/// and `reference_id`.
#[utoipa::path(get, path = "/v1/payment_links", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("reference_id" = Option<String>, Query), ("payment_id" = Option<String>, Query)),
    responses((status = 200, description = "{payment_links: [...]}"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn list(cx: &Cx, merchant: &Merchant, req: &Request) -> V1Result {
    let url = req.url().map_err(|_| RazorpayError::bad_request("The URL is not valid."))?;
    let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let get = |key: &str| query.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let db = cx.db()?;
    let rows: Vec<PaymentLinkRow> = all(
        &db,
        "SELECT * FROM pay_payment_links l WHERE merchant_id = ?1 \
           AND (?2 IS NULL OR reference_id = ?2) \
           AND (?3 IS NULL OR EXISTS (SELECT 1 FROM pay_payment_link_payments p WHERE p.plink_id = l.id AND p.payment_id = ?3)) \
         ORDER BY created_at DESC, id DESC LIMIT 100",
        &[text(&merchant.id), maybe(get("reference_id").as_deref()), maybe(get("payment_id").as_deref())],
    )
    .await?;
    let mut links = Vec::with_capacity(rows.len());
    for row in &rows {
        links.push(row.entity(&db).await);
    }
    ok(&json!({ "payment_links": links }))
}

/// `PATCH`: reference_id, expire_by, reminder_enable, notes, accept_partial — of an open link.
#[utoipa::path(patch, path = "/v1/payment_links/{id}", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    request_body(content = Object, description = "{reference_id, expire_by, reminder_enable, notes, accept_partial}"),
    responses((status = 200, body = shared::pay::entity::PaymentLink, description = "The payment link"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn edit(cx: &Cx, merchant: &Merchant, id: &str, body: &Map<String, Value>) -> V1Result {
    let link = owned(cx, merchant, id).await?;
    if !link.status().is_open() {
        return Err(RazorpayError::not_allowed(format!(
            "A payment link that is {} cannot be edited",
            link.status().as_str()
        )));
    }
    let reference = match body.get("reference_id") {
        Some(value) => optional_text(Some(value), "reference_id", MAX_REFERENCE_CHARS)?,
        None => link.reference_id.clone(),
    };
    let expire_by = match body.get("expire_by") {
        Some(value) => check_expire_by(value, cx.now_ms)?,
        None => link.expire_by,
    };
    let notes = match body.get("notes") {
        Some(value) => notes_json(&parse_notes(Some(value))?),
        None => link.notes.clone(),
    };
    let flag = |name: &str, current: i64| -> Result<i64, RazorpayError> {
        match body.get(name) {
            None => Ok(current),
            Some(Value::Bool(b)) => Ok(i64::from(*b)),
            Some(_) => Err(RazorpayError::invalid(name, format!("The {name} field must be true or false."))),
        }
    };
    let reminder = flag("reminder_enable", link.reminder_enable)?;
    let partial = flag("accept_partial", link.accept_partial)?;
    if let Some(reference) = reference.as_deref().filter(|r| link.reference_id.as_deref() != Some(*r)) {
        if store_by_reference(&cx.db()?, &merchant.id, reference).await?.is_some() {
            return Err(reference_taken());
        }
    }
    run(
        &cx.db()?,
        "UPDATE pay_payment_links SET reference_id = ?3, expire_by = ?4, notes = ?5, reminder_enable = ?6, \
           accept_partial = ?7, updated_at = ?8 WHERE id = ?1 AND merchant_id = ?2",
        &[
            text(&link.id),
            text(&merchant.id),
            maybe(reference.as_deref()),
            num(expire_by),
            text(&notes),
            num(reminder),
            num(partial),
            num(cx.now_ms),
        ],
    )
    .await
    .map_err(|_| reference_taken())?;
    fetch(cx, merchant, &link.id).await
}

#[utoipa::path(post, path = "/v1/payment_links/{id}/cancel", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = shared::pay::entity::PaymentLink, description = "The cancelled payment link"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn cancel(cx: &Cx, merchant: &Merchant, id: &str) -> V1Result {
    let link = owned(cx, merchant, id).await?;
    let cancelled = link.status().cancel()?;
    let changed = run(
        &cx.db()?,
        "UPDATE pay_payment_links SET status = ?3, cancelled_at = ?4, updated_at = ?4 \
         WHERE id = ?1 AND merchant_id = ?2 AND status IN ('created', 'partially_paid')",
        &[text(&link.id), text(&merchant.id), text(cancelled.as_str()), num(cx.now_ms)],
    )
    .await?;
    if changed == 0 {
        return Err(RazorpayError::not_allowed("The payment link changed meanwhile; fetch it again"));
    }
    Runtime::for_request(cx).payment_link_event(&merchant.id, &link.id, "payment_link.cancelled").await;
    fetch(cx, merchant, &link.id).await
}

// --- the customer's side (public, by link id) -------------------------------------------------

#[derive(Deserialize)]
struct LinkOwner {
    merchant_id: String,
    merchant_name: String,
}

async fn public_link(cx: &Cx, id: &str) -> Result<(PaymentLinkRow, String), ApiError> {
    let missing = || ApiError::not_found("No payment link with this id.");
    let id = PaymentLinkId::parse(id).map_err(|_| missing())?;
    let db = cx.db()?;
    let owner: LinkOwner = first(
        &db,
        "SELECT l.merchant_id, u.display_name AS merchant_name FROM pay_payment_links l \
         JOIN auth_users u ON u.id = l.merchant_id WHERE l.id = ?1",
        &[text(id.as_str())],
    )
    .await?
    .ok_or_else(missing)?;
    let link = store::payment_link(&db, &owner.merchant_id, id.as_str())
        .await
        .internal("loading a payment link for its page")?
        .ok_or_else(missing)?;
    Ok((link, owner.merchant_name))
}

/// What the customer sees on the link's page.
#[utoipa::path(get, path = "/api/pay/links/{id}", tag = "pay",
    params(("id" = String, Path, description = "plink_…")),
    responses((status = 200, body = PaymentLinkView), (status = 404, body = shared::error::ErrorEnvelope)))]
pub async fn view(cx: &Cx, id: &str) -> ApiResult {
    let (link, merchant_name) = public_link(cx, id).await?;
    let expired = cx.now_ms >= link.expire_by && link.status().is_open();
    json(
        200,
        &PaymentLinkView {
            id: link.id.clone(),
            amount: link.amount,
            amount_paid: link.amount_paid,
            amount_due: link.amount - link.amount_paid,
            currency: link.currency.clone(),
            status: if expired { "expired".into() } else { link.status().as_str().into() },
            description: link.description.clone(),
            merchant_name,
            accept_partial: link.accept_partial != 0,
            first_min_partial_amount: link.first_min_partial_amount.filter(|_| link.amount_paid == 0),
            expire_by: Timestamp(link.expire_by),
            callback_url: link.callback_url.clone(),
        },
    )
}

/// An order for the part of the link the customer pays now; the hosted checkout pays it.
#[utoipa::path(post, path = "/api/pay/links/{id}/orders", tag = "pay",
    params(("id" = String, Path, description = "plink_…")),
    request_body = PaymentLinkOrderRequest,
    responses((status = 201, body = PaymentLinkOrder), (status = 404, body = shared::error::ErrorEnvelope),
              (status = 409, description = "The link is paid, cancelled or expired", body = shared::error::ErrorEnvelope),
              (status = 422, body = shared::error::ErrorEnvelope), (status = 429, body = shared::error::ErrorEnvelope)))]
pub async fn order_for(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let db = cx.db()?;
    rate_limit::hit(&db, &format!("pay-checkout:ip:{}", cx.client_ip), CHECKOUT_ATTEMPTS, cx.now_ms).await?;
    let (link, _) = public_link(cx, id).await?;
    let input: PaymentLinkOrderRequest = read_json(req).await?;
    let amount = link.state().check_payment(input.amount, cx.now_ms).map_err(|err| match err.field {
        Some(field) => ApiError::invalid(&field, err.description),
        None => ApiError::new(ErrorCode::Conflict, err.description),
    })?;
    let order_id = OrderId::new(cx.now_ms, random::<8>()?);
    let notes = json!({"payment_link_id": link.id});
    run(
        &db,
        "INSERT INTO pay_orders (id, merchant_id, key_id, amount, currency, receipt, status, notes, auto_capture, \
           capture_window_minutes, partial_payment, payment_link_id, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'created', ?7, 1, ?8, ?9, ?10, ?11)",
        &[
            text(order_id.as_str()),
            text(&link.merchant_id),
            text(&link.key_id),
            num(amount),
            text(&link.currency),
            maybe(link.reference_id.as_deref()),
            text(&notes.to_string()),
            num(DEFAULT_CAPTURE_WINDOW_MINUTES),
            num(link.accept_partial),
            text(&link.id),
            num(cx.now_ms),
        ],
    )
    .await?;
    json(201, &PaymentLinkOrder { order_id: order_id.to_string(), amount, currency: link.currency })
}

/// Closes links past their `expire_by` (the Cron Trigger) and says so to their webhooks.
pub async fn expire_due(env: &worker::Env, now_ms: i64) -> Result<usize, RazorpayError> {
    #[derive(Deserialize)]
    struct Due {
        id: String,
        merchant_id: String,
    }
    let db = env.d1("DB").internal("D1 binding")?;
    let due: Vec<Due> = all(
        &db,
        "SELECT id, merchant_id FROM pay_payment_links WHERE status IN ('created', 'partially_paid') \
         AND expire_by <= ?1 LIMIT 100",
        &[num(now_ms)],
    )
    .await?;
    let emitter = Runtime::scheduled(env, now_ms);
    for link in &due {
        let expired = prepare(
            &db,
            "UPDATE pay_payment_links SET status = 'expired', expired_at = ?2, updated_at = ?2 \
             WHERE id = ?1 AND status IN ('created', 'partially_paid')",
            &[text(&link.id), num(now_ms)],
        )?
        .run()
        .await
        .internal("expiring a link")?;
        if expired.meta().ok().flatten().and_then(|m| m.changes) == Some(1) {
            emitter.payment_link_event(&link.merchant_id, &link.id, "payment_link.expired").await;
        }
    }
    Ok(due.len())
}
