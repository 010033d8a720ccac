//! The words Pay writes into its tables for its enums (statuses, periods, ledger accounts and
//! movements): each enum's `as_str` is what the worker binds, `FromStr` reads it back and
//! refuses anything else, and serde spells them the same way, so a row whose status is not one
//! of these is an error where it is read, never a default.

use super::{
    fraud::ReviewStatus,
    ledger::{Account, Movement},
    order::OrderStatus,
    payment::{PaymentStatus, RefundStatus},
    payment_link::LinkStatus,
    plan::Period,
    settlement::SettlementStatus,
    subscription::SubStatus,
    webhook::DeliveryStatus,
};
use std::{fmt, str::FromStr};

/// A stored word that names none of an enum's values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownValue {
    /// What it should have named ("payment status").
    pub kind: &'static str,
    pub value: String,
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {} {:?}", self.kind, self.value)
    }
}

impl std::error::Error for UnknownValue {}

macro_rules! stored {
    ($($ty:ty => $kind:literal),* $(,)?) => {$(
        impl FromStr for $ty {
            type Err = UnknownValue;

            fn from_str(s: &str) -> Result<Self, UnknownValue> {
                Self::parse(s).ok_or_else(|| UnknownValue { kind: $kind, value: s.to_owned() })
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )*};
}

stored! {
    OrderStatus => "order status",
    PaymentStatus => "payment status",
    RefundStatus => "refund status",
    LinkStatus => "payment link status",
    SubStatus => "subscription status",
    Period => "plan period",
    ReviewStatus => "review status",
    DeliveryStatus => "delivery status",
    SettlementStatus => "settlement status",
    Account => "ledger account",
    Movement => "ledger movement",
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{de::DeserializeOwned, Serialize};

    /// Every value reads back from its word, and serde (which reads rows) spells it the same.
    fn round_trips<T>(all: &[T])
    where
        T: FromStr<Err = UnknownValue> + fmt::Display + Serialize + DeserializeOwned + PartialEq + fmt::Debug,
    {
        for value in all {
            let word = value.to_string();
            assert_eq!(word.parse::<T>().as_ref(), Ok(value), "{word}");
            assert_eq!(serde_json::to_value(value).unwrap(), serde_json::Value::String(word.clone()));
            assert_eq!(&serde_json::from_value::<T>(serde_json::Value::String(word)).unwrap(), value);
        }
        let unknown = "no-such-word".parse::<T>().unwrap_err();
        assert_eq!(unknown.value, "no-such-word");
        assert!(unknown.to_string().starts_with("unknown "), "{unknown}");
        assert!(serde_json::from_str::<T>("\"no-such-word\"").is_err(), "serde refuses it too");
    }

    #[test]
    fn every_stored_word_round_trips_and_nothing_else_parses() {
        round_trips(&[OrderStatus::Created, OrderStatus::Attempted, OrderStatus::Paid]);
        round_trips(&PaymentStatus::ALL);
        round_trips(&[RefundStatus::Pending, RefundStatus::Processed, RefundStatus::Failed]);
        round_trips(&LinkStatus::ALL);
        round_trips(&SubStatus::ALL);
        round_trips(&[Period::Daily, Period::Weekly, Period::Monthly, Period::Yearly]);
        round_trips(&[ReviewStatus::Pending, ReviewStatus::Approved, ReviewStatus::Rejected]);
        round_trips(&DeliveryStatus::ALL);
        round_trips(&[SettlementStatus::Processed]);
        round_trips(&Account::ALL);
        round_trips(&Movement::ALL);
    }

    #[test]
    fn words_are_case_sensitive() {
        assert!("Captured".parse::<PaymentStatus>().is_err());
        assert!(" paid".parse::<OrderStatus>().is_err());
        assert_eq!(
            "settled".parse::<PaymentStatus>().unwrap_err().to_string(),
            "unknown payment status \"settled\""
        );
    }
}
