//! Cards in the standard two-character notation (`As`, `Td`, `9c`).

use std::{fmt, str::FromStr};

/// Card rank, deuce (0) to ace (12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rank(u8);

/// Card suit. The order (clubs < diamonds < hearts < spades) is the one Stud uses to break ties for
/// the bring-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Suit {
    Clubs = 0,
    Diamonds = 1,
    Hearts = 2,
    Spades = 3,
}

/// A playing card, stored as `rank * 4 + suit` (0..52) so that it indexes tables directly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Card(u8);

const RANK_CHARS: &[u8; 13] = b"23456789TJQKA";
const SUIT_CHARS: &[u8; 4] = b"cdhs";

impl Rank {
    pub const TWO: Rank = Rank(0);
    pub const FIVE: Rank = Rank(3);
    pub const TEN: Rank = Rank(8);
    pub const ACE: Rank = Rank(12);

    /// All thirteen ranks, deuce first.
    pub fn all() -> impl Iterator<Item = Rank> {
        (0..13).map(Rank)
    }

    /// `index` in 0..13 (deuce = 0).
    pub fn new(index: u8) -> Option<Rank> {
        (index < 13).then_some(Rank(index))
    }

    pub fn index(self) -> u8 {
        self.0
    }

    pub fn to_char(self) -> char {
        RANK_CHARS[self.0 as usize] as char
    }

    pub fn from_char(c: char) -> Option<Rank> {
        let c = c.to_ascii_uppercase() as u8;
        RANK_CHARS.iter().position(|&r| r == c).map(|i| Rank(i as u8))
    }

    /// English name, singular ("king") and plural ("sixes").
    pub fn name(self) -> &'static str {
        [
            "deuce", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "jack", "queen",
            "king", "ace",
        ][self.0 as usize]
    }

    pub fn plural(self) -> &'static str {
        [
            "deuces", "threes", "fours", "fives", "sixes", "sevens", "eights", "nines", "tens", "jacks",
            "queens", "kings", "aces",
        ][self.0 as usize]
    }
}

impl Suit {
    pub const ALL: [Suit; 4] = [Suit::Clubs, Suit::Diamonds, Suit::Hearts, Suit::Spades];

    pub fn index(self) -> u8 {
        self as u8
    }

    pub fn to_char(self) -> char {
        SUIT_CHARS[self as usize] as char
    }

    pub fn from_char(c: char) -> Option<Suit> {
        let c = c.to_ascii_lowercase() as u8;
        SUIT_CHARS.iter().position(|&s| s == c).map(|i| Suit::ALL[i])
    }
}

impl Card {
    pub fn new(rank: Rank, suit: Suit) -> Card {
        Card(rank.0 * 4 + suit as u8)
    }

    /// The card with index `i` in 0..52 (`rank * 4 + suit`).
    pub fn from_index(i: u8) -> Option<Card> {
        (i < 52).then_some(Card(i))
    }

    pub fn index(self) -> u8 {
        self.0
    }

    pub fn rank(self) -> Rank {
        Rank(self.0 >> 2)
    }

    pub fn suit(self) -> Suit {
        Suit::ALL[(self.0 & 3) as usize]
    }

    /// The 52 cards in a fixed order (2c 2d 2h 2s 3c … As): the input of the shuffle.
    pub fn deck() -> Vec<Card> {
        (0..52).map(Card).collect()
    }
}

/// Why a card string was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseCardError {
    /// Not two characters.
    Length(String),
    BadRank(char),
    BadSuit(char),
    /// A card listed twice where cards must be distinct.
    Duplicate(Card),
}

impl fmt::Display for ParseCardError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseCardError::Length(s) => write!(f, "a card is two characters like As or Td, got {s:?}"),
            ParseCardError::BadRank(c) => write!(f, "unknown rank {c:?}: use 2-9, T, J, Q, K or A"),
            ParseCardError::BadSuit(c) => write!(f, "unknown suit {c:?}: use c, d, h or s"),
            ParseCardError::Duplicate(c) => write!(f, "card {c} appears twice"),
        }
    }
}

impl std::error::Error for ParseCardError {}

impl FromStr for Card {
    type Err = ParseCardError;

    fn from_str(s: &str) -> Result<Card, ParseCardError> {
        let mut chars = s.chars();
        let (Some(r), Some(su), None) = (chars.next(), chars.next(), chars.next()) else {
            return Err(ParseCardError::Length(s.to_string()));
        };
        let rank = Rank::from_char(r).ok_or(ParseCardError::BadRank(r))?;
        let suit = Suit::from_char(su).ok_or(ParseCardError::BadSuit(su))?;
        Ok(Card::new(rank, suit))
    }
}

impl fmt::Display for Card {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.rank().to_char(), self.suit().to_char())
    }
}

impl fmt::Display for Rank {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_char())
    }
}

impl fmt::Display for Suit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_char())
    }
}

impl serde::Serialize for Card {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Card {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Card, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Parses cards separated by whitespace ("As Kd 7c") or run together ("AsKd7c"), refusing duplicates.
pub fn parse_cards(s: &str) -> Result<Vec<Card>, ParseCardError> {
    let compact: String = s.chars().filter(|c| !c.is_whitespace() && *c != ',').collect();
    if compact.len() % 2 != 0 || !compact.is_ascii() {
        return Err(ParseCardError::Length(s.trim().to_string()));
    }
    let mut out: Vec<Card> = Vec::with_capacity(compact.len() / 2);
    for i in (0..compact.len()).step_by(2) {
        let card: Card = compact[i..i + 2].parse()?;
        if out.contains(&card) {
            return Err(ParseCardError::Duplicate(card));
        }
        out.push(card);
    }
    Ok(out)
}

/// Formats cards run together ("AsKd7c"), the PHH form.
pub fn format_compact(cards: &[Card]) -> String {
    cards.iter().map(|c| c.to_string()).collect()
}

/// Formats cards separated by spaces ("As Kd 7c"), the PokerStars form.
pub fn format_spaced(cards: &[Card]) -> String {
    cards.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_card_round_trips_through_text() {
        for c in Card::deck() {
            assert_eq!(c.to_string().parse::<Card>().unwrap(), c);
        }
        assert_eq!("Td".parse::<Card>().unwrap().to_string(), "Td");
        assert_eq!("as".parse::<Card>().unwrap().to_string(), "As");
    }

    #[test]
    fn bad_cards_are_refused_with_the_reason() {
        assert_eq!("1s".parse::<Card>(), Err(ParseCardError::BadRank('1')));
        assert_eq!("Ax".parse::<Card>(), Err(ParseCardError::BadSuit('x')));
        assert!(matches!("Asd".parse::<Card>(), Err(ParseCardError::Length(_))));
        assert!(matches!(parse_cards("As As"), Err(ParseCardError::Duplicate(_))));
        assert_eq!(parse_cards("AsKd 7c").unwrap().len(), 3);
    }

    #[test]
    fn cards_serialize_as_strings() {
        let c: Card = "9c".parse().unwrap();
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"9c\"");
        assert_eq!(serde_json::from_str::<Card>("\"9c\"").unwrap(), c);
    }
}
