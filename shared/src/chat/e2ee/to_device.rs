//! The to-device inbox of encrypted conversations: envelopes one device seals for another that
//! are not messages of the conversation, above all the sender key each device hands to every
//! member's devices (`sender_keys`), sealed pairwise. Kept out of the conversation's log, they
//! neither count as unread nor show in its history; the server keeps each one for the device
//! it is sealed for until that device says it has it (like Matrix's sendToDevice). Here: the
//! wire shapes and the rules of their shapes; who is a member and which devices are published
//! is the server's to check.

use super::{envelope::Envelope, keys::device_id};
use crate::{auth::validation::normalize_username, chat::message::MAX_ENVELOPE_CHARS, ApiError};
use serde::{Deserialize, Serialize};

/// The most envelopes one request queues (a client with more sends them in several requests).
pub const MAX_MESSAGES: usize = 1_000;
/// The largest body a send takes, in bytes: room for [`MAX_MESSAGES`] hand-offs of about 2 KB
/// each (a sender key sealed with a handshake is under 1 KB), more than any other chat body.
pub const MAX_REQUEST_BYTES: usize = 2 * 1024 * 1024;
/// The envelopes a page of an inbox holds when the client does not say.
pub const DEFAULT_PAGE: u32 = 100;
/// The most envelopes a page holds.
pub const MAX_PAGE: u32 = 500;
/// How long an envelope waits for its device: one away longer has been replaced or lost, and
/// a device that finds it lacks a sender key asks its sender for it again.
pub const KEPT_MS: i64 = 30 * 24 * 60 * 60 * 1000;

/// `POST /api/chat/conversations/{id}/to-device`: envelopes from one of the caller's devices,
/// each for one device of a member (the caller's own other devices included). All are queued or
/// none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SendToDevice {
    /// The sending device: one the caller published keys for, and the `device` of every
    /// envelope.
    pub from_device: String,
    /// 1–1,000 envelopes.
    pub messages: Vec<ToDeviceMessage>,
}

/// One envelope and the device it is sealed for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ToDeviceMessage {
    /// A member of the conversation.
    pub username: String,
    /// One of their published devices.
    pub device: String,
    /// The envelope (`e2ee:v1:…`), at most 48,000 characters.
    pub body: String,
}

/// What a send queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ToDeviceQueued {
    pub queued: u32,
}

/// One envelope waiting in a device's inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ToDeviceItem {
    /// Grows with each envelope queued anywhere: a device reads on `after` the last it holds and
    /// acknowledges `up_to` it.
    pub id: u64,
    /// The conversation it was sent in.
    pub conversation: String,
    /// The sender's username and device.
    pub sender: String,
    pub sender_device: String,
    pub body: String,
    /// RFC 3339.
    pub sent_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ToDeviceList {
    /// Oldest first.
    pub items: Vec<ToDeviceItem>,
}

/// `POST /api/chat/devices/{device}/inbox/ack`: the device holds every envelope up to this id;
/// the server forgets them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ToDeviceAck {
    pub up_to: u64,
}

/// Which envelopes a page of an inbox holds: those after `after`, oldest first, at most `limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub after: u64,
    pub limit: u32,
}

/// The page `GET /api/chat/devices/{device}/inbox?after=&limit=` asks for.
pub fn page(after: Option<&str>, limit: Option<&str>) -> Result<Page, ApiError> {
    let after = match after {
        None => 0,
        Some(text) => text
            .parse::<u64>()
            .map_err(|_| ApiError::invalid("after", "after is an id: a whole number from 0."))?,
    };
    let limit = match limit {
        None => DEFAULT_PAGE,
        Some(text) => {
            text.parse::<u32>().ok().filter(|n| (1..=MAX_PAGE).contains(n)).ok_or_else(|| {
                ApiError::invalid("limit", format!("A page holds 1 to {MAX_PAGE} envelopes."))
            })?
        }
    };
    Ok(Page { after, limit })
}

impl SendToDevice {
    /// The shapes: a device id to send from, 1–1,000 envelopes, each for a possible username and
    /// device id, and each an envelope from `from_device` within the length limit. The field of
    /// an envelope's error is `messages[i].…`.
    pub fn check(&self) -> Result<(), ApiError> {
        device_id(&self.from_device).map_err(|_| {
            ApiError::invalid("from_device", "A device id is 1–64 letters, digits or . _ : -")
        })?;
        if !(1..=MAX_MESSAGES).contains(&self.messages.len()) {
            return Err(ApiError::invalid(
                "messages",
                format!("Send 1 to {MAX_MESSAGES} envelopes at once (more in further requests)."),
            ));
        }
        for (i, message) in self.messages.iter().enumerate() {
            let field = |name: &str| format!("messages[{i}].{name}");
            normalize_username(&message.username)
                .map_err(|_| ApiError::invalid(&field("username"), "No one can be called that."))?;
            device_id(&message.device).map_err(|_| {
                ApiError::invalid(&field("device"), "A device id is 1–64 letters, digits or . _ : -")
            })?;
            if message.body.len() > MAX_ENVELOPE_CHARS {
                return Err(ApiError::invalid(
                    &field("body"),
                    format!("An envelope is at most {MAX_ENVELOPE_CHARS} characters."),
                ));
            }
            match Envelope::from_body(&message.body) {
                None => {
                    return Err(ApiError::invalid(&field("body"), "Send a sealed envelope (e2ee:v1:…)."));
                }
                Some(envelope) if envelope.device != self.from_device => {
                    return Err(ApiError::invalid(
                        &field("body"),
                        "The envelope is sealed by another device than from_device.",
                    ));
                }
                Some(_) => {}
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};

    fn sealed_by(device: &str) -> String {
        Envelope {
            device: device.into(),
            counter: 0,
            nonce: URL_SAFE_NO_PAD.encode([7u8; 12]),
            replaces: None,
            handshake: None,
            generation: None,
            ciphertext: URL_SAFE_NO_PAD.encode([1u8; 48]),
            signature: None,
        }
        .to_body()
    }

    fn to(username: &str, device: &str) -> ToDeviceMessage {
        ToDeviceMessage { username: username.into(), device: device.into(), body: sealed_by("a1") }
    }

    fn send(messages: Vec<ToDeviceMessage>) -> SendToDevice {
        SendToDevice { from_device: "a1".into(), messages }
    }

    fn field_of(request: &SendToDevice) -> Option<String> {
        request.check().err().and_then(|e| e.field)
    }

    #[test]
    fn a_send_names_its_device_and_up_to_a_thousand_envelopes() {
        assert!(send(vec![to("bob", "b1"), to("Bob", "b2"), to("ann", "a2")]).check().is_ok());
        assert_eq!(field_of(&send(vec![])).as_deref(), Some("messages"));
        assert!(send(vec![to("bob", "b1"); MAX_MESSAGES]).check().is_ok());
        assert_eq!(field_of(&send(vec![to("bob", "b1"); MAX_MESSAGES + 1])).as_deref(), Some("messages"));
        let nowhere = SendToDevice { from_device: "a/1".into(), ..send(vec![to("bob", "b1")]) };
        assert_eq!(field_of(&nowhere).as_deref(), Some("from_device"));
    }

    #[test]
    fn each_envelope_is_for_a_possible_person_and_device_and_sealed_by_the_sender() {
        let field = |message: ToDeviceMessage| field_of(&send(vec![to("bob", "b1"), message]));
        assert_eq!(field(to("no one", "b1")).as_deref(), Some("messages[1].username"));
        assert_eq!(field(to("bob", "")).as_deref(), Some("messages[1].device"));
        assert_eq!(
            field(ToDeviceMessage { body: "hello".into(), ..to("bob", "b1") }).as_deref(),
            Some("messages[1].body")
        );
        let other = ToDeviceMessage { body: sealed_by("a2"), ..to("bob", "b1") };
        assert_eq!(field(other).as_deref(), Some("messages[1].body"), "sealed by another device");
        let long = ToDeviceMessage {
            body: format!("{}{}", sealed_by("a1"), "A".repeat(MAX_ENVELOPE_CHARS)),
            ..to("bob", "b1")
        };
        assert_eq!(field(long).as_deref(), Some("messages[1].body"));
    }

    #[test]
    fn a_page_is_after_an_id_and_one_to_five_hundred_long() {
        assert_eq!(page(None, None), Ok(Page { after: 0, limit: DEFAULT_PAGE }));
        assert_eq!(page(Some("41"), Some("500")), Ok(Page { after: 41, limit: 500 }));
        for (after, limit, field) in [
            (Some("-1"), None, "after"),
            (Some("x"), None, "after"),
            (None, Some("0"), "limit"),
            (None, Some("501"), "limit"),
        ] {
            assert_eq!(page(after, limit).unwrap_err().field.as_deref(), Some(field));
        }
    }

    #[test]
    fn the_wire_shapes_are_these() {
        let sent: SendToDevice = serde_json::from_str(
            r#"{"from_device":"a1","messages":[{"username":"bob","device":"b1","body":"e2ee:v1:x"}]}"#,
        )
        .unwrap();
        assert_eq!(sent.messages[0].device, "b1");
        assert!(serde_json::from_str::<ToDeviceAck>(r#"{"up_to":5,"also":1}"#).is_err());
        let item = ToDeviceItem {
            id: 5,
            conversation: "c1".into(),
            sender: "ann".into(),
            sender_device: "a1".into(),
            body: "e2ee:v1:x".into(),
            sent_at: "2024-01-01T00:00:00Z".into(),
        };
        assert_eq!(
            serde_json::to_value(ToDeviceList { items: vec![item] }).unwrap(),
            serde_json::json!({"items": [{"id": 5, "conversation": "c1", "sender": "ann", "sender_device": "a1",
                "body": "e2ee:v1:x", "sent_at": "2024-01-01T00:00:00Z"}]})
        );
    }
}
