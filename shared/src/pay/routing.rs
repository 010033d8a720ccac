//! Smart routing across simulated processors: each payment goes first to the processor with the
//! best recent record for its method — success rate from sliding time buckets in which recent
//! outcomes weigh more, less a small penalty for latency — except for a small share of
//! exploration that keeps every processor's record fresh; a processor's retryable failure falls
//! back to the next one. The processors are simulated by configured success rates and latencies
//! per method (a merchant may set its own in test mode); randomness is passed in.

use super::{methods::PaymentMethod, RazorpayError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How one processor behaves for one method.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MethodBehaviour {
    /// Share of attempts the processor gets through (0–1); the rest fail retryably.
    pub success_rate: f64,
    pub latency_ms: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProcessorConfig {
    pub id: String,
    pub name: String,
    /// By method name (`card`, `upi`, `netbanking`, `wallet`); a method missing here is not
    /// offered by this processor.
    pub methods: BTreeMap<String, MethodBehaviour>,
}

/// A merchant's routing setup (test mode): the processors and the exploration share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoutingConfig {
    pub processors: Vec<ProcessorConfig>,
    /// Share of payments sent first to a processor other than the best (0–0.5).
    pub exploration: f64,
}

fn behaviour(
    card: (f64, u32),
    upi: (f64, u32),
    netbanking: (f64, u32),
    wallet: (f64, u32),
) -> BTreeMap<String, MethodBehaviour> {
    [("card", card), ("upi", upi), ("netbanking", netbanking), ("wallet", wallet)]
        .into_iter()
        .map(|(m, (success_rate, latency_ms))| (m.to_owned(), MethodBehaviour { success_rate, latency_ms }))
        .collect()
}

impl Default for RoutingConfig {
    /// Three processors: two fast ones that sometimes fail, and a slow one that never does (so
    /// every approved payment gets through, while routing still has something to learn).
    fn default() -> Self {
        Self {
            processors: vec![
                ProcessorConfig {
                    id: "axis".into(),
                    name: "Axis PG (simulated)".into(),
                    methods: behaviour((0.96, 320), (0.93, 450), (0.95, 700), (0.97, 300)),
                },
                ProcessorConfig {
                    id: "hdfc".into(),
                    name: "HDFC PG (simulated)".into(),
                    methods: behaviour((0.92, 250), (0.97, 300), (0.90, 600), (0.95, 280)),
                },
                ProcessorConfig {
                    id: "icici".into(),
                    name: "ICICI PG (simulated)".into(),
                    methods: behaviour((1.0, 900), (1.0, 1_100), (1.0, 1_200), (1.0, 800)),
                },
            ],
            exploration: 0.05,
        }
    }
}

impl RoutingConfig {
    /// Checks a merchant's setup: 1–10 processors with distinct ids, rates in 0–1, latencies
    /// up to 60 s, known methods, exploration in 0–0.5.
    pub fn validate(&self) -> Result<(), RazorpayError> {
        if self.processors.is_empty() || self.processors.len() > 10 {
            return Err(RazorpayError::invalid("processors", "Configure 1 to 10 processors."));
        }
        if !(0.0..=0.5).contains(&self.exploration) {
            return Err(RazorpayError::invalid("exploration", "The exploration share must be 0 to 0.5."));
        }
        let mut ids = std::collections::BTreeSet::new();
        for processor in &self.processors {
            let id_ok = !processor.id.is_empty()
                && processor.id.len() <= 32
                && processor.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !id_ok || !ids.insert(processor.id.clone()) {
                return Err(RazorpayError::invalid(
                    "processors",
                    "Processor ids are distinct, 1–32 of a-z, 0-9 and _.",
                ));
            }
            for (method, b) in &processor.methods {
                method.parse::<PaymentMethod>()?;
                if !(0.0..=1.0).contains(&b.success_rate) || b.latency_ms > 60_000 {
                    return Err(RazorpayError::invalid(
                        "processors",
                        "Success rates are 0 to 1 and latencies at most 60000 ms.",
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Bucket width and how many recent buckets count.
pub const BUCKET_MS: i64 = 5 * 60_000;
pub const BUCKETS: i64 = 12;
/// Each older bucket weighs this much of the next newer one.
pub const DECAY: f64 = 0.8;
/// A processor with no record is assumed this good (as if it had this many attempts at 90%).
const PRIOR_ATTEMPTS: f64 = 5.0;
const PRIOR_SUCCESS_RATE: f64 = 0.9;
/// Score lost per second of average latency.
const LATENCY_PENALTY_PER_S: f64 = 0.05;

/// One bucket of a processor's record for a method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bucket {
    pub start_ms: i64,
    pub attempts: i64,
    pub successes: i64,
    pub latency_total_ms: i64,
}

pub fn bucket_start(now_ms: i64) -> i64 {
    now_ms.div_euclid(BUCKET_MS) * BUCKET_MS
}

/// What the scorer thinks of one processor now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Score {
    pub processor: String,
    /// Decayed attempts in the window.
    pub weighted_attempts: f64,
    /// Smoothed, decayed success rate.
    pub success_rate: f64,
    pub avg_latency_ms: f64,
    pub score: f64,
}

/// Scores a processor from its buckets (others than the last `BUCKETS` are ignored); the
/// configured latency stands in until there is a record.
pub fn score(processor: &str, buckets: &[Bucket], now_ms: i64, configured_latency_ms: u32) -> Score {
    let current = bucket_start(now_ms);
    let (mut attempts, mut successes, mut latency, mut latency_weight) = (0.0, 0.0, 0.0, 0.0);
    for bucket in buckets {
        let age = (current - bucket.start_ms).div_euclid(BUCKET_MS);
        if !(0..BUCKETS).contains(&age) {
            continue;
        }
        let weight = DECAY.powi(age as i32);
        attempts += weight * bucket.attempts as f64;
        successes += weight * bucket.successes as f64;
        if bucket.attempts > 0 {
            latency += weight * bucket.latency_total_ms as f64;
            latency_weight += weight * bucket.attempts as f64;
        }
    }
    let success_rate = (successes + PRIOR_ATTEMPTS * PRIOR_SUCCESS_RATE) / (attempts + PRIOR_ATTEMPTS);
    let avg_latency_ms =
        if latency_weight > 0.0 { latency / latency_weight } else { f64::from(configured_latency_ms) };
    Score {
        processor: processor.to_owned(),
        weighted_attempts: attempts,
        success_rate,
        avg_latency_ms,
        score: success_rate - avg_latency_ms / 1000.0 * LATENCY_PENALTY_PER_S,
    }
}

/// The order to try processors in: best score first, unless `explore_roll` (uniform in 0–1)
/// falls under the exploration share, in which case `pick_roll` picks one of the others to go
/// first. Ties keep the configured order.
pub fn order(scores: &[Score], exploration: f64, explore_roll: f64, pick_roll: f64) -> (Vec<String>, bool) {
    let mut ranked: Vec<&Score> = scores.iter().collect();
    ranked.sort_by(|a, b| b.score.partial_cmp(&a.score).unwrap_or(std::cmp::Ordering::Equal));
    let mut ids: Vec<String> = ranked.iter().map(|s| s.processor.clone()).collect();
    let explored = ids.len() > 1 && explore_roll < exploration;
    if explored {
        let index = 1 + ((pick_roll * (ids.len() - 1) as f64) as usize).min(ids.len() - 2);
        let chosen = ids.remove(index);
        ids.insert(0, chosen);
    }
    (ids, explored)
}

/// Whether a simulated processor gets one attempt through (`roll` uniform in 0–1).
pub fn simulate(behaviour: &MethodBehaviour, roll: f64) -> bool {
    roll < behaviour.success_rate
}

/// A uniform number in [0, 1) from 8 random bytes.
pub fn unit(bytes: [u8; 8]) -> f64 {
    (u64::from_be_bytes(bytes) >> 11) as f64 / (1_u64 << 53) as f64
}

/// One processor's try at one payment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hop {
    pub processor: String,
    pub ok: bool,
    pub latency_ms: u32,
}

/// What routing did for a payment (stored with it, shown on the dashboard).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub method: String,
    pub scores: Vec<Score>,
    pub explored: bool,
    pub hops: Vec<Hop>,
    /// The processor that carried the payment; `None` when every one failed.
    pub processor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_796_000_000_000;

    fn bucket(age: i64, attempts: i64, successes: i64) -> Bucket {
        Bucket {
            start_ms: bucket_start(NOW) - age * BUCKET_MS,
            attempts,
            successes,
            latency_total_ms: attempts * 300,
        }
    }

    #[test]
    fn recent_outcomes_weigh_more() {
        let recovered = score("a", &[bucket(0, 10, 10), bucket(5, 10, 0)], NOW, 300);
        let failing = score("b", &[bucket(0, 10, 0), bucket(5, 10, 10)], NOW, 300);
        assert!(recovered.score > failing.score, "{recovered:?} {failing:?}");
        let ancient = score("c", &[bucket(BUCKETS, 100, 0)], NOW, 300);
        assert!((ancient.success_rate - PRIOR_SUCCESS_RATE).abs() < 1e-9, "outside the window");
        let unknown = score("d", &[], NOW, 300);
        assert_eq!(unknown.weighted_attempts, 0.0);
        assert!((unknown.success_rate - 0.9).abs() < 1e-9);
    }

    #[test]
    fn latency_breaks_near_ties() {
        let fast = score("fast", &[], NOW, 200);
        let slow = score("slow", &[], NOW, 1_200);
        assert!(fast.score > slow.score);
        let reliable_slow = score("slow", &[bucket(0, 20, 20)], NOW, 1_200);
        let flaky_fast = score("fast", &[bucket(0, 20, 14)], NOW, 200);
        assert!(reliable_slow.score > flaky_fast.score, "success matters more than speed");
    }

    #[test]
    fn best_first_with_a_little_exploration() {
        let scores = vec![
            Score {
                processor: "a".into(),
                weighted_attempts: 0.0,
                success_rate: 0.5,
                avg_latency_ms: 0.0,
                score: 0.5,
            },
            Score {
                processor: "b".into(),
                weighted_attempts: 0.0,
                success_rate: 0.9,
                avg_latency_ms: 0.0,
                score: 0.9,
            },
            Score {
                processor: "c".into(),
                weighted_attempts: 0.0,
                success_rate: 0.7,
                avg_latency_ms: 0.0,
                score: 0.7,
            },
        ];
        assert_eq!(order(&scores, 0.05, 0.5, 0.0), (vec!["b".into(), "c".into(), "a".into()], false));
        let (explored, flag) = order(&scores, 0.05, 0.01, 0.99);
        assert!(flag);
        assert_eq!(explored[0], "a");
        assert_eq!(order(&scores, 0.05, 0.01, 0.0).0[0], "c");
        assert_eq!(order(&scores, 0.0, 0.0, 0.0).0[0], "b", "no exploration configured");
        assert_eq!(order(&scores[..1], 0.5, 0.0, 0.0), (vec!["a".into()], false));
    }

    #[test]
    fn simulation_and_randomness() {
        let b = MethodBehaviour { success_rate: 0.25, latency_ms: 100 };
        assert!(simulate(&b, 0.2) && !simulate(&b, 0.3));
        assert!(!simulate(&MethodBehaviour { success_rate: 0.0, latency_ms: 0 }, 0.0));
        assert!(simulate(&MethodBehaviour { success_rate: 1.0, latency_ms: 0 }, 0.999_999));
        assert_eq!(unit([0; 8]), 0.0);
        assert!(unit([255; 8]) < 1.0);
    }

    #[test]
    fn configs() {
        assert!(RoutingConfig::default().validate().is_ok());
        let mut bad = RoutingConfig::default();
        bad.processors[1].id = "axis".into();
        assert!(bad.validate().is_err(), "duplicate ids");
        let bad = RoutingConfig { exploration: 0.9, ..RoutingConfig::default() };
        assert!(bad.validate().is_err());
        let mut bad = RoutingConfig::default();
        bad.processors[0].methods.insert("emi".into(), MethodBehaviour { success_rate: 1.0, latency_ms: 1 });
        assert!(bad.validate().is_err());
        let mut bad = RoutingConfig::default();
        bad.processors[0].methods.get_mut("card").unwrap().success_rate = 1.5;
        assert!(bad.validate().is_err());
    }
}
