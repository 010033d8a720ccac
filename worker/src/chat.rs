//! Chat, the instant messenger, at the edge. So far: contacts (ask, answer, remove, block),
//! privacy settings, and conversations (direct and groups, with their members) in D1, and each
//! conversation's messages in its own Durable Object (`room`). The socket and the rest of
//! `/chat` come next.

pub mod contacts;
pub mod conversations;
pub mod demo;
pub mod heartbeat;
pub mod hub;
pub mod keys;
pub mod media;
pub mod messages;
pub mod push;
pub mod room;
pub mod search;
pub mod store;
pub mod to_device;

use crate::{
    product::{Job, Product},
    router::{delete, get, patch, post, put},
};
use shared::chat::{
    contacts::Status,
    e2ee::keys::{DeviceKeyList, DeviceKeys, PublishKeys},
    e2ee::to_device::{
        SendToDevice, ToDeviceAck, ToDeviceItem, ToDeviceList, ToDeviceMessage, ToDeviceQueued,
    },
    media::{MediaKind, MediaView},
    members::Role,
    rest::{
        AddMembers, ChatSettings, ContactList, ContactRequest, ContactView, ConversationList,
        ConversationView, CreateConversation, EditMessage, Kind, LastMessage, MemberReceipt, MemberView,
        MessagePage, MessageVersion, MessageVersions, React, ReceiptList, RenameConversation, SearchHit,
        SearchResults, SendMessage, UpdateChatSettings,
    },
    wire::{MessageFrame, ReactionView},
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
        get("/api/chat/conversations", |req, cx, _| Box::pin(conversations::list(req, cx))),
        post("/api/chat/conversations", |req, cx, _| Box::pin(conversations::create(req, cx))),
        get("/api/chat/conversations/{id}", |req, cx, p| Box::pin(conversations::get(req, cx, p.get("id")))),
        patch("/api/chat/conversations/{id}", |req, cx, p| {
            Box::pin(conversations::rename(req, cx, p.get("id")))
        }),
        post("/api/chat/conversations/{id}/members", |req, cx, p| {
            Box::pin(conversations::add_members(req, cx, p.get("id")))
        }),
        delete("/api/chat/conversations/{id}/members/{username}", |req, cx, p| {
            Box::pin(conversations::remove_member(req, cx, p.get("id"), p.get("username")))
        }),
        post("/api/chat/conversations/{id}/admins/{username}", |req, cx, p| {
            Box::pin(conversations::make_admin(req, cx, p.get("id"), p.get("username")))
        }),
        get("/api/chat/conversations/{id}/receipts", |req, cx, p| {
            Box::pin(conversations::receipts(req, cx, p.get("id")))
        }),
        post("/api/chat/conversations/{id}/media", |req, cx, p| {
            Box::pin(media::upload(req, cx, p.get("id")))
        }),
        get("/api/chat/media/{id}", |req, cx, p| Box::pin(media::download(req, cx, p.get("id")))),
        get("/api/chat/media/{id}/thumbnail", |req, cx, p| Box::pin(media::thumbnail(req, cx, p.get("id")))),
        put("/api/chat/devices/{device}", |req, cx, p| Box::pin(keys::publish(req, cx, p.get("device")))),
        delete("/api/chat/devices/{device}", |req, cx, p| Box::pin(keys::forget(req, cx, p.get("device")))),
        get("/api/chat/users/{username}/keys", |req, cx, p| {
            Box::pin(keys::of_person(req, cx, p.get("username")))
        }),
        post("/api/chat/conversations/{id}/to-device", |req, cx, p| {
            Box::pin(to_device::send(req, cx, p.get("id")))
        }),
        get("/api/chat/devices/{device}/inbox", |req, cx, p| {
            Box::pin(to_device::inbox(req, cx, p.get("device")))
        }),
        post("/api/chat/devices/{device}/inbox/ack", |req, cx, p| {
            Box::pin(to_device::acknowledge(req, cx, p.get("device")))
        }),
        get("/api/chat/socket", |req, cx, _| Box::pin(hub::socket(req, cx))),
        get("/api/chat/search", |req, cx, _| Box::pin(search::search(req, cx))),
        get("/api/chat/conversations/{id}/messages", |req, cx, p| {
            Box::pin(messages::list(req, cx, p.get("id")))
        }),
        post("/api/chat/conversations/{id}/messages", |req, cx, p| {
            Box::pin(messages::send(req, cx, p.get("id")))
        }),
        patch("/api/chat/conversations/{id}/messages/{seq}", |req, cx, p| {
            Box::pin(messages::edit(req, cx, p.get("id"), p.get("seq")))
        }),
        delete("/api/chat/conversations/{id}/messages/{seq}", |req, cx, p| {
            Box::pin(messages::delete(req, cx, p.get("id"), p.get("seq")))
        }),
        put("/api/chat/conversations/{id}/messages/{seq}/reaction", |req, cx, p| {
            Box::pin(messages::react(req, cx, p.get("id"), p.get("seq")))
        }),
        delete("/api/chat/conversations/{id}/messages/{seq}/reaction", |req, cx, p| {
            Box::pin(messages::unreact(req, cx, p.get("id"), p.get("seq")))
        }),
        get("/api/chat/conversations/{id}/messages/{seq}/versions", |req, cx, p| {
            Box::pin(messages::versions(req, cx, p.get("id"), p.get("seq")))
        }),
        get("/api/chat/push/key", |req, cx, _| Box::pin(push::key(req, cx))),
        get("/api/chat/push/subscriptions", |req, cx, _| Box::pin(push::subscriptions(req, cx))),
        post("/api/chat/push/subscriptions", |req, cx, _| Box::pin(push::subscribe(req, cx))),
        delete("/api/chat/push/subscriptions", |req, cx, _| Box::pin(push::unsubscribe(req, cx))),
    ],
    mounts: &[],
    openapi: ChatApi::openapi,
    jobs: &[
        Job {
            name: "collected unsent chat files",
            run: |env, now_ms| Box::pin(async move { Ok(media::collect_unsent(env, now_ms).await?) }),
        },
        Job {
            name: "dropped to-device envelopes nobody fetched in 30 days",
            run: |env, now_ms| Box::pin(async move { Ok(to_device::drop_unfetched(env, now_ms).await?) }),
        },
    ],
    consumers: &[],
    demo: Some(|cx| Box::pin(demo::seed(&cx.env, cx.now_ms))),
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
        contacts::update_settings,
        conversations::create,
        conversations::list,
        conversations::get,
        conversations::rename,
        conversations::add_members,
        conversations::remove_member,
        conversations::make_admin,
        conversations::receipts,
        messages::send,
        messages::list,
        messages::edit,
        messages::delete,
        messages::react,
        messages::unreact,
        messages::versions,
        search::search,
        keys::publish,
        keys::forget,
        keys::of_person,
        to_device::send,
        to_device::inbox,
        to_device::acknowledge,
        media::upload,
        media::download,
        media::thumbnail,
        hub::socket,
        push::key,
        push::subscriptions,
        push::subscribe,
        push::unsubscribe
    ),
    components(schemas(
        ContactRequest,
        ContactView,
        ContactList,
        Status,
        ChatSettings,
        UpdateChatSettings,
        CreateConversation,
        ConversationView,
        ConversationList,
        MemberView,
        LastMessage,
        MemberReceipt,
        ReceiptList,
        MediaView,
        MediaKind,
        PublishKeys,
        DeviceKeys,
        DeviceKeyList,
        SendToDevice,
        ToDeviceMessage,
        ToDeviceQueued,
        ToDeviceItem,
        ToDeviceList,
        ToDeviceAck,
        media::UploadForm,
        Kind,
        Role,
        RenameConversation,
        AddMembers,
        SendMessage,
        MessagePage,
        MessageFrame,
        ReactionView,
        EditMessage,
        React,
        MessageVersion,
        MessageVersions,
        SearchHit,
        SearchResults,
        shared::chat::push::PushKey,
        shared::chat::push::PushSubscription,
        shared::chat::push::PushKeys,
        shared::chat::push::PushEndpoint,
        shared::chat::push::PushSubscriptionView,
        shared::chat::push::PushSubscriptionList
    )),
    tags((name = "chat", description = "Chat: contacts, privacy, conversations and their messages"))
)]
struct ChatApi;
