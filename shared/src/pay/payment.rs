//! A payment's life: created → authorized → captured → refunded, or failed. Every change goes
//! through [`PaymentStatus::apply`], which refuses the moves Razorpay refuses with Razorpay's
//! words; capture and refund amounts are checked here too, so the worker only stores results.

use super::{money::Currency, RazorpayError};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    /// Waiting for the customer (an OTP).
    Created,
    /// The bank approved and holds the money; the merchant has not captured it yet.
    Authorized,
    /// The money is the merchant's (less refunds).
    Captured,
    /// Every captured paisa went back, or an authorization was released uncaptured.
    Refunded,
    Failed,
}

/// What can happen to a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentEvent {
    Authorize,
    Fail,
    Capture,
    /// Refunds reached the captured amount.
    RefundInFull,
    /// Not captured within the order's window: the hold is released (Razorpay's auto-refund).
    ReleaseUncaptured,
}

impl PaymentStatus {
    pub const ALL: [Self; 5] =
        [Self::Created, Self::Authorized, Self::Captured, Self::Refunded, Self::Failed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Authorized => "authorized",
            Self::Captured => "captured",
            Self::Refunded => "refunded",
            Self::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == s)
    }

    /// The status after `event`, or Razorpay's refusal.
    pub fn apply(self, event: PaymentEvent) -> Result<Self, RazorpayError> {
        use PaymentEvent as E;
        use PaymentStatus as S;
        match (self, event) {
            (S::Created, E::Authorize) => Ok(S::Authorized),
            (S::Created, E::Fail) => Ok(S::Failed),
            (S::Authorized, E::Capture) => Ok(S::Captured),
            (S::Authorized, E::ReleaseUncaptured) => Ok(S::Refunded),
            (S::Captured, E::RefundInFull) => Ok(S::Refunded),
            (S::Captured, E::Capture) => {
                Err(RazorpayError::not_allowed("This payment has already been captured"))
            }
            (_, E::Capture) => Err(RazorpayError::not_allowed(
                "Only payments which have been authorized and not yet captured can be captured",
            )),
            (S::Refunded, E::RefundInFull) => {
                Err(RazorpayError::not_allowed("The payment has been fully refunded already"))
            }
            (_, E::RefundInFull) => Err(RazorpayError::not_allowed("Only captured payments can be refunded")),
            (S::Failed, _) => {
                Err(RazorpayError::not_allowed("This payment has failed and cannot be changed"))
            }
            (from, event) => Err(RazorpayError::not_allowed(format!(
                "A payment in status {} cannot be changed by {event:?}",
                from.as_str()
            ))),
        }
    }
}

/// Checks a capture request against the payment: only the full authorized amount, in the
/// payment's currency (when the request names one).
pub fn check_capture(
    status: PaymentStatus,
    authorized_amount: i64,
    currency: &Currency,
    requested_amount: i64,
    requested_currency: Option<&str>,
) -> Result<(), RazorpayError> {
    status.apply(PaymentEvent::Capture)?;
    if requested_currency.is_some_and(|c| c != currency.code) {
        return Err(RazorpayError::invalid(
            "currency",
            "The currency should be the same as the payment currency",
        ));
    }
    if requested_amount != authorized_amount {
        return Err(RazorpayError::invalid(
            "amount",
            "Capture amount must be equal to the amount authorized",
        ));
    }
    Ok(())
}

/// Razorpay's `refund_status` of a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RefundProgress {
    Partial,
    Full,
}

impl RefundProgress {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Partial => "partial",
            Self::Full => "full",
        }
    }
}

/// What a refund request does to its payment, decided before anything is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefundPlan {
    pub amount: i64,
    pub amount_refunded_after: i64,
    pub refund_status: RefundProgress,
    pub payment_status_after: PaymentStatus,
}

/// Smallest refund, in minor units (₹1.00).
pub const MIN_REFUND: i64 = 100;

/// Plans a refund of `requested` (the whole remainder when `None`) from a payment of `amount`
/// with `amount_refunded` already gone back. Several partial refunds are allowed; together they
/// never exceed the captured amount.
pub fn plan_refund(
    status: PaymentStatus,
    amount: i64,
    amount_refunded: i64,
    requested: Option<i64>,
    currency: &Currency,
) -> Result<RefundPlan, RazorpayError> {
    match status {
        PaymentStatus::Captured => {}
        PaymentStatus::Refunded => {
            return Err(RazorpayError::not_allowed("The payment has been fully refunded already"))
        }
        _ => return Err(RazorpayError::not_allowed("Only captured payments can be refunded")),
    }
    let remaining = amount - amount_refunded;
    let refund = requested.unwrap_or(remaining);
    if refund < MIN_REFUND.min(remaining) || refund <= 0 {
        return Err(RazorpayError::invalid(
            "amount",
            format!(
                "The refund amount must be atleast {}",
                super::money::format_amount(MIN_REFUND, currency)
            ),
        ));
    }
    if refund > remaining {
        return Err(RazorpayError::invalid(
            "amount",
            format!(
                "The refund amount provided is greater than the amount not yet refunded ({})",
                super::money::format_amount(remaining, currency)
            ),
        ));
    }
    let after = amount_refunded + refund;
    let full = after == amount;
    Ok(RefundPlan {
        amount: refund,
        amount_refunded_after: after,
        refund_status: if full { RefundProgress::Full } else { RefundProgress::Partial },
        payment_status_after: if full { PaymentStatus::Refunded } else { PaymentStatus::Captured },
    })
}

/// A refund's own life: pending → processed, or failed (the money stays with the merchant).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RefundStatus {
    Pending,
    Processed,
    Failed,
}

impl RefundStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Processed => "processed",
            Self::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Pending, Self::Processed, Self::Failed].into_iter().find(|status| status.as_str() == s)
    }

    /// Only a pending refund settles, once.
    pub fn settle(self, processed: bool) -> Result<Self, RazorpayError> {
        match self {
            Self::Pending if processed => Ok(Self::Processed),
            Self::Pending => Ok(Self::Failed),
            _ => Err(RazorpayError::not_allowed(format!("The refund is already {}", self.as_str()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pay::money::currency;
    use PaymentEvent as E;
    use PaymentStatus as S;

    #[test]
    fn every_transition_is_either_allowed_or_refused_with_a_reason() {
        let allowed = [
            (S::Created, E::Authorize, S::Authorized),
            (S::Created, E::Fail, S::Failed),
            (S::Authorized, E::Capture, S::Captured),
            (S::Authorized, E::ReleaseUncaptured, S::Refunded),
            (S::Captured, E::RefundInFull, S::Refunded),
        ];
        let events = [E::Authorize, E::Fail, E::Capture, E::RefundInFull, E::ReleaseUncaptured];
        for from in S::ALL {
            for event in events {
                let expected =
                    allowed.iter().find(|(f, e, _)| *f == from && *e == event).map(|(_, _, to)| *to);
                match (from.apply(event), expected) {
                    (Ok(to), Some(want)) => assert_eq!(to, want),
                    (Err(err), None) => {
                        assert_eq!(err.status, 400, "{from:?} {event:?}");
                        assert!(!err.description.is_empty());
                    }
                    (got, want) => panic!("{from:?} {event:?}: got {got:?}, want {want:?}"),
                }
            }
        }
    }

    #[test]
    fn capture_messages_are_razorpays() {
        let inr = currency("INR").unwrap();
        assert_eq!(
            check_capture(S::Captured, 500, inr, 500, None).unwrap_err().description,
            "This payment has already been captured"
        );
        assert!(check_capture(S::Failed, 500, inr, 500, None)
            .unwrap_err()
            .description
            .starts_with("Only payments"));
        assert_eq!(
            check_capture(S::Authorized, 500, inr, 400, None).unwrap_err().field.as_deref(),
            Some("amount")
        );
        assert_eq!(
            check_capture(S::Authorized, 500, inr, 500, Some("USD")).unwrap_err().field.as_deref(),
            Some("currency")
        );
        assert!(check_capture(S::Authorized, 500, inr, 500, Some("INR")).is_ok());
    }

    #[test]
    fn partial_refunds_add_up_to_the_captured_amount_and_never_more() {
        let inr = currency("INR").unwrap();
        let first = plan_refund(S::Captured, 50_000, 0, Some(20_000), inr).unwrap();
        assert_eq!(first.refund_status, RefundProgress::Partial);
        assert_eq!(first.payment_status_after, S::Captured);
        let over = plan_refund(S::Captured, 50_000, 20_000, Some(30_001), inr).unwrap_err();
        assert_eq!(over.field.as_deref(), Some("amount"));
        assert!(over.description.contains("INR 300.00"), "{}", over.description);
        let rest = plan_refund(S::Captured, 50_000, 20_000, None, inr).unwrap();
        assert_eq!((rest.amount, rest.amount_refunded_after), (30_000, 50_000));
        assert_eq!((rest.refund_status, rest.payment_status_after), (RefundProgress::Full, S::Refunded));
        assert!(plan_refund(S::Refunded, 50_000, 50_000, None, inr).is_err());
        assert!(plan_refund(S::Authorized, 50_000, 0, None, inr).is_err());
        assert!(plan_refund(S::Failed, 50_000, 0, Some(100), inr).is_err());
        assert!(plan_refund(S::Captured, 50_000, 0, Some(0), inr).is_err());
        assert!(plan_refund(S::Captured, 50_000, 0, Some(-5), inr).is_err());
        assert!(plan_refund(S::Captured, 50_000, 0, Some(99), inr).is_err());
        // A remainder under ₹1 can still be refunded whole.
        let tail = plan_refund(S::Captured, 50_000, 49_950, None, inr).unwrap();
        assert_eq!(tail.amount, 50);
    }

    #[test]
    fn any_sequence_of_refunds_stays_within_the_amount() {
        let inr = currency("INR").unwrap();
        let amount = 10_000;
        for step in [100, 333, 2_500, 9_999, 10_000] {
            let (mut refunded, mut status) = (0, S::Captured);
            for _ in 0..200 {
                match plan_refund(status, amount, refunded, Some(step), inr) {
                    Ok(plan) => {
                        refunded = plan.amount_refunded_after;
                        status = plan.payment_status_after;
                    }
                    Err(_) => break,
                }
                assert!(refunded <= amount);
            }
            assert!(amount - refunded < step || status == S::Refunded, "step {step}");
        }
    }

    #[test]
    fn refunds_settle_once() {
        assert_eq!(RefundStatus::Pending.settle(true).unwrap(), RefundStatus::Processed);
        assert_eq!(RefundStatus::Pending.settle(false).unwrap(), RefundStatus::Failed);
        assert!(RefundStatus::Processed.settle(true).is_err());
        assert!(RefundStatus::Failed.settle(true).is_err());
        assert_eq!(RefundStatus::parse("processed"), Some(RefundStatus::Processed));
        assert_eq!(PaymentStatus::parse("authorized"), Some(S::Authorized));
        assert_eq!(PaymentStatus::parse("nope"), None);
    }
}
