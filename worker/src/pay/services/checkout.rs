//! The hosted checkout, public by order id as Razorpay's checkout is with a key id and an
//! order id: it pays through the same `payments::attempt_payment` as the S2S API. What the
//! customer's pages send and are told: the hosted checkout, a payment link's page and a
//! subscription's authorization turn the customer's input into the S2S body of an attempt, and
//! its outcome into a `CheckoutResult` (Razorpay's callback fields).

use super::{
    keys::secret_of,
    payments::{self, Attempted},
    runtime::Runtime,
    subscriptions,
};
use crate::{
    http::{Cx, OrInternal},
    pay::store::{self, orders::OrderRow},
};
use serde_json::{json, Map, Value};
use shared::{
    pay::{
        attempt::NewPayment,
        error::RazorpayErrorCode,
        ids::{OrderId, PaymentId},
        signature::payment_link_signature,
        wire::{CheckoutPayRequest, CheckoutResult, CheckoutStatus},
        RazorpayError,
    },
    ApiError, ErrorCode,
};

/// Any merchant's order, by id, with who it belongs to.
pub struct OrderWithMerchant {
    pub order: OrderRow,
    pub merchant_id: String,
    pub merchant_name: String,
}

pub async fn order(cx: &Cx, id: &str) -> Result<OrderWithMerchant, ApiError> {
    let missing = || ApiError::not_found("No order with this id.");
    let id = OrderId::parse(id).map_err(|_| missing())?;
    let db = cx.db()?;
    let owner = store::orders::owner(&db, id.as_str()).await?.ok_or_else(missing)?;
    let order = store::orders::get(&db, &owner.merchant_id, id.as_str())
        .await
        .internal("loading the order to check out")?
        .ok_or_else(missing)?;
    Ok(OrderWithMerchant { order, merchant_id: owner.merchant_id, merchant_name: owner.merchant_name })
}

/// A successful payment of a payment link's order answers with the link's callback fields, the
/// link signature replacing the order one (`utility.verify_payment_link_signature` checks it).
async fn with_link_callback(
    cx: &Cx,
    merchant_id: &str,
    payment_link_id: Option<&str>,
    answer: CheckoutResult,
) -> Result<CheckoutResult, ApiError> {
    let Some(link_id) = payment_link_id else { return Ok(answer) };
    if answer.razorpay_signature.is_none() {
        return Ok(answer);
    }
    let link = store::payment_links::get(&cx.db()?, merchant_id, link_id)
        .await
        .internal("loading the paid payment link")?
        .ok_or("no row")
        .internal("loading the paid payment link")?;
    let reference = link.reference_id.clone().unwrap_or_default();
    let status = link.status.as_str().to_owned();
    let secret = secret_of(&cx.env, &link.key_id).internal("the payment link key's secret")?;
    let signature =
        payment_link_signature(&link.id, &reference, &status, &answer.razorpay_payment_id, &secret);
    Ok(CheckoutResult {
        razorpay_signature: Some(signature),
        razorpay_payment_link_id: Some(link.id),
        razorpay_payment_link_reference_id: Some(reference),
        razorpay_payment_link_status: Some(status),
        ..answer
    })
}

/// One attempt to pay `found`'s order from the hosted checkout.
pub async fn pay(
    cx: &Cx,
    found: &OrderWithMerchant,
    input: CheckoutPayRequest,
) -> Result<CheckoutResult, ApiError> {
    let body = payment_body(&found.order, input);
    let attempt = NewPayment::parse(&body, cx.now_ms)?;
    let answer = match payments::attempt_payment(
        &Runtime::for_request(cx),
        &found.merchant_id,
        &found.order,
        &attempt,
    )
    .await
    {
        Ok(attempted) => self::attempted(attempted),
        Err(err) if declined(&err) => failed(err, &found.order.id),
        Err(err) => return Err(err.into()),
    };
    let answer = CheckoutResult { razorpay_order_id: found.order.id.clone(), ..answer };
    with_link_callback(cx, &found.merchant_id, found.order.payment_link_id.as_deref(), answer).await
}

/// Only a subscription's own page authorizes it.
pub fn check_payable_here(found: &OrderWithMerchant) -> Result<(), ApiError> {
    if found.order.subscription_id.is_some() {
        return Err(ApiError::new(ErrorCode::Conflict, "Authorize the subscription on its own page."));
    }
    Ok(())
}

/// Any merchant's payment, by id: the checkout's OTP step is public.
pub struct PaymentOwner {
    pub payment_id: String,
    pub merchant_id: String,
    pub order_id: String,
}

pub async fn payment_owner(cx: &Cx, payment_id: &str) -> Result<PaymentOwner, ApiError> {
    let missing = || ApiError::not_found("No payment with this id.");
    let id = PaymentId::parse(payment_id).map_err(|_| missing())?;
    let owner = store::payments::owner(&cx.db()?, id.as_str()).await?.ok_or_else(missing)?;
    Ok(PaymentOwner { payment_id: id.to_string(), merchant_id: owner.merchant_id, order_id: owner.order_id })
}

/// The OTP of a checkout payment waiting for one (a payment link's part, an order's payment or
/// a subscription's authorization).
pub async fn otp(cx: &Cx, owner: PaymentOwner, otp: &str) -> Result<CheckoutResult, ApiError> {
    let order = store::orders::get(&cx.db()?, &owner.merchant_id, &owner.order_id)
        .await
        .internal("loading the order of an OTP step")?;
    let subscription_id = order.as_ref().and_then(|o| o.subscription_id.clone());
    let run = Runtime::for_request(cx);
    let answer = match payments::submit_otp(&run, &owner.merchant_id, &owner.payment_id, otp).await {
        Ok(Attempted::Approved { payment_id, captured, .. }) if subscription_id.is_some() => {
            let sub_id = subscription_id.unwrap_or_default();
            // Held by a fraud rule (not captured although the order captures): the merchant's
            // review finishes the authorization.
            if !captured && order.as_ref().is_some_and(|o| o.auto_capture != 0) {
                return Ok(held_for_review(payment_id, &owner.order_id));
            }
            let done =
                subscriptions::finish_authorization(&run, &owner.merchant_id, &sub_id, &payment_id).await?;
            return Ok(CheckoutResult { razorpay_order_id: owner.order_id, ..done });
        }
        Ok(attempted) => self::attempted(attempted),
        Err(err) if declined(&err) => failed(err, &owner.order_id),
        Err(err) => return Err(err.into()),
    };
    let link_id = order.and_then(|o| o.payment_link_id);
    let answer = CheckoutResult { razorpay_order_id: owner.order_id, ..answer };
    with_link_callback(cx, &owner.merchant_id, link_id.as_deref(), answer).await
}

/// The S2S body of a checkout attempt for `order`: the order's amount and currency, the
/// customer's instrument.
pub fn payment_body(order: &OrderRow, input: CheckoutPayRequest) -> Map<String, Value> {
    let mut body = Map::new();
    body.insert("order_id".into(), json!(order.id));
    body.insert("amount".into(), json!(order.amount));
    body.insert("currency".into(), json!(order.currency));
    body.insert("email".into(), json!(input.email));
    body.insert("contact".into(), json!(input.contact));
    body.insert("method".into(), json!(input.method));
    if let Some(card) = input.card {
        body.insert("card".into(), serde_json::to_value(card).unwrap_or(Value::Null));
    }
    for (field, value) in [("vpa", input.vpa), ("bank", input.bank), ("wallet", input.wallet)] {
        if let Some(value) = value {
            body.insert(field.into(), json!(value));
        }
    }
    body
}

/// An answer with nothing but its status and ids; the others add to it.
pub fn answer(status: CheckoutStatus, payment_id: String, order_id: &str) -> CheckoutResult {
    CheckoutResult {
        status,
        razorpay_payment_id: payment_id,
        razorpay_order_id: order_id.to_owned(),
        razorpay_signature: None,
        error_reason: None,
        error_description: None,
        razorpay_payment_link_id: None,
        razorpay_payment_link_reference_id: None,
        razorpay_payment_link_status: None,
        razorpay_subscription_id: None,
    }
}

/// An attempt that went through: paid or authorized and signed, or waiting for its OTP.
pub fn attempted(attempted: Attempted) -> CheckoutResult {
    match attempted {
        Attempted::Approved { payment_id, order_id, signature, captured } => CheckoutResult {
            razorpay_signature: Some(signature),
            ..answer(
                if captured { CheckoutStatus::Paid } else { CheckoutStatus::Authorized },
                payment_id,
                &order_id,
            )
        },
        Attempted::NeedsOtp { payment_id } => answer(CheckoutStatus::OtpRequired, payment_id, ""),
    }
}

/// The OTP step's answer.
pub fn otp_required(payment_id: String, order_id: &str) -> CheckoutResult {
    answer(CheckoutStatus::OtpRequired, payment_id, order_id)
}

/// A decline is an answer, not an error: the customer may try again.
pub fn declined(err: &RazorpayError) -> bool {
    let answer = err.status == 400 || err.code == RazorpayErrorCode::GatewayError;
    answer && err.field.is_none() && err.metadata.contains_key("payment_id")
}

/// A declined attempt: why, for the customer.
pub fn failed(err: RazorpayError, order_id: &str) -> CheckoutResult {
    let payment_id = err.metadata.get("payment_id").and_then(Value::as_str).unwrap_or_default().to_owned();
    CheckoutResult {
        error_reason: Some(err.reason),
        error_description: Some(err.description),
        ..answer(CheckoutStatus::Failed, payment_id, order_id)
    }
}

/// The authorization payment was approved but a fraud rule holds it: the subscription waits
/// for the merchant's review (approving it finishes the authorization).
pub fn held_for_review(payment_id: String, order_id: &str) -> CheckoutResult {
    CheckoutResult {
        error_description: Some(
            "The payment is being reviewed; the merchant will confirm the subscription.".into(),
        ),
        ..answer(CheckoutStatus::Authorized, payment_id, order_id)
    }
}
