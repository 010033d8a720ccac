//! Per-deployment settings of Pay.

use shared::pay::RazorpayError;
use worker::{console_error, Env};

/// The secret that key secrets are derived from, and card fingerprints are keyed with: a
/// Worker secret in production (`wrangler secret put PAY_SECRET`), `.dev.vars` locally.
/// Changing it invalidates every merchant key.
pub fn master_secret(env: &Env) -> Result<Vec<u8>, RazorpayError> {
    env.secret("PAY_SECRET")
        .map(|s| s.to_string())
        .or_else(|_| env.var("PAY_SECRET").map(|v| v.to_string()))
        .map(String::into_bytes)
        .map_err(|_| {
            console_error!("PAY_SECRET is not set; run `wrangler secret put PAY_SECRET`");
            RazorpayError::server_error()
        })
}
