//! `GET /api/openapi.json`: the OpenAPI 3.1 document, generated from the handlers' attributes
//! and the `shared` wire types. Every endpoint added to `routes.rs` is listed here too.

use crate::{
    auth, health,
    http::{internal, ApiResult},
    links,
};
use shared::{
    auth::wire::{
        ApiKeyList, ApiKeyView, CreateApiKeyRequest, CreatedApiKey, Health, LoginRequest, RegisterRequest,
        UpdateMeRequest, UserView,
    },
    error::{ErrorBody, ErrorCode, ErrorEnvelope},
    links::{
        domain::{DomainList, DomainView, RegisterDomainRequest},
        stats::{Breakdown, DayClicks, LinkStats},
        wire::{
            CreateLinkRequest, LinkList, LinkView, RedirectType, ShortenRequest, ShortenResponse,
            UpdateLinkRequest,
        },
    },
};
use utoipa::{
    openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme},
    Modify, OpenApi,
};
use worker::Response;

#[derive(OpenApi)]
#[openapi(
    info(title = "Dozen API", description = "Twelve products on one edge worker. Errors: {\"error\":{\"code\",\"message\",\"field?\"}}."),
    paths(
        health::get,
        health::ping,
        openapi_json,
        auth::api::register,
        auth::api::login,
        auth::api::logout,
        auth::api::me,
        auth::api::update_me,
        auth::api::create_key,
        auth::api::list_keys,
        auth::api::revoke_key,
        links::api::create,
        links::api::shorten,
        links::api::list,
        links::api::get,
        links::api::update,
        links::api::delete,
        links::api::stats,
        links::api::qr,
        links::domains::register,
        links::domains::list,
        links::domains::remove,
        crate::pay::keys::create,
        crate::pay::keys::list,
        crate::pay::keys::revoke,
        crate::pay::checkout::view,
        crate::pay::checkout::pay,
        crate::pay::checkout::otp,
        crate::pay::webhooks::register,
        crate::pay::webhooks::list,
        crate::pay::webhooks::remove,
        crate::pay::webhooks::deliveries,
        crate::pay::payment_links::view,
        crate::pay::payment_links::order_for,
        crate::pay::subscriptions::view,
        crate::pay::subscriptions::authorize,
        crate::pay::dashboard::payments,
        crate::pay::dashboard::refund,
        crate::pay::dashboard::payment_links,
        crate::pay::dashboard::subscriptions,
        crate::pay::dashboard::summary,
        crate::pay::settlements::reconciliation,
        crate::pay::dashboard::settlements,
        crate::pay::routing::view,
        crate::pay::routing::set,
        crate::pay::routing::reset,
        crate::pay::dashboard::reviews,
        crate::pay::dashboard::approve,
        crate::pay::dashboard::reject,
        crate::pay::orders::create,
        crate::pay::orders::fetch,
        crate::pay::orders::list,
        crate::pay::orders::payments,
        crate::pay::payments::create_json,
        crate::pay::payments::otp_submit,
        crate::pay::payments::otp_resend,
        crate::pay::payments::fetch,
        crate::pay::payments::list,
        crate::pay::payments::capture,
        crate::pay::refunds::create,
        crate::pay::refunds::create_for,
        crate::pay::refunds::fetch,
        crate::pay::refunds::list,
        crate::pay::refunds::of_payment,
        crate::pay::refunds::one_of_payment,
        crate::pay::payment_links::create,
        crate::pay::payment_links::fetch,
        crate::pay::payment_links::list,
        crate::pay::payment_links::edit,
        crate::pay::payment_links::cancel,
        crate::pay::plans::create_customer,
        crate::pay::plans::fetch_customer,
        crate::pay::plans::edit_customer,
        crate::pay::plans::list_customers,
        crate::pay::plans::create_plan,
        crate::pay::plans::fetch_plan,
        crate::pay::plans::list_plans,
        crate::pay::subscriptions::create,
        crate::pay::subscriptions::fetch,
        crate::pay::subscriptions::list,
        crate::pay::subscriptions::cancel,
        crate::pay::subscriptions::pause,
        crate::pay::subscriptions::resume,
        crate::pay::settlements::list,
        crate::pay::settlements::fetch,
        crate::pay::settlements::recon_combined,
        crate::pay::v1::methods,
    ),
    components(schemas(
        ErrorEnvelope, ErrorBody, ErrorCode, Health, RegisterRequest, LoginRequest, UserView, UpdateMeRequest,
        CreateApiKeyRequest, CreatedApiKey, ApiKeyView, ApiKeyList, CreateLinkRequest, UpdateLinkRequest,
        LinkView, LinkList, ShortenRequest, ShortenResponse, RedirectType, LinkStats, DayClicks, Breakdown, RegisterDomainRequest, DomainView, DomainList,
        shared::pay::wire::CreatedPayKey, shared::pay::wire::PayKeyView, shared::pay::wire::PayKeyList,
        shared::pay::wire::CheckoutView, shared::pay::wire::BankOption, shared::pay::wire::CheckoutCard,
        shared::pay::wire::CheckoutPayRequest, shared::pay::wire::CheckoutOtpRequest, shared::pay::wire::CheckoutStatus,
        shared::pay::wire::CheckoutResult, shared::pay::wire::RegisterWebhookRequest, shared::pay::wire::WebhookView,
        shared::pay::wire::WebhookList, shared::pay::wire::AttemptView, shared::pay::wire::DeliveryView,
        shared::pay::wire::DeliveryList, shared::pay::wire::PaymentLinkView,
        shared::pay::wire::PaymentLinkOrderRequest, shared::pay::wire::PaymentLinkOrder, shared::pay::wire::SubscriptionView,
        shared::pay::wire::PaySummary, shared::pay::wire::MethodFigures, shared::pay::wire::DailyVolume,
        shared::pay::settlement::ReconRow, shared::pay::routing::RoutingConfig, shared::pay::routing::ProcessorConfig,
        shared::pay::routing::MethodBehaviour, shared::pay::routing::Score,
        shared::pay::error::RazorpayErrorEnvelope, shared::pay::error::RazorpayErrorBody, shared::pay::error::RazorpayErrorCode,
        shared::pay::entity::Order, shared::pay::entity::Payment, shared::pay::entity::Card, shared::pay::entity::Refund,
        shared::pay::entity::PaymentLink, shared::pay::entity::PaymentLinkPayment, shared::pay::entity::Customer,
        shared::pay::entity::Plan, shared::pay::entity::PlanItem, shared::pay::entity::Subscription,
    )),
    modifiers(&SecuritySchemes),
    tags((name = "auth", description = "Accounts, sessions and API keys"), (name = "links", description = "Short links, redirects and their statistics"), (name = "meta", description = "Health and this document"), (name = "pay", description = "Pay: the merchant's dashboard API and the customer's pages"), (name = "pay-v1", description = "Pay's Razorpay-compatible v1 API (HTTP Basic with a key id and secret; Razorpay's entities and error shape)")),
)]
pub struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(shared::auth::cookie::SESSION_COOKIE))),
        );
        components.add_security_scheme(
            "razorpay_key",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Basic).build()),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("dzk_…").build(),
            ),
        );
    }
}

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "meta",
    responses((status = 200, description = "OpenAPI 3.1 document", content_type = "application/json")))]
pub fn openapi_json() -> ApiResult {
    let mut doc = ApiDoc::openapi();
    doc.info.version = health::build_version();
    let body = serde_json::to_string(&doc).map_err(|e| internal("OpenAPI", e))?;
    let mut response = Response::ok(body).map_err(|e| internal("OpenAPI", e))?;
    response.headers_mut().set("Content-Type", "application/json").map_err(|e| internal("OpenAPI", e))?;
    Ok(response)
}
