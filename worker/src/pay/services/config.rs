//! Per-deployment settings of Pay.

use shared::pay::{settlement::DEFAULT_SETTLEMENT_DAYS, RazorpayError};
use worker::Env;

/// The secret that key secrets are derived from, and card fingerprints are keyed with: a
/// Worker secret in production (`wrangler secret put PAY_SECRET`), `.dev.vars` locally.
/// Changing it invalidates every merchant key.
pub fn master_secret(env: &Env) -> Result<Vec<u8>, RazorpayError> {
    Ok(crate::platform::secret(env, "PAY_SECRET")?)
}

/// T+N from `PAY_SETTLEMENT_DAYS` (default 2).
pub fn settlement_days(env: &Env) -> i64 {
    env.var("PAY_SETTLEMENT_DAYS")
        .ok()
        .and_then(|v| v.to_string().parse().ok())
        .filter(|d| (0..=30).contains(d))
        .unwrap_or(DEFAULT_SETTLEMENT_DAYS)
}
