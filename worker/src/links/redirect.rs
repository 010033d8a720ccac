//! `GET|HEAD /{code}`: the redirect, answered from KV when cached (D1 fills the cache on a
//! miss). Expired links are 410, protected links ask for their password (`POST /{code}`), and
//! the click is recorded after the response is on its way.

use crate::{
    auth::guard::PasswordGuard,
    html::{escape_html, page},
    http::{error_response, header, internal, wants_html, Cx, OrInternal},
    links::{
        clicks::{self, Click},
        config,
        store::{self, CachedLink},
    },
    password,
};
use shared::{links::url_rules::append_query, ApiError, ErrorCode};
use worker::{Headers, Method, Request, Response};

/// Codes and aliases are at most 64 characters of [A-Za-z0-9_-].
fn is_code_shaped(segment: &str) -> bool {
    (1..=64).contains(&segment.len())
        && segment.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Answers a root path as a short link, or `None` when it cannot be one (then it is a 404).
pub async fn serve(mut req: Request, cx: &Cx, domain: &str) -> Option<Response> {
    let path = req.path();
    let code = path.strip_prefix('/').filter(|c| is_code_shaped(c))?.to_owned();
    let method = req.method();
    if !matches!(method, Method::Get | Method::Head | Method::Post) {
        return None;
    }
    let link = match lookup(cx, domain, &code).await {
        Ok(Some(link)) => link,
        Ok(None) => return None,
        Err(err) => return Some(error_response(&err)),
    };
    let wants_html = wants_html(&req);
    // The short link's query string goes to the destination (through the password form too).
    let query = req.url().ok().and_then(|u| u.query().map(str::to_owned)).unwrap_or_default();
    if link.expires_at.is_some_and(|t| t <= cx.now_ms) {
        let err = ApiError::new(ErrorCode::Gone, "This short link has expired.");
        return Some(if wants_html {
            page(410, "Link expired", "This short link has expired and no longer leads anywhere.")
        } else {
            error_response(&err)
        });
    }
    if link.protected {
        let unlocked = match method {
            Method::Post => match check_password(&mut req, cx, domain, &code, &link).await {
                Ok(true) => true,
                Ok(false) => {
                    return Some(password_form(&code, &query, Some("That password is not right."), 401))
                }
                Err(err) if err.code == ErrorCode::RateLimited => {
                    let mut page = password_form(&code, &query, Some(&err.message), 429);
                    let wait = err.retry_after_secs.unwrap_or(1).to_string();
                    let _ = page.headers_mut().set("Retry-After", &wait);
                    return Some(page);
                }
                Err(err) => return Some(error_response(&err)),
            },
            _ => false,
        };
        if !unlocked {
            return Some(password_form(&code, &query, None, 200));
        }
    } else if method == Method::Post {
        return None;
    }

    let location = append_query(&link.url, &query);
    let response = redirect(&location, link.redirect_type);
    if method != Method::Head {
        let click = Click {
            link_id: link.id.clone(),
            at_ms: cx.now_ms,
            referrer: header(&req, "Referer"),
            country: req.cf().and_then(|cf| cf.country()).filter(|_| !config::is_local(&cx.env)),
            user_agent: header(&req, "User-Agent").unwrap_or_default(),
            ip: cx.client_ip.clone(),
        };
        if let Some(send) = clicks::record(&cx.env, click) {
            cx.ctx.wait_until(send);
        }
    }
    Some(response)
}

/// This isolate's memory first, then KV; on a miss, D1, then fill both caches.
async fn lookup(cx: &Cx, domain: &str, code: &str) -> Result<Option<CachedLink>, ApiError> {
    if let Some(hit) = store::isolate_get(domain, code, cx.now_ms) {
        return Ok(Some(hit));
    }
    let kv = cx.env.kv("KV").internal("KV binding")?;
    if let Some(hit) = store::cache_get(&kv, domain, code).await {
        store::isolate_put(domain, code, &hit, cx.now_ms);
        return Ok(Some(hit));
    }
    let Some(row) = store::by_code(&cx.db()?, domain, code).await? else { return Ok(None) };
    let cached = CachedLink::from(&row);
    store::cache_put(&kv, domain, code, &cached, cx.now_ms).await;
    store::isolate_put(domain, code, &cached, cx.now_ms);
    Ok(Some(cached))
}

/// The form post of the password page; guesses are throttled like sign-ins.
async fn check_password(
    req: &mut Request,
    cx: &Cx,
    domain: &str,
    code: &str,
    link: &CachedLink,
) -> Result<bool, ApiError> {
    let form =
        req.form_data().await.map_err(|_| ApiError::new(ErrorCode::BadRequest, "Send the password form."))?;
    let given = match form.get("password") {
        Some(worker::FormEntry::Field(value)) => value,
        _ => String::new(),
    };
    let db = cx.db()?;
    let guard = PasswordGuard::check(&db, cx, &format!("link:{}", link.id)).await?;
    let Some(row) = store::by_code(&db, domain, code).await? else { return Ok(false) };
    let Some(stored) = row.password_hash else { return Ok(true) };
    if password::verify(&given, &stored).await? {
        guard.succeeded(&db).await?;
        Ok(true)
    } else {
        guard.failed(&db, cx).await?;
        Ok(false)
    }
}

fn redirect(location: &str, status: u16) -> Response {
    let headers = Headers::new();
    let _ = headers.set("Location", location);
    // A 302 is asked again every time (every click seen); a 301 may be cached a little while,
    // so an edited destination still takes effect soon.
    let cache = if status == 301 { "public, max-age=300" } else { "private, no-cache" };
    let _ = headers.set("Cache-Control", cache);
    let _ = headers.set("Referrer-Policy", "unsafe-url");
    Response::empty()
        .map(|r| r.with_status(status).with_headers(headers))
        .unwrap_or_else(|e| error_response(&internal("redirect response", e)))
}

fn password_form(code: &str, query: &str, error: Option<&str>, status: u16) -> Response {
    let error =
        error.map(|e| format!(r#"<p class="error" role="alert">{}</p>"#, escape_html(e))).unwrap_or_default();
    let body = format!(
        r#"<p>This link is protected. Enter its password to continue.</p>{error}
<form method="post" action="/{code}{query}"><label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="off" required autofocus>
<button type="submit">Continue</button></form>"#,
        code = escape_html(code),
        query = if query.is_empty() { String::new() } else { escape_html(&format!("?{query}")) },
    );
    page(status, "Password required", &body)
}
