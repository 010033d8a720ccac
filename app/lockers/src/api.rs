//! `/api/lockers` from the browser.

use app_ui::{api, nav::encode};
use shared::{
    lockers::{
        location::LocationView,
        package::{NewPackage, Opened, PackageView, Pickup},
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

/// Opens the caller's own compartment from the app.
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

pub async fn deposit(id: &str) -> Result<Opened, ApiError> {
    api::post(&format!("/api/lockers/packages/{}/deposit", encode(id)), &()).await
}

pub async fn collect(id: &str) -> Result<Opened, ApiError> {
    api::post(&format!("/api/lockers/packages/{}/collect", encode(id)), &()).await
}

pub fn qr_url(id: &str) -> String {
    format!("/api/lockers/packages/{}/qr", encode(id))
}
