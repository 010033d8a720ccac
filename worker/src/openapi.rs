//! `GET /api/openapi.json`: the OpenAPI 3.1 document, generated from the handlers' attributes
//! and the `shared` wire types: each product's part (`Product::openapi`) merged into one.

use crate::{
    health,
    http::{ApiResult, OrInternal},
    product::Product,
};
use shared::error::{ErrorBody, ErrorCode, ErrorEnvelope};
use utoipa::{
    openapi::{
        path::{Operation, ParameterIn},
        response::ResponseBuilder,
        security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme},
        Content, Ref,
    },
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

/// The whole document: the root, then each product's part in the order of the list, then the
/// error responses they all share.
pub fn document(products: &[&Product]) -> utoipa::openapi::OpenApi {
    let mut doc = Root::openapi();
    doc.info.version = health::build_version();
    for product in products {
        doc.merge((product.openapi)());
    }
    add_shared_errors(&mut doc, products);
    doc
}

/// The error responses every operation shares, added here in one place rather than by hand on
/// each handler: what the router's gate and the JSON reader answer before a handler decides
/// anything. An operation's own description of a status wins. A product's mounted API (Pay's
/// `/v1`) refers to its own error schema, everything else to `ErrorEnvelope`.
fn add_shared_errors(doc: &mut utoipa::openapi::OpenApi, products: &[&Product]) {
    for (path, item) in doc.paths.paths.iter_mut() {
        let mount = products.iter().flat_map(|p| p.mounts.iter()).find(|m| m.owns(path));
        let errors = SharedErrors {
            schema: mount.map_or("ErrorEnvelope", |m| m.error_schema),
            mounted: mount.is_some(),
        };
        let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
        for operation in operations.into_iter().flatten() {
            errors.add_to(operation);
        }
    }
}

struct SharedErrors {
    schema: &'static str,
    /// Razorpay's shape: a broken rule is its 400, not the project's 422.
    mounted: bool,
}

impl SharedErrors {
    fn add_to(&self, operation: &mut Operation) {
        let takes =
            |place: ParameterIn| operation.parameters.iter().flatten().any(|p| p.parameter_in == place);
        let (query, path) = (takes(ParameterIn::Query), takes(ParameterIn::Path));
        let json_body = operation
            .request_body
            .as_ref()
            .is_some_and(|body| body.content.keys().any(|media| media.starts_with("application/json")));
        let signed_in = operation.security.as_ref().is_some_and(|ways| !ways.is_empty());
        let invalid = if self.mounted { "400" } else { "422" };
        let mut statuses = Vec::new();
        if json_body {
            statuses.push(("400", "The body is not JSON"));
            statuses.push(("413", "The body is larger than 64 KiB"));
            statuses.push(("415", "The body is not `application/json`"));
            statuses.push((
                invalid,
                "A field is missing, has the wrong type or breaks a rule (`field` names it)",
            ));
        }
        if signed_in {
            statuses.push(("401", "Not signed in, or the credentials are wrong"));
        }
        if query {
            statuses.push((invalid, "A query parameter is not valid"));
        }
        if path {
            // A path segment can also reshape the path (`.` or `..`), reaching no route, or
            // another route that takes other methods.
            statuses.push(("404", "Nothing with this id is yours, or no such path"));
            statuses.push(("405", "The path reached takes other methods (see Allow)"));
        }
        let responses = &mut operation.responses.responses;
        for (status, description) in statuses {
            responses.entry(status.to_owned()).or_insert_with(|| {
                ResponseBuilder::new()
                    .description(description)
                    .content("application/json", Content::new(Some(Ref::from_schema_name(self.schema))))
                    .into()
            });
        }
    }
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

#[cfg(test)]
mod tests {
    use crate::products::PRODUCTS;
    use serde_json::Value;

    fn operation(path: &str, method: &str) -> Value {
        let doc = serde_json::to_value(super::document(PRODUCTS)).expect("the document serialises");
        doc["paths"][path][method].clone()
    }

    fn error_schema(operation: &Value, status: &str) -> String {
        operation["responses"][status]["content"]["application/json"]["schema"]["$ref"]
            .as_str()
            .unwrap_or_else(|| panic!("{status} is documented with a schema: {operation}"))
            .to_owned()
    }

    /// Merging keeps one schema per name, so two products with a type of the same name would
    /// document one of them wrongly (Lockers' and Pay's `WebhookView` once did).
    #[test]
    fn no_two_products_give_one_schema_name_two_shapes() {
        let mut seen: std::collections::BTreeMap<String, (&str, Value)> = Default::default();
        for product in PRODUCTS {
            let part = serde_json::to_value((product.openapi)()).expect("the part serialises");
            for (name, schema) in part["components"]["schemas"].as_object().into_iter().flatten() {
                match seen.get(name) {
                    Some((owner, earlier)) => {
                        assert_eq!(earlier, schema, "{owner} and {} both name a schema {name}", product.name)
                    }
                    None => {
                        seen.insert(name.clone(), (product.name, schema.clone()));
                    }
                }
            }
        }
    }

    #[test]
    fn a_json_body_documents_the_readers_refusals() {
        let register = operation("/api/auth/register", "post");
        for status in ["400", "413", "415", "422"] {
            assert_eq!(error_schema(&register, status), "#/components/schemas/ErrorEnvelope");
        }
    }

    #[test]
    fn signed_in_operations_document_401_and_query_parameters_422() {
        let reviews = operation("/api/pay/reviews", "get");
        assert_eq!(error_schema(&reviews, "401"), "#/components/schemas/ErrorEnvelope");
        assert_eq!(error_schema(&reviews, "422"), "#/components/schemas/ErrorEnvelope");
    }

    #[test]
    fn a_mounted_api_refers_to_its_own_error_shape() {
        let orders = operation("/v1/orders", "post");
        for status in ["400", "401", "413", "415"] {
            assert_eq!(error_schema(&orders, status), "#/components/schemas/RazorpayErrorEnvelope");
        }
        assert!(orders["responses"].get("422").is_none(), "Razorpay's shape has no 422");
    }

    #[test]
    fn a_handlers_own_description_wins() {
        let login = operation("/api/auth/login", "post");
        let described = login["responses"]["401"]["description"].as_str().unwrap_or_default();
        assert!(described.contains("never says which"), "{described}");
    }
}
