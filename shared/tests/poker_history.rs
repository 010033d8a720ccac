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
