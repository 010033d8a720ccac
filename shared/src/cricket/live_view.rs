//! What a live match's viewers are sent over its socket, on joining and after every event: the
//! score, who is batting and bowling, this over's balls and the newest commentary; and what a
//! scorer sends to make a match and score it.

use super::commentary::{commentary, Line};
use super::cricsheet::{self, Delivery, Info, Match, Meta, Outcome, Registry, Toss};
use super::live::{Event, Live};
use super::scorecard::{scorecard, OverSummary};
use super::talk::{ChatMessage, Poll};
use super::wire::{scores, InningsScore, Status};
use crate::error::ApiError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Commentary lines a state carries: the newest.
pub const RECENT_LINES: usize = 12;
/// The most players a side may list (an XI and an impact player or concussion substitute).
pub const MAX_SIDE: usize = 15;

/// A match to be scored live: its sides and its format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewMatch {
    /// The two teams' names.
    pub teams: Vec<String>,
    /// Each team's players, by team name.
    pub players: BTreeMap<String, Vec<String>>,
    /// Test, ODI, T20 (the Hundred is T20 with five balls an over), ODM, MDM, IT20.
    pub match_type: String,
    /// Overs an innings in a limited-overs match (absent for Tests).
    #[serde(default)]
    pub overs: Option<u32>,
    #[serde(default = "six")]
    pub balls_per_over: u8,
    /// YYYY-MM-DD
    pub start_date: String,
    #[serde(default)]
    pub venue: Option<String>,
    #[serde(default)]
    pub event: Option<String>,
    #[serde(default)]
    pub toss_winner: Option<String>,
    /// "bat" or "field"
    #[serde(default)]
    pub toss_decision: Option<String>,
}

fn six() -> u8 {
    6
}

const FORMATS: [&str; 6] = ["Test", "ODI", "T20", "ODM", "MDM", "IT20"];

impl NewMatch {
    /// The match as Cricsheet, before a ball: 422 naming the first field that is wrong.
    pub fn into_match(self, today: &str) -> Result<Match, ApiError> {
        let clean = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let teams: Vec<String> = self.teams.iter().map(|t| clean(t)).collect();
        if teams.len() != 2
            || teams.iter().any(|t| t.is_empty() || t.chars().count() > 80)
            || teams[0] == teams[1]
        {
            return Err(ApiError::invalid("teams", "Name two different teams (up to 80 characters each)."));
        }
        if !FORMATS.contains(&self.match_type.as_str()) {
            return Err(ApiError::invalid(
                "match_type",
                format!("The format is one of {}.", FORMATS.join(", ")),
            ));
        }
        let first_class = matches!(self.match_type.as_str(), "Test" | "MDM");
        match (first_class, self.overs) {
            (true, Some(_)) => {
                return Err(ApiError::invalid("overs", "A first-class match has no limit of overs."))
            }
            (false, None) => return Err(ApiError::invalid("overs", "Say how many overs an innings has.")),
            (false, Some(o)) if !(1..=50).contains(&o) => {
                return Err(ApiError::invalid("overs", "An innings has between 1 and 50 overs."))
            }
            _ => {}
        }
        if !(5..=8).contains(&self.balls_per_over) {
            return Err(ApiError::invalid("balls_per_over", "An over has between 5 and 8 balls."));
        }
        let mut players = BTreeMap::new();
        for team in &teams {
            let listed = self
                .players
                .iter()
                .find(|(t, _)| clean(t) == *team)
                .map(|(_, p)| p.clone())
                .unwrap_or_default();
            let names: Vec<String> = listed.iter().map(|p| clean(p)).collect();
            let mut unique = names.clone();
            unique.sort();
            unique.dedup();
            if names.len() < 2
                || names.len() > MAX_SIDE
                || unique.len() != names.len()
                || names.iter().any(|n| n.is_empty() || n.chars().count() > 60)
            {
                return Err(ApiError::invalid(
                    "players",
                    format!("List {team}'s players: 2 to {MAX_SIDE} different names of up to 60 characters."),
                ));
            }
            players.insert(team.clone(), names);
        }
        let all: Vec<&String> = players.values().flatten().collect();
        if all.iter().enumerate().any(|(i, n)| all[i + 1..].contains(n)) {
            return Err(ApiError::invalid("players", "A player plays for one side only."));
        }
        let toss = match (self.toss_winner.map(|t| clean(&t)), self.toss_decision) {
            (None, None) => None,
            (Some(winner), Some(decision))
                if teams.contains(&winner) && matches!(decision.as_str(), "bat" | "field") =>
            {
                Some(Toss { decision, winner, uncontested: None })
            }
            _ => {
                return Err(ApiError::invalid(
                    "toss_winner",
                    "The toss: a team that plays, and bat or field.",
                ))
            }
        };
        let text = |s: Option<String>| {
            s.map(|v| clean(&v)).filter(|v| !v.is_empty()).map(|v| v.chars().take(120).collect())
        };
        let m = Match {
            meta: Meta { data_version: "1.1.0".into(), created: today.to_owned(), revision: 1 },
            info: Info {
                balls_per_over: self.balls_per_over,
                bowl_out: None,
                city: None,
                dates: vec![self.start_date],
                event: text(self.event).map(|name: String| serde_json::json!({ "name": name })),
                gender: "male".into(),
                match_type: self.match_type,
                match_type_number: None,
                missing: None,
                officials: None,
                outcome: Outcome::default(),
                overs: self.overs,
                player_of_match: None,
                players,
                registry: Registry::default(),
                season: None,
                supersubs: None,
                team_type: None,
                teams,
                toss,
                venue: text(self.venue),
            },
            innings: Vec::new(),
        };
        cricsheet::check(m).map_err(|e| match e.field.as_deref() {
            Some("info.dates") => ApiError::invalid("start_date", "The first day as YYYY-MM-DD."),
            _ => e,
        })
    }
}

/// A delivery as the scorer sends it: Cricsheet's delivery, and their own words if any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewDelivery {
    #[serde(flatten)]
    pub delivery: Delivery,
    #[serde(default)]
    pub note: Option<String>,
}

impl From<NewDelivery> for Event {
    fn from(d: NewDelivery) -> Self {
        Event::Delivery { delivery: d.delivery, note: d.note }
    }
}

/// A batter at the crease now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AtCrease {
    pub name: String,
    pub runs: u32,
    pub balls: u32,
    /// Faces the next ball: the batters crossed on the runs they ran (not on a boundary), and
    /// change ends at the end of the over. Neither is, when the striker was just out.
    pub on_strike: bool,
}

/// The bowler of the last ball and their figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BowlerNow {
    pub name: String,
    pub overs: String,
    pub runs: u32,
    pub wickets: u32,
}

/// Everything a live match's page shows without asking again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LiveState {
    /// Events in the log: what a scorer's `expected_seq` names. It goes down on an undo.
    pub seq: u32,
    /// Changes made to the log (events and undos): it only rises, so a viewer who sees it move
    /// knows the match changed, even when an undo and a new ball leave `seq` where it was.
    pub revision: u64,
    pub status: Status,
    pub scores: Vec<InningsScore>,
    /// The result in words once the match is over.
    pub result: String,
    /// The side batting now, and why its innings cannot go on if it cannot.
    pub batting: Option<String>,
    pub innings_over: Option<String>,
    pub at_crease: Vec<AtCrease>,
    pub bowler: Option<BowlerNow>,
    pub this_over: Option<OverSummary>,
    /// The last ball ended an over: the next is bowled by someone else, from the other end.
    pub new_over: bool,
    pub target: Option<u32>,
    pub run_rate: Option<f64>,
    pub required_rate: Option<f64>,
    /// The newest commentary lines, oldest first.
    pub lines: Vec<Line>,
}

/// What the socket sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LiveFrame {
    State(Box<LiveState>),
    /// A chat message just sent.
    Chat(ChatMessage),
    /// A moderator (or its author) took a message down.
    ChatRemoved {
        id: String,
    },
    /// A poll opened, closed or got votes (the newer of two frames has the greater `total`).
    Poll(Poll),
}

/// The state of a match being scored, after `seq` events and `revision` changes.
pub fn live_state(live: &Live, seq: u32, revision: u64) -> LiveState {
    let card = scorecard(&live.m);
    let status = if live.finished {
        Status::Completed
    } else if seq == 0 {
        Status::Upcoming
    } else {
        Status::Live
    };
    let current = card.innings.last();
    let last_ball = live.m.innings.last().and_then(|i| i.deliveries().last().map(|(_, d)| d.clone()));
    let new_over = match (current, &last_ball) {
        (Some(c), Some(d)) => d.is_legal() && c.legal_balls % u32::from(live.m.info.balls_per_over) == 0,
        _ => false,
    };
    let at_crease = match (current, &last_ball) {
        (Some(c), Some(d)) => {
            let gone: Vec<&str> = d.wickets.iter().map(|w| w.player_out.as_str()).collect();
            let e = d.extras();
            let ran = if d.boundary().is_some() { 0 } else { d.runs.batter }
                + e.byes.unwrap_or(0)
                + e.legbyes.unwrap_or(0)
                + e.wides.unwrap_or(0).saturating_sub(1);
            let striker = if (ran % 2 == 1) != new_over { &d.non_striker } else { &d.batter };
            [&d.batter, &d.non_striker]
                .into_iter()
                .filter(|n| !gone.contains(&n.as_str()))
                .filter_map(|n| c.batting.iter().find(|b| &b.name == n))
                .map(|b| AtCrease {
                    name: b.name.clone(),
                    runs: b.runs,
                    balls: b.balls,
                    on_strike: b.name == *striker,
                })
                .collect()
        }
        _ => Vec::new(),
    };
    let bowler = match (current, &last_ball) {
        (Some(c), Some(d)) => c.bowling.iter().find(|b| b.name == d.bowler).map(|b| BowlerNow {
            name: b.name.clone(),
            overs: b.overs.clone(),
            runs: b.runs,
            wickets: b.wickets,
        }),
        _ => None,
    };
    let mut lines = commentary(&live.m, &live.notes);
    let lines = lines.split_off(lines.len().saturating_sub(RECENT_LINES));
    LiveState {
        seq,
        revision,
        status,
        scores: scores(&card),
        result: if live.finished { card.result.clone() } else { String::new() },
        batting: current.map(|c| c.team.clone()),
        innings_over: if live.finished { None } else { live.innings_over() },
        at_crease,
        bowler,
        this_over: current.and_then(|c| c.overs_bowled.last().cloned()),
        new_over,
        target: current.and_then(|c| c.target),
        run_rate: current.and_then(|c| c.run_rate),
        required_rate: current.and_then(|c| c.required_rate),
        lines,
    }
}
