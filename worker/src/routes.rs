//! The one route table of the worker. `/api/*` goes to the product handlers; everything else
//! (SPA routes, short codes) to `pages`. Mutations with an `Idempotency-Key` pass through
//! `idempotency` first.

use crate::{
    auth, health,
    http::{error_response, header, method_not_allowed, ApiResult, Cx},
    idempotency, links, openapi, pages, pay,
};
use shared::{auth::cookie::is_cross_site, ApiError, ErrorCode};
use worker::{Method, Request, Response};

pub async fn dispatch(mut req: Request, cx: &Cx) -> Response {
    let path = req.path();
    if path == pay::sweep::LOCAL_TRIGGER_PATH && links::config::is_local(&cx.env) {
        return pay::sweep::run_locally(&req, cx).await;
    }
    if path == "/api" || path.starts_with("/api/") {
        return api(&mut req, cx, &path).await.unwrap_or_else(|err| error_response(&err));
    }
    if path == "/v1" || path.starts_with("/v1/") {
        return pay::v1::dispatch(&mut req, cx, &path).await;
    }
    if path == "/shorten" {
        return shorten(&mut req, cx).await.unwrap_or_else(|err| error_response(&err));
    }
    pages::serve(req, cx).await
}

/// The API endpoints, each with the methods it accepts.
enum Endpoint<'a> {
    Health,
    Ping,
    OpenApi,
    Register,
    Login,
    Logout,
    Me,
    Keys,
    Key(&'a str),
    Links,
    Link(&'a str),
    LinkStats(&'a str),
    LinkQr(&'a str),
    Domains,
    Domain(&'a str),
    PayKeys,
    PayKey(&'a str),
    Checkout(&'a str),
    CheckoutPay(&'a str),
    CheckoutOtp(&'a str),
    Webhooks,
    Webhook(&'a str),
    WebhookDeliveries(&'a str),
    PayLink(&'a str),
    PayLinkOrders(&'a str),
    PaySubscription(&'a str),
    PaySubscriptionAuthorize(&'a str),
    PayPayments,
    PayPaymentRefund(&'a str),
    PayPaymentLinks,
    PaySubscriptions,
    PaySummary,
    PayReconciliation,
    PaySettlements,
    PayRouting,
    PayReviews,
    PayReviewDecision(&'a str, &'a str),
}

impl<'a> Endpoint<'a> {
    fn from_path(segments: &[&'a str]) -> Option<Self> {
        Some(match segments {
            ["health"] => Self::Health,
            ["ping"] => Self::Ping,
            ["openapi.json"] => Self::OpenApi,
            ["auth", "register"] => Self::Register,
            ["auth", "login"] => Self::Login,
            ["auth", "logout"] => Self::Logout,
            ["auth", "me"] => Self::Me,
            ["auth", "keys"] => Self::Keys,
            ["auth", "keys", id] => Self::Key(id),
            ["links"] => Self::Links,
            ["links", code] => Self::Link(code),
            ["links", code, "stats"] => Self::LinkStats(code),
            ["links", code, "qr"] => Self::LinkQr(code),
            ["domains"] => Self::Domains,
            ["domains", hostname] => Self::Domain(hostname),
            ["pay", "keys"] => Self::PayKeys,
            ["pay", "keys", key_id] => Self::PayKey(key_id),
            ["pay", "checkout", "payments", payment_id, "otp"] => Self::CheckoutOtp(payment_id),
            ["pay", "checkout", order_id] => Self::Checkout(order_id),
            ["pay", "checkout", order_id, "pay"] => Self::CheckoutPay(order_id),
            ["pay", "webhooks"] => Self::Webhooks,
            ["pay", "webhooks", id] => Self::Webhook(id),
            ["pay", "webhooks", id, "deliveries"] => Self::WebhookDeliveries(id),
            ["pay", "links", id] => Self::PayLink(id),
            ["pay", "links", id, "orders"] => Self::PayLinkOrders(id),
            ["pay", "subscriptions", id] => Self::PaySubscription(id),
            ["pay", "subscriptions", id, "authorize"] => Self::PaySubscriptionAuthorize(id),
            ["pay", "payments"] => Self::PayPayments,
            ["pay", "payments", id, "refund"] => Self::PayPaymentRefund(id),
            ["pay", "payment-links"] => Self::PayPaymentLinks,
            ["pay", "subscriptions"] => Self::PaySubscriptions,
            ["pay", "summary"] => Self::PaySummary,
            ["pay", "reconciliation"] => Self::PayReconciliation,
            ["pay", "settlements"] => Self::PaySettlements,
            ["pay", "routing"] => Self::PayRouting,
            ["pay", "reviews"] => Self::PayReviews,
            ["pay", "reviews", id, decision @ ("approve" | "reject")] => {
                Self::PayReviewDecision(id, decision)
            }
            _ => return None,
        })
    }

    fn allowed(&self) -> &'static [Method] {
        match self {
            Self::Health
            | Self::Ping
            | Self::OpenApi
            | Self::LinkStats(_)
            | Self::LinkQr(_)
            | Self::Checkout(_)
            | Self::WebhookDeliveries(_)
            | Self::PayLink(_)
            | Self::PaySubscription(_)
            | Self::PayPayments
            | Self::PayPaymentLinks
            | Self::PaySubscriptions
            | Self::PaySummary
            | Self::PayReconciliation
            | Self::PaySettlements
            | Self::PayReviews => &[Method::Get],
            Self::Register
            | Self::Login
            | Self::Logout
            | Self::CheckoutPay(_)
            | Self::CheckoutOtp(_)
            | Self::PayLinkOrders(_)
            | Self::PaySubscriptionAuthorize(_)
            | Self::PayPaymentRefund(_)
            | Self::PayReviewDecision(..) => &[Method::Post],
            Self::Me => &[Method::Get, Method::Patch],
            Self::Keys | Self::Links | Self::Domains | Self::PayKeys | Self::Webhooks => {
                &[Method::Get, Method::Post]
            }
            Self::Key(_) | Self::Domain(_) | Self::PayKey(_) | Self::Webhook(_) => &[Method::Delete],
            Self::Link(_) => &[Method::Get, Method::Patch, Method::Delete],
            Self::PayRouting => &[Method::Get, Method::Put, Method::Delete],
        }
    }
}

/// The seed's `POST /shorten`, at the root beside the short codes.
async fn shorten(req: &mut Request, cx: &Cx) -> ApiResult {
    if req.method() != Method::Post {
        return Err(method_not_allowed(&req.method(), &[Method::Post]));
    }
    refuse_cross_site(req, cx, &Method::Post)?;
    links::api::shorten(req, cx).await
}

async fn api(req: &mut Request, cx: &Cx, path: &str) -> ApiResult {
    let segments: Vec<&str> = path.trim_start_matches("/api").trim_matches('/').split('/').collect();
    let endpoint = Endpoint::from_path(&segments)
        .ok_or_else(|| ApiError::not_found(format!("No API endpoint at {path}. See /api/openapi.json.")))?;
    // HEAD is GET without the body (the runtime drops it).
    let method = match req.method() {
        Method::Head => Method::Get,
        other => other,
    };
    if !endpoint.allowed().contains(&method) {
        return Err(method_not_allowed(&method, endpoint.allowed()));
    }
    refuse_cross_site(req, cx, &method)?;
    let ticket = match idempotency::begin(req, cx, &method, path).await? {
        idempotency::Start::Replay(response) => return Ok(response),
        idempotency::Start::Run(ticket) => ticket,
    };
    let result = handle(req, cx, endpoint, method).await;
    idempotency::finish(ticket, result, cx).await
}

async fn handle(req: &mut Request, cx: &Cx, endpoint: Endpoint<'_>, method: Method) -> ApiResult {
    match (endpoint, method) {
        (Endpoint::Health, _) => health::get(cx).await,
        (Endpoint::Ping, _) => health::ping(),
        (Endpoint::OpenApi, _) => openapi::openapi_json(),
        (Endpoint::Register, _) => auth::api::register(req, cx).await,
        (Endpoint::Login, _) => auth::api::login(req, cx).await,
        (Endpoint::Logout, _) => auth::api::logout(req, cx).await,
        (Endpoint::Me, Method::Get) => auth::api::me(req, cx).await,
        (Endpoint::Me, _) => auth::api::update_me(req, cx).await,
        (Endpoint::Keys, Method::Get) => auth::api::list_keys(req, cx).await,
        (Endpoint::Keys, _) => auth::api::create_key(req, cx).await,
        (Endpoint::Key(id), _) => auth::api::revoke_key(req, cx, id).await,
        (Endpoint::Links, Method::Get) => links::api::list(req, cx).await,
        (Endpoint::Links, _) => links::api::create(req, cx).await,
        (Endpoint::Link(code), Method::Get) => links::api::get(req, cx, code).await,
        (Endpoint::Link(code), Method::Patch) => links::api::update(req, cx, code).await,
        (Endpoint::Link(code), _) => links::api::delete(req, cx, code).await,
        (Endpoint::LinkStats(code), _) => links::api::stats(req, cx, code).await,
        (Endpoint::LinkQr(code), _) => links::api::qr(req, cx, code).await,
        (Endpoint::Domains, Method::Get) => links::domains::list(req, cx).await,
        (Endpoint::Domains, _) => links::domains::register(req, cx).await,
        (Endpoint::Domain(hostname), _) => links::domains::remove(req, cx, hostname).await,
        (Endpoint::PayKeys, Method::Get) => pay::keys::list(req, cx).await,
        (Endpoint::PayKeys, _) => pay::keys::create(req, cx).await,
        (Endpoint::PayKey(key_id), _) => pay::keys::revoke(req, cx, key_id).await,
        (Endpoint::Checkout(order_id), _) => pay::checkout::view(cx, order_id).await,
        (Endpoint::CheckoutPay(order_id), _) => pay::checkout::pay(req, cx, order_id).await,
        (Endpoint::CheckoutOtp(payment_id), _) => pay::checkout::otp(req, cx, payment_id).await,
        (Endpoint::Webhooks, Method::Get) => pay::webhooks::list(req, cx).await,
        (Endpoint::Webhooks, _) => pay::webhooks::register(req, cx).await,
        (Endpoint::Webhook(id), _) => pay::webhooks::remove(req, cx, id).await,
        (Endpoint::WebhookDeliveries(id), _) => pay::webhooks::deliveries(req, cx, id).await,
        (Endpoint::PayLink(id), _) => pay::payment_links::view(cx, id).await,
        (Endpoint::PayLinkOrders(id), _) => pay::payment_links::order_for(req, cx, id).await,
        (Endpoint::PaySubscription(id), _) => pay::subscriptions::view(cx, id).await,
        (Endpoint::PaySubscriptionAuthorize(id), _) => pay::subscriptions::authorize(req, cx, id).await,
        (Endpoint::PayPayments, _) => pay::dashboard::payments(req, cx).await,
        (Endpoint::PayPaymentRefund(id), _) => pay::dashboard::refund(req, cx, id).await,
        (Endpoint::PayPaymentLinks, _) => pay::dashboard::payment_links(req, cx).await,
        (Endpoint::PaySubscriptions, _) => pay::dashboard::subscriptions(req, cx).await,
        (Endpoint::PaySummary, _) => pay::dashboard::summary(req, cx).await,
        (Endpoint::PayReconciliation, _) => pay::settlements::reconciliation(req, cx).await,
        (Endpoint::PaySettlements, _) => pay::dashboard::settlements(req, cx).await,
        (Endpoint::PayRouting, Method::Get) => pay::routing::view(req, cx).await,
        (Endpoint::PayRouting, Method::Put) => pay::routing::set(req, cx).await,
        (Endpoint::PayRouting, _) => pay::routing::reset(req, cx).await,
        (Endpoint::PayReviews, _) => pay::dashboard::reviews(req, cx).await,
        (Endpoint::PayReviewDecision(id, "approve"), _) => pay::dashboard::approve(req, cx, id).await,
        (Endpoint::PayReviewDecision(id, _), _) => pay::dashboard::reject(req, cx, id).await,
    }
}

/// A state-changing request made by a browser on another site is refused, so cookies can never
/// be used to forge one. Programs with an API key in `Authorization` are not browsers' victims.
fn refuse_cross_site(req: &Request, cx: &Cx, method: &Method) -> Result<(), ApiError> {
    let safe = matches!(method, Method::Get | Method::Head | Method::Options);
    if safe || header(req, "Authorization").is_some() {
        return Ok(());
    }
    let origin = header(req, "Origin");
    let fetch_site = header(req, "Sec-Fetch-Site");
    if is_cross_site(&cx.own_origin, origin.as_deref(), fetch_site.as_deref()) {
        return Err(ApiError::new(
            ErrorCode::CrossSiteRequest,
            "This request came from another site and was refused.",
        ));
    }
    Ok(())
}
