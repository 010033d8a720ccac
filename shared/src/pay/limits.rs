//! How often callers may use Pay's public surfaces.

use crate::rate_limit::RateLimit;

/// Checkout attempts (payments and OTPs) per client address: enough for a customer who mistypes,
/// too few to test stolen cards in bulk.
pub const CHECKOUT_ATTEMPTS: RateLimit = RateLimit { limit: 30, window_secs: 600 };
