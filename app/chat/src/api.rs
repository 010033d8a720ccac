//! `/api/chat` from the browser (the socket is `socket.rs`).

use app_ui::{
    api,
    nav::{encode, query},
};
use shared::{
    chat::{
        rest::{
            AddMembers, ContactList, ContactRequest, ContactView, ConversationList, ConversationView,
            CreateConversation, EditMessage, MessagePage, MessageVersions, React, ReceiptList,
            RenameConversation, SearchResults,
        },
        wire::MessageFrame,
    },
    ApiError,
};

pub async fn conversations() -> Result<ConversationList, ApiError> {
    api::get("/api/chat/conversations").await
}

pub async fn conversation(id: &str) -> Result<ConversationView, ApiError> {
    api::get(&format!("/api/chat/conversations/{}", encode(id))).await
}

pub async fn start(request: &CreateConversation) -> Result<ConversationView, ApiError> {
    api::post("/api/chat/conversations", request).await
}

/// The newest messages (`before_seq` absent) or those before `before_seq`, oldest first.
pub async fn messages(id: &str, before_seq: Option<u64>, limit: u32) -> Result<MessagePage, ApiError> {
    let before = before_seq.map(|s| s.to_string()).unwrap_or_default();
    let limit = limit.to_string();
    let mut pairs = vec![("limit", limit.as_str())];
    if before_seq.is_some() {
        pairs.push(("before_seq", before.as_str()));
    }
    api::get(&format!("/api/chat/conversations/{}/messages?{}", encode(id), query(&pairs))).await
}

pub async fn receipts(id: &str) -> Result<ReceiptList, ApiError> {
    api::get(&format!("/api/chat/conversations/{}/receipts", encode(id))).await
}

fn message_path(id: &str, seq: u64) -> String {
    format!("/api/chat/conversations/{}/messages/{seq}", encode(id))
}

pub async fn react(id: &str, seq: u64, emoji: &str) -> Result<MessageFrame, ApiError> {
    api::put(&format!("{}/reaction", message_path(id, seq)), &React { emoji: emoji.to_owned() }).await
}

pub async fn unreact(id: &str, seq: u64) -> Result<(), ApiError> {
    api::delete(&format!("{}/reaction", message_path(id, seq))).await
}

pub async fn delete_message(id: &str, seq: u64) -> Result<(), ApiError> {
    api::delete(&message_path(id, seq)).await
}

pub async fn search(q: &str) -> Result<SearchResults, ApiError> {
    api::get(&format!("/api/chat/search?{}", query(&[("q", q)]))).await
}

pub async fn contacts() -> Result<ContactList, ApiError> {
    api::get("/api/chat/contacts").await
}

pub async fn ask(username: &str) -> Result<ContactView, ApiError> {
    api::post("/api/chat/contacts", &ContactRequest { username: username.to_owned() }).await
}

/// `accept`, `decline`, `block` or `unblock` someone.
pub async fn answer(username: &str, verb: &str) -> Result<ContactView, ApiError> {
    api::post(&format!("/api/chat/contacts/{}/{verb}", encode(username)), &serde_json::json!({})).await
}

pub async fn add_members(id: &str, usernames: Vec<String>) -> Result<ConversationView, ApiError> {
    api::post(&format!("/api/chat/conversations/{}/members", encode(id)), &AddMembers { usernames }).await
}

pub async fn rename(id: &str, title: &str) -> Result<ConversationView, ApiError> {
    api::patch(
        &format!("/api/chat/conversations/{}", encode(id)),
        &RenameConversation { title: title.to_owned() },
    )
    .await
}

/// Removes someone from a group, or (naming oneself) leaves it.
pub async fn remove_member(id: &str, username: &str) -> Result<(), ApiError> {
    api::delete(&format!("/api/chat/conversations/{}/members/{}", encode(id), encode(username))).await
}

pub async fn make_admin(id: &str, username: &str) -> Result<ConversationView, ApiError> {
    api::post(
        &format!("/api/chat/conversations/{}/admins/{}", encode(id), encode(username)),
        &serde_json::json!({}),
    )
    .await
}

pub async fn edit(id: &str, seq: u64, body: &str) -> Result<MessageFrame, ApiError> {
    api::patch(&message_path(id, seq), &EditMessage { body: body.to_owned() }).await
}

pub async fn versions(id: &str, seq: u64) -> Result<MessageVersions, ApiError> {
    api::get(&format!("{}/versions", message_path(id, seq))).await
}
