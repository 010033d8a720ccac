//! The `/v1` route table: Razorpay's paths, HTTP Basic authentication with a merchant key,
//! `Idempotency-Key` on every POST, and Razorpay's error shape for every refusal.

use crate::{
    http::{header, read_json, Cx},
    idempotency,
    pay::{
        keys::{self, Merchant},
        orders, payment_links, payments, plans, refunds,
        respond::{error_response, ok, V1Result},
        settlements, subscriptions,
    },
};
use serde_json::{json, Map, Value};
use shared::pay::{
    list::ListQuery,
    methods::{BANKS, WALLETS},
    RazorpayError,
};
use worker::{Method, Request, Response};

enum Endpoint<'a> {
    Orders,
    Order(&'a str),
    OrderPayments(&'a str),
    CreateJson,
    Payments,
    Payment(&'a str),
    Capture(&'a str),
    Refund(&'a str),
    PaymentRefunds(&'a str),
    PaymentRefund(&'a str, &'a str),
    OtpSubmit(&'a str),
    OtpResend(&'a str),
    Refunds,
    RefundById(&'a str),
    Methods,
    PaymentLinks,
    PaymentLink(&'a str),
    PaymentLinkCancel(&'a str),
    Customers,
    Customer(&'a str),
    Plans,
    Plan(&'a str),
    Subscriptions,
    Subscription(&'a str),
    SubscriptionAction(&'a str, &'a str),
    Settlements,
    Settlement(&'a str),
    ReconCombined,
}

impl<'a> Endpoint<'a> {
    fn from_path(segments: &[&'a str]) -> Option<Self> {
        Some(match segments {
            ["orders"] => Self::Orders,
            ["orders", id] => Self::Order(id),
            ["orders", id, "payments"] => Self::OrderPayments(id),
            ["payments", "create", "json"] => Self::CreateJson,
            ["payments"] => Self::Payments,
            ["payments", id] => Self::Payment(id),
            ["payments", id, "capture"] => Self::Capture(id),
            ["payments", id, "refund"] => Self::Refund(id),
            ["payments", id, "refunds"] => Self::PaymentRefunds(id),
            ["payments", id, "refunds", refund] => Self::PaymentRefund(id, refund),
            ["payments", id, "otp", "submit"] | ["payments", id, "otp_submit", ..] => Self::OtpSubmit(id),
            ["payments", id, "otp", "resend"]
            | ["payments", id, "otp_resend", ..]
            | ["payments", id, "otp_generate"] => Self::OtpResend(id),
            ["refunds"] => Self::Refunds,
            ["refunds", id] => Self::RefundById(id),
            ["methods"] => Self::Methods,
            ["payment_links"] => Self::PaymentLinks,
            ["payment_links", id] => Self::PaymentLink(id),
            ["payment_links", id, "cancel"] => Self::PaymentLinkCancel(id),
            ["customers"] => Self::Customers,
            ["customers", id] => Self::Customer(id),
            ["plans"] => Self::Plans,
            ["plans", id] => Self::Plan(id),
            ["subscriptions"] => Self::Subscriptions,
            ["subscriptions", id] => Self::Subscription(id),
            ["subscriptions", id, action @ ("cancel" | "pause" | "resume")] => {
                Self::SubscriptionAction(id, action)
            }
            ["settlements"] => Self::Settlements,
            ["settlements", "recon", "combined"] => Self::ReconCombined,
            ["settlements", id] => Self::Settlement(id),
            _ => return None,
        })
    }

    fn allowed(&self) -> &'static [Method] {
        match self {
            Self::Orders
            | Self::Refunds
            | Self::PaymentLinks
            | Self::Customers
            | Self::Plans
            | Self::Subscriptions => &[Method::Get, Method::Post],
            Self::Customer(_) => &[Method::Get, Method::Put],
            Self::PaymentLink(_) => &[Method::Get, Method::Patch],
            Self::CreateJson
            | Self::Capture(_)
            | Self::Refund(_)
            | Self::OtpSubmit(_)
            | Self::OtpResend(_)
            | Self::PaymentLinkCancel(_)
            | Self::SubscriptionAction(..) => &[Method::Post],
            Self::Order(_)
            | Self::OrderPayments(_)
            | Self::Payments
            | Self::Payment(_)
            | Self::PaymentRefunds(_)
            | Self::PaymentRefund(..)
            | Self::RefundById(_)
            | Self::Methods
            | Self::Plan(_)
            | Self::Subscription(_)
            | Self::Settlements
            | Self::Settlement(_)
            | Self::ReconCombined => &[Method::Get],
        }
    }
}

pub async fn dispatch(req: &mut Request, cx: &Cx, path: &str) -> Response {
    match handle(req, cx, path).await {
        Ok(response) => response,
        Err(err) => error_response(&err),
    }
}

async fn handle(req: &mut Request, cx: &Cx, path: &str) -> V1Result {
    let segments: Vec<&str> = path.trim_start_matches("/v1").trim_matches('/').split('/').collect();
    let endpoint = Endpoint::from_path(&segments).ok_or_else(|| {
        RazorpayError::bad_request("The requested URL was not found on the server.").with_status(404)
    })?;
    let method = match req.method() {
        Method::Head => Method::Get,
        other => other,
    };
    if !endpoint.allowed().contains(&method) {
        return Err(RazorpayError::from(crate::http::method_not_allowed(&method, endpoint.allowed())));
    }
    let merchant = keys::authenticate(req, cx, matches!(endpoint, Endpoint::Methods)).await?;
    let ticket = match idempotency::begin(req, cx, &method, path).await? {
        idempotency::Start::Replay(response) => return Ok(response),
        idempotency::Start::Run(ticket) => ticket,
    };
    let response = match route(req, cx, &merchant, endpoint, &method).await {
        Ok(response) => response,
        Err(err) => error_response(&err),
    };
    Ok(idempotency::finish(ticket, Ok(response), cx).await?)
}

/// A POST body as a JSON object; an empty body is an empty object (Razorpay's OTP resend).
async fn body(req: &mut Request) -> Result<Map<String, Value>, RazorpayError> {
    let declared = header(req, "Content-Length").and_then(|v| v.parse::<usize>().ok());
    if declared == Some(0) || header(req, "Content-Type").is_none() && declared.is_none() {
        return Ok(Map::new());
    }
    Ok(read_json::<Map<String, Value>>(req).await?)
}

fn list_query(req: &Request) -> Result<ListQuery, RazorpayError> {
    let url = req.url().map_err(|_| RazorpayError::bad_request("The URL is not valid."))?;
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    ListQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

async fn route(
    req: &mut Request,
    cx: &Cx,
    merchant: &Merchant,
    endpoint: Endpoint<'_>,
    method: &Method,
) -> V1Result {
    match (endpoint, method) {
        (Endpoint::Orders, Method::Get) => orders::list(cx, merchant, &list_query(req)?).await,
        (Endpoint::Orders, _) => orders::create(cx, merchant, &body(req).await?).await,
        (Endpoint::Order(id), _) => orders::fetch(cx, merchant, id).await,
        (Endpoint::OrderPayments(id), _) => orders::payments(cx, merchant, id).await,
        (Endpoint::CreateJson, _) => payments::create_json(cx, merchant, &body(req).await?).await,
        (Endpoint::Payments, _) => payments::list(cx, merchant, &list_query(req)?).await,
        (Endpoint::Payment(id), _) => payments::fetch(cx, merchant, id).await,
        (Endpoint::Capture(id), _) => payments::capture(cx, merchant, id, &body(req).await?).await,
        (Endpoint::OtpSubmit(id), _) => payments::otp_submit(cx, merchant, id, &body(req).await?).await,
        (Endpoint::OtpResend(id), _) => payments::otp_resend(cx, merchant, id).await,
        (Endpoint::Refund(id), _) => refunds::create(cx, merchant, id, &body(req).await?).await,
        (Endpoint::PaymentRefunds(id), _) => refunds::of_payment(cx, merchant, id, &list_query(req)?).await,
        (Endpoint::PaymentRefund(id, refund), _) => refunds::one_of_payment(cx, merchant, id, refund).await,
        (Endpoint::Refunds, Method::Get) => refunds::list(cx, merchant, &list_query(req)?).await,
        (Endpoint::Refunds, _) => refunds::create_for(cx, merchant, &body(req).await?).await,
        (Endpoint::RefundById(id), _) => refunds::fetch(cx, merchant, id).await,
        (Endpoint::Methods, _) => methods(),
        (Endpoint::PaymentLinks, Method::Get) => payment_links::list(cx, merchant, req).await,
        (Endpoint::PaymentLinks, _) => payment_links::create(cx, merchant, &body(req).await?).await,
        (Endpoint::PaymentLink(id), Method::Get) => payment_links::fetch(cx, merchant, id).await,
        (Endpoint::PaymentLink(id), _) => payment_links::edit(cx, merchant, id, &body(req).await?).await,
        (Endpoint::PaymentLinkCancel(id), _) => payment_links::cancel(cx, merchant, id).await,
        (Endpoint::Customers, Method::Get) => plans::list_customers(cx, merchant, &list_query(req)?).await,
        (Endpoint::Customers, _) => plans::create_customer(cx, merchant, &body(req).await?).await,
        (Endpoint::Customer(id), Method::Get) => plans::fetch_customer(cx, merchant, id).await,
        (Endpoint::Customer(id), _) => plans::edit_customer(cx, merchant, id, &body(req).await?).await,
        (Endpoint::Plans, Method::Get) => plans::list_plans(cx, merchant, &list_query(req)?).await,
        (Endpoint::Plans, _) => plans::create_plan(cx, merchant, &body(req).await?).await,
        (Endpoint::Plan(id), _) => plans::fetch_plan(cx, merchant, id).await,
        (Endpoint::Subscriptions, Method::Get) => subscriptions::list(cx, merchant, &list_query(req)?).await,
        (Endpoint::Subscriptions, _) => subscriptions::create(cx, merchant, &body(req).await?).await,
        (Endpoint::Subscription(id), _) => subscriptions::fetch(cx, merchant, id).await,
        (Endpoint::SubscriptionAction(id, "cancel"), _) => {
            subscriptions::cancel(cx, merchant, id, &body(req).await?).await
        }
        (Endpoint::SubscriptionAction(id, "pause"), _) => subscriptions::pause(cx, merchant, id).await,
        (Endpoint::SubscriptionAction(id, _), _) => subscriptions::resume(cx, merchant, id).await,
        (Endpoint::Settlements, _) => settlements::list(cx, merchant, &list_query(req)?).await,
        (Endpoint::Settlement(id), _) => settlements::fetch(cx, merchant, id).await,
        (Endpoint::ReconCombined, _) => settlements::recon_combined(req, cx, merchant).await,
    }
}

/// `GET /v1/methods`: what this gateway accepts, in Razorpay's shape.
#[utoipa::path(get, path = "/v1/methods", tag = "pay-v1", security(("razorpay_key" = [])),
    responses((status = 200, description = "{entity: methods, card, upi, netbanking: {code: name}, wallet: {id: true}}"),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub fn methods() -> V1Result {
    let netbanking: Map<String, Value> = BANKS.iter().map(|b| (b.code.to_owned(), json!(b.name))).collect();
    let wallet: Map<String, Value> = WALLETS.iter().map(|w| ((*w).to_owned(), json!(true))).collect();
    ok(&json!({
        "entity": "methods",
        "card": true,
        "upi": true,
        "netbanking": netbanking,
        "wallet": wallet,
        "emi": false,
        "cardless_emi": false,
        "paylater": false,
    }))
}
