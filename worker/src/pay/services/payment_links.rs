//! Payment links: created with a short URL made by Links, edited while open, cancelled,
//! expired by the Cron Trigger, and — on the customer's side — an order for the part the
//! customer pays now, which the hosted checkout then pays.

use super::{keys::Merchant, runtime::Runtime};
use crate::{
    http::{Cx, OrInternal},
    links,
    password::random,
    pay::store::{
        self, notes_json,
        orders::NewOrderRow,
        payment_links::{LinkEdit, NewLinkRow, PaymentLinkRow},
        Owner,
    },
};
use serde_json::{json, Map, Value};
use shared::{
    pay::{
        entity::PaymentLink,
        ids::{OrderId, PaymentLinkId},
        notes::{optional_text, parse_notes},
        order::DEFAULT_CAPTURE_WINDOW_MINUTES,
        payment_link::{check_expire_by, LinkStatus, NewPaymentLink, MAX_REFERENCE_CHARS},
        wire::PaymentLinkOrder,
        RazorpayError,
    },
    ApiError,
};
use worker::Env;

/// The customer's page of a link (the short URL leads here).
pub fn page_path(id: &str) -> String {
    format!("/pay/link/{id}")
}

fn reference_taken() -> RazorpayError {
    RazorpayError::invalid("reference_id", "A payment link with this reference_id exists already.")
}

pub async fn entity(cx: &Cx, link: &PaymentLinkRow) -> Result<PaymentLink, RazorpayError> {
    Ok(store::payment_links::entity(&cx.db()?, link).await?)
}

pub async fn create(
    cx: &Cx,
    merchant: &Merchant,
    link: &NewPaymentLink,
) -> Result<PaymentLinkRow, RazorpayError> {
    let db = cx.db()?;
    if let Some(reference) = &link.reference_id {
        if store::payment_links::by_reference(&db, &merchant.id, reference).await?.is_some() {
            return Err(reference_taken());
        }
    }
    let id = PaymentLinkId::new(cx.now_ms, random::<8>()?);
    let short_url = links::api::shorten_own_page(cx, &merchant.id, &page_path(id.as_str()), "pay")
        .await
        .map_err(RazorpayError::from)?;
    let customer = serde_json::to_string(&link.customer).unwrap_or_else(|_| "{}".into());
    let notes = notes_json(&link.notes);
    let row = NewLinkRow {
        id: id.as_str(),
        merchant_id: &merchant.id,
        key_id: &merchant.key_id,
        amount: link.amount,
        currency: link.currency.code,
        accept_partial: link.accept_partial,
        first_min_partial_amount: link.first_min_partial_amount,
        description: link.description.as_deref(),
        reference_id: link.reference_id.as_deref(),
        customer: &customer,
        notify_sms: link.notify_sms,
        notify_email: link.notify_email,
        reminder_enable: link.reminder_enable,
        notes: &notes,
        callback_url: link.callback_url.as_deref(),
        upi_link: link.upi_link,
        short_url: &short_url,
        expire_by: link.expire_by_ms,
        now_ms: cx.now_ms,
    };
    if !store::payment_links::insert(&db, &row).await? {
        return Err(reference_taken());
    }
    owned(cx, merchant, id.as_str()).await
}

/// The merchant's link `id` (another merchant's is one that does not exist).
pub async fn owned(cx: &Cx, merchant: &Merchant, id: &str) -> Result<PaymentLinkRow, RazorpayError> {
    let id = PaymentLinkId::parse(id)?;
    store::payment_links::get(&cx.db()?, &merchant.id, id.as_str())
        .await?
        .ok_or_else(RazorpayError::no_such_id)
}

/// The merchant's newest links (Razorpay's `reference_id` and `payment_id` filters).
pub async fn list(
    cx: &Cx,
    merchant: &Merchant,
    reference_id: Option<&str>,
    payment_id: Option<&str>,
) -> Result<Vec<PaymentLink>, RazorpayError> {
    let db = cx.db()?;
    let rows = store::payment_links::list(&db, &merchant.id, reference_id, payment_id).await?;
    let mut links = Vec::with_capacity(rows.len());
    for row in &rows {
        links.push(store::payment_links::entity(&db, row).await?);
    }
    Ok(links)
}

/// `PATCH`: reference_id, expire_by, reminder_enable, notes, accept_partial — of an open link.
pub async fn edit(
    cx: &Cx,
    merchant: &Merchant,
    id: &str,
    body: &Map<String, Value>,
) -> Result<PaymentLinkRow, RazorpayError> {
    let link = owned(cx, merchant, id).await?;
    if !link.status.is_open() {
        return Err(RazorpayError::not_allowed(format!(
            "A payment link that is {} cannot be edited",
            link.status.as_str()
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
    let reminder_enable = flag("reminder_enable", link.reminder_enable)?;
    let accept_partial = flag("accept_partial", link.accept_partial)?;
    let db = cx.db()?;
    if let Some(reference) = reference.as_deref().filter(|r| link.reference_id.as_deref() != Some(*r)) {
        if store::payment_links::by_reference(&db, &merchant.id, reference).await?.is_some() {
            return Err(reference_taken());
        }
    }
    let edit = LinkEdit {
        reference_id: reference.as_deref(),
        expire_by,
        notes: &notes,
        reminder_enable,
        accept_partial,
    };
    // A racing edit that took the reference first breaks its UNIQUE index.
    store::payment_links::edit(&db, &merchant.id, &link.id, &edit, cx.now_ms)
        .await
        .map_err(|_| reference_taken())?;
    owned(cx, merchant, &link.id).await
}

pub async fn cancel(cx: &Cx, merchant: &Merchant, id: &str) -> Result<PaymentLinkRow, RazorpayError> {
    let link = owned(cx, merchant, id).await?;
    let cancelled = link.status.cancel()?;
    if !store::payment_links::close(&cx.db()?, &link.id, Some(&merchant.id), cancelled, cx.now_ms).await? {
        return Err(RazorpayError::not_allowed("The payment link changed meanwhile; fetch it again"));
    }
    Runtime::for_request(cx).payment_link_event(&merchant.id, &link.id, "payment_link.cancelled").await;
    owned(cx, merchant, &link.id).await
}

/// Any merchant's link by id, with its owner: the link's page is public.
pub async fn public(cx: &Cx, id: &str) -> Result<(PaymentLinkRow, Owner), ApiError> {
    let missing = || ApiError::not_found("No payment link with this id.");
    let id = PaymentLinkId::parse(id).map_err(|_| missing())?;
    let db = cx.db()?;
    let owner = store::payment_links::owner(&db, id.as_str()).await?.ok_or_else(missing)?;
    let link = store::payment_links::get(&db, &owner.merchant_id, id.as_str())
        .await
        .internal("loading a payment link for its page")?
        .ok_or_else(missing)?;
    Ok((link, owner))
}

/// An order for the part of `link` the customer pays now.
pub async fn order_for(
    cx: &Cx,
    link: &PaymentLinkRow,
    amount: Option<i64>,
) -> Result<PaymentLinkOrder, ApiError> {
    let amount = link.state().check_payment(amount, cx.now_ms).map_err(ApiError::from)?;
    let order_id = OrderId::new(cx.now_ms, random::<8>()?);
    let notes = json!({"payment_link_id": link.id}).to_string();
    let row = NewOrderRow {
        id: order_id.as_str(),
        merchant_id: &link.merchant_id,
        key_id: &link.key_id,
        amount,
        currency: &link.currency,
        receipt: link.reference_id.as_deref(),
        notes: &notes,
        auto_capture: true,
        capture_window_minutes: DEFAULT_CAPTURE_WINDOW_MINUTES,
        partial_payment: link.accept_partial != 0,
        payment_link_id: Some(&link.id),
        subscription_id: None,
        created_at: cx.now_ms,
    };
    store::orders::insert(&cx.db()?, &row, false).await?;
    Ok(PaymentLinkOrder { order_id: order_id.to_string(), amount, currency: link.currency.clone() })
}

/// Closes links past their `expire_by` (the Cron Trigger) and says so to their webhooks.
pub async fn expire_due(env: &Env, now_ms: i64) -> Result<usize, RazorpayError> {
    let db = env.d1("DB").internal("D1 binding")?;
    let due = store::payment_links::due_to_expire(&db, now_ms).await?;
    let emitter = Runtime::scheduled(env, now_ms);
    for link in &due {
        if store::payment_links::close(&db, &link.id, None, LinkStatus::Expired, now_ms).await? {
            emitter.payment_link_event(&link.merchant_id, &link.id, "payment_link.expired").await;
        }
    }
    Ok(due.len())
}
