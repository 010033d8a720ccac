//! `/api/auth` from the browser, and the account rules more than one bundle checks as you type.

use crate::{api, components::field::Rule};
use shared::{
    auth::wire::{
        ApiKeyList, CreateApiKeyRequest, CreatedApiKey, LoginRequest, RegisterRequest, UpdateMeRequest,
        UserView,
    },
    ApiError,
};

/// An email address as the worker accepts it (sign-up in the shell, the account page).
pub const EMAIL_RULE: Rule = |v| shared::auth::validation::normalize_email(v).map(drop);

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

pub async fn create_key(label: String, key: &str) -> Result<CreatedApiKey, ApiError> {
    api::post_once("/api/auth/keys", &CreateApiKeyRequest { label }, key).await
}

pub async fn revoke_key(id: &str) -> Result<(), ApiError> {
    api::delete(&format!("/api/auth/keys/{id}")).await
}
