//! `/api/cricket/follows`, `/home` and `/matches/{id}/watch`: the teams and players someone
//! follows, the matches they watched, and the home made from both (`shared::cricket::picks`).

use super::store::{self, MatchRow, MATCH_COLUMNS};
use crate::{
    auth::identity,
    d1::{self, num, text},
    http::{json, no_content, query_pairs, read_json, ApiResult, Cx},
};
use serde::Deserialize;
use shared::{
    cricket::picks::{home as make_home, Candidate, CricketHome, Follow, FollowKind, Watched, MAX_FOLLOWS},
    error::ErrorEnvelope,
    ApiError, ErrorCode,
};
use std::collections::HashMap;
use worker::{D1Database, Request};

/// Matches of each kind the home weighs: the live and upcoming, and the latest results.
const CANDIDATES: i64 = 150;
/// The watched matches that shape recommendations: the latest.
const WATCHED: i64 = 50;

#[derive(Deserialize)]
struct FollowRow {
    kind: String,
    target: String,
    name: String,
}

async fn follows_of(db: &D1Database, user_id: &str) -> Result<Vec<Follow>, ApiError> {
    let rows = d1::all::<FollowRow>(
        db,
        "SELECT kind, target, name FROM cricket_follows WHERE user_id = ?1 ORDER BY created_at, target",
        &[text(user_id)],
    )
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            FollowKind::parse(&r.kind).map(|kind| Follow { kind, target: r.target, name: r.name })
        })
        .collect())
}

/// The teams and players the caller follows.
#[utoipa::path(get, path = "/api/cricket/follows", tag = "cricket", security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = [Follow]), (status = 401, body = ErrorEnvelope)))]
pub async fn follows(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    json(200, &follows_of(&cx.db()?, &me.id).await?)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewFollow {
    pub kind: FollowKind,
    /// A team's name, or a player's id.
    pub target: String,
}

/// Follows a team (by its name in any match here) or a player (by id).
#[utoipa::path(post, path = "/api/cricket/follows", tag = "cricket", request_body = NewFollow,
    security(("session" = []), ("api_key" = [])),
    responses((status = 201, body = Follow), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
              (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn follow(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let db = cx.db()?;
    let asked = read_json::<NewFollow>(req).await?;
    let target = asked.target.trim().to_owned();
    if target.is_empty() || target.chars().count() > 120 {
        return Err(ApiError::invalid("target", "Name a team, or give a player's id."));
    }
    let name: Option<String> = match asked.kind {
        FollowKind::Team => {
            d1::value(
                &db,
                "SELECT team_a AS value FROM cricket_matches WHERE team_a = ?1
                 UNION SELECT team_b AS value FROM cricket_matches WHERE team_b = ?1 LIMIT 1",
                &[text(&target)],
            )
            .await?
        }
        FollowKind::Player => {
            d1::value(
                &db,
                "SELECT name AS value FROM cricket_match_players WHERE player_id = ?1 LIMIT 1",
                &[text(&target)],
            )
            .await?
        }
    };
    let name =
        name.ok_or_else(|| ApiError::not_found(format!("No {} here by that name.", asked.kind.as_str())))?;
    // Counted and written in one statement: a burst of follows cannot pass the cap.
    let added = d1::run(
        &db,
        "INSERT INTO cricket_follows (user_id, kind, target, name, created_at)
         SELECT ?1, ?2, ?3, ?4, ?5 WHERE (SELECT COUNT(*) FROM cricket_follows WHERE user_id = ?1) < ?6
         ON CONFLICT (user_id, kind, target) DO NOTHING",
        &[
            text(&me.id),
            text(asked.kind.as_str()),
            text(&target),
            text(&name),
            num(cx.now_ms),
            num(MAX_FOLLOWS as i64),
        ],
    )
    .await?;
    let follow = Follow { kind: asked.kind, target, name };
    if added == 0 {
        let already =
            follows_of(&db, &me.id).await?.iter().any(|f| f.kind == follow.kind && f.target == follow.target);
        if !already {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!("You follow {MAX_FOLLOWS} teams and players: unfollow one first."),
            ));
        }
        return json(200, &follow);
    }
    json(201, &follow)
}

/// Stops following: `?kind=team&target=India`.
#[utoipa::path(delete, path = "/api/cricket/follows", tag = "cricket",
    params(("kind" = String, Query, description = "team or player"), ("target" = String, Query, description = "The team's name or the player's id")),
    security(("session" = []), ("api_key" = [])),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn unfollow(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let pairs = query_pairs(req);
    let get = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let kind = FollowKind::parse(&get("kind"))
        .ok_or_else(|| ApiError::invalid("kind", "kind is team or player."))?;
    let removed = d1::run(
        &cx.db()?,
        "DELETE FROM cricket_follows WHERE user_id = ?1 AND kind = ?2 AND target = ?3",
        &[text(&me.id), text(kind.as_str()), text(get("target").trim())],
    )
    .await?;
    if removed == 0 {
        return Err(ApiError::not_found("You do not follow that."));
    }
    no_content()
}

/// Notes that the caller watched a match (its page opened): recommendations grow from it.
#[utoipa::path(post, path = "/api/cricket/matches/{id}/watch", tag = "cricket", params(("id" = String, Path)),
    security(("session" = []), ("api_key" = [])),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn watch(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let db = cx.db()?;
    store::match_row(&db, id).await?;
    d1::run(
        &db,
        "INSERT INTO cricket_watches (user_id, match_id, watched_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (user_id, match_id) DO UPDATE SET watched_at = excluded.watched_at",
        &[text(&me.id), text(id), num(cx.now_ms)],
    )
    .await?;
    no_content()
}

#[derive(Deserialize)]
struct PlayerRow {
    match_id: String,
    player_id: String,
    name: String,
}

/// Who plays in each of these matches.
async fn players_of(
    db: &D1Database,
    ids: &[String],
) -> Result<HashMap<String, Vec<(String, String)>>, ApiError> {
    let rows = d1::all::<PlayerRow>(
        db,
        "SELECT match_id, player_id, name FROM cricket_match_players WHERE match_id IN (SELECT value FROM json_each(?1))",
        &[text(&serde_json::to_string(ids).unwrap_or_default())],
    )
    .await?;
    let mut by_match: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for r in rows {
        by_match.entry(r.match_id).or_default().push((r.player_id, r.name));
    }
    Ok(by_match)
}

/// The cricket home: the matches of the teams and players the caller follows (live, upcoming,
/// the latest results), then matches recommended from what they watched. Without a session,
/// what most people watch.
#[utoipa::path(get, path = "/api/cricket/home", tag = "cricket",
    responses((status = 200, body = CricketHome)))]
pub async fn home(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::optional(req, cx).await?.map(|i| i.user);
    let db = cx.db()?;
    let follows = match &me {
        Some(me) => follows_of(&db, &me.id).await?,
        None => Vec::new(),
    };
    let user_id = me.as_ref().map(|m| m.id.clone()).unwrap_or_default();
    // The live and upcoming, the latest results, and every match of what is followed.
    let rows = d1::all::<MatchRow>(
        &db,
        &format!(
            "SELECT {MATCH_COLUMNS} FROM cricket_matches m JOIN auth_users u ON u.id = m.created_by
             WHERE m.id IN (SELECT id FROM cricket_matches WHERE status != 'completed' ORDER BY start_date DESC LIMIT ?2)
                OR m.id IN (SELECT id FROM cricket_matches WHERE status = 'completed' ORDER BY start_date DESC LIMIT ?2)
                OR m.id IN (SELECT id FROM cricket_matches x JOIN cricket_follows f ON f.user_id = ?1 AND f.kind = 'team'
                              AND (x.team_a = f.target OR x.team_b = f.target) ORDER BY x.start_date DESC LIMIT ?2)
                OR m.id IN (SELECT mp.match_id FROM cricket_match_players mp JOIN cricket_follows f ON f.user_id = ?1
                              AND f.kind = 'player' AND f.target = mp.player_id
                              JOIN cricket_matches x ON x.id = mp.match_id ORDER BY x.start_date DESC LIMIT ?2)"
        ),
        &[text(&user_id), num(CANDIDATES)],
    )
    .await?;
    #[derive(Deserialize)]
    struct WatchRow {
        match_id: String,
        team_a: String,
        team_b: String,
    }
    let watched_rows = d1::all::<WatchRow>(
        &db,
        "SELECT w.match_id, m.team_a, m.team_b FROM cricket_watches w JOIN cricket_matches m ON m.id = w.match_id
         WHERE w.user_id = ?1 ORDER BY w.watched_at DESC LIMIT ?2",
        &[text(&user_id), num(WATCHED)],
    )
    .await?;
    #[derive(Deserialize)]
    struct Watchers {
        match_id: String,
        n: u32,
    }
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let watchers = d1::all::<Watchers>(
        &db,
        "SELECT match_id, COUNT(*) AS n FROM cricket_watches WHERE match_id IN (SELECT value FROM json_each(?1))
         GROUP BY match_id",
        &[text(&serde_json::to_string(&ids).unwrap_or_default())],
    )
    .await?;
    let all_ids: Vec<String> =
        ids.iter().cloned().chain(watched_rows.iter().map(|w| w.match_id.clone())).collect();
    let mut players = players_of(&db, &all_ids).await?;
    let watched: Vec<Watched> = watched_rows
        .into_iter()
        .map(|w| Watched {
            players: players
                .get(&w.match_id)
                .map(|p| p.iter().map(|(id, _)| id.clone()).collect())
                .unwrap_or_default(),
            teams: vec![w.team_a, w.team_b],
            match_id: w.match_id,
        })
        .collect();
    let candidates: Vec<Candidate> = rows
        .iter()
        .map(|r| Candidate {
            summary: r.summary(),
            players: players.remove(&r.id).unwrap_or_default(),
            watchers: watchers.iter().find(|w| w.match_id == r.id).map_or(0, |w| w.n),
        })
        .collect();
    let home: CricketHome = make_home(follows, &watched, &candidates);
    json(200, &home)
}
