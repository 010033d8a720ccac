//! Razorpay-style ids: a prefix naming the entity (`order_`, `pay_`, `rfnd_`…) and 14 base62
//! characters. Ours are time-sortable — 8 characters of unix milliseconds, then 6 random — so
//! the newest-first lists Razorpay returns page by `(created_at, id)` like every Dozen list.

use super::RazorpayError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Characters after the prefix.
pub const ID_BODY_LEN: usize = 14;
const TIME_CHARS: usize = 8;
const RANDOM_CHARS: usize = ID_BODY_LEN - TIME_CHARS;
/// In ASCII order, so comparing ids compares their times.
const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

fn push_base62(out: &mut String, mut value: u64, width: usize) {
    let mut digits = vec![b'0'; width];
    for slot in digits.iter_mut().rev() {
        *slot = ALPHABET[(value % 62) as usize];
        value /= 62;
    }
    out.extend(digits.into_iter().map(char::from));
}

/// `prefix` + 14 characters for something made at `now_ms` (62^8 ms reach past the year 8000).
pub fn new_id(prefix: &str, now_ms: i64, random: [u8; 8]) -> String {
    let mut id = String::with_capacity(prefix.len() + ID_BODY_LEN);
    id.push_str(prefix);
    push_base62(&mut id, now_ms.max(0) as u64, TIME_CHARS);
    // 62^6 ≈ 5.7e10 values in the same millisecond; the modulo's bias does not matter here.
    push_base62(&mut id, u64::from_be_bytes(random) % 62_u64.pow(RANDOM_CHARS as u32), RANDOM_CHARS);
    id
}

/// Whether `id` is `prefix` followed by 14 base62 characters.
pub fn has_shape(prefix: &str, id: &str) -> bool {
    id.strip_prefix(prefix)
        .is_some_and(|body| body.len() == ID_BODY_LEN && body.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Defines a newtype for one entity's id: made with `new`, read with `parse` (an id of the wrong
/// shape is, to the caller, one that does not exist).
macro_rules! pay_id {
    ($(#[$meta:meta])* $name:ident, $prefix:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub const PREFIX: &'static str = $prefix;

            pub fn new(now_ms: i64, random: [u8; 8]) -> Self {
                Self(new_id($prefix, now_ms, random))
            }

            pub fn parse(id: &str) -> Result<Self, RazorpayError> {
                if has_shape($prefix, id) {
                    Ok(Self(id.to_owned()))
                } else {
                    Err(RazorpayError::no_such_id())
                }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

pay_id!(
    /// An order: what the merchant expects to be paid.
    OrderId,
    "order_"
);
pay_id!(
    /// One attempt to pay, by one method.
    PaymentId,
    "pay_"
);
pay_id!(
    /// Money going back to the customer from a captured payment.
    RefundId,
    "rfnd_"
);
pay_id!(
    /// A payment link.
    PaymentLinkId,
    "plink_"
);
pay_id!(
    /// Someone a merchant charges again and again.
    CustomerId,
    "cust_"
);
pay_id!(
    /// What a subscription charges, and how often.
    PlanId,
    "plan_"
);
pay_id!(
    /// A plan charged every cycle to one customer's authorized instrument.
    SubscriptionId,
    "sub_"
);
pay_id!(
    /// Money a merchant sends from its balance to someone's UPI ID.
    PayoutId,
    "pout_"
);
pay_id!(
    /// A merchant's API key id; the secret is derived from it (worker `pay::keys`).
    KeyId,
    "rzp_test_"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_razorpays_shape() {
        let id = OrderId::new(1_764_000_000_000, [7; 8]);
        assert!(id.as_str().starts_with("order_"));
        assert_eq!(id.as_str().len(), "order_".len() + 14);
        assert!(has_shape("order_", id.as_str()));
        assert_eq!(OrderId::parse(id.as_str()).unwrap(), id);
    }

    #[test]
    fn ids_sort_by_time() {
        let mut earlier = PaymentId::new(1_764_000_000_000, [255; 8]);
        for step in [1, 61, 62, 3_844, 1_000_000_000] {
            let later = PaymentId::new(1_764_000_000_000 + step, [0; 8]);
            assert!(earlier < later, "{earlier} < {later}");
            earlier = later;
        }
    }

    #[test]
    fn wrong_shapes_are_ids_that_do_not_exist() {
        for bad in [
            "",
            "order_",
            "pay_ABCDEFGHIJKLMN",
            "order_ABCDEFGHIJKLM",
            "order_ABCDEFGHIJKLM!",
            "order_ABCDEFGHIJKLMNO",
        ] {
            let err = OrderId::parse(bad).unwrap_err();
            assert_eq!(err.description, "The id provided does not exist", "{bad}");
        }
        assert!(KeyId::parse("rzp_test_ABCDEFGHIJKLMN").is_ok());
        assert!(RefundId::parse("rfnd_0123456789abcd").is_ok());
    }
}
