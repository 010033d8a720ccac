//! Web Push for chats, the standard way end to end: a browser's `PushSubscription` (what it
//! sends us, and what the server checks of it), the notification a push carries, and, with the
//! `push` feature (the worker only, so no browser bundle links P-256 or AES-GCM), the two
//! pieces of cryptography a push service asks of a sender:
//!
//! - `ece`: the payload encrypted for the browser alone (RFC 8291, Message Encryption for Web
//!   Push, in RFC 8188's `aes128gcm` content coding);
//! - `vapid`: the sender identified to the push service by a signed token (RFC 8292, VAPID).
//!
//! Pure functions: the clock and the random bytes (salt, ephemeral key) are arguments.

#[cfg(feature = "push")]
pub mod ece;
#[cfg(feature = "push")]
pub mod vapid;

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use serde::{Deserialize, Serialize};

use crate::{url_parts::UrlParser, ApiError};

/// The longest push endpoint taken (real ones are a few hundred characters).
pub const MAX_ENDPOINT_CHARS: usize = 2048;
/// How much of a message a notification shows.
pub const PREVIEW_CHARS: usize = 100;
/// What a notification of an end-to-end encrypted chat says instead of the words.
pub const ENCRYPTED_PREVIEW: &str = "New encrypted message";

/// `keys` of a `PushSubscription`: the browser's ECDH P-256 public key and its auth secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushKeys {
    /// The browser's P-256 public key: 65 bytes, uncompressed (0x04 ‖ x ‖ y), base64url.
    pub p256dh: String,
    /// The authentication secret: 16 bytes, base64url.
    pub auth: String,
}

/// `POST /api/chat/push/subscriptions`: the browser's `PushSubscription.toJSON()`, with the
/// device it belongs to when the page knows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushSubscription {
    /// The push service's URL for this browser (https).
    pub endpoint: String,
    /// When the subscription ends (Unix ms), if the browser says.
    #[serde(default, rename = "expirationTime")]
    pub expiration_time: Option<f64>,
    pub keys: PushKeys,
    /// The device (as its end-to-end keys name it: 1–64 letters, digits or . _ : -).
    #[serde(default)]
    pub device: Option<String>,
}

/// `DELETE /api/chat/push/subscriptions`: the subscription to forget, by its endpoint (the
/// whole `PushSubscription` JSON reads as this too).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushEndpoint {
    pub endpoint: String,
}

/// One of the caller's subscriptions (`GET /api/chat/push/subscriptions`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushSubscriptionView {
    pub endpoint: String,
    pub device: Option<String>,
    /// Whether pushes reach it: the sign-in that made it still holds (a browser signed out of
    /// keeps its subscription, but gets nothing until it is subscribed again) and it has not
    /// expired.
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushSubscriptionList {
    pub items: Vec<PushSubscriptionView>,
}

/// `GET /api/chat/push/key`: the server's VAPID public key, the `applicationServerKey` a page
/// subscribes with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushKey {
    /// P-256, 65 bytes uncompressed, base64url.
    pub public_key: String,
}

/// The base64url bytes of a key (unpadded as browsers write it; padding is tolerated).
pub fn b64url(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).ok()
}

/// The browsers' push services (Chrome, Edge and the other Chromiums: FCM; Firefox: Mozilla's
/// autopush; Safari: Apple's; legacy Edge: Windows' WNS): the only hosts the worker POSTs to, so
/// a subscription cannot make it call an address of someone's choosing (an internal host, or
/// another site at a time they pick).
const PUSH_HOSTS: [&str; 2] = ["fcm.googleapis.com", "android.googleapis.com"];
const PUSH_HOST_SUFFIXES: [&str; 3] =
    [".push.services.mozilla.com", ".push.apple.com", ".notify.windows.com"];

fn is_push_service(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    PUSH_HOSTS.contains(&host.as_str()) || PUSH_HOST_SUFFIXES.iter().any(|suffix| host.ends_with(suffix))
}

/// The push endpoint a subscription may have: an https URL of a browser's push service (no
/// credentials in it), or, when `loopback_http` (a local server under test), plain http to this
/// machine itself (`127.0.0.1`, `localhost`, `[::1]`) and nowhere else.
pub fn endpoint(text: &str, parse: UrlParser, loopback_http: bool) -> Result<(), ApiError> {
    let bad = |why: &str| ApiError::invalid("endpoint", why);
    if text.len() > MAX_ENDPOINT_CHARS {
        return Err(bad(&format!("A push endpoint is at most {MAX_ENDPOINT_CHARS} characters.")));
    }
    let url = parse(text).ok_or_else(|| bad("The push endpoint must be an absolute URL."))?;
    if url.host.is_empty() {
        return Err(bad("The push endpoint must name a host."));
    }
    if !url.username.is_empty() || !url.password.is_empty() {
        return Err(bad("The push endpoint must not carry a user name or password."));
    }
    let loopback = matches!(url.host.as_str(), "127.0.0.1" | "localhost" | "[::1]");
    match url.scheme.as_str() {
        "https" if is_push_service(&url.host) => Ok(()),
        "https" => {
            Err(bad("The push endpoint must be a browser push service's (FCM, Mozilla, Apple, Windows)."))
        }
        "http" if loopback_http && loopback => Ok(()),
        _ => Err(bad("The push endpoint must be an https URL.")),
    }
}

impl PushSubscription {
    /// The endpoint (see [`endpoint`]), the keys' sizes (a 65-byte uncompressed P-256 point and
    /// a 16-byte secret, base64url) and the device id. Whether the point is on the curve is the
    /// sender's to check (`ece::receiver_key`), with the curve's arithmetic.
    pub fn check(&self, parse: UrlParser, loopback_http: bool) -> Result<(), ApiError> {
        endpoint(&self.endpoint, parse, loopback_http)?;
        match b64url(&self.keys.p256dh) {
            Some(bytes) if bytes.len() == 65 && bytes[0] == 4 => {}
            _ => {
                return Err(ApiError::invalid(
                    "keys.p256dh",
                    "keys.p256dh is the browser's P-256 public key: 65 bytes (uncompressed), base64url.",
                ))
            }
        }
        if b64url(&self.keys.auth).is_none_or(|bytes| bytes.len() != 16) {
            return Err(ApiError::invalid(
                "keys.auth",
                "keys.auth is the subscription's secret: 16 bytes, base64url.",
            ));
        }
        if let Some(ms) = self.expiration_time {
            if !ms.is_finite() || ms < 0.0 {
                return Err(ApiError::invalid("expirationTime", "expirationTime is Unix ms, or null."));
            }
        }
        if let Some(device) = &self.device {
            crate::chat::e2ee::keys::device_id(device)?;
        }
        Ok(())
    }

    /// When it ends, in whole Unix ms.
    pub fn expires_at(&self) -> Option<i64> {
        self.expiration_time.map(|ms| ms as i64)
    }
}

/// What a chat push carries (JSON, encrypted for the browser), for the service worker to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushNotice {
    /// The conversation's id (the notification's tag: one per chat).
    pub conversation: String,
    /// Who wrote, and where: `ann`, or `ann in Trek` for a group.
    pub title: String,
    /// The start of the message, or what it is; never the words of an encrypted chat.
    pub body: String,
    pub seq: u64,
    /// The page to open: the conversation in `/chat`.
    pub url: String,
}

/// The conversation a notice is about, as the notice needs it.
pub struct NoticeOf<'a> {
    pub id: &'a str,
    /// `Some(title)` for a group.
    pub group: Option<&'a str>,
    pub encrypted: bool,
}

/// The notice of a message: who wrote where, and a preview of what (see [`preview`]).
pub fn notice(conversation: &NoticeOf<'_>, message: &super::wire::MessageFrame) -> PushNotice {
    let title = match conversation.group {
        Some(group) => format!("{} in {group}", message.sender),
        None => message.sender.clone(),
    };
    PushNotice {
        conversation: conversation.id.to_owned(),
        title,
        body: preview(message, conversation.encrypted),
        seq: message.seq,
        url: chat_url(conversation.id),
    }
}

/// What a notification shows of a message: its first [`PREVIEW_CHARS`] characters on one line
/// (… when cut); a sticker's caption; a file's name when it has no words. An encrypted chat's
/// words are unreadable to the server and never shown: [`ENCRYPTED_PREVIEW`].
pub fn preview(message: &super::wire::MessageFrame, encrypted: bool) -> String {
    if encrypted {
        return ENCRYPTED_PREVIEW.to_owned();
    }
    if let Some(sticker) = message.sticker.as_deref().and_then(|s| super::stickers::find(s).ok()) {
        return sticker.label();
    }
    let words = message.body.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = match &message.media {
        Some(media) if words.is_empty() => format!("📎 {}", media.name),
        _ => words,
    };
    if text.chars().count() <= PREVIEW_CHARS {
        return text;
    }
    let mut cut: String = text.chars().take(PREVIEW_CHARS).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}

/// The `/chat` page of a conversation (`/chat/{id}`, as the app's router takes it).
pub fn chat_url(conversation: &str) -> String {
    let mut url = String::from("/chat/");
    for byte in conversation.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            url.push(char::from(byte));
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        chat::{media::MediaKind, wire::MessageFrame},
        url_parts::parse,
    };

    const P256DH: &str =
        "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    const AUTH: &str = "BTBZMqHH6r4Tts7J_aSIgg";

    fn subscription(endpoint: &str) -> PushSubscription {
        PushSubscription {
            endpoint: endpoint.to_owned(),
            expiration_time: None,
            keys: PushKeys { p256dh: P256DH.to_owned(), auth: AUTH.to_owned() },
            device: None,
        }
    }

    fn field(result: Result<(), ApiError>) -> Option<String> {
        let err = result.unwrap_err();
        assert_eq!(err.status(), 422, "{}", err.message);
        err.field
    }

    #[test]
    fn the_browsers_json_reads_as_a_subscription() {
        let json = format!(
            r#"{{"endpoint":"https://fcm.googleapis.com/fcm/send/abc","expirationTime":null,"keys":{{"p256dh":"{P256DH}","auth":"{AUTH}"}}}}"#
        );
        let read: PushSubscription = crate::json::parse_object(json.as_bytes()).unwrap();
        assert_eq!(read, subscription("https://fcm.googleapis.com/fcm/send/abc"));
        assert_eq!(read.check(parse, false), Ok(()));
        let gone: PushEndpoint = crate::json::parse_object(json.as_bytes()).unwrap();
        assert_eq!(gone.endpoint, read.endpoint);
        let missing = crate::json::parse_object::<PushSubscription>(br#"{"endpoint":"https://a.example/"}"#);
        assert_eq!(missing.unwrap_err().status(), 422);
    }

    #[test]
    fn endpoints_are_https_and_plain_http_only_to_this_machine_under_test() {
        assert_eq!(
            subscription("https://updates.push.services.mozilla.com/wpush/v2/x").check(parse, false),
            Ok(())
        );
        for bad in
            ["http://push.example/x", "ftp://push.example/x", "/relative", "https://u:p@push.example/x"]
        {
            assert_eq!(field(subscription(bad).check(parse, true)).as_deref(), Some("endpoint"), "{bad}");
        }
        for service in [
            "https://fcm.googleapis.com/fcm/send/x",
            "https://web.push.apple.com/QGuQ",
            "https://wns2-par02p.notify.windows.com/w/?token=x",
            "https://updates.push.services.mozilla.com/wpush/v2/x",
        ] {
            assert_eq!(subscription(service).check(parse, false), Ok(()), "{service}");
        }
        // Any other https host is someone's choice of address for the worker to call.
        for elsewhere in [
            "https://push.example/x",
            "https://10.0.0.1/x",
            "https://localhost/x",
            "https://fcm.googleapis.com.evil.example/x",
            "https://evilpush.apple.com.example/x",
        ] {
            assert_eq!(
                field(subscription(elsewhere).check(parse, true)).as_deref(),
                Some("endpoint"),
                "{elsewhere}"
            );
        }
        let local = subscription("http://127.0.0.1:9999/push/1");
        assert_eq!(field(local.check(parse, false)).as_deref(), Some("endpoint"));
        assert_eq!(local.check(parse, true), Ok(()));
        assert_eq!(subscription("http://localhost:1/x").check(parse, true), Ok(()));
        assert_eq!(subscription("http://[::1]:1/x").check(parse, true), Ok(()));
        assert!(subscription("http://127.0.0.1.evil.example/x").check(parse, true).is_err());
        assert!(subscription("http://10.0.0.1/x").check(parse, true).is_err());
        let long = format!("https://fcm.googleapis.com/{}", "a".repeat(MAX_ENDPOINT_CHARS));
        assert!(subscription(&long).check(parse, false).is_err());
    }

    #[test]
    fn keys_have_their_sizes() {
        let mut s = subscription("https://fcm.googleapis.com/fcm/send/x");
        s.keys.p256dh = URL_SAFE_NO_PAD.encode([4u8; 64]);
        assert_eq!(field(s.check(parse, false)).as_deref(), Some("keys.p256dh"));
        s.keys.p256dh = URL_SAFE_NO_PAD.encode([2u8; 65]);
        assert_eq!(field(s.check(parse, false)).as_deref(), Some("keys.p256dh"), "not uncompressed");
        s.keys.p256dh = "not base64!".into();
        assert_eq!(field(s.check(parse, false)).as_deref(), Some("keys.p256dh"));
        s.keys.p256dh = format!("{P256DH}=");
        assert_eq!(s.check(parse, false), Ok(()), "padding is tolerated");
        s.keys.auth = URL_SAFE_NO_PAD.encode([1u8; 15]);
        assert_eq!(field(s.check(parse, false)).as_deref(), Some("keys.auth"));
        s.keys.auth = AUTH.into();
        s.device = Some("a/b".into());
        assert_eq!(field(s.check(parse, false)).as_deref(), Some("device"));
        s.device = Some("ann-phone".into());
        s.expiration_time = Some(-1.0);
        assert_eq!(field(s.check(parse, false)).as_deref(), Some("expirationTime"));
        s.expiration_time = Some(1_800_000_000_000.5);
        assert_eq!(s.check(parse, false), Ok(()));
        assert_eq!(s.expires_at(), Some(1_800_000_000_000));
    }

    fn message(body: &str) -> MessageFrame {
        MessageFrame {
            conversation: "c1".into(),
            seq: 7,
            client_id: "x".into(),
            sender: "ann".into(),
            body: body.into(),
            sent_at: "2026-01-01T00:00:00Z".into(),
            reply_to: None,
            edited: false,
            deleted: false,
            reactions: Vec::new(),
            media: None,
            sticker: None,
        }
    }

    #[test]
    fn a_notice_says_who_where_and_the_start_of_it() {
        let direct = NoticeOf { id: "01HZX", group: None, encrypted: false };
        let notice = notice(&direct, &message("See you\n at  6"));
        assert_eq!(
            notice,
            PushNotice {
                conversation: "01HZX".into(),
                title: "ann".into(),
                body: "See you at 6".into(),
                seq: 7,
                url: "/chat/01HZX".into(),
            }
        );
        let group = NoticeOf { id: "g 1", group: Some("Trek"), encrypted: false };
        let notice = super::notice(&group, &message("hi"));
        assert_eq!((notice.title.as_str(), notice.url.as_str()), ("ann in Trek", "/chat/g%201"));
        let long = "word ".repeat(40);
        let cut = preview(&message(&long), false);
        assert!(cut.ends_with('…') && cut.chars().count() <= PREVIEW_CHARS + 1, "{cut}");
        assert!(long.starts_with(cut.trim_end_matches('…')));
    }

    #[test]
    fn an_encrypted_chat_never_shows_its_words() {
        let sealed = NoticeOf { id: "c", group: Some("Trek"), encrypted: true };
        assert_eq!(notice(&sealed, &message("e2ee:v1:abc")).body, ENCRYPTED_PREVIEW);
    }

    #[test]
    fn stickers_and_files_say_what_they_are() {
        let mut sticker = message("");
        sticker.sticker = Some("thanks".into());
        let label = crate::chat::stickers::find("thanks").unwrap().label();
        assert_eq!(preview(&sticker, false), label);
        let mut file = message("");
        file.media = Some(crate::chat::media::MediaView {
            id: "m".into(),
            kind: MediaKind::File,
            content_type: "application/pdf".into(),
            name: "plan.pdf".into(),
            size: 10,
            width: None,
            height: None,
            has_thumbnail: false,
        });
        assert_eq!(preview(&file, false), "📎 plan.pdf");
        file.body = "the plan".into();
        assert_eq!(preview(&file, false), "the plan");
    }
}
