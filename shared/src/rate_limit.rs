//! Fixed-window rate limits: how many requests a caller may make per window, and the
//! `RateLimit-*` headers that tell them where they stand (the IETF httpapi draft's fields).
//! Counting happens in storage (the worker's `rate_limit`), deciding happens here.

use crate::error::ApiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed per window.
    pub limit: u32,
    pub window_secs: i64,
}

/// Where a caller stands after one more request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub allowed: bool,
    pub remaining: u32,
    /// Seconds until the window resets.
    pub reset_secs: u32,
}

impl RateLimit {
    /// The start (unix ms) of the window `now_ms` falls in.
    pub fn window_start(&self, now_ms: i64) -> i64 {
        let window_ms = self.window_secs * 1000;
        now_ms.div_euclid(window_ms) * window_ms
    }

    /// The standing after the `count`-th request of the window that started at `window_start`.
    pub fn standing(&self, count: u32, window_start: i64, now_ms: i64) -> Standing {
        let reset_ms = window_start + self.window_secs * 1000 - now_ms;
        Standing {
            allowed: count <= self.limit,
            remaining: self.limit.saturating_sub(count),
            reset_secs: u32::try_from((reset_ms + 999) / 1000).unwrap_or(u32::MAX).max(1),
        }
    }

    /// `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` and `RateLimit-Policy`.
    pub fn headers(&self, standing: Standing) -> Vec<(String, String)> {
        vec![
            ("RateLimit-Limit".to_owned(), self.limit.to_string()),
            ("RateLimit-Remaining".to_owned(), standing.remaining.to_string()),
            ("RateLimit-Reset".to_owned(), standing.reset_secs.to_string()),
            ("RateLimit-Policy".to_owned(), format!("{};w={}", self.limit, self.window_secs)),
        ]
    }

    /// The 429 for a caller over the limit, with `Retry-After` and the `RateLimit-*` headers.
    pub fn exceeded(&self, standing: Standing) -> ApiError {
        let mut err = ApiError::rate_limited(standing.reset_secs);
        err.message = format!(
            "You may do this {} times per {} minutes. Try again in {} seconds.",
            self.limit,
            self.window_secs / 60,
            standing.reset_secs
        );
        err.headers = self.headers(standing);
        err
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEN_PER_MINUTE: RateLimit = RateLimit { limit: 10, window_secs: 60 };

    #[test]
    fn windows_are_aligned() {
        assert_eq!(TEN_PER_MINUTE.window_start(125_000), 120_000);
        assert_eq!(TEN_PER_MINUTE.window_start(-1), -60_000);
    }

    #[test]
    fn the_limit_is_inclusive_and_reset_counts_down() {
        let start = 120_000;
        let tenth = TEN_PER_MINUTE.standing(10, start, 150_000);
        assert_eq!(tenth, Standing { allowed: true, remaining: 0, reset_secs: 30 });
        let eleventh = TEN_PER_MINUTE.standing(11, start, 179_500);
        assert_eq!(eleventh, Standing { allowed: false, remaining: 0, reset_secs: 1 });
    }

    #[test]
    fn exceeding_gives_a_429_with_headers() {
        let err = TEN_PER_MINUTE.exceeded(TEN_PER_MINUTE.standing(11, 0, 15_000));
        assert_eq!((err.status(), err.retry_after_secs), (429, Some(45)));
        assert!(err.headers.contains(&("RateLimit-Policy".to_owned(), "10;w=60".to_owned())));
        assert!(err.message.contains("10 times"), "{}", err.message);
    }
}
