//! `/api/lockers` from the browser.

use app_ui::{api, nav::encode};
use shared::{
    lockers::{
        admin::LocationAdminView,
        location::{DoorService, LocationView},
        package::{DepositAt, ExtensionView, NewPackage, NewReturn, Opened, PackageView, Pickup},
    },
    ApiError,
};

pub async fn locations() -> Result<Vec<LocationView>, ApiError> {
    api::get("/api/lockers/locations").await
}

pub async fn packages(sent: bool) -> Result<Vec<PackageView>, ApiError> {
    api::get(if sent { "/api/lockers/packages?role=sender" } else { "/api/lockers/packages" }).await
}

pub async fn send(parcel: &NewPackage) -> Result<PackageView, ApiError> {
    api::post("/api/lockers/packages", parcel).await
}

/// Sends back a parcel the caller picked up, from `location_id`: the return, with its drop-off code.
pub async fn send_back(package_id: &str, location_id: &str) -> Result<PackageView, ApiError> {
    let asked =
        NewReturn { package_id: package_id.to_owned(), location_id: location_id.to_owned(), parcel: None };
    api::post("/api/lockers/returns", &asked).await
}

/// The order that pays for two more days.
pub async fn extend(id: &str) -> Result<ExtensionView, ApiError> {
    api::post(&format!("/api/lockers/packages/{}/extension", encode(id)), &()).await
}

pub async fn location_admin(id: &str) -> Result<LocationAdminView, ApiError> {
    api::get(&format!("/api/lockers/locations/{}/admin", encode(id))).await
}

pub async fn set_door(bank: &str, door: u16, in_service: bool) -> Result<LocationView, ApiError> {
    api::put(&format!("/api/lockers/banks/{}/doors/{door}", encode(bank)), &DoorService { in_service }).await
}

/// Opens the caller's own compartment from the app (to pick up, or to drop a return off).
pub async fn open_mine(id: &str) -> Result<Opened, ApiError> {
    api::post(&format!("/api/lockers/packages/{}/pickup", encode(id)), &()).await
}

pub async fn pickup(bank: &str, code: &str) -> Result<Opened, ApiError> {
    api::post(&format!("/api/lockers/banks/{}/pickup", encode(bank)), &Pickup { code: code.to_owned() }).await
}

/// A courier's round: parcels to deposit and expired ones to carry back.
pub async fn courier_work() -> Result<Vec<PackageView>, ApiError> {
    api::get("/api/lockers/packages?role=courier").await
}

/// A door for the parcel at `location_id`, where the courier stands.
pub async fn deposit(id: &str, location_id: &str) -> Result<Opened, ApiError> {
    let at = DepositAt { location_id: Some(location_id.to_owned()) };
    api::post(&format!("/api/lockers/packages/{}/deposit", encode(id)), &at).await
}

pub async fn package(id: &str) -> Result<PackageView, ApiError> {
    api::get(&format!("/api/lockers/packages/{}", encode(id))).await
}

/// The courier took the parcel from its sender.
pub async fn take(id: &str) -> Result<PackageView, ApiError> {
    api::post(&format!("/api/lockers/packages/{}/transit", encode(id)), &()).await
}

pub async fn collect(id: &str) -> Result<Opened, ApiError> {
    api::post(&format!("/api/lockers/packages/{}/collect", encode(id)), &()).await
}

pub fn qr_url(id: &str) -> String {
    format!("/api/lockers/packages/{}/qr", encode(id))
}
