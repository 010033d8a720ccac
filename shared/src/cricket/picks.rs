//! The cricket home for one person: matches of the teams and players they follow first (live,
//! then upcoming, then the latest results), then matches recommended from what they watched.

use super::wire::{MatchSummary, Status};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Matches the home lists in each part.
pub const FOLLOWING_LIMIT: usize = 12;
pub const RECOMMENDED_LIMIT: usize = 6;
/// Teams or players one person may follow.
pub const MAX_FOLLOWS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FollowKind {
    Team,
    Player,
}

impl FollowKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FollowKind::Team => "team",
            FollowKind::Player => "player",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [FollowKind::Team, FollowKind::Player].into_iter().find(|k| k.as_str() == s)
    }
}

/// A team (by name) or a player (by id) someone follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Follow {
    pub kind: FollowKind,
    /// The team's name or the player's id.
    pub target: String,
    /// What to show: the team's or the player's name.
    pub name: String,
}

/// A match the home offers, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pick {
    #[serde(rename = "match")]
    pub summary: MatchSummary,
    /// "You follow India", "Because you watched Australia".
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CricketHome {
    pub follows: Vec<Follow>,
    pub following: Vec<Pick>,
    pub recommended: Vec<Pick>,
}

/// A match the home may offer, with its players' ids and names.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub summary: MatchSummary,
    pub players: Vec<(String, String)>,
    /// How many people have watched it (what is popular breaks ties).
    pub watchers: u32,
}

/// A match someone watched: its teams and players' ids.
#[derive(Debug, Clone, PartialEq)]
pub struct Watched {
    pub match_id: String,
    pub teams: Vec<String>,
    pub players: Vec<String>,
}

/// Live first, then upcoming, then the rest; newest first within each.
fn status_rank(s: Status) -> u8 {
    match s {
        Status::Live => 0,
        Status::Upcoming => 1,
        Status::Completed => 2,
    }
}

fn newest_first(a: &MatchSummary, b: &MatchSummary) -> std::cmp::Ordering {
    status_rank(a.status)
        .cmp(&status_rank(b.status))
        .then_with(|| b.start_date.cmp(&a.start_date))
        .then_with(|| b.id.cmp(&a.id))
}

/// Why a followed match is offered: the first follow it involves.
fn followed_reason(c: &Candidate, follows: &[Follow]) -> Option<String> {
    follows.iter().find_map(|f| {
        let hit = match f.kind {
            FollowKind::Team => c.summary.teams.contains(&f.target),
            FollowKind::Player => c.players.iter().any(|(id, _)| *id == f.target),
        };
        hit.then(|| format!("You follow {}", f.name))
    })
}

/// The home: followed matches (live, upcoming, results), then up to `RECOMMENDED_LIMIT` others
/// weighted by the teams and players of the matches watched, live and upcoming ones first.
/// Someone who has watched nothing is offered what others watch most.
pub fn home(follows: Vec<Follow>, watched: &[Watched], candidates: &[Candidate]) -> CricketHome {
    let mut following: Vec<(&Candidate, String)> =
        candidates.iter().filter_map(|c| followed_reason(c, &follows).map(|r| (c, r))).collect();
    following.sort_by(|a, b| newest_first(&a.0.summary, &b.0.summary));
    following.truncate(FOLLOWING_LIMIT);

    let mut team_weight: HashMap<&str, u32> = HashMap::new();
    let mut player_weight: HashMap<&str, u32> = HashMap::new();
    for w in watched {
        for t in &w.teams {
            *team_weight.entry(t).or_default() += 1;
        }
        for p in &w.players {
            *player_weight.entry(p).or_default() += 1;
        }
    }
    let taken: Vec<&str> = following
        .iter()
        .map(|(c, _)| c.summary.id.as_str())
        .chain(watched.iter().map(|w| w.match_id.as_str()))
        .collect();
    let mut scored: Vec<(u32, &Candidate, String)> = candidates
        .iter()
        .filter(|c| !taken.contains(&c.summary.id.as_str()))
        .filter_map(|c| {
            // A team watched counts three times a player: a side is what people follow.
            let best_team = c
                .summary
                .teams
                .iter()
                .map(|t| (team_weight.get(t.as_str()).copied().unwrap_or(0) * 3, t.as_str()))
                .max_by_key(|(w, _)| *w);
            let best_player = c
                .players
                .iter()
                .map(|(id, name)| (player_weight.get(id.as_str()).copied().unwrap_or(0), name.as_str()))
                .max_by_key(|(w, _)| *w);
            let team_score: u32 =
                c.summary.teams.iter().map(|t| team_weight.get(t.as_str()).copied().unwrap_or(0) * 3).sum();
            let player_score: u32 =
                c.players.iter().map(|(id, _)| player_weight.get(id.as_str()).copied().unwrap_or(0)).sum();
            let score = team_score + player_score;
            if score == 0 {
                return if watched.is_empty() && c.watchers > 0 {
                    Some((0, c, "Popular with other fans".to_owned()))
                } else {
                    None
                };
            }
            let reason = match (best_team, best_player) {
                (Some((tw, team)), Some((pw, _))) if tw >= pw && tw > 0 => {
                    format!("Because you watched {team}")
                }
                (_, Some((pw, player))) if pw > 0 => format!("Because you watched {player}"),
                (Some((_, team)), _) => format!("Because you watched {team}"),
                _ => "Because of what you watched".to_owned(),
            };
            Some((score, c, reason))
        })
        .collect();
    // Live and upcoming matches before results; within each, the best weighted.
    let done = |c: &Candidate| u8::from(c.summary.status == Status::Completed);
    scored.sort_by(|a, b| {
        done(a.1)
            .cmp(&done(b.1))
            .then(b.0.cmp(&a.0))
            .then(b.1.watchers.cmp(&a.1.watchers))
            .then_with(|| newest_first(&a.1.summary, &b.1.summary))
    });
    scored.truncate(RECOMMENDED_LIMIT);

    let pick = |c: &Candidate, reason: String| Pick { summary: c.summary.clone(), reason };
    CricketHome {
        following: following.into_iter().map(|(c, r)| pick(c, r)).collect(),
        recommended: scored.into_iter().map(|(_, c, r)| pick(c, r)).collect(),
        follows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(id: &str, teams: [&str; 2], status: Status, date: &str, players: &[&str]) -> Candidate {
        Candidate {
            summary: MatchSummary {
                id: id.into(),
                title: format!("{} v {}", teams[0], teams[1]),
                teams: teams.iter().map(|t| (*t).to_owned()).collect(),
                match_type: "T20".into(),
                status,
                event: None,
                venue: None,
                start_date: date.into(),
                scores: Vec::new(),
                result: String::new(),
            },
            players: players.iter().map(|p| (format!("id-{p}"), (*p).to_owned())).collect(),
            watchers: 0,
        }
    }

    fn team(name: &str) -> Follow {
        Follow { kind: FollowKind::Team, target: name.into(), name: name.into() }
    }

    fn ids(picks: &[Pick]) -> Vec<&str> {
        picks.iter().map(|p| p.summary.id.as_str()).collect()
    }

    #[test]
    fn followed_teams_and_players_come_live_first_then_upcoming_then_newest_results() {
        let all = vec![
            candidate("old", ["India", "England"], Status::Completed, "2024-01-01", &[]),
            candidate("new", ["India", "Pakistan"], Status::Completed, "2025-01-01", &[]),
            candidate("soon", ["Nepal", "India"], Status::Upcoming, "2026-12-09", &[]),
            candidate("now", ["Oman", "Kenya"], Status::Live, "2026-12-05", &["Smith"]),
            candidate("other", ["Oman", "Kenya"], Status::Live, "2026-12-05", &[]),
        ];
        let smith = Follow { kind: FollowKind::Player, target: "id-Smith".into(), name: "Smith".into() };
        let home = home(vec![team("India"), smith], &[], &all);
        assert_eq!(ids(&home.following), ["now", "soon", "new", "old"]);
        assert_eq!(home.following[0].reason, "You follow Smith");
        assert_eq!(home.following[1].reason, "You follow India");
    }

    #[test]
    fn recommendations_follow_what_was_watched_and_skip_what_was_seen() {
        let mut all = vec![
            candidate("seen", ["Australia", "England"], Status::Completed, "2025-01-01", &["Cummins"]),
            candidate("aus-live", ["Australia", "India"], Status::Live, "2026-12-05", &[]),
            candidate("aus-old", ["Australia", "Kenya"], Status::Completed, "2024-01-01", &[]),
            candidate("cummins", ["Oman", "Nepal"], Status::Completed, "2025-06-01", &["Cummins"]),
            candidate("nothing", ["Oman", "Nepal"], Status::Live, "2026-12-05", &[]),
        ];
        all[4].watchers = 50;
        let watched = [Watched {
            match_id: "seen".into(),
            teams: vec!["Australia".into(), "England".into()],
            players: vec!["id-Cummins".into()],
        }];
        let home = home(Vec::new(), &watched, &all);
        // Live and upcoming first; among the rest the team outweighs the player.
        assert_eq!(ids(&home.recommended), ["aus-live", "aus-old", "cummins"]);
        assert_eq!(home.recommended[0].reason, "Because you watched Australia");
        assert_eq!(home.recommended[2].reason, "Because you watched Cummins");
    }

    #[test]
    fn someone_new_is_offered_what_others_watch() {
        let mut all = vec![
            candidate("quiet", ["Oman", "Nepal"], Status::Live, "2026-12-05", &[]),
            candidate("busy", ["India", "Pakistan"], Status::Live, "2026-12-05", &[]),
        ];
        all[1].watchers = 9;
        let home = home(Vec::new(), &[], &all);
        assert_eq!(ids(&home.recommended), ["busy"]);
        assert_eq!(home.recommended[0].reason, "Popular with other fans");
    }

    #[test]
    fn followed_matches_are_not_recommended_again() {
        let all = vec![candidate("m", ["India", "England"], Status::Live, "2026-12-05", &[])];
        let watched = [Watched { match_id: "x".into(), teams: vec!["England".into()], players: Vec::new() }];
        let home = home(vec![team("India")], &watched, &all);
        assert_eq!(ids(&home.following), ["m"]);
        assert!(home.recommended.is_empty());
    }
}
