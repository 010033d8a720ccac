//! Time-sortable IDs: 48 bits of unix milliseconds then 80 random bits, written as 26
//! characters of Crockford base32 (the ULID layout). Sorting the strings sorts by creation
//! time, which is what keyset pagination (`WHERE (created_at, id) < (?, ?)`) relies on.
//! Every entity gets its own newtype so a `UserId` can never be passed where an `ApiKeyId` is meant.

use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};
use ulid::Ulid;

/// Defines a newtype ID with parsing, display and serde as a string.
#[macro_export]
macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[cfg_attr(feature = "openapi", schema(value_type = String, example = "01JDZ8W9Q3M5X6Y7Z8A9B0C1D2"))]
        pub struct $name(pub $crate::ids::TimeId);

        impl $name {
            /// A new ID for something created at `now_ms`, from 10 random bytes the caller drew.
            pub fn new(now_ms: i64, random: [u8; 10]) -> Self {
                Self($crate::ids::TimeId::new(now_ms, random))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::ids::InvalidId;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map(Self)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                self.0.serialize(s)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::ids::TimeId::deserialize(d).map(Self)
            }
        }
    };
}

/// The raw time-sortable ID behind every newtype.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeId(Ulid);

impl TimeId {
    /// `now_ms` is clamped into the 48-bit range the layout has room for.
    pub fn new(now_ms: i64, random: [u8; 10]) -> Self {
        let ms = now_ms.clamp(0, (1_i64 << 48) - 1) as u64;
        let mut wide = [0u8; 16];
        wide[6..].copy_from_slice(&random);
        Self(Ulid::from_parts(ms, u128::from_be_bytes(wide)))
    }

    /// The creation time in unix milliseconds.
    pub fn timestamp_ms(self) -> i64 {
        self.0.timestamp_ms() as i64
    }
}

impl fmt::Display for TimeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Not a 26-character Crockford base32 ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidId;

impl fmt::Display for InvalidId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a valid ID (26 characters of Crockford base32)")
    }
}

impl std::error::Error for InvalidId {}

impl FromStr for TimeId {
    type Err = InvalidId;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // 26 base-32 characters carry 130 bits; the first may only use the top 3 of them.
        if !s.starts_with(|c: char| ('0'..='7').contains(&c)) {
            return Err(InvalidId);
        }
        Ulid::from_string(s).map(Self).map_err(|_| InvalidId)
    }
}

impl Serialize for TimeId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TimeId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

id_type!(
    /// A Dozen account.
    UserId
);
id_type!(
    /// An API key (the ID is public; the key itself is a secret shown once).
    ApiKeyId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_sort_by_creation_time_whatever_the_random_part() {
        let earlier = UserId::new(1_700_000_000_000, [0xff; 10]);
        let later = UserId::new(1_700_000_000_001, [0x00; 10]);
        assert!(earlier < later);
        assert!(earlier.to_string() < later.to_string(), "string order must follow time order");
    }

    #[test]
    fn same_millisecond_is_ordered_by_the_random_part() {
        let a = UserId::new(42, [0; 10]);
        let b = UserId::new(42, [0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
        assert!(a < b && a.to_string() < b.to_string());
    }

    #[test]
    fn string_form_round_trips_and_keeps_the_time() {
        let id = ApiKeyId::new(1_796_000_000_123, [7; 10]);
        let text = id.to_string();
        assert_eq!(text.len(), 26);
        let back: ApiKeyId = text.parse().unwrap();
        assert_eq!(back, id);
        assert_eq!(back.0.timestamp_ms(), 1_796_000_000_123);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(serde_json::from_str::<ApiKeyId>(&json).unwrap(), id);
    }

    /// The demo account of `make dev` (shared::demo) must carry a real ID.
    #[test]
    fn the_demo_account_id_is_valid() {
        let id = crate::demo::DEMO_USER_ID;
        let parsed: UserId = id.parse().unwrap();
        assert_eq!(parsed.to_string(), id);
    }

    #[test]
    fn garbage_is_not_an_id() {
        assert!("nope".parse::<UserId>().is_err());
        assert!("01JDZ8W9Q3M5X6Y7Z8A9B0C1D!".parse::<UserId>().is_err());
        assert!(serde_json::from_str::<UserId>("12").is_err());
        assert!("x".repeat(26).parse::<UserId>().is_err(), "more than 128 bits");
        assert!("7ZZZZZZZZZZZZZZZZZZZZZZZZZ".parse::<UserId>().is_ok(), "the largest ID");
    }
}
