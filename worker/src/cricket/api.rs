//! `/api/cricket`: import a Cricsheet file, export a match as one, and everything derived from a
//! match's ball-by-ball log (scorecard, commentary, partnerships, charts), lists of matches and
//! players' careers. Anyone reads; anyone signed in imports.

use super::{
    room::{Change, MATCH_HEADER},
    store::{self, MatchRow},
};
use crate::{
    auth::identity,
    http::{header, json, query_pairs, read_json, read_json_up_to, with_headers, ApiResult, Cx},
    password::random,
    rate_limit,
};
use shared::{
    cricket::{
        career::{careers, PlayerMatch},
        charts::{charts, Charts},
        commentary::commentary as commentary_lines,
        cricsheet::{self, Match, MAX_FILE_BYTES},
        live::{Event, Live},
        live_view::{LiveState, NewDelivery, NewMatch},
        scorecard::{scorecard as score, Scorecard},
        wire::{
            self, batting_text, Commentary, InningsPartnerships, MatchList, MatchView, PlayerStats,
            RecentMatch, Status,
        },
    },
    error::ErrorEnvelope,
    ids::TimeId,
    rate_limit::RateLimit,
    time::Timestamp,
    ApiError, ErrorCode,
};
use std::collections::HashMap;
use worker::{Request, Response};

/// Imports a person may make in an hour.
const IMPORTS: RateLimit = RateLimit { limit: 120, window_secs: 3_600 };
/// Matches a page lists.
const PAGE: u32 = 30;

fn view(row: &MatchRow, m: &Match, scorers: Vec<String>) -> MatchView {
    let player_ids = wire::players_of(m);
    MatchView {
        summary: row.summary(),
        toss: m.info.toss.as_ref().map(|t| format!("{} won the toss and chose to {}", t.winner, t.decision)),
        player_of_match: m.info.player_of_match.clone().unwrap_or_default(),
        players: m.info.players.clone(),
        player_ids,
        balls_per_over: m.info.balls_per_over,
        overs: m.info.overs,
        created_by: row.created_by_name.clone(),
        scored_live: row.source == "live",
        scorers,
    }
}

/// Takes a Cricsheet JSON file as downloaded (up to 5 MB) and creates the match with its players.
#[utoipa::path(post, path = "/api/cricket/matches/import", tag = "cricket",
    request_body(content = Object, description = "A Cricsheet JSON match file (data_version 1.x)"),
    security(("session" = []), ("api_key" = [])),
    responses((status = 201, body = MatchView), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
              (status = 409, body = ErrorEnvelope, description = "This match was imported already"),
              (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope),
              (status = 422, body = ErrorEnvelope, description = "`field` is the path of the first problem, e.g. innings[1].overs[4].deliveries[2].runs.total"),
              (status = 429, body = ErrorEnvelope)))]
pub async fn import(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let db = cx.db()?;
    rate_limit::hit(&db, &format!("cricket-imports:user:{}", me.id), IMPORTS, cx.now_ms).await?;
    let m = cricsheet::check(read_json_up_to::<Match>(req, MAX_FILE_BYTES).await?)?;
    let fingerprint = wire::fingerprint(&m);
    if let Some(first) = store::imported_as(&db, &fingerprint).await? {
        return Err(store::already_imported(&first));
    }
    let card = score(&m);
    let id = TimeId::new(cx.now_ms, random::<10>()?).to_string();
    store::insert_match(&db, &id, &m, &card, Some(&fingerprint), &me.id, cx.now_ms).await?;
    let row = store::match_row(&db, &id).await?;
    json(201, &view(&row, &m, vec![row.created_by_name.clone()]))
}

/// Matches, newest first: live, upcoming or completed, with a team.
#[utoipa::path(get, path = "/api/cricket/matches", tag = "cricket",
    params(("status" = Option<String>, Query, description = "live, upcoming or completed"),
           ("team" = Option<String>, Query, description = "Only this team's matches"),
           ("cursor" = Option<String>, Query, description = "next_cursor of the page before")),
    responses((status = 200, body = MatchList), (status = 422, body = ErrorEnvelope)))]
pub async fn list(req: &mut Request, cx: &Cx) -> ApiResult {
    let (mut status, mut team, mut cursor) = (None, None, None);
    for (name, value) in query_pairs(req) {
        match name.as_str() {
            "status" if !value.is_empty() => {
                status =
                    Some(Status::parse(&value).ok_or_else(|| {
                        ApiError::invalid("status", "status is live, upcoming or completed.")
                    })?)
            }
            "team" if !value.trim().is_empty() => team = Some(value.trim().to_owned()),
            "cursor" if !value.is_empty() => cursor = Some(value),
            _ => {}
        }
    }
    let after = match &cursor {
        Some(c) => Some(
            c.rsplit_once('~')
                .ok_or_else(|| ApiError::invalid("cursor", "That cursor is not one we gave."))?,
        ),
        None => None,
    };
    let rows = store::list(&cx.db()?, status, team.as_deref(), after, PAGE + 1).await?;
    let more = rows.len() > PAGE as usize;
    let matches: Vec<_> = rows.iter().take(PAGE as usize).map(MatchRow::summary).collect();
    let next_cursor = more.then(|| matches.last().map(|m| format!("{}~{}", m.start_date, m.id))).flatten();
    json(200, &MatchList { matches, next_cursor })
}

async fn loaded(cx: &Cx, id: &str) -> Result<(MatchRow, Match), ApiError> {
    let db = cx.db()?;
    let row = store::match_row(&db, id).await?;
    let m = store::load(&db, id).await?;
    Ok((row, m))
}

/// A live match's result is not out yet: the scorecard says so.
fn scored(row: &MatchRow, m: &Match) -> Scorecard {
    let mut card = score(m);
    if row.status() != Status::Completed {
        card.result = String::new();
        card.outcome = Default::default();
    }
    card
}

/// One match's header: teams, status, scores, result, toss, the sides and their players' ids.
#[utoipa::path(get, path = "/api/cricket/matches/{id}", tag = "cricket", params(("id" = String, Path)),
    responses((status = 200, body = MatchView), (status = 404, body = ErrorEnvelope)))]
pub async fn get_match(_req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let (row, m) = loaded(cx, id).await?;
    let scorers = store::scorer_names(&cx.db()?, id).await?;
    json(200, &view(&row, &m, scorers))
}

/// The match as a Cricsheet JSON file, which imports again to the same match.
#[utoipa::path(get, path = "/api/cricket/matches/{id}/cricsheet", tag = "cricket", params(("id" = String, Path)),
    responses((status = 200, content_type = "application/json", body = Object, description = "Cricsheet JSON (data from cricsheet.org where imported)"),
              (status = 404, body = ErrorEnvelope)))]
pub async fn export(_req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let (_, m) = loaded(cx, id).await?;
    let response = Response::ok(cricsheet::to_json(&m)).map_err(|e| crate::http::internal("export", e))?;
    with_headers(
        response,
        &[
            ("Content-Type", "application/json; charset=utf-8".to_owned()),
            ("Content-Disposition", format!("attachment; filename=\"{id}.json\"")),
        ],
    )
}

/// The scorecard derived from the match's balls: batting, bowling, extras, totals, fall of
/// wickets, partnerships, each over's balls and the result.
#[utoipa::path(get, path = "/api/cricket/matches/{id}/scorecard", tag = "cricket", params(("id" = String, Path)),
    responses((status = 200, body = Scorecard), (status = 404, body = ErrorEnvelope)))]
pub async fn scorecard(_req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let (row, m) = loaded(cx, id).await?;
    json(200, &scored(&row, &m))
}

/// A line per ball, the end of each over and milestones, in the order they happened.
#[utoipa::path(get, path = "/api/cricket/matches/{id}/commentary", tag = "cricket",
    params(("id" = String, Path), ("innings" = Option<u32>, Query, description = "Only this innings (from 1)")),
    responses((status = 200, body = Commentary), (status = 422, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn commentary(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let innings = match query_pairs(req).into_iter().find(|(k, _)| k == "innings") {
        Some((_, v)) => {
            Some(v.parse::<u32>().map_err(|_| ApiError::invalid("innings", "innings is a number from 1."))?)
        }
        None => None,
    };
    let (row, m) = loaded(cx, id).await?;
    // A live match's scorers' words are in its events.
    let notes = if row.source == "live" {
        let events = store::events(&cx.db()?, id).await?;
        Live::restore(m.clone(), &events).notes
    } else {
        HashMap::new()
    };
    let mut lines = commentary_lines(&m, &notes);
    if let Some(n) = innings {
        lines.retain(|l| l.innings == n);
    }
    json(200, &Commentary { lines })
}

/// Every innings' partnerships, wicket by wicket.
#[utoipa::path(get, path = "/api/cricket/matches/{id}/partnerships", tag = "cricket", params(("id" = String, Path)),
    responses((status = 200, body = [InningsPartnerships]), (status = 404, body = ErrorEnvelope)))]
pub async fn partnerships(_req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let (row, m) = loaded(cx, id).await?;
    let card = scored(&row, &m);
    let all: Vec<InningsPartnerships> = card
        .innings
        .into_iter()
        .map(|i| InningsPartnerships {
            number: i.number,
            team: i.team,
            super_over: i.super_over,
            partnerships: i.partnerships,
        })
        .collect();
    json(200, &all)
}

/// The worm and the manhattan of every innings.
#[utoipa::path(get, path = "/api/cricket/matches/{id}/charts", tag = "cricket", params(("id" = String, Path)),
    responses((status = 200, body = Charts), (status = 404, body = ErrorEnvelope)))]
pub async fn match_charts(_req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let (row, m) = loaded(cx, id).await?;
    json(200, &charts(&scored(&row, &m)))
}

/// A player's career in each format over every match here, and their latest matches.
#[utoipa::path(get, path = "/api/cricket/players/{id}/stats", tag = "cricket", params(("id" = String, Path)),
    responses((status = 200, body = PlayerStats), (status = 404, body = ErrorEnvelope)))]
pub async fn player_stats(_req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let db = cx.db()?;
    let rows = store::player_lines(&db, id).await?;
    let Some(name) = rows.first().map(|r| r.name.clone()).or(store::player_name(&db, id).await?) else {
        return Err(ApiError::not_found("No such player."));
    };
    // Each row with its line (one that no longer reads is left out, with its row).
    let read: Vec<(&store::PlayerLineRow, PlayerMatch)> =
        rows.iter().filter_map(|r| serde_json::from_str(&r.line).ok().map(|line| (r, line))).collect();
    let lines: Vec<PlayerMatch> = read.iter().map(|(_, line)| line.clone()).collect();
    let mut teams: Vec<String> = Vec::new();
    for row in &rows {
        if !teams.contains(&row.team) {
            teams.push(row.team.clone());
        }
    }
    let recent = read
        .iter()
        .map(|(row, line)| (*row, line))
        .take(10)
        .map(|(row, line)| RecentMatch {
            match_id: row.match_id.clone(),
            title: row.title.clone(),
            start_date: row.start_date.clone(),
            match_type: row.format.clone(),
            batting: line
                .batting
                .iter()
                .map(|b| batting_text(b.runs, b.balls, b.out))
                .collect::<Vec<_>>()
                .join(" & "),
            bowling: line
                .bowling
                .iter()
                .map(|b| {
                    format!(
                        "{}/{} ({})",
                        b.wickets,
                        b.runs,
                        shared::cricket::laws::overs_text(b.balls, line.balls_per_over)
                    )
                })
                .collect::<Vec<_>>()
                .join(" & "),
        })
        .collect();
    json(200, &PlayerStats { id: id.to_owned(), name, teams, careers: careers(&lines), recent })
}

/// Scores a match live: its sides and format; the creator scores it and may invite others.
#[utoipa::path(post, path = "/api/cricket/matches", tag = "cricket", request_body = NewMatch,
    security(("session" = []), ("api_key" = [])),
    responses((status = 201, body = MatchView), (status = 401, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope),
              (status = 429, body = ErrorEnvelope)))]
pub async fn create(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let db = cx.db()?;
    rate_limit::hit(&db, &format!("cricket-imports:user:{}", me.id), IMPORTS, cx.now_ms).await?;
    let today = Timestamp(cx.now_ms).to_rfc3339();
    let m = read_json::<NewMatch>(req).await?.into_match(today.get(..10).unwrap_or("1970-01-01"))?;
    let id = TimeId::new(cx.now_ms, random::<10>()?).to_string();
    store::insert_match(&db, &id, &m, &score(&m), None, &me.id, cx.now_ms).await?;
    let row = store::match_row(&db, &id).await?;
    json(201, &view(&row, &m, vec![row.created_by_name.clone()]))
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
pub struct NewScorer {
    pub username: String,
}

/// Invites someone to score the match with its creator (the creator only).
#[utoipa::path(post, path = "/api/cricket/matches/{id}/scorers", tag = "cricket", params(("id" = String, Path)),
    request_body = NewScorer, security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = [String], description = "The match's scorers now"), (status = 401, body = ErrorEnvelope),
              (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn add_scorer(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let db = cx.db()?;
    let row = store::match_row(&db, id).await?;
    if row.created_by != me.id {
        return Err(ApiError::new(ErrorCode::Forbidden, "Only the match's creator invites scorers."));
    }
    if row.source != "live" {
        return Err(ApiError::new(ErrorCode::Conflict, "An imported match is not scored live."));
    }
    rate_limit::hit(&db, &format!("cricket-scorers:user:{}", me.id), IMPORTS, cx.now_ms).await?;
    let asked = read_json::<NewScorer>(req).await?;
    let user_id = store::user_id_of(&db, &asked.username)
        .await?
        .ok_or_else(|| ApiError::invalid("username", "Nobody has that username."))?;
    store::add_scorer(&db, id, &user_id, cx.now_ms).await?;
    json(200, &store::scorer_names(&db, id).await?)
}

/// The caller, if they score this live match; else 403 saying who may `do_what` (or 409 for an
/// imported one).
pub(super) async fn scorer(req: &Request, cx: &Cx, id: &str, do_what: &str) -> Result<String, ApiError> {
    let me = identity::require(req, cx).await?.user;
    let db = cx.db()?;
    let row = store::match_row(&db, id).await?;
    if row.source != "live" {
        return Err(ApiError::new(ErrorCode::Conflict, "An imported match is not scored live."));
    }
    if !store::is_scorer(&db, id, &me.id).await? {
        return Err(ApiError::new(ErrorCode::Forbidden, format!("Only the match's scorers {do_what}.")));
    }
    Ok(me.id)
}

/// `?expected_seq=N`: the events the scorer saw (a change to a log that moved since is 409).
fn expected_seq(req: &Request) -> Result<Option<u32>, ApiError> {
    match query_pairs(req).into_iter().find(|(k, _)| k == "expected_seq") {
        Some((_, v)) => v
            .parse::<u32>()
            .map(Some)
            .map_err(|_| ApiError::invalid("expected_seq", "expected_seq is the number of events you saw.")),
        None => Ok(None),
    }
}

async fn change(req: &Request, cx: &Cx, id: &str, user_id: String, event: Option<Event>) -> ApiResult {
    let asked = Change { match_id: id.to_owned(), user_id, event, expected_seq: expected_seq(req)? };
    let state: LiveState = crate::durable::ask(&cx.env, "CRICKET_MATCHES", id, "/change", &asked).await?;
    json(200, &state)
}

/// Records one ball in Cricsheet's delivery shape (with the scorer's words in `note`); an
/// impossible ball is refused with the reason. Every viewer's socket gets the new state.
#[utoipa::path(post, path = "/api/cricket/matches/{id}/deliveries", tag = "cricket",
    params(("id" = String, Path), ("expected_seq" = Option<u32>, Query, description = "The events you saw: 409 if the log moved since")),
    request_body = NewDelivery, security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = LiveState), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
              (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn deliver(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let user_id = scorer(req, cx, id, "record its balls").await?;
    let delivery = read_json::<NewDelivery>(req).await?;
    change(req, cx, id, user_id, Some(delivery.into())).await
}

/// Any other event: an innings begins (`start_innings`), a declaration, the match's end.
#[utoipa::path(post, path = "/api/cricket/matches/{id}/events", tag = "cricket",
    params(("id" = String, Path), ("expected_seq" = Option<u32>, Query, description = "The events you saw: 409 if the log moved since")),
    request_body = Event, security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = LiveState), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
              (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn event(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let user_id = scorer(req, cx, id, "record its balls").await?;
    let event = read_json::<Event>(req).await?;
    change(req, cx, id, user_id, Some(event)).await
}

/// Takes back the last event; every viewer sees it go.
#[utoipa::path(post, path = "/api/cricket/matches/{id}/undo", tag = "cricket",
    params(("id" = String, Path), ("expected_seq" = Option<u32>, Query, description = "The events you saw: 409 if the log moved since")),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = LiveState), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
              (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn undo(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let user_id = scorer(req, cx, id, "record its balls").await?;
    change(req, cx, id, user_id, None).await
}

/// Follows a live match: the state at once, then again after every event (frames in the README's
/// "Cricket socket").
#[utoipa::path(get, path = "/api/cricket/matches/{id}/socket", tag = "cricket", params(("id" = String, Path)),
    responses((status = 101, description = "Switching to the match's socket"), (status = 400, body = ErrorEnvelope),
              (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn socket(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    if !header(req, "Upgrade").is_some_and(|u| u.eq_ignore_ascii_case("websocket")) {
        return Err(ApiError::new(
            ErrorCode::BadRequest,
            "This is a WebSocket: connect with `Upgrade: websocket`.",
        ));
    }
    let row = store::match_row(&cx.db()?, id).await?;
    if row.source != "live" {
        return Err(ApiError::new(ErrorCode::Conflict, "An imported match has no live socket."));
    }
    crate::durable::connect(&cx.env, "CRICKET_MATCHES", &row.id, req, &[(MATCH_HEADER, &row.id)]).await
}
