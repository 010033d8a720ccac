//! The Laws the live scorer keeps, one rule at a time: extras, free hits, dismissals, bowlers'
//! overs, the end of an innings and the result, on small invented matches.

use serde_json::json;
use shared::cricket::cricsheet::{Delivery, Match};
use shared::cricket::live::{Event, Live};
use shared::cricket::scorecard::scorecard;
use shared::ErrorCode;

fn base(match_type: &str, overs: Option<u32>, balls_per_over: u8) -> Match {
    let xi = |p: &str| (1..=11).map(|n| format!("{p}{n}")).collect::<Vec<_>>();
    let mut info = json!({"balls_per_over": balls_per_over, "dates": ["2026-12-05"], "gender": "male",
        "match_type": match_type, "outcome": {}, "teams": ["A", "B"], "players": {"A": xi("a"), "B": xi("b")}});
    if let Some(o) = overs {
        info["overs"] = o.into();
    }
    serde_json::from_value(
        json!({"meta": {"data_version": "1.1.0", "created": "2026-12-05", "revision": 1}, "info": info}),
    )
    .unwrap()
}

fn start(team: &str) -> Event {
    Event::StartInnings { team: team.into(), super_over: false, target: None }
}

/// A ball from `v`, a Cricsheet delivery without the names: they default to a1 facing b1.
fn ball(v: serde_json::Value) -> Event {
    let mut d = json!({"batter": "a1", "non_striker": "a2", "bowler": "b1"});
    for (k, val) in v.as_object().unwrap() {
        d[k] = val.clone();
    }
    let extras: u32 = d
        .get("extras")
        .map_or(0, |e| e.as_object().unwrap().values().map(|x| x.as_u64().unwrap() as u32).sum());
    let batter = d.get("bat").and_then(|b| b.as_u64()).unwrap_or(0) as u32;
    d["runs"] = json!({"batter": batter, "extras": extras, "total": batter + extras});
    let delivery: Delivery = serde_json::from_value(d).unwrap();
    Event::Delivery { delivery, note: None }
}

fn live(m: Match, events: &[Event]) -> Live {
    Live::replay(m, events).unwrap_or_else(|(i, e)| panic!("event {i} refused: {e:?}"))
}

fn refused(live: &mut Live, event: Event) -> (ErrorCode, String) {
    let before = live.clone();
    let err = live.apply(&event).expect_err("refused");
    assert_eq!(*live, before, "a refused event changes nothing");
    (err.code, err.message)
}

/// An over of six dots by `bowler` to a1 and a2.
fn over(bowler: &str) -> Vec<Event> {
    (0..6).map(|_| ball(json!({"bowler": bowler}))).collect()
}

#[test]
fn wides_and_no_balls_are_bowled_again_and_charged_to_the_bowler() {
    let mut events = vec![
        start("A"),
        ball(json!({"extras": {"wides": 1}})),
        ball(json!({"extras": {"noballs": 1}, "bat": 4})),
    ];
    events.extend(over("b1"));
    let l = live(base("T20", Some(20), 6), &events);
    let card = scorecard(&l.m);
    let i = &card.innings[0];
    assert_eq!((i.runs, i.legal_balls, i.overs.as_str()), (6, 6, "1"));
    assert_eq!(l.m.innings[0].overs.len(), 1, "eight deliveries, one over");
    let bowler = &i.bowling[0];
    assert_eq!((bowler.runs, bowler.wides, bowler.noballs, bowler.maidens), (6, 1, 1, 0));
    assert_eq!(i.batting[0].balls, 7, "a no-ball is faced, a wide is not");
    assert_eq!(i.batting[0].fours, 1);
}

#[test]
fn byes_leg_byes_and_penalties_are_extras_not_the_bowlers() {
    let events = vec![
        start("A"),
        ball(json!({"extras": {"byes": 4}})),
        ball(json!({"extras": {"legbyes": 1}})),
        ball(json!({"extras": {"penalty": 5}})),
    ];
    let l = live(base("T20", Some(20), 6), &events);
    let i = &scorecard(&l.m).innings[0];
    assert_eq!(
        (i.runs, i.extras.byes, i.extras.legbyes, i.extras.penalty, i.extras.total),
        (10, 4, 1, 5, 10)
    );
    assert_eq!(i.bowling[0].runs, 0);
    assert_eq!(i.legal_balls, 3);
}

#[test]
fn a_maiden_is_a_whole_over_that_cost_the_bowler_nothing() {
    let mut events = vec![start("A")];
    events.extend(over("b1"));
    events.extend((0..6).map(|_| ball(json!({"bowler": "b2", "extras": {"legbyes": 1}}))));
    let l = live(base("T20", Some(20), 6), &events);
    let i = &scorecard(&l.m).innings[0];
    assert_eq!((i.bowling[0].maidens, i.bowling[1].maidens), (1, 1), "leg byes do not spoil a maiden");
}

#[test]
fn a_free_hit_follows_a_no_ball_and_only_run_outs_count_off_it() {
    let mut l = live(base("T20", Some(20), 6), &[start("A"), ball(json!({"extras": {"noballs": 1}}))]);
    let bowled = ball(json!({"wickets": [{"player_out": "a1", "kind": "bowled"}]}));
    let (code, message) = refused(&mut l, bowled.clone());
    assert_eq!(code, ErrorCode::ValidationFailed);
    assert!(message.contains("free hit"), "{message}");
    // A wide off the free hit keeps it a free hit.
    l.apply(&ball(json!({"extras": {"wides": 1}}))).unwrap();
    refused(&mut l, bowled.clone());
    l.apply(&ball(
        json!({"wickets": [{"player_out": "a2", "kind": "run out", "fielders": [{"name": "b5"}]}]}),
    ))
    .unwrap();
    // The free hit is used up: the next ball can bowl someone.
    l.apply(&ball(json!({"non_striker": "a3", "wickets": [{"player_out": "a1", "kind": "bowled"}]})))
        .unwrap();
    let card = scorecard(&l.m);
    assert_eq!(card.innings[0].wickets, 2);
    assert_eq!(card.innings[0].bowling[0].wickets, 1, "the run out is not the bowler's");
    assert_eq!(card.innings[0].batting[1].dismissal, "run out (b5)");
}

#[test]
fn nobody_is_stumped_off_a_no_ball_that_was_not_there_and_nobody_is_lbw_off_a_wide() {
    let mut l = live(base("T20", Some(20), 6), &[start("A")]);
    let lbw_wide = ball(json!({"extras": {"wides": 1}, "wickets": [{"player_out": "a1", "kind": "lbw"}]}));
    assert!(refused(&mut l, lbw_wide).1.contains("wide"));
    l.apply(&ball(json!({"extras": {"wides": 1}, "wickets": [{"player_out": "a1", "kind": "stumped", "fielders": [{"name": "b11"}]}]})))
        .unwrap();
    assert_eq!(scorecard(&l.m).innings[0].batting[0].dismissal, "st b11 b b1");
}

#[test]
fn every_dismissal_kind_reads_and_counts_as_the_laws_say() {
    let kinds = [
        ("bowled", "b b1", true, true),
        ("caught", "c b7 b b1", true, true),
        ("caught and bowled", "c & b b1", true, true),
        ("lbw", "lbw b b1", true, true),
        ("stumped", "st b7 b b1", true, true),
        ("hit wicket", "hit wicket b b1", true, true),
        ("run out", "run out (b7)", false, true),
        ("obstructing the field", "obstructing the field", false, true),
        ("hit the ball twice", "hit the ball twice", false, true),
        ("retired out", "retired out", false, true),
        ("retired hurt", "retired hurt", false, false),
    ];
    for (kind, text, bowlers, counts) in kinds {
        let wicket = json!([{"player_out": "a1", "kind": kind, "fielders": [{"name": "b7"}]}]);
        let l = live(base("T20", Some(20), 6), &[start("A"), ball(json!({"wickets": wicket}))]);
        let i = &scorecard(&l.m).innings[0];
        assert_eq!(i.batting[0].dismissal, text, "{kind}");
        assert_eq!(i.bowling[0].wickets, u32::from(bowlers), "{kind}");
        assert_eq!(i.wickets, u32::from(counts), "{kind}");
        assert_eq!(i.batting[0].out, counts, "{kind}");
    }
}

#[test]
fn a_batter_who_is_out_does_not_come_back_but_a_retired_one_may() {
    let mut l = live(
        base("T20", Some(20), 6),
        &[start("A"), ball(json!({"wickets": [{"player_out": "a1", "kind": "bowled"}]}))],
    );
    assert!(refused(&mut l, ball(json!({}))).1.contains("a1 is out"));
    assert!(refused(&mut l, ball(json!({"batter": "a3", "non_striker": "a4"})))
        .1
        .contains("a2 is at the crease"));
    l.apply(&ball(json!({"batter": "a3", "wickets": [{"player_out": "a3", "kind": "retired hurt"}]})))
        .unwrap();
    l.apply(&ball(json!({"batter": "a4"}))).unwrap();
    l.apply(&ball(json!({"batter": "a4", "wickets": [{"player_out": "a2", "kind": "run out"}]}))).unwrap();
    l.apply(&ball(json!({"batter": "a4", "non_striker": "a3"}))).unwrap();
    let i = &scorecard(&l.m).innings[0];
    assert_eq!(
        i.batting.iter().find(|b| b.name == "a3").unwrap().dismissal,
        "not out",
        "back from retirement"
    );
    assert_eq!(i.wickets, 2);
}

#[test]
fn nobody_bowls_two_overs_in_a_row_nor_more_than_their_share() {
    let mut events = vec![start("A")];
    events.extend(over("b1"));
    let mut l = live(base("T20", Some(20), 6), &events);
    assert!(refused(&mut l, ball(json!({"bowler": "b1"}))).1.contains("bowled the last over"));
    l.apply(&ball(json!({"bowler": "b2"}))).unwrap();
    // Changed mid-over: not by the bowler of the over before.
    assert!(refused(&mut l, ball(json!({"bowler": "b1"}))).1.contains("bowled the last over"));
    for e in (0..5).map(|_| ball(json!({"bowler": "b2"}))) {
        l.apply(&e).unwrap();
    }
    for n in 0..6 {
        let bowler = if n % 2 == 0 { "b1" } else { "b2" };
        for e in over(bowler) {
            l.apply(&e).unwrap();
        }
    }
    // b1 has bowled overs 1, 3, 5 and 7: a T20 bowler's four.
    assert!(refused(&mut l, ball(json!({"bowler": "b1"}))).1.contains("all 4 of their overs"));
    assert!(refused(&mut l, ball(json!({"bowler": "b12"}))).1.contains("not in B's side"));
}

#[test]
fn the_hundred_bowls_sets_of_five_and_a_bowler_may_bowl_two_in_a_row() {
    let set = |bowler: &str| (0..5).map(|_| ball(json!({"bowler": bowler}))).collect::<Vec<_>>();
    let mut events = vec![start("A")];
    events.extend(set("b1"));
    events.extend(set("b1"));
    let mut l = live(base("T20", Some(20), 5), &events);
    assert_eq!(l.m.innings[0].overs.len(), 2);
    assert_eq!(scorecard(&l.m).innings[0].overs, "2");
    assert!(refused(&mut l, ball(json!({"bowler": "b1"}))).1.contains("bowled the last over"));
    for e in set("b2").into_iter().chain(set("b1")) {
        l.apply(&e).unwrap();
    }
    // 15 of b1's 20 balls; the next set would pass the limit after five more.
    for e in set("b2") {
        l.apply(&e).unwrap();
    }
    for e in set("b1") {
        l.apply(&e).unwrap();
    }
    let card = scorecard(&l.m);
    assert_eq!(card.innings[0].bowling[0].overs, "4");
    for e in set("b2") {
        l.apply(&e).unwrap();
    }
    assert!(refused(&mut l, ball(json!({"bowler": "b1"}))).1.contains("of their overs"));
}

#[test]
fn an_innings_ends_all_out_and_an_eleventh_wicket_is_refused() {
    let mut l = live(base("T20", Some(20), 6), &[start("A")]);
    let mut at_crease = ("a1".to_owned(), "a2".to_owned());
    for n in 0..10u32 {
        let bowler = if (n / 6) % 2 == 0 { "b1" } else { "b2" };
        let wicket = json!([{"player_out": at_crease.0, "kind": "bowled"}]);
        l.apply(&ball(
            json!({"batter": at_crease.0, "non_striker": at_crease.1, "bowler": bowler, "wickets": wicket}),
        ))
        .unwrap();
        at_crease.0 = format!("a{}", n + 3);
    }
    let card = scorecard(&l.m);
    assert!(card.innings[0].all_out);
    assert_eq!(card.innings[0].did_not_bat, Vec::<String>::new());
    let (code, message) =
        refused(&mut l, ball(json!({"batter": "a2", "non_striker": "a11", "bowler": "b2"})));
    assert_eq!(code, ErrorCode::Conflict);
    assert!(message.contains("all out"), "{message}");
}

#[test]
fn a_chase_ends_at_the_target_and_is_won_by_wickets() {
    let mut events = vec![
        start("A"),
        ball(json!({"bat": 6})),
        Event::StartInnings { team: "B".into(), super_over: false, target: None },
    ];
    // The first innings is not over: B cannot start yet.
    let mut l = Live::replay(base("T20", Some(1), 6), &events[..2]).unwrap();
    assert_eq!(refused(&mut l, events[2].clone()).0, ErrorCode::Conflict);
    events.truncate(2);
    events.extend((0..5).map(|_| ball(json!({}))));
    events.push(Event::StartInnings { team: "B".into(), super_over: false, target: None });
    let chase = |bat: u32| ball(json!({"batter": "b1", "non_striker": "b2", "bowler": "a1", "bat": bat}));
    events.push(chase(4));
    events.push(chase(4));
    let mut l = live(base("T20", Some(1), 6), &events);
    let card = scorecard(&l.m);
    assert_eq!((card.innings[1].target, card.innings[1].target_balls), (Some(7), Some(6)));
    assert!(refused(&mut l, chase(1)).1.contains("reached their target"));
    l.apply(&Event::Finish { outcome: None }).unwrap();
    assert_eq!(l.m.info.outcome.winner.as_deref(), Some("B"));
    assert_eq!(l.m.info.outcome.by.unwrap().wickets, Some(10));
    assert_eq!(scorecard(&l.m).result, "B won by 10 wickets");
    assert!(refused(&mut l, chase(1)).1.contains("match is over"));
}

#[test]
fn a_tie_goes_to_a_super_over_of_one_over_or_two_wickets() {
    let a = |bat: u32| ball(json!({"bat": bat}));
    let b = |bat: u32| ball(json!({"batter": "b1", "non_striker": "b2", "bowler": "a1", "bat": bat}));
    let mut events =
        vec![start("A"), a(4), a(0), a(0), a(0), a(0), a(0), start("B"), b(2), b(2), b(0), b(0), b(0), b(0)];
    let l = live(base("T20", Some(1), 6), &events);
    assert_eq!(scorecard(&l.m).result, "Match tied");
    events.push(Event::StartInnings { team: "B".into(), super_over: true, target: None });
    events.push(b(6));
    events.push(ball(json!({"batter": "b1", "non_striker": "b2", "bowler": "a1", "wickets": [{"player_out": "b1", "kind": "bowled"}]})));
    events.push(ball(json!({"batter": "b3", "non_striker": "b2", "bowler": "a1", "wickets": [{"player_out": "b3", "kind": "bowled"}]})));
    let mut l = live(base("T20", Some(1), 6), &events);
    assert!(refused(&mut l, b(1)).1.contains("two wickets"));
    l.apply(&Event::StartInnings { team: "A".into(), super_over: true, target: None }).unwrap();
    l.apply(&ball(json!({"bowler": "b2", "bat": 6}))).unwrap();
    l.apply(&ball(json!({"bowler": "b2", "bat": 1}))).unwrap();
    let card = scorecard(&l.m);
    assert_eq!(card.innings[3].target, Some(7));
    assert_eq!(card.result, "Match tied; A won the super over");
    assert_eq!(card.outcome.eliminator.as_deref(), Some("A"));
}

#[test]
fn a_test_declaration_the_follow_on_and_an_innings_defeat() {
    // A hit 36 sixes, the bowlers changing ends every over, and declare at 216.
    let sixes = |n: usize| -> Vec<Event> {
        (0..n)
            .map(|i| ball(json!({"bat": 6, "bowler": if (i / 6) % 2 == 0 { "b1" } else { "b2" }})))
            .collect()
    };
    let all_out = || -> Vec<Event> {
        (0..10)
            .map(|n| {
                ball(json!({"batter": format!("b{}", n + 1), "non_striker": "b11", "bowler": if n < 6 { "a1" } else { "a2" },
                    "wickets": [{"player_out": format!("b{}", n + 1), "kind": "lbw"}]}))
            })
            .collect()
    };
    // 12 ahead is no follow-on.
    let mut short = vec![start("A")];
    short.extend(sixes(2));
    short.push(Event::Declare);
    short.push(start("B"));
    short.extend(all_out());
    let mut l = live(base("Test", None, 6), &short);
    assert!(refused(&mut l, start("B")).1.contains("the follow-on needs 200"));

    let mut events = vec![start("A")];
    events.extend(sixes(36));
    events.push(Event::Declare);
    events.push(start("B"));
    events.extend(all_out());
    events.push(start("B"));
    events.extend(all_out());
    let mut l = live(base("Test", None, 6), &events);
    assert!(refused(&mut l, Event::Declare).1.contains("all out"));
    assert!(refused(&mut l, start("A")).1.contains("won by an innings"));
    l.apply(&Event::Finish { outcome: None }).unwrap();
    let card = scorecard(&l.m);
    assert!(card.innings[0].declared);
    assert_eq!(card.result, "A won by an innings and 216 runs");
    assert_eq!(l.m.info.outcome.by.unwrap().innings, Some(1));
}

#[test]
fn the_sides_bat_in_their_turns() {
    let mut l = live(base("Test", None, 6), &[start("A"), Event::Declare]);
    assert!(refused(&mut l, start("A")).1.contains("B bat next"));
    let mut l = live(base("T20", Some(20), 6), &[start("A")]);
    assert!(refused(&mut l, start("B")).1.contains("still going on"));
    // Rain: a revised target for the chase closes the first innings where it stood.
    let revised = Event::StartInnings {
        team: "B".into(),
        super_over: false,
        target: Some(shared::cricket::cricsheet::Target { overs: Some(12.0), runs: Some(100) }),
    };
    l.apply(&revised).unwrap();
    let mut l = live(base("Test", None, 6), &[start("A")]);
    assert!(refused(&mut l, revised).1.contains("only to the chase"));
}

#[test]
fn only_the_striker_is_bowled_and_nobody_but_a_runner_is_out_off_a_no_ball() {
    let mut l = live(base("T20", Some(20), 6), &[start("A")]);
    let bowled_non_striker = ball(json!({"wickets": [{"player_out": "a2", "kind": "bowled"}]}));
    assert!(refused(&mut l, bowled_non_striker).1.contains("only the striker"));
    let no_ball_bowled =
        ball(json!({"extras": {"noballs": 1}, "wickets": [{"player_out": "a1", "kind": "bowled"}]}));
    assert!(refused(&mut l, no_ball_bowled).1.contains("off a no-ball"));
    l.apply(&ball(json!({"extras": {"noballs": 1}, "wickets": [{"player_out": "a2", "kind": "run out", "fielders": [{"name": "b2"}]}]})))
        .unwrap();
}

#[test]
fn a_bowler_out_of_overs_bowls_not_even_a_wide_and_a_split_over_bars_both_bowlers() {
    let mut events = vec![start("A")];
    for n in 0..8 {
        events.extend(over(if n % 2 == 0 { "b1" } else { "b2" }));
    }
    // b1 has bowled four overs (1, 3, 5, 7), b2 the eighth.
    let mut l = live(base("T20", Some(20), 6), &events);
    assert!(refused(&mut l, ball(json!({"bowler": "b1", "extras": {"wides": 1}})))
        .1
        .contains("of their overs"));
    // An over split between b3 and b4: neither bowls the next.
    for e in
        (0..3).map(|_| ball(json!({"bowler": "b3"}))).chain((0..3).map(|_| ball(json!({"bowler": "b4"}))))
    {
        l.apply(&e).unwrap();
    }
    assert!(refused(&mut l, ball(json!({"bowler": "b3"}))).1.contains("bowled the last over"));
    assert!(refused(&mut l, ball(json!({"bowler": "b4"}))).1.contains("bowled the last over"));
    l.apply(&ball(json!({"bowler": "b5"}))).unwrap();
}

#[test]
fn undo_is_playing_all_but_the_last_event_again() {
    let events = vec![start("A"), ball(json!({"bat": 4})), ball(json!({"bat": 1}))];
    let all = live(base("T20", Some(20), 6), &events);
    let undone = live(base("T20", Some(20), 6), &events[..2]);
    assert_eq!(scorecard(&all.m).innings[0].runs, 5);
    assert_eq!(scorecard(&undone.m).innings[0].runs, 4);
    let err = Live::replay(base("T20", Some(20), 6), &[ball(json!({}))]).unwrap_err();
    assert_eq!((err.0, err.1.code), (0, ErrorCode::Conflict));
}

#[test]
fn a_finished_live_match_exports_and_scores_like_an_imported_one() {
    let a = |bat: u32| ball(json!({"bat": bat}));
    let b = |bat: u32| ball(json!({"batter": "b1", "non_striker": "b2", "bowler": "a1", "bat": bat}));
    let events = vec![
        start("A"),
        a(4),
        a(1),
        a(0),
        a(0),
        a(0),
        a(0),
        start("B"),
        b(1),
        b(0),
        b(0),
        b(0),
        b(0),
        b(0),
        Event::Finish { outcome: None },
    ];
    let l = live(base("ODI", Some(1), 6), &events);
    let exported = shared::cricket::cricsheet::to_json(&l.m);
    let again = shared::cricket::cricsheet::parse(exported.as_bytes()).unwrap();
    assert_eq!(again, l.m);
    assert_eq!(scorecard(&again).result, "A won by 4 runs");
    assert_eq!(again.info.outcome.by.unwrap().runs, Some(4));
}

#[test]
fn a_live_match_is_made_from_its_sides_and_shown_to_viewers_ball_by_ball() {
    use shared::cricket::live_view::{live_state, NewMatch};
    use shared::cricket::wire::Status;
    let xi = |p: &str| (1..=11).map(|n| format!("{p}{n}")).collect::<Vec<_>>();
    let asked = NewMatch {
        teams: vec!["A".into(), " B ".into()],
        players: [("A".to_owned(), xi("a")), ("B".to_owned(), xi("b"))].into(),
        match_type: "T20".into(),
        overs: Some(20),
        balls_per_over: 6,
        start_date: "2026-12-05".into(),
        venue: Some("  Eden   Gardens ".into()),
        event: None,
        toss_winner: Some("B".into()),
        toss_decision: Some("bat".into()),
    };
    let m = asked.clone().into_match("2026-12-05").unwrap();
    assert_eq!(m.info.teams, ["A", "B"]);
    assert_eq!(m.info.venue.as_deref(), Some("Eden Gardens"));
    for (bad, field) in [
        (NewMatch { match_type: "Test".into(), ..asked.clone() }, "overs"),
        (NewMatch { overs: None, ..asked.clone() }, "overs"),
        (NewMatch { teams: vec!["A".into()], ..asked.clone() }, "teams"),
        (NewMatch { start_date: "5/12/2026".into(), ..asked.clone() }, "start_date"),
        (NewMatch { toss_decision: Some("bowl".into()), ..asked.clone() }, "toss_winner"),
        (
            NewMatch {
                players: [("A".to_owned(), xi("a")), ("B".to_owned(), xi("a"))].into(),
                ..asked.clone()
            },
            "players",
        ),
    ] {
        assert_eq!(bad.into_match("2026-12-05").unwrap_err().field.as_deref(), Some(field));
    }

    let mut l = Live::new(m);
    assert_eq!(live_state(&l, 0, 0).status, Status::Upcoming);
    l.apply(&start("A")).unwrap();
    l.apply(&ball(json!({"bat": 4}))).unwrap();
    l.apply(&ball(json!({"bat": 1}))).unwrap();
    l.apply(&ball(
        json!({"batter": "a2", "non_striker": "a1", "wickets": [{"player_out": "a2", "kind": "bowled"}]}),
    ))
    .unwrap();
    let state = live_state(&l, 4, 4);
    assert_eq!(state.status, Status::Live);
    assert_eq!(state.at_crease.len(), 1, "a2 is out: only a1 stays");
    assert_eq!((state.at_crease[0].runs, state.at_crease[0].on_strike), (5, false));
    let bowler = state.bowler.unwrap();
    assert_eq!((bowler.overs.as_str(), bowler.runs, bowler.wickets), ("0.3", 5, 1));
    assert_eq!(state.this_over.unwrap().balls, ["4", "1", "W"]);
    assert_eq!(state.scores[0].runs, 5);
    assert!(state.lines.iter().any(|l| l.text.contains("OUT! a2 b b1")));
    assert_eq!(state.result, "");
}

#[test]
fn highlights_sit_on_the_stream_where_their_balls_were_scored() {
    use shared::cricket::commentary::LineKind;
    use shared::cricket::video::{clips, highlights};
    let events = [
        start("A"),
        ball(json!({"bat": 4})),
        ball(json!({"bat": 0})),
        ball(
            json!({"batter": "a1", "non_striker": "a2", "wickets": [{"player_out": "a1", "kind": "bowled"}]}),
        ),
    ];
    let l = live(base("T20", Some(20), 6), &events);
    let t0 = 1_000_000;
    let timed: Vec<(Event, i64)> =
        events.iter().cloned().zip([t0, t0 + 1_000, t0 + 3_000, t0 + 5_000]).collect();
    let marks = highlights(&l.m, &l.notes, &timed, Some(t0 - 2_000));
    let kinds: Vec<(LineKind, Option<f64>)> = marks.iter().map(|h| (h.kind, h.at_secs)).collect();
    assert_eq!(kinds, [(LineKind::Boundary, Some(3.0)), (LineKind::Wicket, Some(7.0))]);
    // Without a stream the moments are listed with no place on it, and have no clips.
    assert!(highlights(&l.m, &l.notes, &timed, None).iter().all(|h| h.at_secs.is_none()));
    // A stream that started after the ball was scored does not show it.
    assert_eq!(highlights(&l.m, &l.notes, &timed, Some(t0 + 4_000))[0].at_secs, None);
    assert_eq!(clips(&marks, 60.0).len(), 2);
    assert_eq!(clips(&marks, 5.0).len(), 1, "the wicket at 7 s is past a 5 s stream");
}

#[test]
fn a_stored_log_restores_to_what_checking_it_built() {
    // Wides, a no-ball and its free hit, a wicket, a declaration and the finish.
    let mut events = vec![start("A")];
    events.push(ball(json!({"extras": {"wides": 1}})));
    events.push(ball(json!({"bat": 2, "extras": {"noballs": 1}})));
    events.push(ball(json!({"bat": 4})));
    events.push(ball(json!({"bat": 1})));
    events.push(ball(
        json!({"batter": "a2", "non_striker": "a1", "wickets": [{"player_out": "a2", "kind": "bowled"}]}),
    ));
    for _ in 0..3 {
        events.push(ball(json!({"batter": "a3", "non_striker": "a1"})));
    }
    events.extend(
        over("b2").into_iter().map(|_| ball(json!({"batter": "a1", "non_striker": "a3", "bowler": "b2"}))),
    );
    events.push(Event::Declare);
    events.push(Event::Finish { outcome: None });
    let checked = live(base("Test", None, 6), &events);
    assert_eq!(Live::restore(base("Test", None, 6), &events), checked);
    assert_eq!(Live::restore(base("Test", None, 6), &events[..5]), live(base("Test", None, 6), &events[..5]));
}

#[test]
fn a_finish_names_a_winner_or_a_result_not_both() {
    use shared::cricket::cricsheet::Outcome;
    let mut l = live(base("T20", Some(20), 6), &[start("A"), ball(json!({"bat": 1}))]);
    let both = Outcome { winner: Some("A".into()), result: Some("tie".into()), ..Outcome::default() };
    assert_eq!(refused(&mut l, Event::Finish { outcome: Some(both) }).0, ErrorCode::ValidationFailed);
    let tie = Outcome { result: Some("tie".into()), ..Outcome::default() };
    l.apply(&Event::Finish { outcome: Some(tie) }).unwrap();
}

#[test]
fn a_revised_target_is_some_runs_in_some_of_the_scheduled_overs() {
    use shared::cricket::cricsheet::Target;
    let first: Vec<Event> =
        std::iter::once(start("A")).chain((0..20).flat_map(|o| over(&format!("b{}", o % 5 + 1)))).collect();
    let mut l = live(base("T20", Some(20), 6), &first);
    let chase = |overs: Option<f64>, runs: Option<u32>| Event::StartInnings {
        team: "B".into(),
        super_over: false,
        target: Some(Target { overs, runs }),
    };
    for (overs, runs) in [
        (Some(0.0), Some(50)),
        (Some(21.0), Some(50)),
        (Some(1e30), Some(50)),
        (Some(12.6), Some(50)),
        (Some(12.0), Some(0)),
        (Some(12.0), None),
        (Some(f64::NAN), Some(5)),
    ] {
        assert_eq!(refused(&mut l, chase(overs, runs)).0, ErrorCode::ValidationFailed, "{overs:?} {runs:?}");
    }
    l.apply(&chase(Some(12.3), Some(90))).unwrap();
    assert_eq!(shared::cricket::laws::balls_of_overs(1e30, 6), u32::MAX);
}

#[test]
fn the_striker_for_the_next_ball_follows_the_runs_and_the_overs_end() {
    use shared::cricket::live_view::live_state;
    let striker =
        |l: &Live| live_state(l, 0, 0).at_crease.iter().find(|b| b.on_strike).map(|b| b.name.clone());
    let mut l = live(base("T20", Some(20), 6), &[start("A"), ball(json!({"bat": 1}))]);
    assert_eq!(striker(&l).as_deref(), Some("a2"), "one run: they crossed");
    l.apply(&ball(json!({"batter": "a2", "non_striker": "a1", "bat": 4}))).unwrap();
    assert_eq!(striker(&l).as_deref(), Some("a2"), "a boundary is not run");
    l.apply(&ball(json!({"batter": "a2", "non_striker": "a1", "extras": {"wides": 2}}))).unwrap();
    assert_eq!(striker(&l).as_deref(), Some("a1"), "a wide they ran one off");
    for _ in 0..4 {
        l.apply(&ball(json!({"batter": "a1", "non_striker": "a2"}))).unwrap();
    }
    assert_eq!(striker(&l).as_deref(), Some("a2"), "the over ended: ends changed");
    l.apply(&ball(json!({"batter": "a2", "non_striker": "a1", "bowler": "b2", "wickets": [{"player_out": "a2", "kind": "bowled"}]}))).unwrap();
    assert_eq!(striker(&l), None, "the striker is out: the next batter takes strike");
}
