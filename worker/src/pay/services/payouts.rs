//! Payouts: a merchant's money sent to a UPI ID (RazorpayX's payouts, paid at once by the test
//! bank). A payout is statements for the caller's transaction, so what it pays for (Poker's
//! withdrawal taken from a wallet) lands in the same commit as the payout and its postings.

use crate::pay::store::payouts::{self, NewPayout};
use shared::{
    pay::{ids::PayoutId, ledger},
    ApiError,
};
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

/// A payout to make, with the bank's reference drawn for it.
pub struct Payout {
    pub id: PayoutId,
    pub utr: String,
}

impl Payout {
    pub fn new(now_ms: i64) -> Result<Payout, ApiError> {
        Ok(Payout {
            id: PayoutId::new(now_ms, crate::password::random::<8>()?),
            utr: super::runtime::digits(12)?,
        })
    }

    /// The statements that pay `amount` of `currency` from `merchant_id`'s balance to `vpa`,
    /// only where `guard` holds when they run.
    #[allow(clippy::too_many_arguments)]
    pub fn statements(
        &self,
        db: &D1Database,
        merchant_id: &str,
        amount: i64,
        currency: &str,
        vpa: &str,
        reference_id: &str,
        now_ms: i64,
        guard: &str,
        guard_args: &[JsValue],
    ) -> Result<Vec<D1PreparedStatement>, ApiError> {
        let postings = ledger::payout(amount);
        let payout = NewPayout {
            id: self.id.as_str(),
            merchant_id,
            amount,
            currency,
            vpa,
            utr: &self.utr,
            reference_id: Some(reference_id),
            postings: &postings,
            now_ms,
        };
        payouts::insert(db, &payout, guard, guard_args)
    }
}
