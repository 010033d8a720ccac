//! The `/v1` route table: Razorpay's paths, HTTP Basic authentication with a merchant key,
//! `Idempotency-Key` on every POST, and Razorpay's error shape for every refusal.

use super::{
    orders, payment_links, payments, plans, refunds,
    respond::{error_response, ok, V1Result},
    settlements, subscriptions,
};
use crate::{
    http::{header, read_json, Cx},
    idempotency,
    pay::services::keys::{self, Merchant},
    router::{self, get, patch, post, put, BoxFuture, Lookup, Params, Route},
};
use serde_json::{json, Map, Value};
use shared::pay::{
    list::ListQuery,
    methods::{BANKS, WALLETS},
    RazorpayError,
};
use worker::{Method, Request, Response};

/// An endpoint of `/v1`: like the JSON API's, with the merchant whose key signed the request.
pub type V1Handler =
    for<'a> fn(&'a mut Request, &'a Cx, &'a Merchant, &'a Params<'a>) -> BoxFuture<'a, V1Result>;

/// Answered with the key id alone (Razorpay's public routes).
const PUBLIC: &str = "/v1/methods";

/// Razorpay's paths, as its API reference and the OpenAPI document name them.
pub const ROUTES: &[Route<V1Handler>] = &[
    get("/v1/orders", |req, cx, m, _| Box::pin(async move { orders::list(cx, m, &list_query(req)?).await })),
    post("/v1/orders", |req, cx, m, _| {
        Box::pin(async move { orders::create(cx, m, &body(req).await?).await })
    }),
    get("/v1/orders/{id}", |_, cx, m, p| Box::pin(orders::fetch(cx, m, p.get("id")))),
    get("/v1/orders/{id}/payments", |_, cx, m, p| Box::pin(orders::payments(cx, m, p.get("id")))),
    post("/v1/payments/create/json", |req, cx, m, _| {
        Box::pin(async move { payments::create_json(cx, m, &body(req).await?).await })
    }),
    get("/v1/payments", |req, cx, m, _| {
        Box::pin(async move { payments::list(cx, m, &list_query(req)?).await })
    }),
    get("/v1/payments/{id}", |_, cx, m, p| Box::pin(payments::fetch(cx, m, p.get("id")))),
    post("/v1/payments/{id}/capture", |req, cx, m, p| {
        Box::pin(async move { payments::capture(cx, m, p.get("id"), &body(req).await?).await })
    }),
    post("/v1/payments/{id}/otp/submit", |req, cx, m, p| {
        Box::pin(async move { payments::otp_submit(cx, m, p.get("id"), &body(req).await?).await })
    }),
    post("/v1/payments/{id}/otp/resend", |_, cx, m, p| Box::pin(payments::otp_resend(cx, m, p.get("id")))),
    post("/v1/payments/{id}/refund", |req, cx, m, p| {
        Box::pin(async move { refunds::create(cx, m, p.get("id"), &body(req).await?).await })
    }),
    get("/v1/payments/{id}/refunds", |req, cx, m, p| {
        Box::pin(async move { refunds::of_payment(cx, m, p.get("id"), &list_query(req)?).await })
    }),
    get("/v1/payments/{id}/refunds/{refund_id}", |_, cx, m, p| {
        Box::pin(refunds::one_of_payment(cx, m, p.get("id"), p.get("refund_id")))
    }),
    get("/v1/refunds", |req, cx, m, _| {
        Box::pin(async move { refunds::list(cx, m, &list_query(req)?).await })
    }),
    post("/v1/refunds", |req, cx, m, _| {
        Box::pin(async move { refunds::create_for(cx, m, &body(req).await?).await })
    }),
    get("/v1/refunds/{id}", |_, cx, m, p| Box::pin(refunds::fetch(cx, m, p.get("id")))),
    get(PUBLIC, |_, _, _, _| Box::pin(async { methods() })),
    get("/v1/payment_links", |req, cx, m, _| Box::pin(payment_links::list(cx, m, req))),
    post("/v1/payment_links", |req, cx, m, _| {
        Box::pin(async move { payment_links::create(cx, m, &body(req).await?).await })
    }),
    get("/v1/payment_links/{id}", |_, cx, m, p| Box::pin(payment_links::fetch(cx, m, p.get("id")))),
    patch("/v1/payment_links/{id}", |req, cx, m, p| {
        Box::pin(async move { payment_links::edit(cx, m, p.get("id"), &body(req).await?).await })
    }),
    post("/v1/payment_links/{id}/cancel", |_, cx, m, p| Box::pin(payment_links::cancel(cx, m, p.get("id")))),
    get("/v1/customers", |req, cx, m, _| {
        Box::pin(async move { plans::list_customers(cx, m, &list_query(req)?).await })
    }),
    post("/v1/customers", |req, cx, m, _| {
        Box::pin(async move { plans::create_customer(cx, m, &body(req).await?).await })
    }),
    get("/v1/customers/{id}", |_, cx, m, p| Box::pin(plans::fetch_customer(cx, m, p.get("id")))),
    put("/v1/customers/{id}", |req, cx, m, p| {
        Box::pin(async move { plans::edit_customer(cx, m, p.get("id"), &body(req).await?).await })
    }),
    get("/v1/plans", |req, cx, m, _| {
        Box::pin(async move { plans::list_plans(cx, m, &list_query(req)?).await })
    }),
    post("/v1/plans", |req, cx, m, _| {
        Box::pin(async move { plans::create_plan(cx, m, &body(req).await?).await })
    }),
    get("/v1/plans/{id}", |_, cx, m, p| Box::pin(plans::fetch_plan(cx, m, p.get("id")))),
    get("/v1/subscriptions", |req, cx, m, _| {
        Box::pin(async move { subscriptions::list(cx, m, &list_query(req)?).await })
    }),
    post("/v1/subscriptions", |req, cx, m, _| {
        Box::pin(async move { subscriptions::create(cx, m, &body(req).await?).await })
    }),
    get("/v1/subscriptions/{id}", |_, cx, m, p| Box::pin(subscriptions::fetch(cx, m, p.get("id")))),
    post("/v1/subscriptions/{id}/cancel", |req, cx, m, p| {
        Box::pin(async move { subscriptions::cancel(cx, m, p.get("id"), &body(req).await?).await })
    }),
    post("/v1/subscriptions/{id}/pause", |_, cx, m, p| Box::pin(subscriptions::pause(cx, m, p.get("id")))),
    post("/v1/subscriptions/{id}/resume", |_, cx, m, p| Box::pin(subscriptions::resume(cx, m, p.get("id")))),
    get("/v1/settlements", |req, cx, m, _| {
        Box::pin(async move { settlements::list(cx, m, &list_query(req)?).await })
    }),
    get("/v1/settlements/recon/combined", |req, cx, m, _| Box::pin(settlements::recon_combined(req, cx, m))),
    get("/v1/settlements/{id}", |_, cx, m, p| Box::pin(settlements::fetch(cx, m, p.get("id")))),
];

/// The same endpoints at the paths Razorpay's older SDKs call (not in the document).
const ALIASES: &[Route<V1Handler>] = &[
    post("/v1/payments/{id}/otp_submit/*", |req, cx, m, p| {
        Box::pin(async move { payments::otp_submit(cx, m, p.get("id"), &body(req).await?).await })
    }),
    post("/v1/payments/{id}/otp_resend/*", |_, cx, m, p| Box::pin(payments::otp_resend(cx, m, p.get("id")))),
    post("/v1/payments/{id}/otp_generate", |_, cx, m, p| Box::pin(payments::otp_resend(cx, m, p.get("id")))),
];

/// (method, path) of the documented endpoints.
pub fn documented_routes() -> Vec<(Method, &'static str)> {
    ROUTES.iter().map(|route| (route.method.clone(), route.path)).collect()
}

pub async fn dispatch(req: &mut Request, cx: &Cx, path: &str) -> Response {
    match handle(req, cx, path).await {
        Ok(response) => response,
        Err(err) => error_response(&err),
    }
}

async fn handle(req: &mut Request, cx: &Cx, path: &str) -> V1Result {
    let method = match req.method() {
        Method::Head => Method::Get,
        other => other,
    };
    let (route, params) = match router::find(&[ROUTES, ALIASES], &method, path) {
        Lookup::Route(route, params) => (route, params),
        Lookup::OtherMethods(allowed) => {
            return Err(RazorpayError::from(crate::http::method_not_allowed(&method, &allowed)))
        }
        Lookup::NotFound => {
            return Err(
                RazorpayError::bad_request("The requested URL was not found on the server.").with_status(404)
            )
        }
    };
    let authorization = header(req, "Authorization");
    let merchant = keys::authenticate(cx, authorization.as_deref(), route.path == PUBLIC).await?;
    let ticket = match idempotency::begin(req, cx, &method, path).await? {
        idempotency::Start::Replay(response) => return Ok(response),
        idempotency::Start::Run(ticket) => ticket,
    };
    let response = match (route.handler)(req, cx, &merchant, &params).await {
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
