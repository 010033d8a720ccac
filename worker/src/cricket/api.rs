//! `/api/cricket`: import a Cricsheet file, export a match as one, and everything derived from a
//! match's ball-by-ball log (scorecard, commentary, partnerships, charts), lists of matches and
//! players' careers. Anyone reads; anyone signed in imports.

use super::store::{self, MatchRow};
use crate::{
    auth::identity,
    http::{json, query_pairs, read_json_up_to, with_headers, ApiResult, Cx},
    password::random,
    rate_limit,
};
use shared::{
    cricket::{
        career::{careers, PlayerMatch},
        charts::{charts, Charts},
        commentary::commentary as commentary_lines,
        cricsheet::{self, Match, MAX_FILE_BYTES},
        scorecard::{scorecard as score, Scorecard},
        wire::{
            self, batting_text, Commentary, InningsPartnerships, MatchList, MatchView, PlayerStats,
            RecentMatch, Status,
        },
    },
    error::ErrorEnvelope,
    ids::TimeId,
    rate_limit::RateLimit,
    ApiError,
};
use std::collections::{BTreeMap, HashMap};
use worker::{Request, Response};

/// Imports a person may make in an hour.
const IMPORTS: RateLimit = RateLimit { limit: 120, window_secs: 3_600 };
/// Matches a page lists.
const PAGE: u32 = 30;

fn view(row: &MatchRow, m: &Match) -> MatchView {
    let mut player_ids = BTreeMap::new();
    for name in m.info.players.values().flatten() {
        player_ids.insert(name.clone(), wire::player_id(m, name));
    }
    for innings in &m.innings {
        for (_, d) in innings.deliveries() {
            for name in [&d.batter, &d.non_striker, &d.bowler] {
                player_ids.entry(name.clone()).or_insert_with(|| wire::player_id(m, name));
            }
        }
    }
    MatchView {
        summary: row.summary(),
        toss: m.info.toss.as_ref().map(|t| format!("{} won the toss and chose to {}", t.winner, t.decision)),
        player_of_match: m.info.player_of_match.clone().unwrap_or_default(),
        players: m.info.players.clone(),
        player_ids,
        balls_per_over: m.info.balls_per_over,
        overs: m.info.overs,
        created_by: row.created_by_name.clone(),
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
    store::insert_imported(&db, &id, &m, &card, &fingerprint, &me.id, cx.now_ms).await?;
    let row = store::match_row(&db, &id).await?;
    json(201, &view(&row, &m))
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
    json(200, &view(&row, &m))
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
    let (_, m) = loaded(cx, id).await?;
    let mut lines = commentary_lines(&m, &HashMap::new());
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
