//! `/api/cricket` from the browser.

use app_ui::{api, nav::encode};
use shared::{
    cricket::{
        charts::Charts,
        scorecard::Scorecard,
        wire::{Commentary, InningsPartnerships, MatchList, MatchView, PlayerStats, Status},
    },
    ApiError,
};

pub async fn matches(status: Option<Status>) -> Result<MatchList, ApiError> {
    match status {
        Some(s) => api::get(&format!("/api/cricket/matches?status={}", s.as_str())).await,
        None => api::get("/api/cricket/matches").await,
    }
}

/// Imports a Cricsheet file as read from disk (its JSON, parsed here so a file that is not JSON
/// is told at once).
pub async fn import(file: &serde_json::Value) -> Result<MatchView, ApiError> {
    api::post("/api/cricket/matches/import", file).await
}

pub async fn match_view(id: &str) -> Result<MatchView, ApiError> {
    api::get(&format!("/api/cricket/matches/{}", encode(id))).await
}

pub async fn scorecard(id: &str) -> Result<Scorecard, ApiError> {
    api::get(&format!("/api/cricket/matches/{}/scorecard", encode(id))).await
}

pub async fn commentary(id: &str) -> Result<Commentary, ApiError> {
    api::get(&format!("/api/cricket/matches/{}/commentary", encode(id))).await
}

pub async fn charts(id: &str) -> Result<Charts, ApiError> {
    api::get(&format!("/api/cricket/matches/{}/charts", encode(id))).await
}

pub async fn partnerships(id: &str) -> Result<Vec<InningsPartnerships>, ApiError> {
    api::get(&format!("/api/cricket/matches/{}/partnerships", encode(id))).await
}

pub async fn player(id: &str) -> Result<PlayerStats, ApiError> {
    api::get(&format!("/api/cricket/players/{}/stats", encode(id))).await
}

/// Where a match's export downloads from.
pub fn export_href(id: &str) -> String {
    format!("/api/cricket/matches/{}/cricsheet", encode(id))
}
