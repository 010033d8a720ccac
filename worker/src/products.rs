//! The one list of products. The router, the OpenAPI document and the Cron Trigger iterate it;
//! adding a product is its folder plus one line here.

use crate::{
    auth, chat, cricket, health, idempotency, links, lockers, news, openapi, pay, poker,
    product::{Job, Product},
    router::{get, Route},
};
use shared::auth::wire::Health;
use utoipa::OpenApi;

pub const PRODUCTS: &[&Product] = &[
    &PLATFORM,
    &auth::PRODUCT,
    &links::PRODUCT,
    &pay::PRODUCT,
    &chat::PRODUCT,
    &poker::PRODUCT,
    &lockers::PRODUCT,
    &cricket::PRODUCT,
    &news::PRODUCT,
];

/// The platform's own endpoints: health, liveness and the OpenAPI document.
const PLATFORM: Product = Product {
    name: "platform",
    routes: &[
        get("/api/health", |_, cx, _| Box::pin(health::get(cx))),
        get("/api/ping", |_, _, _| Box::pin(async { health::ping() })),
        get("/api/openapi.json", |_, _, _| Box::pin(async { openapi::openapi_json(PRODUCTS) })),
    ],
    mounts: &[],
    openapi: PlatformApi::openapi,
    jobs: &[Job {
        name: "forgot expired Idempotency-Key answers",
        run: |env, now_ms| Box::pin(async move { Ok(idempotency::forget_expired(env, now_ms).await?) }),
    }],
    consumers: &[],
    demo: None,
};

#[derive(OpenApi)]
#[openapi(
    paths(health::get, health::ping, openapi::openapi_json),
    components(schemas(Health)),
    tags((name = "meta", description = "Health and this document"))
)]
struct PlatformApi;

/// Every product's endpoints, in the order of the list.
pub fn routes() -> Vec<&'static [Route]> {
    PRODUCTS.iter().map(|product| product.routes).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// (method, path) of every operation in the document.
    fn documented() -> BTreeSet<(String, String)> {
        let doc = openapi::document(PRODUCTS);
        let json = serde_json::to_value(&doc).expect("the document serialises");
        let mut operations = BTreeSet::new();
        for (path, item) in json["paths"].as_object().expect("paths") {
            for method in item.as_object().expect("a path item").keys() {
                operations.insert((method.to_uppercase(), path.clone()));
            }
        }
        operations
    }

    /// (method, path) of every route the router and the products' own dispatchers take.
    fn routed() -> BTreeSet<(String, String)> {
        let api = PRODUCTS.iter().flat_map(|p| p.routes.iter()).map(|r| (r.method.clone(), r.path));
        let mounted = PRODUCTS.iter().flat_map(|p| p.mounts.iter()).flat_map(|m| (m.documented_routes)());
        api.chain(mounted).map(|(method, path)| (method.as_ref().to_owned(), path.to_owned())).collect()
    }

    #[test]
    fn the_document_lists_exactly_the_routes() {
        assert_eq!(documented(), routed());
    }

    #[test]
    fn no_two_routes_take_the_same_method_and_path() {
        let all: Vec<_> =
            PRODUCTS.iter().flat_map(|p| p.routes.iter()).map(|r| (r.method.clone(), r.path)).collect();
        let distinct: BTreeSet<_> = all.iter().map(|(m, p)| (m.as_ref().to_owned(), *p)).collect();
        assert_eq!(all.len(), distinct.len());
    }
}
