//! Dozen's Cloudflare Worker: one worker serves the SPA (through the static assets), every
//! product's JSON API under `/api`, and short links at the root.

/// The Durable Object classes wrangler.toml binds; the `#[durable_object]` macro exports them.
pub use chat::{hub::ChatHub, room::ChatRoom};
pub use cricket::room::CricketMatch;
pub use links::codes::LinkCodeAllocator;
pub use news::live::NewsLive;
pub use poker::room::PokerTable;

mod auth;
mod chat;
mod coalesce;
mod cricket;
mod d1;
mod demo;
mod durable;
mod health;
mod html;
mod http;
mod idempotency;
mod links;
mod lockers;
mod news;
mod openapi;
mod pages;
mod password;
mod pay;
mod platform;
mod poker;
mod product;
mod products;
mod queues;
mod rate_limit;
mod router;
mod routes;
mod scheduled;
mod turns;

use worker::{
    console_log, event, Context, Env, MessageBatch, Request, Response, Result, ScheduleContext,
    ScheduledEvent,
};

#[event(start)]
fn start() {
    console_error_panic_hook::set_once();
}

#[event(fetch)]
async fn fetch(req: Request, env: Env, ctx: Context) -> Result<Response> {
    let started = platform::now_ms();
    let method = req.method();
    let path = req.path();
    let cx = http::Cx::new(&req, env, ctx, started);
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

/// The Cron Trigger (wrangler.toml): every product's jobs, at the trigger's scheduled time.
#[event(scheduled)]
async fn scheduled(event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    scheduled::run_all(&env, event.schedule() as i64).await;
}

/// Queue deliveries (wrangler.toml `[[queues.consumers]]`): each to the product that consumes
/// that queue. Never an `Err` (see `product::Consumer`).
#[event(queue)]
async fn queue(batch: MessageBatch<String>, env: Env, _ctx: Context) -> Result<()> {
    queues::deliver(&batch, &env).await;
    Ok(())
}
