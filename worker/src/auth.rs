//! Accounts at the edge: `/api/auth` handlers, their D1 storage, and working out who is asking.

pub mod api;
pub mod demo;
pub mod guard;
pub mod identity;
pub mod store;

use crate::{
    product::Product,
    router::{delete, get, patch, post},
};
use shared::auth::wire::{
    ApiKeyList, ApiKeyView, CreateApiKeyRequest, CreatedApiKey, LoginRequest, RegisterRequest,
    UpdateMeRequest, UserView,
};
use utoipa::OpenApi;

pub const PRODUCT: Product = Product {
    name: "auth",
    routes: &[
        post("/api/auth/register", |req, cx, _| Box::pin(api::register(req, cx))),
        post("/api/auth/login", |req, cx, _| Box::pin(api::login(req, cx))),
        post("/api/auth/logout", |req, cx, _| Box::pin(api::logout(req, cx))),
        get("/api/auth/me", |req, cx, _| Box::pin(api::me(req, cx))),
        patch("/api/auth/me", |req, cx, _| Box::pin(api::update_me(req, cx))),
        get("/api/auth/keys", |req, cx, _| Box::pin(api::list_keys(req, cx))),
        post("/api/auth/keys", |req, cx, _| Box::pin(api::create_key(req, cx))),
        delete("/api/auth/keys/{id}", |req, cx, p| Box::pin(api::revoke_key(req, cx, p.get("id")))),
    ],
    mounts: &[],
    openapi: AuthApi::openapi,
    jobs: &[],
    consumers: &[],
    demo: Some(|cx| Box::pin(demo::seed(&cx.env, cx.now_ms))),
};

#[derive(OpenApi)]
#[openapi(
    paths(
        api::register,
        api::login,
        api::logout,
        api::me,
        api::update_me,
        api::create_key,
        api::list_keys,
        api::revoke_key
    ),
    components(schemas(
        RegisterRequest,
        LoginRequest,
        UserView,
        UpdateMeRequest,
        CreateApiKeyRequest,
        CreatedApiKey,
        ApiKeyView,
        ApiKeyList
    )),
    tags((name = "auth", description = "Accounts, sessions and API keys"))
)]
struct AuthApi;
