//! News: a Hacker-News-style community (shared::news). Items, votes, flags and profiles live
//! in D1; the ranked lists are cached in KV (`front`); HN's own read API is served at `/v0/`
//! (`hn`), so existing HN clients read Dozen News unchanged.

pub mod api;
pub mod demo;
pub mod edits;
pub mod front;
pub mod hn;
pub mod live;
pub mod moderation;
pub mod profiles;
pub mod store;

use crate::{
    product::Product,
    router::{delete, get, patch, post, put},
};
use shared::news::{
    moderation::FlagReason,
    ranking::{Explanation, Penalty},
    submission::StoryKind,
    votes::Direction,
    wire::{
        AboutRequest, CommentList, CommentRequest, CommentView, EditRequest, Edited, FlagRequest, HnItem,
        HnUpdates, HnUser, ItemPage, LiveFrame, ModerationEntry, ModerationLog, ModerationRequest,
        ProfileComment, ProfileView, StandingView, StoryList, StoryView, SubmitRequest, Submitted,
        VoteRequest, VoteResult,
    },
};
use utoipa::OpenApi;

pub const PRODUCT: Product = Product {
    name: "news",
    routes: &[
        get("/api/news/stories", |req, cx, _| Box::pin(api::list(req, cx))),
        post("/api/news/stories", |req, cx, _| Box::pin(api::submit(req, cx))),
        get("/api/news/items/{id}", |req, cx, p| Box::pin(api::item_page(req, cx, p.get("id")))),
        patch("/api/news/items/{id}", |req, cx, p| Box::pin(edits::edit(req, cx, p.get("id")))),
        delete("/api/news/items/{id}", |req, cx, p| Box::pin(edits::delete(req, cx, p.get("id")))),
        get("/api/news/items/{id}/live", |req, cx, p| Box::pin(live::story_socket(req, cx, p.get("id")))),
        put("/api/news/items/{id}/favorite", |req, cx, p| Box::pin(profiles::favorite(req, cx, p.get("id")))),
        delete("/api/news/items/{id}/favorite", |req, cx, p| {
            Box::pin(profiles::unfavorite(req, cx, p.get("id")))
        }),
        get("/api/news/live", |req, cx, _| Box::pin(live::front_socket(req, cx))),
        post("/api/news/comments", |req, cx, _| Box::pin(api::comment(req, cx))),
        post("/api/news/items/{id}/vote", |req, cx, p| Box::pin(api::vote(req, cx, p.get("id")))),
        delete("/api/news/items/{id}/vote", |req, cx, p| Box::pin(api::unvote(req, cx, p.get("id")))),
        post("/api/news/items/{id}/flag", |req, cx, p| Box::pin(api::flag(req, cx, p.get("id")))),
        post("/api/news/items/{id}/vouch", |req, cx, p| Box::pin(api::vouch(req, cx, p.get("id")))),
        get("/api/news/users/{username}", |req, cx, p| {
            Box::pin(profiles::profile(req, cx, p.get("username")))
        }),
        patch("/api/news/users/{username}", |req, cx, p| {
            Box::pin(profiles::edit_about(req, cx, p.get("username")))
        }),
        get("/api/news/users/{username}/stories", |req, cx, p| {
            Box::pin(profiles::stories(req, cx, p.get("username")))
        }),
        get("/api/news/users/{username}/comments", |req, cx, p| {
            Box::pin(profiles::comments(req, cx, p.get("username")))
        }),
        get("/api/news/users/{username}/favorites", |req, cx, p| {
            Box::pin(profiles::favorites(req, cx, p.get("username")))
        }),
        get("/api/news/users/{username}/upvoted", |req, cx, p| {
            Box::pin(profiles::upvoted(req, cx, p.get("username")))
        }),
        post("/api/news/moderation", |req, cx, _| Box::pin(moderation::moderate(req, cx))),
        get("/api/news/moderation", |req, cx, _| Box::pin(moderation::log(req, cx))),
        // HN's read API, at HN's own paths.
        get("/v0/item/{id}", |req, cx, p| Box::pin(hn::item(req, cx, p.get("id")))),
        get("/v0/user/{id}", |req, cx, p| Box::pin(hn::user(req, cx, p.get("id")))),
        get("/v0/topstories.json", |req, cx, _| Box::pin(hn::top(req, cx))),
        get("/v0/newstories.json", |req, cx, _| Box::pin(hn::new(req, cx))),
        get("/v0/beststories.json", |req, cx, _| Box::pin(hn::best(req, cx))),
        get("/v0/askstories.json", |req, cx, _| Box::pin(hn::ask(req, cx))),
        get("/v0/showstories.json", |req, cx, _| Box::pin(hn::show(req, cx))),
        get("/v0/jobstories.json", |req, cx, _| Box::pin(hn::jobs(req, cx))),
        get("/v0/maxitem.json", |req, cx, _| Box::pin(hn::max_item(req, cx))),
        get("/v0/updates.json", |req, cx, _| Box::pin(hn::updates(req, cx))),
    ],
    mounts: &[],
    openapi: NewsApi::openapi,
    jobs: &[],
    consumers: &[],
    demo: Some(|cx| Box::pin(demo::seed(&cx.env, cx.now_ms))),
};

#[derive(OpenApi)]
#[openapi(
    paths(
        api::list,
        api::submit,
        api::item_page,
        api::comment,
        api::vote,
        api::unvote,
        api::flag,
        api::vouch,
        edits::edit,
        edits::delete,
        live::story_socket,
        live::front_socket,
        profiles::profile,
        profiles::edit_about,
        profiles::stories,
        profiles::comments,
        profiles::favorites,
        profiles::upvoted,
        profiles::favorite,
        profiles::unfavorite,
        moderation::moderate,
        moderation::log,
        hn::item,
        hn::user,
        hn::top,
        hn::new,
        hn::best,
        hn::ask,
        hn::show,
        hn::jobs,
        hn::max_item,
        hn::updates
    ),
    components(schemas(
        SubmitRequest,
        Submitted,
        StoryView,
        StoryList,
        StoryKind,
        ItemPage,
        CommentView,
        CommentRequest,
        VoteRequest,
        VoteResult,
        Direction,
        FlagRequest,
        FlagReason,
        StandingView,
        ProfileView,
        AboutRequest,
        EditRequest,
        Edited,
        CommentList,
        ProfileComment,
        LiveFrame,
        ModerationRequest,
        ModerationEntry,
        ModerationLog,
        Explanation,
        Penalty,
        HnItem,
        HnUser,
        HnUpdates
    )),
    tags((name = "news", description = "A Hacker-News-style community, and HN's read API at /v0"))
)]
struct NewsApi;
