//! `/api/auth` from the browser.

use crate::api;
use shared::{
    auth::wire::{
        ApiKeyList, CreateApiKeyRequest, CreatedApiKey, LoginRequest, RegisterRequest, UpdateMeRequest,
        UserView,
    },
    ApiError,
};

pub async fn register(request: &RegisterRequest) -> Result<UserView, ApiError> {
    api::post("/api/auth/register", request).await
}

pub async fn login(request: &LoginRequest) -> Result<UserView, ApiError> {
    api::post("/api/auth/login", request).await
}

pub async fn update_me(request: &UpdateMeRequest) -> Result<UserView, ApiError> {
    api::patch("/api/auth/me", request).await
}

pub async fn list_keys() -> Result<ApiKeyList, ApiError> {
    api::get("/api/auth/keys").await
}

pub async fn create_key(label: String) -> Result<CreatedApiKey, ApiError> {
    api::post("/api/auth/keys", &CreateApiKeyRequest { label }).await
}

pub async fn revoke_key(id: &str) -> Result<(), ApiError> {
    api::delete(&format!("/api/auth/keys/{id}")).await
}
