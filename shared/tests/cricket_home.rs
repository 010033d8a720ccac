//! The cricket home's order, from outside the module: what is still to come is recommended
//! before results, however the results weigh.

use shared::cricket::picks::{home, Candidate, Watched};
use shared::cricket::wire::{MatchSummary, Status};

fn candidate(id: &str, teams: [&str; 2], status: Status, date: &str) -> Candidate {
    Candidate {
        summary: MatchSummary {
            id: id.into(),
            title: format!("{} v {}", teams[0], teams[1]),
            teams: teams.iter().map(|t| (*t).to_owned()).collect(),
            match_type: "ODI".into(),
            status,
            event: None,
            venue: None,
            start_date: date.into(),
            scores: Vec::new(),
            result: String::new(),
        },
        players: Vec::new(),
        watchers: 0,
    }
}

#[test]
fn upcoming_matches_are_recommended_before_results() {
    let all = vec![
        candidate("result", ["India", "Australia"], Status::Completed, "2026-12-01"),
        candidate("soon", ["India", "Kenya"], Status::Upcoming, "2026-12-09"),
        candidate("now", ["Kenya", "Australia"], Status::Live, "2026-12-05"),
    ];
    let watched = [Watched {
        match_id: "x".into(),
        teams: vec!["India".into(), "Australia".into()],
        players: Vec::new(),
    }];
    let picks = home(Vec::new(), &watched, &all).recommended;
    // The result has both watched teams (the most weight), yet what is still to come goes first.
    let ids: Vec<&str> = picks.iter().map(|p| p.summary.id.as_str()).collect();
    assert_eq!(ids, ["now", "soon", "result"]);
}
