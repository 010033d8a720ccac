//! The hosted checkout's API (`/pay/checkout/{order_id}` in the SPA): public by order id, as
//! Razorpay's checkout is with a key id and an order id. It pays through the same
//! `payments::attempt_payment` as the S2S API, answers in the project's error shape, and is rate
//! limited per client address (card testing). The API is ready for the page.

use crate::{
    d1::{first, text},
    http::{read_json, ApiResult, Cx, OrInternal},
    pay::{
        checkout_answer,
        keys::secret_of,
        payments::{self, Attempted},
        runtime::Runtime,
        store::{self, OrderRow},
        subscriptions,
    },
    rate_limit,
};
use serde::Deserialize;
use shared::{
    pay::{
        attempt::NewPayment,
        ids::{OrderId, PaymentId},
        limits::CHECKOUT_ATTEMPTS,
        methods::{BANKS, WALLETS},
        signature::payment_link_signature,
        wire::{BankOption, CheckoutOtpRequest, CheckoutPayRequest, CheckoutResult, CheckoutView},
    },
    ApiError, ErrorCode,
};
use worker::Request;

struct OrderWithMerchant {
    order: OrderRow,
    merchant_id: String,
    merchant_name: String,
}

#[derive(Deserialize)]
struct Owner {
    merchant_id: String,
    merchant_name: String,
}

/// Any merchant's order, by id: the checkout is public.
async fn order(cx: &Cx, id: &str) -> Result<OrderWithMerchant, ApiError> {
    let missing = || ApiError::not_found("No order with this id.");
    let id = OrderId::parse(id).map_err(|_| missing())?;
    let db = cx.db()?;
    let owner: Owner = first(
        &db,
        "SELECT o.merchant_id, u.display_name AS merchant_name FROM pay_orders o \
         JOIN auth_users u ON u.id = o.merchant_id WHERE o.id = ?1",
        &[text(id.as_str())],
    )
    .await?
    .ok_or_else(missing)?;
    let order = store::order(&db, &owner.merchant_id, id.as_str())
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
    let link = store::payment_link(&cx.db()?, merchant_id, link_id)
        .await
        .internal("loading the paid payment link")?
        .ok_or("no row")
        .internal("loading the paid payment link")?;
    let reference = link.reference_id.clone().unwrap_or_default();
    let status = link.status().as_str().to_owned();
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

async fn limit(cx: &Cx) -> Result<(), ApiError> {
    let bucket = format!("pay-checkout:ip:{}", cx.client_ip);
    rate_limit::hit(&cx.db()?, &bucket, CHECKOUT_ATTEMPTS, cx.now_ms).await.map(drop)
}

/// What the customer is asked to pay.
#[utoipa::path(get, path = "/api/pay/checkout/{order_id}", tag = "pay",
    params(("order_id" = String, Path, description = "order_…")),
    responses((status = 200, body = CheckoutView), (status = 404, body = shared::error::ErrorEnvelope)))]
pub async fn view(cx: &Cx, order_id: &str) -> ApiResult {
    let found = order(cx, order_id).await?;
    crate::http::json(
        200,
        &CheckoutView {
            order_id: found.order.id.clone(),
            amount: found.order.amount,
            currency: found.order.currency.clone(),
            status: found.order.status().as_str().to_owned(),
            receipt: found.order.receipt.clone(),
            merchant_name: found.merchant_name,
            banks: BANKS.iter().map(|b| BankOption { code: b.code.into(), name: b.name.into() }).collect(),
            wallets: WALLETS.iter().map(|w| (*w).to_owned()).collect(),
        },
    )
}

/// One attempt to pay the order.
#[utoipa::path(post, path = "/api/pay/checkout/{order_id}/pay", tag = "pay",
    params(("order_id" = String, Path, description = "order_…"),
           ("Idempotency-Key" = Option<String>, Header, description = "one per attempt: a retry never pays twice")),
    request_body = CheckoutPayRequest,
    responses((status = 200, body = CheckoutResult), (status = 404, body = shared::error::ErrorEnvelope),
              (status = 409, description = "The order is paid already", body = shared::error::ErrorEnvelope),
              (status = 422, body = shared::error::ErrorEnvelope), (status = 429, body = shared::error::ErrorEnvelope)))]
pub async fn pay(req: &mut Request, cx: &Cx, order_id: &str) -> ApiResult {
    limit(cx).await?;
    let found = order(cx, order_id).await?;
    if found.order.subscription_id.is_some() {
        return Err(ApiError::new(ErrorCode::Conflict, "Authorize the subscription on its own page."));
    }
    let input: CheckoutPayRequest = read_json(req).await?;
    let body = checkout_answer::payment_body(&found.order, input);
    let attempt = NewPayment::parse(&body, cx.now_ms)?;
    let answer = match payments::attempt_payment(
        &Runtime::for_request(cx),
        &found.merchant_id,
        &found.order,
        &attempt,
    )
    .await
    {
        Ok(attempted) => checkout_answer::attempted(attempted),
        Err(err) if checkout_answer::declined(&err) => checkout_answer::failed(err, &found.order.id),
        Err(err) => return Err(err.into()),
    };
    let answer = CheckoutResult { razorpay_order_id: found.order.id.clone(), ..answer };
    let answer =
        with_link_callback(cx, &found.merchant_id, found.order.payment_link_id.as_deref(), answer).await?;
    crate::http::json(200, &answer)
}

#[derive(Deserialize)]
struct PaymentOwner {
    merchant_id: String,
    order_id: String,
}

/// The OTP of a checkout payment waiting for one.
#[utoipa::path(post, path = "/api/pay/checkout/payments/{payment_id}/otp", tag = "pay",
    params(("payment_id" = String, Path, description = "pay_…")),
    request_body = CheckoutOtpRequest,
    responses((status = 200, body = CheckoutResult), (status = 404, body = shared::error::ErrorEnvelope),
              (status = 409, body = shared::error::ErrorEnvelope), (status = 422, body = shared::error::ErrorEnvelope),
              (status = 429, body = shared::error::ErrorEnvelope)))]
pub async fn otp(req: &mut Request, cx: &Cx, payment_id: &str) -> ApiResult {
    limit(cx).await?;
    let missing = || ApiError::not_found("No payment with this id.");
    let id = PaymentId::parse(payment_id).map_err(|_| missing())?;
    let owner: PaymentOwner = first(
        &cx.db()?,
        "SELECT merchant_id, order_id FROM pay_payments WHERE id = ?1",
        &[text(id.as_str())],
    )
    .await?
    .ok_or_else(missing)?;
    let input: CheckoutOtpRequest = read_json(req).await?;
    let order = store::order(&cx.db()?, &owner.merchant_id, &owner.order_id)
        .await
        .internal("loading the order of an OTP step")?;
    let subscription_id = order.as_ref().and_then(|o| o.subscription_id.clone());
    let answer = match payments::submit_otp(cx, &owner.merchant_id, id.as_str(), &input.otp).await {
        Ok(Attempted::Approved { payment_id, captured, .. }) if subscription_id.is_some() => {
            let sub_id = subscription_id.unwrap_or_default();
            // Held by a fraud rule (not captured although the order captures): the merchant's
            // review finishes the authorization.
            if !captured && order.as_ref().is_some_and(|o| o.auto_capture != 0) {
                return crate::http::json(
                    200,
                    &checkout_answer::held_for_review(payment_id, &owner.order_id),
                );
            }
            let done = subscriptions::finish_authorization(
                &Runtime::for_request(cx),
                &owner.merchant_id,
                &sub_id,
                &payment_id,
            )
            .await?;
            return crate::http::json(200, &CheckoutResult { razorpay_order_id: owner.order_id, ..done });
        }
        Ok(attempted) => checkout_answer::attempted(attempted),
        Err(err) if checkout_answer::declined(&err) => checkout_answer::failed(err, &owner.order_id),
        Err(err) => return Err(err.into()),
    };
    let link_id = order.and_then(|o| o.payment_link_id);
    let answer = CheckoutResult { razorpay_order_id: owner.order_id, ..answer };
    crate::http::json(200, &with_link_callback(cx, &owner.merchant_id, link_id.as_deref(), answer).await?)
}
