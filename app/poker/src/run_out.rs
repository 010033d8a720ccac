//! A hand's run-out as the table shows it: when the betting ended with hands all in and board
//! cards still to come (`HandEnded::run_out_from`), the board is dealt a street at a time and each
//! shown hand's chance to win is written on its seat, worked out here in the browser by exact
//! enumeration (`shared::poker::equity`). The table page and the replayer both use it.

use shared::poker::{cards::Card, equity::equities, game::Variant, wire::HandEnded};

/// One street of a run-out: the board so far and each seat's equity on it (none for Omaha
/// before the flop: over a million boards times sixty ways to play each hand is too slow here).
#[derive(Clone, Debug, PartialEq)]
pub struct RunOut {
    pub hand: u64,
    pub board_len: usize,
    pub equity: Vec<(u8, f64)>,
}

/// The board lengths a run-out is shown at, from the one the betting ended on; the full board is
/// the result, drawn as any other.
fn lengths(from: usize, full: usize) -> Vec<usize> {
    std::iter::once(from)
        .chain([3, 4].into_iter().filter(|&len| len > from))
        .filter(|&len| len < full)
        .collect()
}

/// Every street of `ended`'s run-out, in order; none when nothing was run out.
pub fn streets(ended: &HandEnded) -> Vec<RunOut> {
    let Some(from) = ended.run_out_from else { return Vec::new() };
    let variant = ended.stakes.variant;
    let hands: Vec<Vec<Card>> = ended.shown.iter().map(|s| s.cards.clone()).collect();
    lengths(usize::from(from), ended.board.len())
        .into_iter()
        .map(|len| {
            let slow = variant == Variant::Plo && len < 3;
            let equity = if slow {
                Vec::new()
            } else {
                equities(variant, &hands, &ended.board[..len], &[])
                    .map(|e| ended.shown.iter().map(|s| s.seat).zip(e.shares).collect())
                    .unwrap_or_default()
            };
            RunOut { hand: ended.hand, board_len: len, equity }
        })
        .collect()
}

/// "ann 81.3% · bob 18.7%".
pub fn summary(ended: &HandEnded, run_out: &RunOut) -> String {
    run_out
        .equity
        .iter()
        .map(|(seat, share)| {
            let name = ended.shown.iter().find(|s| s.seat == *seat).map_or("", |s| s.username.as_str());
            format!("{name} {}", percent(*share))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// A share as a seat shows it: `81.3%`.
pub fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_out_is_shown_at_each_street_before_the_river() {
        assert_eq!(lengths(0, 5), vec![0, 3, 4]);
        assert_eq!(lengths(3, 5), vec![3, 4]);
        assert_eq!(lengths(4, 5), vec![4]);
        assert!(lengths(5, 5).is_empty());
    }
}
