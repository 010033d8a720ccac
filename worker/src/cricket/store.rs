//! Cricket's rows in D1 (migration 0039): a match's `meta` and `info`, its innings as Cricsheet
//! JSON, its derived summary, its players and each player's line of it.

use crate::d1::{self, num, opt_text, text};
use crate::http::OrInternal;
use serde::Deserialize;
use shared::cricket::{
    career::{player_matches, PlayerMatch},
    cricsheet::{Innings, Match, Meta},
    live::{Event, Live},
    scorecard::{scorecard, Scorecard},
    wire::{self, InningsScore, MatchSummary, Status},
};
use shared::{ApiError, ErrorCode};
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

#[derive(Deserialize)]
pub struct MatchRow {
    pub id: String,
    pub created_by: String,
    /// "import" or "live".
    pub source: String,
    pub created_by_name: String,
    pub status: String,
    pub match_type: String,
    pub title: String,
    pub team_a: String,
    pub team_b: String,
    pub event_name: Option<String>,
    pub venue: Option<String>,
    pub start_date: String,
    pub scores: String,
    pub result: String,
}

impl MatchRow {
    pub fn status(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::Completed)
    }

    pub fn summary(&self) -> MatchSummary {
        MatchSummary {
            id: self.id.clone(),
            title: self.title.clone(),
            teams: vec![self.team_a.clone(), self.team_b.clone()],
            match_type: self.match_type.clone(),
            status: self.status(),
            event: self.event_name.clone(),
            venue: self.venue.clone(),
            start_date: self.start_date.clone(),
            scores: serde_json::from_str::<Vec<InningsScore>>(&self.scores).unwrap_or_default(),
            result: self.result.clone(),
        }
    }
}

/// D1 keeps rows up to 2 MB; an innings (a long Test's is about 100 KB) stays well inside.
const MAX_INNINGS_BYTES: usize = 1_800_000;

pub const MATCH_COLUMNS: &str =
    "m.id, m.created_by, u.username AS created_by_name, m.source, m.status, m.match_type, m.title,
    m.team_a, m.team_b, m.event_name, m.venue, m.start_date, m.scores, m.result";

/// The id of the match imported with this fingerprint, if one was.
pub async fn imported_as(db: &D1Database, fingerprint: &str) -> Result<Option<String>, ApiError> {
    d1::value(db, "SELECT id AS value FROM cricket_matches WHERE fingerprint = ?1", &[text(fingerprint)])
        .await
}

fn json_text<T: serde::Serialize>(value: &T) -> JsValue {
    text(&serde_json::to_string(value).unwrap_or_default())
}

/// The statements that write a player's id and their line of a match.
fn player_statements(
    db: &D1Database,
    match_id: &str,
    m: &Match,
    lines: &[PlayerMatch],
) -> Result<Vec<D1PreparedStatement>, ApiError> {
    let start_date = m.info.dates.first().cloned().unwrap_or_default();
    let mut statements = Vec::with_capacity(lines.len() * 2);
    for line in lines {
        let player_id = wire::player_id(m, &line.name);
        statements.push(d1::prepare(
            db,
            "INSERT INTO cricket_players (id, name) VALUES (?1, ?2) ON CONFLICT(id) DO NOTHING",
            &[text(&player_id), text(&line.name)],
        )?);
        statements.push(d1::prepare(
            db,
            "INSERT INTO cricket_player_matches (player_id, match_id, team, format, start_date, line)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            &[
                text(&player_id),
                text(match_id),
                text(&line.team),
                text(&line.format),
                text(&start_date),
                json_text(line),
            ],
        )?);
    }
    Ok(statements)
}

/// Stores a match, its innings, who plays in it and (once it is over) their lines, in one
/// transaction: all or nothing. An imported match (with its `fingerprint`) is completed, and a
/// second import of it is 409 naming the first; a match to be scored live is upcoming.
pub async fn insert_match(
    db: &D1Database,
    id: &str,
    m: &Match,
    card: &Scorecard,
    fingerprint: Option<&str>,
    user_id: &str,
    now_ms: i64,
) -> Result<(), ApiError> {
    let (status, source, result) = match fingerprint {
        Some(_) => ("completed", "import", card.result.as_str()),
        None => ("upcoming", "live", ""),
    };
    let mut statements = vec![d1::prepare(
        db,
        "INSERT INTO cricket_matches (id, created_by, status, source, match_type, team_a, team_b, title, event_name,
             venue, start_date, scores, result, meta, info, fingerprint, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17)",
        &[
            text(id),
            text(user_id),
            text(status),
            text(source),
            text(&m.info.match_type),
            text(&m.info.teams[0]),
            text(&m.info.teams[1]),
            text(&wire::title(m)),
            opt_text(wire::event_name(m).as_deref()),
            opt_text(m.info.venue.as_deref()),
            text(&m.info.dates.first().cloned().unwrap_or_default()),
            json_text(&wire::scores(card)),
            text(result),
            json_text(&m.meta),
            json_text(&m.info),
            opt_text(fingerprint),
            num(now_ms),
        ],
    )?];
    for (i, innings) in m.innings.iter().enumerate() {
        let body = serde_json::to_string(innings).internal("writing an innings")?;
        if body.len() > MAX_INNINGS_BYTES {
            return Err(ApiError {
                field: Some(format!("innings[{i}]")),
                ..ApiError::new(
                    ErrorCode::PayloadTooLarge,
                    format!(
                        "An innings is at most {MAX_INNINGS_BYTES} bytes of JSON; innings[{i}] is {}.",
                        body.len()
                    ),
                )
            });
        }
        statements.push(d1::prepare(
            db,
            "INSERT INTO cricket_innings (match_id, number, body) VALUES (?1, ?2, ?3)",
            &[text(id), num(i as i64 + 1), text(&body)],
        )?);
    }
    for (name, player_id) in wire::players_of(m) {
        statements.push(d1::prepare(
            db,
            "INSERT INTO cricket_match_players (match_id, player_id, name) VALUES (?1, ?2, ?3)
             ON CONFLICT DO NOTHING",
            &[text(id), text(&player_id), text(&name)],
        )?);
    }
    if fingerprint.is_some() {
        statements.extend(player_statements(db, id, m, &player_matches(m, card))?);
    }
    match db.batch(statements).await {
        Ok(_) => Ok(()),
        Err(err) if d1::is_unique_violation(&err, "cricket_matches.fingerprint") => {
            let first = imported_as(db, fingerprint.unwrap_or_default()).await?.unwrap_or_default();
            Err(already_imported(&first))
        }
        Err(err) => Err(crate::http::internal("storing a match", err)),
    }
}

pub fn already_imported(id: &str) -> ApiError {
    ApiError::new(ErrorCode::Conflict, format!("This match has been imported already: it is match {id}."))
}

pub async fn match_row(db: &D1Database, id: &str) -> Result<MatchRow, ApiError> {
    d1::first::<MatchRow>(
        db,
        &format!("SELECT {MATCH_COLUMNS} FROM cricket_matches m JOIN auth_users u ON u.id = m.created_by WHERE m.id = ?1"),
        &[text(id)],
    )
    .await?
    .ok_or_else(|| ApiError::not_found("No such match."))
}

/// The whole match as Cricsheet: its `meta`, `info` and innings.
pub async fn load(db: &D1Database, id: &str) -> Result<Match, ApiError> {
    #[derive(Deserialize)]
    struct Head {
        meta: String,
        info: String,
    }
    #[derive(Deserialize)]
    struct Body {
        body: String,
    }
    let head = d1::first::<Head>(db, "SELECT meta, info FROM cricket_matches WHERE id = ?1", &[text(id)])
        .await?
        .ok_or_else(|| ApiError::not_found("No such match."))?;
    let bodies = d1::all::<Body>(
        db,
        "SELECT body FROM cricket_innings WHERE match_id = ?1 ORDER BY number",
        &[text(id)],
    )
    .await?;
    let meta: Meta = serde_json::from_str(&head.meta).internal("reading a match's meta")?;
    let info = serde_json::from_str(&head.info).internal("reading a match's info")?;
    let innings = bodies
        .iter()
        .map(|b| serde_json::from_str::<Innings>(&b.body))
        .collect::<Result<Vec<_>, _>>()
        .internal("reading a match's innings")?;
    Ok(Match { meta, info, innings })
}

/// A page of matches, newest first: by status and team when given, after `cursor`
/// ("start_date~id" of the last one seen).
pub async fn list(
    db: &D1Database,
    status: Option<Status>,
    team: Option<&str>,
    cursor: Option<(&str, &str)>,
    limit: u32,
) -> Result<Vec<MatchRow>, ApiError> {
    let (after_date, after_id) = cursor.unwrap_or(("9999-12-31", "~"));
    d1::all::<MatchRow>(
        db,
        &format!(
            "SELECT {MATCH_COLUMNS} FROM cricket_matches m JOIN auth_users u ON u.id = m.created_by
             WHERE (?1 IS NULL OR m.status = ?1) AND (?2 IS NULL OR m.team_a = ?2 OR m.team_b = ?2)
               AND (m.start_date, m.id) < (?3, ?4)
             ORDER BY m.start_date DESC, m.id DESC LIMIT ?5"
        ),
        &[
            opt_text(status.map(Status::as_str)),
            opt_text(team),
            text(after_date),
            text(after_id),
            num(limit.into()),
        ],
    )
    .await
}

#[derive(Deserialize)]
pub struct PlayerLineRow {
    pub name: String,
    pub match_id: String,
    pub title: String,
    pub start_date: String,
    pub format: String,
    pub team: String,
    pub line: String,
}

/// Every line of a player's, newest match first.
pub async fn player_lines(db: &D1Database, player_id: &str) -> Result<Vec<PlayerLineRow>, ApiError> {
    d1::all::<PlayerLineRow>(
        db,
        "SELECT p.name, pm.match_id, m.title, pm.start_date, pm.format, pm.team, pm.line
         FROM cricket_player_matches pm
         JOIN cricket_players p ON p.id = pm.player_id
         JOIN cricket_matches m ON m.id = pm.match_id
         WHERE pm.player_id = ?1
         ORDER BY pm.start_date DESC, pm.match_id DESC",
        &[text(player_id)],
    )
    .await
}

pub async fn player_name(db: &D1Database, player_id: &str) -> Result<Option<String>, ApiError> {
    d1::value(db, "SELECT name AS value FROM cricket_players WHERE id = ?1", &[text(player_id)]).await
}

/// Whether this person scores the match: its creator, or someone they invited.
pub async fn is_scorer(db: &D1Database, match_id: &str, user_id: &str) -> Result<bool, ApiError> {
    Ok(d1::count(
        db,
        "SELECT COUNT(*) AS n FROM cricket_matches m
         WHERE m.id = ?1 AND (m.created_by = ?2
           OR EXISTS (SELECT 1 FROM cricket_scorers s WHERE s.match_id = ?1 AND s.user_id = ?2))",
        &[text(match_id), text(user_id)],
    )
    .await?
        > 0)
}

/// The usernames of a match's scorers: its creator, then those invited, in order.
pub async fn scorer_names(db: &D1Database, match_id: &str) -> Result<Vec<String>, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        username: String,
    }
    let rows = d1::all::<Row>(
        db,
        "SELECT u.username, 0 AS rank, 0 AS added_at FROM cricket_matches m JOIN auth_users u ON u.id = m.created_by
           WHERE m.id = ?1
         UNION ALL
         SELECT u.username, 1 AS rank, s.added_at FROM cricket_scorers s JOIN auth_users u ON u.id = s.user_id
           WHERE s.match_id = ?1
         ORDER BY rank, added_at",
        &[text(match_id)],
    )
    .await?;
    let mut names: Vec<String> = Vec::new();
    for r in rows {
        if !names.contains(&r.username) {
            names.push(r.username);
        }
    }
    Ok(names)
}

pub async fn user_id_of(db: &D1Database, username: &str) -> Result<Option<String>, ApiError> {
    d1::value(
        db,
        "SELECT id AS value FROM auth_users WHERE username = ?1",
        &[text(&username.trim().to_lowercase())],
    )
    .await
}

pub async fn add_scorer(db: &D1Database, match_id: &str, user_id: &str, now_ms: i64) -> Result<(), ApiError> {
    d1::run(
        db,
        "INSERT INTO cricket_scorers (match_id, user_id, added_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
        &[text(match_id), text(user_id), num(now_ms)],
    )
    .await?;
    Ok(())
}

/// A live match's log, in order.
pub async fn events(db: &D1Database, match_id: &str) -> Result<Vec<Event>, ApiError> {
    Ok(timed_events(db, match_id).await?.into_iter().map(|(event, _)| event).collect())
}

/// A live match's log, in order, with when each event was recorded (unix ms).
pub async fn timed_events(db: &D1Database, match_id: &str) -> Result<Vec<(Event, i64)>, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        body: String,
        created_at: i64,
    }
    let rows = d1::all::<Row>(
        db,
        "SELECT body, created_at FROM cricket_events WHERE match_id = ?1 ORDER BY seq",
        &[text(match_id)],
    )
    .await?;
    rows.iter()
        .map(|r| serde_json::from_str::<Event>(&r.body).map(|e| (e, r.created_at)))
        .collect::<Result<Vec<_>, _>>()
        .internal("reading events")
}

/// How many changes a live match's log has had (it only rises).
pub async fn revision(db: &D1Database, match_id: &str) -> Result<u64, ApiError> {
    let n =
        d1::count(db, "SELECT revision AS n FROM cricket_matches WHERE id = ?1", &[text(match_id)]).await?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Writes what one event (or one undo) changed, in one transaction: the log, the innings it
/// touched, the match's scores and status, and players' lines once the match is over.
#[allow(clippy::too_many_arguments)]
pub async fn write_change(
    db: &D1Database,
    match_id: &str,
    user_id: &str,
    added: Option<&Event>,
    events: usize,
    revision: u64,
    live: &Live,
    was_finished: bool,
    now_ms: i64,
) -> Result<(), ApiError> {
    let m = &live.m;
    let card = scorecard(m);
    let mut statements = vec![d1::prepare(
        db,
        "DELETE FROM cricket_events WHERE match_id = ?1 AND seq > ?2",
        &[text(match_id), num(events as i64)],
    )?];
    if let Some(event) = added {
        statements.push(d1::prepare(
            db,
            "INSERT INTO cricket_events (match_id, seq, body, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            &[text(match_id), num(events as i64), json_text(event), text(user_id), num(now_ms)],
        )?);
    }
    statements.push(d1::prepare(
        db,
        "DELETE FROM cricket_innings WHERE match_id = ?1 AND number > ?2",
        &[text(match_id), num(m.innings.len() as i64)],
    )?);
    if let Some(last) = m.innings.last() {
        let body = serde_json::to_string(last).internal("writing an innings")?;
        if body.len() > MAX_INNINGS_BYTES {
            return Err(ApiError::new(
                ErrorCode::PayloadTooLarge,
                format!(
                    "An innings is at most {MAX_INNINGS_BYTES} bytes of JSON; this one would be {}.",
                    body.len()
                ),
            ));
        }
        statements.push(d1::prepare(
            db,
            "INSERT INTO cricket_innings (match_id, number, body) VALUES (?1, ?2, ?3)
             ON CONFLICT (match_id, number) DO UPDATE SET body = excluded.body",
            &[text(match_id), num(m.innings.len() as i64), text(&body)],
        )?);
    }
    let status = if live.finished {
        Status::Completed
    } else if events == 0 {
        Status::Upcoming
    } else {
        Status::Live
    };
    statements.push(d1::prepare(
        db,
        "UPDATE cricket_matches SET status = ?2, scores = ?3, result = ?4, info = ?5, updated_at = ?6, revision = ?7
         WHERE id = ?1",
        &[
            text(match_id),
            text(status.as_str()),
            json_text(&wire::scores(&card)),
            text(if live.finished { &card.result } else { "" }),
            json_text(&m.info),
            num(now_ms),
            num(revision as i64),
        ],
    )?);
    if was_finished && !live.finished {
        statements.push(d1::prepare(
            db,
            "DELETE FROM cricket_player_matches WHERE match_id = ?1",
            &[text(match_id)],
        )?);
        // Players this match alone brought in go with it.
        let ids: Vec<String> = player_matches(m, &card).iter().map(|l| wire::player_id(m, &l.name)).collect();
        statements.push(d1::prepare(
            db,
            "DELETE FROM cricket_players WHERE id IN (SELECT value FROM json_each(?1))
               AND NOT EXISTS (SELECT 1 FROM cricket_player_matches pm WHERE pm.player_id = cricket_players.id)",
            &[json_text(&ids)],
        )?);
    }
    if live.finished && !was_finished {
        statements.extend(player_statements(db, match_id, m, &player_matches(m, &card))?);
    }
    d1::run_batch(db, statements, "writing a cricket event").await?;
    Ok(())
}
