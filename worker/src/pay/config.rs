//! Per-deployment settings of Pay.

use shared::pay::RazorpayError;
use worker::Env;

/// The secret that key secrets are derived from, and card fingerprints are keyed with: a
/// Worker secret in production (`wrangler secret put PAY_SECRET`), `.dev.vars` locally.
/// Changing it invalidates every merchant key.
pub fn master_secret(env: &Env) -> Result<Vec<u8>, RazorpayError> {
    Ok(crate::platform::secret(env, "PAY_SECRET")?)
}
