//! The chat socket's frames (`GET /api/chat/socket`): JSON objects with a `type`. One socket per
//! signed-in device carries all of its person's conversations. The README's "Chat protocol"
//! says the same in prose.

use serde::{Deserialize, Serialize};

/// The largest frame a client may send, in bytes: a body of 4,000 characters even if each is
/// written as a JSON escape pair (`\uD83D\uDE00`, 12 bytes), and room for the rest.
pub const MAX_CLIENT_FRAME_BYTES: usize = 64 * 1024;

/// What a device sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientFrame {
    /// A new message; the same `client_id` again is the same message.
    Send {
        conversation: String,
        client_id: String,
        body: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reply_to: Option<u64>,
        /// A file uploaded to the conversation (`POST …/media`): the body is its caption.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        media: Option<String>,
        /// A sticker of the set instead of words (the body empty).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sticker: Option<String>,
    },
    /// Every message after `after_seq`, in order, then live ones.
    Sync {
        conversation: String,
        after_seq: u64,
    },
    /// This device has every message up to `seq`.
    Delivered {
        conversation: String,
        seq: u64,
    },
    /// Its person has seen every message up to `seq`.
    Read {
        conversation: String,
        seq: u64,
    },
    Typing {
        conversation: String,
    },
    /// The answer to a `ping` (a struct variant, so that extra fields are refused here too).
    Pong {},
}

/// One message as every member's devices receive it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageFrame {
    pub conversation: String,
    pub seq: u64,
    pub client_id: String,
    /// The sender's username.
    pub sender: String,
    pub body: String,
    /// RFC 3339.
    pub sent_at: String,
    pub reply_to: Option<u64>,
    pub edited: bool,
    /// Deleted for everyone: the body is empty.
    #[serde(default)]
    pub deleted: bool,
    /// Each emoji with the people who reacted with it (one reaction per person).
    #[serde(default)]
    pub reactions: Vec<ReactionView>,
    /// The file it carries (gone once deleted for everyone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<super::media::MediaView>,
    /// The sticker it is (gone once deleted for everyone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sticker: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReactionView {
    pub emoji: String,
    /// Usernames, in the order they reacted.
    pub users: Vec<String>,
}

/// What the server sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    /// To the sending device: the message has its seq (sent again for a repeated client id).
    Sent {
        conversation: String,
        client_id: String,
        seq: u64,
    },
    Message(MessageFrame),
    /// A message already delivered, as it now stands: edited, deleted for everyone, or reacted
    /// to (the same seq as before; devices replace what they hold).
    Changed(MessageFrame),
    Receipt {
        conversation: String,
        user: String,
        delivered_seq: u64,
        read_seq: u64,
    },
    Typing {
        conversation: String,
        user: String,
    },
    Presence {
        user: String,
        status: super::presence::Status,
        last_seen: Option<String>,
    },
    Ping,
    /// A frame this device sent was refused; the socket stays open unless the frame was garbage.
    Error {
        code: FrameErrorCode,
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client_id: Option<String>,
    },
}

/// Every field of a server frame other than a message's own (a message is read as itself).
#[derive(Deserialize)]
struct FrameFields {
    #[serde(rename = "type")]
    kind: String,
    conversation: Option<String>,
    client_id: Option<String>,
    seq: Option<u64>,
    user: Option<String>,
    delivered_seq: Option<u64>,
    read_seq: Option<u64>,
    status: Option<super::presence::Status>,
    last_seen: Option<String>,
    code: Option<FrameErrorCode>,
    message: Option<String>,
}

impl ServerFrame {
    /// Reads a frame as the derive does, for the browser: serde's reader of an internally
    /// tagged enum buffers the frame and is some 20 KB of wasm, which the chat page cannot
    /// spare. A test holds the two readers equal.
    pub fn from_json(text: &str) -> Option<ServerFrame> {
        let f: FrameFields = serde_json::from_str(text).ok()?;
        Some(match f.kind.as_str() {
            "message" => ServerFrame::Message(serde_json::from_str(text).ok()?),
            "changed" => ServerFrame::Changed(serde_json::from_str(text).ok()?),
            "sent" => {
                ServerFrame::Sent { conversation: f.conversation?, client_id: f.client_id?, seq: f.seq? }
            }
            "receipt" => ServerFrame::Receipt {
                conversation: f.conversation?,
                user: f.user?,
                delivered_seq: f.delivered_seq?,
                read_seq: f.read_seq?,
            },
            "typing" => ServerFrame::Typing { conversation: f.conversation?, user: f.user? },
            "presence" => ServerFrame::Presence { user: f.user?, status: f.status?, last_seen: f.last_seen },
            "ping" => ServerFrame::Ping,
            "error" => ServerFrame::Error { code: f.code?, message: f.message?, client_id: f.client_id },
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FrameErrorCode {
    /// Not a JSON object, or too large.
    Malformed,
    /// A JSON object with a `type` this protocol does not have.
    UnknownType,
    /// A known frame with a missing, extra or wrong field, or a value that breaks a rule.
    Invalid,
    /// A conversation this person is not in (or that does not exist: the same answer).
    NotFound,
    /// Not allowed (a blocked contact, a full group).
    Forbidden,
    /// Too many frames too fast.
    RateLimited,
    /// Something failed on the server's side: send it again.
    Internal,
}

/// A refused frame: the error to send back, and whether to close the socket (garbage that is
/// not even a JSON object says the client is not speaking this protocol).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: FrameErrorCode,
    pub message: String,
    pub close: bool,
}

const TYPES: &[&str] = &["send", "sync", "delivered", "read", "typing", "pong"];

/// Reads a client's text frame.
pub fn read_client_frame(text: &str) -> Result<ClientFrame, Refusal> {
    let refuse = |code, message: &str, close| Err(Refusal { code, message: message.to_owned(), close });
    if text.len() > MAX_CLIENT_FRAME_BYTES {
        return refuse(FrameErrorCode::Malformed, "The frame is too large.", false);
    }
    let Ok(serde_json::Value::Object(object)) = serde_json::from_str::<serde_json::Value>(text) else {
        return refuse(FrameErrorCode::Malformed, "Frames are JSON objects.", true);
    };
    match object.get("type").and_then(|t| t.as_str()) {
        Some(kind) if TYPES.contains(&kind) => {}
        Some(_) => return refuse(FrameErrorCode::UnknownType, "Unknown frame type.", false),
        None => return refuse(FrameErrorCode::Invalid, "A frame needs a \"type\".", false),
    }
    serde_json::from_value(serde_json::Value::Object(object))
        .or_else(|err| refuse(FrameErrorCode::Invalid, &format!("Invalid frame: {err}"), false))
}

impl ServerFrame {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn refused(refusal: &Refusal, client_id: Option<String>) -> Self {
        ServerFrame::Error { code: refusal.code, message: refusal.message.clone(), client_id }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_browsers_reader_of_server_frames_equals_the_derive() {
        let message = MessageFrame {
            conversation: "c1".into(),
            seq: 7,
            client_id: "k1".into(),
            sender: "ann".into(),
            body: "hi".into(),
            sent_at: "2026-12-04T10:00:00Z".into(),
            reply_to: Some(3),
            edited: true,
            deleted: false,
            reactions: vec![ReactionView { emoji: "👍".into(), users: vec!["bob".into()] }],
            media: None,
            sticker: Some("wave".into()),
        };
        let frames = [
            ServerFrame::Sent { conversation: "c1".into(), client_id: "k1".into(), seq: 7 },
            ServerFrame::Message(message.clone()),
            ServerFrame::Changed(MessageFrame { deleted: true, body: String::new(), ..message }),
            ServerFrame::Receipt {
                conversation: "c1".into(),
                user: "bob".into(),
                delivered_seq: 7,
                read_seq: 5,
            },
            ServerFrame::Typing { conversation: "c1".into(), user: "bob".into() },
            ServerFrame::Presence {
                user: "bob".into(),
                status: super::super::presence::Status::Away,
                last_seen: Some("2026-12-04T10:00:00Z".into()),
            },
            ServerFrame::Presence {
                user: "bob".into(),
                status: super::super::presence::Status::Online,
                last_seen: None,
            },
            ServerFrame::Ping,
            ServerFrame::Error {
                code: FrameErrorCode::NotFound,
                message: "No.".into(),
                client_id: Some("k1".into()),
            },
            ServerFrame::Error { code: FrameErrorCode::Malformed, message: "No.".into(), client_id: None },
        ];
        for frame in frames {
            let text = serde_json::to_string(&frame).unwrap();
            assert_eq!(ServerFrame::from_json(&text), Some(frame.clone()), "{text}");
            assert_eq!(serde_json::from_str::<ServerFrame>(&text).ok(), Some(frame));
        }
        for text in [
            "",
            "[]",
            r#"{"type":"nope"}"#,
            r#"{"type":"sent","conversation":"c1","seq":7}"#,
            r#"{"type":"receipt","conversation":"c1","user":"bob","delivered_seq":-1,"read_seq":0}"#,
            r#"{"type":"message","conversation":"c1"}"#,
            r#"{"type":"presence","user":"bob","status":"asleep"}"#,
        ] {
            assert_eq!(ServerFrame::from_json(text), None, "{text}");
            assert!(serde_json::from_str::<ServerFrame>(text).is_err(), "{text}");
        }
    }

    #[test]
    fn client_frames_read_as_the_protocol_says() {
        let send = read_client_frame(
            r#"{"type":"send","conversation":"c1","client_id":"k1","body":"hi","reply_to":3}"#,
        );
        assert_eq!(
            send.unwrap(),
            ClientFrame::Send {
                conversation: "c1".into(),
                client_id: "k1".into(),
                body: "hi".into(),
                reply_to: Some(3),
                media: None,
                sticker: None
            }
        );
        assert_eq!(
            read_client_frame(r#"{"type":"sync","conversation":"c1","after_seq":41}"#).unwrap(),
            ClientFrame::Sync { conversation: "c1".into(), after_seq: 41 }
        );
        assert_eq!(read_client_frame(r#"{"type":"pong"}"#).unwrap(), ClientFrame::Pong {});
        assert!(matches!(
            read_client_frame(r#"{"type":"read","conversation":"c","seq":2}"#).unwrap(),
            ClientFrame::Read { seq: 2, .. }
        ));
    }

    #[test]
    fn garbage_closes_the_socket_and_everything_else_is_answered() {
        for garbage in ["", "not json", "[1,2]", "\"send\"", "42"] {
            let refusal = read_client_frame(garbage).unwrap_err();
            assert_eq!((refusal.code, refusal.close), (FrameErrorCode::Malformed, true), "{garbage}");
        }
        let unknown = read_client_frame(r#"{"type":"shout","conversation":"c"}"#).unwrap_err();
        assert_eq!((unknown.code, unknown.close), (FrameErrorCode::UnknownType, false));
        for invalid in [
            r#"{"conversation":"c"}"#,
            r#"{"type":"send","conversation":"c","body":"no client id"}"#,
            r#"{"type":"sync","conversation":"c","after_seq":-1}"#,
            r#"{"type":"read","conversation":"c","seq":"2"}"#,
            r#"{"type":"pong","extra":true}"#,
            r#"{"type":"typing","conversation":"c","as":"someone else"}"#,
        ] {
            let refusal = read_client_frame(invalid).unwrap_err();
            assert_eq!((refusal.code, refusal.close), (FrameErrorCode::Invalid, false), "{invalid}");
        }
        let huge = format!(
            r#"{{"type":"send","conversation":"c","client_id":"k","body":"{}"}}"#,
            "x".repeat(70_000)
        );
        assert_eq!(read_client_frame(&huge).unwrap_err().code, FrameErrorCode::Malformed);
    }

    #[test]
    fn server_frames_carry_their_type_and_fields() {
        let message = ServerFrame::Message(MessageFrame {
            conversation: "c1".into(),
            seq: 7,
            client_id: "k".into(),
            sender: "ann".into(),
            body: "hello".into(),
            sent_at: "2026-12-04T10:00:00Z".into(),
            reply_to: None,
            edited: false,
            deleted: false,
            reactions: vec![],
            media: None,
            sticker: None,
        });
        let value: serde_json::Value = serde_json::from_str(&message.to_json()).unwrap();
        assert_eq!(
            value,
            json!({"type":"message","conversation":"c1","seq":7,"client_id":"k","sender":"ann","body":"hello",
                   "sent_at":"2026-12-04T10:00:00Z","reply_to":null,"edited":false,"deleted":false,"reactions":[]})
        );
        assert_eq!(ServerFrame::Ping.to_json(), r#"{"type":"ping"}"#);
        let refused = ServerFrame::refused(
            &Refusal {
                code: FrameErrorCode::NotFound,
                message: "No such conversation.".into(),
                close: false,
            },
            Some("k".into()),
        );
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&refused.to_json()).unwrap(),
            json!({"type":"error","code":"not_found","message":"No such conversation.","client_id":"k"})
        );
        let presence = ServerFrame::Presence {
            user: "bob".into(),
            status: super::super::presence::Status::Away,
            last_seen: None,
        };
        assert!(presence.to_json().contains(r#""status":"away""#));
    }
}
