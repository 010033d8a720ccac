//! The result the events say, once the match is over: won by runs, by wickets, by an innings and
//! runs; a tie (and who won the super overs, or the boundary count after a tied one); a draw; no
//! result. Targets come from the data when it gives them (a DLS-revised target is used as given).

use super::cricsheet::{Innings, Margin, Match, Outcome};
use super::laws::balls_of_overs;
use super::replay;
use super::scorecard::{is_limited_overs, wickets_in_hand, InningsCard};

pub struct Derived {
    pub outcome: Outcome,
    pub text: String,
}

/// The runs an innings needs to win and the legal balls it has, when it is a chase: the second
/// innings of a limited-overs match, the second of a pair of super overs, a Test's fourth.
pub fn target_of(m: &Match, innings: &Innings, earlier: &[InningsCard]) -> (Option<u32>, Option<u32>) {
    let per = m.info.balls_per_over;
    let limited = is_limited_overs(m);
    if innings.is_super_over() {
        let supers: Vec<&InningsCard> = earlier.iter().filter(|c| c.super_over).collect();
        if supers.len() % 2 == 1 {
            let given = innings.target.and_then(|t| t.runs);
            return (Some(given.unwrap_or(supers[supers.len() - 1].runs + 1)), Some(u32::from(per)));
        }
        return (None, None);
    }
    let mains: Vec<&InningsCard> = earlier.iter().filter(|c| !c.super_over).collect();
    let scheduled = m.info.overs.map(|o| o * u32::from(per));
    if let Some(target) = innings.target {
        let balls = target.overs.map(|o| balls_of_overs(o, per)).or(if limited { scheduled } else { None });
        let runs = target.runs.or_else(|| mains.first().map(|c| c.runs + 1));
        return (runs, balls);
    }
    if limited && mains.len() == 1 {
        return (Some(mains[0].runs + 1), scheduled);
    }
    if !limited && mains.len() == 3 {
        let (own, theirs) = mains.iter().fold((0, 0), |(own, theirs), c| {
            if c.team == innings.team {
                (own + c.runs, theirs)
            } else {
                (own, theirs + c.runs)
            }
        });
        return (Some((theirs + 1).saturating_sub(own)).filter(|t| *t > 0), None);
    }
    (None, None)
}

fn plural(n: u32, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

fn won(winner: &str, margin: Margin, method: Option<&str>) -> Derived {
    let by = match (margin.innings, margin.runs, margin.wickets) {
        (Some(_), Some(runs), _) => format!("an innings and {}", plural(runs, "run")),
        (_, Some(runs), _) => plural(runs, "run"),
        (_, _, Some(wickets)) => plural(wickets, "wicket"),
        _ => String::new(),
    };
    let method_text = method.map(|m| format!(" ({m})")).unwrap_or_default();
    Derived {
        outcome: Outcome {
            winner: Some(winner.to_owned()),
            by: Some(margin),
            method: method.map(str::to_owned),
            ..Outcome::default()
        },
        text: format!("{winner} won by {by}{method_text}"),
    }
}

fn result(result: &str, text: &str) -> Derived {
    Derived {
        outcome: Outcome { result: Some(result.to_owned()), ..Outcome::default() },
        text: text.to_owned(),
    }
}

/// What the events say. A recorded result the events cannot show (a match awarded, a bowl-out)
/// is kept as recorded.
pub fn derive(m: &Match, cards: &[InningsCard]) -> Derived {
    let recorded = &m.info.outcome;
    // The events show a DLS (or VJD) result against the target the data gives; any other method
    // (awarded, a bowl-out, "lost fewer wickets") is the record's to tell.
    let derivable = matches!(recorded.method.as_deref(), None | Some("D/L" | "DLS" | "VJD"));
    if recorded.bowl_out.is_some() || !derivable {
        let text = match (&recorded.winner, &recorded.method) {
            (Some(w), Some(method)) => format!("{w} won ({method})"),
            (Some(w), None) => format!("{w} won"),
            _ => recorded.result.clone().unwrap_or_default(),
        };
        return Derived { outcome: recorded.clone(), text };
    }
    let method = recorded.method.as_deref();
    if is_limited_overs(m) {
        limited_overs(m, cards, method)
    } else {
        first_class(m, cards, method)
    }
}

fn limited_overs(m: &Match, cards: &[InningsCard], method: Option<&str>) -> Derived {
    let mains: Vec<&InningsCard> = cards.iter().filter(|c| !c.super_over).collect();
    if mains.len() < 2 {
        return result("no result", "No result");
    }
    let (first, chase) = (mains[0], mains[1]);
    let (Some(target), Some(balls)) = (chase.target, chase.target_balls) else {
        return result("no result", "No result");
    };
    if chase.runs >= target {
        // A chase stops the moment it gets there; one that scored on past the target was
        // stopped by the weather, and the target is the par score at that point.
        let innings = &m.innings[chase.number as usize - 1];
        let walked = replay::walk(innings, true);
        let reached_early =
            walked.iter().position(|b| b.score >= target).is_some_and(|i| i + 1 < walked.len());
        if reached_early {
            return won(
                &chase.team,
                Margin { runs: Some(chase.runs + 1 - target), ..Margin::default() },
                method,
            );
        }
        let wickets = wickets_in_hand(m, &chase.team).saturating_sub(chase.wickets);
        return won(&chase.team, Margin { wickets: Some(wickets), ..Margin::default() }, method);
    }
    let finished = chase.all_out || chase.no_batters_left || chase.legal_balls >= balls;
    if !finished {
        return result("no result", "No result");
    }
    if chase.runs + 1 < target {
        return won(&first.team, Margin { runs: Some(target - 1 - chase.runs), ..Margin::default() }, method);
    }
    tie(m, cards)
}

/// A tie, and who goes through: the last pair of super overs decides; if it is tied too, the side
/// with more boundaries over the match and its super overs (the rule of 2019).
fn tie(m: &Match, cards: &[InningsCard]) -> Derived {
    let supers: Vec<&InningsCard> = cards.iter().filter(|c| c.super_over).collect();
    let pairs: Vec<&[&InningsCard]> = supers.chunks(2).filter(|pair| pair.len() == 2).collect();
    let Some(last) = pairs.last() else {
        return result("tie", "Match tied");
    };
    let nth = match pairs.len() {
        1 => "the super over".to_owned(),
        2 => "the second super over".to_owned(),
        n => format!("super over {n}"),
    };
    let (a, b) = (last[0], last[1]);
    let (eliminator, how) = if a.runs != b.runs {
        let winner = if a.runs > b.runs { &a.team } else { &b.team };
        (winner.clone(), format!("won {nth}"))
    } else {
        let boundaries = |team: &str| -> usize {
            m.innings
                .iter()
                .filter(|i| i.team == team)
                .flat_map(|i| i.deliveries())
                .filter(|(_, d)| d.boundary().is_some())
                .count()
        };
        let (ba, bb) = (boundaries(&a.team), boundaries(&b.team));
        if ba == bb {
            return result("tie", "Match tied; the super overs tied too");
        }
        let winner = if ba > bb { &a.team } else { &b.team };
        (winner.clone(), "won on boundaries after the super over tied".to_owned())
    };
    Derived {
        text: format!("Match tied; {eliminator} {how}"),
        outcome: Outcome { result: Some("tie".into()), eliminator: Some(eliminator), ..Outcome::default() },
    }
}

fn first_class(m: &Match, cards: &[InningsCard], method: Option<&str>) -> Derived {
    let complete = |c: &InningsCard| c.all_out || c.declared || c.forfeited;
    let total = |team: &str, upto: usize| -> u32 {
        cards[..upto].iter().filter(|c| c.team == team).map(|c| c.runs).sum()
    };
    match cards.len() {
        4 => {
            let last = &cards[3];
            let other = m.info.teams.iter().find(|t| **t != last.team).cloned().unwrap_or_default();
            let target =
                last.target.unwrap_or_else(|| (total(&other, 3) + 1).saturating_sub(total(&last.team, 3)));
            if last.runs >= target {
                let wickets = wickets_in_hand(m, &last.team).saturating_sub(last.wickets);
                won(&last.team, Margin { wickets: Some(wickets), ..Margin::default() }, method)
            } else if last.all_out && last.runs + 1 == target {
                result("tie", "Match tied")
            } else if last.all_out {
                won(&other, Margin { runs: Some(target - 1 - last.runs), ..Margin::default() }, method)
            } else {
                result("draw", "Match drawn")
            }
        }
        3 => {
            let twice = &cards[2].team;
            let other = m.info.teams.iter().find(|t| *t != twice).cloned().unwrap_or_default();
            let (theirs, ours) = (total(&other, 3), total(twice, 3));
            let both_done = cards.iter().filter(|c| &c.team == twice).all(complete);
            if both_done && cards[2].all_out && ours < theirs {
                won(
                    &other,
                    Margin { innings: Some(1), runs: Some(theirs - ours), ..Margin::default() },
                    method,
                )
            } else {
                result("draw", "Match drawn")
            }
        }
        _ => result("draw", "Match drawn"),
    }
}
