//! Random legal play, for the simulator and the property tests: every choice comes from a
//! [`KeyedStream`], so a (seed, hand number) pair always replays the same hand.

use super::{
    cards::Card,
    game::{Action, Game, GameConfig, SetupError},
    shuffle::{shuffle, KeyedStream, ShuffleInputs},
};

/// Picks a random legal action: folds sometimes, raises sometimes (any legal size, all in a quarter of
/// the time), otherwise checks or calls.
pub fn random_action(game: &Game, rng: &mut KeyedStream) -> Option<(usize, Action)> {
    let o = game.options()?;
    let roll = rng.below(100);
    let action = if o.can_bring_in && roll < 50 {
        Action::BringIn
    } else if let (Some(min), Some(max), true) = (o.min_raise_to, o.max_raise_to, roll >= 65) {
        let to = if rng.below(4) == 0 || max == min {
            max
        } else {
            min + rng.below((max - min + 1) as u32) as u64
        };
        Action::BetRaiseTo(to)
    } else if o.can_bring_in {
        Action::BringIn
    } else if o.can_fold && o.to_call > 0 && roll < 15 {
        Action::Fold
    } else {
        Action::CheckCall
    };
    Some((o.player, action))
}

/// Plays one whole hand with random actions. The deck is the provably fair shuffle of `seed` for
/// this hand number (no player entropy).
pub fn random_hand(
    config: GameConfig,
    stacks: Vec<u64>,
    seed: &[u8; 32],
    hand_number: u64,
) -> Result<Game, SetupError> {
    let inputs = ShuffleInputs { hand_number, player_entropy: Vec::new() };
    let deck: Vec<Card> = shuffle(seed, &inputs);
    let mut game = Game::new(config, stacks, deck)?;
    let mut rng = KeyedStream::new(b"dozen-poker-sim-actions", &inputs);
    while let Some((p, a)) = random_action(&game, &mut rng) {
        game.act(p, a).expect("random_action only picks legal actions");
    }
    Ok(game)
}
