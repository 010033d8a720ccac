//! `GET /api/health`: the build, and whether D1 and KV answer.

use crate::http::OrInternal;
use crate::http::{json, ApiResult, Cx};
use shared::auth::wire::Health;

/// `CARGO_PKG_VERSION+<git commit>`; the commit comes from `DOZEN_GIT_COMMIT` at build time.
pub fn build_version() -> String {
    match option_env!("DOZEN_GIT_COMMIT") {
        Some(commit) if !commit.is_empty() => format!("{}+{commit}", env!("CARGO_PKG_VERSION")),
        _ => env!("CARGO_PKG_VERSION").to_owned(),
    }
}

/// Build version and dependency checks; 503 when D1 or KV does not answer.
#[utoipa::path(get, path = "/api/health", tag = "meta",
    responses(
        (status = 200, description = "Everything answers", body = Health),
        (status = 503, description = "D1 or KV did not answer", body = Health),
    ))]
pub async fn get(cx: &Cx) -> ApiResult {
    let d1 = match cx.env.d1("DB") {
        Ok(db) => {
            db.prepare("SELECT 1 AS ok").first::<serde_json::Value>(None).await.is_ok_and(|row| row.is_some())
        }
        Err(_) => false,
    };
    let kv = match cx.env.kv("KV") {
        Ok(kv) => kv.get("health-probe").text().await.is_ok(),
        Err(_) => false,
    };
    let health = Health {
        status: if d1 && kv { "ok" } else { "degraded" }.to_owned(),
        version: build_version(),
        d1,
        kv,
    };
    json(if d1 && kv { 200 } else { 503 }, &health)
}

/// Liveness without touching any dependency: the cheapest answer the worker gives (load
/// balancers, and the benchmarks' ceiling).
#[utoipa::path(get, path = "/api/ping", tag = "meta", responses((status = 200, description = "`ok`")))]
pub fn ping() -> ApiResult {
    worker::Response::ok("ok").internal("ping")
}
