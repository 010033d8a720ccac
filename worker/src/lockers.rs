//! Lockers: parcel lockers (shared::lockers). Locations and their banks live in D1; each bank's
//! Durable Object (`bank::LockerBank`) allocates its compartments, checks codes and expires
//! parcels whose window ended.

pub mod api;
pub mod bank;
pub mod demo;
pub mod extension;
pub mod store;
pub mod webhooks;

use crate::{
    product::{Job, Product},
    router::{delete, get, post, put},
};
use shared::lockers::{
    admin::{DoorView, LocationAdminView, Occupancy},
    hours::HoursRange,
    location::{BankView, DoorService, FreeBySize, LocationView, NewBank, NewLocation},
    package::{DepositAt, ExtensionView, NewPackage, NewReturn, Opened, PackageEvent, PackageView, Pickup},
    size::Parcel,
    webhook::{NewWebhook, WebhookEvent, WebhookParcel, WebhookView},
};
use utoipa::OpenApi;

pub const PRODUCT: Product = Product {
    name: "lockers",
    routes: &[
        get("/api/lockers/locations", |req, cx, _| Box::pin(api::list_locations(req, cx))),
        post("/api/lockers/locations", |req, cx, _| Box::pin(api::create_location(req, cx))),
        get("/api/lockers/locations/{id}", |req, cx, p| Box::pin(api::get_location(req, cx, p.get("id")))),
        get("/api/lockers/locations/{id}/admin", |req, cx, p| {
            Box::pin(api::location_admin(req, cx, p.get("id")))
        }),
        post("/api/lockers/locations/{id}/pickup", |req, cx, p| {
            Box::pin(api::pickup_at_location(req, cx, p.get("id")))
        }),
        post("/api/lockers/returns", |req, cx, _| Box::pin(api::create_return(req, cx))),
        post("/api/lockers/packages/{id}/extension", |req, cx, p| {
            Box::pin(api::extend(req, cx, p.get("id")))
        }),
        get("/api/lockers/packages", |req, cx, _| Box::pin(api::list_packages(req, cx))),
        post("/api/lockers/packages", |req, cx, _| Box::pin(api::create_package(req, cx))),
        get("/api/lockers/packages/{id}", |req, cx, p| Box::pin(api::get_package(req, cx, p.get("id")))),
        get("/api/lockers/packages/{id}/qr", |req, cx, p| Box::pin(api::qr(req, cx, p.get("id")))),
        delete("/api/lockers/packages/{id}", |req, cx, p| {
            Box::pin(api::cancel_package(req, cx, p.get("id")))
        }),
        post("/api/lockers/packages/{id}/deposit", |req, cx, p| Box::pin(api::deposit(req, cx, p.get("id")))),
        post("/api/lockers/packages/{id}/pickup", |req, cx, p| {
            Box::pin(api::pickup_mine(req, cx, p.get("id")))
        }),
        post("/api/lockers/packages/{id}/collect", |req, cx, p| Box::pin(api::collect(req, cx, p.get("id")))),
        post("/api/lockers/packages/{id}/transit", |req, cx, p| {
            Box::pin(api::take_in_transit(req, cx, p.get("id")))
        }),
        get("/api/lockers/webhooks", |req, cx, _| Box::pin(webhooks::list(req, cx))),
        post("/api/lockers/webhooks", |req, cx, _| Box::pin(webhooks::register(req, cx))),
        delete("/api/lockers/webhooks/{id}", |req, cx, p| Box::pin(webhooks::remove(req, cx, p.get("id")))),
        post("/api/lockers/banks/{id}/pickup", |req, cx, p| {
            Box::pin(api::pickup_at_bank(req, cx, p.get("id")))
        }),
        put("/api/lockers/banks/{id}/doors/{door}", |req, cx, p| {
            Box::pin(api::set_door(req, cx, p.get("id"), p.get("door")))
        }),
    ],
    mounts: &[],
    openapi: LockersApi::openapi,
    jobs: &[
        Job {
            name: "delivered lockers events to webhooks",
            run: |env, now_ms| Box::pin(async move { Ok(webhooks::deliver_due(env, now_ms).await?) }),
        },
        Job {
            name: "expired lockers parcels whose bank's alarm was late",
            run: |env, now_ms| Box::pin(async move { Ok(expire_overdue(env, now_ms).await?) }),
        },
        Job {
            name: "refunded lockers extensions paid too late",
            run: |env, now_ms| Box::pin(async move { Ok(extension::refund_missed(env, now_ms).await?) }),
        },
    ],
    consumers: &[],
    demo: Some(|cx| Box::pin(demo::seed(&cx.env, cx.now_ms))),
};

#[derive(OpenApi)]
#[openapi(
    paths(api::list_locations, api::get_location, api::create_location, api::create_package, api::list_packages,
          api::get_package, api::qr, api::cancel_package, api::deposit, api::pickup_mine, api::pickup_at_bank,
          api::pickup_at_location, api::collect, api::set_door, api::create_return, api::extend, api::location_admin,
          api::take_in_transit, webhooks::register, webhooks::list, webhooks::remove),
    components(schemas(LocationView, BankView, FreeBySize, NewLocation, NewBank, NewPackage, PackageView, PackageEvent,
                       Parcel, Opened, Pickup, DoorService, HoursRange, NewReturn, ExtensionView, LocationAdminView,
                       DoorView, Occupancy, DepositAt, NewWebhook, WebhookView, WebhookEvent, WebhookParcel)),
    tags((name = "lockers", description = "Lockers: parcel lockers, codes and pickups"))
)]
struct LockersApi;

/// The clock's backstop: a bank whose alarm was lost (its object stopped between a write and
/// arming it) still has its parcels expired and its holds lapsed, two minutes late at most. The
/// writes are the alarm's own guarded ones, so running both does no harm.
async fn expire_overdue(env: &worker::Env, now_ms: i64) -> Result<usize, shared::ApiError> {
    let db = crate::http::OrInternal::internal(env.d1("DB"), "D1 binding")?;
    let mut expired = 0;
    for bank_id in store::overdue_banks(&db, now_ms - 120_000).await? {
        expired += store::expire(&db, &bank_id, now_ms).await?;
    }
    Ok(expired)
}
