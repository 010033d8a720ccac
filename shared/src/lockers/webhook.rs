//! Webhooks: a sender (a shop with an API key, or anyone) registers an https URL and a secret, and
//! every change in the life of a parcel they sent or receive — returns included — is POSTed to it,
//! in order, signed. The body never carries a code. Delivery is at least once (receivers dedupe
//! by the event's `id`), retried with backoff while the endpoint fails.

use crate::ApiError;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// Endpoints a person may register.
pub const MAX_WEBHOOKS: usize = 5;
/// Events one delivery run sends to an endpoint at most, in order.
pub const BATCH: usize = 50;
/// Failures in a row after which an endpoint is switched off (about three days of backoff).
pub const MAX_FAILURES: u32 = 80;
/// The header that carries the signature.
pub const SIGNATURE_HEADER: &str = "Dozen-Signature";

/// `POST /api/lockers/webhooks`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    /// https (http only for localhost).
    pub url: String,
    /// Signs every delivery (HMAC-SHA256); 1–100 characters.
    pub secret: String,
}

impl NewWebhook {
    /// The URL as it will be called, or the field that is wrong.
    pub fn check(&self) -> Result<String, ApiError> {
        crate::pay::webhook::validate_secret(&self.secret)?;
        crate::pay::webhook::validate_url(&self.url)
    }
}

/// An endpoint as its owner sees it (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
// Named apart from Pay's endpoint view: the OpenAPI document keeps one schema per name.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = LockersWebhookView))]
pub struct WebhookView {
    pub id: String,
    pub url: String,
    pub active: bool,
    /// The newest event it is done with (`evt_…`): every earlier one of its owner's was delivered.
    pub delivered_through: Option<String>,
    /// Failed attempts in a row, and the last one's reason.
    pub failures: u32,
    pub last_error: Option<String>,
    /// RFC 3339: when it is tried again, while failing.
    pub next_attempt_at: Option<String>,
    /// RFC 3339.
    pub created_at: String,
}

/// A parcel as a webhook tells it: its state, never its code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookParcel {
    pub id: String,
    pub kind: String,
    pub status: String,
    pub reference: Option<String>,
    pub return_of: Option<String>,
    pub location_id: String,
    pub bank_id: Option<String>,
    pub door: Option<u16>,
    /// RFC 3339.
    pub pickup_by: Option<String>,
}

/// One delivery's body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookEvent {
    /// `evt_{n}`: increasing, the same on every attempt.
    pub id: String,
    /// `package.created`, `package.in_locker`, `package.picked_up`, `package.expired`,
    /// `package.returned`, `package.cancelled`, `package.reserved`, `package.dropped_off`,
    /// `package.lapsed`, `package.rerouted`, `package.extended`.
    #[serde(rename = "type")]
    pub kind: String,
    /// RFC 3339: when it happened.
    pub created_at: String,
    /// Who made it (a username), or `system` for the clock.
    pub actor: String,
    pub detail: Option<String>,
    /// The parcel as it is now.
    pub package: WebhookParcel,
}

/// An event's type from its status and detail (a reroute or an extension keeps the status).
pub fn event_type(status: &str, detail: Option<&str>) -> String {
    match detail {
        Some(d) if d.starts_with("rerouted") => "package.rerouted".to_owned(),
        Some(d) if d.starts_with("window extended") => "package.extended".to_owned(),
        _ => format!("package.{status}"),
    }
}

fn mac(secret: &str, timestamp: i64, body: &[u8]) -> Vec<u8> {
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.finalize().into_bytes().to_vec()
}

/// `Dozen-Signature: t={unix seconds},v1={hex HMAC-SHA256 of "{t}.{body}" under the secret}`: the
/// time is signed too, so a delivery replayed later is refused by a receiver that checks it.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let hex: String = mac(secret, timestamp, body).iter().map(|b| format!("{b:02x}")).collect();
    format!("t={timestamp},v1={hex}")
}

/// Whether `header` signs `body` under `secret`, made within `tolerance_secs` of `now_secs` (what
/// a receiver checks; compared in constant time).
pub fn verify(secret: &str, header: &str, body: &[u8], now_secs: i64, tolerance_secs: i64) -> bool {
    let mut timestamp = None;
    let mut given = None;
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", v)) => given = Some(v.to_owned()),
            _ => {}
        }
    }
    let (Some(t), Some(given)) = (timestamp, given) else { return false };
    if (now_secs - t).abs() > tolerance_secs {
        return false;
    }
    let expected = signature(secret, t, body);
    let expected = expected.rsplit_once("v1=").map(|(_, v)| v).unwrap_or_default();
    bool::from(expected.as_bytes().ct_eq(given.as_bytes()))
}

/// How long after `failures` failures in a row the next attempt waits: 1 min, doubling, at most
/// an hour.
pub fn backoff_ms(failures: u32) -> i64 {
    60_000 * (1i64 << failures.saturating_sub(1).min(6)).min(60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_for_its_body_secret_and_time() {
        let body = br#"{"id":"evt_1"}"#;
        let header = signature("s3cret", 1_764_900_000, body);
        assert!(header.starts_with("t=1764900000,v1="));
        assert_eq!(header.len(), "t=1764900000,v1=".len() + 64);
        assert!(verify("s3cret", &header, body, 1_764_900_100, 300));
        assert!(!verify("s3cret", &header, br#"{"id":"evt_2"}"#, 1_764_900_100, 300), "another body");
        assert!(!verify("other", &header, body, 1_764_900_100, 300), "another secret");
        assert!(!verify("s3cret", &header, body, 1_764_901_000, 300), "too old: a replay");
        assert!(!verify("s3cret", "v1=abc", body, 1_764_900_000, 300));
    }

    #[test]
    fn event_types_follow_the_status_and_name_reroutes_and_extensions() {
        assert_eq!(event_type("in_locker", Some("door 4")), "package.in_locker");
        assert_eq!(event_type("created", Some("rerouted from A (full) to B")), "package.rerouted");
        assert_eq!(event_type("in_locker", Some("window extended (paid)")), "package.extended");
        assert_eq!(event_type("expired", None), "package.expired");
    }

    #[test]
    fn retries_back_off_to_an_hour() {
        assert_eq!(backoff_ms(1), 60_000);
        assert_eq!(backoff_ms(2), 120_000);
        assert_eq!(backoff_ms(6), 1_920_000);
        assert_eq!(backoff_ms(7), 3_600_000);
        assert_eq!(backoff_ms(80), 3_600_000);
    }

    #[test]
    fn an_endpoint_needs_an_https_url_and_a_secret() {
        let ok = NewWebhook { url: "https://shop.example/hooks".into(), secret: "s".into() };
        assert_eq!(ok.check().unwrap(), "https://shop.example/hooks");
        let field = |w: NewWebhook| w.check().unwrap_err().field.unwrap_or_default();
        assert_eq!(field(NewWebhook { url: "http://shop.example/".into(), ..ok.clone() }), "url");
        assert_eq!(field(NewWebhook { secret: "".into(), ..ok }), "secret");
    }
}
