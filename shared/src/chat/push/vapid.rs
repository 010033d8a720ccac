//! The sender of a push, identified to the push service: VAPID (RFC 8292). The server has one
//! P-256 key pair (the private half a Worker secret); browsers subscribe with its public half
//! as `applicationServerKey`, and every push carries
//! `Authorization: vapid t=<JWT>, k=<public key>`, where the JWT is ES256-signed with
//! `aud` = the push endpoint's origin, `exp` within 24 hours, and `sub` = a contact URI.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use p256::{
    ecdsa::{signature::Signer, Signature, SigningKey},
    elliptic_curve::sec1::ToEncodedPoint,
};
use serde::{Deserialize, Serialize};

/// How long a token is good for (RFC 8292 §2: no more than 24 hours).
pub const TOKEN_LIFETIME_SECS: i64 = 12 * 60 * 60;

/// The claims of a VAPID token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The push service's origin (`https://fcm.googleapis.com`).
    pub aud: String,
    /// Unix seconds.
    pub exp: i64,
    /// How the push service reaches whoever runs this server (`mailto:` or `https:`).
    pub sub: String,
}

/// The server's VAPID key pair.
pub struct Vapid {
    key: SigningKey,
}

/// Why a VAPID token could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VapidError {
    /// The private key is not 32 bytes of base64url making a P-256 scalar.
    PrivateKey,
    /// The endpoint is not an absolute URL with an origin.
    Endpoint,
}

impl std::fmt::Display for VapidError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::PrivateKey => "VAPID_PRIVATE_KEY is not a base64url P-256 private key (32 bytes)",
            Self::Endpoint => "the push endpoint has no origin",
        })
    }
}

impl Vapid {
    /// From the private key as kept (the 32-byte scalar, base64url; a JWK's `d`).
    pub fn from_private(b64url: &str) -> Result<Self, VapidError> {
        let bytes = super::b64url(b64url.trim()).filter(|b| b.len() == 32).ok_or(VapidError::PrivateKey)?;
        let key = SigningKey::from_slice(&bytes).map_err(|_| VapidError::PrivateKey)?;
        Ok(Self { key })
    }

    /// The public key: 65 bytes, uncompressed.
    pub fn public_key(&self) -> Vec<u8> {
        self.key.verifying_key().as_affine().to_encoded_point(false).as_bytes().to_vec()
    }

    /// The public key as browsers take it (`applicationServerKey`) and as `k=` carries it.
    pub fn public_key_b64(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.public_key())
    }

    /// The claims of a token for `endpoint` at `now_ms`.
    pub fn claims(endpoint: &str, subject: &str, now_ms: i64) -> Result<Claims, VapidError> {
        let url = url::Url::parse(endpoint).map_err(|_| VapidError::Endpoint)?;
        let origin = url.origin();
        if !origin.is_tuple() {
            return Err(VapidError::Endpoint);
        }
        Ok(Claims {
            aud: origin.ascii_serialization(),
            exp: now_ms.div_euclid(1000) + TOKEN_LIFETIME_SECS,
            sub: subject.to_owned(),
        })
    }

    /// The ES256 JWT for `endpoint`'s push service, valid for [`TOKEN_LIFETIME_SECS`].
    pub fn token(&self, endpoint: &str, subject: &str, now_ms: i64) -> Result<String, VapidError> {
        let claims = Self::claims(endpoint, subject, now_ms)?;
        let header = URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT","alg":"ES256"}"#);
        let claims = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).expect("claims serialize"));
        let signing_input = format!("{header}.{claims}");
        let signature: Signature = self.key.sign(signing_input.as_bytes());
        Ok(format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes())))
    }

    /// The `Authorization` header of a push to `endpoint`: `vapid t=<JWT>, k=<public key>`.
    pub fn authorization(&self, endpoint: &str, subject: &str, now_ms: i64) -> Result<String, VapidError> {
        Ok(format!("vapid t={}, k={}", self.token(endpoint, subject, now_ms)?, self.public_key_b64()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::{signature::Verifier, VerifyingKey};

    // RFC 8291 Appendix A's application server key, as a VAPID key.
    const PRIVATE: &str = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
    const PUBLIC: &str =
        "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
    const NOW_MS: i64 = 1_767_225_600_123; // 2026-01-01T00:00:00.123Z
    const SUB: &str = "mailto:push@example.com";

    fn part(text: &str) -> Vec<u8> {
        URL_SAFE_NO_PAD.decode(text).unwrap()
    }

    #[test]
    fn the_public_key_is_the_private_keys() {
        assert_eq!(Vapid::from_private(PRIVATE).unwrap().public_key_b64(), PUBLIC);
    }

    #[test]
    fn the_token_is_an_es256_jwt_that_verifies_with_the_public_key() {
        let vapid = Vapid::from_private(PRIVATE).unwrap();
        let endpoint = "https://fcm.googleapis.com/fcm/send/abc:def?x=1";
        let token = vapid.token(endpoint, SUB, NOW_MS).unwrap();
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        let header: serde_json::Value = serde_json::from_slice(&part(parts[0])).unwrap();
        assert_eq!(header, serde_json::json!({"typ": "JWT", "alg": "ES256"}));
        let claims: Claims = serde_json::from_slice(&part(parts[1])).unwrap();
        assert_eq!(
            claims,
            Claims {
                aud: "https://fcm.googleapis.com".into(),
                exp: 1_767_225_600 + 12 * 3600,
                sub: SUB.into()
            }
        );
        assert!(claims.exp - NOW_MS / 1000 <= 24 * 3600);
        let signature = Signature::from_slice(&part(parts[2])).expect("r ‖ s, 64 bytes");
        let verifying = VerifyingKey::from_sec1_bytes(&part(PUBLIC)).unwrap();
        let signed = format!("{}.{}", parts[0], parts[1]);
        assert!(verifying.verify(signed.as_bytes(), &signature).is_ok());
        assert!(verifying.verify(b"something else", &signature).is_err());
    }

    #[test]
    fn the_audience_is_the_endpoints_origin_with_its_port() {
        let claims = Vapid::claims("http://127.0.0.1:9000/push/1", SUB, NOW_MS).unwrap();
        assert_eq!(claims.aud, "http://127.0.0.1:9000");
        let claims = Vapid::claims("https://web.push.apple.com:443/QGuQ", SUB, NOW_MS).unwrap();
        assert_eq!(claims.aud, "https://web.push.apple.com");
        assert_eq!(Vapid::claims("not a url", SUB, NOW_MS), Err(VapidError::Endpoint));
    }

    #[test]
    fn the_header_names_the_token_and_the_key() {
        let vapid = Vapid::from_private(PRIVATE).unwrap();
        let header = vapid.authorization("https://push.example/x", SUB, NOW_MS).unwrap();
        let (t, k) = header.strip_prefix("vapid t=").unwrap().split_once(", k=").unwrap();
        assert_eq!(k, PUBLIC);
        assert_eq!(t.split('.').count(), 3);
    }

    #[test]
    fn bad_private_keys_are_refused() {
        for bad in [
            "",
            "not base64!",
            "AAAA",
            &URL_SAFE_NO_PAD.encode([0u8; 32]),
            &URL_SAFE_NO_PAD.encode([1u8; 33]),
        ] {
            assert!(Vapid::from_private(bad).is_err(), "{bad}");
        }
    }
}
