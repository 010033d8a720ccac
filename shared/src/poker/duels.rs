//! Heads-up betting rounds, for the soft-play signal: after the first street, a round that starts
//! with two players left in the hand, both acting, is a duel between them, and a player who bets
//! or raises in it is aggressive in it. (Checking it down beside a third player who is all in is
//! ordinary play, not a duel.) Two players who bet into everyone else but hardly ever into each other are
//! soft-playing (`signals::soft_play`).

use super::game::{Event, Game};
use serde::{Deserialize, Serialize};

/// One player's duels against one opponent in a hand (engine player indexes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duel {
    pub player: usize,
    pub opponent: usize,
    /// Rounds after the first street that only the two of them were left in.
    pub rounds: u64,
    /// Of those, the rounds in which `player` bet or raised.
    pub aggressive: u64,
}

/// A hand's duels, one per player and opponent who met heads-up after the first street.
pub fn duels(game: &Game) -> Vec<Duel> {
    // (street, players left in the hand as it began, actors in order of first action, the
    // actors who bet or raised)
    let mut rounds: Vec<(usize, usize, Vec<usize>, Vec<usize>)> = Vec::new();
    let mut street = 0;
    let mut folded: Vec<usize> = Vec::new();
    for event in game.events() {
        let (actor, aggressive) = match event {
            Event::DealBoard { street: s, .. } | Event::DealHole { street: s, .. } => {
                street = street.max(*s);
                continue;
            }
            Event::BetRaise { player, .. } => (*player, true),
            Event::Fold { player } | Event::Check { player } | Event::Call { player, .. } => (*player, false),
            _ => continue,
        };
        if street > 0 {
            if rounds.last().is_none_or(|(s, _, _, _)| *s != street) {
                rounds.push((street, game.players() - folded.len(), Vec::new(), Vec::new()));
            }
            if let Some((_, _, actors, bettors)) = rounds.last_mut() {
                if !actors.contains(&actor) {
                    actors.push(actor);
                }
                if aggressive && !bettors.contains(&actor) {
                    bettors.push(actor);
                }
            }
        }
        if matches!(event, Event::Fold { .. }) {
            folded.push(actor);
        }
    }
    let mut duels: Vec<Duel> = Vec::new();
    for (_, _, actors, bettors) in
        rounds.iter().filter(|(_, left, actors, _)| *left == 2 && actors.len() == 2)
    {
        for (player, opponent) in [(actors[0], actors[1]), (actors[1], actors[0])] {
            let aggressive = u64::from(bettors.contains(&player));
            match duels.iter_mut().find(|d| d.player == player && d.opponent == opponent) {
                Some(duel) => {
                    duel.rounds += 1;
                    duel.aggressive += aggressive;
                }
                None => duels.push(Duel { player, opponent, rounds: 1, aggressive }),
            }
        }
    }
    duels.sort_by_key(|d| (d.player, d.opponent));
    duels
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poker::{
        cards::Card,
        game::{Action, GameConfig},
    };

    fn deck() -> Vec<Card> {
        (0..52).filter_map(Card::from_index).collect()
    }

    fn play(config: GameConfig, players: usize, actions: &[(usize, Action)]) -> Game {
        play_stacks(config, vec![10_000; players], actions)
    }

    fn play_stacks(config: GameConfig, stacks: Vec<u64>, actions: &[(usize, Action)]) -> Game {
        let mut game = Game::new(config, stacks, deck()).unwrap();
        for &(player, action) in actions {
            game.act(player, action).unwrap_or_else(|e| panic!("{player} {action:?}: {e}"));
        }
        game
    }

    #[test]
    fn rounds_after_the_first_street_with_two_actors_are_duels() {
        // Three-handed Hold'em, engine players 0 the small blind, 1 the big blind, 2 the button.
        // Everyone sees the flop and checks it (three actors: no duel); the button folds to a bet
        // on the turn, which the big blind calls; the river is checked down by the blinds.
        let game = play(
            GameConfig::nlhe(50, 100),
            3,
            &[
                (2, Action::Call),
                (0, Action::Call),
                (1, Action::Check),
                (0, Action::Check),
                (1, Action::Check),
                (2, Action::Check),
                (0, Action::BetRaiseTo(200)),
                (1, Action::Call),
                (2, Action::Fold),
                (0, Action::Check),
                (1, Action::Check),
            ],
        );
        assert!(game.is_over());
        // The turn had three actors (the button folded in it), so only the river is a duel.
        assert_eq!(
            duels(&game),
            vec![
                Duel { player: 0, opponent: 1, rounds: 1, aggressive: 0 },
                Duel { player: 1, opponent: 0, rounds: 1, aggressive: 0 },
            ]
        );
    }

    #[test]
    fn checking_it_down_beside_a_third_player_all_in_is_no_duel() {
        // The small blind (0) is all in preflop; the other two check every street after.
        let game = play_stacks(
            GameConfig::nlhe(50, 100),
            vec![1_000, 10_000, 10_000],
            &[
                (2, Action::Call),
                (0, Action::BetRaiseTo(1_000)),
                (1, Action::Call),
                (2, Action::Call),
                (1, Action::Check),
                (2, Action::Check),
                (1, Action::Check),
                (2, Action::Check),
                (1, Action::Check),
                (2, Action::Check),
            ],
        );
        assert!(game.is_over());
        assert_eq!(duels(&game), vec![]);
    }

    #[test]
    fn a_bet_in_a_heads_up_round_is_aggressive_and_preflop_never_counts() {
        // Heads-up: the button (1) raises preflop, then bets the flop and the turn; the other
        // calls both, then checks the river and calls a bet.
        let game = play(
            GameConfig::nlhe(50, 100),
            2,
            &[
                (1, Action::BetRaiseTo(300)),
                (0, Action::Call),
                (0, Action::Check),
                (1, Action::BetRaiseTo(300)),
                (0, Action::Call),
                (0, Action::Check),
                (1, Action::BetRaiseTo(600)),
                (0, Action::BetRaiseTo(1_800)),
                (1, Action::Call),
                (0, Action::Check),
                (1, Action::Check),
            ],
        );
        assert!(game.is_over());
        assert_eq!(
            duels(&game),
            vec![
                Duel { player: 0, opponent: 1, rounds: 3, aggressive: 1 },
                Duel { player: 1, opponent: 0, rounds: 3, aggressive: 2 },
            ]
        );
    }
}
