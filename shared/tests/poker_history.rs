//! Hand histories and statistics, and the properties every simulated hand must keep: chips are
//! conserved, and the PHH written for a hand replays to the same finishing stacks.

use std::collections::BTreeMap;

use shared::poker::{
    cards::Card,
    game::{Action, Game, GameConfig, Variant},
    history::{pokerstars_text, HandHistory, HistoryError},
    shuffle::{KeyedStream, ShuffleInputs},
    sim::random_hand,
    stats,
};

fn names(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("player{i}")).collect()
}

#[test]
fn simulated_hands_conserve_chips_and_replay_from_phh() {
    let mut rng = KeyedStream::new(b"property-tests", &ShuffleInputs::default());
    let configs =
        [GameConfig::nlhe(1, 2), GameConfig::plo(5, 10).with_ante(1), GameConfig::stud(1, 2, 5, 10)];
    let mut showdowns = 0;
    for (i, config) in configs.iter().enumerate() {
        for hand in 0..400u64 {
            let n = 2 + rng.below(config.variant.max_players() as u32 - 1) as usize;
            // Short stacks now and then, so that all-ins of every size happen.
            let stacks: Vec<u64> = (0..n)
                .map(
                    |_| if rng.below(3) == 0 { 1 + rng.below(40) as u64 } else { 50 + rng.below(500) as u64 },
                )
                .collect();
            let seed = [i as u8; 32];
            let game = random_hand(*config, stacks.clone(), &seed, hand).unwrap();
            assert!(game.is_over());
            assert_eq!(game.stacks().iter().sum::<u64>(), stacks.iter().sum::<u64>(), "chips conserved");
            let history = HandHistory::from_game(&game, names(n), Some(hand));
            let text = history.to_phh();
            let parsed = HandHistory::parse_phh(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
            assert_eq!(parsed, history);
            let replayed = parsed.replay().unwrap_or_else(|e| panic!("{e}\n{text}"));
            assert_eq!(replayed.stacks(), game.stacks());
            showdowns +=
                game.events().iter().any(|e| matches!(e, shared::poker::game::Event::Show { .. })) as u32;
            let stars = pokerstars_text(&game, &names(n), hand, "Dozen", "2026/11/29 12:00:00 UTC");
            assert!(stars.starts_with(&format!("PokerStars Hand #{hand}:")));
        }
    }
    assert!(showdowns > 100, "the simulation reaches showdowns ({showdowns})");
}

fn three_bet_hand() -> Game {
    let mut g = Game::new(GameConfig::nlhe(1, 2), vec![100, 100, 100], Card::deck()).unwrap();
    for (p, a) in
        [(2, Action::BetRaiseTo(6)), (0, Action::BetRaiseTo(20)), (1, Action::Fold), (2, Action::Call)]
    {
        g.act(p, a).unwrap();
    }
    while let Some(o) = g.options() {
        g.act(o.player, Action::CheckCall).unwrap();
    }
    g
}

#[test]
fn phh_text_has_the_fields_pokerkit_reads() {
    let g = three_bet_hand();
    let h = HandHistory::from_game(&g, names(3), Some(7));
    let text = h.to_phh();
    for needle in [
        "variant = \"NT\"",
        "antes = [0, 0, 0]",
        "blinds_or_straddles = [1, 2, 0]",
        "min_bet = 2",
        "starting_stacks = [100, 100, 100]",
        "\"d dh p1 2c2d\"",
        "\"p3 cbr 6\"",
        "\"p1 cbr 20\"",
        "\"p2 f\"",
        "\"p3 cc\"",
        "hand = 7",
        "finishing_stacks = [",
    ] {
        assert!(text.contains(needle), "{needle} missing from\n{text}");
    }
}

#[test]
fn replay_refuses_a_tampered_history() {
    let g = three_bet_hand();
    let mut h = HandHistory::from_game(&g, names(3), None);
    h.finishing_stacks = Some(vec![1, 2, 297]);
    assert!(matches!(h.replay(), Err(HistoryError::StacksDiffer { .. })));
    let mut h = HandHistory::from_game(&g, names(3), None);
    let i = h.actions.iter().position(|a| a == "p3 cbr 6").unwrap();
    h.actions[i] = "p3 cbr 3".into();
    assert!(matches!(h.replay(), Err(HistoryError::Illegal { .. })));
}

#[test]
fn pokerstars_text_reads_like_a_hand_history() {
    let g = three_bet_hand();
    let text = pokerstars_text(&g, &names(3), 42, "Dozen", "2026/11/29 12:00:00 UTC");
    assert!(text.starts_with("PokerStars Hand #42: Hold'em No Limit (1/2) - 2026/11/29 12:00:00 UTC\n"));
    for needle in [
        "Table 'Dozen' 9-max Seat #3 is the button",
        "Seat 1: player1 (100 in chips)",
        "player1: posts small blind 1",
        "player2: posts big blind 2",
        "*** HOLE CARDS ***",
        "player3: raises 4 to 6",
        "player1: raises 14 to 20",
        "player2: folds",
        "player3: calls 14",
        "*** FLOP ***",
        "*** SHOW DOWN ***",
        "*** SUMMARY ***",
        "Total pot 42 | Rake 0",
    ] {
        assert!(text.contains(needle), "{needle} missing from\n{text}");
    }
}

#[test]
fn statistics_follow_their_definitions() {
    let g = three_bet_hand();
    let h = HandHistory::from_game(&g, names(3), None);
    let s = stats::from_histories([&h, &h]).unwrap();
    let p1 = &s["player1"];
    let p2 = &s["player2"];
    let p3 = &s["player3"];
    assert_eq!((p1.hands, p1.vpip, p1.pfr, p1.three_bet, p1.three_bet_chances), (2, 2, 2, 2, 2));
    assert_eq!((p2.vpip, p2.pfr, p2.three_bet_chances, p2.saw_second_street), (0, 0, 0, 0));
    assert_eq!((p3.vpip, p3.pfr, p3.three_bet), (2, 2, 0));
    assert_eq!(p1.went_to_showdown + p3.went_to_showdown, 4);
    assert_eq!(p1.won_at_showdown + p3.won_at_showdown, 2);
    assert_eq!(s.values().map(|x| x.net_chips).sum::<i64>(), 0);
    assert_eq!(p2.net_chips, -4);
    assert_eq!(p1.vpip_pct(), Some(100.0));
    let empty: BTreeMap<String, stats::PlayerStats> = stats::from_histories([]).unwrap();
    assert!(empty.is_empty());
    assert_eq!(Variant::Stud.max_players(), 8);
}

/// Random actions, legal or not, from random players: a refused action never changes the state, and
/// after every accepted one the chips behind plus the chips put in add up to the starting total.
#[test]
fn random_actions_are_either_applied_or_refused_without_effect() {
    let mut rng = KeyedStream::new(b"chaos", &ShuffleInputs::default());
    let configs = [GameConfig::nlhe(5, 10), GameConfig::plo(5, 10), GameConfig::stud(2, 5, 10, 20)];
    let (mut accepted, mut refused) = (0u32, 0u32);
    for config in configs {
        for hand in 0..150u64 {
            let n = 2 + rng.below(config.variant.max_players() as u32 - 1) as usize;
            let stacks: Vec<u64> = (0..n).map(|_| 1 + rng.below(300) as u64).collect();
            let total: u64 = stacks.iter().sum();
            let deck = shared::poker::shuffle::shuffle(&[hand as u8; 32], &ShuffleInputs::default());
            let mut game = Game::new(config, stacks, deck).unwrap();
            let mut steps = 0;
            while !game.is_over() {
                steps += 1;
                assert!(steps < 10_000, "the hand terminates");
                let to_act = game.to_act().unwrap();
                let player = if rng.below(5) == 0 { rng.below(n as u32) as usize } else { to_act };
                let action = match rng.below(6) {
                    0 => Action::Fold,
                    1 => Action::Check,
                    2 => Action::Call,
                    3 => Action::CheckCall,
                    4 => Action::BringIn,
                    _ => Action::BetRaiseTo(rng.below(400) as u64),
                };
                let before = game.clone();
                match game.act(player, action) {
                    Ok(()) => accepted += 1,
                    Err(_) => {
                        refused += 1;
                        assert_eq!(game, before, "{action:?} by {player} was refused but changed the state");
                    }
                }
                let in_play: u64 = game.stacks().iter().sum::<u64>() + game.pot();
                assert_eq!(in_play, total);
            }
        }
    }
    assert!(accepted > 1000 && refused > 1000, "accepted {accepted}, refused {refused}");
}

// What PokerKit 0.7.7 expects of the PHH (checked end to end by scripts/pokerkit-check.sh).

/// The deck dealt in this order, then the remaining cards.
fn deck(first: &str) -> Vec<Card> {
    let mut d = shared::poker::cards::parse_cards(first).unwrap();
    for c in Card::deck() {
        if !d.contains(&c) {
            d.push(c);
        }
    }
    d
}

#[test]
fn all_in_showdown_comes_before_the_board_is_run_out() {
    let mut g =
        Game::new(GameConfig::nlhe(1, 2), vec![100, 200, 300], deck("AsAh KsKh QsQh 2c7d9h Jc 3s")).unwrap();
    for (p, a) in [(2, Action::BetRaiseTo(300)), (0, Action::Call), (1, Action::Call)] {
        g.act(p, a).unwrap();
    }
    let h = HandHistory::from_game(&g, names(3), None);
    let tail: Vec<&str> = h.actions[3..].iter().map(String::as_str).collect();
    assert_eq!(
        tail,
        [
            "p3 cbr 300",
            "p1 cc",
            "p2 cc",
            "p3 sm QsQh",
            "p1 sm AsAh",
            "p2 sm KsKh",
            "d db 2c7d9h",
            "d db Jc",
            "d db 3s"
        ]
    );
    assert_eq!(h.replay().unwrap().stacks(), g.stacks());
}

#[test]
fn a_muck_is_sm_without_cards() {
    // PHH: `pN sm` mucks; `pN sm -` would show the cards dealt.
    let mut g =
        Game::new(GameConfig::nlhe(1, 2), vec![100, 100, 100], deck("4c4d 5c5d AsAh 2c7d9h Jc 3s")).unwrap();
    for (p, a) in [(2, Action::Call), (0, Action::Call), (1, Action::Check)] {
        g.act(p, a).unwrap();
    }
    for _ in 0..8 {
        let p = g.to_act().unwrap();
        g.act(p, Action::Check).unwrap();
    }
    for (p, a) in [(2, Action::BetRaiseTo(10)), (0, Action::Call), (1, Action::Call)] {
        g.act(p, a).unwrap();
    }
    assert!(g.is_over());
    let h = HandHistory::from_game(&g, names(3), None);
    let n = h.actions.len();
    assert_eq!(h.actions[n - 3..], ["p3 sm AsAh", "p1 sm", "p2 sm"]);
    assert_eq!(h.replay().unwrap().stacks(), g.stacks());
}

#[test]
fn stud_all_in_before_seventh_street_is_shown_twice() {
    // Player 2 is all in on fourth street. PokerKit holds the showdown then (four cards each) and,
    // because seventh street is dealt face down, once more after it (seven cards each).
    let mut g =
        Game::new(GameConfig::stud(1, 2, 5, 10), vec![100, 8], deck("3c4c2c 5c6cAh 7d Ad 8d 9d Td Jd Qd Kd"))
            .unwrap();
    for (p, a) in [
        (0, Action::BringIn),
        (1, Action::BetRaiseTo(5)),
        (0, Action::Call),
        (1, Action::BetRaiseTo(2)),
        (0, Action::Call),
    ] {
        g.act(p, a).unwrap();
    }
    assert!(g.is_over());
    let h = HandHistory::from_game(&g, names(2), None);
    let after_betting: Vec<&str> = h.actions[9..].iter().map(String::as_str).collect();
    assert_eq!(h.actions[8], "p1 cc");
    assert_eq!(
        after_betting,
        [
            "p2 sm 5c6cAhAd",
            "p1 sm 3c4c2c7d",
            "d dh p1 8d",
            "d dh p2 9d",
            "d dh p1 Td",
            "d dh p2 Jd",
            "d dh p1 Qd",
            "d dh p2 Kd",
            "p2 sm 5c6cAhAd9dJdKd",
            "p1 sm 3c4c2c7d8dTdQd",
        ]
    );
    assert_eq!(h.replay().unwrap().stacks(), g.stacks());
}

#[test]
fn stud_seventh_street_deals_folded_cards_when_the_deck_runs_out() {
    // Eight players to sixth street use 48 cards; one folds there, so seven need a seventh card and
    // the deck has 4. As in PokerKit the folded player's cards are dealt (in the order he received
    // them) rather than a shared card.
    let mut g = Game::new(GameConfig::stud(1, 2, 5, 10), vec![500; 8], Card::deck()).unwrap();
    let opener = g.to_act().unwrap();
    g.act(opener, Action::BringIn).unwrap();
    while g.street() < 3 {
        let p = g.to_act().unwrap();
        g.act(p, Action::CheckCall).unwrap();
    }
    let first = g.to_act().unwrap();
    g.act(first, Action::BetRaiseTo(10)).unwrap();
    let folder = g.to_act().unwrap();
    g.act(folder, Action::Fold).unwrap();
    while let Some(o) = g.options() {
        g.act(o.player, Action::CheckCall).unwrap();
    }
    assert!(g.is_over());
    assert!(g.board().is_empty(), "no shared card");
    let live: Vec<usize> = (0..8).filter(|&p| p != folder).collect();
    assert!(live.iter().all(|&p| g.hole_cards(p).len() == 7));
    let seventh: Vec<Card> = live.iter().map(|&p| g.hole_cards(p)[6]).collect();
    assert_eq!(seventh[..4], Card::deck()[48..]);
    assert_eq!(seventh[4..], g.hole_cards(folder)[..3]);
    assert_eq!(g.stacks().iter().sum::<u64>(), 4000);
    let h = HandHistory::from_game(&g, names(8), None);
    let parsed = HandHistory::parse_phh(&h.to_phh()).unwrap();
    assert_eq!(parsed.replay().unwrap().stacks(), g.stacks());
}
