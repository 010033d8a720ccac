//! Slowing down password guessing. Failed sign-ins are counted per client and per
//! (client, account); past a few free failures each further attempt must wait for a delay
//! that doubles with every failure, up to a ceiling. A success clears the count for that
//! account; a quiet window forgets it.

/// A policy: how many failures are free and how long the waits grow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    pub free_failures: u32,
    pub base_delay_secs: i64,
    pub max_delay_secs: i64,
    /// Failures older than this (since the last one) are forgotten.
    pub forget_after_secs: i64,
}

/// One client guessing one account's password.
pub const PER_ACCOUNT: ThrottlePolicy = ThrottlePolicy {
    free_failures: 5,
    base_delay_secs: 30,
    max_delay_secs: 15 * 60,
    forget_after_secs: 60 * 60,
};

/// One client guessing across many accounts.
pub const PER_CLIENT: ThrottlePolicy = ThrottlePolicy {
    free_failures: 50,
    base_delay_secs: 60,
    max_delay_secs: 60 * 60,
    forget_after_secs: 60 * 60,
};

/// What is remembered about a throttle key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailureRecord {
    pub failures: u32,
    pub last_failure_ms: i64,
}

impl ThrottlePolicy {
    /// `Err(seconds)` when an attempt must wait.
    pub fn check(&self, record: Option<FailureRecord>, now_ms: i64) -> Result<(), u32> {
        let Some(record) = self.current(record, now_ms) else { return Ok(()) };
        if record.failures < self.free_failures {
            return Ok(());
        }
        let doublings = (record.failures - self.free_failures).min(20);
        let delay_ms = (self.base_delay_secs << doublings).min(self.max_delay_secs) * 1000;
        let wait_ms = record.last_failure_ms + delay_ms - now_ms;
        if wait_ms <= 0 {
            Ok(())
        } else {
            Err(u32::try_from((wait_ms + 999) / 1000).unwrap_or(u32::MAX))
        }
    }

    /// The record after one more failure at `now_ms`.
    pub fn record_failure(&self, record: Option<FailureRecord>, now_ms: i64) -> FailureRecord {
        let failures = self.current(record, now_ms).map_or(0, |r| r.failures);
        FailureRecord { failures: failures.saturating_add(1), last_failure_ms: now_ms }
    }

    fn current(&self, record: Option<FailureRecord>, now_ms: i64) -> Option<FailureRecord> {
        record.filter(|r| now_ms - r.last_failure_ms < self.forget_after_secs * 1000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_failures_then_doubling_waits_up_to_the_ceiling() {
        let p = PER_ACCOUNT;
        let mut record = None;
        let t0 = 1_000_000;
        for _ in 0..5 {
            assert_eq!(p.check(record, t0), Ok(()));
            record = Some(p.record_failure(record, t0));
        }
        assert_eq!(p.check(record, t0), Err(30));
        assert_eq!(p.check(record, t0 + 29_500), Err(1));
        assert_eq!(p.check(record, t0 + 30_000), Ok(()));
        record = Some(p.record_failure(record, t0 + 30_000));
        assert_eq!(p.check(record, t0 + 30_000), Err(60));
        for _ in 0..30 {
            record = Some(p.record_failure(record, t0 + 30_000));
        }
        assert_eq!(p.check(record, t0 + 30_000), Err(900), "capped at 15 minutes");
    }

    #[test]
    fn a_quiet_hour_forgets() {
        let p = PER_ACCOUNT;
        let record = Some(FailureRecord { failures: 40, last_failure_ms: 0 });
        assert_eq!(p.check(record, 3_600_000), Ok(()));
        assert_eq!(p.record_failure(record, 3_600_000).failures, 1);
    }
}
