//! Commentary from the event log: a line per ball ("Bumrah to Smith, FOUR", with the scorer's own
//! words after it when they gave some), a line at the end of each over, and milestones (fifties,
//! hundreds, five-fors, partnerships, the team's hundreds).

use super::cricsheet::Match;
use super::laws;
use super::replay::{self, Ball};
use super::scorecard::is_limited_overs;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    Ball,
    Wicket,
    Boundary,
    Milestone,
    EndOfOver,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Line {
    /// The innings, from 1.
    pub innings: u32,
    /// The delivery it follows, from 0 within the innings.
    pub ball: u32,
    /// "3.4"
    pub label: String,
    pub kind: LineKind,
    pub text: String,
    /// The innings' score after it: "45/2".
    pub score: String,
}

fn runs_text(n: u32, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// What happened off one ball, in a commentator's short words.
pub fn describe(ball: &Ball) -> String {
    let d = ball.delivery;
    let e = d.extras();
    let mut parts: Vec<String> = Vec::new();
    if let Some(w) = e.wides {
        parts.push(if w == 1 { "wide".into() } else { format!("{w} wides") });
    } else if e.noballs.is_some() {
        parts.push("no ball".into());
    }
    match (e.byes, e.legbyes) {
        (Some(b), _) => parts.push(runs_text(b, "bye", "byes")),
        (_, Some(lb)) => parts.push(runs_text(lb, "leg bye", "leg byes")),
        _ => {}
    }
    match d.boundary() {
        Some(4) => parts.push("FOUR".into()),
        Some(6) => parts.push("SIX".into()),
        _ if d.runs.batter > 0 => parts.push(runs_text(d.runs.batter, "run", "runs")),
        _ => {}
    }
    if parts.is_empty() {
        parts.push("no run".into());
    }
    if let Some(p) = e.penalty {
        parts.push(format!("{p} penalty runs"));
    }
    for wicket in &d.wickets {
        let how = laws::dismissal_text(wicket, &d.bowler);
        let prefix = if laws::counts_as_wicket(&wicket.kind) { "OUT! " } else { "" };
        parts.push(format!("{prefix}{} {how}", wicket.player_out));
    }
    let free_hit = if ball.free_hit { "free hit, " } else { "" };
    format!("{} to {}, {free_hit}{}", d.bowler, d.batter, parts.join(", "))
}

const BATTER_MILESTONES: [u32; 4] = [50, 100, 150, 200];
const STAND_MILESTONES: [u32; 4] = [50, 100, 150, 200];

fn crossed(before: u32, after: u32, marks: &[u32]) -> Option<u32> {
    marks.iter().copied().filter(|m| before < *m && after >= *m).max()
}

/// Every line of the match, in the order it happened. `notes` holds the scorer's own words by
/// (innings from 1, ball from 0).
pub fn commentary(m: &Match, notes: &HashMap<(u32, u32), String>) -> Vec<Line> {
    let limited = is_limited_overs(m);
    let per = m.info.balls_per_over;
    let mut lines = Vec::new();
    for (i, innings) in m.innings.iter().enumerate() {
        let number = i as u32 + 1;
        let balls = replay::walk(innings, limited);
        let mut batter_runs: HashMap<&str, u32> = HashMap::new();
        let mut bowler_wickets: HashMap<&str, u32> = HashMap::new();
        let (mut stand_runs, mut stand_pair) = (0u32, None::<(&str, &str)>);
        let mut team_before = 0;
        for (n, ball) in balls.iter().enumerate() {
            let d = ball.delivery;
            let score = format!("{}/{}", ball.score, ball.wickets);
            let push = |lines: &mut Vec<Line>, kind, text: String| {
                lines.push(Line {
                    innings: number,
                    ball: n as u32,
                    label: ball.label.clone(),
                    kind,
                    text,
                    score: score.clone(),
                })
            };
            let mut text = describe(ball);
            if let Some(note) = notes.get(&(number, n as u32)) {
                text = format!("{text}, {note}");
            }
            let kind = if d.wickets.iter().any(|w| laws::counts_as_wicket(&w.kind)) {
                LineKind::Wicket
            } else if d.boundary().is_some() {
                LineKind::Boundary
            } else {
                LineKind::Ball
            };
            push(&mut lines, kind, text);

            let pair = (d.batter.as_str(), d.non_striker.as_str());
            let same = stand_pair.is_some_and(|(a, b)| (a, b) == pair || (b, a) == pair);
            if !same {
                stand_runs = 0;
                stand_pair = Some(pair);
            }
            let stand_before = stand_runs;
            stand_runs += d.runs.total;
            if let Some(mark) = crossed(stand_before, stand_runs, &STAND_MILESTONES) {
                push(
                    &mut lines,
                    LineKind::Milestone,
                    format!("{mark} partnership between {} and {}", d.batter, d.non_striker),
                );
            }
            let runs = batter_runs.entry(d.batter.as_str()).or_default();
            let before = *runs;
            *runs += d.runs.batter;
            if let Some(mark) = crossed(before, *runs, &BATTER_MILESTONES) {
                let what = if mark == 50 { "fifty".to_owned() } else { format!("{mark}") };
                push(&mut lines, LineKind::Milestone, format!("{} reaches {what}", d.batter));
            }
            let taken = d.wickets.iter().filter(|w| laws::credited_to_bowler(&w.kind)).count() as u32;
            if taken > 0 {
                let wickets = bowler_wickets.entry(d.bowler.as_str()).or_default();
                let before = *wickets;
                *wickets += taken;
                if before < 5 && *wickets >= 5 {
                    push(&mut lines, LineKind::Milestone, format!("Five wickets for {}", d.bowler));
                }
            }
            if !innings.is_super_over() && ball.score / 100 > team_before / 100 {
                push(
                    &mut lines,
                    LineKind::Milestone,
                    format!("{} reach {}", innings.team, ball.score / 100 * 100),
                );
            }
            team_before = ball.score;
            if d.wickets.iter().any(|w| laws::counts_as_wicket(&w.kind)) {
                stand_pair = None;
            }
            let over_ends = balls.get(n + 1).is_none_or(|next| next.over != ball.over);
            let whole = ball.legal_before + u32::from(d.is_legal()) == u32::from(per);
            if over_ends && whole {
                let over_runs: u32 =
                    balls.iter().filter(|b| b.over == ball.over).map(|b| b.delivery.runs.total).sum();
                push(
                    &mut lines,
                    LineKind::EndOfOver,
                    format!(
                        "End of over {}: {} from it, {} {score}",
                        ball.over + 1,
                        runs_text(over_runs, "run", "runs"),
                        innings.team
                    ),
                );
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cricket::cricsheet::{Delivery, Extras, Innings, Over, Runs, Wicket};

    fn ball(delivery: &Delivery, free_hit: bool) -> String {
        describe(&Ball {
            index: 0,
            over: 0,
            legal_before: 0,
            label: "0.1".into(),
            delivery,
            score: 0,
            wickets: 0,
            legal_balls: 0,
            free_hit,
        })
    }

    fn delivery(batter: u32, extras: Extras) -> Delivery {
        Delivery {
            batter: "Smith".into(),
            bowler: "Bumrah".into(),
            non_striker: "Head".into(),
            runs: Runs { batter, extras: extras.sum(), total: batter + extras.sum(), non_boundary: None },
            extras: (extras != Extras::default()).then_some(extras),
            wickets: vec![],
            review: None,
            replacements: None,
        }
    }

    #[test]
    fn each_ball_reads_as_a_commentator_says_it() {
        assert_eq!(ball(&delivery(4, Extras::default()), false), "Bumrah to Smith, FOUR");
        assert_eq!(ball(&delivery(6, Extras::default()), true), "Bumrah to Smith, free hit, SIX");
        assert_eq!(ball(&delivery(0, Extras::default()), false), "Bumrah to Smith, no run");
        assert_eq!(ball(&delivery(1, Extras::default()), false), "Bumrah to Smith, 1 run");
        assert_eq!(
            ball(&delivery(0, Extras { wides: Some(5), ..Extras::default() }), false),
            "Bumrah to Smith, 5 wides"
        );
        assert_eq!(
            ball(&delivery(2, Extras { noballs: Some(1), ..Extras::default() }), false),
            "Bumrah to Smith, no ball, 2 runs"
        );
        assert_eq!(
            ball(&delivery(0, Extras { legbyes: Some(1), ..Extras::default() }), false),
            "Bumrah to Smith, 1 leg bye"
        );
        let mut four_run = delivery(4, Extras::default());
        four_run.runs.non_boundary = Some(true);
        assert_eq!(ball(&four_run, false), "Bumrah to Smith, 4 runs");
        let mut out = delivery(0, Extras::default());
        out.wickets = vec![Wicket { player_out: "Smith".into(), kind: "bowled".into(), fielders: vec![] }];
        assert_eq!(ball(&out, false), "Bumrah to Smith, no run, OUT! Smith b Bumrah");
    }

    #[test]
    fn notes_milestones_and_over_ends_join_the_lines() {
        let deliveries: Vec<Delivery> = (0..6).map(|_| delivery(6, Extras::default())).collect();
        let innings = Innings {
            team: "A".into(),
            overs: (0..3).map(|over| Over { over, deliveries: deliveries.clone() }).collect(),
            absent_hurt: None,
            penalty_runs: None,
            declared: None,
            forfeited: None,
            powerplays: None,
            miscounted_overs: None,
            target: None,
            super_over: None,
        };
        let mut m: Match = serde_json::from_value(serde_json::json!({
            "meta": {"data_version": "1.1.0", "created": "2026-12-05", "revision": 1},
            "info": {"balls_per_over": 6, "dates": ["2026-12-05"], "gender": "male", "match_type": "T20",
                     "outcome": {}, "overs": 20, "teams": ["A", "B"]}
        }))
        .unwrap();
        m.innings.push(innings);
        let notes = HashMap::from([((1, 0), "over long-on".to_owned())]);
        let lines = commentary(&m, &notes);
        assert_eq!(lines[0].text, "Bumrah to Smith, SIX, over long-on");
        assert_eq!(lines[0].label, "0.1");
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert!(texts.contains(&"Smith reaches fifty"), "{texts:?}");
        assert!(texts.contains(&"Smith reaches 100"), "{texts:?}");
        assert!(texts.contains(&"50 partnership between Smith and Head"), "{texts:?}");
        assert!(texts.contains(&"End of over 1: 36 runs from it, A 36/0"), "{texts:?}");
        assert!(texts.contains(&"A reach 100"), "{texts:?}");
    }
}
