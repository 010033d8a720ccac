//! `/api/links` from the browser.

use app_ui::{
    api,
    nav::{encode, query},
};
use shared::{
    links::{
        stats::LinkStats,
        wire::{CreateLinkRequest, LinkList, LinkView, UpdateLinkRequest},
    },
    ApiError,
};

pub async fn create(request: &CreateLinkRequest) -> Result<LinkView, ApiError> {
    api::post("/api/links", request).await
}

pub async fn list(search: &str, tag: &str, cursor: Option<&str>) -> Result<LinkList, ApiError> {
    let mut pairs = vec![("limit", "20"), ("q", search), ("tag", tag)];
    pairs.extend(cursor.map(|cursor| ("cursor", cursor)));
    api::get(&format!("/api/links?{}", query(&pairs))).await
}

pub async fn update(code: &str, request: &UpdateLinkRequest) -> Result<LinkView, ApiError> {
    api::patch(&format!("/api/links/{}", encode(code)), request).await
}

pub async fn delete(code: &str) -> Result<(), ApiError> {
    api::delete(&format!("/api/links/{}", encode(code))).await
}

pub async fn get(code: &str) -> Result<LinkView, ApiError> {
    api::get(&format!("/api/links/{}", encode(code))).await
}

pub async fn stats(code: &str, days: i64, tz: &str) -> Result<LinkStats, ApiError> {
    let now = js_sys::Date::now() as i64;
    let from = shared::time::Timestamp(now - days * 86_400_000).to_rfc3339();
    api::get(&format!("/api/links/{}/stats?{}", encode(code), query(&[("from", &from), ("tz", tz)]))).await
}

pub fn qr_url(code: &str) -> String {
    format!("/api/links/{}/qr?size=240", encode(code))
}
