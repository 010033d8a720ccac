//! `/api/pay` from the browser: the customer's side (checkout, payment links, subscriptions;
//! public) and the merchant's dashboard (signed in with the session cookie). Payments, refunds
//! and everything else a click creates carry an `Idempotency-Key` made once per attempt, so a
//! retry after a lost answer (or a second click) never charges or refunds twice.

use app_ui::{
    api,
    nav::{encode, query},
};
use shared::{
    pay::{
        entity::{Collection, Payment, PaymentLink, Refund, Subscription},
        settlement::ReconRow,
        wire::{
            CheckoutOtpRequest, CheckoutPayRequest, CheckoutResult, CheckoutView, CreatedPayKey,
            DeliveryList, PayKeyList, PaySummary, PaymentLinkOrder, PaymentLinkOrderRequest, PaymentLinkView,
            RegisterWebhookRequest, SubscriptionView, WebhookList, WebhookView,
        },
    },
    ApiError,
};

/// What a payment form pays: an order (the hosted checkout) or a subscription's authorization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Order(String),
    Subscription(String),
}

pub async fn view(order_id: &str) -> Result<CheckoutView, ApiError> {
    api::get(&format!("/api/pay/checkout/{}", encode(order_id))).await
}

pub async fn pay(
    order_id: &str,
    request: &CheckoutPayRequest,
    key: &str,
) -> Result<CheckoutResult, ApiError> {
    api::post_once(&format!("/api/pay/checkout/{}/pay", encode(order_id)), request, key).await
}

/// One payment attempt for the target.
pub async fn attempt(
    target: &Target,
    request: &CheckoutPayRequest,
    key: &str,
) -> Result<CheckoutResult, ApiError> {
    match target {
        Target::Order(id) => pay(id, request, key).await,
        Target::Subscription(id) => {
            api::post_once(&format!("/api/pay/subscriptions/{}/authorize", encode(id)), request, key).await
        }
    }
}

/// Whether the target needs no more paying: the order is paid, the subscription no longer
/// waits for its authorization.
pub async fn settled(target: &Target) -> Result<bool, ApiError> {
    Ok(match target {
        Target::Order(id) => view(id).await?.status == "paid",
        Target::Subscription(id) => subscription(id).await?.status != "created",
    })
}

pub async fn otp(payment_id: &str, otp: &str, key: &str) -> Result<CheckoutResult, ApiError> {
    let body = CheckoutOtpRequest { otp: otp.to_owned() };
    api::post_once(&format!("/api/pay/checkout/payments/{}/otp", encode(payment_id)), &body, key).await
}

// ---------------------------------------------------------------------------------------------
// The customer's payment links and subscriptions

pub async fn link(id: &str) -> Result<PaymentLinkView, ApiError> {
    api::get(&format!("/api/pay/links/{}", encode(id))).await
}

pub async fn link_order(id: &str, amount: Option<i64>, key: &str) -> Result<PaymentLinkOrder, ApiError> {
    api::post_once(&format!("/api/pay/links/{}/orders", encode(id)), &PaymentLinkOrderRequest { amount }, key)
        .await
}

pub async fn subscription(id: &str) -> Result<SubscriptionView, ApiError> {
    api::get(&format!("/api/pay/subscriptions/{}", encode(id))).await
}

// ---------------------------------------------------------------------------------------------
// The merchant's dashboard

/// `{"payment_links": […]}`, as Razorpay lists them.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct PaymentLinkList {
    pub payment_links: Vec<PaymentLink>,
}

/// Razorpay's settlement entity (no `shared` type: only the dashboard reads it).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Settlement {
    pub id: String,
    pub amount: i64,
    pub currency: String,
    pub status: String,
    pub fees: i64,
    pub tax: i64,
    pub utr: String,
    /// Unix seconds.
    pub created_at: i64,
}

pub async fn summary(days: i64) -> Result<PaySummary, ApiError> {
    api::get(&format!("/api/pay/summary?days={days}")).await
}

/// The newest `count` payments (in pages of at most 100, as the API gives them), and whether
/// there are more; `status` and `method` empty for all.
pub async fn payments(
    status: String,
    method: String,
    count: usize,
) -> Result<(Vec<Payment>, bool), ApiError> {
    let mut items = Vec::new();
    while items.len() < count {
        let want = (count - items.len()).min(100);
        let (want_text, skip) = (want.to_string(), items.len().to_string());
        let query =
            query(&[("status", &status), ("method", &method), ("count", &want_text), ("skip", &skip)]);
        let page: Collection<Payment> = api::get(&format!("/api/pay/payments?{query}")).await?;
        let full = page.items.len() == want;
        items.extend(page.items);
        if !full {
            return Ok((items, false));
        }
    }
    Ok((items, true))
}

/// Refunds `amount` of a payment (all that is left when `None`).
pub async fn refund(payment_id: &str, amount: Option<i64>, key: &str) -> Result<Refund, ApiError> {
    let body = match amount {
        Some(amount) => serde_json::json!({ "amount": amount }),
        None => serde_json::json!({}),
    };
    api::post_once(&format!("/api/pay/payments/{}/refund", encode(payment_id)), &body, key).await
}

pub async fn payment_links() -> Result<PaymentLinkList, ApiError> {
    api::get("/api/pay/payment-links").await
}

pub async fn subscriptions() -> Result<Collection<Subscription>, ApiError> {
    api::get("/api/pay/subscriptions?count=100").await
}

pub async fn settlements() -> Result<Collection<Settlement>, ApiError> {
    api::get("/api/pay/settlements?count=100").await
}

/// The reconciliation query of a day (`2026-11-29`) or a month (`2026-11`):
/// `year=2026&month=11&day=29`.
pub fn recon_query(period: &str) -> String {
    let pairs: Vec<(&str, &str)> = ["year", "month", "day"].into_iter().zip(period.split('-')).collect();
    query(&pairs)
}

pub async fn reconciliation(period: &str) -> Result<Collection<ReconRow>, ApiError> {
    api::get(&format!("/api/pay/reconciliation?{}&format=json", recon_query(period))).await
}

pub fn reconciliation_csv_url(period: &str) -> String {
    format!("/api/pay/reconciliation?{}&format=csv", recon_query(period))
}

pub async fn keys() -> Result<PayKeyList, ApiError> {
    api::get("/api/pay/keys").await
}

pub async fn create_key(key: &str) -> Result<CreatedPayKey, ApiError> {
    api::post_once("/api/pay/keys", &serde_json::json!({}), key).await
}

pub async fn revoke_key(key_id: &str) -> Result<(), ApiError> {
    api::delete(&format!("/api/pay/keys/{}", encode(key_id))).await
}

pub async fn webhooks() -> Result<WebhookList, ApiError> {
    api::get("/api/pay/webhooks").await
}

pub async fn register_webhook(request: &RegisterWebhookRequest, key: &str) -> Result<WebhookView, ApiError> {
    api::post_once("/api/pay/webhooks", request, key).await
}

pub async fn remove_webhook(id: &str) -> Result<(), ApiError> {
    api::delete(&format!("/api/pay/webhooks/{}", encode(id))).await
}

pub async fn deliveries(id: &str) -> Result<DeliveryList, ApiError> {
    api::get(&format!("/api/pay/webhooks/{}/deliveries", encode(id))).await
}
