//! Cricket: ball-by-ball matches (shared::cricket). A match is Cricsheet JSON in D1 (its `info`
//! and one row per innings); the scorecard, commentary, partnerships, charts and careers are
//! derived from its deliveries whenever they are asked for. A match scored live has one Durable
//! Object (`room::CricketMatch`) that takes its scorers' events one at a time and pushes each to
//! every viewer's socket.

pub mod api;
pub mod room;
pub mod store;

use crate::{
    product::Product,
    router::{get, post},
};
use shared::cricket::{
    career::Career,
    charts::{Charts, InningsChart, OverBar, WormPoint},
    commentary::{Line, LineKind},
    cricsheet::{Delivery, Extras, Fielder, Margin, Outcome, Runs, Wicket},
    live::Event,
    live_view::{AtCrease, BowlerNow, LiveFrame, LiveState, NewDelivery, NewMatch},
    scorecard::{
        BattingLine, BowlingLine, ExtrasLine, FallOfWicket, InningsCard, OverSummary, Partnership, Scorecard,
    },
    wire::{
        Commentary, InningsPartnerships, InningsScore, MatchList, MatchSummary, MatchView, PlayerStats,
        RecentMatch, Status,
    },
};
use utoipa::OpenApi;

pub const PRODUCT: Product = Product {
    name: "cricket",
    routes: &[
        get("/api/cricket/matches", |req, cx, _| Box::pin(api::list(req, cx))),
        post("/api/cricket/matches", |req, cx, _| Box::pin(api::create(req, cx))),
        post("/api/cricket/matches/{id}/scorers", |req, cx, p| {
            Box::pin(api::add_scorer(req, cx, p.get("id")))
        }),
        post("/api/cricket/matches/{id}/deliveries", |req, cx, p| {
            Box::pin(api::deliver(req, cx, p.get("id")))
        }),
        post("/api/cricket/matches/{id}/events", |req, cx, p| Box::pin(api::event(req, cx, p.get("id")))),
        post("/api/cricket/matches/{id}/undo", |req, cx, p| Box::pin(api::undo(req, cx, p.get("id")))),
        get("/api/cricket/matches/{id}/socket", |req, cx, p| Box::pin(api::socket(req, cx, p.get("id")))),
        post("/api/cricket/matches/import", |req, cx, _| Box::pin(api::import(req, cx))),
        get("/api/cricket/matches/{id}", |req, cx, p| Box::pin(api::get_match(req, cx, p.get("id")))),
        get("/api/cricket/matches/{id}/cricsheet", |req, cx, p| Box::pin(api::export(req, cx, p.get("id")))),
        get("/api/cricket/matches/{id}/scorecard", |req, cx, p| {
            Box::pin(api::scorecard(req, cx, p.get("id")))
        }),
        get("/api/cricket/matches/{id}/commentary", |req, cx, p| {
            Box::pin(api::commentary(req, cx, p.get("id")))
        }),
        get("/api/cricket/matches/{id}/partnerships", |req, cx, p| {
            Box::pin(api::partnerships(req, cx, p.get("id")))
        }),
        get("/api/cricket/matches/{id}/charts", |req, cx, p| {
            Box::pin(api::match_charts(req, cx, p.get("id")))
        }),
        get("/api/cricket/players/{id}/stats", |req, cx, p| {
            Box::pin(api::player_stats(req, cx, p.get("id")))
        }),
    ],
    mounts: &[],
    openapi: CricketApi::openapi,
    jobs: &[],
    consumers: &[],
    demo: None,
};

#[derive(OpenApi)]
#[openapi(
    paths(api::import, api::create, api::add_scorer, api::deliver, api::event, api::undo, api::socket, api::list, api::get_match, api::export, api::scorecard, api::commentary, api::partnerships,
          api::match_charts, api::player_stats),
    components(schemas(MatchView, MatchSummary, MatchList, InningsScore, Status, Scorecard, InningsCard, BattingLine,
                       BowlingLine, ExtrasLine, FallOfWicket, Partnership, OverSummary, Outcome, Margin, Commentary,
                       Line, LineKind, InningsPartnerships, Charts, InningsChart, WormPoint, OverBar, PlayerStats,
                       Career, RecentMatch, NewMatch, NewDelivery, Event, LiveState, LiveFrame, AtCrease, BowlerNow,
                       api::NewScorer, Delivery, Runs, Extras, Wicket, Fielder)),
    tags((name = "cricket", description = "Cricket: ball-by-ball matches in Cricsheet's format"))
)]
struct CricketApi;
