//! Links, the URL shortener at the edge: `/api/links` for owners, `/{code}` redirects for
//! everyone, codes handed out by a Durable Object, KV as the redirect cache with D1 as the truth, clicks
//! recorded through a queue.

pub mod api;
pub mod clicks;
pub mod codes;
pub mod config;
pub mod demo;
pub mod domains;
pub mod redirect;
pub mod store;

use crate::{
    product::{Consumer, Product},
    router::{delete, get, patch, post},
};
use shared::links::{
    domain::{DomainList, DomainView, RegisterDomainRequest},
    stats::{Breakdown, DayClicks, LinkStats},
    wire::{
        CreateLinkRequest, LinkList, LinkView, RedirectType, ShortenRequest, ShortenResponse,
        UpdateLinkRequest,
    },
};
use utoipa::OpenApi;

/// The redirects at `/{code}` are not here: they are the root's fallback (`pages`), after the
/// SPA's routes.
pub const PRODUCT: Product = Product {
    name: "links",
    routes: &[
        get("/api/links", |req, cx, _| Box::pin(api::list(req, cx))),
        post("/api/links", |req, cx, _| Box::pin(api::create(req, cx))),
        get("/api/links/{code}", |req, cx, p| Box::pin(api::get(req, cx, p.get("code")))),
        patch("/api/links/{code}", |req, cx, p| Box::pin(api::update(req, cx, p.get("code")))),
        delete("/api/links/{code}", |req, cx, p| Box::pin(api::delete(req, cx, p.get("code")))),
        get("/api/links/{code}/stats", |req, cx, p| Box::pin(api::stats(req, cx, p.get("code")))),
        get("/api/links/{code}/qr", |req, cx, p| Box::pin(api::qr(req, cx, p.get("code")))),
        get("/api/domains", |req, cx, _| Box::pin(domains::list(req, cx))),
        post("/api/domains", |req, cx, _| Box::pin(domains::register(req, cx))),
        delete("/api/domains/{hostname}", |req, cx, p| Box::pin(domains::remove(req, cx, p.get("hostname")))),
        // The seed's shortener API, at the root beside the short codes.
        post("/shorten", |req, cx, _| Box::pin(api::shorten(req, cx))),
    ],
    mounts: &[],
    openapi: LinksApi::openapi,
    jobs: &[],
    consumers: &[Consumer { queue: clicks::QUEUE, run: |batch, env| Box::pin(clicks::consume(batch, env)) }],
    demo: Some(|cx| Box::pin(demo::seed(&cx.env, cx.now_ms))),
};

#[derive(OpenApi)]
#[openapi(
    paths(
        api::create,
        api::shorten,
        api::list,
        api::get,
        api::update,
        api::delete,
        api::stats,
        api::qr,
        domains::register,
        domains::list,
        domains::remove
    ),
    components(schemas(
        CreateLinkRequest,
        UpdateLinkRequest,
        LinkView,
        LinkList,
        ShortenRequest,
        ShortenResponse,
        RedirectType,
        LinkStats,
        DayClicks,
        Breakdown,
        RegisterDomainRequest,
        DomainView,
        DomainList
    )),
    tags((name = "links", description = "Short links, redirects and their statistics"))
)]
struct LinksApi;
