//! Lockers: parcel lockers (shared::lockers). Locations and their banks live in D1; each bank's
//! Durable Object (`bank::LockerBank`) allocates its compartments, checks codes and expires
//! parcels whose window ended.

pub mod api;
pub mod bank;
pub mod demo;
pub mod extension;
pub mod store;

use crate::{
    product::Product,
    router::{delete, get, post, put},
};
use shared::lockers::{
    admin::{DoorView, LocationAdminView, Occupancy},
    hours::HoursRange,
    location::{BankView, DoorService, FreeBySize, LocationView, NewBank, NewLocation},
    package::{ExtensionView, NewPackage, NewReturn, Opened, PackageEvent, PackageView, Pickup},
    size::Parcel,
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
        post("/api/lockers/banks/{id}/pickup", |req, cx, p| {
            Box::pin(api::pickup_at_bank(req, cx, p.get("id")))
        }),
        put("/api/lockers/banks/{id}/doors/{door}", |req, cx, p| {
            Box::pin(api::set_door(req, cx, p.get("id"), p.get("door")))
        }),
    ],
    mounts: &[],
    openapi: LockersApi::openapi,
    jobs: &[],
    consumers: &[],
    demo: Some(|cx| Box::pin(demo::seed(&cx.env, cx.now_ms))),
};

#[derive(OpenApi)]
#[openapi(
    paths(api::list_locations, api::get_location, api::create_location, api::create_package, api::list_packages,
          api::get_package, api::qr, api::cancel_package, api::deposit, api::pickup_mine, api::pickup_at_bank,
          api::pickup_at_location, api::collect, api::set_door, api::create_return, api::extend, api::location_admin),
    components(schemas(LocationView, BankView, FreeBySize, NewLocation, NewBank, NewPackage, PackageView, PackageEvent,
                       Parcel, Opened, Pickup, DoorService, HoursRange, NewReturn, ExtensionView, LocationAdminView,
                       DoorView, Occupancy)),
    tags((name = "lockers", description = "Lockers: parcel lockers, codes and pickups"))
)]
struct LockersApi;
