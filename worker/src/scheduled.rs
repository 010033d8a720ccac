//! Scheduled work: the Cron Trigger (wrangler.toml, every minute) runs every product's jobs, at
//! the trigger's scheduled time.
//!
//! Under `wrangler dev` (DOZEN_LOCAL) the same entry point also answers `POST /api/scheduled?time=<ms>`
//! (and Pay's older name for it, `/api/pay/sweep`), so tests and `make dev` can run it, "later"
//! too: wrangler's own `/cdn-cgi/handler/scheduled` fails for this worker's class entrypoint
//! (DataCloneError on the ScheduledController, wrangler 4.86).

use crate::{
    http::{error_response, json, Cx},
    products::PRODUCTS,
};
use shared::ApiError;
use worker::{console_error, console_log, Env, Request, Response};

/// Where `wrangler dev` exposes the trigger (never in production: DOZEN_LOCAL is dev-only).
pub const LOCAL_TRIGGER_PATHS: &[&str] = &["/api/scheduled", "/api/pay/sweep"];

/// Runs every job of every product, in the order of the list. A failing job is logged and does
/// not stop the others; the answer is whether all of them succeeded.
pub async fn run_all(env: &Env, now_ms: i64) -> bool {
    let mut all_ran = true;
    for product in PRODUCTS {
        for job in product.jobs {
            match (job.run)(env, now_ms).await {
                Ok(0) => {}
                Ok(n) => console_log!("scheduled {}: {}: {n}", product.name, job.name),
                Err(err) => {
                    console_error!("scheduled {}: {} failed: {err}", product.name, job.name);
                    all_ran = false;
                }
            }
        }
    }
    all_ran
}

/// Runs the jobs as the Cron Trigger would at `?time=` (unix ms; default now).
pub async fn run_locally(req: &Request, cx: &Cx) -> Response {
    let time = req
        .url()
        .ok()
        .and_then(|u| u.query_pairs().find(|(k, _)| k == "time").and_then(|(_, v)| v.parse::<i64>().ok()))
        .unwrap_or(cx.now_ms);
    let answer = if run_all(&cx.env, time).await {
        json(200, &serde_json::json!({"ran_at": time}))
    } else {
        Err(ApiError::internal())
    };
    answer.unwrap_or_else(|err| error_response(&err))
}
