//! How many links a caller may create: strict for anonymous callers (per address), roomier
//! for accounts, roomiest per API key (programs shorten in bulk).

use crate::rate_limit::RateLimit;

pub const ANONYMOUS_CREATES: RateLimit = RateLimit { limit: 20, window_secs: 600 };
pub const ACCOUNT_CREATES: RateLimit = RateLimit { limit: 300, window_secs: 600 };
pub const API_KEY_CREATES: RateLimit = RateLimit { limit: 1_200, window_secs: 600 };
