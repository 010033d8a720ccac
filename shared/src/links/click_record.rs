//! A click as it is stored, and as it travels from the redirect to `links_clicks` through the
//! clicks queue: already described (client classified, visitor hashed), so neither the IP
//! address nor the raw User-Agent ever enters the queue.
//!
//! Queues deliver at least once, so each click carries an id made at the redirect; the table
//! keeps one row per id, and a redelivered click is not counted twice.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClickRecord {
    /// Unique per click (random, made at the redirect); `None` for clicks written directly,
    /// which are never delivered twice (the demo's history).
    pub click_id: Option<String>,
    pub link_id: String,
    pub at_ms: i64,
    /// The referring host, lower-cased, without `www.`; '' when direct.
    pub referrer_host: String,
    /// ISO code, or `unknown`.
    pub country: String,
    pub device: String,
    pub browser: String,
    pub os: String,
    /// The daily-salted visitor hash.
    pub visitor: String,
    pub is_bot: bool,
}

impl ClickRecord {
    /// The queue message's body: JSON text, which any consumer (and a person reading the
    /// dead-letter queue) can read.
    pub fn to_message(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The longest host name DNS allows; a longer "host" in a Referer is not one.
const MAX_HOST_LEN: usize = 253;

/// The host of a Referer header, lower-cased, without `www.`; '' for none, an unreadable one or
/// one longer than a host name can be (it would only bloat the queue and the table).
pub fn referrer_host(referrer: Option<&str>) -> String {
    referrer
        .and_then(|r| url::Url::parse(r).ok())
        .and_then(|u| u.host_str().map(|h| h.trim_start_matches("www.").to_ascii_lowercase()))
        .filter(|host| host.len() <= MAX_HOST_LEN)
        .unwrap_or_default()
}

/// One queue delivery, read: the clicks it carries (with their place in the batch, to ack or
/// retry each) and the places of the messages that are not clicks (logged and dropped: retrying
/// them could never succeed).
#[derive(Debug, Default, PartialEq)]
pub struct Delivery {
    pub clicks: Vec<(usize, ClickRecord)>,
    pub unreadable: Vec<usize>,
}

/// Reads a delivery's message bodies (`None` for a body that is not text).
pub fn read_delivery<I>(bodies: I) -> Delivery
where
    I: IntoIterator<Item = Option<String>>,
{
    let mut delivery = Delivery::default();
    for (place, body) in bodies.into_iter().enumerate() {
        match body.as_deref().map(serde_json::from_str::<ClickRecord>) {
            Some(Ok(click)) => delivery.clicks.push((place, click)),
            _ => delivery.unreadable.push(place),
        }
    }
    delivery
}

#[cfg(test)]
mod tests {
    use super::*;

    fn click(id: &str) -> ClickRecord {
        ClickRecord {
            click_id: Some(id.to_owned()),
            link_id: "01HLINK".to_owned(),
            at_ms: 1_700_000_000_123,
            referrer_host: "news.ycombinator.com".to_owned(),
            country: "IN".to_owned(),
            device: "mobile".to_owned(),
            browser: "Chrome".to_owned(),
            os: "Android".to_owned(),
            visitor: "9f2c".to_owned(),
            is_bot: false,
        }
    }

    #[test]
    fn a_click_survives_the_queue_unchanged() {
        let sent = click("c1");
        let read = read_delivery([Some(sent.to_message())]);
        assert_eq!(read.clicks, vec![(0, sent)]);
        assert!(read.unreadable.is_empty());
    }

    #[test]
    fn unreadable_messages_are_reported_by_place_and_do_not_stop_the_rest() {
        let bodies = vec![
            Some(click("a").to_message()),
            None,
            Some("{\"link_id\":".to_owned()),
            Some("{}".to_owned()),
            Some(click("b").to_message()),
        ];
        let read = read_delivery(bodies);
        assert_eq!(read.clicks.iter().map(|(place, _)| *place).collect::<Vec<_>>(), vec![0, 4]);
        assert_eq!(read.unreadable, vec![1, 2, 3]);
    }

    #[test]
    fn a_referrer_is_kept_as_its_host_and_only_when_it_can_be_one() {
        assert_eq!(referrer_host(Some("https://www.News.Example/post?id=1")), "news.example");
        assert_eq!(referrer_host(Some("android-app://com.slack/")), "com.slack");
        assert_eq!(referrer_host(None), "");
        assert_eq!(referrer_host(Some("not a url")), "");
        let long = format!("https://{}.example/", "a".repeat(300));
        assert_eq!(referrer_host(Some(&long)), "", "no host name is that long");
        let longest = format!("https://{}.{}.ex/", vec!["a".repeat(62); 3].join("."), "a".repeat(61));
        assert_eq!(referrer_host(Some(&longest)).len(), 253);
    }

    #[test]
    fn the_message_carries_no_address_or_user_agent() {
        let message = click("c1").to_message();
        for field in ["ip", "user_agent"] {
            assert!(!message.contains(&format!("\"{field}\"")), "{message}");
        }
    }
}
