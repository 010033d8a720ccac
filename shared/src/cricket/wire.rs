//! What `/api/cricket` sends: matches as listed, one match's header, partnerships, commentary and
//! a player's career, and how a match's summary is made from its scorecard.

use super::career::Career;
use super::commentary::Line;
use super::cricsheet::Match;
use super::scorecard::{Partnership, Scorecard};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Where a match stands (`MatchStatus` in the OpenAPI document: Chat has a `Status` of its own).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = MatchStatus))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Upcoming,
    Live,
    Completed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Upcoming => "upcoming",
            Status::Live => "live",
            Status::Completed => "completed",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Status::Upcoming, Status::Live, Status::Completed].into_iter().find(|st| st.as_str() == s)
    }
}

/// One innings' score as a header shows it: "207/4 (20)".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InningsScore {
    pub team: String,
    pub runs: u32,
    pub wickets: u32,
    pub overs: String,
    pub super_over: bool,
    pub declared: bool,
}

/// A match as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MatchSummary {
    pub id: String,
    /// "Sunrisers Hyderabad v Royal Challengers Bangalore"
    pub title: String,
    pub teams: Vec<String>,
    /// Test, ODI, T20…
    pub match_type: String,
    pub status: Status,
    pub event: Option<String>,
    pub venue: Option<String>,
    /// The first day, YYYY-MM-DD.
    pub start_date: String,
    pub scores: Vec<InningsScore>,
    /// The result in words once the match is over.
    pub result: String,
}

/// One match's header: its summary, the facts of `info`, and its players' ids (for player pages).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MatchView {
    #[serde(flatten)]
    pub summary: MatchSummary,
    pub toss: Option<String>,
    pub player_of_match: Vec<String>,
    pub players: BTreeMap<String, Vec<String>>,
    /// Each player's name in this match → their id.
    pub player_ids: BTreeMap<String, String>,
    pub balls_per_over: u8,
    pub overs: Option<u32>,
    /// The username of whoever imported or scores it.
    pub created_by: String,
    /// Scored here ball by ball (with a socket, chat and polls), not imported.
    pub scored_live: bool,
    /// Who scores it (and moderates its chat): the creator, then those they invited.
    pub scorers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MatchList {
    pub matches: Vec<MatchSummary>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InningsPartnerships {
    pub number: u32,
    pub team: String,
    pub super_over: bool,
    pub partnerships: Vec<Partnership>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Commentary {
    pub lines: Vec<Line>,
}

/// A player's page: careers by format and their latest matches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlayerStats {
    pub id: String,
    pub name: String,
    pub teams: Vec<String>,
    pub careers: Vec<Career>,
    pub recent: Vec<RecentMatch>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecentMatch {
    pub match_id: String,
    pub title: String,
    pub start_date: String,
    pub match_type: String,
    /// "45 (30)", "12* (9)", or "" when they did not bat; innings joined by " & ".
    pub batting: String,
    /// "2/23 (4)", or "" when they did not bowl.
    pub bowling: String,
}

pub fn title(m: &Match) -> String {
    m.info.teams.join(" v ")
}

pub fn event_name(m: &Match) -> Option<String> {
    m.info.event.as_ref().and_then(|e| e.get("name")).and_then(|n| n.as_str()).map(str::to_owned)
}

pub fn scores(card: &Scorecard) -> Vec<InningsScore> {
    card.innings
        .iter()
        .map(|i| InningsScore {
            team: i.team.clone(),
            runs: i.runs,
            wickets: i.wickets,
            overs: i.overs.clone(),
            super_over: i.super_over,
            declared: i.declared,
        })
        .collect()
}

/// A player's id: their Cricsheet register id when the file gives one, else one derived from the
/// name (so the same unregistered name in two files is one player).
pub fn player_id(m: &Match, name: &str) -> String {
    match m.info.registry.people.get(name) {
        Some(id) => id.clone(),
        None => {
            let digest = Sha256::digest(format!("cricket-player:{name}").as_bytes());
            let hex: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
            format!("dz{hex}")
        }
    }
}

/// Everyone in the match, name → id: the sides as listed, then anyone else who batted or bowled.
pub fn players_of(m: &Match) -> BTreeMap<String, String> {
    let mut ids = BTreeMap::new();
    for name in m.info.players.values().flatten() {
        ids.insert(name.clone(), player_id(m, name));
    }
    for innings in &m.innings {
        for (_, d) in innings.deliveries() {
            for name in [&d.batter, &d.non_striker, &d.bowler] {
                ids.entry(name.clone()).or_insert_with(|| player_id(m, name));
            }
        }
    }
    ids
}

/// The same match, whatever the file's layout: the hash of its canonical export. A second import
/// of one match is refused by it.
pub fn fingerprint(m: &Match) -> String {
    let digest = Sha256::digest(super::cricsheet::to_json(m).as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// "45 (30)" / "12* (9)".
pub fn batting_text(runs: u32, balls: u32, out: bool) -> String {
    format!("{runs}{} ({balls})", if out { "" } else { "*" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip() {
        for s in ["upcoming", "live", "completed"] {
            assert_eq!(Status::parse(s).unwrap().as_str(), s);
        }
        assert_eq!(Status::parse("over"), None);
    }

    #[test]
    fn batting_reads_as_a_scorecard_does() {
        assert_eq!(batting_text(45, 30, true), "45 (30)");
        assert_eq!(batting_text(12, 9, false), "12* (9)");
    }
}
