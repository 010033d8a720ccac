//! High-hand evaluation of 5, 6 and 7 cards into the 7,462 equivalence classes (1 = royal flush,
//! 7,462 = 7-5-4-3-2 offsuit).
//!
//! How it is fast: every card maps to one `u64` ([`HandKey`]) whose low 32 bits are a per-rank key
//! chosen so that any multiset of 5 or of 7 ranks has a unique sum, and whose top 16 bits are four suit
//! counters biased by 3, so bit 3 of a counter is set exactly when that suit holds five or more cards.
//! A hand is the sum of its cards' keys plus a mask of card bits. A flush is read from a 8,192-entry
//! table indexed by the flush suit's rank bits; anything else is one lookup in a perfect hash of the
//! rank-key sum: bucket `(key ^ key >> 11) mod 2^13`, add the bucket's displacement, one table load.
//! No multiplication, no loops, no branches besides the (rare, marked cold) flush test.
//!
//! Tables: only the perfect-hash displacements (20 KiB) and the per-card keys (2.5 KiB) are in the
//! binary; the values are computed from the rules below on first use (about 10 ms natively), so the
//! bundle stays small:
//! - 7 cards: 65,536 × u16 values (128 KiB) + 8,192 × u16 displacements (16 KiB), 49,205 keys;
//! - 5 cards: 8,192 × u16 values (16 KiB) + 2,048 × u16 displacements (4 KiB), 6,175 keys;
//! - flushes: 8,192 × u16 (16 KiB); class codes for descriptions: 7,462 × u32 (29 KiB).
//!
//! Total ≈ 211 KiB of memory. Six cards take the best of the six five-card subsets.

use std::{cmp::Ordering, fmt, sync::OnceLock};

use super::cards::{Card, Rank};

mod displacements;
use displacements::{FIVE_DISP, SEVEN_DISP};

/// Per-rank keys (deuce … ace): every multiset of five, or of seven, ranks (at most four of each) has a
/// distinct sum. The largest 7-card sum is 7,825,759 < 2^23. Checked by `rank_keys_are_unique`.
const RANK_KEYS: [u32; 13] = [0, 1, 5, 22, 98, 453, 2031, 8698, 22854, 83661, 262349, 636345, 1479181];
const KEY_BITS: u32 = 23;
const _: () = assert!(4 * RANK_KEYS[12] + 3 * RANK_KEYS[11] < 1 << KEY_BITS);
/// Suit counters (bits 48..64) start at 3 so that a fifth card of one suit sets that counter's top bit.
/// The rank key is the low 32 bits, so `key as u32` extracts it for free.
const SUIT_SHIFT: u32 = 48;
const SUIT_BIAS: u64 = 0x3333 << SUIT_SHIFT;
const FLUSH_BITS: u64 = 0x8888 << SUIT_SHIFT;
/// Perfect-hash parameters (table bits, bucket bits), chosen so that building succeeds quickly.
const SEVEN_BITS: u32 = 16;
const SEVEN_BUCKET_BITS: u32 = 13;
const FIVE_BITS: u32 = 13;
const FIVE_BUCKET_BITS: u32 = 11;
/// The bucket of a rank key mixes its bits 11.. into its low bits with one shift and one xor (cheaper
/// than a multiplicative hash on the hot path; both perfect hashes build with it).
const BUCKET_SHIFT: u32 = 11;

const fn card_key(i: usize) -> u64 {
    (RANK_KEYS[i >> 2] as u64) | (1u64 << (SUIT_SHIFT + 4 * (i & 3) as u32))
}

const fn card_bit(i: usize) -> u64 {
    1u64 << ((i & 3) * 16 + (i >> 2))
}

/// Padded to 256 entries so that indexing by a `u8` needs no bounds check and no masking (indices ≥ 52
/// are never passed); 2 KiB, of which the hot path touches the first 416 bytes.
static CARD_KEYS: [u64; 256] = {
    let mut t = [0u64; 256];
    let mut i = 0;
    while i < 52 {
        t[i] = card_key(i);
        i += 1;
    }
    t
};

/// Only needed for flushes: 64 entries, indexed by `index & 63`.
static CARD_BITS: [u64; 64] = {
    let mut t = [0u64; 64];
    let mut i = 0;
    while i < 52 {
        t[i] = card_bit(i);
        i += 1;
    }
    t
};

/// Hand category, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    HighCard = 0,
    Pair = 1,
    TwoPair = 2,
    ThreeOfAKind = 3,
    Straight = 4,
    Flush = 5,
    FullHouse = 6,
    FourOfAKind = 7,
    StraightFlush = 8,
}

impl Category {
    pub const ALL: [Category; 9] = [
        Category::HighCard,
        Category::Pair,
        Category::TwoPair,
        Category::ThreeOfAKind,
        Category::Straight,
        Category::Flush,
        Category::FullHouse,
        Category::FourOfAKind,
        Category::StraightFlush,
    ];

    pub fn name(self) -> &'static str {
        [
            "High card",
            "Pair",
            "Two pair",
            "Three of a kind",
            "Straight",
            "Flush",
            "Full house",
            "Four of a kind",
            "Straight flush",
        ][self as usize]
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An equivalence class of high hands. `value()` is 1 (royal flush) to 7,462 (7-5-4-3-2 offsuit); the
/// ordering is by strength, so a stronger hand compares greater.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HandRank(u16);

impl HandRank {
    pub const WORST: u16 = 7462;

    /// From a class number in 1..=7462.
    pub fn from_value(v: u16) -> Option<HandRank> {
        (1..=Self::WORST).contains(&v).then_some(HandRank(v))
    }

    pub fn value(self) -> u16 {
        self.0
    }

    pub fn category(self) -> Category {
        // The class boundaries of the standard ordering.
        match self.0 {
            0..=10 => Category::StraightFlush,
            11..=166 => Category::FourOfAKind,
            167..=322 => Category::FullHouse,
            323..=1599 => Category::Flush,
            1600..=1609 => Category::Straight,
            1610..=2467 => Category::ThreeOfAKind,
            2468..=3325 => Category::TwoPair,
            3326..=6185 => Category::Pair,
            _ => Category::HighCard,
        }
    }

    /// A readable description: "Full house, kings over fours".
    pub fn description(self) -> String {
        let code = evaluator().codes[(Self::WORST - self.0) as usize];
        describe_code(code)
    }
}

impl Ord for HandRank {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.cmp(&self.0)
    }
}

impl PartialOrd for HandRank {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for HandRank {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.description())
    }
}

/// The additive form of a set of cards; adding a card is two operations, which makes enumerating
/// boards cheap (see the 7-card census test).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HandKey {
    key: u64,
    mask: u64,
}

impl HandKey {
    pub const EMPTY: HandKey = HandKey { key: SUIT_BIAS, mask: 0 };

    #[inline(always)]
    pub fn with(self, card: Card) -> HandKey {
        self.add_index(card.index())
    }

    #[inline(always)]
    pub fn add_index(self, i: u8) -> HandKey {
        HandKey { key: self.key + CARD_KEYS[i as usize], mask: self.mask | CARD_BITS[(i & 63) as usize] }
    }

    pub fn from_cards(cards: &[Card]) -> HandKey {
        cards.iter().fold(HandKey::EMPTY, |h, &c| h.with(c))
    }
}

/// The union of two disjoint sets of cards. With the keys of single cards computed once
/// (`HandKey::EMPTY.with(card)`), adding a card while enumerating is one add and one or, with no
/// table lookup: `hand + keys[i]`.
impl std::ops::Add for HandKey {
    type Output = HandKey;

    #[inline(always)]
    fn add(self, rhs: HandKey) -> HandKey {
        // Written so that `self.key - SUIT_BIAS` is loop-invariant when `self` is (inner loops).
        HandKey { key: (self.key - SUIT_BIAS) + rhs.key, mask: self.mask | rhs.mask }
    }
}

/// Why [`evaluate`] refused its input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvalError {
    /// Only 5, 6 or 7 cards can be ranked.
    CardCount(usize),
    DuplicateCard(Card),
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvalError::CardCount(n) => write!(f, "a hand is ranked from 5 to 7 cards, got {n}"),
            EvalError::DuplicateCard(c) => write!(f, "card {c} appears twice"),
        }
    }
}

impl std::error::Error for EvalError {}

/// The lookup tables; one per process, built on first use.
pub struct Evaluator {
    flush: Box<[u16; 8192]>,
    seven_disp: &'static [u16; 1 << SEVEN_BUCKET_BITS],
    seven: Box<[u16; 1 << SEVEN_BITS]>,
    five_disp: &'static [u16; 1 << FIVE_BUCKET_BITS],
    five: Box<[u16; 1 << FIVE_BITS]>,
    /// Strength codes of the 7,462 classes, weakest first.
    codes: Vec<u32>,
}

/// The shared tables.
pub fn evaluator() -> &'static Evaluator {
    static TABLES: OnceLock<Evaluator> = OnceLock::new();
    TABLES.get_or_init(Evaluator::build)
}

impl Evaluator {
    /// Seven cards given as indices (0..52, `rank * 4 + suit`); they must be distinct.
    #[inline(always)]
    pub fn eval7_indices(&self, c: &[u8; 7]) -> u16 {
        let k = |i: usize| CARD_KEYS[c[i] as usize];
        // The card-bit mask is only needed for the ~3% of hands that hold a flush.
        let key = SUIT_BIAS + k(0) + k(1) + k(2) + k(3) + k(4) + k(5) + k(6);
        if key & FLUSH_BITS != 0 {
            cold();
            let mask = c.iter().fold(0, |m, &i| m | CARD_BITS[(i & 63) as usize]);
            return self.eval7_key(HandKey { key, mask });
        }
        self.plain7(key as u32)
    }

    #[inline(always)]
    fn plain7(&self, k: u32) -> u16 {
        let d = self.seven_disp[bucket(k, SEVEN_BUCKET_BITS)] as usize;
        self.seven[(k as usize + d) & ((1 << SEVEN_BITS) - 1)]
    }

    /// `flush` is the key's nonzero `FLUSH_BITS` (one suit: at most seven cards).
    #[inline(always)]
    fn flush_lookup(&self, flush: u64, mask: u64) -> u16 {
        let suit = flush.trailing_zeros() / 4 - SUIT_SHIFT / 4;
        self.flush[((mask >> (16 * suit)) & 0x1fff) as usize]
    }

    /// A [`HandKey`] of exactly seven distinct cards.
    #[inline(always)]
    pub fn eval7_key(&self, h: HandKey) -> u16 {
        let flush = h.key & FLUSH_BITS;
        if flush != 0 {
            cold();
            return self.flush_lookup(flush, h.mask);
        }
        self.plain7(h.key as u32)
    }

    /// A [`HandKey`] of exactly five distinct cards.
    #[inline(always)]
    pub fn eval5_key(&self, h: HandKey) -> u16 {
        let flush = h.key & FLUSH_BITS;
        if flush != 0 {
            cold();
            return self.flush_lookup(flush, h.mask);
        }
        let k = h.key as u32;
        let d = self.five_disp[bucket(k, FIVE_BUCKET_BITS)] as usize;
        self.five[(k as usize + d) & ((1 << FIVE_BITS) - 1)]
    }

    /// Six distinct cards: a flush needs no subsets; otherwise the best of the six 5-card subsets.
    fn eval6(&self, cards: &[Card]) -> u16 {
        let all = HandKey::from_cards(cards);
        if all.key & FLUSH_BITS != 0 {
            return self.eval5_key(all);
        }
        cards
            .iter()
            .map(|c| {
                let i = c.index() as usize;
                self.eval5_key(HandKey { key: all.key - CARD_KEYS[i], mask: all.mask & !CARD_BITS[i] })
            })
            .min()
            .unwrap_or(HandRank::WORST)
    }

    fn build() -> Evaluator {
        let codes = all_class_codes();
        let rank_of = |code: u32| -> u16 {
            let idx = codes.binary_search(&code).expect("every hand maps to one of the 7,462 classes");
            HandRank::WORST - idx as u16
        };
        let mut flush = Box::new([0u16; 8192]);
        for (mask, slot) in flush.iter_mut().enumerate() {
            if (mask as u16).count_ones() >= 5 {
                *slot = rank_of(flush_code(mask as u16));
            }
        }
        let entries = |n: u8| {
            let mut out = Vec::new();
            for_each_rank_multiset(n, &mut |counts| {
                let key: u32 = counts.iter().zip(RANK_KEYS).map(|(&c, k)| c as u32 * k).sum();
                out.push((key, rank_of(plain_code(counts))));
            });
            out
        };
        let seven = fill(&entries(7), &SEVEN_DISP, SEVEN_BITS, SEVEN_BUCKET_BITS);
        let five = fill(&entries(5), &FIVE_DISP, FIVE_BITS, FIVE_BUCKET_BITS);
        Evaluator {
            flush,
            seven_disp: &SEVEN_DISP,
            seven: seven.try_into().expect("seven-card table length"),
            five_disp: &FIVE_DISP,
            five: five.try_into().expect("five-card table length"),
            codes,
        }
    }
}

/// Places every (key, value) at `(key + disp[bucket]) mod 2^bits`.
fn fill(entries: &[(u32, u16)], disp: &[u16], bits: u32, bucket_bits: u32) -> Vec<u16> {
    let mask = (1usize << bits) - 1;
    let mut values = vec![0u16; 1 << bits];
    for &(k, v) in entries {
        values[(k as usize + disp[bucket(k, bucket_bits)] as usize) & mask] = v;
    }
    values
}

/// Displacement perfect hashing: a key's bucket is `bucket(key)`; the biggest
/// buckets are placed first, each at the smallest displacement `d` for which every `(key + d) mod
/// 2^bits` of the bucket is free. `None` if some bucket cannot be placed.
#[cfg(test)]
fn build_perfect_hash(entries: &[(u32, u16)], bits: u32, bucket_bits: u32) -> Option<(Vec<u16>, Vec<u16>)> {
    let size = 1usize << bits;
    let mask = size - 1;
    let mut buckets: Vec<Vec<(u32, u16)>> = vec![Vec::new(); 1 << bucket_bits];
    for &(k, v) in entries {
        buckets[bucket(k, bucket_bits)].push((k, v));
    }
    let mut order: Vec<usize> = (0..buckets.len()).filter(|&b| !buckets[b].is_empty()).collect();
    order.sort_by_key(|&b| (std::cmp::Reverse(buckets[b].len()), b));
    let mut used = vec![false; size];
    let mut values = vec![0u16; size];
    let mut disp = vec![0u16; buckets.len()];
    for b in order {
        let bucket = &buckets[b];
        // Two keys of one bucket that share `key mod 2^bits` can never be separated.
        let mut residues: Vec<usize> = bucket.iter().map(|&(k, _)| k as usize & mask).collect();
        residues.sort_unstable();
        residues.dedup();
        if residues.len() != bucket.len() {
            return None;
        }
        let d = (0..size).find(|&d| bucket.iter().all(|&(k, _)| !used[(k as usize + d) & mask]))?;
        for &(k, v) in bucket {
            used[(k as usize + d) & mask] = true;
            values[(k as usize + d) & mask] = v;
        }
        disp[b] = d as u16;
    }
    Some((disp, values))
}

#[inline(always)]
fn bucket(key: u32, bucket_bits: u32) -> usize {
    ((key ^ (key >> BUCKET_SHIFT)) & ((1 << bucket_bits) - 1)) as usize
}

/// Calling this empty `#[cold]` function marks a branch as unlikely, so the compiler lays out the hot
/// path (no flush, about 97% of seven-card hands) as straight-line code.
#[cold]
#[inline]
fn cold() {}

/// Calls `f` with the rank counts of every multiset of `n` ranks holding at most four of a rank.
fn for_each_rank_multiset(n: u8, f: &mut dyn FnMut(&[u8; 13])) {
    fn go(rank: usize, left: u8, counts: &mut [u8; 13], f: &mut dyn FnMut(&[u8; 13])) {
        if rank == 13 {
            if left == 0 {
                f(counts);
            }
            return;
        }
        for c in 0..=left.min(4) {
            counts[rank] = c;
            go(rank + 1, left - c, counts, f);
        }
        counts[rank] = 0;
    }
    go(0, n, &mut [0; 13], f);
}

// Strength codes: category << 20, then up to five ranks, 4 bits each, most significant first. A
// bigger code is a stronger hand; the 7,462 distinct codes of five-card hands are the classes.

fn code(cat: Category, ranks: &[u8]) -> u32 {
    let mut c = (cat as u32) << 20;
    for (i, &r) in ranks.iter().take(5).enumerate() {
        c |= (r as u32) << (16 - 4 * i);
    }
    c
}

/// Highest card of the best straight in a 13-bit rank mask (the wheel counts as five high).
fn straight_high(mask: u16) -> Option<u8> {
    (4..=12u8).rev().find(|&h| mask >> (h - 4) & 0x1f == 0x1f).or((mask & 0x100f == 0x100f).then_some(3))
}

fn top_ranks(mask: u16, n: usize) -> Vec<u8> {
    (0..13u8).rev().filter(|&r| mask >> r & 1 == 1).take(n).collect()
}

/// Best hand of five or more suited cards with these rank bits.
fn flush_code(mask: u16) -> u32 {
    match straight_high(mask) {
        Some(h) => code(Category::StraightFlush, &[h]),
        None => code(Category::Flush, &top_ranks(mask, 5)),
    }
}

/// Best non-flush hand from rank counts (five to seven cards).
fn plain_code(counts: &[u8; 13]) -> u32 {
    let with = |min: u8, except: &[u8]| -> u16 {
        (0..13u8).filter(|&r| counts[r as usize] >= min && !except.contains(&r)).fold(0, |m, r| m | 1 << r)
    };
    let highest = |mask: u16| (mask != 0).then(|| 15 - mask.leading_zeros() as u8);
    let present = with(1, &[]);
    if let Some(q) = highest(with(4, &[])) {
        return code(Category::FourOfAKind, &[q, highest(with(1, &[q])).unwrap_or(0)]);
    }
    let trips = highest(with(3, &[]));
    if let Some(t) = trips {
        if let Some(p) = highest(with(2, &[t])) {
            return code(Category::FullHouse, &[t, p]);
        }
    }
    if let Some(h) = straight_high(present) {
        return code(Category::Straight, &[h]);
    }
    if let Some(t) = trips {
        let mut r = vec![t];
        r.extend(top_ranks(with(1, &[t]), 2));
        return code(Category::ThreeOfAKind, &r);
    }
    let pairs = top_ranks(with(2, &[]), 2);
    match pairs[..] {
        [a, b] => code(Category::TwoPair, &[a, b, top_ranks(with(1, &[a, b]), 1)[0]]),
        [a] => {
            let mut r = vec![a];
            r.extend(top_ranks(with(1, &[a]), 3));
            code(Category::Pair, &r)
        }
        _ => code(Category::HighCard, &top_ranks(present, 5)),
    }
}

/// The codes of all 7,462 classes, weakest first.
fn all_class_codes() -> Vec<u32> {
    let mut codes = Vec::with_capacity(7462);
    for_each_rank_multiset(5, &mut |counts| {
        codes.push(plain_code(counts));
        if counts.iter().all(|&c| c <= 1) {
            let mask = (0..13).filter(|&r| counts[r] == 1).fold(0u16, |m, r| m | 1 << r);
            codes.push(flush_code(mask));
        }
    });
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), HandRank::WORST as usize);
    codes
}

fn describe_code(code: u32) -> String {
    let cat = Category::ALL[(code >> 20) as usize];
    let r = |i: usize| Rank::new(((code >> (16 - 4 * i)) & 0xf) as u8).unwrap_or(Rank::TWO);
    match cat {
        Category::StraightFlush if r(0) == Rank::ACE => "Royal flush".to_string(),
        Category::StraightFlush => format!("Straight flush, {} high", r(0).name()),
        Category::FourOfAKind => format!("Four of a kind, {}", r(0).plural()),
        Category::FullHouse => format!("Full house, {} over {}", r(0).plural(), r(1).plural()),
        Category::Flush => format!("Flush, {} high", r(0).name()),
        Category::Straight => format!("Straight, {} high", r(0).name()),
        Category::ThreeOfAKind => format!("Three of a kind, {}", r(0).plural()),
        Category::TwoPair => format!("Two pair, {} and {}", r(0).plural(), r(1).plural()),
        Category::Pair => format!("Pair of {}", r(0).plural()),
        Category::HighCard => format!("High card, {}", r(0).name()),
    }
}

fn check_distinct(cards: &[Card]) -> Result<(), EvalError> {
    let mut seen = 0u64;
    for c in cards {
        let bit = 1u64 << c.index();
        if seen & bit != 0 {
            return Err(EvalError::DuplicateCard(*c));
        }
        seen |= bit;
    }
    Ok(())
}

/// Ranks 5, 6 or 7 distinct cards (the best five of them).
pub fn evaluate(cards: &[Card]) -> Result<HandRank, EvalError> {
    check_distinct(cards)?;
    let e = evaluator();
    let v = match cards.len() {
        5 => e.eval5_key(HandKey::from_cards(cards)),
        6 => e.eval6(cards),
        7 => e.eval7_key(HandKey::from_cards(cards)),
        n => return Err(EvalError::CardCount(n)),
    };
    Ok(HandRank(v))
}

/// Omaha: the best hand using exactly two of the hole cards (four or more) and exactly three of the
/// board cards (three to five).
pub fn evaluate_omaha(hole: &[Card], board: &[Card]) -> Result<HandRank, EvalError> {
    let all: Vec<Card> = hole.iter().chain(board).copied().collect();
    check_distinct(&all)?;
    if hole.len() < 2 || board.len() < 3 {
        return Err(EvalError::CardCount(all.len()));
    }
    let e = evaluator();
    let mut best = HandRank::WORST;
    for (i, &a) in hole.iter().enumerate() {
        for &b in &hole[i + 1..] {
            let two = HandKey::EMPTY.with(a).with(b);
            for (x, &c) in board.iter().enumerate() {
                for (y, &d) in board.iter().enumerate().skip(x + 1) {
                    for &g in &board[y + 1..] {
                        best = best.min(e.eval5_key(two.with(c).with(d).with(g)));
                    }
                }
            }
        }
    }
    Ok(HandRank(best))
}

/// Strength of a Stud player's face-up cards (one to four), used to choose who acts first: pairs,
/// two pair, trips and quads beat high cards; straights and flushes do not count. Suits never break
/// ties here. A bigger value is a stronger board.
pub fn showing_strength(up: &[Card]) -> u32 {
    let mut counts = [0u8; 13];
    for c in up {
        counts[c.rank().index() as usize] += 1;
    }
    // Groups by (count, rank), biggest first.
    let mut groups: Vec<(u8, u8)> =
        (0..13u8).filter(|&r| counts[r as usize] > 0).map(|r| (counts[r as usize], r)).collect();
    groups.sort_unstable_by(|a, b| b.cmp(a));
    let cat = match groups.first().map(|g| g.0) {
        Some(4) => Category::FourOfAKind,
        Some(3) => Category::ThreeOfAKind,
        Some(2) if groups.get(1).map(|g| g.0) == Some(2) => Category::TwoPair,
        Some(2) => Category::Pair,
        _ => Category::HighCard,
    };
    let ranks: Vec<u8> = groups.iter().map(|g| g.1).collect();
    // +1 so that an empty board (no up cards) is below every real one.
    code(cat, &ranks) + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poker::cards::parse_cards;

    fn rank(s: &str) -> HandRank {
        evaluate(&parse_cards(s).unwrap()).unwrap()
    }

    #[test]
    fn rank_keys_are_unique() {
        for n in [5u8, 7] {
            let mut sums = Vec::new();
            for_each_rank_multiset(n, &mut |c| {
                sums.push(c.iter().zip(RANK_KEYS).map(|(&c, k)| c as u32 * k).sum::<u32>())
            });
            let total = sums.len();
            sums.sort_unstable();
            sums.dedup();
            assert_eq!(sums.len(), total, "{n}-card rank sums collide");
            assert!(*sums.last().unwrap() < 1 << KEY_BITS);
        }
    }

    fn plain_entries(n: u8) -> Vec<(u32, u16)> {
        let mut out = Vec::new();
        for_each_rank_multiset(n, &mut |counts| {
            let key: u32 = counts.iter().zip(RANK_KEYS).map(|(&c, k)| c as u32 * k).sum();
            out.push((key, 0));
        });
        out
    }

    /// The shipped displacement tables are the output of `build_perfect_hash` (placement depends on
    /// the keys only). After changing a parameter, write `source_for_generation()` to
    /// `eval/displacements.rs` (bootstrapping with zero arrays of the new length).
    #[test]
    fn displacement_tables_are_the_generated_ones() {
        let (seven, _) = build_perfect_hash(&plain_entries(7), SEVEN_BITS, SEVEN_BUCKET_BITS).unwrap();
        let (five, _) = build_perfect_hash(&plain_entries(5), FIVE_BITS, FIVE_BUCKET_BITS).unwrap();
        assert_eq!(seven[..], SEVEN_DISP[..]);
        assert_eq!(five[..], FIVE_DISP[..]);
        let source = source_for_generation();
        assert!(
            source == include_str!("eval/displacements.rs"),
            "write source_for_generation() to src/poker/eval/displacements.rs"
        );
    }

    fn source_for_generation() -> String {
        let table = |name: &str, v: &[u16]| {
            let mut s = format!("pub(super) static {name}: [u16; {}] = [\n", v.len());
            for row in v.chunks(16) {
                s += "    ";
                s += &row.iter().map(|x| format!("{x},")).collect::<Vec<_>>().join(" ");
                s += "\n";
            }
            s + "];\n"
        };
        let (seven, _) = build_perfect_hash(&plain_entries(7), SEVEN_BITS, SEVEN_BUCKET_BITS).unwrap();
        let (five, _) = build_perfect_hash(&plain_entries(5), FIVE_BITS, FIVE_BUCKET_BITS).unwrap();
        format!(
            "//! Displacements of the evaluator's perfect hashes, generated by `build_perfect_hash` (see the\n\
             //! test `displacement_tables_are_the_generated_ones`): 20 KiB in the binary, which saves the\n\
             //! search (tens of milliseconds) at start-up.\n\n#[rustfmt::skip]\n{}\n#[rustfmt::skip]\n{}",
            table("SEVEN_DISP", &seven),
            table("FIVE_DISP", &five)
        )
    }

    #[test]
    fn extremes_and_descriptions() {
        assert_eq!(rank("As Ks Qs Js Ts").value(), 1);
        assert_eq!(rank("As Ks Qs Js Ts").description(), "Royal flush");
        assert_eq!(rank("7c 5d 4h 3s 2c").value(), 7462);
        assert_eq!(rank("5s 4s 3s 2s As").value(), 10);
        assert_eq!(rank("Kc Kd Ks 4h 4c 2d 9s").description(), "Full house, kings over fours");
        assert_eq!(rank("Kc Kd Ks 4h 4c 4d 9s").description(), "Full house, kings over fours");
        assert_eq!(rank("Ah 2d 3c 4s 5h").description(), "Straight, five high");
        assert_eq!(rank("9h 9d 3c 3s 5h Kd").description(), "Two pair, nines and threes");
        assert_eq!(rank("Ah Kh 2h 7h 9h").category(), Category::Flush);
        assert_eq!(rank("2c 2d 2h 2s 3c 3d 3h").description(), "Four of a kind, deuces");
    }

    #[test]
    fn adding_keys_is_the_union_of_the_cards() {
        let cards = parse_cards("Ah Kd 9c 9s 4h 3d 2c").unwrap();
        let singles: Vec<HandKey> = cards.iter().map(|&c| HandKey::EMPTY.with(c)).collect();
        let sum = singles.iter().fold(HandKey::EMPTY, |h, &k| h + k);
        assert_eq!(sum, HandKey::from_cards(&cards));
        assert_eq!(HandKey::from_cards(&cards[..3]) + HandKey::from_cards(&cards[3..]), sum);
    }

    #[test]
    fn more_cards_never_make_a_hand_worse() {
        let cards = parse_cards("Ah Kd 9c 9s 4h 3d 2c").unwrap();
        assert!(evaluate(&cards[..6]).unwrap() >= evaluate(&cards[..5]).unwrap());
        assert!(evaluate(&cards).unwrap() >= evaluate(&cards[..6]).unwrap());
    }

    #[test]
    fn bad_input_is_refused() {
        assert_eq!(evaluate(&parse_cards("As Ks").unwrap()), Err(EvalError::CardCount(2)));
        let c: Card = "As".parse().unwrap();
        assert_eq!(evaluate(&[c, c, c, c, c]), Err(EvalError::DuplicateCard(c)));
    }

    #[test]
    fn omaha_uses_exactly_two_hole_cards() {
        // Four hearts in hand and one on board is not a flush in Omaha.
        let hole = parse_cards("Ah Kh Qh Jh").unwrap();
        let board = parse_cards("2h 7c 8d 9s 3c").unwrap();
        assert_eq!(evaluate_omaha(&hole, &board).unwrap().category(), Category::HighCard);
        // Board quads: only one of them plays with two hole cards and three board cards.
        let board = parse_cards("9h 9c 9d 9s 3c").unwrap();
        assert_eq!(
            evaluate_omaha(&parse_cards("Ac Kd 2s 5d").unwrap(), &board).unwrap().category(),
            Category::ThreeOfAKind
        );
    }

    #[test]
    fn showing_strength_orders_stud_boards() {
        let s = |x: &str| showing_strength(&parse_cards(x).unwrap());
        assert!(s("2c 2d") > s("As Ks"));
        assert!(s("3c 3d 2h") > s("2c 2d Ah"));
        assert!(s("Ac Kd") > s("Ah Qd"));
        assert_eq!(s("Ac Kd"), s("Ad Kc"));
    }
}
