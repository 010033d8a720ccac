//! Pay, the Razorpay-compatible gateway: `/v1` speaks Razorpay's REST shape (HTTP Basic with a
//! merchant's key, Razorpay's entities and errors) so Razorpay's SDKs work by changing their
//! base URL; `/api/pay` is the merchant's own side (keys, the dashboard) for the signed-in Dozen
//! user, and the customer's (checkout, payment-link and subscription pages). Rules are in
//! `shared::pay`.
//!
//! Three layers, each using only the ones below it (no module of a lower layer names a higher
//! one):
//!
//! - `handlers` — HTTP in and out: the `/v1` route table and dispatch (`handlers::v1`), the
//!   `/api/pay` handlers listed below, Razorpay's answers and error bodies (`handlers::respond`).
//!   They parse requests, call services (or read through `store` for a plain fetch or list), and
//!   answer.
//! - `services` — the operations: pay an order, submit an OTP, capture, refund, release what
//!   nobody captured, create and expire payment links, authorize and charge subscriptions,
//!   settle, route to a processor, decide a review, emit and deliver webhooks, and write the
//!   demo merchant's month (`services::demo`). Every decision is
//!   asked of `shared::pay`; every read and write goes through `store`.
//! - `store` — every SQL statement and row type of Pay, one file per table or aggregate.
//!   Statuses are bound from `shared::pay`'s enums and read back into them: a stored status
//!   that is not a known word is a logged error, never a default.

pub mod handlers;
pub mod services;
pub mod store;

use crate::{
    product::{Job, Mount, Product},
    router::{delete, get, post, put},
};
use handlers::{
    checkout, dashboard, keys, orders, payment_links, payments, plans, refunds, routing, settlements,
    subscriptions, v1, webhooks,
};
use services::unfinished;
use shared::pay::{entity, error, routing as rules, settlement::ReconRow, wire};
use utoipa::{
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    Modify, OpenApi,
};

pub const PRODUCT: Product = Product {
    name: "pay",
    routes: &[
        get("/api/pay/keys", |req, cx, _| Box::pin(keys::list(req, cx))),
        post("/api/pay/keys", |req, cx, _| Box::pin(keys::create(req, cx))),
        delete("/api/pay/keys/{key_id}", |req, cx, p| Box::pin(keys::revoke(req, cx, p.get("key_id")))),
        // The customer's pages: public by id.
        get("/api/pay/checkout/{order_id}", |_, cx, p| Box::pin(checkout::view(cx, p.get("order_id")))),
        post("/api/pay/checkout/{order_id}/pay", |req, cx, p| {
            Box::pin(checkout::pay(req, cx, p.get("order_id")))
        }),
        post("/api/pay/checkout/payments/{payment_id}/otp", |req, cx, p| {
            Box::pin(checkout::otp(req, cx, p.get("payment_id")))
        }),
        get("/api/pay/links/{id}", |_, cx, p| Box::pin(payment_links::view(cx, p.get("id")))),
        post("/api/pay/links/{id}/orders", |req, cx, p| {
            Box::pin(payment_links::order_for(req, cx, p.get("id")))
        }),
        get("/api/pay/subscriptions/{id}", |_, cx, p| Box::pin(subscriptions::view(cx, p.get("id")))),
        post("/api/pay/subscriptions/{id}/authorize", |req, cx, p| {
            Box::pin(subscriptions::authorize(req, cx, p.get("id")))
        }),
        // The merchant's dashboard.
        get("/api/pay/webhooks", |req, cx, _| Box::pin(webhooks::list(req, cx))),
        post("/api/pay/webhooks", |req, cx, _| Box::pin(webhooks::register(req, cx))),
        delete("/api/pay/webhooks/{id}", |req, cx, p| Box::pin(webhooks::remove(req, cx, p.get("id")))),
        get("/api/pay/webhooks/{id}/deliveries", |req, cx, p| {
            Box::pin(webhooks::deliveries(req, cx, p.get("id")))
        }),
        get("/api/pay/payments", |req, cx, _| Box::pin(dashboard::payments(req, cx))),
        post("/api/pay/payments/{id}/refund", |req, cx, p| Box::pin(dashboard::refund(req, cx, p.get("id")))),
        get("/api/pay/payment-links", |req, cx, _| Box::pin(dashboard::payment_links(req, cx))),
        get("/api/pay/subscriptions", |req, cx, _| Box::pin(dashboard::subscriptions(req, cx))),
        get("/api/pay/summary", |req, cx, _| Box::pin(dashboard::summary(req, cx))),
        get("/api/pay/reconciliation", |req, cx, _| Box::pin(settlements::reconciliation(req, cx))),
        get("/api/pay/settlements", |req, cx, _| Box::pin(dashboard::settlements(req, cx))),
        get("/api/pay/routing", |req, cx, _| Box::pin(routing::view(req, cx))),
        put("/api/pay/routing", |req, cx, _| Box::pin(routing::set(req, cx))),
        delete("/api/pay/routing", |req, cx, _| Box::pin(routing::reset(req, cx))),
        get("/api/pay/reviews", |req, cx, _| Box::pin(dashboard::reviews(req, cx))),
        post("/api/pay/reviews/{payment_id}/approve", |req, cx, p| {
            Box::pin(dashboard::approve(req, cx, p.get("payment_id")))
        }),
        post("/api/pay/reviews/{payment_id}/reject", |req, cx, p| {
            Box::pin(dashboard::reject(req, cx, p.get("payment_id")))
        }),
    ],
    mounts: &[Mount {
        prefix: "/v1",
        dispatch: |req, cx, path| Box::pin(v1::dispatch(req, cx, path)),
        error_schema: "RazorpayErrorEnvelope",
        documented_routes: v1::documented_routes,
    }],
    openapi: PayApi::openapi,
    jobs: &[
        Job {
            name: "released uncaptured payments",
            run: |env, now_ms| Box::pin(async move { Ok(unfinished::release_due(env, now_ms).await?) }),
        },
        Job {
            name: "timed out OTP payments",
            run: |env, now_ms| {
                Box::pin(async move { Ok(unfinished::time_out_abandoned(env, now_ms).await?) })
            },
        },
        Job {
            name: "expired payment links",
            run: |env, now_ms| {
                Box::pin(async move { Ok(services::payment_links::expire_due(env, now_ms).await?) })
            },
        },
        Job {
            name: "billed subscriptions",
            run: |env, now_ms| {
                Box::pin(async move { Ok(services::subscriptions::charge_due(env, now_ms).await?) })
            },
        },
        Job {
            name: "settlements",
            run: |env, now_ms| {
                Box::pin(async move { Ok(services::settlements::settle_due(env, now_ms).await?) })
            },
        },
        Job {
            name: "retried webhooks",
            run: |env, now_ms| Box::pin(async move { Ok(services::webhooks::retry_due(env, now_ms).await?) }),
        },
    ],
    // The demo account's month of payments, links, subscriptions, webhooks and settlements.
    consumers: &[],
    demo: Some(|cx| Box::pin(async move { Ok(services::demo::seed(cx).await?) })),
};

#[derive(OpenApi)]
#[openapi(
    paths(
        keys::create, keys::list, keys::revoke, checkout::view, checkout::pay, checkout::otp,
        webhooks::register, webhooks::list, webhooks::remove, webhooks::deliveries, payment_links::view,
        payment_links::order_for, subscriptions::view, subscriptions::authorize, dashboard::payments,
        dashboard::refund, dashboard::payment_links, dashboard::subscriptions, dashboard::summary,
        settlements::reconciliation, dashboard::settlements, routing::view, routing::set, routing::reset,
        dashboard::reviews, dashboard::approve, dashboard::reject,
        // `/v1`
        orders::create, orders::fetch, orders::list, orders::payments, payments::create_json,
        payments::otp_submit, payments::otp_resend, payments::fetch, payments::list, payments::capture,
        refunds::create, refunds::create_for, refunds::fetch, refunds::list, refunds::of_payment,
        refunds::one_of_payment, payment_links::create, payment_links::fetch, payment_links::list,
        payment_links::edit, payment_links::cancel, plans::create_customer, plans::fetch_customer,
        plans::edit_customer, plans::list_customers, plans::create_plan, plans::fetch_plan, plans::list_plans,
        subscriptions::create, subscriptions::fetch, subscriptions::list, subscriptions::cancel,
        subscriptions::pause, subscriptions::resume, settlements::list, settlements::fetch,
        settlements::recon_combined, v1::methods,
    ),
    components(schemas(
        wire::CreatedPayKey, wire::PayKeyView, wire::PayKeyList, wire::CheckoutView, wire::BankOption,
        wire::CheckoutCard, wire::CheckoutPayRequest, wire::CheckoutOtpRequest, wire::CheckoutStatus,
        wire::CheckoutResult, wire::RegisterWebhookRequest, wire::WebhookView, wire::WebhookList,
        wire::AttemptView, wire::DeliveryView, wire::DeliveryList, wire::PaymentLinkView,
        wire::PaymentLinkOrderRequest, wire::PaymentLinkOrder, wire::SubscriptionView, wire::PaySummary,
        wire::MethodFigures, wire::DailyVolume, ReconRow, rules::RoutingConfig, rules::ProcessorConfig,
        rules::MethodBehaviour, rules::Score, error::RazorpayErrorEnvelope, error::RazorpayErrorBody,
        error::RazorpayErrorCode, entity::Order, entity::Payment, entity::Card, entity::Refund,
        entity::PaymentLink, entity::PaymentLinkPayment, entity::Customer, entity::Plan, entity::PlanItem,
        entity::Subscription,
    )),
    modifiers(&RazorpayKey),
    tags(
        (name = "pay", description = "Pay: the merchant's dashboard API and the customer's pages"),
        (name = "pay-v1", description = "Pay's Razorpay-compatible v1 API (HTTP Basic with a key id and secret; Razorpay's entities and error shape)"),
    )
)]
struct PayApi;

/// `/v1`'s authentication: HTTP Basic with a key id and its secret, as Razorpay's.
struct RazorpayKey;

impl Modify for RazorpayKey {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        doc.components.get_or_insert_with(Default::default).add_security_scheme(
            "razorpay_key",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Basic).build()),
        );
    }
}
