//! The scorecard derived from the event log: per innings the batting (runs, balls, 4s, 6s, strike
//! rate, how out), the bowling (overs, maidens, runs, wickets, economy, wides, no-balls), extras,
//! the total, the fall of wickets, partnerships, each over's balls, and the match's result.

use super::cricsheet::{Innings, Match, Outcome};
use super::laws::{self, overs_text, round2, run_rate};
use super::outcome;
use super::replay::{self, Ball};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Scorecard {
    pub teams: Vec<String>,
    pub balls_per_over: u8,
    pub innings: Vec<InningsCard>,
    /// What the events say the result is once the match is over, in Cricsheet's shape.
    pub outcome: Outcome,
    /// The result in words: "Sunrisers Hyderabad won by 35 runs".
    pub result: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InningsCard {
    /// From 1, super overs included, in the order played.
    pub number: u32,
    pub team: String,
    pub super_over: bool,
    pub runs: u32,
    pub wickets: u32,
    pub legal_balls: u32,
    /// "19.4"
    pub overs: String,
    pub declared: bool,
    pub forfeited: bool,
    pub all_out: bool,
    /// All out but for batters retired hurt who did not come back: nobody left to bat once the
    /// innings is over.
    pub no_batters_left: bool,
    /// The runs this innings needed to win, and in how many balls, when it was a chase.
    pub target: Option<u32>,
    pub target_balls: Option<u32>,
    pub run_rate: Option<f64>,
    /// Runs per over still needed when the chase ended (or now, live).
    pub required_rate: Option<f64>,
    pub batting: Vec<BattingLine>,
    pub did_not_bat: Vec<String>,
    pub bowling: Vec<BowlingLine>,
    pub extras: ExtrasLine,
    pub fall_of_wickets: Vec<FallOfWicket>,
    pub partnerships: Vec<Partnership>,
    pub overs_bowled: Vec<OverSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BattingLine {
    pub name: String,
    pub runs: u32,
    pub balls: u32,
    pub fours: u32,
    pub sixes: u32,
    pub strike_rate: Option<f64>,
    /// "c Smith b Starc", "not out", "retired hurt".
    pub dismissal: String,
    /// Dismissed (a retirement that may come back is not).
    pub out: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BowlingLine {
    pub name: String,
    pub legal_balls: u32,
    /// "3.4"
    pub overs: String,
    pub maidens: u32,
    pub runs: u32,
    pub wickets: u32,
    pub economy: Option<f64>,
    pub wides: u32,
    pub noballs: u32,
    pub dots: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExtrasLine {
    pub byes: u32,
    pub legbyes: u32,
    pub wides: u32,
    pub noballs: u32,
    pub penalty: u32,
    pub total: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FallOfWicket {
    pub wicket: u32,
    pub runs: u32,
    pub player: String,
    /// The ball it fell on: "3.2".
    pub over: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Partnership {
    /// The wicket it was for: 1 is the opening stand.
    pub wicket: u32,
    pub batters: [String; 2],
    /// Each batter's own runs in the stand, in the order of `batters`.
    pub contributions: [u32; 2],
    /// All runs scored in the stand, extras included.
    pub runs: u32,
    pub legal_balls: u32,
    /// Still together when the innings ended (or now).
    pub unbroken: bool,
}

/// One over: who bowled it, what it cost, and its balls as a scorer's chips ("1", "4", "W", "1wd").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OverSummary {
    /// From 1.
    pub number: u32,
    pub bowler: String,
    pub runs: u32,
    pub wickets: u32,
    /// The innings' score at the end of the over.
    pub score: u32,
    pub balls: Vec<String>,
}

/// A limited-overs match (free hits, over limits) rather than a first-class one.
pub fn is_limited_overs(m: &Match) -> bool {
    m.info.overs.is_some() && !matches!(m.info.match_type.as_str(), "Test" | "MDM")
}

/// The scorecard of a match, as far as it has gone.
pub fn scorecard(m: &Match) -> Scorecard {
    let limited = is_limited_overs(m);
    let mut cards: Vec<InningsCard> = Vec::with_capacity(m.innings.len());
    for (i, innings) in m.innings.iter().enumerate() {
        let card = innings_card(m, i as u32 + 1, innings, limited, &cards);
        cards.push(card);
    }
    let derived = outcome::derive(m, &cards);
    Scorecard {
        teams: m.info.teams.clone(),
        balls_per_over: m.info.balls_per_over,
        innings: cards,
        outcome: derived.outcome,
        result: derived.text,
    }
}

/// How many wickets end an innings: ten, fewer when a side has fewer players.
pub fn wickets_in_hand(m: &Match, team: &str) -> u32 {
    match m.info.players.get(team).map(Vec::len) {
        Some(n) if (2..11).contains(&n) => n as u32 - 1,
        _ => 10,
    }
}

fn innings_card(
    m: &Match,
    number: u32,
    innings: &Innings,
    limited: bool,
    earlier: &[InningsCard],
) -> InningsCard {
    let per = m.info.balls_per_over;
    let balls = replay::walk(innings, limited);
    let post = innings.penalty_runs.and_then(|p| p.post).unwrap_or(0);
    let pre = innings.penalty_runs.and_then(|p| p.pre).unwrap_or(0);
    let runs = balls.last().map_or(pre, |b| b.score) + post;
    let wickets = balls.last().map_or(0, |b| b.wickets);
    let legal_balls = balls.last().map_or(0, |b| b.legal_balls);
    let absent = innings.absent_hurt.as_ref().map_or(0, |a| a.len() as u32);
    let all_out = wickets + absent >= wickets_in_hand(m, &innings.team);
    let retired_away = retired_not_back(&balls);
    let no_batters_left = all_out || wickets + absent + retired_away >= wickets_in_hand(m, &innings.team);

    let (target, target_balls) = outcome::target_of(m, innings, earlier);
    let required_rate = match (target, target_balls) {
        (Some(t), Some(tb)) if t > runs && tb > legal_balls => run_rate(t - runs, tb - legal_balls, per),
        _ => None,
    };

    let mut extras = ExtrasLine { penalty: pre + post, ..ExtrasLine::default() };
    for ball in &balls {
        let e = ball.delivery.extras();
        extras.byes += e.byes.unwrap_or(0);
        extras.legbyes += e.legbyes.unwrap_or(0);
        extras.wides += e.wides.unwrap_or(0);
        extras.noballs += e.noballs.unwrap_or(0);
        extras.penalty += e.penalty.unwrap_or(0);
    }
    extras.total = extras.byes + extras.legbyes + extras.wides + extras.noballs + extras.penalty;

    let batting = batting_lines(&balls);
    let did_not_bat = m
        .info
        .players
        .get(&innings.team)
        .map(|players| players.iter().filter(|p| !batting.iter().any(|b| &b.name == *p)).cloned().collect())
        .unwrap_or_default();

    InningsCard {
        number,
        team: innings.team.clone(),
        super_over: innings.is_super_over(),
        runs,
        wickets,
        legal_balls,
        overs: overs_text(legal_balls, per),
        declared: innings.is_declared(),
        forfeited: innings.is_forfeited(),
        all_out,
        no_batters_left,
        target,
        target_balls,
        run_rate: run_rate(runs, legal_balls, per),
        required_rate,
        bowling: bowling_lines(&balls, per),
        did_not_bat,
        batting,
        extras,
        fall_of_wickets: fall_of_wickets(&balls),
        partnerships: partnerships(&balls),
        overs_bowled: over_summaries(&balls),
    }
}

/// Batters who retired (hurt, or not out) and never batted again.
fn retired_not_back(balls: &[Ball]) -> u32 {
    let mut away: Vec<&str> = Vec::new();
    for ball in balls {
        let d = ball.delivery;
        away.retain(|name| *name != d.batter && *name != d.non_striker);
        for w in d.wickets.iter().filter(|w| !laws::counts_as_wicket(&w.kind)) {
            away.push(&w.player_out);
        }
    }
    away.len() as u32
}

fn batting_lines(balls: &[Ball]) -> Vec<BattingLine> {
    let mut lines: Vec<BattingLine> = Vec::new();
    fn line<'l>(lines: &'l mut Vec<BattingLine>, name: &str) -> &'l mut BattingLine {
        if let Some(i) = lines.iter().position(|l| l.name == name) {
            return &mut lines[i];
        }
        lines.push(BattingLine {
            name: name.to_owned(),
            runs: 0,
            balls: 0,
            fours: 0,
            sixes: 0,
            strike_rate: None,
            dismissal: "not out".into(),
            out: false,
        });
        lines.last_mut().expect("just pushed")
    }
    for ball in balls {
        let d = ball.delivery;
        let striker = line(&mut lines, &d.batter);
        // A retired batter who comes back is not out again until dismissed.
        if striker.dismissal.starts_with("retired") && !striker.out {
            striker.dismissal = "not out".into();
        }
        striker.runs += d.runs.batter;
        striker.balls += u32::from(d.wides() == 0);
        match d.boundary() {
            Some(4) => striker.fours += 1,
            Some(6) => striker.sixes += 1,
            _ => {}
        }
        let other = line(&mut lines, &d.non_striker);
        if other.dismissal.starts_with("retired") && !other.out {
            other.dismissal = "not out".into();
        }
        for wicket in &d.wickets {
            let out = line(&mut lines, &wicket.player_out);
            out.dismissal = laws::dismissal_text(wicket, &d.bowler);
            out.out = laws::counts_as_wicket(&wicket.kind);
        }
    }
    for l in &mut lines {
        l.strike_rate = (l.balls > 0).then(|| round2(f64::from(l.runs) * 100.0 / f64::from(l.balls)));
    }
    lines
}

fn bowling_lines(balls: &[Ball], per: u8) -> Vec<BowlingLine> {
    let mut lines: Vec<BowlingLine> = Vec::new();
    for ball in balls {
        let d = ball.delivery;
        let i = match lines.iter().position(|l| l.name == d.bowler) {
            Some(i) => i,
            None => {
                lines.push(BowlingLine {
                    name: d.bowler.clone(),
                    legal_balls: 0,
                    overs: String::new(),
                    maidens: 0,
                    runs: 0,
                    wickets: 0,
                    economy: None,
                    wides: 0,
                    noballs: 0,
                    dots: 0,
                });
                lines.len() - 1
            }
        };
        let l = &mut lines[i];
        l.legal_balls += u32::from(d.is_legal());
        l.runs += d.bowler_runs();
        l.wickets += d.wickets.iter().filter(|w| laws::credited_to_bowler(&w.kind)).count() as u32;
        l.wides += d.wides();
        l.noballs += d.noballs();
        l.dots += u32::from(d.is_legal() && d.runs.total == 0);
    }
    // A maiden: a whole over by one bowler that cost the bowler nothing.
    let mut start = 0;
    while start < balls.len() {
        let over = balls[start].over;
        let end = balls[start..].iter().position(|b| b.over != over).map_or(balls.len(), |n| start + n);
        let slice = &balls[start..end];
        let bowler = &slice[0].delivery.bowler;
        let whole = slice.iter().filter(|b| b.delivery.is_legal()).count() == usize::from(per);
        if whole && slice.iter().all(|b| &b.delivery.bowler == bowler && b.delivery.bowler_runs() == 0) {
            if let Some(l) = lines.iter_mut().find(|l| &l.name == bowler) {
                l.maidens += 1;
            }
        }
        start = end;
    }
    for l in &mut lines {
        l.overs = overs_text(l.legal_balls, per);
        l.economy = run_rate(l.runs, l.legal_balls, per);
    }
    lines
}

fn fall_of_wickets(balls: &[Ball]) -> Vec<FallOfWicket> {
    let mut fall = Vec::new();
    let mut counted = 0;
    for ball in balls {
        for wicket in ball.delivery.wickets.iter().filter(|w| laws::counts_as_wicket(&w.kind)) {
            counted += 1;
            fall.push(FallOfWicket {
                wicket: counted,
                runs: ball.score,
                player: wicket.player_out.clone(),
                over: ball.label.clone(),
            });
        }
    }
    fall
}

fn partnerships(balls: &[Ball]) -> Vec<Partnership> {
    let mut stands: Vec<Partnership> = Vec::new();
    let mut wickets_before = 0;
    for ball in balls {
        let d = ball.delivery;
        let same_pair = stands.last().is_some_and(|s| {
            !s.batters.iter().any(|b| b.is_empty())
                && s.unbroken
                && s.batters.contains(&d.batter)
                && s.batters.contains(&d.non_striker)
        });
        if !same_pair {
            if let Some(last) = stands.last_mut() {
                last.unbroken = false;
            }
            stands.push(Partnership {
                wicket: wickets_before + 1,
                batters: [d.batter.clone(), d.non_striker.clone()],
                contributions: [0, 0],
                runs: 0,
                legal_balls: 0,
                unbroken: true,
            });
        }
        let stand = stands.last_mut().expect("a stand is open");
        stand.runs += d.runs.total;
        stand.legal_balls += u32::from(d.is_legal());
        let striker = usize::from(stand.batters[1] == d.batter);
        stand.contributions[striker] += d.runs.batter;
        if !d.wickets.is_empty() {
            // Any dismissal or retirement breaks the stand.
            stand.unbroken = false;
        }
        wickets_before = ball.wickets;
    }
    stands
}

fn over_summaries(balls: &[Ball]) -> Vec<OverSummary> {
    let mut overs: Vec<OverSummary> = Vec::new();
    for ball in balls {
        let d = ball.delivery;
        if overs.last().is_none_or(|o| o.number != ball.over + 1) {
            overs.push(OverSummary {
                number: ball.over + 1,
                bowler: d.bowler.clone(),
                runs: 0,
                wickets: 0,
                score: 0,
                balls: Vec::new(),
            });
        }
        let over = overs.last_mut().expect("an over is open");
        over.runs += d.runs.total;
        over.wickets += d.wickets.iter().filter(|w| laws::counts_as_wicket(&w.kind)).count() as u32;
        over.score = ball.score;
        over.balls.push(chip(ball));
    }
    overs
}

/// A ball as a scorer's chip: "•" for a dot, "4", "W", "1wd", "nb", "2lb".
pub fn chip(ball: &Ball) -> String {
    let d = ball.delivery;
    let e = d.extras();
    let mut text = if let Some(w) = e.wides {
        if w == 1 {
            "wd".to_owned()
        } else {
            format!("{w}wd")
        }
    } else if e.noballs.is_some() {
        if d.runs.batter == 0 {
            "nb".to_owned()
        } else {
            format!("{}nb", d.runs.batter)
        }
    } else if let Some(b) = e.byes {
        format!("{b}b")
    } else if let Some(lb) = e.legbyes {
        format!("{lb}lb")
    } else if d.runs.batter == 0 {
        "•".to_owned()
    } else {
        d.runs.batter.to_string()
    };
    if d.wickets.iter().any(|w| laws::counts_as_wicket(&w.kind)) {
        text = if text == "•" { "W".into() } else { format!("W{text}") };
    }
    text
}
