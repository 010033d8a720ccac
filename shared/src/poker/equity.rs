//! All-in equity by exact enumeration, for Hold'em and Omaha: each hand's share of the pot over
//! every way the rest of the board can come, ties split, given the board so far and the cards known
//! to be out (folded hands shown, burned nowhere: the engine deals without burns). The table page
//! shows it when players are all in, and the odds calculator runs the same code.

use super::{
    cards::Card,
    eval::{evaluate, evaluate_omaha, HandRank},
    game::Variant,
};
use std::fmt;

/// Why equity cannot be worked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EquityError {
    /// Stud has no shared board to run out.
    NotABoardGame,
    /// Fewer than two hands, or a hand with the wrong number of cards (2 in Hold'em, 4 in Omaha).
    Hands,
    /// More than five board cards.
    Board,
    /// A card given twice.
    Duplicate(Card),
}

impl fmt::Display for EquityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EquityError::NotABoardGame => write!(f, "equity is worked out for Hold'em and Omaha"),
            EquityError::Hands => write!(f, "give two or more hands of 2 cards (Hold'em) or 4 (Omaha)"),
            EquityError::Board => write!(f, "a board has at most five cards"),
            EquityError::Duplicate(card) => write!(f, "card {card} is given twice"),
        }
    }
}

impl std::error::Error for EquityError {}

/// Each hand's equity (0–1, summing to 1) and how many run-outs were counted.
#[derive(Debug, Clone, PartialEq)]
pub struct Equities {
    pub shares: Vec<f64>,
    pub boards: u64,
}

fn rank(variant: Variant, hole: &[Card], board: &[Card]) -> Option<HandRank> {
    match variant {
        Variant::Plo => evaluate_omaha(hole, board).ok(),
        _ => {
            let mut seven = [board[0]; 9];
            seven[..hole.len()].copy_from_slice(hole);
            seven[hole.len()..hole.len() + board.len()].copy_from_slice(board);
            evaluate(&seven[..hole.len() + board.len()]).ok()
        }
    }
}

/// Exact equities of `hands` on `board`, with `dead` cards out of the deck.
pub fn equities(
    variant: Variant,
    hands: &[Vec<Card>],
    board: &[Card],
    dead: &[Card],
) -> Result<Equities, EquityError> {
    let hole_cards = match variant {
        Variant::Nlhe => 2,
        Variant::Plo => 4,
        Variant::Stud => return Err(EquityError::NotABoardGame),
    };
    if hands.len() < 2 || hands.iter().any(|h| h.len() != hole_cards) {
        return Err(EquityError::Hands);
    }
    if board.len() > 5 {
        return Err(EquityError::Board);
    }
    let mut used = 0u64;
    for &card in hands.iter().flatten().chain(board).chain(dead) {
        let bit = 1u64 << card.index();
        if used & bit != 0 {
            return Err(EquityError::Duplicate(card));
        }
        used |= bit;
    }
    let rest: Vec<Card> = Card::deck().into_iter().filter(|c| used & (1u64 << c.index()) == 0).collect();
    let missing = 5 - board.len();
    let mut shares = vec![0.0; hands.len()];
    let mut boards = 0u64;
    let mut full = [board.first().copied().unwrap_or(rest[0]); 5];
    full[..board.len()].copy_from_slice(board);
    let mut ranks = vec![None; hands.len()];
    // Every combination of `missing` cards from `rest`, as increasing indices.
    let mut picks: Vec<usize> = (0..missing).collect();
    loop {
        if missing > rest.len() {
            break;
        }
        for (slot, &i) in picks.iter().enumerate() {
            full[board.len() + slot] = rest[i];
        }
        for (h, hand) in hands.iter().enumerate() {
            ranks[h] = rank(variant, hand, &full);
        }
        let best = ranks.iter().flatten().max().copied();
        let winners = ranks.iter().filter(|r| r.is_some() && **r == best).count();
        if winners > 0 {
            for (h, r) in ranks.iter().enumerate() {
                if r.is_some() && *r == best {
                    shares[h] += 1.0 / winners as f64;
                }
            }
        }
        boards += 1;
        // The next combination: the rightmost index that can move, moves; those after it follow.
        let Some(k) = (0..missing).rev().find(|&k| picks[k] < rest.len() - missing + k) else { break };
        picks[k] += 1;
        for j in k + 1..missing {
            picks[j] = picks[j - 1] + 1;
        }
    }
    for share in &mut shares {
        *share /= boards.max(1) as f64;
    }
    Ok(Equities { shares, boards })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poker::cards::parse_cards;

    fn cards(s: &str) -> Vec<Card> {
        parse_cards(s).unwrap()
    }

    #[test]
    fn aces_against_kings_preflop_counts_every_board() {
        // All 1,712,304 boards: 81.26% for the aces (PokerKit's calculate_equities, 40,000 random boards: 81.57% ± 0.2%).
        let e = equities(Variant::Nlhe, &[cards("AsAh"), cards("KdKc")], &[], &[]).unwrap();
        assert_eq!(e.boards, 1_712_304);
        assert!((e.shares[0] - 0.8126).abs() < 0.0001, "{:?}", e.shares);
        assert!((e.shares.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn on_the_turn_the_river_decides_and_outs_are_counted() {
        // A flush draw against a set on the turn: of the 9 hearts left the queen makes quads and the nine a full house,
        // so 7 of the 44 rivers win.
        let e = equities(Variant::Nlhe, &[cards("AhKh"), cards("QsQd")], &cards("2h7hQc9s"), &[]).unwrap();
        assert_eq!(e.boards, 44);
        assert!((e.shares[0] - 7.0 / 44.0).abs() < 1e-9, "{:?}", e.shares);
        // A dead heart (shown by a folded player) leaves 6 outs of 43.
        let e = equities(Variant::Nlhe, &[cards("AhKh"), cards("QsQd")], &cards("2h7hQc9s"), &cards("3h"))
            .unwrap();
        assert!((e.shares[0] - 6.0 / 43.0).abs() < 1e-9, "{:?}", e.shares);
    }

    #[test]
    fn a_complete_board_splits_a_tie_and_omaha_uses_two_hole_cards() {
        let e = equities(Variant::Nlhe, &[cards("2c3d"), cards("2h3s")], &cards("AsKsQsJsTs"), &[]).unwrap();
        assert_eq!((e.boards, e.shares.clone()), (1, vec![0.5, 0.5]));
        // Four spades in hand and a board of three spades: Omaha's flush needs two from the hand.
        let e = equities(Variant::Plo, &[cards("As2s3d4c"), cards("KhKd7c8c")], &cards("Ks9s5s6h2h"), &[])
            .unwrap();
        assert_eq!(e.shares, vec![1.0, 0.0]);
    }

    #[test]
    fn bad_input_is_named() {
        assert_eq!(equities(Variant::Stud, &[], &[], &[]), Err(EquityError::NotABoardGame));
        assert_eq!(equities(Variant::Nlhe, &[cards("AsAh")], &[], &[]), Err(EquityError::Hands));
        assert_eq!(
            equities(Variant::Plo, &[cards("AsAh"), cards("KsKh")], &[], &[]),
            Err(EquityError::Hands)
        );
        assert_eq!(
            equities(Variant::Nlhe, &[cards("AsAh"), cards("AsKh")], &[], &[]),
            Err(EquityError::Duplicate(cards("As")[0]))
        );
        assert_eq!(
            equities(Variant::Nlhe, &[cards("AsAh"), cards("KsKh")], &cards("2c3c4c5c6c7c"), &[]),
            Err(EquityError::Board)
        );
    }
}
