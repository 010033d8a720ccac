//! How a password is stored: PBKDF2-SHA256 (derived by WebCrypto in the worker) with a random
//! per-user salt, in a self-describing string so the cost can be raised later without breaking
//! existing accounts:
//!
//! `pbkdf2-sha256$100000$<salt, base64url>$<32-byte hash, base64url>`

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use subtle::ConstantTimeEq;

const SCHEME: &str = "pbkdf2-sha256";

/// 100,000 is the most Cloudflare's production WebCrypto allows for PBKDF2.
pub const ITERATIONS: u32 = 100_000;
pub const SALT_LEN: usize = 16;
pub const HASH_LEN: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordRecord {
    pub iterations: u32,
    pub salt: Vec<u8>,
    pub hash: Vec<u8>,
}

impl PasswordRecord {
    pub fn encode(&self) -> String {
        format!(
            "{SCHEME}${}${}${}",
            self.iterations,
            URL_SAFE_NO_PAD.encode(&self.salt),
            URL_SAFE_NO_PAD.encode(&self.hash)
        )
    }

    pub fn decode(stored: &str) -> Option<Self> {
        let mut parts = stored.split('$');
        if parts.next()? != SCHEME {
            return None;
        }
        let iterations: u32 = parts.next()?.parse().ok().filter(|&i| i > 0)?;
        let salt = URL_SAFE_NO_PAD.decode(parts.next()?).ok()?;
        let hash = URL_SAFE_NO_PAD.decode(parts.next()?).ok()?;
        if parts.next().is_some() || salt.is_empty() || hash.len() != HASH_LEN {
            return None;
        }
        Some(Self { iterations, salt, hash })
    }

    /// Compares a freshly derived hash with the stored one in constant time.
    pub fn matches(&self, derived: &[u8]) -> bool {
        self.hash.ct_eq(derived).into()
    }

    /// True when the record was made with a lower cost than today's; re-hash at next sign-in.
    pub fn needs_rehash(&self) -> bool {
        self.iterations < ITERATIONS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_round_trips_and_describes_itself() {
        let record =
            PasswordRecord { iterations: ITERATIONS, salt: vec![1; SALT_LEN], hash: vec![2; HASH_LEN] };
        let text = record.encode();
        assert!(text.starts_with("pbkdf2-sha256$100000$"));
        assert_eq!(PasswordRecord::decode(&text), Some(record));
    }

    #[test]
    fn broken_records_are_refused() {
        for bad in [
            "",
            "bcrypt$10$abc$def",
            "pbkdf2-sha256$0$AQEBAQ$AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI",
            "pbkdf2-sha256$x$AQEBAQ$AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI",
            "pbkdf2-sha256$1000$AQEBAQ$AgIC",
            "pbkdf2-sha256$1000$$AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI",
            "pbkdf2-sha256$1000$AQEBAQ$AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI$extra",
        ] {
            assert_eq!(PasswordRecord::decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn matching_and_rehash() {
        let record = PasswordRecord { iterations: 1000, salt: vec![1; 16], hash: vec![9; 32] };
        assert!(record.matches(&[9; 32]));
        assert!(!record.matches(&[8; 32]));
        assert!(!record.matches(&[9; 31]));
        assert!(record.needs_rehash());
    }
}
