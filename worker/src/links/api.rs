//! `/api/links` (and the seed's `POST /shorten`): create, list, read, edit and delete short
//! links, and their statistics. Only the owner sees or changes a link; anyone else gets 404.

use crate::{
    auth::identity::{self, Credential, Identity},
    http::{internal, json, no_content, read_json, with_headers, ApiResult, Cx, OrInternal},
    links::{
        clicks, codes, config, domains,
        store::{self, LinkRow, ListQuery},
    },
    password::{self, random},
    rate_limit,
};
use shared::{
    error::ErrorEnvelope,
    ids::TimeId,
    links::{
        alias::validate_alias,
        code::is_generated_code_shape,
        limits::{ACCOUNT_CREATES, ANONYMOUS_CREATES, API_KEY_CREATES},
        qr::svg_for,
        stats::{window, LinkStats, UtcOffset},
        url_rules::{validate_destination, UrlPolicy},
        wire::{
            check_expiry, check_link_password, normalize_tags, CreateLinkRequest, LinkList, LinkView,
            RedirectType, ShortenRequest, ShortenResponse, UpdateLinkRequest,
        },
    },
    time::Timestamp,
    ApiError, ErrorCode,
};
use std::collections::HashMap;
use worker::{Request, Response};

const DEFAULT_PAGE: u32 = 20;
const MAX_PAGE: u32 = 100;

fn query_map(req: &Request) -> HashMap<String, String> {
    req.url().map(|u| u.query_pairs().into_owned().collect()).unwrap_or_default()
}

fn host_of(cx: &Cx) -> String {
    cx.own_origin.split("://").nth(1).unwrap_or_default().to_owned()
}

/// Checks a destination against the URL rules of this deployment.
fn destination(cx: &Cx, url: &str) -> Result<String, ApiError> {
    let own = config::own_hosts(&cx.env, host_of(cx).split(':').next().unwrap_or_default());
    let blocked = config::blocked_domains(&cx.env);
    let own: Vec<&str> = own.iter().map(String::as_str).collect();
    let blocked: Vec<&str> = blocked.iter().map(String::as_str).collect();
    validate_destination(url, &UrlPolicy { own_hosts: &own, blocked_domains: &blocked })
}

fn short_url(cx: &Cx, domain: &str, code: &str) -> String {
    if domain.is_empty() {
        format!("{}/{code}", cx.own_origin)
    } else {
        format!("https://{domain}/{code}")
    }
}

fn view(cx: &Cx, link: &LinkRow) -> LinkView {
    LinkView {
        code: link.code.clone(),
        short_url: short_url(cx, &link.domain, &link.code),
        url: link.url.clone(),
        domain: Some(link.domain.clone()).filter(|d| !d.is_empty()),
        redirect_type: RedirectType::from_status(link.redirect_type).unwrap_or_default(),
        expires_at: link.expires_at.map(Timestamp),
        password_protected: link.password_hash.is_some(),
        tags: link.tag_list(),
        created_at: Timestamp(link.created_at),
        updated_at: Timestamp(link.updated_at),
        clicks: u64::try_from(link.clicks).unwrap_or(0),
    }
}

fn sign_in_for(field: &str, what: &str) -> ApiError {
    ApiError {
        field: Some(field.to_owned()),
        ..ApiError::new(ErrorCode::Unauthenticated, format!("Sign in (or use an API key) to {what}."))
    }
}

/// Counts one creation against the caller's limit: per address when anonymous, per account
/// for a session, per key for an API key. The `RateLimit-*` headers for the response.
async fn count_creation(cx: &Cx, owner: Option<&Identity>) -> Result<Vec<(String, String)>, ApiError> {
    let (bucket, policy) = match owner {
        None => (format!("links-create:ip:{}", cx.client_ip), ANONYMOUS_CREATES),
        Some(Identity { credential: Credential::ApiKey { key_id }, .. }) => {
            (format!("links-create:key:{key_id}"), API_KEY_CREATES)
        }
        Some(identity) => (format!("links-create:user:{}", identity.user.id), ACCOUNT_CREATES),
    };
    let standing = rate_limit::hit(&cx.db()?, &bucket, policy, cx.now_ms).await?;
    Ok(policy.headers(standing))
}

async fn create_link(
    cx: &Cx,
    owner: Option<&Identity>,
    request: CreateLinkRequest,
) -> Result<(u16, LinkRow), ApiError> {
    if owner.is_none() {
        if request.alias.is_some() {
            return Err(sign_in_for("alias", "choose an alias"));
        }
        if request.password.is_some() {
            return Err(sign_in_for("password", "protect a link with a password"));
        }
        if request.domain.is_some() {
            return Err(sign_in_for("domain", "use a custom domain"));
        }
    }
    let url = destination(cx, &request.url)?;
    let domain =
        domains::owned_namespace(cx, owner.map(|o| o.user.id.as_str()), request.domain.as_deref()).await?;
    if let Some(expires_at) = request.expires_at {
        check_expiry(expires_at, cx.now_ms)?;
    }
    let tags = normalize_tags(request.tags.as_deref().unwrap_or_default())?;
    let password_hash = match request.password.as_deref() {
        Some(password) => {
            check_link_password(password)?;
            Some(password::hash(password).await?)
        }
        None => None,
    };
    let user_id = owner.map(|o| o.user.id.clone());
    let db = cx.db()?;
    let plain = request.alias.is_none() && password_hash.is_none() && request.expires_at.is_none();
    if plain && !request.force_new {
        if let Some(existing) = store::reusable(&db, user_id.as_deref(), &domain, &url).await? {
            return Ok((200, existing));
        }
    }
    let (code, is_alias) = match request.alias.as_deref() {
        Some(alias) => {
            let alias = validate_alias(alias)?;
            if is_generated_code_shape(&alias) {
                return Err(ApiError::invalid(
                    "alias",
                    "Seven letters and digits is the shape of generated codes; add a - or _, or use another length.",
                ));
            }
            (alias, 1)
        }
        None => (codes::next_code(&cx.env).await?, 0),
    };
    let link = LinkRow {
        id: TimeId::new(cx.now_ms, random::<10>()?).to_string(),
        domain,
        code,
        url,
        user_id,
        is_alias,
        redirect_type: i64::from(request.redirect_type.unwrap_or_default().status()),
        password_hash,
        expires_at: request.expires_at.map(Timestamp::millis),
        tags: serde_json::to_string(&tags).internal("tags")?,
        created_at: cx.now_ms,
        updated_at: cx.now_ms,
        clicks: 0,
    };
    store::insert(&db, &link).await?;
    Ok((201, link))
}

/// Shorten a URL. Anyone may; signed-in callers may also choose an alias, a password, tags and
/// an expiry, and see statistics. The same URL shortened twice by the same caller returns the
/// first link (200) unless `force_new` is set.
#[utoipa::path(post, path = "/api/links", tag = "links", request_body = CreateLinkRequest,
    security((), ("session" = []), ("api_key" = [])),
    responses(
        (status = 201, description = "Created", body = LinkView),
        (status = 200, description = "You already shortened this URL: the existing link", body = LinkView),
        (status = 401, description = "An alias, password or domain needs an account", body = ErrorEnvelope),
        (status = 409, description = "The alias is taken", body = ErrorEnvelope),
        (status = 422, description = "A rule is broken (`field` says which)", body = ErrorEnvelope),
        (status = 429, description = "Too many links: per address when anonymous (20 per 10 minutes), per account (300) or per API key (1,200); see Retry-After and RateLimit-*", body = ErrorEnvelope),
    ))]
pub async fn create(req: &mut Request, cx: &Cx) -> ApiResult {
    let owner = identity::optional(req, cx).await?;
    let limit_headers = count_creation(cx, owner.as_ref()).await?;
    let request = read_json::<CreateLinkRequest>(req).await?;
    let (status, link) = create_link(cx, owner.as_ref(), request).await?;
    with_headers(json(status, &view(cx, &link))?, &limit_headers)
}

/// The seed's minimal form: `{"url"}` or `{"long_url"}` in, `{"short_url"}` out.
#[utoipa::path(post, path = "/shorten", tag = "links", request_body = ShortenRequest,
    security((), ("session" = []), ("api_key" = [])),
    responses(
        (status = 201, body = ShortenResponse),
        (status = 200, description = "Already shortened", body = ShortenResponse),
        (status = 422, body = ErrorEnvelope),
        (status = 429, description = "Too many links from this address, account or key; see Retry-After", body = ErrorEnvelope),
    ))]
pub async fn shorten(req: &mut Request, cx: &Cx) -> ApiResult {
    let owner = identity::optional(req, cx).await?;
    let limit_headers = count_creation(cx, owner.as_ref()).await?;
    let request = read_json::<ShortenRequest>(req).await?;
    let (status, link) =
        create_link(cx, owner.as_ref(), CreateLinkRequest { url: request.url, ..Default::default() }).await?;
    with_headers(
        json(status, &ShortenResponse { short_url: short_url(cx, &link.domain, &link.code) })?,
        &limit_headers,
    )
}

/// Your links, newest first. `q` searches URLs and codes, `tag` filters; page with `cursor`.
#[utoipa::path(get, path = "/api/links", tag = "links",
    params(
        ("q" = Option<String>, Query, description = "Text in the URL or code"),
        ("tag" = Option<String>, Query),
        ("limit" = Option<u32>, Query, description = "1–100, default 20"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page"),
    ),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = LinkList), (status = 401, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn list(req: &mut Request, cx: &Cx) -> ApiResult {
    let identity = identity::require(req, cx).await?;
    let params = query_map(req);
    let limit = match params.get("limit") {
        None => DEFAULT_PAGE,
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=MAX_PAGE).contains(n))
            .ok_or_else(|| ApiError::invalid("limit", format!("`limit` must be 1 to {MAX_PAGE}.")))?,
    };
    let cursor = params.get("cursor").filter(|c| !c.is_empty());
    if let Some(cursor) = cursor {
        cursor
            .parse::<TimeId>()
            .map_err(|_| ApiError::invalid("cursor", "This cursor is not one we gave out."))?;
    }
    let search = params.get("q").map(|q| q.trim()).filter(|q| !q.is_empty());
    let tag = params.get("tag").map(|t| t.trim().to_lowercase()).filter(|t| !t.is_empty());
    let query = ListQuery {
        user_id: &identity.user.id,
        before_id: cursor.map(String::as_str),
        search,
        tag: tag.as_deref(),
        limit: limit + 1,
    };
    let mut rows = store::list(&cx.db()?, &query).await?;
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next_cursor = if more { rows.last().map(|r| r.id.clone()) } else { None };
    json(200, &LinkList { links: rows.iter().map(|r| view(cx, r)).collect(), next_cursor })
}

async fn owned(req: &Request, cx: &Cx, code: &str) -> Result<(Identity, LinkRow), ApiError> {
    let identity = identity::require(req, cx).await?;
    let domain = domains::owned_namespace(
        cx,
        Some(&identity.user.id),
        query_map(req).get("domain").map(String::as_str),
    )
    .await?;
    let link = store::owned(&cx.db()?, &identity.user.id, &domain, code)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("You have no short link {code}.")))?;
    Ok((identity, link))
}

/// One of your links.
#[utoipa::path(get, path = "/api/links/{code}", tag = "links",
    params(("code" = String, Path)),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = LinkView), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn get(req: &mut Request, cx: &Cx, code: &str) -> ApiResult {
    let (_, link) = owned(req, cx, code).await?;
    json(200, &view(cx, &link))
}

/// Change the destination, expiry, password, tags or redirect type; `null` clears expiry and password.
#[utoipa::path(patch, path = "/api/links/{code}", tag = "links", request_body = UpdateLinkRequest,
    params(("code" = String, Path)),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = LinkView), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn update(req: &mut Request, cx: &Cx, code: &str) -> ApiResult {
    let (_, mut link) = owned(req, cx, code).await?;
    let change = read_json::<UpdateLinkRequest>(req).await?;
    if let Some(url) = change.url.as_deref() {
        link.url = destination(cx, url)?;
    }
    if let Some(expires_at) = change.expires_at {
        if let Some(t) = expires_at {
            check_expiry(t, cx.now_ms)?;
        }
        link.expires_at = expires_at.map(Timestamp::millis);
    }
    if let Some(redirect_type) = change.redirect_type {
        link.redirect_type = i64::from(redirect_type.status());
    }
    if let Some(tags) = change.tags.as_deref() {
        link.tags = serde_json::to_string(&normalize_tags(tags)?).internal("tags")?;
    }
    if let Some(password) = change.password {
        link.password_hash = match password {
            Some(p) => {
                check_link_password(&p)?;
                Some(password::hash(&p).await?)
            }
            None => None,
        };
    }
    link.updated_at = cx.now_ms;
    store::update(&cx.db()?, &link).await?;
    let kv = cx.env.kv("KV").internal("KV binding")?;
    store::cache_purge(&kv, &link.domain, &link.code).await?;
    json(200, &view(cx, &link))
}

/// Delete one of your links (and its clicks). The code stops redirecting at once here, and
/// within a minute everywhere (KV's propagation).
#[utoipa::path(delete, path = "/api/links/{code}", tag = "links",
    params(("code" = String, Path)),
    security(("session" = []), ("api_key" = [])),
    responses((status = 204, description = "Deleted"), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn delete(req: &mut Request, cx: &Cx, code: &str) -> ApiResult {
    let (_, link) = owned(req, cx, code).await?;
    store::delete(&cx.db()?, &link.id).await?;
    let kv = cx.env.kv("KV").internal("KV binding")?;
    store::cache_purge(&kv, &link.domain, &link.code).await?;
    no_content()
}

/// Clicks of one of your links: totals, unique visitors, per day in `tz`, and breakdowns.
#[utoipa::path(get, path = "/api/links/{code}/stats", tag = "links",
    params(
        ("code" = String, Path),
        ("from" = Option<String>, Query, description = "RFC 3339; default 30 days before `to`"),
        ("to" = Option<String>, Query, description = "RFC 3339; default now"),
        ("tz" = Option<String>, Query, description = "UTC offset for days, e.g. +05:30; default UTC"),
    ),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = LinkStats), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn stats(req: &mut Request, cx: &Cx, code: &str) -> ApiResult {
    let (_, link) = owned(req, cx, code).await?;
    let params = query_map(req);
    let (from, to) =
        window(params.get("from").map(String::as_str), params.get("to").map(String::as_str), cx.now_ms)?;
    let offset = UtcOffset::parse(params.get("tz").map(String::as_str).unwrap_or_default())?;
    let stats = clicks::stats(&cx.env, &link.id, &link.code, from, to, offset).await?;
    json(200, &stats)
}

/// The link's QR code as SVG (`size` 64–2048 pixels, default 256). Public: it encodes only the
/// short URL, which anyone holding the code already has.
#[utoipa::path(get, path = "/api/links/{code}/qr", tag = "links",
    params(
        ("code" = String, Path),
        ("size" = Option<u32>, Query, description = "Minimum width in pixels, 64–2048; default 256"),
    ),
    responses(
        (status = 200, description = "SVG image", content_type = "image/svg+xml"),
        (status = 404, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope),
    ))]
pub async fn qr(req: &mut Request, cx: &Cx, code: &str) -> ApiResult {
    let params = query_map(req);
    let size = match params.get("size") {
        None => 256,
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|n| (64..=2048).contains(n))
            .ok_or_else(|| ApiError::invalid("size", "`size` must be 64 to 2048 pixels."))?,
    };
    // The QR code is public: any registered domain (or the main host) may be named.
    let domain = match params.get("domain").map(|d| d.trim().to_ascii_lowercase()).filter(|d| !d.is_empty()) {
        None => String::new(),
        Some(host) => Some(domains::namespace_for_host(cx, &host).await?)
            .filter(|ns| !ns.is_empty())
            .ok_or_else(|| ApiError::not_found(format!("No short domain is named {host}.")))?,
    };
    let link = store::by_code(&cx.db()?, &domain, code)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("There is no short link {code}.")))?;
    let svg = svg_for(&short_url(cx, &link.domain, &link.code), size)
        .ok_or_else(|| internal("QR code", "short URL too long for a QR code"))?;
    let response = Response::ok(svg).internal("QR response")?;
    let disposition = format!("inline; filename=\"{code}.svg\"");
    with_headers(
        response,
        &[
            ("Content-Type", "image/svg+xml"),
            ("Cache-Control", "public, max-age=86400"),
            ("Content-Disposition", disposition.as_str()),
        ],
    )
}

/// A short link to one of Dozen's own pages (`path`, e.g. `/pay/link/plink_…`), owned by
/// `user_id`: how other products get short URLs (Pay's payment links). Own pages are allowed
/// here because they are not short codes, so no redirect loop can form; the link is tagged with
/// `tag` so the owner can find it in `/links`.
pub async fn shorten_own_page(cx: &Cx, user_id: &str, path: &str, tag: &str) -> Result<String, ApiError> {
    own_page_link(cx, user_id, path, tag, cx.now_ms).await
}

/// [`shorten_own_page`] for a page made at `made_ms` (demo data's history).
pub async fn shorten_own_page_made_at(
    cx: &Cx,
    user_id: &str,
    path: &str,
    tag: &str,
    made_ms: i64,
) -> Result<String, ApiError> {
    own_page_link(cx, user_id, path, tag, made_ms).await
}

/// Deletes `user_id`'s short links to its own pages under `path_prefix` (`/pay/`): a demo
/// seeding that failed half way starts again from none of them.
pub async fn delete_own_page_links(cx: &Cx, user_id: &str, path_prefix: &str) -> Result<(), ApiError> {
    store::delete_own_pages(&cx.db()?, user_id, &format!("{}{path_prefix}", cx.own_origin)).await
}

async fn own_page_link(
    cx: &Cx,
    user_id: &str,
    path: &str,
    tag: &str,
    made_ms: i64,
) -> Result<String, ApiError> {
    let link = LinkRow {
        id: TimeId::new(made_ms, random::<10>()?).to_string(),
        domain: String::new(),
        code: codes::next_code(&cx.env).await?,
        url: format!("{}{path}", cx.own_origin),
        user_id: Some(user_id.to_owned()),
        is_alias: 0,
        redirect_type: i64::from(RedirectType::default().status()),
        password_hash: None,
        expires_at: None,
        tags: serde_json::to_string(&[tag]).internal("tags")?,
        created_at: made_ms,
        updated_at: made_ms,
        clicks: 0,
    };
    store::insert(&cx.db()?, &link).await?;
    Ok(short_url(cx, &link.domain, &link.code))
}
