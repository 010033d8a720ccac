//! Cricket: ball-by-ball matches (shared::cricket). A match is Cricsheet JSON in D1 (its `info`
//! and one row per innings); the scorecard, commentary, partnerships, charts and careers are
//! derived from its deliveries whenever they are asked for. A match scored live has one Durable
//! Object (`room::CricketMatch`) that takes its scorers' events one at a time and pushes each to
//! every viewer's socket.

pub mod api;
pub mod fans;
pub mod room;
pub mod store;
pub mod talk;
pub mod video;

use crate::{
    product::Product,
    router::{delete, get, post, put},
};
use shared::cricket::{
    career::Career,
    charts::{Charts, InningsChart, OverBar, WormPoint},
    commentary::{Line, LineKind},
    cricsheet::{Delivery, Extras, Fielder, Margin, Outcome, Runs, Wicket},
    live::Event,
    live_view::{AtCrease, BowlerNow, LiveFrame, LiveState, NewDelivery, NewMatch},
    picks::{CricketHome, Follow, FollowKind, Pick},
    scorecard::{
        BattingLine, BowlingLine, ExtrasLine, FallOfWicket, InningsCard, OverSummary, Partnership, Scorecard,
    },
    talk::{ChatMessage, ChatPage, NewChatMessage, NewMute, NewPoll, NewVote, Poll, PollKind},
    video::{Clip, Highlight, NewStream, StreamView},
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
        get("/api/cricket/matches/{id}/chat", |req, cx, p| Box::pin(talk::chat(req, cx, p.get("id")))),
        post("/api/cricket/matches/{id}/chat", |req, cx, p| {
            Box::pin(talk::send_message(req, cx, p.get("id")))
        }),
        delete("/api/cricket/matches/{id}/chat/{message_id}", |req, cx, p| {
            Box::pin(talk::remove_message(req, cx, p.get("id"), p.get("message_id")))
        }),
        post("/api/cricket/matches/{id}/mutes", |req, cx, p| Box::pin(talk::mute(req, cx, p.get("id")))),
        get("/api/cricket/matches/{id}/polls", |req, cx, p| Box::pin(talk::list_polls(req, cx, p.get("id")))),
        post("/api/cricket/matches/{id}/polls", |req, cx, p| Box::pin(talk::open_poll(req, cx, p.get("id")))),
        post("/api/cricket/matches/{id}/polls/{poll_id}/votes", |req, cx, p| {
            Box::pin(talk::vote(req, cx, p.get("id"), p.get("poll_id")))
        }),
        post("/api/cricket/matches/{id}/polls/{poll_id}/close", |req, cx, p| {
            Box::pin(talk::close_poll(req, cx, p.get("id"), p.get("poll_id")))
        }),
        get("/api/cricket/matches/{id}/stream", |req, cx, p| Box::pin(video::stream(req, cx, p.get("id")))),
        post("/api/cricket/matches/{id}/stream", |req, cx, p| {
            Box::pin(video::set_stream(req, cx, p.get("id")))
        }),
        get("/api/cricket/matches/{id}/stream/{file}", |req, cx, p| {
            Box::pin(video::download(req, cx, p.get("id"), p.get("file")))
        }),
        put("/api/cricket/matches/{id}/stream/{file}", |req, cx, p| {
            Box::pin(video::upload(req, cx, p.get("id"), p.get("file")))
        }),
        post("/api/cricket/matches/{id}/watch", |req, cx, p| Box::pin(fans::watch(req, cx, p.get("id")))),
        get("/api/cricket/follows", |req, cx, _| Box::pin(fans::follows(req, cx))),
        post("/api/cricket/follows", |req, cx, _| Box::pin(fans::follow(req, cx))),
        delete("/api/cricket/follows", |req, cx, _| Box::pin(fans::unfollow(req, cx))),
        get("/api/cricket/home", |req, cx, _| Box::pin(fans::home(req, cx))),
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
          api::match_charts, api::player_stats, talk::chat, talk::send_message, talk::remove_message, talk::mute,
          talk::list_polls, talk::open_poll, talk::vote, talk::close_poll, video::stream, video::set_stream,
          video::download, video::upload, fans::watch, fans::follows, fans::follow, fans::unfollow, fans::home),
    components(schemas(MatchView, MatchSummary, MatchList, InningsScore, Status, Scorecard, InningsCard, BattingLine,
                       BowlingLine, ExtrasLine, FallOfWicket, Partnership, OverSummary, Outcome, Margin, Commentary,
                       Line, LineKind, InningsPartnerships, Charts, InningsChart, WormPoint, OverBar, PlayerStats,
                       Career, RecentMatch, NewMatch, NewDelivery, Event, LiveState, LiveFrame, AtCrease, BowlerNow,
                       api::NewScorer, Delivery, Runs, Extras, Wicket, Fielder, ChatMessage, ChatPage,
                       NewChatMessage, NewMute, NewPoll, PollKind, Poll, NewVote, StreamView, Highlight, Clip,
                       NewStream, video::StoredFile, talk::Muted, Follow, FollowKind, Pick, CricketHome, fans::NewFollow)),
    tags((name = "cricket", description = "Cricket: ball-by-ball matches in Cricsheet's format"))
)]
struct CricketApi;
