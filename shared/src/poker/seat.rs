//! Sitting down at a table and getting up: a buy-in moves chips (play chips, or rupees at a rupee
//! table) from the wallet to the seat, cashing out moves them back, each in one D1 transaction,
//! so wallets and seats always add up to what was there before.

use super::{money::Chips, table::TableRules};
use crate::{ApiError, ErrorCode};
use serde::{Deserialize, Serialize};

/// `POST /api/poker/tables/{id}/seats`: a seat (1 to the table's number of seats) and the
/// chips to bring, within the table's buy-in range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TakeSeat {
    pub seat: u8,
    pub buy_in: u64,
}

/// One seated player.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SeatView {
    /// 1 to the table's number of seats.
    pub seat: u8,
    pub username: String,
    pub chips: u64,
}

/// What sitting down or getting up left: the seat (none once up), the wallet's play chips and
/// rupees (paise), and whether the player is leaving when the hand in play ends (their seat and
/// chips stay until then).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SeatChange {
    pub seat: Option<SeatView>,
    pub play_chips: u64,
    #[serde(default)]
    pub inr_paise: u64,
    pub leaving: bool,
}

impl TakeSeat {
    /// The seat and buy-in if the table's rules allow them.
    pub fn check(&self, rules: &TableRules) -> Result<(), ApiError> {
        if !(1..=rules.seats).contains(&self.seat) {
            return Err(ApiError::invalid("seat", format!("This table's seats are 1–{}.", rules.seats)));
        }
        if rules.sit_and_go.is_some() && self.buy_in != rules.min_buy_in {
            return Err(ApiError::invalid(
                "buy_in",
                format!(
                    "This sit-and-go's entry is {}: send it as the buy-in.",
                    rules.chips.amount(rules.min_buy_in)
                ),
            ));
        }
        if !(rules.min_buy_in..=rules.max_buy_in).contains(&self.buy_in) {
            return Err(ApiError::invalid(
                "buy_in",
                format!(
                    "Buy in for {} to {} here.",
                    rules.chips.amount(rules.min_buy_in),
                    rules.chips.amount(rules.max_buy_in)
                ),
            ));
        }
        Ok(())
    }
}

/// Why a buy-in that was allowed by the rules did not happen, from what the table and the
/// wallet hold now (read after the guarded write changed nothing): `held` is the wallet's
/// `chips` of the table's kind.
pub fn refused(
    seat_taken: bool,
    already_seated: bool,
    chips: Chips,
    held: u64,
    buy_in: u64,
    sit_and_go: bool,
) -> ApiError {
    if already_seated {
        return ApiError::new(ErrorCode::Conflict, "You already have a seat at this table.");
    }
    if seat_taken {
        return ApiError::new(ErrorCode::Conflict, "That seat was just taken: pick another.");
    }
    if held < buy_in && sit_and_go {
        return ApiError::new(
            ErrorCode::Conflict,
            format!("You have {}: the entry is {}.", chips.amount(held), chips.amount(buy_in)),
        );
    }
    if held < buy_in {
        let message = match chips {
            Chips::Play => format!(
                "You have {held} play chips: buy in for less (they are topped up once a day, \
                 to 100,000 with what you have at tables)."
            ),
            Chips::Inr => {
                format!("You have {} in your wallet: buy in for less, or deposit.", chips.amount(held))
            }
        };
        return ApiError::new(ErrorCode::Conflict, message);
    }
    ApiError::new(ErrorCode::Conflict, "The table changed meanwhile: try again.")
}
