//! Every real Cricsheet file in `tests/data/cricsheet` (data from cricsheet.org, ODC-BY 1.0): its
//! scorecard must agree with the totals and the outcome recorded, and an export must import again
//! to the same match.

use shared::cricket::cricsheet::{self, Match};
use shared::cricket::scorecard::{scorecard, Scorecard};

fn load(file: &str) -> Match {
    let path = format!("{}/tests/data/cricsheet/{file}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    cricsheet::parse(&bytes).unwrap_or_else(|e| panic!("{file}: {e:?}"))
}

/// (runs, counted wickets, legal balls) of each innings, in order.
fn totals(card: &Scorecard) -> Vec<(u32, u32, u32)> {
    card.innings.iter().map(|i| (i.runs, i.wickets, i.legal_balls)).collect()
}

fn check(file: &str, expected: &[(u32, u32, u32)], result: &str) -> Scorecard {
    let m = load(file);
    let card = scorecard(&m);
    assert_eq!(totals(&card), expected, "{file}: totals");
    assert_eq!(card.outcome, m.info.outcome, "{file}: outcome");
    assert_eq!(card.result, result, "{file}: result text");
    let again = cricsheet::parse(cricsheet::to_json(&m).as_bytes()).expect("the export imports");
    assert_eq!(again, m, "{file}: round trip");
    card
}

#[test]
fn ipl_2017_won_by_runs() {
    let card = check("1082591.json", &[(207, 4, 120), (172, 10, 118)], "Sunrisers Hyderabad won by 35 runs");
    let first = &card.innings[0];
    assert_eq!(first.batting.iter().map(|b| b.runs).sum::<u32>() + first.extras.total, first.runs);
    assert_eq!(
        first.bowling.iter().map(|b| b.runs).sum::<u32>() + first.extras.byes + first.extras.legbyes,
        first.runs
    );
    assert_eq!(first.bowling.iter().map(|b| b.legal_balls).sum::<u32>(), 120);
    assert_eq!(first.overs, "20");
    assert_eq!(card.innings[1].overs, "19.4");
    assert!(card.innings[1].all_out);
    assert_eq!(first.fall_of_wickets.len(), 4);
    assert_eq!(first.partnerships.iter().map(|p| p.runs).sum::<u32>(), first.runs);
    assert!(first.partnerships.last().unwrap().unbroken);
}

#[test]
fn ipl_2020_two_super_overs() {
    check(
        "1216517.json",
        &[(176, 6, 120), (176, 6, 120), (5, 2, 6), (5, 1, 6), (11, 1, 6), (15, 0, 4)],
        "Match tied; Kings XI Punjab won the second super over",
    );
}

#[test]
fn ipl_2023_no_result() {
    check("1359519.json", &[(125, 7, 116)], "No result");
}

#[test]
fn t20i_2014_dl_par_with_penalty_and_retired_hurt() {
    let card = check("682911.json", &[(123, 6, 120), (103, 3, 86)], "Ireland won by 21 runs (D/L)");
    assert_eq!(card.innings[0].extras.penalty + card.innings[1].extras.penalty, 5);
    let retired = card.innings[1].batting.iter().find(|b| b.dismissal == "retired hurt");
    assert!(retired.is_some_and(|b| !b.out), "a retired-hurt batter is not out");
}

#[test]
fn world_cup_final_2019_tied_twice_and_decided_on_boundaries() {
    check(
        "1144530.json",
        &[(241, 8, 300), (241, 10, 300), (15, 0, 6), (15, 1, 6)],
        "Match tied; England won on boundaries after the super over tied",
    );
}

#[test]
fn lords_2021_test_with_a_declaration() {
    let card = check(
        "1239544.json",
        &[(364, 10, 757), (391, 10, 768), (298, 8, 657), (120, 10, 311)],
        "India won by 151 runs",
    );
    assert!(card.innings[2].declared);
    assert_eq!(card.innings[0].overs, "126.1");
    assert_eq!(card.innings[3].target, Some(272));
}

#[test]
fn careers_sum_the_matches() {
    use shared::cricket::career::{careers, player_matches};
    let mut lines = Vec::new();
    for file in ["1082591.json", "1216517.json", "1359519.json"] {
        let m = load(file);
        let card = scorecard(&m);
        lines.extend(
            player_matches(&m, &card)
                .into_iter()
                .filter(|l| l.name == "DA Warner" || l.name == "Mohammed Shami"),
        );
    }
    let warner: Vec<_> = lines.iter().filter(|l| l.name == "DA Warner").cloned().collect();
    let career = &careers(&warner)[0];
    assert_eq!((career.format.as_str(), career.matches, career.innings), ("T20", 1, 1));
    let card = scorecard(&load("1082591.json"));
    let line = card.innings[0].batting.iter().find(|b| b.name == "DA Warner").unwrap();
    assert_eq!(career.runs, line.runs);
    let shami: Vec<_> = lines.iter().filter(|l| l.name == "Mohammed Shami").cloned().collect();
    let career = &careers(&shami)[0];
    assert_eq!(career.matches, 1);
    let bowled = scorecard(&load("1216517.json")).innings[0]
        .bowling
        .iter()
        .find(|b| b.name == "Mohammed Shami")
        .cloned()
        .unwrap();
    assert_eq!(
        (career.wickets, career.runs_conceded, career.balls_bowled),
        (bowled.wickets, bowled.runs, bowled.legal_balls)
    );
    assert_eq!(career.best_bowling, Some(format!("{}/{}", bowled.wickets, bowled.runs)));
}

#[test]
fn commentary_and_charts_cover_every_ball() {
    use shared::cricket::{charts::charts, commentary::commentary};
    let m = load("1082591.json");
    let card = scorecard(&m);
    let lines = commentary(&m, &Default::default());
    let balls = m.innings.iter().map(|i| i.deliveries().count()).sum::<usize>();
    let per_ball = lines
        .iter()
        .filter(|l| {
            !matches!(
                l.kind,
                shared::cricket::commentary::LineKind::Milestone
                    | shared::cricket::commentary::LineKind::EndOfOver
            )
        })
        .count();
    assert_eq!(per_ball, balls);
    assert!(lines.iter().any(|l| l.text.starts_with("Sunrisers Hyderabad reach 200")), "team milestones");
    let chart = charts(&card);
    assert_eq!(chart.innings[0].worm.last().unwrap().runs, 207);
    assert_eq!(chart.innings[0].manhattan.iter().map(|o| o.runs).sum::<u32>(), 207);
    assert_eq!(chart.innings[1].worm.last().unwrap().wickets, 10);
}
