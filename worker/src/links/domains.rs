//! Custom short domains: `/api/domains` to register, list and remove them, and which domain
//! namespace a request's Host names (a registered hostname, or '' for the main host).

use crate::{
    auth::identity,
    http::{json, no_content, read_json, ApiResult, Cx},
    links::{
        config,
        store::domains::{self as stored, DomainRow},
    },
};
use shared::{
    error::ErrorEnvelope,
    links::domain::{normalize_hostname, DomainList, DomainView, RegisterDomainRequest},
    time::Timestamp,
    ttl_cache::TtlCache,
    ApiError, ErrorCode,
};
use std::cell::RefCell;
use worker::Request;

/// How many domains one account may hold.
const MAX_DOMAINS: i64 = 20;
/// How long an isolate trusts its answer to "is this Host a custom domain?".
const HOST_CACHE_MS: i64 = 30_000;

/// How many hosts an isolate remembers (the Host header is the client's to choose).
const HOST_CACHE_SIZE: usize = 1_024;

thread_local! {
    /// Host → is a registered domain. The main host is asked about on every redirect; this keeps
    /// that to one D1 read per host per isolate per half minute.
    static HOSTS: RefCell<TtlCache<String, bool>> = RefCell::new(TtlCache::new(HOST_CACHE_SIZE, HOST_CACHE_MS));
}

fn view(row: &DomainRow) -> DomainView {
    DomainView { hostname: row.hostname.clone(), created_at: Timestamp(row.created_at) }
}

fn forget_host(hostname: &str) {
    HOSTS.with(|h| h.borrow_mut().remove(&hostname.to_owned()));
}

/// The namespace of a request to `host` (without port): the hostname if it is a registered
/// custom domain, else '' (the main host).
pub async fn namespace_for_host(cx: &Cx, host: &str) -> Result<String, ApiError> {
    let host = host.to_ascii_lowercase();
    let cached = HOSTS.with(|h| h.borrow_mut().get(&host, cx.now_ms).copied());
    let registered = match cached {
        Some(registered) => registered,
        None => {
            let row = stored::get(&cx.db()?, &host).await?;
            HOSTS.with(|h| h.borrow_mut().insert(host.clone(), row.is_some(), cx.now_ms));
            row.is_some()
        }
    };
    Ok(if registered { host } else { String::new() })
}

/// The namespace a signed-in user names with `domain`: '' when absent, the hostname when it
/// is theirs, else 422.
pub async fn owned_namespace(
    cx: &Cx,
    user_id: Option<&str>,
    requested: Option<&str>,
) -> Result<String, ApiError> {
    let Some(requested) = requested.map(str::trim).filter(|d| !d.is_empty()) else {
        return Ok(String::new());
    };
    let not_yours = || ApiError::invalid("domain", format!("You have no short domain named {requested}."));
    let hostname = normalize_hostname(requested, &[]).map_err(|_| not_yours())?;
    let Some(user_id) = user_id else { return Err(not_yours()) };
    let row = stored::owned(&cx.db()?, &hostname, user_id).await?;
    row.map(|r| r.hostname).ok_or_else(not_yours)
}

/// Register a custom short domain. Point its DNS at Dozen; its root paths then resolve your
/// codes on it (the same alias may exist on two domains).
#[utoipa::path(post, path = "/api/domains", tag = "links", request_body = RegisterDomainRequest,
    security(("session" = []), ("api_key" = [])),
    responses(
        (status = 201, body = DomainView),
        (status = 401, body = ErrorEnvelope),
        (status = 409, description = "Registered already (by you or someone else), or too many domains", body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope),
    ))]
pub async fn register(req: &mut Request, cx: &Cx) -> ApiResult {
    let identity = identity::require(req, cx).await?;
    let request = read_json::<RegisterDomainRequest>(req).await?;
    let own_host = cx
        .own_origin
        .split("://")
        .nth(1)
        .unwrap_or_default()
        .split(':')
        .next()
        .unwrap_or_default()
        .to_owned();
    let own = config::own_hosts(&cx.env, &own_host);
    let own: Vec<&str> = own.iter().map(String::as_str).collect();
    let hostname = normalize_hostname(&request.hostname, &own)?;
    let db = cx.db()?;
    if stored::count_of(&db, &identity.user.id).await? >= MAX_DOMAINS {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!("You have {MAX_DOMAINS} domains, the most allowed."),
        ));
    }
    if !stored::insert(&db, &hostname, &identity.user.id, cx.now_ms).await? {
        return Err(ApiError {
            field: Some("hostname".into()),
            ..ApiError::new(ErrorCode::Conflict, "This domain is registered already.")
        });
    }
    forget_host(&hostname);
    json(201, &DomainView { hostname, created_at: Timestamp(cx.now_ms) })
}

/// Your custom short domains.
#[utoipa::path(get, path = "/api/domains", tag = "links",
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = DomainList), (status = 401, body = ErrorEnvelope)))]
pub async fn list(req: &mut Request, cx: &Cx) -> ApiResult {
    let identity = identity::require(req, cx).await?;
    let rows = stored::list(&cx.db()?, &identity.user.id).await?;
    json(200, &DomainList { domains: rows.iter().map(view).collect() })
}

/// Remove one of your domains. Refused (409) while links live on it.
#[utoipa::path(delete, path = "/api/domains/{hostname}", tag = "links",
    params(("hostname" = String, Path)),
    security(("session" = []), ("api_key" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope),
        (status = 409, description = "Links still use it", body = ErrorEnvelope),
    ))]
pub async fn remove(req: &mut Request, cx: &Cx, hostname: &str) -> ApiResult {
    let identity = identity::require(req, cx).await?;
    let hostname = hostname.to_ascii_lowercase();
    let db = cx.db()?;
    let row = stored::owned(&db, &hostname, &identity.user.id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("You have no short domain named {hostname}.")))?;
    if stored::links_on(&db, &row.hostname).await? > 0 {
        return Err(ApiError::new(ErrorCode::Conflict, "Links still use this domain; delete them first."));
    }
    stored::remove(&db, &row.hostname).await?;
    forget_host(&row.hostname);
    no_content()
}
