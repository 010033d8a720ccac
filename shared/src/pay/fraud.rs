//! Fraud rules: velocity limits on how often one card (by fingerprint), one email and one
//! client address may attempt payments in a window. An approved payment that breaks a rule is
//! authorized but held — never captured automatically — until the merchant approves (capture)
//! or rejects (release) it in the review queue.

use serde::{Deserialize, Serialize};

/// What is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VelocityKey {
    CardFingerprint,
    Email,
    ClientIp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VelocityRule {
    pub key: VelocityKey,
    /// Attempts allowed in the window, this one included.
    pub limit: i64,
    pub window_ms: i64,
}

/// The gateway's defaults: ten minutes, 5 attempts a card, 10 an email, 20 an address.
pub const RULES: [VelocityRule; 3] = [
    VelocityRule { key: VelocityKey::CardFingerprint, limit: 5, window_ms: 600_000 },
    VelocityRule { key: VelocityKey::Email, limit: 10, window_ms: 600_000 },
    VelocityRule { key: VelocityKey::ClientIp, limit: 20, window_ms: 600_000 },
];

/// Earlier attempts in each rule's window (absent keys — no card, no address — count nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Recent {
    pub card_fingerprint: Option<i64>,
    pub email: Option<i64>,
    pub client_ip: Option<i64>,
}

/// Why a payment is held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flag {
    pub rule: VelocityKey,
    /// Attempts in the window, this one included.
    pub attempts: i64,
    pub limit: i64,
}

/// The rules this attempt breaks (empty: let it through).
pub fn assess(recent: &Recent) -> Vec<Flag> {
    RULES
        .iter()
        .filter_map(|rule| {
            let earlier = match rule.key {
                VelocityKey::CardFingerprint => recent.card_fingerprint,
                VelocityKey::Email => recent.email,
                VelocityKey::ClientIp => recent.client_ip,
            }?;
            let attempts = earlier + 1;
            (attempts > rule.limit).then_some(Flag { rule: rule.key, attempts, limit: rule.limit })
        })
        .collect()
}

/// A held payment's review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    Pending,
    Approved,
    Rejected,
}

impl ReviewStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Pending, Self::Approved, Self::Rejected].into_iter().find(|status| status.as_str() == s)
    }

    /// Only a pending review is decided, once.
    pub fn decide(self, approve: bool) -> Option<Self> {
        (self == Self::Pending).then_some(if approve { Self::Approved } else { Self::Rejected })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_count_this_attempt_too() {
        assert!(assess(&Recent { card_fingerprint: Some(4), email: Some(9), client_ip: Some(19) }).is_empty());
        let flags = assess(&Recent { card_fingerprint: Some(5), email: Some(2), client_ip: None });
        assert_eq!(flags, [Flag { rule: VelocityKey::CardFingerprint, attempts: 6, limit: 5 }]);
        let all = assess(&Recent { card_fingerprint: Some(50), email: Some(50), client_ip: Some(50) });
        assert_eq!(all.len(), 3);
        assert!(assess(&Recent::default()).is_empty(), "nothing to count, nothing to flag");
    }

    #[test]
    fn reviews_are_decided_once() {
        assert_eq!(ReviewStatus::Pending.decide(true), Some(ReviewStatus::Approved));
        assert_eq!(ReviewStatus::Pending.decide(false), Some(ReviewStatus::Rejected));
        assert_eq!(ReviewStatus::Approved.decide(false), None);
        assert_eq!(ReviewStatus::Rejected.decide(true), None);
    }
}
