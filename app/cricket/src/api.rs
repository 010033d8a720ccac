//! `/api/cricket` from the browser.

use app_ui::{api, nav::encode};
use shared::{
    cricket::{
        charts::Charts,
        live_view::LiveState,
        picks::{CricketHome, Follow, FollowKind},
        scorecard::Scorecard,
        talk::{ChatMessage, ChatPage, NewChatMessage, NewMute, NewPoll, NewVote, Poll, PollKind},
        video::StreamView,
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

/// A match to score live (`shared::cricket::live_view::NewMatch` as JSON).
pub async fn create(new_match: &serde_json::Value) -> Result<MatchView, ApiError> {
    api::post("/api/cricket/matches", new_match).await
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

pub async fn home() -> Result<CricketHome, ApiError> {
    api::get("/api/cricket/home").await
}

pub async fn follow(kind: FollowKind, target: &str) -> Result<Follow, ApiError> {
    api::post("/api/cricket/follows", &serde_json::json!({ "kind": kind, "target": target })).await
}

pub async fn unfollow(kind: FollowKind, target: &str) -> Result<(), ApiError> {
    api::delete(&format!("/api/cricket/follows?kind={}&target={}", kind.as_str(), encode(target))).await
}

pub async fn follows() -> Result<Vec<Follow>, ApiError> {
    api::get("/api/cricket/follows").await
}

/// Tells the worker this person opened the match (what their recommendations grow from).
pub async fn watch(id: &str) -> Result<(), ApiError> {
    api::post_empty(&format!("/api/cricket/matches/{}/watch", encode(id))).await
}

pub async fn chat(id: &str) -> Result<ChatPage, ApiError> {
    api::get(&format!("/api/cricket/matches/{}/chat", encode(id))).await
}

pub async fn send_chat(id: &str, body: &str) -> Result<ChatMessage, ApiError> {
    api::post(&format!("/api/cricket/matches/{}/chat", encode(id)), &NewChatMessage { body: body.to_owned() })
        .await
}

pub async fn remove_chat(id: &str, message_id: &str) -> Result<(), ApiError> {
    api::delete(&format!("/api/cricket/matches/{}/chat/{}", encode(id), encode(message_id))).await
}

pub async fn mute(id: &str, username: &str, minutes: u32) -> Result<serde_json::Value, ApiError> {
    api::post(
        &format!("/api/cricket/matches/{}/mutes", encode(id)),
        &NewMute { username: username.to_owned(), minutes },
    )
    .await
}

pub async fn polls(id: &str) -> Result<Vec<Poll>, ApiError> {
    api::get(&format!("/api/cricket/matches/{}/polls", encode(id))).await
}

pub async fn open_poll(id: &str, kind: PollKind) -> Result<Poll, ApiError> {
    api::post(
        &format!("/api/cricket/matches/{}/polls", encode(id)),
        &NewPoll { kind, question: None, options: None },
    )
    .await
}

pub async fn vote(id: &str, poll_id: &str, option: u32) -> Result<Poll, ApiError> {
    api::post(
        &format!("/api/cricket/matches/{}/polls/{}/votes", encode(id), encode(poll_id)),
        &NewVote { option },
    )
    .await
}

pub async fn close_poll(id: &str, poll_id: &str) -> Result<Poll, ApiError> {
    api::post(&format!("/api/cricket/matches/{}/polls/{}/close", encode(id), encode(poll_id)), &()).await
}

pub async fn stream(id: &str) -> Result<StreamView, ApiError> {
    api::get(&format!("/api/cricket/matches/{}/stream", encode(id))).await
}

/// A scorer's change, against the events they saw (`seq`): 409 when the log moved since.
pub async fn deliver(id: &str, seq: u32, delivery: &serde_json::Value) -> Result<LiveState, ApiError> {
    api::post(&format!("/api/cricket/matches/{}/deliveries?expected_seq={seq}", encode(id)), delivery).await
}

pub async fn event(id: &str, seq: u32, event: &serde_json::Value) -> Result<LiveState, ApiError> {
    api::post(&format!("/api/cricket/matches/{}/events?expected_seq={seq}", encode(id)), event).await
}

pub async fn undo(id: &str, seq: u32) -> Result<LiveState, ApiError> {
    api::post(&format!("/api/cricket/matches/{}/undo?expected_seq={seq}", encode(id)), &()).await
}

pub async fn add_scorer(id: &str, username: &str) -> Result<Vec<String>, ApiError> {
    api::post(
        &format!("/api/cricket/matches/{}/scorers", encode(id)),
        &serde_json::json!({ "username": username }),
    )
    .await
}
