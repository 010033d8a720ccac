//! A poker table as the lobby knows it: which game at which stakes, the buy-in range, how many
//! seats and how long each player has to act. `NewTable::check` is the one rule for what a table
//! may be; the table's Durable Object plays its hands with `game::GameConfig`.

use super::{
    game::{GameConfig, Variant},
    money::Chips,
    sit_and_go::{NewSitAndGo, SitAndGoRules},
};
use crate::ApiError;
use serde::{Deserialize, Serialize};

/// The longest table name, in characters.
pub const MAX_NAME_CHARS: usize = 60;
/// The fewest seats a table has.
pub const MIN_SEATS: u8 = 2;
/// The action clock's bounds and default, in seconds.
pub const MIN_CLOCK_SECS: u32 = 5;
pub const MAX_CLOCK_SECS: u32 = 120;
pub const DEFAULT_CLOCK_SECS: u32 = 30;
/// The time bank's bounds and default, in seconds: extra time a player may draw on once the
/// clock runs out, refilled by a second each hand up to the table's figure.
pub const MAX_TIME_BANK_SECS: u32 = 300;
pub const DEFAULT_TIME_BANK_SECS: u32 = 30;
/// A buy-in is at least this many big blinds (Stud: big bets), and the largest at most this many.
pub const MIN_BUY_IN_UNITS: u64 = 10;
pub const MAX_BUY_IN_UNITS: u64 = 1_000;
/// The largest big blind (Stud: big bet): every chip count stays far below 2^53, where JSON
/// numbers are exact in a browser, even 9 players × the largest buy-in.
pub const MAX_UNIT: u64 = 1_000_000_000;

/// `POST /api/poker/tables`. Hold'em and Omaha take `small_blind` and `big_blind` (and an
/// optional `ante`); Stud takes `ante`, `bring_in`, `small_bet` and `big_bet`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewTable {
    /// `nlhe`, `plo` or `stud`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "nlhe"))]
    pub game: Variant,
    /// Defaults to the stakes and the game ("50/100 NLHE").
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub small_blind: u64,
    #[serde(default)]
    pub big_blind: u64,
    #[serde(default)]
    pub ante: u64,
    #[serde(default)]
    pub bring_in: u64,
    #[serde(default)]
    pub small_bet: u64,
    #[serde(default)]
    pub big_bet: u64,
    /// A cash table's buy-in range (a sit-and-go has an entry instead).
    #[serde(default)]
    pub min_buy_in: u64,
    #[serde(default)]
    pub max_buy_in: u64,
    /// 2–9 (Stud: 2–8).
    pub seats: u8,
    /// Seconds each player has to act, 5–120 (default 30).
    #[serde(default)]
    pub clock_secs: Option<u32>,
    /// Extra seconds each player may draw on once their clock runs out, 0–300 (default 30).
    #[serde(default)]
    pub time_bank_secs: Option<u32>,
    /// Not listed in the lobby: reached by its invite link only.
    #[serde(default)]
    pub private: bool,
    /// `play` (the default) or `inr`: rupees from the real-money wallet, stakes and buy-ins in
    /// paise.
    #[serde(default)]
    pub chips: Chips,
    /// A sit-and-go tournament: it starts when every seat is taken, and its stakes (the first
    /// level's) rise every level.
    #[serde(default)]
    pub sit_and_go: Option<NewSitAndGo>,
}

/// A table's rules once checked: what the lobby shows and the table plays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableRules {
    pub name: String,
    pub stakes: GameConfig,
    pub min_buy_in: u64,
    pub max_buy_in: u64,
    pub seats: u8,
    pub clock_secs: u32,
    /// Tables made before the time bank had none in their rules: they get the default.
    #[serde(default = "default_time_bank")]
    pub time_bank_secs: u32,
    pub private: bool,
    /// Tables made before real money played play chips.
    #[serde(default)]
    pub chips: Chips,
    /// A sit-and-go's rules (its buy-in range is its entry); none at a cash table.
    #[serde(default)]
    pub sit_and_go: Option<SitAndGoRules>,
}

fn default_time_bank() -> u32 {
    DEFAULT_TIME_BANK_SECS
}

fn field_error(field: &str, message: impl Into<String>) -> ApiError {
    ApiError::invalid(field, message)
}

impl NewTable {
    /// The table's rules, or the first field that breaks one.
    pub fn check(&self) -> Result<TableRules, ApiError> {
        let stakes = self.stakes()?;
        let unit = unit(&stakes);
        let seats = self.seats;
        let most = self.game.max_players();
        if !(usize::from(MIN_SEATS)..=most).contains(&usize::from(seats)) {
            return Err(field_error(
                "seats",
                format!("A {} table has {MIN_SEATS}–{most} seats.", label(self.game)),
            ));
        }
        let sit_and_go = match &self.sit_and_go {
            Some(_) if self.min_buy_in != 0 || self.max_buy_in != 0 => {
                return Err(field_error("min_buy_in", "A sit-and-go has an entry, not a buy-in range."));
            }
            Some(asked) => Some(asked.check(&stakes, self.chips, self.seats)?),
            None => None,
        };
        let (min_buy_in, max_buy_in) = match sit_and_go {
            Some(rules) => (rules.entry, rules.entry),
            None => self.buy_ins(unit)?,
        };
        let clock_secs = self.clock_secs.unwrap_or(DEFAULT_CLOCK_SECS);
        if !(MIN_CLOCK_SECS..=MAX_CLOCK_SECS).contains(&clock_secs) {
            return Err(field_error(
                "clock_secs",
                format!("Players get {MIN_CLOCK_SECS}–{MAX_CLOCK_SECS} seconds to act."),
            ));
        }
        let time_bank_secs = self.time_bank_secs.unwrap_or(DEFAULT_TIME_BANK_SECS);
        if time_bank_secs > MAX_TIME_BANK_SECS {
            return Err(field_error(
                "time_bank_secs",
                format!("A time bank is at most {MAX_TIME_BANK_SECS} seconds."),
            ));
        }
        let name = match self.name.as_deref().map(str::trim) {
            None | Some("") => default_name(&stakes),
            Some(name) if name.chars().count() > MAX_NAME_CHARS => {
                return Err(field_error(
                    "name",
                    format!("A table name is at most {MAX_NAME_CHARS} characters."),
                ));
            }
            Some(name) if name.chars().any(char::is_control) => {
                return Err(field_error("name", "A table name cannot contain control characters."));
            }
            Some(name) => name.to_owned(),
        };
        Ok(TableRules {
            name,
            stakes,
            min_buy_in,
            max_buy_in,
            seats,
            clock_secs,
            time_bank_secs,
            private: self.private,
            chips: self.chips,
            sit_and_go,
        })
    }

    /// A cash table's buy-in range, each end in its bounds.
    fn buy_ins(&self, unit: u64) -> Result<(u64, u64), ApiError> {
        if self.min_buy_in < MIN_BUY_IN_UNITS * unit {
            return Err(field_error(
                "min_buy_in",
                format!(
                    "The smallest buy-in is at least {MIN_BUY_IN_UNITS} {} ({}).",
                    unit_name(self.game),
                    MIN_BUY_IN_UNITS * unit
                ),
            ));
        }
        if self.chips == Chips::Play && self.min_buy_in > super::wallet::PLAY_TOP_UP {
            return Err(field_error(
                "min_buy_in",
                format!(
                    "Tables are played with play chips: the smallest buy-in is at most {}.",
                    super::wallet::PLAY_TOP_UP
                ),
            ));
        }
        if self.max_buy_in < self.min_buy_in {
            return Err(field_error("max_buy_in", "The largest buy-in cannot be below the smallest."));
        }
        if self.max_buy_in > MAX_BUY_IN_UNITS * unit {
            return Err(field_error(
                "max_buy_in",
                format!(
                    "The largest buy-in is at most {MAX_BUY_IN_UNITS} {} ({}).",
                    unit_name(self.game),
                    MAX_BUY_IN_UNITS * unit
                ),
            ));
        }
        Ok((self.min_buy_in, self.max_buy_in))
    }

    /// The stakes the game takes, each in its bounds; a stake the game does not use must be 0.
    fn stakes(&self) -> Result<GameConfig, ApiError> {
        let unused = |field: &str, value: u64| {
            if value == 0 {
                Ok(())
            } else {
                Err(field_error(field, format!("{} has no {}.", label(self.game), field.replace('_', " "))))
            }
        };
        let at_most = |field: &str, value: u64| {
            if value > MAX_UNIT {
                Err(field_error(field, format!("{} is at most {MAX_UNIT}.", field.replace('_', " "))))
            } else {
                Ok(())
            }
        };
        match self.game {
            Variant::Nlhe | Variant::Plo => {
                unused("bring_in", self.bring_in)?;
                unused("small_bet", self.small_bet)?;
                unused("big_bet", self.big_bet)?;
                at_most("big_blind", self.big_blind)?;
                if self.small_blind == 0 {
                    return Err(field_error("small_blind", "The small blind is at least 1."));
                }
                if self.big_blind < self.small_blind {
                    return Err(field_error("big_blind", "The big blind is at least the small blind."));
                }
                if self.ante > self.big_blind {
                    return Err(field_error("ante", "The ante is at most the big blind."));
                }
                let config = if self.game == Variant::Nlhe {
                    GameConfig::nlhe(self.small_blind, self.big_blind)
                } else {
                    GameConfig::plo(self.small_blind, self.big_blind)
                };
                Ok(config.with_ante(self.ante))
            }
            Variant::Stud => {
                unused("small_blind", self.small_blind)?;
                unused("big_blind", self.big_blind)?;
                at_most("big_bet", self.big_bet)?;
                if self.bring_in == 0 {
                    return Err(field_error("bring_in", "The bring-in is at least 1."));
                }
                if self.small_bet < self.bring_in {
                    return Err(field_error("small_bet", "The small bet is at least the bring-in."));
                }
                if self.big_bet < self.small_bet {
                    return Err(field_error("big_bet", "The big bet is at least the small bet."));
                }
                if self.ante > self.bring_in {
                    return Err(field_error("ante", "The ante is at most the bring-in."));
                }
                Ok(GameConfig::stud(self.ante, self.bring_in, self.small_bet, self.big_bet))
            }
        }
    }
}

/// What buy-ins and stakes filters are counted in: the big blind (Stud: the big bet).
pub fn unit(stakes: &GameConfig) -> u64 {
    match stakes.variant {
        Variant::Stud => stakes.big_bet,
        _ => stakes.big_blind,
    }
}

fn unit_name(game: Variant) -> &'static str {
    match game {
        Variant::Stud => "big bets",
        _ => "big blinds",
    }
}

/// The game as people name it.
pub fn label(game: Variant) -> &'static str {
    match game {
        Variant::Nlhe => "No-Limit Hold'em",
        Variant::Plo => "Pot-Limit Omaha",
        Variant::Stud => "Seven-Card Stud",
    }
}

/// The stakes as a lobby writes them: `50/100`, `50/100, ante 10`, and Stud's
/// `50/100 bring-in 25, ante 10`.
pub fn stakes_text(stakes: &GameConfig) -> String {
    let ante = |text: String| if stakes.ante > 0 { format!("{text}, ante {}", stakes.ante) } else { text };
    match stakes.variant {
        Variant::Stud => {
            ante(format!("{}/{} bring-in {}", stakes.small_bet, stakes.big_bet, stakes.bring_in))
        }
        _ => ante(format!("{}/{}", stakes.small_blind, stakes.big_blind)),
    }
}

fn default_name(stakes: &GameConfig) -> String {
    let game = match stakes.variant {
        Variant::Nlhe => "NLHE",
        Variant::Plo => "PLO",
        Variant::Stud => "Stud",
    };
    match stakes.variant {
        Variant::Stud => format!("{}/{} {game}", stakes.small_bet, stakes.big_bet),
        _ => format!("{}/{} {game}", stakes.small_blind, stakes.big_blind),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    fn holdem() -> NewTable {
        NewTable {
            game: Variant::Nlhe,
            name: None,
            small_blind: 50,
            big_blind: 100,
            ante: 0,
            bring_in: 0,
            small_bet: 0,
            big_bet: 0,
            min_buy_in: 4_000,
            max_buy_in: 10_000,
            seats: 6,
            clock_secs: None,
            time_bank_secs: None,
            private: false,
            chips: Chips::Play,
            sit_and_go: None,
        }
    }

    fn stud() -> NewTable {
        NewTable {
            game: Variant::Stud,
            small_blind: 0,
            big_blind: 0,
            ante: 10,
            bring_in: 25,
            small_bet: 50,
            big_bet: 100,
            seats: 8,
            ..holdem()
        }
    }

    fn field(table: NewTable) -> String {
        let err = table.check().unwrap_err();
        assert_eq!(err.code, ErrorCode::ValidationFailed);
        err.field.unwrap()
    }

    #[test]
    fn a_holdem_table_gets_its_stakes_a_name_and_the_default_clock() {
        let rules = holdem().check().unwrap();
        assert_eq!(rules.stakes, GameConfig::nlhe(50, 100));
        assert_eq!((rules.name.as_str(), rules.clock_secs, rules.seats), ("50/100 NLHE", 30, 6));
        let omaha = NewTable { game: Variant::Plo, ante: 10, name: Some("  Friday  ".into()), ..holdem() };
        let rules = omaha.check().unwrap();
        assert_eq!(rules.stakes, GameConfig::plo(50, 100).with_ante(10));
        assert_eq!(rules.name, "Friday");
        assert_eq!(stakes_text(&rules.stakes), "50/100, ante 10");
    }

    #[test]
    fn a_stud_table_takes_antes_bring_in_and_two_bet_sizes() {
        let rules = stud().check().unwrap();
        assert_eq!(rules.stakes, GameConfig::stud(10, 25, 50, 100));
        assert_eq!(rules.name, "50/100 Stud");
        assert_eq!(stakes_text(&rules.stakes), "50/100 bring-in 25, ante 10");
        assert_eq!(field(NewTable { seats: 9, ..stud() }), "seats", "Stud deals to eight at most");
        assert_eq!(field(NewTable { big_blind: 100, ..stud() }), "big_blind");
        assert_eq!(field(NewTable { bring_in: 0, ..stud() }), "bring_in");
        assert_eq!(field(NewTable { small_bet: 20, ..stud() }), "small_bet");
        assert_eq!(field(NewTable { big_bet: 40, ..stud() }), "big_bet");
        assert_eq!(field(NewTable { ante: 30, ..stud() }), "ante");
    }

    #[test]
    fn stakes_seats_buy_ins_clock_and_name_are_each_checked() {
        assert_eq!(field(NewTable { small_blind: 0, ..holdem() }), "small_blind");
        assert_eq!(field(NewTable { big_blind: 40, ..holdem() }), "big_blind");
        assert_eq!(field(NewTable { big_blind: MAX_UNIT + 1, ..holdem() }), "big_blind");
        assert_eq!(field(NewTable { ante: 101, ..holdem() }), "ante");
        assert_eq!(field(NewTable { big_bet: 100, ..holdem() }), "big_bet", "Hold'em has no big bet");
        assert_eq!(field(NewTable { seats: 1, ..holdem() }), "seats");
        assert_eq!(field(NewTable { seats: 10, ..holdem() }), "seats");
        assert!(NewTable { seats: 9, ..holdem() }.check().is_ok());
        assert_eq!(field(NewTable { min_buy_in: 999, ..holdem() }), "min_buy_in", "ten big blinds at least");
        assert!(NewTable { min_buy_in: 1_000, ..holdem() }.check().is_ok());
        assert_eq!(field(NewTable { max_buy_in: 3_999, ..holdem() }), "max_buy_in");
        assert_eq!(field(NewTable { max_buy_in: 100_001, ..holdem() }), "max_buy_in");
        assert_eq!(field(NewTable { clock_secs: Some(4), ..holdem() }), "clock_secs");
        assert_eq!(field(NewTable { clock_secs: Some(121), ..holdem() }), "clock_secs");
        assert_eq!(field(NewTable { time_bank_secs: Some(301), ..holdem() }), "time_bank_secs");
        assert_eq!(field(NewTable { name: Some("x".repeat(61)), ..holdem() }), "name");
        assert_eq!(field(NewTable { name: Some("a\u{0}b".into()), ..holdem() }), "name");
        assert_eq!(NewTable { name: Some("   ".into()), ..holdem() }.check().unwrap().name, "50/100 NLHE");
    }

    #[test]
    fn anyone_can_join_any_table_after_a_top_up_and_every_count_stays_exact_in_a_browser() {
        assert_eq!(field(NewTable { min_buy_in: 100_001, max_buy_in: 200_000, ..holdem() }), "min_buy_in");
        let big = NewTable {
            small_blind: 5_000,
            big_blind: 10_000,
            min_buy_in: 100_000,
            max_buy_in: MAX_BUY_IN_UNITS * 10_000,
            seats: 9,
            ..holdem()
        };
        let rules = big.check().unwrap();
        assert!(rules.max_buy_in * 9 < 1 << 53);
        assert_eq!(
            field(NewTable { small_blind: 20_000, big_blind: 20_000, ..big }),
            "min_buy_in",
            "10 big blinds are more than a top-up"
        );
        const { assert!(9 * MAX_BUY_IN_UNITS * MAX_UNIT < 1 << 53, "even the widest range the stakes allow") };
    }

    #[test]
    fn a_rupee_table_takes_buy_ins_beyond_a_play_top_up() {
        let rupees = NewTable { min_buy_in: 200_000, max_buy_in: 1_000_000, chips: Chips::Inr, ..holdem() };
        let big = NewTable { small_blind: 10_000, big_blind: 20_000, ..rupees };
        assert_eq!(big.check().unwrap().chips, Chips::Inr);
        assert_eq!(field(NewTable { chips: Chips::Play, ..big }), "min_buy_in");
        let json = r#"{"game":"nlhe","small_blind":50,"big_blind":100,"min_buy_in":2000,"max_buy_in":4000,"seats":6}"#;
        assert_eq!(serde_json::from_str::<NewTable>(json).unwrap().chips, Chips::Play, "play unless asked");
    }

    #[test]
    fn unknown_fields_and_games_are_refused_by_the_reader() {
        let json =
            r#"{"game":"razz","small_blind":1,"big_blind":2,"min_buy_in":20,"max_buy_in":200,"seats":6}"#;
        assert!(serde_json::from_str::<NewTable>(json).is_err());
        let json = r#"{"game":"nlhe","small_blind":1,"big_blind":2,"min_buy_in":20,"max_buy_in":200,"seats":6,"rake":5}"#;
        assert!(serde_json::from_str::<NewTable>(json).is_err());
    }
}
