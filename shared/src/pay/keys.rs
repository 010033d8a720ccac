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
