//! Sit-and-go tournaments: a table that starts when its last seat is taken, deals everyone the
//! same starting chips, raises the stakes every level, and pays the top places from the entries.
//!
//! The entry leaves the wallet when a player registers (sits) and comes back if they unregister
//! before the start; tournament chips are worth nothing outside the table. A player who busts is
//! placed at once, and paid at once if the place pays, so the prize pool is always the entries
//! less the prizes paid so far.

use super::{
    game::{GameConfig, Variant},
    money::Chips,
    table::{unit, MAX_UNIT},
    wallet::PLAY_TOP_UP,
};
use crate::ApiError;
use serde::{Deserialize, Serialize};

/// Minutes a level lasts: bounds and default.
pub const MIN_LEVEL_MINUTES: u32 = 1;
pub const MAX_LEVEL_MINUTES: u32 = 60;
pub const DEFAULT_LEVEL_MINUTES: u32 = 5;
/// Starting chips, in big blinds (Stud: big bets) of the first level.
pub const MIN_STARTING_UNITS: u64 = 10;
pub const MAX_STARTING_UNITS: u64 = 1_000;
/// A rupee entry's bounds, in paise (₹1 to ₹50,000).
pub const MIN_INR_ENTRY: u64 = 100;
pub const MAX_INR_ENTRY: u64 = 5_000_000;

/// Each level's stakes in halves of the first level's: 1×, 1.5×, 2×, 3×, 4×, 6×, … Past the
/// last the stakes double every level, so that every tournament ends.
const LEVEL_HALVES: [u64; 16] = [2, 3, 4, 6, 8, 12, 16, 20, 30, 40, 60, 80, 120, 160, 200, 300];

/// `sit_and_go` of `POST /api/poker/tables`: the table's stakes are the first level's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewSitAndGo {
    /// What each player pays in (play chips, or paise at a rupee table); the prizes share them all.
    pub entry: u64,
    /// The tournament chips everyone starts with: 10–1000 big blinds (Stud: big bets).
    pub starting_chips: u64,
    /// How long each level lasts, 1–60 minutes (default 5).
    #[serde(default)]
    pub level_minutes: Option<u32>,
}

/// A sit-and-go's rules once checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SitAndGoRules {
    pub entry: u64,
    pub starting_chips: u64,
    pub level_minutes: u32,
}

impl NewSitAndGo {
    /// The rules, or the first field that breaks one (named `sit_and_go.…`). Every seat's
    /// starting chips together stay within the largest blind, so that rising blinds end it.
    pub fn check(&self, stakes: &GameConfig, chips: Chips, seats: u8) -> Result<SitAndGoRules, ApiError> {
        let (least, most) = match chips {
            Chips::Play => (1, PLAY_TOP_UP),
            Chips::Inr => (MIN_INR_ENTRY, MAX_INR_ENTRY),
        };
        if !(least..=most).contains(&self.entry) {
            return Err(ApiError::invalid(
                "sit_and_go.entry",
                format!("An entry is {} to {}.", chips.amount(least), chips.amount(most)),
            ));
        }
        let unit = unit(stakes);
        let (fewest, largest) = (MIN_STARTING_UNITS * unit, MAX_STARTING_UNITS * unit);
        if !(fewest..=largest).contains(&self.starting_chips) {
            let units = if stakes.variant == Variant::Stud { "big bets" } else { "big blinds" };
            return Err(ApiError::invalid(
                "sit_and_go.starting_chips",
                format!(
                    "Players start with {MIN_STARTING_UNITS}–{MAX_STARTING_UNITS} {units} of the first \
                     level ({fewest}–{largest} chips)."
                ),
            ));
        }
        if self.starting_chips.saturating_mul(u64::from(seats)) > MAX_UNIT {
            return Err(ApiError::invalid(
                "sit_and_go.starting_chips",
                format!("Every seat's starting chips together are at most {MAX_UNIT}."),
            ));
        }
        let level_minutes = self.level_minutes.unwrap_or(DEFAULT_LEVEL_MINUTES);
        if !(MIN_LEVEL_MINUTES..=MAX_LEVEL_MINUTES).contains(&level_minutes) {
            return Err(ApiError::invalid(
                "sit_and_go.level_minutes",
                format!("A level lasts {MIN_LEVEL_MINUTES}–{MAX_LEVEL_MINUTES} minutes."),
            ));
        }
        Ok(SitAndGoRules { entry: self.entry, starting_chips: self.starting_chips, level_minutes })
    }
}

impl SitAndGoRules {
    fn level_ms(&self) -> i64 {
        i64::from(self.level_minutes) * 60_000
    }

    /// The level (0 for the first) a tournament that started at `started_ms` is at.
    pub fn level_at(&self, started_ms: i64, now_ms: i64) -> u32 {
        u32::try_from((now_ms - started_ms).max(0) / self.level_ms()).unwrap_or(u32::MAX)
    }

    /// When level `level` starts.
    pub fn level_starts_ms(&self, started_ms: i64, level: u32) -> i64 {
        started_ms.saturating_add(i64::from(level).saturating_mul(self.level_ms()))
    }
}

/// The stakes of level `level` (0 for the first, whose stakes are `first`): every blind, ante and
/// bet scaled alike, rounded up, so their order (ante ≤ bring-in ≤ small bet ≤ big bet) holds.
pub fn stakes_at(first: &GameConfig, level: u32) -> GameConfig {
    let last = LEVEL_HALVES.len() - 1;
    let index = usize::try_from(level).unwrap_or(usize::MAX);
    let halves = match index.checked_sub(last) {
        None | Some(0) => LEVEL_HALVES[index.min(last)],
        Some(extra) => {
            LEVEL_HALVES[last].saturating_mul(1u64.checked_shl(extra.min(63) as u32).unwrap_or(u64::MAX))
        }
    };
    let scale = |x: u64| x.saturating_mul(halves).div_ceil(2).min(MAX_UNIT);
    GameConfig {
        variant: first.variant,
        ante: scale(first.ante),
        small_blind: scale(first.small_blind),
        big_blind: scale(first.big_blind),
        bring_in: scale(first.bring_in),
        small_bet: scale(first.small_bet),
        big_bet: scale(first.big_bet),
    }
}

/// The share of the pool each paid place takes, in percent: winner takes all with 2–3 players,
/// 65/35 with 4–6, 50/30/20 with 7–9.
pub fn payout_percents(entrants: u8) -> &'static [u64] {
    match entrants {
        0..=3 => &[100],
        4..=6 => &[65, 35],
        _ => &[50, 30, 20],
    }
}

/// What each paid place wins of `pool` (first place first); what rounding leaves goes to the winner.
pub fn prizes(entrants: u8, pool: u64) -> Vec<u64> {
    let mut prizes: Vec<u64> = payout_percents(entrants)
        .iter()
        .map(|&p| u64::try_from(u128::from(pool) * u128::from(p) / 100).unwrap_or(0))
        .collect();
    let paid: u64 = prizes.iter().sum();
    if let Some(first) = prizes.first_mut() {
        *first += pool - paid;
    }
    prizes
}

/// One player's finish.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placed {
    pub user_id: String,
    pub username: String,
    /// 1 for the winner; players who bust in one hand with the same chips share the better place.
    pub place: u8,
    /// What the place paid (play chips, or paise), 0 outside the money.
    pub prize: u64,
}

/// A finish as everyone may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Finish {
    pub username: String,
    /// 1 for the winner; players who bust in one hand with the same chips share the better place.
    pub place: u8,
    /// What the place paid (play chips, or paise), 0 outside the money.
    pub prize: u64,
}

impl Placed {
    pub fn view(&self) -> Finish {
        Finish { username: self.username.clone(), place: self.place, prize: self.prize }
    }
}

/// A player out of chips at the end of a hand: who, and the chips they started it with.
pub struct Busted {
    pub user_id: String,
    pub username: String,
    pub chips_before: u64,
}

/// Places the players who busted in one hand, with `still_in` players left holding chips:
/// they take places `still_in + 1` onward, the one who started the hand with more chips the
/// better place; players who started it with the same chips share those places and their
/// prizes (what does not divide goes to the first of them, in the order given). `prizes` are
/// the paid places' prizes, first place first.
pub fn place_busted(mut busted: Vec<Busted>, still_in: usize, prizes: &[u64]) -> Vec<Placed> {
    // Stable: among equals, the order given (seat order) decides who gets an odd chip.
    busted.sort_by_key(|b| std::cmp::Reverse(b.chips_before));
    let prize_of = |place: usize| prizes.get(place - 1).copied().unwrap_or(0);
    let mut placed = Vec::with_capacity(busted.len());
    let mut next = still_in + 1;
    let mut group_start = 0;
    while group_start < busted.len() {
        let chips = busted[group_start].chips_before;
        let group_end = busted[group_start..]
            .iter()
            .position(|b| b.chips_before != chips)
            .map_or(busted.len(), |n| group_start + n);
        let size = group_end - group_start;
        let pot: u64 = (next..next + size).map(prize_of).sum();
        let share = pot / size as u64;
        let mut odd = pot - share * size as u64;
        for b in &busted[group_start..group_end] {
            let extra = u64::from(odd > 0);
            odd -= extra;
            placed.push(Placed {
                user_id: b.user_id.clone(),
                username: b.username.clone(),
                place: u8::try_from(next).unwrap_or(u8::MAX),
                prize: share + extra,
            });
        }
        next += size;
        group_start = group_end;
    }
    placed
}

/// Where a sit-and-go is: taking entries, being played, or over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Registering,
    Running,
    Finished,
}

impl Stage {
    /// As `poker_tables.status` holds it.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Registering => "registering",
            Stage::Running => "running",
            Stage::Finished => "finished",
        }
    }

    pub fn parse(status: &str) -> Stage {
        match status {
            "running" => Stage::Running,
            "finished" => Stage::Finished,
            _ => Stage::Registering,
        }
    }
}

/// A sit-and-go as the lobby and its table's page show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SitAndGoView {
    pub entry: u64,
    pub starting_chips: u64,
    pub level_minutes: u32,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "registering"))]
    pub stage: Stage,
    /// The prize pool: every seat's entry once it starts (all seats' entries before).
    pub prize_pool: u64,
    /// What each paid place wins, first place first.
    pub prizes: Vec<u64>,
    /// RFC 3339, once it started.
    pub started_at: Option<String>,
    /// The players placed so far, best place first.
    pub results: Vec<Finish>,
}

impl SitAndGoView {
    pub fn new(
        rules: &SitAndGoRules,
        seats: u8,
        stage: Stage,
        started_at: Option<String>,
        mut results: Vec<Finish>,
    ) -> Self {
        let prize_pool = rules.entry * u64::from(seats);
        results.sort_by_key(|p| p.place);
        SitAndGoView {
            entry: rules.entry,
            starting_chips: rules.starting_chips,
            level_minutes: rules.level_minutes,
            stage,
            prize_pool,
            prizes: prizes(seats, prize_pool),
            started_at,
            results,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn busted(name: &str, chips_before: u64) -> Busted {
        Busted { user_id: format!("id-{name}"), username: name.to_owned(), chips_before }
    }

    fn places(placed: &[Placed]) -> Vec<(&str, u8, u64)> {
        placed.iter().map(|p| (p.username.as_str(), p.place, p.prize)).collect()
    }

    #[test]
    fn the_pool_is_shared_by_field_size_and_always_paid_in_full() {
        assert_eq!(prizes(2, 2_000), vec![2_000]);
        assert_eq!(prizes(3, 3_000), vec![3_000]);
        assert_eq!(prizes(6, 6_000), vec![3_900, 2_100]);
        assert_eq!(prizes(9, 9_000), vec![4_500, 2_700, 1_800]);
        // 7 × 333 = 2331: 1165 + 699 + 466 = 2330, the odd chip to the winner.
        assert_eq!(prizes(7, 2_331), vec![1_166, 699, 466]);
        for seats in 2..=9u8 {
            for entry in [1u64, 7, 333, 1_000, 99_999] {
                let pool = entry * u64::from(seats);
                assert_eq!(prizes(seats, pool).iter().sum::<u64>(), pool);
            }
        }
    }

    #[test]
    fn busting_players_are_placed_by_the_chips_they_started_the_hand_with() {
        let prizes = prizes(9, 9_000);
        // Two left: the three who bust take 3rd, 4th and 5th, the bigger stack the better place.
        let placed =
            place_busted(vec![busted("ann", 100), busted("bob", 900), busted("cat", 400)], 2, &prizes);
        assert_eq!(places(&placed), vec![("bob", 3, 1_800), ("cat", 4, 0), ("ann", 5, 0)]);
        // The last bust of a heads-up match is second.
        assert_eq!(places(&place_busted(vec![busted("dan", 50)], 1, &prizes)), vec![("dan", 2, 2_700)]);
    }

    #[test]
    fn players_who_bust_with_equal_chips_share_their_places_prizes() {
        let prizes = prizes(9, 9_000);
        // 2nd and 3rd shared: (2700 + 1800) / 2 each.
        let placed = place_busted(vec![busted("ann", 500), busted("bob", 500)], 1, &prizes);
        assert_eq!(places(&placed), vec![("ann", 2, 2_250), ("bob", 2, 2_250)]);
        // 3rd and 4th shared: 1800 / 2; an odd chip goes to the first in seat order.
        let odd = [5, 3, 1];
        let placed = place_busted(vec![busted("cat", 10), busted("dan", 10)], 2, &odd);
        assert_eq!(places(&placed), vec![("cat", 3, 1), ("dan", 3, 0)]);
        let total: u64 = place_busted(vec![busted("a", 7), busted("b", 7), busted("c", 7)], 0, &odd)
            .iter()
            .map(|p| p.prize)
            .sum();
        assert_eq!(total, 9, "three tied for 1st–3rd share all three prizes");
    }

    #[test]
    fn stakes_rise_each_level_and_keep_their_order() {
        let first = GameConfig::nlhe(10, 20).with_ante(0);
        let blinds: Vec<(u64, u64)> =
            (0..8).map(|l| stakes_at(&first, l)).map(|s| (s.small_blind, s.big_blind)).collect();
        assert_eq!(
            blinds,
            vec![(10, 20), (15, 30), (20, 40), (30, 60), (40, 80), (60, 120), (80, 160), (100, 200)]
        );
        // Past the table the stakes double, and never pass the largest unit.
        assert_eq!(stakes_at(&first, 15).big_blind, 3_000);
        assert_eq!(stakes_at(&first, 16).big_blind, 6_000);
        assert_eq!(stakes_at(&first, 1_000).big_blind, MAX_UNIT);
        let stud = GameConfig::stud(1, 3, 5, 10);
        for level in 0..40 {
            let s = stakes_at(&stud, level);
            assert!(s.ante <= s.bring_in && s.bring_in <= s.small_bet && s.small_bet <= s.big_bet, "{s:?}");
        }
        assert_eq!(stakes_at(&stud, 1), GameConfig::stud(2, 5, 8, 15), "halves round up");
    }

    #[test]
    fn levels_follow_the_clock_from_the_start() {
        let rules = SitAndGoRules { entry: 100, starting_chips: 1_500, level_minutes: 5 };
        let start = 1_000_000;
        assert_eq!(rules.level_at(start, start), 0);
        assert_eq!(rules.level_at(start, start + 299_999), 0);
        assert_eq!(rules.level_at(start, start + 300_000), 1);
        assert_eq!(rules.level_at(start, start - 5), 0, "a clock behind the start is the first level");
        assert_eq!(rules.level_starts_ms(start, 2), start + 600_000);
    }

    #[test]
    fn entries_starting_chips_and_levels_are_bounded() {
        let stakes = GameConfig::nlhe(10, 20);
        let ok = NewSitAndGo { entry: 1_000, starting_chips: 1_500, level_minutes: None };
        assert_eq!(
            ok.check(&stakes, Chips::Play, 9).unwrap(),
            SitAndGoRules { entry: 1_000, starting_chips: 1_500, level_minutes: DEFAULT_LEVEL_MINUTES }
        );
        let field = |n: NewSitAndGo, chips| n.check(&stakes, chips, 9).unwrap_err().field.unwrap_or_default();
        assert_eq!(field(NewSitAndGo { entry: 0, ..ok.clone() }, Chips::Play), "sit_and_go.entry");
        assert_eq!(
            field(NewSitAndGo { entry: PLAY_TOP_UP + 1, ..ok.clone() }, Chips::Play),
            "sit_and_go.entry"
        );
        assert_eq!(field(NewSitAndGo { entry: 99, ..ok.clone() }, Chips::Inr), "sit_and_go.entry");
        assert_eq!(
            field(NewSitAndGo { starting_chips: 199, ..ok.clone() }, Chips::Play),
            "sit_and_go.starting_chips"
        );
        assert_eq!(
            field(NewSitAndGo { starting_chips: 20_001, ..ok.clone() }, Chips::Play),
            "sit_and_go.starting_chips"
        );
        assert_eq!(
            field(NewSitAndGo { level_minutes: Some(0), ..ok.clone() }, Chips::Play),
            "sit_and_go.level_minutes"
        );
        assert_eq!(
            field(NewSitAndGo { level_minutes: Some(61), ..ok }, Chips::Play),
            "sit_and_go.level_minutes"
        );
        // Near the largest blind, the stacks could outgrow the blinds forever: refused.
        let huge = GameConfig::nlhe(50_000_000, 100_000_000);
        let deep = NewSitAndGo { entry: 1_000, starting_chips: 2_000_000_000, level_minutes: None };
        assert_eq!(
            deep.check(&huge, Chips::Play, 2).unwrap_err().field.as_deref(),
            Some("sit_and_go.starting_chips")
        );
    }
}
