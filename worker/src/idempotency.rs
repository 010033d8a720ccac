//! `Idempotency-Key` on mutations: the first answer is stored in D1 and replayed to retries
//! with the same key and body, so a client that lost a response can retry without creating a
//! second link (or, later, a second payment). Rules live in `shared::idempotency`.

use crate::{
    d1::{first, num, opt_text, run, text},
    http::{header, internal, ApiResult, Cx, OrInternal},
};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use shared::{
    auth::{cookie, token::hash_secret},
    idempotency::{check_key, decide, Replay},
    ApiError, ErrorCode,
};
use worker::{Env, Headers, Method, Request, Response};

/// A fresh request that must record its answer under its key.
pub struct Ticket {
    scope: String,
    key: String,
    /// Its answer is recorded as [`secret_shown_once`], never as it was.
    shows_a_secret: bool,
}

pub enum Start {
    /// Send this stored answer again.
    Replay(Response),
    /// Run the handler (and `finish` with the ticket, if there is one).
    Run(Option<Ticket>),
}

#[derive(Deserialize)]
struct Stored {
    request_hash: String,
    status: Option<i64>,
    content_type: Option<String>,
    body: Option<String>,
    created_at: i64,
}

/// Who is asking, so one caller's key never replays another's answer.
fn caller(req: &Request, cx: &Cx) -> String {
    if let Some(authorization) = header(req, "Authorization") {
        return format!("auth:{}", &hash_secret(&authorization)[..32]);
    }
    match header(req, "Cookie")
        .and_then(|c| cookie::find_cookie(&c, cookie::SESSION_COOKIE).map(str::to_owned))
    {
        Some(session) => format!("session:{}", &hash_secret(&session)[..32]),
        None => format!("ip:{}", cx.client_ip),
    }
}

/// Sign-up, sign-in and sign-out answer with a session cookie, which a stored answer would not
/// carry (nor should it be kept): those run every time. Everything else may be replayed; API key
/// creation through [`shows_a_secret`].
fn is_replayable(path: &str) -> bool {
    !path.starts_with("/api/auth/") || path.starts_with("/api/auth/keys")
}

/// Creating a key answers its secret, shown once and stored nowhere but in that answer: its
/// retry is not given the secret again (that would keep it in D1 for a day) but a 409 saying the
/// key exists, so a lost answer never makes a second key either.
fn shows_a_secret(method: &Method, path: &str) -> bool {
    *method == Method::Post && matches!(path, "/api/auth/keys" | "/api/pay/keys")
}

fn secret_shown_once() -> ApiError {
    ApiError::new(
        ErrorCode::Conflict,
        "This request created a key already, and its secret is shown only once. If the answer was lost, \
         revoke that key and create another.",
    )
}

pub async fn begin(req: &mut Request, cx: &Cx, method: &Method, path: &str) -> Result<Start, ApiError> {
    let Some(key) = header(req, "Idempotency-Key") else { return Ok(Start::Run(None)) };
    if !matches!(method, Method::Post | Method::Patch | Method::Delete) || !is_replayable(path) {
        return Ok(Start::Run(None));
    }
    check_key(&key)?;
    // Hash the body from a copy; the handler reads the original.
    let body = req.clone().internal("cloning a request")?.bytes().await.unwrap_or_default();
    let request_hash: String = Sha256::digest(&body).iter().map(|b| format!("{b:02x}")).collect();
    let scope = format!("{}|{} {path}", caller(req, cx), method.as_ref());
    let shows_a_secret = shows_a_secret(method, path);
    let db = cx.db()?;
    let stored: Option<Stored> = first(
        &db,
        "SELECT request_hash, status, content_type, body, created_at FROM idempotency_keys WHERE scope = ?1 AND key = ?2",
        &[text(&scope), text(&key)],
    )
    .await?;
    let decision = decide(
        stored.as_ref().map(|s| (s.request_hash.as_str(), s.status.is_some(), s.created_at)),
        &request_hash,
        cx.now_ms,
    );
    if let Some(err) = decision.error() {
        return Err(err);
    }
    if decision == Replay::Answered {
        let stored = stored.ok_or_else(|| internal("idempotency", "answered without a row"))?;
        return replay(&stored).map(Start::Replay);
    }
    // Fresh: forget an expired row (only an expired one: a twin that just claimed the key must
    // keep its claim), then claim the key; losing the claim means a twin request with the same
    // key is running right now.
    run(
        &db,
        "DELETE FROM idempotency_keys WHERE scope = ?1 AND key = ?2 AND created_at < ?3",
        &[text(&scope), text(&key), num(cx.now_ms - shared::idempotency::KEY_TTL_SECS * 1000)],
    )
    .await?;
    let claimed = run(
        &db,
        "INSERT OR IGNORE INTO idempotency_keys (scope, key, request_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
        &[text(&scope), text(&key), text(&request_hash), num(cx.now_ms)],
    )
    .await?;
    if claimed == 0 {
        return Err(Replay::InProgress.error().unwrap_or_else(ApiError::internal));
    }
    Ok(Start::Run(Some(Ticket { scope, key, shows_a_secret })))
}

fn replay(stored: &Stored) -> ApiResult {
    let headers = Headers::new();
    let set = |name: &str, value: &str| headers.set(name, value).internal("replay headers");
    set("Content-Type", stored.content_type.as_deref().unwrap_or("application/json"))?;
    set("Idempotent-Replayed", "true")?;
    let status = u16::try_from(stored.status.unwrap_or(200)).unwrap_or(200);
    Response::ok(stored.body.clone().unwrap_or_default())
        .map(|r| r.with_status(status).with_headers(headers))
        .internal("replay")
}

/// Whether an answer is final for its key: a retry with the same key gets it again. Server errors
/// and 429s are not (the retry should run again, once the server recovered or the window passed).
fn is_final(status: u16) -> bool {
    status < 500 && status != 429
}

/// Records the handler's answer under the ticket, when it is final, and passes the answer on
/// (an error as it was, with its headers such as `Retry-After` and `Allow`).
pub async fn finish(ticket: Option<Ticket>, result: ApiResult, cx: &Cx) -> ApiResult {
    let Some(Ticket { scope, key, shows_a_secret }) = ticket else { return result };
    let db = cx.db()?;
    let key_args = [text(&scope), text(&key)];
    let record = |status: u16, content_type: &str, body: &str| {
        [text(&scope), text(&key), num(i64::from(status)), opt_text(Some(content_type)), text(body)]
    };
    const RECORD: &str =
        "UPDATE idempotency_keys SET status = ?3, content_type = ?4, body = ?5 WHERE scope = ?1 AND key = ?2";
    let status = match &result {
        Ok(response) => response.status_code(),
        Err(err) => err.status(),
    };
    if !is_final(status) {
        run(&db, "DELETE FROM idempotency_keys WHERE scope = ?1 AND key = ?2", &key_args).await?;
        return result;
    }
    match result {
        Ok(response) if shows_a_secret && response.status_code() < 300 => {
            run(&db, RECORD, &record(409, "application/json", &secret_shown_once().to_json())).await?;
            Ok(response)
        }
        Err(err) => {
            run(&db, RECORD, &record(status, "application/json", &err.to_json())).await?;
            Err(err)
        }
        Ok(mut response) => {
            let content_type = response.headers().get("Content-Type").ok().flatten().unwrap_or_default();
            let body = response.text().await.internal("reading a response")?;
            run(&db, RECORD, &record(status, &content_type, &body)).await?;
            // The body was read to store it: send a fresh response with the same status and headers.
            let headers = response.headers().clone();
            Response::ok(body).map(|r| r.with_status(status).with_headers(headers)).internal("response")
        }
    }
}

/// The platform's scheduled job: answers older than their day are never replayed, so they go.
pub async fn forget_expired(env: &Env, now_ms: i64) -> Result<usize, ApiError> {
    let db = env.d1("DB").internal("D1 binding")?;
    run(
        &db,
        "DELETE FROM idempotency_keys WHERE created_at < ?1",
        &[num(now_ms - shared::idempotency::KEY_TTL_SECS * 1000)],
    )
    .await
}
