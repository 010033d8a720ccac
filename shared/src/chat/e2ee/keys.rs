//! What a device publishes so that others can start encrypted sessions with it, and what the
//! server checks of it: the shapes only. The keys are made in the browser with WebCrypto and
//! their private halves never leave it; whether a pre-key's signature is good is for the
//! devices to check, since the server is whom end-to-end encryption does not trust.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use serde::{Deserialize, Serialize};

use crate::ApiError;

/// `PUT /api/chat/keys/{device}`: a device's public keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PublishKeys {
    /// The device's ECDH P-256 identity key (SEC1 uncompressed, base64url): fixed for the
    /// device's life.
    pub identity_key: String,
    /// The device's ECDSA P-256 key that signs its pre-keys and group messages: fixed too.
    pub signing_key: String,
    /// The current signed pre-key (ECDH P-256), replaced from time to time; its id grows.
    pub pre_key_id: u32,
    pub pre_key: String,
    /// ECDSA P-256 (r ‖ s, base64url) by `signing_key` over the pre-key's bytes.
    pub pre_key_signature: String,
}

/// One device's published keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceKeys {
    pub username: String,
    pub device: String,
    pub identity_key: String,
    pub signing_key: String,
    pub pre_key_id: u32,
    pub pre_key: String,
    pub pre_key_signature: String,
    /// RFC 3339.
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceKeyList {
    /// Oldest device first.
    pub items: Vec<DeviceKeys>,
}

/// A P-256 public key as published: 65 bytes, uncompressed (0x04 ‖ x ‖ y).
fn public_key(field: &str, text: &str) -> Result<(), ApiError> {
    match URL_SAFE_NO_PAD.decode(text) {
        Ok(bytes) if bytes.len() == 65 && bytes[0] == 4 => Ok(()),
        _ => Err(ApiError::invalid(field, "A P-256 public key: 65 bytes (uncompressed), base64url.")),
    }
}

/// An ECDSA P-256 signature as WebCrypto makes it: r ‖ s, 64 bytes.
fn signature(field: &str, text: &str) -> Result<(), ApiError> {
    match URL_SAFE_NO_PAD.decode(text) {
        Ok(bytes) if bytes.len() == 64 => Ok(()),
        _ => Err(ApiError::invalid(field, "An ECDSA P-256 signature: 64 bytes (r ‖ s), base64url.")),
    }
}

/// A device id: 1–64 letters, digits or . _ : - (chosen by the device).
pub fn device_id(id: &str) -> Result<&str, ApiError> {
    if crate::chat::message::is_client_token(id) {
        Ok(id)
    } else {
        Err(ApiError::invalid("device", "A device id is 1–64 letters, digits or . _ : -"))
    }
}

impl PublishKeys {
    /// Every key and the signature in the shapes above.
    pub fn check(&self) -> Result<(), ApiError> {
        public_key("identity_key", &self.identity_key)?;
        public_key("signing_key", &self.signing_key)?;
        public_key("pre_key", &self.pre_key)?;
        signature("pre_key_signature", &self.pre_key_signature)
    }
}

/// Whether every published key is a point of P-256, not just 65 bytes of the right shape: a
/// key that is not would make every WebCrypto import of it fail. With the curve's arithmetic,
/// which only the worker links (the `push` feature).
#[cfg(feature = "push")]
impl PublishKeys {
    pub fn check_points(&self) -> Result<(), ApiError> {
        for (field, key) in [
            ("identity_key", &self.identity_key),
            ("signing_key", &self.signing_key),
            ("pre_key", &self.pre_key),
        ] {
            let bytes = URL_SAFE_NO_PAD.decode(key).unwrap_or_default();
            if crate::chat::push::ece::receiver_key(&bytes).is_err() {
                return Err(ApiError::invalid(field, "A P-256 public key: a point of the curve."));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(first: u8) -> String {
        let mut bytes = vec![first];
        bytes.extend([7u8; 64]);
        URL_SAFE_NO_PAD.encode(bytes)
    }

    fn keys() -> PublishKeys {
        PublishKeys {
            identity_key: key(4),
            signing_key: key(4),
            pre_key_id: 1,
            pre_key: key(4),
            pre_key_signature: URL_SAFE_NO_PAD.encode([1u8; 64]),
        }
    }

    #[test]
    fn published_keys_must_have_their_shapes() {
        assert!(keys().check().is_ok());
        let compressed = PublishKeys { identity_key: key(2), ..keys() };
        assert_eq!(compressed.check().unwrap_err().field.as_deref(), Some("identity_key"));
        let short = PublishKeys { pre_key: URL_SAFE_NO_PAD.encode([4u8; 33]), ..keys() };
        assert_eq!(short.check().unwrap_err().field.as_deref(), Some("pre_key"));
        let der = PublishKeys { pre_key_signature: URL_SAFE_NO_PAD.encode([48u8; 70]), ..keys() };
        assert_eq!(der.check().unwrap_err().field.as_deref(), Some("pre_key_signature"));
        let padded = PublishKeys { signing_key: format!("{}=", key(4)), ..keys() };
        assert_eq!(padded.check().unwrap_err().field.as_deref(), Some("signing_key"));
        assert!(device_id("phone-1").is_ok());
        #[cfg(feature = "push")]
        {
            // Right shape, but no point of the curve (x and y all sevens).
            assert_eq!(keys().check_points().unwrap_err().field.as_deref(), Some("identity_key"));
            let point = URL_SAFE_NO_PAD
                .encode(p256::SecretKey::from_slice(&[9; 32]).unwrap().public_key().to_sec1_bytes().as_ref());
            let real = PublishKeys {
                identity_key: point.clone(),
                signing_key: point.clone(),
                pre_key: point,
                ..keys()
            };
            assert_eq!(real.check_points(), Ok(()));
        }
        assert!(device_id("").is_err() && device_id("a/b").is_err() && device_id(&"d".repeat(65)).is_err());
    }
}
