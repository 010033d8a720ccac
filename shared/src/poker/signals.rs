//! Collusion signals for the people who watch the tables (`GET /api/poker/admin/signals`): two
//! accounts at one table from one address and browser, pairs who sit together far more than
//! apart, and chips that flow one way between two players (chip dumping). Signals, not verdicts:
//! each names the players and the figures behind it for a person to look into.

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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CollusionSignals {
    pub shared_connections: Vec<SharedConnection>,
    pub frequent_pairs: Vec<FrequentPair>,
    pub chip_flows: Vec<ChipFlow>,
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

/// Whether `usernames` (the `POKER_ADMINS` setting: usernames separated by commas or spaces)
/// names `username`; usernames are compared in lower case, as they are stored.
pub fn is_admin(admins: &str, username: &str) -> bool {
    let me = username.to_ascii_lowercase();
    admins.split([',', ' ']).map(str::trim).any(|a| !a.is_empty() && a.to_ascii_lowercase() == me)
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
    fn admins_are_named_in_a_setting() {
        assert!(is_admin("ann, bob", "Bob"));
        assert!(is_admin("ann bob", "ann"));
        assert!(!is_admin("", "ann"));
        assert!(!is_admin("ann,", ""));
        assert!(!is_admin("annie", "ann"));
    }
}
