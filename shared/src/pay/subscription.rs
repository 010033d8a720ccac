//! Subscriptions: a plan charged every cycle to an instrument the customer authorized once.
//! Status created → authenticated (authorized; the first charge is later: a trial, `start_at`)
//! → active (charged) → … → completed after `total_count` cycles; a failed charge makes it
//! pending and is retried 1, 2 and 3 days later, after which it is halted; it may be paused,
//! resumed and cancelled (now or at the end of the cycle); unauthorized by `expire_by`, it
//! expires. The schedule is decided here; the worker charges what is due on the Cron Trigger.

use super::{
    notes::parse_notes,
    plan::{advance, Period},
    RazorpayError,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SubStatus {
    Created,
    Authenticated,
    Active,
    Pending,
    Halted,
    Paused,
    Cancelled,
    Completed,
    Expired,
}

impl SubStatus {
    pub const ALL: [Self; 9] = [
        Self::Created,
        Self::Authenticated,
        Self::Active,
        Self::Pending,
        Self::Halted,
        Self::Paused,
        Self::Cancelled,
        Self::Completed,
        Self::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Authenticated => "authenticated",
            Self::Active => "active",
            Self::Pending => "pending",
            Self::Halted => "halted",
            Self::Paused => "paused",
            Self::Cancelled => "cancelled",
            Self::Completed => "completed",
            Self::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == s)
    }

    pub fn is_final(self) -> bool {
        matches!(self, Self::Cancelled | Self::Completed | Self::Expired)
    }

    /// Statuses in which the schedule charges.
    pub fn is_billing(self) -> bool {
        matches!(self, Self::Authenticated | Self::Active | Self::Pending)
    }

    pub fn authorize(self) -> Result<(), RazorpayError> {
        match self {
            Self::Created => Ok(()),
            _ => Err(RazorpayError::not_allowed(format!(
                "This subscription is {} and needs no authorization",
                self.as_str()
            ))),
        }
    }

    pub fn cancel(self) -> Result<Self, RazorpayError> {
        if self.is_final() {
            return Err(RazorpayError::not_allowed(format!(
                "A subscription that is {} cannot be cancelled",
                self.as_str()
            )));
        }
        Ok(Self::Cancelled)
    }

    pub fn pause(self) -> Result<Self, RazorpayError> {
        match self {
            Self::Active => Ok(Self::Paused),
            _ => Err(RazorpayError::not_allowed(format!(
                "Only an active subscription can be paused; this one is {}",
                self.as_str()
            ))),
        }
    }

    pub fn resume(self) -> Result<Self, RazorpayError> {
        match self {
            Self::Paused => Ok(Self::Active),
            _ => Err(RazorpayError::not_allowed(format!(
                "Only a paused subscription can be resumed; this one is {}",
                self.as_str()
            ))),
        }
    }
}

/// Days after a failed charge that it is retried; after the last, the subscription halts.
pub const RETRY_DELAYS_MS: [i64; 3] = [86_400_000, 2 * 86_400_000, 3 * 86_400_000];
pub const MAX_TOTAL_COUNT: i64 = 1_200;
/// A created subscription waits this long for its authorization unless `expire_by` says.
pub const DEFAULT_AUTH_WINDOW_MS: i64 = 30 * 86_400_000;
/// `start_at` and `expire_by` lie within this much of now (timestamps stay far below 2^53 ms).
pub const MAX_AHEAD_MS: i64 = 5 * 365 * 86_400_000;

/// The billing state of a subscription, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Billing {
    pub status: SubStatus,
    pub period: Period,
    pub interval: i64,
    pub total_count: i64,
    pub paid_count: i64,
    /// When cycle 1 starts (authorization time, or `start_at`).
    pub start_at: i64,
    /// Failed charges of the current cycle.
    pub failed_attempts: i64,
}

/// What one charge changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AfterCharge {
    pub status: SubStatus,
    pub paid_count: i64,
    pub failed_attempts: i64,
    /// The next charge (or retry); `None` when nothing more is due.
    pub charge_at: Option<i64>,
    /// The cycle the charge paid for, when it succeeded.
    pub current: Option<(i64, i64)>,
}

impl Billing {
    /// Start and end of cycle `n` (1-based).
    pub fn cycle(&self, n: i64) -> (i64, i64) {
        (
            advance(self.start_at, self.period, self.interval, n - 1),
            advance(self.start_at, self.period, self.interval, n),
        )
    }

    /// When the subscription's last cycle ends.
    pub fn end_at(&self) -> i64 {
        advance(self.start_at, self.period, self.interval, self.total_count)
    }

    /// The state after a charge for the next unpaid cycle, at `now_ms`.
    pub fn after_charge(&self, succeeded: bool, now_ms: i64) -> AfterCharge {
        if succeeded {
            let paid_count = self.paid_count + 1;
            let cycle = self.cycle(paid_count);
            let done = paid_count >= self.total_count;
            return AfterCharge {
                status: if done { SubStatus::Completed } else { SubStatus::Active },
                paid_count,
                failed_attempts: 0,
                charge_at: (!done).then_some(cycle.1),
                current: Some(cycle),
            };
        }
        let failed_attempts = self.failed_attempts + 1;
        match RETRY_DELAYS_MS.get((failed_attempts - 1) as usize) {
            Some(delay) => AfterCharge {
                status: SubStatus::Pending,
                paid_count: self.paid_count,
                failed_attempts,
                charge_at: Some(now_ms + delay),
                current: None,
            },
            None => AfterCharge {
                status: SubStatus::Halted,
                paid_count: self.paid_count,
                failed_attempts,
                charge_at: None,
                current: None,
            },
        }
    }
}

/// A checked `POST /v1/subscriptions` body.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSubscription {
    pub plan_id: String,
    pub total_count: i64,
    pub quantity: i64,
    pub start_at_ms: Option<i64>,
    pub expire_by_ms: i64,
    pub customer_notify: bool,
    pub customer_id: Option<String>,
    pub notes: Map<String, Value>,
}

fn integer(value: Option<&Value>, field: &str) -> Result<Option<i64>, RazorpayError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| RazorpayError::invalid(field, format!("The {field} must be an integer."))),
        Some(Value::String(s)) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| RazorpayError::invalid(field, format!("The {field} must be an integer."))),
        Some(_) => Err(RazorpayError::invalid(field, format!("The {field} must be an integer."))),
    }
}

impl NewSubscription {
    pub fn parse(body: &Map<String, Value>, now_ms: i64) -> Result<Self, RazorpayError> {
        let plan_id = body
            .get("plan_id")
            .and_then(Value::as_str)
            .ok_or_else(|| RazorpayError::invalid("plan_id", "The plan_id field is required."))?
            .to_owned();
        let total_count = integer(body.get("total_count"), "total_count")?
            .ok_or_else(|| RazorpayError::invalid("total_count", "The total_count field is required."))?;
        if !(1..=MAX_TOTAL_COUNT).contains(&total_count) {
            return Err(RazorpayError::invalid(
                "total_count",
                format!("The total_count must be 1 to {MAX_TOTAL_COUNT}."),
            ));
        }
        let quantity = integer(body.get("quantity"), "quantity")?.unwrap_or(1);
        if !(1..=100).contains(&quantity) {
            return Err(RazorpayError::invalid("quantity", "The quantity must be 1 to 100."));
        }
        let horizon = now_ms + MAX_AHEAD_MS;
        let start_at_ms = integer(body.get("start_at"), "start_at")?.map(|s| s.saturating_mul(1000));
        if start_at_ms.is_some_and(|s| s <= now_ms || s > horizon) {
            return Err(RazorpayError::invalid("start_at", "The start_at must be in the next 5 years."));
        }
        let expire_by_ms = integer(body.get("expire_by"), "expire_by")?.map(|s| s.saturating_mul(1000));
        if expire_by_ms.is_some_and(|e| e <= now_ms || e > horizon) {
            return Err(RazorpayError::invalid("expire_by", "The expire_by must be in the next 5 years."));
        }
        let customer_notify = match body.get("customer_notify") {
            None | Some(Value::Null) => true,
            Some(Value::Bool(b)) => *b,
            Some(Value::Number(n)) => n.as_i64() != Some(0),
            Some(_) => {
                return Err(RazorpayError::invalid(
                    "customer_notify",
                    "The customer_notify must be true or false.",
                ))
            }
        };
        Ok(Self {
            plan_id,
            total_count,
            quantity,
            start_at_ms,
            expire_by_ms: expire_by_ms.unwrap_or(now_ms + DEFAULT_AUTH_WINDOW_MS),
            customer_notify,
            customer_id: body.get("customer_id").and_then(Value::as_str).map(str::to_owned),
            notes: parse_notes(body.get("notes"))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const DAY: i64 = 86_400_000;

    fn weekly(total_count: i64) -> Billing {
        Billing {
            status: SubStatus::Active,
            period: Period::Weekly,
            interval: 1,
            total_count,
            paid_count: 0,
            start_at: 0,
            failed_attempts: 0,
        }
    }

    #[test]
    fn each_success_pays_the_next_cycle_until_the_total() {
        let mut billing = weekly(3);
        let mut charged = Vec::new();
        loop {
            let after = billing.after_charge(true, 0);
            charged.push(after.current.unwrap());
            billing = Billing { paid_count: after.paid_count, status: after.status, ..billing };
            if after.status == SubStatus::Completed {
                assert_eq!(after.charge_at, None);
                break;
            }
            assert_eq!(after.charge_at, Some(after.current.unwrap().1));
        }
        assert_eq!(charged, [(0, 7 * DAY), (7 * DAY, 14 * DAY), (14 * DAY, 21 * DAY)]);
        assert_eq!(weekly(3).end_at(), 21 * DAY);
    }

    #[test]
    fn failures_retry_three_times_then_halt() {
        let mut billing = Billing { paid_count: 1, ..weekly(6) };
        let mut now = 7 * DAY;
        let mut retries = Vec::new();
        loop {
            let after = billing.after_charge(false, now);
            assert_eq!(after.paid_count, 1);
            billing = Billing { failed_attempts: after.failed_attempts, status: after.status, ..billing };
            match after.charge_at {
                Some(next) => {
                    assert_eq!(after.status, SubStatus::Pending);
                    retries.push(next - now);
                    now = next;
                }
                None => {
                    assert_eq!(after.status, SubStatus::Halted);
                    break;
                }
            }
        }
        assert_eq!(retries, RETRY_DELAYS_MS);
        // A retry that succeeds resets the count and pays the missed cycle.
        let recovered = Billing {
            failed_attempts: 2,
            status: SubStatus::Pending,
            ..Billing { paid_count: 1, ..weekly(6) }
        }
        .after_charge(true, 10 * DAY);
        assert_eq!(
            (recovered.status, recovered.paid_count, recovered.failed_attempts),
            (SubStatus::Active, 2, 0)
        );
        assert_eq!(recovered.current, Some((7 * DAY, 14 * DAY)));
    }

    #[test]
    fn transitions() {
        assert!(SubStatus::Created.authorize().is_ok());
        assert!(SubStatus::Active.authorize().is_err());
        assert_eq!(SubStatus::Active.pause().unwrap(), SubStatus::Paused);
        assert!(SubStatus::Pending.pause().is_err());
        assert_eq!(SubStatus::Paused.resume().unwrap(), SubStatus::Active);
        assert!(SubStatus::Active.resume().is_err());
        for status in SubStatus::ALL {
            assert_eq!(status.cancel().is_ok(), !status.is_final(), "{status:?}");
            assert_eq!(SubStatus::parse(status.as_str()), Some(status));
        }
    }

    #[test]
    fn bodies() {
        let now = 1_796_000_000_000;
        let sub = NewSubscription::parse(
            json!({"plan_id": "plan_00000000000001", "total_count": 6, "quantity": 2,
            "start_at": now / 1000 + 3600, "notes": {"k": "v"}})
            .as_object()
            .unwrap(),
            now,
        )
        .unwrap();
        assert_eq!((sub.total_count, sub.quantity, sub.start_at_ms), (6, 2, Some(now + 3_600_000)));
        assert_eq!(sub.expire_by_ms, now + DEFAULT_AUTH_WINDOW_MS);
        for (body, field) in [
            (json!({"total_count": 6}), "plan_id"),
            (json!({"plan_id": "p"}), "total_count"),
            (json!({"plan_id": "p", "total_count": 0}), "total_count"),
            (json!({"plan_id": "p", "total_count": 6, "quantity": 0}), "quantity"),
            (json!({"plan_id": "p", "total_count": 6, "start_at": 5}), "start_at"),
            (json!({"plan_id": "p", "total_count": 6, "expire_by": 5}), "expire_by"),
            (json!({"plan_id": "p", "total_count": 6, "start_at": 99_999_999_999_999_i64}), "start_at"),
        ] {
            assert_eq!(
                NewSubscription::parse(body.as_object().unwrap(), now).unwrap_err().field.as_deref(),
                Some(field),
                "{body}"
            );
        }
    }
}
