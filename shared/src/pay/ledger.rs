//! The double-entry ledger behind every amount that moves: a capture, its fee and tax, a
//! refund, a settlement. Each movement is a set of postings that sums to zero (debits positive,
//! credits negative), so the books of every merchant — and of Dozen — always sum to zero, and a
//! merchant's balance is just the sum of its `MerchantBalance` postings.

use super::money::Fee;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Account {
    /// Money the card networks and banks hold for us from captured payments (an asset).
    CustomerFunds,
    /// What Dozen owes the merchant and has not paid out yet (a liability).
    MerchantBalance,
    /// Dozen's fee, net of tax.
    FeeRevenue,
    /// GST collected on fees, owed to the government.
    TaxPayable,
    /// Paid out to the merchant's bank account by settlements.
    SettledToMerchant,
}

impl Account {
    pub const ALL: [Self; 5] = [
        Self::CustomerFunds,
        Self::MerchantBalance,
        Self::FeeRevenue,
        Self::TaxPayable,
        Self::SettledToMerchant,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::CustomerFunds => "customer_funds",
            Self::MerchantBalance => "merchant_balance",
            Self::FeeRevenue => "fee_revenue",
            Self::TaxPayable => "tax_payable",
            Self::SettledToMerchant => "settled_to_merchant",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// One line of a journal entry: positive debits, negative credits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    pub account: Account,
    pub amount: i64,
}

const fn post(account: Account, amount: i64) -> Posting {
    Posting { account, amount }
}

/// What a movement is, which decides its postings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Movement {
    Capture,
    Refund,
    Settlement,
    /// Money sent from the merchant's balance to someone's account (Poker's withdrawals).
    Payout,
}

impl Movement {
    pub const ALL: [Self; 4] = [Self::Capture, Self::Refund, Self::Settlement, Self::Payout];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Capture => "capture",
            Self::Refund => "refund",
            Self::Settlement => "settlement",
            Self::Payout => "payout",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// Captured `amount` comes in; the merchant is owed it less the fee; the fee splits into
/// revenue and tax.
pub fn capture(amount: i64, fee: Fee) -> Vec<Posting> {
    vec![
        post(Account::CustomerFunds, amount),
        post(Account::MerchantBalance, -(amount - fee.fee)),
        post(Account::FeeRevenue, -(fee.fee - fee.tax)),
        post(Account::TaxPayable, -fee.tax),
    ]
}

/// A refund goes back out of the merchant's balance (Razorpay keeps the original fee).
pub fn refund(amount: i64) -> Vec<Posting> {
    vec![post(Account::MerchantBalance, amount), post(Account::CustomerFunds, -amount)]
}

/// A settlement pays the merchant's balance out to its bank.
pub fn settlement(amount: i64) -> Vec<Posting> {
    vec![post(Account::MerchantBalance, amount), post(Account::SettledToMerchant, -amount)]
}

/// A payout leaves the merchant's balance for someone's account, out of the funds held.
pub fn payout(amount: i64) -> Vec<Posting> {
    vec![post(Account::MerchantBalance, amount), post(Account::CustomerFunds, -amount)]
}

pub fn is_balanced(postings: &[Posting]) -> bool {
    postings.iter().map(|p| i128::from(p.amount)).sum::<i128>() == 0
}

/// What the merchant is owed after these postings (the balance is a credit: negated).
pub fn merchant_balance<'a>(postings: impl IntoIterator<Item = &'a Posting>) -> i64 {
    -postings.into_iter().filter(|p| p.account == Account::MerchantBalance).map(|p| p.amount).sum::<i64>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pay::money::fee_for;

    #[test]
    fn every_movement_balances() {
        for amount in [100, 101, 999, 50_000, 12_345_678] {
            let fee = fee_for(amount, false);
            assert!(is_balanced(&capture(amount, fee)), "{amount}");
            assert!(is_balanced(&refund(amount)));
            assert!(is_balanced(&settlement(amount)));
            assert!(is_balanced(&payout(amount)));
        }
    }

    #[test]
    fn a_day_of_business_sums_to_zero_and_leaves_the_right_balance() {
        let fee = fee_for(50_000, false);
        let mut books = capture(50_000, fee);
        books.extend(refund(20_000));
        assert_eq!(merchant_balance(&books), 50_000 - 1_180 - 20_000);
        books.extend(settlement(merchant_balance(&books)));
        assert_eq!(merchant_balance(&books), 0);
        assert!(is_balanced(&books));
        let revenue: i64 = books.iter().filter(|p| p.account == Account::FeeRevenue).map(|p| p.amount).sum();
        assert_eq!(revenue, -1_000);
    }

    #[test]
    fn account_names_round_trip() {
        for account in Account::ALL {
            assert_eq!(Account::parse(account.as_str()), Some(account));
        }
    }
}
