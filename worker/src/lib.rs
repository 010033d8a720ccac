//! Dozen's Cloudflare Worker: one worker serves the SPA (through the static assets), every
//! product's JSON API under `/api`, and (later) short links at the root.

mod auth;
mod health;
mod http;
mod openapi;
mod pages;
mod platform;
mod routes;

use worker::{console_log, event, Context, Env, Request, Response, Result};

#[event(start)]
fn start() {
    console_error_panic_hook::set_once();
}

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    let started = platform::now_ms();
    let method = req.method();
    let path = req.path();
    let cx = http::Cx::new(&req, env, started);
    let https = cx.secure_cookies && !cx.own_origin.starts_with("http:");
    let response = routes::dispatch(req, &cx).await;
    let response = http::with_security_headers(response, https);
    console_log!(
        "{} {} {} {}ms",
        method.as_ref(),
        path,
        response.status_code(),
        platform::now_ms() - started
    );
    Ok(response)
}
