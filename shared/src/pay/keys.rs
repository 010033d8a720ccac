//! Merchant API keys: `rzp_test_…` key ids with 24-character secrets. A secret is derived from
//! the key id with HMAC under the deployment's `PAY_SECRET`, so it is never stored yet can be
//! recomputed to sign what Razorpay signs with it (payment signatures use the key secret).
//! Shown once at creation; revoking a key id refuses it from then on.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

pub const SECRET_LEN: usize = 24;
const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// The secret of `key_id` under `master`: 24 base62 characters (≈143 bits).
pub fn derive_secret(master: &[u8], key_id: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(master).expect("HMAC takes keys of any length");
    mac.update(b"dozen-pay-key-secret\0");
    mac.update(key_id.as_bytes());
    let digest = mac.finalize().into_bytes();
    // Each character from 2 digest bytes: 65,536 % 62 leaves a bias of under 0.1%.
    digest
        .chunks(2)
        .take(SECRET_LEN / 2)
        .flat_map(|pair| {
            let v = u16::from_be_bytes([pair[0], pair[1]]) as usize;
            [ALPHABET[v % 62] as char, ALPHABET[(v / 62) % 62] as char]
        })
        .collect()
}

/// Whether `given` is the secret of `key_id`, compared in constant time.
pub fn secret_matches(master: &[u8], key_id: &str, given: &str) -> bool {
    derive_secret(master, key_id).as_bytes().ct_eq(given.as_bytes()).into()
}

/// How long a worker isolate trusts what it read of a key (whose it is, or that it was
/// revoked) before reading it again: a key revoked (or its account deleted) stops working within
/// this bound everywhere, and at once in the isolate that revoked it.
pub const KEY_STATE_TTL_MS: i64 = 5_000;

/// What an isolate remembers of a key it read from D1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyState {
    Active { merchant_id: String },
    Revoked,
}

/// What an isolate should remember after reading a key from D1 (`read`; `None` when there is
/// none), given what it remembers now. Revocation is one way: a read that began before this
/// isolate revoked the key must not bring it back as active.
pub fn remember_after_read(now: Option<&KeyState>, read: Option<KeyState>) -> Option<KeyState> {
    match (now, read) {
        (Some(KeyState::Revoked), _) => Some(KeyState::Revoked),
        (_, read) => read,
    }
}

/// What to do with a `/v1` request's key, given whether its secret is right and what this
/// isolate remembers of it.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Act for this merchant.
    Accept(String),
    /// Read the key's state, then decide again with it.
    Look,
    /// Razorpay's 401.
    Refuse,
}

/// A wrong secret is refused before anything is looked up (the secret is derived from the key
/// id, so nothing stored is needed to check it, and an unknown key id with a wrong secret is
/// answered exactly as a known one). `state` is `None` when nothing is remembered; after a
/// look, `Some(None)` is a key that does not exist.
pub fn verdict(secret_ok: bool, state: Option<Option<&KeyState>>) -> Verdict {
    match (secret_ok, state) {
        (false, _) => Verdict::Refuse,
        (true, None) => Verdict::Look,
        (true, Some(Some(KeyState::Active { merchant_id }))) => Verdict::Accept(merchant_id.clone()),
        (true, Some(Some(KeyState::Revoked) | None)) => Verdict::Refuse,
    }
}

/// `Authorization: Basic base64(key_id:key_secret)` → (key_id, key_secret).
pub fn parse_basic_auth(header: &str) -> Option<(String, String)> {
    use base64::Engine;
    let (scheme, encoded) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (key_id, secret) = text.split_once(':')?;
    Some((key_id.to_owned(), secret.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    #[test]
    fn secrets_are_24_base62_characters_and_stable() {
        let secret = derive_secret(b"master", "rzp_test_ABCDEFGHIJKLMN");
        assert_eq!(secret.len(), SECRET_LEN);
        assert!(secret.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_eq!(secret, derive_secret(b"master", "rzp_test_ABCDEFGHIJKLMN"));
        assert_ne!(secret, derive_secret(b"other master", "rzp_test_ABCDEFGHIJKLMN"));
        assert_ne!(secret, derive_secret(b"master", "rzp_test_ABCDEFGHIJKLMO"));
        assert!(secret_matches(b"master", "rzp_test_ABCDEFGHIJKLMN", &secret));
        assert!(!secret_matches(b"master", "rzp_test_ABCDEFGHIJKLMN", &secret[..23]));
        assert!(!secret_matches(b"master", "rzp_test_ABCDEFGHIJKLMN", ""));
    }

    #[test]
    fn a_wrong_secret_is_refused_without_a_look_and_a_right_one_by_what_the_key_is() {
        let active = KeyState::Active { merchant_id: "m1".to_owned() };
        assert_eq!(verdict(false, None), Verdict::Refuse, "nothing looked up for a wrong secret");
        assert_eq!(verdict(false, Some(Some(&active))), Verdict::Refuse);
        assert_eq!(verdict(true, None), Verdict::Look, "nothing remembered: read it");
        assert_eq!(verdict(true, Some(Some(&active))), Verdict::Accept("m1".to_owned()));
        assert_eq!(verdict(true, Some(Some(&KeyState::Revoked))), Verdict::Refuse);
        assert_eq!(verdict(true, Some(None)), Verdict::Refuse, "a key that does not exist");
    }

    #[test]
    fn a_read_never_brings_a_revoked_key_back() {
        let active = || KeyState::Active { merchant_id: "m1".to_owned() };
        assert_eq!(remember_after_read(Some(&KeyState::Revoked), Some(active())), Some(KeyState::Revoked));
        assert_eq!(remember_after_read(None, Some(active())), Some(active()));
        assert_eq!(remember_after_read(Some(&active()), Some(KeyState::Revoked)), Some(KeyState::Revoked));
        assert_eq!(remember_after_read(None, None), None, "an unknown key is not remembered");
    }

    #[test]
    fn a_revoked_key_is_trusted_for_seconds_at_most() {
        assert!((1..=5_000).contains(&KEY_STATE_TTL_MS));
    }

    #[test]
    fn basic_auth() {
        let encoded = base64::engine::general_purpose::STANDARD.encode("rzp_test_X:s3cr:et");
        assert_eq!(
            parse_basic_auth(&format!("Basic {encoded}")),
            Some(("rzp_test_X".to_owned(), "s3cr:et".to_owned()))
        );
        assert!(parse_basic_auth(&format!("basic {encoded}")).is_some());
        assert_eq!(parse_basic_auth("Bearer abc"), None);
        assert_eq!(parse_basic_auth("Basic !!!"), None);
        let no_colon = base64::engine::general_purpose::STANDARD.encode("nocolon");
        assert_eq!(parse_basic_auth(&format!("Basic {no_colon}")), None);
    }
}
