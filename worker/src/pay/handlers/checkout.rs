//! The hosted checkout's API (`/pay/checkout/{order_id}` in the SPA): public by order id, as
//! Razorpay's checkout is with a key id and an order id; answers in the project's error shape,
//! and is rate limited per client address (card testing).

use crate::{
    http::{json, read_json, ApiResult, Cx},
    pay::services::checkout,
    rate_limit,
};
use shared::{
    pay::{
        limits::CHECKOUT_ATTEMPTS,
        methods::{BANKS, WALLETS},
        wire::{BankOption, CheckoutOtpRequest, CheckoutPayRequest, CheckoutResult, CheckoutView},
    },
    ApiError,
};
use worker::Request;

async fn limit(cx: &Cx) -> Result<(), ApiError> {
    let bucket = format!("pay-checkout:ip:{}", cx.client_ip);
    rate_limit::hit(&cx.db()?, &bucket, CHECKOUT_ATTEMPTS, cx.now_ms).await.map(drop)
}

/// What the customer is asked to pay.
#[utoipa::path(get, path = "/api/pay/checkout/{order_id}", tag = "pay",
    params(("order_id" = String, Path, description = "order_…")),
    responses((status = 200, body = CheckoutView), (status = 404, body = shared::error::ErrorEnvelope)))]
pub async fn view(cx: &Cx, order_id: &str) -> ApiResult {
    let found = checkout::order(cx, order_id).await?;
    json(
        200,
        &CheckoutView {
            order_id: found.order.id.clone(),
            amount: found.order.amount,
            currency: found.order.currency.clone(),
            status: found.order.status.as_str().to_owned(),
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
    let found = checkout::order(cx, order_id).await?;
    checkout::check_payable_here(&found)?;
    let input: CheckoutPayRequest = read_json(req).await?;
    let answer: CheckoutResult = checkout::pay(cx, &found, input).await?;
    json(200, &answer)
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
    let owner = checkout::payment_owner(cx, payment_id).await?;
    let input: CheckoutOtpRequest = read_json(req).await?;
    json(200, &checkout::otp(cx, owner, &input.otp).await?)
}
