//! HTTP in and out for every API: the request context, JSON bodies with the project's error
//! shape, and the headers every response carries.

use serde::{de::DeserializeOwned, Serialize};
use shared::{ApiError, ErrorCode};
use worker::{console_error, Context, Env, Headers, Method, Request, Response};

pub type ApiResult = Result<Response, ApiError>;

/// Bodies larger than this are refused before they are parsed.
const MAX_JSON_BODY: usize = 64 * 1024;

/// What a handler needs besides the request: the bindings, the time the request arrived, who
/// is asking and from where.
pub struct Cx {
    pub env: Env,
    /// For work that must not delay the response (`wait_until`).
    pub ctx: Context,
    pub now_ms: i64,
    /// The client's address as Cloudflare saw it ("unknown" when absent).
    pub client_ip: String,
    /// `scheme://host[:port]` of this request, for same-origin checks.
    pub own_origin: String,
    /// Whether cookies must be `Secure` (everything but plain-HTTP localhost).
    pub secure_cookies: bool,
}

impl Cx {
    pub fn new(req: &Request, env: Env, ctx: Context, now_ms: i64) -> Self {
        let url = req.url().ok();
        let https = url.as_ref().is_some_and(|u| u.scheme() == "https");
        let host = url.as_ref().and_then(|u| u.host_str().map(str::to_owned)).unwrap_or_default();
        let host_port = match url.as_ref().and_then(|u| u.port()) {
            Some(port) => format!("{host}:{port}"),
            None => host,
        };
        let own_origin = url.as_ref().map(|u| u.origin().ascii_serialization()).unwrap_or_default();
        let client_ip = header(req, "CF-Connecting-IP").unwrap_or_else(|| "unknown".to_owned());
        Self {
            env,
            ctx,
            now_ms,
            client_ip,
            own_origin,
            secure_cookies: shared::auth::cookie::cookie_should_be_secure(&host_port, https),
        }
    }

    pub fn db(&self) -> Result<worker::D1Database, ApiError> {
        self.env.d1("DB").internal("D1 binding")
    }
}

pub fn header(req: &Request, name: &str) -> Option<String> {
    req.headers().get(name).ok().flatten()
}

/// Whether the client asked for a page (a browser) rather than JSON.
pub fn wants_html(req: &Request) -> bool {
    header(req, "Accept").is_some_and(|accept| accept.contains("text/html"))
}

/// Logs an internal failure and returns the error the client sees (which reveals nothing).
pub fn internal(context: &str, err: impl std::fmt::Display) -> ApiError {
    console_error!("internal error ({context}): {err}");
    ApiError::internal()
}

/// `.internal("loading the order")?`: a failure that is ours, logged with what we were doing
/// and its cause, and answered with the opaque 500 (Razorpay's, through `From`, on `/v1`).
pub trait OrInternal<T> {
    fn internal(self, context: &str) -> Result<T, ApiError>;
}

impl<T, E: std::fmt::Display> OrInternal<T> for Result<T, E> {
    fn internal(self, context: &str) -> Result<T, ApiError> {
        self.map_err(|err| internal(context, err))
    }
}

/// Reads a JSON body into `T`: 415 unless `application/json`, 413 when too large, 400 when
/// not JSON, 422 naming the field when a field has the wrong type.
pub async fn read_json<T: DeserializeOwned>(req: &mut Request) -> Result<T, ApiError> {
    read_json_up_to(req, MAX_JSON_BODY).await
}

/// `read_json` for the few bodies that are large by nature (a thousand envelopes, each sealed
/// for one device), up to `max_bytes`.
pub async fn read_json_up_to<T: DeserializeOwned>(
    req: &mut Request,
    max_bytes: usize,
) -> Result<T, ApiError> {
    let content_type = header(req, "Content-Type").unwrap_or_default();
    let media_type = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if media_type != "application/json" {
        return Err(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            "Send the body as JSON with `Content-Type: application/json`.",
        ));
    }
    let declared = header(req, "Content-Length").and_then(|v| v.parse::<usize>().ok()).unwrap_or(0);
    let too_large =
        || ApiError::new(ErrorCode::PayloadTooLarge, format!("The body must be at most {max_bytes} bytes."));
    if declared > max_bytes {
        return Err(too_large());
    }
    let bytes =
        req.bytes().await.map_err(|_| ApiError::new(ErrorCode::BadRequest, "Could not read the body."))?;
    if bytes.len() > max_bytes {
        return Err(too_large());
    }
    shared::json::parse_object(&bytes)
}

fn with_status(mut response: Response, status: u16) -> Response {
    response = response.with_status(status);
    response
}

/// The query string's pairs, decoded (none when the URL cannot be read).
pub fn query_pairs(req: &Request) -> Vec<(String, String)> {
    req.url().map(|u| u.query_pairs().into_owned().collect()).unwrap_or_default()
}

pub fn json<T: Serialize>(status: u16, body: &T) -> ApiResult {
    Response::from_json(body).map(|r| with_status(r, status)).internal("serialising a response")
}

pub fn no_content() -> ApiResult {
    Response::empty().map(|r| with_status(r, 204)).internal("empty response")
}

/// `response` with these headers set (replacing any of the same name).
pub fn with_headers<N: AsRef<str>, V: AsRef<str>>(mut response: Response, headers: &[(N, V)]) -> ApiResult {
    for (name, value) in headers {
        response.headers_mut().set(name.as_ref(), value.as_ref()).internal("setting headers")?;
    }
    Ok(response)
}

/// The JSON error response, with `Retry-After` for 429 and `Allow` for 405.
pub fn error_response(err: &ApiError) -> Response {
    let headers = Headers::new();
    let _ = headers.set("Content-Type", "application/json; charset=utf-8");
    if let Some(secs) = err.retry_after_secs {
        let _ = headers.set("Retry-After", &secs.to_string());
    }
    for (name, value) in &err.headers {
        let _ = headers.set(name, value);
    }
    Response::ok(err.to_json())
        .map(|r| r.with_status(err.status()).with_headers(headers))
        .unwrap_or_else(|_| Response::error("internal error", 500).expect("a plain response"))
}

/// 405 with the methods the path does accept.
pub fn method_not_allowed(method: &Method, allowed: &[Method]) -> ApiError {
    let mut names: Vec<&str> = allowed.iter().map(Method::as_ref).collect();
    if allowed.contains(&Method::Get) {
        names.push("HEAD");
    }
    ApiError {
        headers: vec![("Allow".to_owned(), names.join(", "))],
        ..ApiError::new(
            ErrorCode::MethodNotAllowed,
            format!("{} is not allowed here; use {}.", method.as_ref(), names.join(" or ")),
        )
    }
}

/// Adds the headers every response carries. Responses that set no CSP of their own (JSON, and
/// anything else the worker makes) get one that allows nothing, and are not cached unless they
/// say so; the app shell and worker-made pages set their own policy (`pages`).
pub fn with_security_headers(response: Response, https: bool) -> Response {
    // Headers of a fetched response are immutable: copy them into a fresh set.
    let headers = Headers::new();
    for (name, value) in response.headers().entries() {
        let _ = headers.append(&name, &value);
    }
    let set_default = |name: &str, value: &str| {
        if !headers.has(name).unwrap_or(false) {
            let _ = headers.set(name, value);
        }
    };
    set_default("X-Content-Type-Options", "nosniff");
    set_default("Referrer-Policy", "strict-origin-when-cross-origin");
    set_default("X-Frame-Options", "DENY");
    set_default("Cross-Origin-Opener-Policy", "same-origin");
    // The microphone is this site's own (Chat's voice notes); no embedded page gets it.
    set_default("Permissions-Policy", "camera=(), microphone=(self), payment=(self), interest-cohort=()");
    set_default("Content-Security-Policy", shared::csp::API_POLICY);
    set_default("Cache-Control", "no-store");
    if https {
        set_default("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
    }
    response.with_headers(headers)
}
