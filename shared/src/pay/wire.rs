//! Bodies of Dozen's own Pay endpoints under `/api/pay` (the merchant's side, signed in with
//! a Dozen session), as opposed to the Razorpay-shaped `/v1` entities in `entity`.

use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// A merchant's key pair as created: the secret is in this answer and nowhere else, ever.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedPayKey {
    /// `rzp_test_…`: the username of HTTP Basic auth on `/v1`.
    pub key_id: String,
    /// The password of HTTP Basic auth, and the key of payment signatures.
    pub key_secret: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PayKeyView {
    pub key_id: String,
    pub created_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PayKeyList {
    pub items: Vec<PayKeyView>,
}

/// A net-banking bank as the checkout lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BankOption {
    pub code: String,
    pub name: String,
}

/// What the hosted checkout (`/pay/checkout/{order_id}`) shows before the customer pays:
/// public, by order id alone, like Razorpay's checkout with a key id and an order id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckoutView {
    pub order_id: String,
    /// Minor units (paise).
    pub amount: i64,
    pub currency: String,
    /// `created`, `attempted` or `paid`.
    pub status: String,
    pub receipt: Option<String>,
    /// Who is being paid (the merchant's display name).
    pub merchant_name: String,
    pub banks: Vec<BankOption>,
    pub wallets: Vec<String>,
}

/// The card part of a checkout payment, as typed (checked with `methods::validate_card`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckoutCard {
    pub number: String,
    #[serde(default)]
    pub name: String,
    pub expiry_month: String,
    pub expiry_year: String,
    pub cvv: String,
}

/// `POST /api/pay/checkout/{order_id}/pay`: one attempt, by one method.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckoutPayRequest {
    /// `card`, `upi`, `netbanking` or `wallet`.
    pub method: String,
    pub email: String,
    pub contact: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<CheckoutCard>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpa: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wallet: Option<String>,
}

/// `POST /api/pay/checkout/payments/{payment_id}/otp`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckoutOtpRequest {
    pub otp: String,
}

/// Where a checkout attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CheckoutStatus {
    /// Authorized and captured: the order is paid.
    Paid,
    /// Authorized; the merchant captures it later.
    Authorized,
    /// The bank wants an OTP: post it to `/api/pay/checkout/payments/{payment_id}/otp`.
    OtpRequired,
    /// Declined; `error_reason` and `error_description` say why.
    Failed,
}

/// The answer to a checkout attempt or OTP. On success it carries what Razorpay's checkout hands
/// the merchant's callback: `razorpay_payment_id`, `razorpay_order_id`, `razorpay_signature`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckoutResult {
    pub status: CheckoutStatus,
    pub razorpay_payment_id: String,
    pub razorpay_order_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub razorpay_signature: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
    /// For a payment link's payment, what Razorpay hands the link's callback: then
    /// `razorpay_signature` is the link signature (`id|reference_id|status|payment_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub razorpay_payment_link_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub razorpay_payment_link_reference_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub razorpay_payment_link_status: Option<String>,
    /// For a subscription's authorization: then `razorpay_signature` is the subscription
    /// signature (`payment_id|subscription_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub razorpay_subscription_id: Option<String>,
}

/// `POST /api/pay/webhooks`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterWebhookRequest {
    /// Where deliveries are POSTed: https, or http to localhost.
    pub url: String,
    /// Razorpay's event names, e.g. `payment.captured`.
    pub events: Vec<String>,
    /// Signs each delivery: `X-Razorpay-Signature` = hex HMAC-SHA256(secret, raw body).
    pub secret: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookView {
    pub id: String,
    pub url: String,
    pub events: Vec<String>,
    pub active: bool,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookList {
    pub items: Vec<WebhookView>,
}

/// One try to deliver an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttemptView {
    pub attempt: i64,
    pub at: Timestamp,
    /// The receiver's HTTP status; absent when it could not be reached.
    pub status_code: Option<i64>,
    pub error: Option<String>,
    pub duration_ms: Option<i64>,
}

/// An event's delivery to one webhook, with every attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliveryView {
    pub id: String,
    /// Sent as `X-Razorpay-Event-Id`, for the receiver's de-duplication.
    pub event_id: String,
    pub event: String,
    /// `pending` (more attempts to come), `delivered` or `failed` (gave up after 24 hours).
    pub status: String,
    pub attempts: Vec<AttemptView>,
    pub created_at: Timestamp,
    pub next_attempt_at: Option<Timestamp>,
    pub delivered_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliveryList {
    pub items: Vec<DeliveryView>,
}

/// What the customer sees of a payment link (`/pay/link/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentLinkView {
    pub id: String,
    pub amount: i64,
    pub amount_paid: i64,
    pub amount_due: i64,
    pub currency: String,
    /// `created`, `partially_paid`, `paid`, `cancelled` or `expired`.
    pub status: String,
    pub description: Option<String>,
    pub merchant_name: String,
    pub accept_partial: bool,
    /// The least the first payment may be (absent once something was paid).
    pub first_min_partial_amount: Option<i64>,
    pub expire_by: Timestamp,
    pub callback_url: Option<String>,
}

/// `POST /api/pay/links/{id}/orders`: how much to pay now (the whole remainder when absent).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentLinkOrderRequest {
    #[serde(default)]
    pub amount: Option<i64>,
}

/// The order to pay at `/pay/checkout/{order_id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentLinkOrder {
    pub order_id: String,
    pub amount: i64,
    pub currency: String,
}

/// What the customer sees when asked to authorize a subscription (`/pay/subscription/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubscriptionView {
    pub id: String,
    pub status: String,
    pub merchant_name: String,
    pub plan_name: String,
    pub plan_description: Option<String>,
    /// Charged every cycle (plan amount × quantity), in minor units.
    pub amount: i64,
    pub currency: String,
    /// `daily`, `weekly`, `monthly` or `yearly`.
    pub period: String,
    pub interval: i64,
    pub total_count: i64,
    pub paid_count: i64,
    /// The first charge, when later than the authorization (a trial).
    pub start_at: Option<Timestamp>,
    pub expire_by: Timestamp,
}

/// One row of a chart by method (or, later, by processor).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MethodFigures {
    /// The method (`card`, `upi`…) or processor.
    pub key: String,
    pub attempts: i64,
    /// Authorized (captured or not).
    pub succeeded: i64,
    /// Captured amount, minor units.
    pub volume: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DailyVolume {
    /// `YYYY-MM-DD` (UTC).
    pub day: String,
    pub count: i64,
    pub volume: i64,
}

/// `GET /api/pay/summary`: the dashboard's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaySummary {
    pub days: i64,
    pub by_method: Vec<MethodFigures>,
    /// The same by simulated processor (smart routing), over the same days.
    pub by_processor: Vec<MethodFigures>,
    pub daily: Vec<DailyVolume>,
    /// What Dozen owes the merchant now (captured − fees − refunds − settled), from the ledger.
    pub balance: i64,
    /// Fees charged including tax, all time.
    pub fees: i64,
    /// Paid out to the merchant's bank, all time.
    pub settled: i64,
}
