//! Career figures across every match in the system: each match gives each player one line (their
//! innings with the bat and the ball, their catches), and a career is the sum of the lines of
//! one format. Super overs do not count, as in the record books.

use super::cricsheet::Match;
use super::scorecard::Scorecard;
use serde::{Deserialize, Serialize};

/// One player's part in one match.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlayerMatch {
    pub name: String,
    pub team: String,
    /// Cricsheet's match type: Test, ODI, T20, ODM, MDM, IT20.
    pub format: String,
    /// Six, or five in the Hundred: how its overs are written.
    #[serde(default = "six")]
    pub balls_per_over: u8,
    pub batting: Vec<BatInnings>,
    pub bowling: Vec<BowlInnings>,
    pub catches: u32,
    pub stumpings: u32,
}

fn six() -> u8 {
    6
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatInnings {
    pub runs: u32,
    pub balls: u32,
    pub fours: u32,
    pub sixes: u32,
    pub out: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BowlInnings {
    pub balls: u32,
    pub maidens: u32,
    pub runs: u32,
    pub wickets: u32,
}

/// Every player's line of a match: the listed XIs, and anyone else who batted, bowled or fielded.
pub fn player_matches(m: &Match, card: &Scorecard) -> Vec<PlayerMatch> {
    let mut lines: Vec<PlayerMatch> = Vec::new();
    let other = |team: &str| m.info.teams.iter().find(|t| *t != team).cloned().unwrap_or_default();
    fn entry<'l>(
        lines: &'l mut Vec<PlayerMatch>,
        name: &str,
        team: &str,
        format: &str,
    ) -> &'l mut PlayerMatch {
        if let Some(i) = lines.iter().position(|l| l.name == name) {
            return &mut lines[i];
        }
        lines.push(PlayerMatch {
            name: name.into(),
            team: team.into(),
            format: format.into(),
            ..PlayerMatch::default()
        });
        lines.last_mut().expect("just pushed")
    }
    let format = m.info.match_type.as_str();
    for team in &m.info.teams {
        for name in m.info.players.get(team).into_iter().flatten() {
            entry(&mut lines, name, team, format);
        }
    }
    for (innings, card) in m.innings.iter().zip(&card.innings).filter(|(i, _)| !i.is_super_over()) {
        let fielding = other(&innings.team);
        for b in &card.batting {
            let bat = BatInnings { runs: b.runs, balls: b.balls, fours: b.fours, sixes: b.sixes, out: b.out };
            entry(&mut lines, &b.name, &innings.team, format).batting.push(bat);
        }
        for b in &card.bowling {
            let bowl =
                BowlInnings { balls: b.legal_balls, maidens: b.maidens, runs: b.runs, wickets: b.wickets };
            entry(&mut lines, &b.name, &fielding, format).bowling.push(bowl);
        }
        for (_, d) in innings.deliveries() {
            for w in &d.wickets {
                let Some(fielder) = w.fielders.first().filter(|f| f.substitute != Some(true)) else {
                    continue;
                };
                let Some(name) = &fielder.name else { continue };
                match w.kind.as_str() {
                    "caught" => entry(&mut lines, name, &fielding, format).catches += 1,
                    "stumped" => entry(&mut lines, name, &fielding, format).stumpings += 1,
                    _ => {}
                }
            }
            let caught_and_bowled = d.wickets.iter().filter(|w| w.kind == "caught and bowled").count() as u32;
            if caught_and_bowled > 0 {
                entry(&mut lines, &d.bowler, &fielding, format).catches += caught_and_bowled;
            }
        }
    }
    for line in &mut lines {
        line.balls_per_over = m.info.balls_per_over;
    }
    lines
}

/// A player's career in one format.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Career {
    pub format: String,
    pub matches: u32,
    pub innings: u32,
    pub not_outs: u32,
    pub runs: u32,
    pub balls: u32,
    pub highest: u32,
    pub highest_not_out: bool,
    pub average: Option<f64>,
    pub strike_rate: Option<f64>,
    pub hundreds: u32,
    pub fifties: u32,
    pub ducks: u32,
    pub fours: u32,
    pub sixes: u32,
    pub bowling_innings: u32,
    pub balls_bowled: u32,
    pub maidens: u32,
    pub runs_conceded: u32,
    pub wickets: u32,
    pub bowling_average: Option<f64>,
    /// Runs per six balls.
    pub economy: Option<f64>,
    /// "5/23": the most wickets in an innings, for the fewest runs.
    pub best_bowling: Option<String>,
    pub five_wickets: u32,
    pub catches: u32,
    pub stumpings: u32,
}

/// Sums lines into careers, one per format, Tests first then one-dayers then T20s.
pub fn careers(lines: &[PlayerMatch]) -> Vec<Career> {
    let mut formats: Vec<&str> = lines.iter().map(|l| l.format.as_str()).collect();
    formats.sort_by_key(|f| {
        (["Test", "MDM", "ODI", "ODM", "T20", "IT20"].iter().position(|x| x == f).unwrap_or(9), *f)
    });
    formats.dedup();
    formats.into_iter().map(|format| career(format, lines.iter().filter(|l| l.format == format))).collect()
}

fn career<'a>(format: &str, lines: impl Iterator<Item = &'a PlayerMatch>) -> Career {
    let mut c = Career { format: format.into(), ..Career::default() };
    let mut best: Option<(u32, u32)> = None;
    for line in lines {
        c.matches += 1;
        c.catches += line.catches;
        c.stumpings += line.stumpings;
        for b in &line.batting {
            c.innings += 1;
            c.not_outs += u32::from(!b.out);
            c.runs += b.runs;
            c.balls += b.balls;
            c.fours += b.fours;
            c.sixes += b.sixes;
            if b.runs >= 100 {
                c.hundreds += 1;
            } else if b.runs >= 50 {
                c.fifties += 1;
            }
            c.ducks += u32::from(b.out && b.runs == 0);
            if b.runs > c.highest || (b.runs == c.highest && !b.out) {
                c.highest = b.runs;
                c.highest_not_out = !b.out;
            }
        }
        for b in &line.bowling {
            c.bowling_innings += 1;
            c.balls_bowled += b.balls;
            c.maidens += b.maidens;
            c.runs_conceded += b.runs;
            c.wickets += b.wickets;
            c.five_wickets += u32::from(b.wickets >= 5);
            let better = best.is_none_or(|(w, r)| b.wickets > w || (b.wickets == w && b.runs < r));
            if better {
                best = Some((b.wickets, b.runs));
            }
        }
    }
    let ratio = |a: u32, b: u32, scale: f64| {
        (b > 0).then(|| super::laws::round2(f64::from(a) * scale / f64::from(b)))
    };
    c.average = ratio(c.runs, c.innings - c.not_outs, 1.0);
    c.strike_rate = ratio(c.runs, c.balls, 100.0);
    c.bowling_average = ratio(c.runs_conceded, c.wickets, 1.0);
    c.economy = ratio(c.runs_conceded, c.balls_bowled, 6.0);
    c.best_bowling = best.map(|(w, r)| format!("{w}/{r}"));
    c
}
