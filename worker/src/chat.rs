//! Chat, the instant messenger, at the edge. So far: contacts (ask, answer, remove, block) and
//! privacy settings, in D1. Conversations, the socket and the rest of `/chat` come next.

pub mod contacts;
pub mod store;

use crate::{
    product::Product,
    router::{delete, get, patch, post},
};
use shared::chat::{
    contacts::Status,
    rest::{ChatSettings, ContactList, ContactRequest, ContactView, UpdateChatSettings},
};
use utoipa::OpenApi;

pub const PRODUCT: Product = Product {
    name: "chat",
    routes: &[
        get("/api/chat/contacts", |req, cx, _| Box::pin(contacts::list(req, cx))),
        post("/api/chat/contacts", |req, cx, _| Box::pin(contacts::request(req, cx))),
        delete("/api/chat/contacts/{username}", |req, cx, p| {
            Box::pin(contacts::remove(req, cx, p.get("username")))
        }),
        post("/api/chat/contacts/{username}/accept", |req, cx, p| {
            Box::pin(contacts::accept(req, cx, p.get("username")))
        }),
        post("/api/chat/contacts/{username}/decline", |req, cx, p| {
            Box::pin(contacts::decline(req, cx, p.get("username")))
        }),
        post("/api/chat/contacts/{username}/block", |req, cx, p| {
            Box::pin(contacts::block(req, cx, p.get("username")))
        }),
        post("/api/chat/contacts/{username}/unblock", |req, cx, p| {
            Box::pin(contacts::unblock(req, cx, p.get("username")))
        }),
        get("/api/chat/settings", |req, cx, _| Box::pin(contacts::settings(req, cx))),
        patch("/api/chat/settings", |req, cx, _| Box::pin(contacts::update_settings(req, cx))),
    ],
    mounts: &[],
    openapi: ChatApi::openapi,
    jobs: &[],
    consumers: &[],
    demo: None,
};

#[derive(OpenApi)]
#[openapi(
    paths(
        contacts::list,
        contacts::request,
        contacts::remove,
        contacts::accept,
        contacts::decline,
        contacts::block,
        contacts::unblock,
        contacts::settings,
        contacts::update_settings
    ),
    components(schemas(ContactRequest, ContactView, ContactList, Status, ChatSettings, UpdateChatSettings)),
    tags((name = "chat", description = "Chat: contacts and privacy (conversations to come)"))
)]
struct ChatApi;
