//! Webhooks: which events a merchant may subscribe to, which URLs may receive them, the body
//! Razorpay sends (`{"entity":"event","event":"payment.captured","contains":["payment"],
//! "payload":{"payment":{"entity":{…}}},…}`, signed over its bytes with the webhook's secret in
//! `X-Razorpay-Signature`), and when a failed delivery is tried again: with backoff, until a 2xx,
//! for 24 hours.

use crate::{
    error::ApiError,
    url_parts::{self, UrlParser},
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Every event Pay can send, by Razorpay's names.
pub const EVENTS: &[&str] = &[
    "payment.authorized",
    "payment.captured",
    "payment.failed",
    "order.paid",
    "refund.created",
    "refund.processed",
    "refund.failed",
    "payment_link.paid",
    "payment_link.partially_paid",
    "payment_link.cancelled",
    "payment_link.expired",
    "subscription.authenticated",
    "subscription.activated",
    "subscription.charged",
    "subscription.pending",
    "subscription.halted",
    "subscription.cancelled",
    "subscription.paused",
    "subscription.resumed",
    "subscription.completed",
    "subscription.expired",
    "settlement.processed",
];

pub const MAX_URL_CHARS: usize = 2_048;
pub const MAX_SECRET_CHARS: usize = 255;
/// Webhooks a merchant may register.
pub const MAX_WEBHOOKS: i64 = 10;
/// How long a delivery is retried before it is given up.
pub const RETRY_FOR_MS: i64 = 24 * 60 * 60 * 1000;
/// A claimed attempt that never reported back (the worker died) is retried after this.
pub const ATTEMPT_LEASE_MS: i64 = 60_000;

/// `https://…`, or `http://` to this machine (a receiver under development).
pub fn validate_url(raw: &str) -> Result<String, ApiError> {
    validate_url_with(raw, url_parts::parse)
}

/// [`validate_url`] with another URL Standard parser (the browser's, in the app).
pub fn validate_url_with(raw: &str, parse: UrlParser) -> Result<String, ApiError> {
    let invalid = || ApiError::invalid("url", "Enter an https:// URL (http:// only for localhost).");
    if raw.len() > MAX_URL_CHARS {
        return Err(ApiError::invalid(
            "url",
            format!("The URL may have at most {MAX_URL_CHARS} characters."),
        ));
    }
    let url = parse(raw.trim()).ok_or_else(invalid)?;
    let local = matches!(url.host.as_str(), "localhost" | "127.0.0.1" | "[::1]");
    match url.scheme.as_str() {
        "https" if !url.host.is_empty() => {}
        "http" if local => {}
        _ => return Err(invalid()),
    }
    if !url.username.is_empty() || !url.password.is_empty() {
        return Err(ApiError::invalid(
            "url",
            "Put no credentials in the URL; the signature proves the sender.",
        ));
    }
    Ok(url.href)
}

/// The subscribed events: known names, at least one, each once (sorted).
pub fn validate_events(events: &[String]) -> Result<Vec<String>, ApiError> {
    if events.is_empty() {
        return Err(ApiError::invalid("events", "Subscribe to at least one event."));
    }
    let mut checked = Vec::with_capacity(events.len());
    for event in events {
        if !EVENTS.contains(&event.as_str()) {
            return Err(ApiError::invalid(
                "events",
                format!("Unknown event `{event}`; see the list in the README."),
            ));
        }
        checked.push(event.clone());
    }
    checked.sort();
    checked.dedup();
    Ok(checked)
}

pub fn validate_secret(secret: &str) -> Result<(), ApiError> {
    if secret.is_empty() || secret.chars().count() > MAX_SECRET_CHARS {
        return Err(ApiError::invalid(
            "secret",
            format!("The secret signs every delivery: 1 to {MAX_SECRET_CHARS} characters."),
        ));
    }
    Ok(())
}

/// The body of one event, exactly as delivered (and signed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventBody {
    pub entity: String,
    pub account_id: String,
    pub event: String,
    pub contains: Vec<String>,
    pub payload: Map<String, Value>,
    pub created_at: i64,
}

impl EventBody {
    /// `entities` are (name, entity JSON), e.g. ("payment", {...}): each becomes
    /// `payload.<name>.entity`, and its name is listed in `contains`.
    pub fn new(account_id: &str, event: &str, entities: Vec<(&str, Value)>, created_at_secs: i64) -> Self {
        let contains = entities.iter().map(|(name, _)| (*name).to_owned()).collect();
        let payload = entities
            .into_iter()
            .map(|(name, entity)| {
                let mut wrapper = Map::new();
                wrapper.insert("entity".into(), entity);
                (name.to_owned(), Value::Object(wrapper))
            })
            .collect();
        Self {
            entity: "event".into(),
            account_id: account_id.to_owned(),
            event: event.to_owned(),
            contains,
            payload,
            created_at: created_at_secs,
        }
    }
}

/// A delivery's life: pending (tried until a 2xx or a day has passed) → delivered, or failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    Pending,
    Delivered,
    Failed,
}

impl DeliveryStatus {
    pub const ALL: [Self; 3] = [Self::Pending, Self::Delivered, Self::Failed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == s)
    }

    /// After an attempt: delivered on a 2xx, else pending while a retry is scheduled, else failed.
    pub fn after_attempt(delivered: bool, retry_at: Option<i64>) -> Self {
        match (delivered, retry_at) {
            (true, _) => Self::Delivered,
            (false, Some(_)) => Self::Pending,
            (false, None) => Self::Failed,
        }
    }
}

/// When to try a delivery again after `attempts_made` failed attempts of a delivery created at
/// `created_at`: 1, 2, 4, 8 … minutes after the last one, at most 2 hours apart, and never
/// later than 24 hours after the event (`None`: give up).
pub fn next_attempt_at(created_at: i64, attempts_made: u32, now_ms: i64) -> Option<i64> {
    let exponent = attempts_made.saturating_sub(1).min(16);
    let delay = (60_000_i64 << exponent).min(2 * 60 * 60 * 1000);
    let next = now_ms + delay;
    (next <= created_at + RETRY_FOR_MS).then_some(next)
}

/// A 2xx is delivered; anything else (or no answer) is retried.
pub fn is_delivered(status: u16) -> bool {
    (200..300).contains(&status)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn urls() {
        assert_eq!(validate_url("https://example.com/hook").unwrap(), "https://example.com/hook");
        assert!(validate_url("http://127.0.0.1:9000/hook").is_ok());
        assert!(validate_url("http://localhost/hook").is_ok());
        for bad in
            ["http://example.com/hook", "ftp://example.com", "not a url", "https://user:pw@example.com/"]
        {
            assert_eq!(validate_url(bad).unwrap_err().field.as_deref(), Some("url"), "{bad}");
        }
        assert!(validate_url(&format!("https://example.com/{}", "a".repeat(MAX_URL_CHARS))).is_err());
    }

    #[test]
    fn events_and_secrets() {
        let events =
            validate_events(&["payment.captured".into(), "order.paid".into(), "order.paid".into()]).unwrap();
        assert_eq!(events, ["order.paid", "payment.captured"]);
        assert!(validate_events(&[]).is_err());
        assert!(validate_events(&["payment.everything".into()]).is_err());
        assert!(validate_secret("s").is_ok());
        assert!(validate_secret("").is_err());
        assert!(validate_secret(&"s".repeat(256)).is_err());
    }

    #[test]
    fn the_body_is_razorpays() {
        let body =
            EventBody::new("acc_1", "payment.captured", vec![("payment", json!({"id": "pay_1"}))], 1_700);
        let value = serde_json::to_value(&body).unwrap();
        assert_eq!(
            value,
            json!({"entity": "event", "account_id": "acc_1", "event": "payment.captured", "contains": ["payment"],
                   "payload": {"payment": {"entity": {"id": "pay_1"}}}, "created_at": 1_700})
        );
    }

    #[test]
    fn retries_back_off_and_stop_after_a_day() {
        let created = 0;
        assert_eq!(next_attempt_at(created, 1, 0), Some(60_000));
        assert_eq!(next_attempt_at(created, 2, 60_000), Some(180_000));
        assert_eq!(next_attempt_at(created, 3, 0), Some(240_000));
        assert_eq!(next_attempt_at(created, 30, 0), Some(2 * 60 * 60 * 1000), "capped at 2 hours");
        assert_eq!(next_attempt_at(created, 5, RETRY_FOR_MS - 1_000), None);
        // Over a day, a never-answering receiver is tried a bounded number of times.
        let (mut now, mut attempts) = (0, 1);
        while let Some(next) = next_attempt_at(created, attempts, now) {
            now = next;
            attempts += 1;
        }
        assert!((15..=25).contains(&attempts), "{attempts} attempts");
        assert!(is_delivered(204) && !is_delivered(500) && !is_delivered(302));
    }

    #[test]
    fn a_delivery_is_pending_until_delivered_or_given_up() {
        assert_eq!(DeliveryStatus::after_attempt(true, None), DeliveryStatus::Delivered);
        assert_eq!(DeliveryStatus::after_attempt(true, Some(1)), DeliveryStatus::Delivered);
        assert_eq!(DeliveryStatus::after_attempt(false, Some(1)), DeliveryStatus::Pending);
        assert_eq!(DeliveryStatus::after_attempt(false, None), DeliveryStatus::Failed);
    }
}
