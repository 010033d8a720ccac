//! Collusion signals for the people who watch the tables (`GET /api/poker/admin/signals`): two
//! accounts at one table from one address and browser, pairs who sit together far more than
//! apart, chips that flow one way between two players (chip dumping), and pairs who bet into
//! everyone but each other (soft play). Signals, not verdicts: each names the players and the
//! figures behind it for a person to look into.

use super::money::Chips;
use serde::{Deserialize, Serialize};

/// Hands two players must have played together before their sitting together counts.
pub const PAIR_MIN_HANDS: u64 = 20;
/// The share of the fewer hands of the two that they played together, from which a pair is
/// listed (0.8: four hands in five of the one who plays less).
pub const PAIR_MIN_SHARE: f64 = 0.8;
/// Big blinds (Stud: big bets) that must have gone one way, net, between two players before
/// the flow is listed.
pub const FLOW_MIN_BIG_BLINDS: f64 = 50.0;
/// Heads-up rounds (`duels`) two players must have had together, and each against others,
/// before how they bet into each other counts.
pub const SOFT_MIN_ROUNDS: u64 = 10;
/// A player soft-plays another who bets into them less than this share as often as into others.
pub const SOFT_RATIO: f64 = 0.25;

/// Two accounts seen at one table from the same address (and the same browser).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SharedConnection {
    pub table_id: String,
    pub table_name: String,
    /// The two usernames, in alphabetical order.
    pub players: Vec<String>,
    /// `address`, or `address and browser` when the User-Agent matched too.
    pub shared: String,
    /// RFC 3339: when the later of the two was last seen so.
    pub seen_at: String,
}

/// Two players who sit together unusually often.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FrequentPair {
    pub players: Vec<String>,
    pub hands_together: u64,
    /// Each one's hands, in the order of `players`.
    pub hands: Vec<u64>,
    /// `hands_together` over the fewer of `hands`.
    pub share: f64,
}

/// Chips that went, net, from one player to another over the hands they played together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChipFlow {
    pub from: String,
    pub to: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "play"))]
    pub chips: Chips,
    /// Chips (paise at rupee tables) net from `from` to `to`: each losing player's loss in a hand
    /// is shared among its winners in proportion to what they won.
    pub amount: u64,
    /// The same in big blinds of the tables they played at.
    pub big_blinds: f64,
    /// Hands in which chips passed between them, either way.
    pub hands: u64,
}

/// Two players who, heads-up after the first street, hardly ever bet or raise into each other
/// while they do into everyone else.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SoftPlay {
    pub players: Vec<String>,
    /// Heads-up rounds the two had together.
    pub rounds_together: u64,
    /// How often each (in the order of `players`) bet or raised in them, 0–1.
    pub bet_rates_together: Vec<f64>,
    /// How often each bet or raised heads-up against everyone else, 0–1.
    pub bet_rates_against_others: Vec<f64>,
}

/// Heads-up rounds of one player against an opponent (or everyone else), and how many of them
/// they bet or raised in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DuelCounts {
    pub rounds: u64,
    pub aggressive: u64,
}

impl DuelCounts {
    fn rate(self) -> f64 {
        if self.rounds == 0 {
            0.0
        } else {
            self.aggressive as f64 / self.rounds as f64
        }
    }
}

/// Whether two players soft-play each other: over enough rounds each way, each bets into the
/// other less than [`SOFT_RATIO`] as often as into everyone else (a player who never bets
/// into anyone is passive, not soft). `a_b` are a's rounds against b, `a_others` a's against
/// everyone else; the rates, in that order, when they do.
pub fn soft_play(
    a_b: DuelCounts,
    b_a: DuelCounts,
    a_others: DuelCounts,
    b_others: DuelCounts,
) -> Option<[f64; 4]> {
    let enough = a_b.rounds.min(b_a.rounds) >= SOFT_MIN_ROUNDS
        && a_others.rounds >= SOFT_MIN_ROUNDS
        && b_others.rounds >= SOFT_MIN_ROUNDS;
    let soft = |together: DuelCounts, others: DuelCounts| together.rate() < SOFT_RATIO * others.rate();
    (enough && soft(a_b, a_others) && soft(b_a, b_others))
        .then(|| [a_b.rate(), b_a.rate(), a_others.rate(), b_others.rate()])
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CollusionSignals {
    pub shared_connections: Vec<SharedConnection>,
    pub frequent_pairs: Vec<FrequentPair>,
    pub chip_flows: Vec<ChipFlow>,
    #[serde(default)]
    pub soft_play: Vec<SoftPlay>,
}

/// Whether a pair's hands together make it a signal.
pub fn pair_is_frequent(together: u64, hands_a: u64, hands_b: u64) -> Option<f64> {
    let fewer = hands_a.min(hands_b);
    if together < PAIR_MIN_HANDS || fewer == 0 {
        return None;
    }
    let share = together as f64 / fewer as f64;
    (share >= PAIR_MIN_SHARE).then_some(share)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pair_counts_once_they_play_most_of_their_hands_together() {
        assert_eq!(pair_is_frequent(19, 19, 19), None, "too few hands to say");
        assert_eq!(pair_is_frequent(40, 50, 1_000), Some(0.8));
        assert_eq!(pair_is_frequent(39, 50, 1_000), None);
        assert_eq!(pair_is_frequent(30, 0, 30), None);
    }

    #[test]
    fn a_pair_soft_plays_when_both_bet_into_each_other_far_less_than_into_others() {
        let counts = |rounds, aggressive| DuelCounts { rounds, aggressive };
        // Half the rounds against others, none against each other.
        assert_eq!(
            soft_play(counts(12, 0), counts(12, 0), counts(40, 20), counts(30, 15)),
            Some([0.0, 0.0, 0.5, 0.5])
        );
        // One of them bets into the other as often as into anyone: not mutual, not listed.
        assert_eq!(soft_play(counts(12, 0), counts(12, 6), counts(40, 20), counts(30, 15)), None);
        // Passive players who bet into nobody are not soft on each other.
        assert_eq!(soft_play(counts(12, 0), counts(12, 0), counts(40, 0), counts(30, 15)), None);
        // Too few rounds to say, together or against others.
        assert_eq!(soft_play(counts(9, 0), counts(9, 0), counts(40, 20), counts(30, 15)), None);
        assert_eq!(soft_play(counts(12, 0), counts(12, 0), counts(9, 5), counts(30, 15)), None);
        // A rare bet between them still counts as soft below a quarter of the usual rate.
        assert!(soft_play(counts(20, 1), counts(20, 2), counts(40, 20), counts(30, 15)).is_some());
        assert_eq!(soft_play(counts(20, 3), counts(20, 0), counts(40, 20), counts(30, 15)), None);
    }
}
