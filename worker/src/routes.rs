//! Where a request goes: a product's own dispatcher for the prefixes it mounts (Pay's `/v1`),
//! the products' route tables for the JSON API, and `pages` for everything else (SPA routes,
//! short codes). Every JSON endpoint passes the same gate: HEAD as GET, 405 with `Allow`, the
//! cross-site refusal, and `Idempotency-Key` for mutations.

use crate::{
    demo,
    http::{error_response, header, method_not_allowed, ApiResult, Cx},
    idempotency, links, pages, products,
    router::{self, Handler, Lookup},
    scheduled,
};
use shared::{auth::cookie::is_cross_site, ApiError, ErrorCode};
use worker::{Method, Request, Response};

pub async fn dispatch(mut req: Request, cx: &Cx) -> Response {
    let path = req.path();
    let local_trigger = scheduled::LOCAL_TRIGGER_PATHS.contains(&path.as_str()) || path == demo::LOCAL_PATH;
    if local_trigger && links::config::is_local(&cx.env) {
        // Local only, and never from a page on another site that the developer happens to open.
        if let Err(err) = refuse_cross_site(&req, cx, &req.method()) {
            return error_response(&err);
        }
        return match path.as_str() {
            demo::LOCAL_PATH => demo::run_locally(&req, cx).await,
            _ => scheduled::run_locally(&req, cx).await,
        };
    }
    let mounts = products::PRODUCTS.iter().flat_map(|product| product.mounts.iter());
    if let Some(mount) = mounts.into_iter().find(|mount| mount.owns(&path)) {
        return (mount.dispatch)(&mut req, cx, &path).await;
    }
    let method = req.method();
    let result = match router::find(&products::routes(), &method, &path) {
        Lookup::Route(route, params) => api(&mut req, cx, &path, route.handler, &params).await,
        Lookup::OtherMethods(allowed) => Err(method_not_allowed(&without_head(method), &allowed)),
        Lookup::NotFound if path == "/api" || path.starts_with("/api/") => {
            Err(ApiError::not_found(format!("No API endpoint at {path}. See /api/openapi.json.")))
        }
        Lookup::NotFound => return pages::serve(req, cx).await,
    };
    result.unwrap_or_else(|err| error_response(&err))
}

/// HEAD is GET without the body (the runtime drops it).
fn without_head(method: Method) -> Method {
    match method {
        Method::Head => Method::Get,
        other => other,
    }
}

async fn api(
    req: &mut Request,
    cx: &Cx,
    path: &str,
    handler: Handler,
    params: &router::Params<'_>,
) -> ApiResult {
    let method = without_head(req.method());
    refuse_cross_site(req, cx, &method)?;
    let ticket = match idempotency::begin(req, cx, &method, path).await? {
        idempotency::Start::Replay(response) => return Ok(response),
        idempotency::Start::Run(ticket) => ticket,
    };
    let result = handler(req, cx, params).await;
    idempotency::finish(ticket, result, cx).await
}

/// A state-changing request made by a browser on another site is refused, so cookies can never
/// be used to forge one. Programs with an API key in `Authorization` are not browsers' victims.
fn refuse_cross_site(req: &Request, cx: &Cx, method: &Method) -> Result<(), ApiError> {
    let safe = matches!(method, Method::Get | Method::Head | Method::Options);
    if safe || header(req, "Authorization").is_some() {
        return Ok(());
    }
    let origin = header(req, "Origin");
    let fetch_site = header(req, "Sec-Fetch-Site");
    if is_cross_site(&cx.own_origin, origin.as_deref(), fetch_site.as_deref()) {
        return Err(ApiError::new(
            ErrorCode::CrossSiteRequest,
            "This request came from another site and was refused.",
        ));
    }
    Ok(())
}
