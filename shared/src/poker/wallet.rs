//! Chips: play chips for everyone, topped up once a day, and rupees (`super::money`, through
//! Pay). A top-up counts the play chips a person has at tables too: it brings what they have in
//! all up to `PLAY_TOP_UP`, so buying in everywhere and waiting a day makes nothing.

use super::money::{DepositView, WithdrawalView};
use serde::{Deserialize, Serialize};

/// A daily top-up brings a person's play chips, in the wallet and at tables, up to this (it never
/// takes any away).
pub const PLAY_TOP_UP: u64 = 100_000;
/// How often play chips are topped up.
pub const TOP_UP_EVERY_MS: i64 = 24 * 3_600_000;

/// `GET /api/poker/wallet`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WalletView {
    /// Play chips off the tables.
    pub play_chips: u64,
    /// Play chips on the person's seats.
    pub at_tables: u64,
    /// Rupees off the tables, in paise.
    pub inr_paise: u64,
    /// Rupees on the person's seats at rupee tables, in paise.
    pub inr_at_tables: u64,
    /// The latest deposits and withdrawals, newest first (20 of each at most).
    pub deposits: Vec<DepositView>,
    pub withdrawals: Vec<WithdrawalView>,
    /// When the next top-up is due (RFC 3339); none when the chips in all are at `PLAY_TOP_UP`
    /// or above.
    pub next_top_up_at: Option<String>,
}

/// The wallet's play chips after a top-up due at `now_ms` (the last at `topped_up_at`, if ever),
/// with `at_tables` chips on seats; none when no top-up is due (too soon, or already at the
/// top-up's level in all). The worker's SQL applies the same rule in one statement.
pub fn top_up(play_chips: u64, at_tables: u64, topped_up_at: Option<i64>, now_ms: i64) -> Option<u64> {
    let due = topped_up_at.is_none_or(|at| now_ms - at >= TOP_UP_EVERY_MS);
    (due && play_chips + at_tables < PLAY_TOP_UP).then(|| PLAY_TOP_UP - at_tables)
}

/// When the next top-up comes, if the chips in all are below its level.
pub fn next_top_up(play_chips: u64, at_tables: u64, topped_up_at: Option<i64>) -> Option<i64> {
    if play_chips + at_tables >= PLAY_TOP_UP {
        return None;
    }
    Some(topped_up_at.map_or(0, |at| at + TOP_UP_EVERY_MS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn play_chips_are_topped_up_once_a_day_and_never_taken_away() {
        assert_eq!(top_up(0, 0, None, 5), Some(PLAY_TOP_UP), "the first visit");
        assert_eq!(top_up(40, 0, Some(0), TOP_UP_EVERY_MS - 1), None, "not yet");
        assert_eq!(top_up(40, 0, Some(0), TOP_UP_EVERY_MS), Some(PLAY_TOP_UP));
        assert_eq!(top_up(250_000, 0, Some(0), 10 * TOP_UP_EVERY_MS), None, "a winner keeps it all");
        assert_eq!(next_top_up(40, 0, Some(7)), Some(7 + TOP_UP_EVERY_MS));
        assert_eq!(next_top_up(PLAY_TOP_UP, 0, Some(7)), None);
    }

    #[test]
    fn chips_at_tables_count_so_buying_in_everywhere_makes_nothing() {
        let day = TOP_UP_EVERY_MS;
        assert_eq!(top_up(0, PLAY_TOP_UP, Some(0), day), None, "all of it at a table");
        assert_eq!(top_up(500, 20_000, Some(0), day), Some(PLAY_TOP_UP - 20_000));
        assert_eq!(next_top_up(0, PLAY_TOP_UP, Some(0)), None);
        assert_eq!(next_top_up(500, 20_000, Some(0)), Some(day));
    }
}
