//! `GET /api/openapi.json`: the OpenAPI 3.1 document, generated from the handlers' attributes
//! and the `shared` wire types: each product's part (`Product::openapi`) merged into one.

use crate::{
    health,
    http::{ApiResult, OrInternal},
    product::Product,
};
use shared::error::{ErrorBody, ErrorCode, ErrorEnvelope};
use utoipa::{
    openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme},
    Modify, OpenApi,
};
use worker::Response;

/// What every product's part shares: the title, the error shape and the ways to sign in.
#[derive(OpenApi)]
#[openapi(
    info(title = "Dozen API", description = "Twelve products on one edge worker. Errors: {\"error\":{\"code\",\"message\",\"field?\"}}."),
    components(schemas(ErrorEnvelope, ErrorBody, ErrorCode)),
    modifiers(&SecuritySchemes),
)]
struct Root;

/// The whole document: the root, then each product's part in the order of the list.
pub fn document(products: &[&Product]) -> utoipa::openapi::OpenApi {
    let mut doc = Root::openapi();
    doc.info.version = health::build_version();
    for product in products {
        doc.merge((product.openapi)());
    }
    doc
}

/// The Dozen account's two ways in: the session cookie (people) and API keys (programs).
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(shared::auth::cookie::SESSION_COOKIE))),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("dzk_…").build(),
            ),
        );
    }
}

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "meta",
    responses((status = 200, description = "OpenAPI 3.1 document", content_type = "application/json")))]
pub fn openapi_json(products: &[&Product]) -> ApiResult {
    let body = serde_json::to_string(&document(products)).internal("OpenAPI")?;
    let mut response = Response::ok(body).internal("OpenAPI")?;
    response.headers_mut().set("Content-Type", "application/json").internal("OpenAPI")?;
    Ok(response)
}
