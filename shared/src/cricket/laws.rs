//! The Laws the scorecard keeps: which dismissals count to the bowler and which to the innings,
//! how a dismissal is written, and overs as cricket writes them (3.4 is three overs and four balls).

use super::cricsheet::{Fielder, Wicket};

/// Dismissals credited to the bowler (a run out, a retirement or obstruction is not).
pub fn credited_to_bowler(kind: &str) -> bool {
    matches!(kind, "bowled" | "caught" | "caught and bowled" | "lbw" | "stumped" | "hit wicket")
}

/// Dismissals that count among the innings' wickets: all but a retirement that may come back.
pub fn counts_as_wicket(kind: &str) -> bool {
    !matches!(kind, "retired hurt" | "retired not out")
}

/// The dismissals possible off a free hit (Law 21.19): none the bowler takes.
pub fn possible_on_free_hit(kind: &str) -> bool {
    matches!(
        kind,
        "run out"
            | "obstructing the field"
            | "hit the ball twice"
            | "handled the ball"
            | "retired hurt"
            | "retired out"
            | "retired not out"
    )
}

/// Dismissals possible off a wide (Law 22.1.2): no bowled, lbw or caught off a ball not hit.
pub fn possible_off_wide(kind: &str) -> bool {
    !matches!(kind, "bowled" | "lbw" | "caught" | "caught and bowled" | "hit the ball twice")
}

fn fielder_name(fielder: &Fielder) -> String {
    let name = fielder.name.clone().unwrap_or_default();
    match (fielder.substitute == Some(true), name.is_empty()) {
        (true, true) => "sub".into(),
        (true, false) => format!("sub ({name})"),
        (false, _) => name,
    }
}

/// How a scorecard writes a dismissal: "c Smith b Starc", "c & b Ali", "lbw b Anderson",
/// "run out (Murtagh/Wilson)", "retired hurt".
pub fn dismissal_text(wicket: &Wicket, bowler: &str) -> String {
    let first = wicket.fielders.first().map(fielder_name).unwrap_or_default();
    match wicket.kind.as_str() {
        "bowled" => format!("b {bowler}"),
        "lbw" => format!("lbw b {bowler}"),
        "caught and bowled" => format!("c & b {bowler}"),
        "caught" if first.is_empty() => format!("c ? b {bowler}"),
        "caught" if wicket.fielders[0].name.as_deref() == Some(bowler) => format!("c & b {bowler}"),
        "caught" => format!("c {first} b {bowler}"),
        "stumped" if first.is_empty() => format!("st ? b {bowler}"),
        "stumped" => format!("st {first} b {bowler}"),
        "hit wicket" => format!("hit wicket b {bowler}"),
        "run out" if wicket.fielders.is_empty() => "run out".into(),
        "run out" => {
            format!("run out ({})", wicket.fielders.iter().map(fielder_name).collect::<Vec<_>>().join("/"))
        }
        other => other.into(),
    }
}

/// Legal balls as overs: 22 balls of six is "3.4"; a whole number of overs has no ".0".
pub fn overs_text(legal_balls: u32, balls_per_over: u8) -> String {
    let per = u32::from(balls_per_over.max(1));
    match legal_balls % per {
        0 => format!("{}", legal_balls / per),
        part => format!("{}.{part}", legal_balls / per),
    }
}

/// Cricsheet's part-overs (14.2 as a number) as legal balls.
pub fn balls_of_overs(overs: f64, balls_per_over: u8) -> u32 {
    let whole = overs.trunc();
    let part = ((overs - whole) * 10.0).round();
    // `as` saturates; the sums must too (a file may say anything).
    (whole as u32).saturating_mul(u32::from(balls_per_over)).saturating_add(part as u32)
}

/// Runs per over of `balls_per_over` balls, to two places.
pub fn run_rate(runs: u32, legal_balls: u32, balls_per_over: u8) -> Option<f64> {
    (legal_balls > 0).then(|| round2(f64::from(runs) * f64::from(balls_per_over) / f64::from(legal_balls)))
}

pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wicket(kind: &str, fielders: &[&str]) -> Wicket {
        Wicket {
            player_out: "X".into(),
            kind: kind.into(),
            fielders: fielders
                .iter()
                .map(|f| Fielder { name: Some((*f).into()), substitute: None })
                .collect(),
        }
    }

    #[test]
    fn dismissals_read_as_on_a_scorecard() {
        assert_eq!(dismissal_text(&wicket("caught", &["Smith"]), "Starc"), "c Smith b Starc");
        assert_eq!(dismissal_text(&wicket("caught", &["Starc"]), "Starc"), "c & b Starc");
        assert_eq!(dismissal_text(&wicket("caught and bowled", &[]), "Ali"), "c & b Ali");
        assert_eq!(dismissal_text(&wicket("bowled", &[]), "Bumrah"), "b Bumrah");
        assert_eq!(dismissal_text(&wicket("lbw", &[]), "Anderson"), "lbw b Anderson");
        assert_eq!(dismissal_text(&wicket("stumped", &["Dhoni"]), "Jadeja"), "st Dhoni b Jadeja");
        assert_eq!(
            dismissal_text(&wicket("run out", &["Murtagh", "Wilson"]), "x"),
            "run out (Murtagh/Wilson)"
        );
        assert_eq!(dismissal_text(&wicket("run out", &[]), "x"), "run out");
        assert_eq!(dismissal_text(&wicket("retired hurt", &[]), "x"), "retired hurt");
        assert_eq!(dismissal_text(&wicket("hit wicket", &[]), "Y"), "hit wicket b Y");
        let sub = Wicket {
            player_out: "X".into(),
            kind: "caught".into(),
            fielders: vec![Fielder { name: Some("Pope".into()), substitute: Some(true) }],
        };
        assert_eq!(dismissal_text(&sub, "Wood"), "c sub (Pope) b Wood");
    }

    #[test]
    fn which_dismissals_count() {
        for kind in ["bowled", "caught", "caught and bowled", "lbw", "stumped", "hit wicket"] {
            assert!(
                credited_to_bowler(kind) && counts_as_wicket(kind) && !possible_on_free_hit(kind),
                "{kind}"
            );
        }
        for kind in [
            "run out",
            "obstructing the field",
            "handled the ball",
            "hit the ball twice",
            "timed out",
            "retired out",
        ] {
            assert!(!credited_to_bowler(kind) && counts_as_wicket(kind), "{kind}");
        }
        assert!(!counts_as_wicket("retired hurt") && !counts_as_wicket("retired not out"));
        assert!(possible_on_free_hit("run out") && !possible_on_free_hit("bowled"));
        assert!(possible_off_wide("stumped") && possible_off_wide("run out") && !possible_off_wide("lbw"));
    }

    #[test]
    fn overs_are_written_as_cricket_writes_them() {
        assert_eq!(overs_text(22, 6), "3.4");
        assert_eq!(overs_text(120, 6), "20");
        assert_eq!(overs_text(0, 6), "0");
        assert_eq!(overs_text(98, 5), "19.3");
        assert_eq!(balls_of_overs(14.2, 6), 86);
        assert_eq!(balls_of_overs(20.0, 6), 120);
        assert_eq!(run_rate(207, 120, 6), Some(10.35));
        assert_eq!(run_rate(0, 0, 6), None);
    }
}
