//! Poker engine: cards, a provably fair shuffle, a table-driven hand evaluator, the betting rules of
//! No-Limit Hold'em, Pot-Limit Omaha and fixed-limit Seven-Card Stud, hand histories (PHH and
//! PokerStars-style text) and player statistics.
//!
//! Everything is deterministic: a hand is a function of its configuration, the shuffled deck (itself a
//! function of the revealed seed and the players' entropy) and the list of actions. The table server,
//! the browser and the tests therefore agree on every chip. See `shared/POKER.md` for the rules chosen
//! where poker rooms differ.

pub mod cards;
pub mod duels;
pub mod equity;
pub mod eval;
pub mod game;
pub mod history;
pub mod lobby;
pub mod money;
pub mod play;
pub mod profile;
pub mod seat;
pub mod shuffle;
pub mod signals;
pub mod sim;
pub mod sit_and_go;
pub mod stats;
pub mod table;
pub mod wallet;
pub mod wire;

pub use cards::{Card, ParseCardError, Rank, Suit};
pub use eval::{Category, HandRank};
pub use game::{Action, ActionError, Game, GameConfig, Variant};
pub use shuffle::{verify_shuffle, ShuffleError, ShuffleInputs};
