//! `/api/news` from the browser, with the `shared` wire types.

use app_ui::{api, nav::encode};
use shared::{
    news::{
        moderation::FlagReason,
        votes::Direction,
        wire::{
            CommentRequest, CommentView, EditRequest, Edited, FlagRequest, ItemPage, ProfileView,
            StandingView, StoryList, SubmitRequest, Submitted, VoteRequest, VoteResult,
        },
    },
    ApiError,
};

/// One page (1-based) of a list: `front`, `new`, `best`, `ask` or `show`.
pub async fn stories(list: &str, page: u32) -> Result<StoryList, ApiError> {
    api::get(&format!("/api/news/stories?list={list}&page={page}")).await
}

/// A story and its thread (a comment's id answers with its story's thread).
pub async fn item(id: i64) -> Result<ItemPage, ApiError> {
    api::get(&format!("/api/news/items/{id}")).await
}

/// Submits a story; `key` is the same for every try of one attempt.
pub async fn submit(request: &SubmitRequest, key: &str) -> Result<Submitted, ApiError> {
    api::post_once("/api/news/stories", request, key).await
}

pub async fn comment(request: &CommentRequest, key: &str) -> Result<CommentView, ApiError> {
    api::post_once("/api/news/comments", request, key).await
}

pub async fn vote(id: i64, direction: Direction) -> Result<VoteResult, ApiError> {
    api::post(&format!("/api/news/items/{id}/vote"), &VoteRequest { direction }).await
}

pub async fn unvote(id: i64) -> Result<VoteResult, ApiError> {
    api::delete_for(&format!("/api/news/items/{id}/vote")).await
}

pub async fn flag(id: i64, reason: FlagReason) -> Result<StandingView, ApiError> {
    api::post(&format!("/api/news/items/{id}/flag"), &FlagRequest { reason }).await
}

pub async fn vouch(id: i64) -> Result<StandingView, ApiError> {
    api::post(&format!("/api/news/items/{id}/vouch"), &()).await
}

/// An author's edit of their story (title, text) or comment (text), within two hours.
pub async fn edit(id: i64, request: &EditRequest) -> Result<Edited, ApiError> {
    api::patch(&format!("/api/news/items/{id}"), request).await
}

/// An author's delete, within two hours.
pub async fn delete(id: i64) -> Result<(), ApiError> {
    api::delete(&format!("/api/news/items/{id}")).await
}

/// Saves a story to the reader's favorites (`true`) or takes it off.
pub async fn favorite(id: i64, saved: bool) -> Result<(), ApiError> {
    let path = format!("/api/news/items/{id}/favorite");
    if saved {
        api::put_empty(&path).await
    } else {
        api::delete(&path).await
    }
}

pub async fn profile(username: &str) -> Result<ProfileView, ApiError> {
    api::get(&format!("/api/news/users/{}", encode(username))).await
}

// Profiles' lists, about, and the moderation log.
use shared::news::wire::{AboutRequest, CommentList, ModerationEntry, ModerationLog, ModerationRequest};

/// One page of a person's stories: `stories`, `favorites` or `upvoted` (theirs alone).
pub async fn profile_stories(username: &str, list: &str, page: u32) -> Result<StoryList, ApiError> {
    api::get(&format!("/api/news/users/{}/{list}?page={page}", encode(username))).await
}

pub async fn profile_comments(username: &str, page: u32) -> Result<CommentList, ApiError> {
    api::get(&format!("/api/news/users/{}/comments?page={page}", encode(username))).await
}

/// Changes the reader's own about; answers the profile as it now stands.
pub async fn edit_about(username: &str, about: String) -> Result<ProfileView, ApiError> {
    let request = AboutRequest { about: Some(about), showdead: None };
    api::patch(&format!("/api/news/users/{}", encode(username)), &request).await
}

/// Turns HN's showdead on or off for the reader: dead items shown to them, marked, to vouch for.
pub async fn set_showdead(username: &str, on: bool) -> Result<ProfileView, ApiError> {
    let request = AboutRequest { about: None, showdead: Some(on) };
    api::patch(&format!("/api/news/users/{}", encode(username)), &request).await
}

pub async fn moderation_log(page: u32) -> Result<ModerationLog, ApiError> {
    api::get(&format!("/api/news/moderation?page={page}")).await
}

pub async fn moderate(request: &ModerationRequest) -> Result<ModerationEntry, ApiError> {
    api::post("/api/news/moderation", request).await
}
