//! What the lobby says of tables (`GET /api/poker/tables`), and how it is asked.

use super::{
    game::Variant,
    money::Chips,
    seat::SeatView,
    sit_and_go::{Finish, SitAndGoView, Stage},
    table::{stakes_text, unit, TableRules},
};
use crate::ApiError;
use serde::{Deserialize, Serialize};

/// One table as the lobby and its own page show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TableView {
    pub id: String,
    pub name: String,
    /// `nlhe`, `plo` or `stud`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "nlhe"))]
    pub game: Variant,
    /// As people write them: `50/100`, `50/100, ante 10`, `50/100 bring-in 25, ante 10`.
    pub stakes: String,
    pub small_blind: u64,
    pub big_blind: u64,
    pub ante: u64,
    pub bring_in: u64,
    pub small_bet: u64,
    pub big_bet: u64,
    pub min_buy_in: u64,
    pub max_buy_in: u64,
    pub seats: u8,
    /// Seated players now.
    pub players: u8,
    /// Who sits where, by seat.
    pub seated: Vec<SeatView>,
    pub clock_secs: u32,
    pub time_bank_secs: u32,
    pub private: bool,
    /// A private table's invite: a short link (Links) to its page.
    pub invite_url: Option<String>,
    /// Who made it (their username).
    pub host: String,
    /// `play` or `inr` (stakes, buy-ins and chips in paise).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "play"))]
    pub chips: Chips,
    /// The average pot of its hands so far; none before the first.
    pub average_pot: Option<u64>,
    pub hands: u64,
    /// RFC 3339.
    pub created_at: String,
    /// A sit-and-go: its entry, stage, prizes and results (its stakes are the first level's).
    pub sit_and_go: Option<SitAndGoView>,
}

/// What a table row holds besides its rules.
pub struct TableFacts {
    pub host: String,
    pub invite_url: Option<String>,
    pub seated: Vec<SeatView>,
    pub hands: u64,
    /// The chips of every pot so far.
    pub pots: u64,
    pub created_at: String,
    /// A sit-and-go's stage, start (RFC 3339) and finishes so far.
    pub stage: Option<Stage>,
    pub started_at: Option<String>,
    pub results: Vec<Finish>,
}

impl TableView {
    pub fn new(id: String, rules: &TableRules, facts: TableFacts) -> Self {
        let s = &rules.stakes;
        TableView {
            id,
            name: rules.name.clone(),
            game: s.variant,
            stakes: stakes_text(s),
            small_blind: s.small_blind,
            big_blind: s.big_blind,
            ante: s.ante,
            bring_in: s.bring_in,
            small_bet: s.small_bet,
            big_bet: s.big_bet,
            min_buy_in: rules.min_buy_in,
            max_buy_in: rules.max_buy_in,
            seats: rules.seats,
            players: u8::try_from(facts.seated.len()).unwrap_or(u8::MAX),
            seated: facts.seated,
            clock_secs: rules.clock_secs,
            time_bank_secs: rules.time_bank_secs,
            private: rules.private,
            invite_url: facts.invite_url,
            host: facts.host,
            chips: rules.chips,
            average_pot: facts.pots.checked_div(facts.hands),
            hands: facts.hands,
            created_at: facts.created_at,
            sit_and_go: rules.sit_and_go.as_ref().map(|sng| {
                SitAndGoView::new(
                    sng,
                    rules.seats,
                    facts.stage.unwrap_or(Stage::Registering),
                    facts.started_at,
                    facts.results,
                )
            }),
        }
    }
}

/// A page of the lobby, newest first; `next_cursor` back as `cursor` gives the next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TableList {
    pub items: Vec<TableView>,
    pub next_cursor: Option<String>,
}

/// Cash tables or sit-and-go tournaments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Cash,
    SitAndGo,
}

impl Format {
    /// As `poker_tables.format` holds it, and the lobby's `format` asks for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Cash => "cash",
            Format::SitAndGo => "sng",
        }
    }

    pub fn of(rules: &TableRules) -> Format {
        if rules.sit_and_go.is_some() {
            Format::SitAndGo
        } else {
            Format::Cash
        }
    }
}

/// The lobby's filters: `?game=nlhe|plo|stud&format=cash|sng&min_stake=&max_stake=&free=true&limit=&cursor=`
/// (stakes are the big blind, or Stud's big bet; the cursor is the last table id of the page
/// before).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LobbyFilter {
    pub game: Option<Variant>,
    pub format: Option<Format>,
    pub min_stake: Option<u64>,
    pub max_stake: Option<u64>,
    /// Only tables with a free seat.
    pub free: bool,
    /// Tables older than this one (ids sort by time).
    pub before: Option<String>,
    /// Tables a page holds: 1–100 (`LOBBY_PAGE` when not asked).
    pub limit: u32,
}

/// The most tables a page of the lobby lists.
pub const LOBBY_PAGE: u32 = 100;

impl Default for LobbyFilter {
    fn default() -> Self {
        LobbyFilter {
            game: None,
            format: None,
            min_stake: None,
            max_stake: None,
            free: false,
            before: None,
            limit: LOBBY_PAGE,
        }
    }
}

impl LobbyFilter {
    /// Reads the query's pairs; an unknown game, a stake that is no number, or a range that is
    /// empty is a 422 naming the parameter. Other parameters are ignored.
    pub fn parse(pairs: &[(String, String)]) -> Result<LobbyFilter, ApiError> {
        let mut filter = LobbyFilter::default();
        let stake = |name: &str, value: &str| {
            value
                .parse::<u64>()
                .map_err(|_| ApiError::invalid(name, format!("{name} is a whole number of chips.")))
        };
        for (name, value) in pairs {
            match name.as_str() {
                "game" => {
                    filter.game = Some(match value.as_str() {
                        "nlhe" => Variant::Nlhe,
                        "plo" => Variant::Plo,
                        "stud" => Variant::Stud,
                        _ => return Err(ApiError::invalid("game", "game is nlhe, plo or stud.")),
                    })
                }
                "format" => {
                    filter.format = Some(match value.as_str() {
                        "cash" => Format::Cash,
                        "sng" => Format::SitAndGo,
                        _ => return Err(ApiError::invalid("format", "format is cash or sng.")),
                    })
                }
                "min_stake" => filter.min_stake = Some(stake(name, value)?),
                "max_stake" => filter.max_stake = Some(stake(name, value)?),
                "limit" => {
                    filter.limit =
                        value.parse::<u32>().ok().filter(|n| (1..=LOBBY_PAGE).contains(n)).ok_or_else(
                            || ApiError::invalid("limit", format!("limit is 1 to {LOBBY_PAGE}.")),
                        )?
                }
                "cursor" if !value.is_empty() => {
                    value
                        .parse::<crate::ids::TimeId>()
                        .map_err(|_| ApiError::invalid("cursor", "This cursor is not one we gave out."))?;
                    filter.before = Some(value.clone());
                }
                "free" => {
                    filter.free = match value.as_str() {
                        "true" | "1" => true,
                        "false" | "0" => false,
                        _ => return Err(ApiError::invalid("free", "free is true or false.")),
                    }
                }
                _ => {}
            }
        }
        if let (Some(low), Some(high)) = (filter.min_stake, filter.max_stake) {
            if low > high {
                return Err(ApiError::invalid("max_stake", "max_stake cannot be below min_stake."));
            }
        }
        Ok(filter)
    }

    /// Whether a table passes (the same rule the lobby's SQL applies, for tests and the page).
    pub fn admits(&self, rules: &TableRules, players: u8) -> bool {
        let stake = unit(&rules.stakes);
        self.game.is_none_or(|g| g == rules.stakes.variant)
            && self.format.is_none_or(|f| f == Format::of(rules))
            && self.min_stake.is_none_or(|low| stake >= low)
            && self.max_stake.is_none_or(|high| stake <= high)
            && (!self.free || players < rules.seats)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poker::{game::GameConfig, table::TableRules};

    fn pairs(query: &[(&str, &str)]) -> Vec<(String, String)> {
        query.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn rules(stakes: GameConfig, seats: u8) -> TableRules {
        TableRules {
            name: "t".into(),
            stakes,
            min_buy_in: 1_000,
            max_buy_in: 10_000,
            seats,
            clock_secs: 30,
            time_bank_secs: 30,
            private: false,
            chips: Chips::Play,
            sit_and_go: None,
        }
    }

    #[test]
    fn the_lobby_filters_by_game_stakes_and_free_seats() {
        let filter = LobbyFilter::parse(&pairs(&[
            ("game", "nlhe"),
            ("min_stake", "50"),
            ("max_stake", "200"),
            ("free", "true"),
        ]))
        .unwrap();
        assert!(filter.admits(&rules(GameConfig::nlhe(50, 100), 6), 5));
        assert!(!filter.admits(&rules(GameConfig::nlhe(50, 100), 6), 6), "full");
        assert!(!filter.admits(&rules(GameConfig::plo(50, 100), 6), 0), "another game");
        assert!(!filter.admits(&rules(GameConfig::nlhe(100, 400), 6), 0), "above the range");
        let stud = LobbyFilter::parse(&pairs(&[("game", "stud"), ("max_stake", "100")])).unwrap();
        assert!(stud.admits(&rules(GameConfig::stud(5, 25, 50, 100), 8), 8), "Stud's stake is its big bet");
        assert_eq!(LobbyFilter::parse(&pairs(&[("page", "2")])).unwrap(), LobbyFilter::default());
    }

    #[test]
    fn bad_filters_name_their_parameter() {
        for (query, field) in [
            (vec![("game", "razz")], "game"),
            (vec![("min_stake", "-1")], "min_stake"),
            (vec![("max_stake", "lots")], "max_stake"),
            (vec![("free", "yes")], "free"),
            (vec![("min_stake", "200"), ("max_stake", "100")], "max_stake"),
            (vec![("cursor", "page-2")], "cursor"),
            (vec![("limit", "0")], "limit"),
            (vec![("limit", "101")], "limit"),
        ] {
            let err = LobbyFilter::parse(&pairs(&query)).unwrap_err();
            assert_eq!(err.field.as_deref(), Some(field), "{query:?}");
        }
    }

    #[test]
    fn a_view_shows_the_stakes_and_the_average_pot_once_there_are_hands() {
        let table = rules(GameConfig::nlhe(50, 100).with_ante(10), 6);
        let facts = |hands, pots| TableFacts {
            host: "ann".into(),
            invite_url: None,
            seated: vec![SeatView { seat: 3, username: "bob".into(), chips: 5_000 }],
            hands,
            pots,
            created_at: "2026-12-04T10:00:00Z".into(),
            stage: None,
            started_at: None,
            results: Vec::new(),
        };
        let view = TableView::new("t1".into(), &table, facts(0, 0));
        assert_eq!((view.stakes.as_str(), view.average_pot, view.players), ("50/100, ante 10", None, 1));
        let view = TableView::new("t1".into(), &table, facts(4, 1_000));
        assert_eq!(view.average_pot, Some(250));
    }
}
