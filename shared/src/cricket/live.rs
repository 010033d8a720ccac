//! Live scoring as an event log: each event (an innings begins, a ball, a declaration, the
//! result) is checked against the Laws before it joins the match, and undo is dropping the last
//! event and playing the rest again. The match the events build is an ordinary Cricsheet match.

use super::cricsheet::{validate_delivery, Delivery, Innings, Match, Outcome, Over, Target};
use super::laws;
use super::replay;
use super::scorecard::{is_limited_overs, scorecard, wickets_in_hand, InningsCard};
use crate::error::{ApiError, ErrorCode};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The longest scorer's note on a ball.
pub const MAX_NOTE_CHARS: usize = 280;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// The next innings begins; `target` only when the data revises it (DLS).
    StartInnings {
        team: String,
        #[serde(default)]
        super_over: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
        target: Option<Target>,
    },
    /// One ball in Cricsheet's delivery shape, with the scorer's own words if any.
    Delivery {
        delivery: Delivery,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// The batting side declares (first-class matches).
    Declare,
    /// The match is over: with the outcome the scorer gives, or the one the events say.
    Finish {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        outcome: Option<Outcome>,
    },
}

/// A match being scored: the events so far and what they built.
#[derive(Debug, Clone, PartialEq)]
pub struct Live {
    pub m: Match,
    /// The scorer's notes by (innings from 1, ball from 0).
    pub notes: HashMap<(u32, u32), String>,
    pub finished: bool,
}

fn refuse(field: &str, reason: impl Into<String>) -> ApiError {
    let reason = reason.into();
    ApiError {
        field: Some(field.to_owned()),
        ..ApiError::new(ErrorCode::ValidationFailed, format!("{reason}."))
    }
}

fn conflict(reason: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::Conflict, format!("{}.", reason.into()))
}

impl Live {
    /// A match about to start: its `info` with no innings.
    pub fn new(mut m: Match) -> Self {
        m.innings.clear();
        m.info.outcome = Outcome::default();
        Self { m, notes: HashMap::new(), finished: false }
    }

    /// Plays events from the start; the first refused one is returned with its position.
    pub fn replay(base: Match, events: &[Event]) -> Result<Self, (usize, ApiError)> {
        let mut live = Self::new(base);
        for (i, event) in events.iter().enumerate() {
            live.apply(event).map_err(|e| (i, e))?;
        }
        Ok(live)
    }

    /// Plays a stored log again without checking it: every event was checked when it was
    /// recorded. One pass (checking scores the match at each ball), and a log always loads, even
    /// if a later version checks the Laws more strictly.
    pub fn restore(base: Match, events: &[Event]) -> Self {
        let mut live = Self::new(base);
        for event in events {
            match event {
                Event::StartInnings { team, super_over, target } => {
                    live.open_innings(team, *super_over, *target)
                }
                Event::Delivery { delivery, note } => live.push_delivery(delivery, note.as_deref()),
                Event::Declare => {
                    if let Some(innings) = live.m.innings.last_mut() {
                        innings.declared = Some(true);
                    }
                }
                Event::Finish { outcome } => {
                    live.m.info.outcome = outcome.clone().unwrap_or_else(|| scorecard(&live.m).outcome);
                    live.finished = true;
                }
            }
        }
        live
    }

    fn open_innings(&mut self, team: &str, super_over: bool, target: Option<Target>) {
        self.m.innings.push(Innings {
            team: team.to_owned(),
            overs: Vec::new(),
            absent_hurt: None,
            penalty_runs: None,
            declared: None,
            forfeited: None,
            powerplays: None,
            miscounted_overs: None,
            target,
            super_over: super_over.then_some(true),
        });
    }

    /// Adds a ball to the current innings: into the open over, or a new one once the open one
    /// has all its legal balls; the scorer's words are kept by the ball's place.
    fn push_delivery(&mut self, d: &Delivery, note: Option<&str>) {
        let Some(index) = self.m.innings.len().checked_sub(1) else { return };
        let per = u32::from(self.m.info.balls_per_over);
        let innings = &mut self.m.innings[index];
        let ball_number: usize = innings.overs.iter().map(|o| o.deliveries.len()).sum();
        let over_done = innings
            .overs
            .last()
            .is_none_or(|o| o.deliveries.iter().filter(|d| d.is_legal()).count() as u32 >= per);
        if over_done {
            let next = innings.overs.last().map_or(0, |o| o.over + 1);
            innings.overs.push(Over { over: next, deliveries: Vec::new() });
        }
        if let Some(over) = innings.overs.last_mut() {
            over.deliveries.push(d.clone());
        }
        if let Some(note) = note.map(str::trim).filter(|n| !n.is_empty()) {
            self.notes.insert((index as u32 + 1, ball_number as u32), note.to_owned());
        }
    }

    /// Checks one event against the match so far and, if it is possible, adds it.
    pub fn apply(&mut self, event: &Event) -> Result<(), ApiError> {
        if self.finished {
            return Err(conflict("The match is over"));
        }
        match event {
            Event::StartInnings { team, super_over, target } => {
                self.start_innings(team, *super_over, *target)
            }
            Event::Delivery { delivery, note } => self.delivery(delivery, note.as_deref()),
            Event::Declare => self.declare(),
            Event::Finish { outcome } => self.finish(outcome.as_ref()),
        }
    }

    /// Why the current innings cannot go on, if it cannot.
    pub fn innings_over(&self) -> Option<String> {
        let innings = self.m.innings.last()?;
        innings_end(&self.m, self.m.innings.len() - 1, innings)
    }

    fn start_innings(
        &mut self,
        team: &str,
        super_over: bool,
        target: Option<Target>,
    ) -> Result<(), ApiError> {
        if !self.m.info.teams.iter().any(|t| t == team) {
            return Err(refuse("team", format!("\"{team}\" is not playing in this match")));
        }
        let limited = is_limited_overs(&self.m);
        let mains: Vec<&Innings> = self.m.innings.iter().filter(|i| !i.is_super_over()).collect();
        // A revised target is given only to a limited-overs chase whose first innings was cut
        // short (DLS); otherwise an innings begins once the one before has ended.
        let revised_chase = limited && !super_over && mains.len() == 1 && target.is_some();
        if target.is_some() && !revised_chase {
            return Err(refuse("target", "A target is given only to the chase of a limited-overs match"));
        }
        if let Some(t) = target {
            // A revised target: some runs, in some of the scheduled overs (whole balls of them).
            let per = self.m.info.balls_per_over;
            let scheduled = self.m.info.overs.unwrap_or(0);
            let overs = t.overs.unwrap_or(f64::from(scheduled));
            let tenths = overs * 10.0;
            let whole_balls = overs.is_finite() && (tenths - tenths.round()).abs() < 1e-6;
            let part = (tenths.round() as i64).rem_euclid(10);
            let balls = laws::balls_of_overs(overs.max(0.0), per);
            let fits = whole_balls
                && part < i64::from(per)
                && (1..=scheduled.saturating_mul(u32::from(per))).contains(&balls);
            if !fits || t.runs.is_none_or(|r| r == 0) {
                return Err(refuse(
                    "target",
                    format!("A revised target is some runs in 0.1 to {scheduled} overs (as 14.2: overs and balls)"),
                ));
            }
        }
        if let Some(current) = self.m.innings.last() {
            // Nobody left but batters retired hurt: the scorer may close the innings.
            let nobody_left = scorecard(&self.m).innings.last().is_some_and(|c| c.no_batters_left);
            if self.innings_over().is_none() && !revised_chase && !nobody_left {
                return Err(conflict(format!("{}'s innings is still going on", current.team)));
            }
        }
        let other = |t: &str| self.m.info.teams.iter().find(|x| *x != t).cloned().unwrap_or_default();
        let next = if super_over {
            if !limited || mains.len() < 2 {
                return Err(refuse(
                    "super_over",
                    "Super overs come after both innings of a limited-overs match",
                ));
            }
            let card = scorecard(&self.m);
            let played: Vec<&InningsCard> = card.innings.iter().filter(|c| c.super_over).collect();
            if played.len() % 2 == 0 {
                // Another pair only after a tie, or a super over tied on runs.
                let tied = match played.chunks(2).last() {
                    None => card.outcome.result.as_deref() == Some("tie"),
                    Some(pair) => pair.len() == 2 && pair[0].runs == pair[1].runs,
                };
                if !tied {
                    return Err(conflict("Only a tie goes to a super over"));
                }
            }
            // The side that batted last bats first in the next super over; then the other.
            let last = self.m.innings.last().map(|i| i.team.clone()).unwrap_or_default();
            if played.len() % 2 == 0 {
                last
            } else {
                other(&last)
            }
        } else {
            let most = if limited { 2 } else { 4 };
            if mains.len() >= most || self.m.innings.iter().any(Innings::is_super_over) {
                return Err(conflict(format!("This match has no more innings: {most} have been played")));
            }
            match mains.len() {
                0 => team.to_owned(),
                1 => other(&mains[0].team),
                2 => {
                    // The third innings: the side that batted first, or the other following on
                    // when it trails by the follow-on margin (Law 14: 200 in a Test, 150 otherwise).
                    let card = scorecard(&self.m);
                    let lead = card.innings[0].runs.saturating_sub(card.innings[1].runs);
                    let margin = if self.m.info.match_type == "Test" { 200 } else { 150 };
                    if team == mains[1].team && mains[0].team != mains[1].team && lead < margin {
                        return Err(refuse(
                            "team",
                            format!("{team} trail by {lead}: the follow-on needs {margin}"),
                        ));
                    }
                    team.to_owned()
                }
                _ => {
                    // The fourth: the side that has batted once, unless the match is already won
                    // by an innings.
                    let card = scorecard(&self.m);
                    let twice = &mains[2].team;
                    let total =
                        |t: &str| card.innings.iter().filter(|c| c.team == t).map(|c| c.runs).sum::<u32>();
                    if card.innings[2].all_out && total(twice) < total(&other(twice)) {
                        return Err(conflict(format!("{} have won by an innings", other(twice))));
                    }
                    other(twice)
                }
            }
        };
        if team != next {
            return Err(refuse("team", format!("{next} bat next")));
        }
        self.open_innings(team, super_over, target);
        Ok(())
    }

    fn declare(&mut self) -> Result<(), ApiError> {
        if is_limited_overs(&self.m) {
            return Err(conflict("Only a first-class innings is declared"));
        }
        if let Some(reason) = self.innings_over() {
            return Err(conflict(reason));
        }
        let innings = self.m.innings.last_mut().ok_or_else(|| conflict("No innings has begun"))?;
        innings.declared = Some(true);
        Ok(())
    }

    fn finish(&mut self, outcome: Option<&Outcome>) -> Result<(), ApiError> {
        let outcome = match outcome {
            Some(given) => {
                if let Some(w) = given.winner.as_ref().filter(|w| !self.m.info.teams.contains(w)) {
                    return Err(refuse("outcome.winner", format!("\"{w}\" is not playing in this match")));
                }
                if given.winner.is_none() == given.result.is_none() {
                    return Err(refuse(
                        "outcome",
                        "Give a winner or a result (draw, tie, no result), not both",
                    ));
                }
                given.clone()
            }
            None => scorecard(&self.m).outcome,
        };
        self.m.info.outcome = outcome;
        self.finished = true;
        Ok(())
    }

    fn delivery(&mut self, d: &Delivery, note: Option<&str>) -> Result<(), ApiError> {
        let Some(index) = self.m.innings.len().checked_sub(1) else {
            return Err(conflict("No innings has begun"));
        };
        if let Some(reason) = self.innings_over() {
            return Err(conflict(reason));
        }
        validate_delivery(d).map_err(|(field, reason)| refuse(field.trim_start_matches('.'), reason))?;
        if note.is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS) {
            return Err(refuse("note", format!("A note is at most {MAX_NOTE_CHARS} characters")));
        }
        let m = &self.m;
        let innings = &m.innings[index];
        let batting = innings.team.as_str();
        let fielding = m.info.teams.iter().find(|t| *t != batting).map(String::as_str).unwrap_or_default();
        for (field, name, team) in [
            ("batter", &d.batter, batting),
            ("non_striker", &d.non_striker, batting),
            ("bowler", &d.bowler, fielding),
        ] {
            if m.info.players.get(team).is_some_and(|xi| !xi.contains(name)) {
                return Err(refuse(field, format!("{name} is not in {team}'s side")));
            }
        }
        let balls = replay::walk(innings, is_limited_overs(m));
        check_batters(&balls, d)?;
        check_bowler(m, &balls, d)?;
        let free_hit =
            balls.last().is_some_and(|b| b.delivery.noballs() > 0 || (b.free_hit && !b.delivery.is_legal()));
        for wicket in &d.wickets {
            if free_hit && is_limited_overs(m) && !laws::possible_on_free_hit(&wicket.kind) {
                return Err(refuse("wickets", format!("Nobody is out {} off a free hit", wicket.kind)));
            }
            if d.noballs() > 0 && !laws::possible_on_free_hit(&wicket.kind) {
                return Err(refuse("wickets", format!("Nobody is out {} off a no-ball", wicket.kind)));
            }
            if d.wides() > 0 && !laws::possible_off_wide(&wicket.kind) {
                return Err(refuse("wickets", format!("Nobody is out {} off a wide", wicket.kind)));
            }
        }
        let counted = d.wickets.iter().filter(|w| laws::counts_as_wicket(&w.kind)).count() as u32;
        let down = balls.last().map_or(0, |b| b.wickets);
        if down + counted > wickets_in_hand(m, batting) {
            return Err(refuse(
                "wickets",
                format!("{batting} have only {} wickets", wickets_in_hand(m, batting)),
            ));
        }
        self.push_delivery(d, note);
        Ok(())
    }
}

/// Why innings `index` of `m` is over, if it is: all out, its overs bowled, its target reached,
/// declared, or a later innings begun.
pub fn innings_end(m: &Match, index: usize, innings: &Innings) -> Option<String> {
    if index + 1 < m.innings.len() {
        return Some(format!("{}'s innings is over", innings.team));
    }
    if innings.is_declared() {
        return Some(format!("{} have declared", innings.team));
    }
    let card = scorecard(m);
    let current = card.innings.get(index)?;
    if current.all_out {
        return Some(format!("{} are all out", innings.team));
    }
    if current.target.is_some_and(|t| current.runs >= t) {
        return Some(format!("{} have reached their target", innings.team));
    }
    let per = u32::from(m.info.balls_per_over);
    let limit = if innings.is_super_over() {
        Some(per)
    } else {
        current.target_balls.or(if is_limited_overs(m) { m.info.overs.map(|o| o * per) } else { None })
    };
    if limit.is_some_and(|l| current.legal_balls >= l) {
        return Some(format!("{}'s overs have all been bowled", innings.team));
    }
    if innings.is_super_over() && current.wickets >= 2 {
        return Some(format!("{} have lost two wickets in the super over", innings.team));
    }
    None
}

/// The two batters must be the ones at the crease: after a wicket one of them is new, and
/// nobody out comes back.
fn check_batters(balls: &[replay::Ball], d: &Delivery) -> Result<(), ApiError> {
    let mut gone: Vec<&str> = Vec::new();
    for ball in balls {
        for w in &ball.delivery.wickets {
            if laws::counts_as_wicket(&w.kind) {
                gone.push(&w.player_out);
            } else {
                gone.retain(|g| *g != w.player_out);
            }
        }
    }
    for (field, name) in [("batter", &d.batter), ("non_striker", &d.non_striker)] {
        if gone.contains(&name.as_str()) {
            return Err(refuse(field, format!("{name} is out")));
        }
    }
    let Some(last) = balls.last().map(|b| b.delivery) else { return Ok(()) };
    let left: Vec<&str> = last.wickets.iter().map(|w| w.player_out.as_str()).collect();
    for stayed in [&last.batter, &last.non_striker].into_iter().filter(|n| !left.contains(&n.as_str())) {
        if *stayed != d.batter && *stayed != d.non_striker {
            return Err(refuse(
                "batter",
                format!("{stayed} is at the crease and must be one of the two batters"),
            ));
        }
    }
    Ok(())
}

/// Nobody bowls two overs in a row (in the Hundred, two sets of five in a row but not three),
/// a bowler changed mid-over must not have bowled the over before, and nobody bowls more than a
/// fifth of a limited-overs innings.
fn check_bowler(m: &Match, balls: &[replay::Ball], d: &Delivery) -> Result<(), ApiError> {
    let per = u32::from(m.info.balls_per_over);
    let bowled_in = |over: u32| balls.iter().any(|b| b.over == over && b.delivery.bowler == d.bowler);
    let only_one_in =
        |over: u32| balls.iter().filter(|b| b.over == over).all(|b| b.delivery.bowler == d.bowler);
    let Some(last) = balls.last() else { return Ok(()) };
    let over_done = last.legal_before + u32::from(last.delivery.is_legal()) >= per;
    let (current, previous) =
        if over_done { (None, Some(last.over)) } else { (Some(last.over), last.over.checked_sub(1)) };
    // Law 17.8: no part of two overs in a row. The Hundred's bowler may bowl ten balls from one
    // end: sets 2k and 2k+1 (from 0), one after the other.
    let hundred_pair = |prev: u32| per == 5 && prev % 2 == 0 && only_one_in(prev);
    let fails = match (current, previous) {
        (None, Some(prev)) => bowled_in(prev) && !hundred_pair(prev),
        (Some(now), Some(prev)) => {
            let changing =
                balls.iter().any(|b| b.over == now && b.delivery.bowler != d.bowler) && !bowled_in(now);
            changing && bowled_in(prev)
        }
        _ => false,
    };
    if fails {
        return Err(refuse("bowler", format!("{} bowled the last over and cannot bowl this one", d.bowler)));
    }
    let super_over = m.innings.last().is_some_and(Innings::is_super_over);
    if is_limited_overs(m) && !super_over {
        if let Some(overs) = m.info.overs {
            let quota = overs.div_ceil(5) * per;
            let bowled =
                balls.iter().filter(|b| b.delivery.bowler == d.bowler && b.delivery.is_legal()).count()
                    as u32;
            // Even a wide is a ball of an over the bowler may no longer bowl.
            if bowled >= quota {
                return Err(refuse(
                    "bowler",
                    format!(
                        "{} has bowled all {} of their overs",
                        d.bowler,
                        laws::overs_text(quota, m.info.balls_per_over)
                    ),
                ));
            }
        }
    }
    Ok(())
}
