//! The one route table of the worker. `/api/*` goes to the product handlers; everything else
//! (SPA routes, future short codes) to `pages`.

use crate::{
    auth, health,
    http::{error_response, header, method_not_allowed, ApiResult, Cx},
    openapi, pages,
};
use shared::{auth::cookie::is_cross_site, ApiError, ErrorCode};
use worker::{Method, Request, Response};

pub async fn dispatch(mut req: Request, cx: &Cx) -> Response {
    let path = req.path();
    if path == "/api" || path.starts_with("/api/") {
        return api(&mut req, cx, &path).await.unwrap_or_else(|err| error_response(&err));
    }
    pages::serve(req, cx).await
}

/// The API endpoints, each with the methods it accepts.
enum Endpoint<'a> {
    Health,
    OpenApi,
    Register,
    Login,
    Logout,
    Me,
    Keys,
    Key(&'a str),
}

impl<'a> Endpoint<'a> {
    fn from_path(segments: &[&'a str]) -> Option<Self> {
        Some(match segments {
            ["health"] => Self::Health,
            ["openapi.json"] => Self::OpenApi,
            ["auth", "register"] => Self::Register,
            ["auth", "login"] => Self::Login,
            ["auth", "logout"] => Self::Logout,
            ["auth", "me"] => Self::Me,
            ["auth", "keys"] => Self::Keys,
            ["auth", "keys", id] => Self::Key(id),
            _ => return None,
        })
    }

    fn allowed(&self) -> &'static [Method] {
        match self {
            Self::Health | Self::OpenApi => &[Method::Get],
            Self::Register | Self::Login | Self::Logout => &[Method::Post],
            Self::Me => &[Method::Get, Method::Patch],
            Self::Keys => &[Method::Get, Method::Post],
            Self::Key(_) => &[Method::Delete],
        }
    }
}

async fn api(req: &mut Request, cx: &Cx, path: &str) -> ApiResult {
    let segments: Vec<&str> = path.trim_start_matches("/api").trim_matches('/').split('/').collect();
    let endpoint = Endpoint::from_path(&segments)
        .ok_or_else(|| ApiError::not_found(format!("No API endpoint at {path}. See /api/openapi.json.")))?;
    // HEAD is GET without the body (the runtime drops it).
    let method = match req.method() {
        Method::Head => Method::Get,
        other => other,
    };
    if !endpoint.allowed().contains(&method) {
        return Err(method_not_allowed(&method, endpoint.allowed()));
    }
    refuse_cross_site(req, cx, &method)?;
    match (endpoint, method) {
        (Endpoint::Health, _) => health::get(cx).await,
        (Endpoint::OpenApi, _) => openapi::openapi_json(),
        (Endpoint::Register, _) => auth::api::register(req, cx).await,
        (Endpoint::Login, _) => auth::api::login(req, cx).await,
        (Endpoint::Logout, _) => auth::api::logout(req, cx).await,
        (Endpoint::Me, Method::Get) => auth::api::me(req, cx).await,
        (Endpoint::Me, _) => auth::api::update_me(req, cx).await,
        (Endpoint::Keys, Method::Get) => auth::api::list_keys(req, cx).await,
        (Endpoint::Keys, _) => auth::api::create_key(req, cx).await,
        (Endpoint::Key(id), _) => auth::api::revoke_key(req, cx, id).await,
    }
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
