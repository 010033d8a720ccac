//! Real money: a wallet in rupees beside the play chips. A deposit is a Pay order made by the
//! house (a system merchant nobody signs in as) and paid through Pay's hosted checkout; the wallet
//! is credited, with what was paid less Pay's fee, in the same D1 transaction that captures the
//! payment, never on a client's word. A withdrawal is a Pay payout to the player's UPI ID, taken
//! from the wallet in the transaction that posts it to Pay's ledger. A table plays either play
//! chips or rupees (in paise), so at every moment the rupee wallets and the rupee seats add up to
//! the house's balance in Pay's ledger (deposits captured, less fees, less payouts), which is
//! never settled away.

use crate::{
    pay::{
        methods::validate_vpa,
        money::{currency, fee_for, format_amount},
    },
    ApiError, ErrorCode,
};
use serde::{Deserialize, Serialize};

/// The house's account: Pay's merchant for every deposit and payout (migration 0032 makes it).
pub const HOUSE_USER_ID: &str = "01M8MZ2A0000000000000HOUSE";

/// The smallest deposit and the largest, in paise (₹100 and ₹50,000).
pub const DEPOSIT_MIN_PAISE: u64 = 10_000;
pub const DEPOSIT_MAX_PAISE: u64 = 5_000_000;
/// The smallest withdrawal, in paise (₹100).
pub const WITHDRAWAL_MIN_PAISE: u64 = 10_000;

/// What a table's chips are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Chips {
    /// Play chips, topped up daily; worth nothing.
    #[default]
    Play,
    /// Rupees from the real-money wallet, counted in paise (a 100/200 table is ₹1/₹2).
    Inr,
}

impl Chips {
    /// As `poker_tables.currency` holds it.
    pub fn as_str(self) -> &'static str {
        match self {
            Chips::Play => "play",
            Chips::Inr => "inr",
        }
    }

    /// An amount of these chips as people read it: `12500 play chips`, `INR 125.00`.
    pub fn amount(self, n: u64) -> String {
        match self {
            Chips::Play => format!("{n} play chips"),
            Chips::Inr => rupees(n),
        }
    }
}

/// Paise as an error message writes rupees: `INR 1234.50` (Pay's form; the pages use the
/// browser's Indian grouping, `₹1,234.50`).
pub fn rupees(paise: u64) -> String {
    let amount = i64::try_from(paise).unwrap_or(i64::MAX);
    currency("INR").map_or_else(|_| format!("{paise} paise"), |inr| format_amount(amount, inr))
}

/// What a deposit of `amount` paise puts in the wallet: the amount less Pay's fee, as Pay's
/// ledger credits the house with it (`pay::money::fee_for`, a domestic payment).
pub fn deposit_credit(amount: u64) -> u64 {
    let paid = i64::try_from(amount).unwrap_or(i64::MAX);
    u64::try_from(paid - fee_for(paid, false).fee).unwrap_or(0)
}

/// `POST /api/poker/wallet/deposits`: how much to add, in paise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewDeposit {
    /// Paise, ₹100 (10000) to ₹50,000 (5000000).
    pub amount: u64,
}

impl NewDeposit {
    pub fn check(&self) -> Result<u64, ApiError> {
        if !(DEPOSIT_MIN_PAISE..=DEPOSIT_MAX_PAISE).contains(&self.amount) {
            return Err(ApiError::invalid(
                "amount",
                format!(
                    "Deposit {} to {} (the amount is in paise).",
                    rupees(DEPOSIT_MIN_PAISE),
                    rupees(DEPOSIT_MAX_PAISE)
                ),
            ));
        }
        Ok(self.amount)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DepositStatus {
    /// Waiting for its payment.
    Pending,
    /// Paid, captured and in the wallet.
    Credited,
}

/// A deposit: its Pay order and where to pay it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DepositView {
    /// The Pay order (`order_…`).
    pub id: String,
    /// Paise paid.
    pub amount: u64,
    /// Paise put in the wallet: what was paid less Pay's fee (2% and GST on it).
    pub credit: u64,
    pub currency: String,
    pub status: DepositStatus,
    /// Pay's hosted checkout for it, back to the wallet page once paid.
    pub checkout_url: String,
    /// RFC 3339.
    pub created_at: String,
    pub credited_at: Option<String>,
}

/// `POST /api/poker/wallet/withdrawals`: how much, in paise, to which UPI ID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewWithdrawal {
    /// Paise, at least ₹100 (10000), at most what the wallet holds.
    pub amount: u64,
    /// The UPI ID paid, `name@bank`.
    pub vpa: String,
}

impl NewWithdrawal {
    /// The amount and the UPI ID (lower-cased) if they are well formed; the wallet's balance is
    /// checked in the transaction that takes it.
    pub fn check(&self) -> Result<(u64, String), ApiError> {
        if self.amount < WITHDRAWAL_MIN_PAISE {
            return Err(ApiError::invalid(
                "amount",
                format!("Withdraw at least {} (the amount is in paise).", rupees(WITHDRAWAL_MIN_PAISE)),
            ));
        }
        let vpa = validate_vpa(&self.vpa)
            .map_err(|_| ApiError::invalid("vpa", "Give a UPI ID such as name@bank."))?;
        Ok((self.amount, vpa))
    }
}

/// Why a withdrawal the rules allow was not taken: the wallet holds less.
pub fn short_of(inr_paise: u64, amount: u64) -> ApiError {
    ApiError::new(
        ErrorCode::Conflict,
        format!(
            "You have {} in your wallet: withdraw {} or less.",
            rupees(inr_paise),
            rupees(inr_paise.min(amount))
        ),
    )
}

/// A withdrawal: paid out through Pay to a UPI ID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WithdrawalView {
    pub id: String,
    /// Paise.
    pub amount: u64,
    pub currency: String,
    pub vpa: String,
    /// Pay's payout (`pout_…`).
    pub payout_id: String,
    /// RFC 3339.
    pub created_at: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_as_rupees_or_play_chips() {
        assert_eq!(rupees(123_450), "INR 1234.50");
        assert_eq!(rupees(5), "INR 0.05");
        assert_eq!(Chips::Play.amount(12_500), "12500 play chips");
        assert_eq!(Chips::Inr.amount(10_000), "INR 100.00");
        assert_eq!(serde_json::to_string(&Chips::Inr).unwrap(), "\"inr\"");
        assert_eq!(Chips::default(), Chips::Play);
    }

    #[test]
    fn deposits_and_withdrawals_are_bounded_and_name_the_field() {
        assert_eq!(NewDeposit { amount: DEPOSIT_MIN_PAISE }.check().unwrap(), DEPOSIT_MIN_PAISE);
        for bad in [0, DEPOSIT_MIN_PAISE - 1, DEPOSIT_MAX_PAISE + 1] {
            assert_eq!(NewDeposit { amount: bad }.check().unwrap_err().field.as_deref(), Some("amount"));
        }
        let ok = NewWithdrawal { amount: 20_000, vpa: " Ann@OkHDFC ".into() }.check().unwrap();
        assert_eq!(ok, (20_000, "ann@okhdfc".to_owned()));
        let small = NewWithdrawal { amount: 99, vpa: "ann@okhdfc".into() }.check().unwrap_err();
        assert_eq!(small.field.as_deref(), Some("amount"));
        let vpa = NewWithdrawal { amount: 20_000, vpa: "not a vpa".into() }.check().unwrap_err();
        assert_eq!(vpa.field.as_deref(), Some("vpa"));
        assert!(short_of(5_000, 20_000).message.contains("INR 50.00"));
        // ₹1,000 paid: Pay keeps 2% (₹20) and 18% GST on it (₹3.60).
        assert_eq!(deposit_credit(100_000), 97_640);
        assert_eq!(deposit_credit(DEPOSIT_MIN_PAISE), 9_764);
    }
}
