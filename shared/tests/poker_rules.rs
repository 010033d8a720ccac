//! Rule scenarios, each written from the rules with its expected pots and stacks.

use shared::poker::{
    cards::{parse_cards, Card},
    game::{Action, ActionError, Event, Game, GameConfig},
};

use Action::*;

/// The deck dealt in this order, then the remaining cards.
fn deck(first: &str) -> Vec<Card> {
    let mut d = parse_cards(first).unwrap();
    for c in Card::deck() {
        if !d.contains(&c) {
            d.push(c);
        }
    }
    d
}

/// Applies an action that must be legal.
fn ok(g: &mut Game, p: usize, a: Action) {
    g.act(p, a).unwrap_or_else(|e| panic!("player {p} {a:?}: {e}"));
}

/// Applies an action that must be refused with `err`, and checks that nothing changed.
fn refused(g: &mut Game, p: usize, a: Action, err: ActionError) {
    let before = g.clone();
    assert_eq!(g.act(p, a), Err(err));
    assert_eq!(*g, before, "a refused action changed the state");
}

fn check_down(g: &mut Game) {
    while let Some(o) = g.options() {
        ok(g, o.player, CheckCall);
    }
}

fn total(g: &Game) -> u64 {
    g.stacks().iter().sum::<u64>() + g.pot()
}

#[test]
fn three_way_all_in_with_two_side_pots() {
    // p0 small blind 100, p1 big blind 200, p2 button 300.
    let mut g =
        Game::new(GameConfig::nlhe(1, 2), vec![100, 200, 300], deck("AsAh KsKh QsQh 2c7d9h Jc 3s")).unwrap();
    assert_eq!(g.to_act(), Some(2), "the button acts first three-handed");
    ok(&mut g, 2, BetRaiseTo(300));
    ok(&mut g, 0, Call);
    ok(&mut g, 1, Call);
    assert!(g.is_over(), "everyone all in: the board runs out");
    // Main pot 300 (aces), side pot 200 (kings), 100 uncalled back to the button.
    assert!(g.events().contains(&Event::UncalledReturned { player: 2, amount: 100 }));
    assert!(g.events().contains(&Event::Win { player: 0, amount: 300, pot: 0 }));
    assert!(g.events().contains(&Event::Win { player: 1, amount: 200, pot: 1 }));
    assert_eq!(g.stacks(), &[300, 200, 100]);
}

#[test]
fn split_pot_odd_chip_goes_left_of_the_button() {
    // Both live players play the board's straight; the small blind's dead chip makes the pot odd.
    let mut g =
        Game::new(GameConfig::nlhe(1, 2), vec![100, 100, 100], deck("4c4d 2h2d 3h3d 5c6d7h 8s 9c")).unwrap();
    ok(&mut g, 2, Call);
    ok(&mut g, 0, Fold);
    ok(&mut g, 1, Check);
    check_down(&mut g);
    assert!(g.is_over());
    // Pot 5: 3 to the big blind (first winner left of the button), 2 to the button.
    assert!(g.events().contains(&Event::Win { player: 1, amount: 3, pot: 0 }));
    assert!(g.events().contains(&Event::Win { player: 2, amount: 2, pot: 0 }));
    assert_eq!(g.stacks(), &[99, 101, 100]);
}

#[test]
fn incomplete_all_in_raise_does_not_reopen_betting() {
    let mut g =
        Game::new(GameConfig::nlhe(5, 10), vec![1000, 150, 1000], deck("AsAh KsKh QsQh 2c7d9h Jc 3s"))
            .unwrap();
    ok(&mut g, 2, Call);
    ok(&mut g, 0, Call);
    ok(&mut g, 1, Check);
    // Flop: p0 bets 100, p1 is all in for 140 (a raise of 40, less than the 100 needed).
    ok(&mut g, 0, BetRaiseTo(100));
    ok(&mut g, 1, BetRaiseTo(140));
    // p2 has not acted yet: may still raise, by at least the last full raise (to 240).
    let o = g.options().unwrap();
    assert_eq!((o.player, o.to_call, o.min_raise_to), (2, 140, Some(240)));
    refused(&mut g, 2, BetRaiseTo(200), ActionError::RaiseTooSmall { min_to: 240 });
    ok(&mut g, 2, Call);
    // p0 already acted and faced only the incomplete raise: call or fold.
    assert_eq!(g.options().unwrap().min_raise_to, None);
    refused(&mut g, 0, BetRaiseTo(400), ActionError::BettingNotReopened);
    ok(&mut g, 0, Call);
    check_down(&mut g);
    assert_eq!(g.stacks(), &[1300, 0, 850]);
}

#[test]
fn heads_up_button_posts_small_blind_and_acts_first_preflop_only() {
    let mut g = Game::new(GameConfig::nlhe(1, 2), vec![100, 100], deck("AsAh KsKh 2c7d9h Jc 3s")).unwrap();
    assert_eq!(g.events()[0], Event::Blind { player: 1, amount: 1 });
    assert_eq!(g.events()[1], Event::Blind { player: 0, amount: 2 });
    assert_eq!(g.to_act(), Some(1));
    refused(&mut g, 0, Check, ActionError::NotYourTurn { expected: 1, got: 0 });
    refused(&mut g, 1, Check, ActionError::CheckFacingBet { to_call: 1 });
    ok(&mut g, 1, Call);
    // The big blind has the option.
    assert_eq!(g.to_act(), Some(0));
    ok(&mut g, 0, Check);
    // After the flop the big blind acts first.
    assert_eq!((g.street(), g.to_act()), (1, Some(0)));
    ok(&mut g, 0, BetRaiseTo(2));
    ok(&mut g, 1, Fold);
    assert_eq!(g.stacks(), &[102, 98]);
}

#[test]
fn stud_bring_in_and_completion() {
    // Ante 1, bring-in 2, bets 5/10. Up cards: Kd, 2c, 2s: the 2c (clubs lowest) brings it in.
    let mut g =
        Game::new(GameConfig::stud(1, 2, 5, 10), vec![100, 100, 100], deck("AhAd Kd 7h8h 2c 9c9d 2s"))
            .unwrap();
    assert_eq!(g.pot(), 3);
    assert_eq!(g.to_act(), Some(1));
    refused(&mut g, 1, Check, ActionError::MustBringInOrComplete);
    refused(&mut g, 1, Fold, ActionError::MustBringInOrComplete);
    ok(&mut g, 1, BringIn);
    refused(&mut g, 2, BetRaiseTo(4), ActionError::WrongFixedAmount { expected_to: 5 });
    ok(&mut g, 2, BetRaiseTo(5)); // completes to the small bet
    refused(&mut g, 0, BetRaiseTo(15), ActionError::WrongFixedAmount { expected_to: 10 });
    ok(&mut g, 0, BetRaiseTo(10));
    // The completion was a full bet, so the bring-in may raise again.
    assert_eq!(g.options().unwrap().min_raise_to, Some(15));
    ok(&mut g, 1, Call);
    ok(&mut g, 2, Call);
    assert_eq!((g.street(), g.pot()), (1, 33));
    // Fourth street: the highest showing hand opens (p0 shows Kd plus one card).
    let showing: Vec<usize> = (0..3).collect();
    let opener = g.to_act().unwrap();
    assert!(showing.contains(&opener));
    check_down(&mut g);
    assert!(g.is_over());
    assert_eq!(g.stacks().iter().sum::<u64>(), 300);
}

#[test]
fn stud_fixed_limit_caps_at_four_bets() {
    let mut g = Game::new(GameConfig::stud(0, 2, 5, 10), vec![1000, 1000], deck("AhAd Kd 7h8h 2c")).unwrap();
    ok(&mut g, 1, BetRaiseTo(5));
    ok(&mut g, 0, BetRaiseTo(10));
    ok(&mut g, 1, BetRaiseTo(15));
    ok(&mut g, 0, BetRaiseTo(20));
    refused(&mut g, 1, BetRaiseTo(25), ActionError::BetCapReached);
    ok(&mut g, 1, Call);
}

#[test]
fn omaha_pot_limit_maximum() {
    let mut g = Game::new(GameConfig::plo(1, 2), vec![1000, 1000, 1000], Card::deck()).unwrap();
    // Button: pot 3, call 2 makes 5, so the raise is at most to 2 + 5 = 7.
    assert_eq!(g.options().unwrap().max_raise_to, Some(7));
    refused(&mut g, 2, BetRaiseTo(8), ActionError::RaiseTooLarge { max_to: 7 });
    ok(&mut g, 2, BetRaiseTo(7));
    // Small blind: pot 10, call 6 makes 16, so at most to 7 + 16 = 23.
    assert_eq!(g.options().unwrap().max_raise_to, Some(23));
    ok(&mut g, 0, BetRaiseTo(23));
    ok(&mut g, 1, Fold);
    ok(&mut g, 2, Call);
    // Flop: the pot is 48, so the first bet is at most 48.
    assert_eq!(g.pot(), 48);
    assert_eq!(g.options().unwrap().max_raise_to, Some(48));
    assert_eq!(g.hole_cards(0).len(), 4);
}

#[test]
fn uncalled_bet_is_returned() {
    let mut g = Game::new(GameConfig::nlhe(1, 2), vec![100, 100, 100], Card::deck()).unwrap();
    ok(&mut g, 2, BetRaiseTo(50));
    ok(&mut g, 0, Fold);
    ok(&mut g, 1, Fold);
    assert!(g.events().contains(&Event::UncalledReturned { player: 2, amount: 48 }));
    assert!(g.events().contains(&Event::Win { player: 2, amount: 5, pot: 0 }));
    assert_eq!(g.stacks(), &[99, 98, 103]);
}

#[test]
fn illegal_actions_are_refused_and_change_nothing() {
    let mut g = Game::new(GameConfig::nlhe(1, 2), vec![100, 100, 100], Card::deck()).unwrap();
    refused(&mut g, 0, Call, ActionError::NotYourTurn { expected: 2, got: 0 });
    refused(&mut g, 2, Check, ActionError::CheckFacingBet { to_call: 2 });
    refused(&mut g, 2, BetRaiseTo(3), ActionError::RaiseTooSmall { min_to: 4 });
    refused(&mut g, 2, BetRaiseTo(101), ActionError::MoreThanStack { max_to: 100 });
    ok(&mut g, 2, Call);
    ok(&mut g, 0, Call);
    refused(&mut g, 1, Call, ActionError::NothingToCall);
    ok(&mut g, 1, Check);
    assert_eq!(total(&g), 300);
    check_down(&mut g);
    refused(&mut g, 0, Check, ActionError::HandOver);
}

#[test]
fn stud_with_eight_players_shares_a_community_card_on_seventh_street() {
    let mut g = Game::new(GameConfig::stud(1, 2, 5, 10), vec![500; 8], Card::deck()).unwrap();
    let opener = g.to_act().unwrap();
    ok(&mut g, opener, BringIn);
    check_down(&mut g);
    assert!(g.is_over());
    // 8 × 6 = 48 cards by sixth street leaves 4: seventh street is one shared card.
    assert_eq!(g.board().len(), 1);
    assert!((0..8).all(|p| g.hole_cards(p).len() == 6));
    assert_eq!(g.stacks().iter().sum::<u64>(), 4000);
}

#[test]
fn nine_players_is_the_most_and_two_the_fewest() {
    use shared::poker::game::SetupError;
    assert_eq!(
        Game::new(GameConfig::nlhe(1, 2), vec![100; 10], Card::deck()).unwrap_err(),
        SetupError::PlayerCount { min: 2, max: 9, got: 10 }
    );
    assert_eq!(
        Game::new(GameConfig::stud(1, 2, 5, 10), vec![100; 9], Card::deck()).unwrap_err(),
        SetupError::PlayerCount { min: 2, max: 8, got: 9 }
    );
    assert!(Game::new(GameConfig::nlhe(1, 2), vec![100], Card::deck()).is_err());
    assert_eq!(
        Game::new(GameConfig::nlhe(1, 2), vec![100, 0], Card::deck()).unwrap_err(),
        SetupError::EmptyStack { player: 1 }
    );
    let mut short = Card::deck();
    short.pop();
    assert_eq!(Game::new(GameConfig::nlhe(1, 2), vec![100, 100], short).unwrap_err(), SetupError::Deck);
}

#[test]
fn a_short_big_blind_all_in_sets_the_amount_to_call() {
    // PokerKit's rule: the big blind can only post 1 of 2, so the others owe that 1 (not the full big
    // blind) and a raise is by at least a big blind, to 3.
    let mut g = Game::new(GameConfig::nlhe(1, 2), vec![100, 1, 100], Card::deck()).unwrap();
    assert_eq!(g.committed(), &[1, 1, 0]);
    let o = g.options().unwrap();
    assert_eq!((o.player, o.to_call, o.min_raise_to), (2, 1, Some(3)));
    ok(&mut g, 2, Call);
    // The small blind has matched the biggest blind: a check.
    assert!(g.options().unwrap().can_check);
    ok(&mut g, 0, Check);
    check_down(&mut g);
    assert_eq!(g.stacks().iter().sum::<u64>(), 201);
}

// The scenarios below come from checking simulated hands against PokerKit 0.7.7
// (scripts/pokerkit-check.sh); each failed before the engine followed PokerKit.

#[test]
fn odd_chips_all_go_to_the_first_winner() {
    // Four players limp, the small blind folds on the flop, a royal flush on the board splits 8 three
    // ways: both odd chips to player 1 (the first winner left of the button).
    let mut g =
        Game::new(GameConfig::nlhe(1, 2), vec![100; 4], deck("2c3c 4c5c 6c7c 8c9c AsKsQs Js Ts")).unwrap();
    ok(&mut g, 2, Call);
    ok(&mut g, 3, Call);
    ok(&mut g, 0, Call);
    ok(&mut g, 1, Check);
    ok(&mut g, 0, Fold);
    check_down(&mut g);
    assert_eq!(g.stacks(), &[98, 102, 100, 100]);
}

#[test]
fn pots_contested_by_the_same_hands_are_split_as_one() {
    // Player 2 is all in for 4 and loses; players 1 and 3 tie with the same straight. The main pot
    // (17, with the folded small blind) and the side pot (13, with player 4's folded calls) are
    // contested by the same two hands, so PokerKit splits 30 once: 15 each, not 9 + 7 and 8 + 6.
    let mut g = Game::new(
        GameConfig::nlhe(1, 2),
        vec![100, 100, 4, 100, 100],
        deck("7c6c Th3d 2h2d Tc4d 9c8c AsKsQs Jd 2c"),
    )
    .unwrap();
    ok(&mut g, 2, BetRaiseTo(4));
    ok(&mut g, 3, Call);
    ok(&mut g, 4, Call);
    ok(&mut g, 0, Fold);
    ok(&mut g, 1, Call);
    ok(&mut g, 1, BetRaiseTo(3));
    ok(&mut g, 3, Call);
    ok(&mut g, 4, Call);
    ok(&mut g, 1, BetRaiseTo(2));
    ok(&mut g, 3, Call);
    ok(&mut g, 4, Fold);
    check_down(&mut g);
    assert_eq!(g.stacks(), &[99, 106, 0, 106, 93]);
}

#[test]
fn a_player_left_alone_with_chips_keeps_his_turn() {
    // The small blind is all in with 1 chip; the button folds. PokerKit still gives the big blind his
    // turn (check or fold: there is no one to raise).
    let mut g = Game::new(GameConfig::nlhe(1, 2), vec![1, 25, 557], Card::deck()).unwrap();
    ok(&mut g, 2, Fold);
    let o = g.options().unwrap();
    assert_eq!((o.player, o.to_call, o.can_check, o.min_raise_to), (1, 0, true, None));
    refused(&mut g, 1, BetRaiseTo(4), ActionError::NoOneToRaise);
    ok(&mut g, 1, Check);
    assert!(g.is_over());
}

#[test]
fn a_player_nobody_can_match_does_not_act() {
    // The small blind is all in for 1 and the button has exactly 2: the big blind's effective stack is
    // 0 (PokerKit), so once the button calls all in the hand is over without the big blind's option.
    let mut g = Game::new(GameConfig::nlhe(1, 2), vec![1, 100, 2], Card::deck()).unwrap();
    assert_eq!(g.to_act(), Some(2));
    ok(&mut g, 2, Call);
    assert!(g.is_over());
    assert_eq!(g.stacks().iter().sum::<u64>(), 103);
}

#[test]
fn no_raise_when_no_opponent_can_match_more_than_the_bet() {
    // The button is all in for 100; the big blind has chips behind but only 50 in all. PokerKit does
    // not let the small blind raise: nobody could call more than 100.
    let mut g = Game::new(GameConfig::nlhe(1, 2), vec![300, 50, 100], Card::deck()).unwrap();
    ok(&mut g, 2, BetRaiseTo(100));
    assert_eq!(g.options().unwrap().min_raise_to, None);
    refused(&mut g, 0, BetRaiseTo(200), ActionError::NoOneToRaise);
    ok(&mut g, 0, Call);
}

#[test]
fn stud_raise_after_an_all_in_bet_for_less_is_a_full_bet_more() {
    // Player 2 (pair of aces showing) opens fourth street all in for 2 of the small bet 5. The next
    // raise is to 2 + 5 = 7 (PokerKit), not a completion to 5; the all-in counts toward the cap of four.
    let mut g =
        Game::new(GameConfig::stud(1, 2, 5, 10), vec![100, 100, 8], deck("3c4c2c 3d4d9h 5c6cAh 7d 8s Ad"))
            .unwrap();
    ok(&mut g, 0, BringIn);
    ok(&mut g, 1, BetRaiseTo(5));
    ok(&mut g, 2, Call);
    ok(&mut g, 0, Call);
    assert_eq!(g.street(), 1);
    ok(&mut g, 2, BetRaiseTo(2));
    let o = g.options().unwrap();
    assert_eq!((o.player, o.min_raise_to, o.max_raise_to), (0, Some(7), Some(7)));
    refused(&mut g, 0, BetRaiseTo(5), ActionError::WrongFixedAmount { expected_to: 7 });
    ok(&mut g, 0, BetRaiseTo(7));
    ok(&mut g, 1, BetRaiseTo(12));
    ok(&mut g, 0, BetRaiseTo(17));
    refused(&mut g, 1, BetRaiseTo(22), ActionError::BetCapReached);
    ok(&mut g, 1, Call);
}

#[test]
fn folding_when_checking_is_free_is_allowed() {
    let mut g = Game::new(GameConfig::nlhe(1, 2), vec![100, 100, 100], Card::deck()).unwrap();
    ok(&mut g, 2, Call);
    ok(&mut g, 0, Call);
    assert!(g.options().unwrap().can_check);
    ok(&mut g, 1, Fold);
    assert!(g.has_folded(1));
    assert_eq!(g.to_act(), Some(0), "the flop is dealt");
}

#[test]
fn showdown_starts_with_the_last_aggressor_and_beaten_hands_are_mucked() {
    let mut g =
        Game::new(GameConfig::nlhe(1, 2), vec![100, 100, 100], deck("4c4d 5c5d AsAh 2c7d9h Jc 3s")).unwrap();
    ok(&mut g, 2, Call);
    ok(&mut g, 0, Call);
    ok(&mut g, 1, Check);
    for _ in 0..2 {
        for p in [0, 1, 2] {
            ok(&mut g, p, Check);
        }
    }
    ok(&mut g, 0, Check);
    ok(&mut g, 1, Check);
    ok(&mut g, 2, BetRaiseTo(10));
    ok(&mut g, 0, Call);
    ok(&mut g, 1, Call);
    let showdown: Vec<&Event> =
        g.events().iter().filter(|e| matches!(e, Event::Show { .. } | Event::Muck { .. })).collect();
    assert!(matches!(showdown[0], Event::Show { player: 2, .. }));
    assert_eq!(showdown[1..], [&Event::Muck { player: 0 }, &Event::Muck { player: 1 }]);
    assert_eq!(g.stacks(), &[88, 88, 124]);
}

#[test]
fn all_in_hands_are_all_shown() {
    let mut g =
        Game::new(GameConfig::nlhe(1, 2), vec![100, 200, 300], deck("AsAh KsKh QsQh 2c7d9h Jc 3s")).unwrap();
    ok(&mut g, 2, BetRaiseTo(300));
    ok(&mut g, 0, Call);
    ok(&mut g, 1, Call);
    let shown = g.events().iter().filter(|e| matches!(e, Event::Show { .. })).count();
    assert_eq!(shown, 3);
}

#[test]
fn the_button_moves_to_the_next_occupied_seat() {
    use shared::poker::game::{next_button, players_from_button};
    let occupied = [true, false, true, true, false, false];
    assert_eq!(next_button(&occupied, 0), Some(2));
    assert_eq!(next_button(&occupied, 3), Some(0));
    assert_eq!(next_button(&occupied, 4), Some(0));
    assert_eq!(next_button(&[false; 4], 1), None);
    // Button on seat 3: seat 0 posts the small blind, seat 2 the big blind, seat 3 is last.
    assert_eq!(players_from_button(&occupied, 3), vec![0, 2, 3]);
    // Heads-up with the button on seat 2: seat 3 is player 0 (big blind), the button posts the small.
    assert_eq!(players_from_button(&[false, false, true, true], 2), vec![3, 2]);
}
