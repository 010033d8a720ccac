//! Session tokens and API keys: 256 random bits, shown to their owner once, stored only as a
//! SHA-256 hash. (A plain hash suffices: the input is uniformly random, not a guessable password.)

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use sha2::{Digest, Sha256};

/// Every API key starts with this, so leaked keys are easy to recognise and scan for.
pub const API_KEY_PREFIX: &str = "dzk_";
/// How much of a key is kept in clear to tell keys apart in a list (`dzk_` + 8 characters).
pub const API_KEY_SHOWN_PREFIX_LEN: usize = API_KEY_PREFIX.len() + 8;
const API_KEY_BODY_LEN: usize = 43; // 32 bytes in unpadded base64url

/// The session cookie's value, from 32 random bytes.
pub fn session_token(random: [u8; 32]) -> String {
    URL_SAFE_NO_PAD.encode(random)
}

/// A new API key, from 32 random bytes.
pub fn api_key(random: [u8; 32]) -> String {
    format!("{API_KEY_PREFIX}{}", URL_SAFE_NO_PAD.encode(random))
}

/// What is stored and looked up instead of a token or key: lowercase hex SHA-256.
pub fn hash_secret(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The part of a key shown in lists.
pub fn shown_prefix(key: &str) -> String {
    key.chars().take(API_KEY_SHOWN_PREFIX_LEN).collect()
}

/// A value that has the shape of a Dozen API key.
pub fn looks_like_api_key(value: &str) -> bool {
    value.strip_prefix(API_KEY_PREFIX).is_some_and(|body| {
        body.len() == API_KEY_BODY_LEN
            && body.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

/// The token of an `Authorization: Bearer <token>` header.
pub fn bearer_token(authorization: &str) -> Option<&str> {
    let (scheme, token) = authorization.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim()).filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_256_bits() {
        assert_eq!(session_token([0; 32]).len(), 43);
        assert_ne!(session_token([0; 32]), session_token([1; 32]));
    }

    #[test]
    fn api_keys_have_a_recognisable_shape_and_a_short_shown_prefix() {
        let key = api_key([0xab; 32]);
        assert!(key.starts_with("dzk_"));
        assert!(looks_like_api_key(&key));
        assert_eq!(shown_prefix(&key).len(), 12);
        assert!(!looks_like_api_key("dzk_short"));
        assert!(!looks_like_api_key(&key.replace("dzk_", "xxx_")));
    }

    #[test]
    fn hashing_is_sha256_hex() {
        assert_eq!(hash_secret("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn bearer_header_parsing() {
        assert_eq!(bearer_token("Bearer dzk_x"), Some("dzk_x"));
        assert_eq!(bearer_token("bearer   dzk_x "), Some("dzk_x"));
        assert_eq!(bearer_token("Basic abc"), None);
        assert_eq!(bearer_token("Bearer "), None);
        assert_eq!(bearer_token("Bearer"), None);
    }
}
