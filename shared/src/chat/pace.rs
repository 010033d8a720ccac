//! How fast one socket may send frames: a token bucket, so that a burst passes (a phone
//! sending what it queued while offline) and a flood does not.

use serde::{Deserialize, Serialize};

/// The most frames taken at once.
pub const BURST: f64 = 120.0;
/// Frames per second on average.
pub const PER_SECOND: f64 = 20.0;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Pace {
    tokens: f64,
    at_ms: i64,
}

impl Pace {
    pub fn new(now_ms: i64) -> Self {
        Self { tokens: BURST, at_ms: now_ms }
    }

    /// Takes one frame's token; false when the socket must slow down (the frame is refused).
    pub fn take(&mut self, now_ms: i64) -> bool {
        self.take_at_rate(now_ms, BURST, PER_SECOND)
    }

    /// [`Pace::take`] for another product's sockets, at their own burst and rate.
    pub fn take_at_rate(&mut self, now_ms: i64, burst: f64, per_second: f64) -> bool {
        let elapsed_secs = (now_ms - self.at_ms).max(0) as f64 / 1000.0;
        self.tokens = (self.tokens + elapsed_secs * per_second).min(burst);
        self.at_ms = self.at_ms.max(now_ms);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_passes_and_a_flood_is_slowed_to_the_rate() {
        let mut pace = Pace::new(0);
        assert_eq!((0..200).filter(|_| pace.take(0)).count(), BURST as usize);
        assert!(!pace.take(0));
        assert_eq!((0..100).filter(|_| pace.take(1_000)).count(), PER_SECOND as usize);
        // A clock that steps back gives nothing away.
        assert!(!pace.take(500));
    }

    #[test]
    fn a_quiet_socket_refills_to_the_burst_and_no_further() {
        let mut pace = Pace::new(0);
        (0..BURST as usize).for_each(|_| assert!(pace.take(0)));
        assert_eq!((0..500).filter(|_| pace.take(3_600_000)).count(), BURST as usize);
    }
}
