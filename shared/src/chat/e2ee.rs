//! End-to-end encryption for chats: the protocol, as pure functions over bytes, so that the
//! browser (which holds the keys in WebCrypto and IndexedDB, and does ECDH and AES-GCM there)
//! and these tests agree on every derived byte. What the server sees of an encrypted
//! conversation is envelopes: who sent it, from which device, the counter, ciphertext.
//!
//! - `ratchet`: the key agreement between two devices (X3DH without one-time pre-keys: three
//!   P-256 ECDH results through HKDF-SHA256) and the symmetric ratchet, one message key per
//!   message, old keys forgotten (forward secrecy), early ones kept a while (out of order).
//! - `envelope`: what travels as the message body, and the header bound to the ciphertext as
//!   AES-GCM's additional data, so no field can be changed or moved to another conversation.
//! - `sender_keys`: groups, where each sender's chain is handed to the members and started
//!   anew when someone leaves.
//! - `keys`: what a device publishes (identity, signing and signed pre-key) and its shapes.
//! - `to_device`: envelopes one device seals for another outside the conversation's log (sender
//!   keys handed over), kept in the receiving device's inbox until it has them.
//! - `safety`: the safety number two people compare (digits, and the same in a QR code).
//!
//! The browser side is `app/chat-vault` (keys in IndexedDB, WebCrypto, the sealing and
//! opening, the search index of what it decrypted), a bundle the chat page loads when needed.

pub mod envelope;
pub mod keys;
pub mod ratchet;
pub mod safety;
pub mod sender_keys;
pub mod to_device;

/// What a browser made of a sealed message: its words, or why they cannot be shown (what the
/// vault answers the chat page, as one line of text: see [`Opened::to_line`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    Text(String),
    /// The sender's key has not reached this device (it may still come).
    NoKey,
    /// Sealed before this device was handed the sender's chain, or a replay.
    NotForThisDevice,
    /// The envelope, its signature or its ciphertext is not what the sender sealed.
    Tampered,
    /// The browser failed (IndexedDB, WebCrypto), with its reason.
    Failed(String),
}

impl Opened {
    /// As the vault hands it to the page: `text:` and the words, or the reason's name.
    pub fn to_line(&self) -> String {
        match self {
            Opened::Text(text) => format!("text:{text}"),
            Opened::NoKey => "no_key".to_owned(),
            Opened::NotForThisDevice => "not_for_this_device".to_owned(),
            Opened::Tampered => "tampered".to_owned(),
            Opened::Failed(why) => format!("failed:{why}"),
        }
    }

    pub fn from_line(line: &str) -> Opened {
        if let Some(text) = line.strip_prefix("text:") {
            return Opened::Text(text.to_owned());
        }
        match line {
            "no_key" => Opened::NoKey,
            "not_for_this_device" => Opened::NotForThisDevice,
            "tampered" => Opened::Tampered,
            other => Opened::Failed(other.strip_prefix("failed:").unwrap_or(other).to_owned()),
        }
    }

    /// What the page shows for it.
    pub fn shown(&self) -> String {
        match self {
            Opened::Text(text) => text.clone(),
            Opened::NoKey => "🔒 Waiting for this message's key…".to_owned(),
            Opened::NotForThisDevice => "🔒 Sent before this browser could read this chat.".to_owned(),
            Opened::Tampered => "⚠️ This message was changed on the way and cannot be trusted.".to_owned(),
            Opened::Failed(why) => format!("🔒 Could not decrypt: {why}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Opened;

    #[test]
    fn what_the_vault_answers_reads_back_the_same() {
        for opened in [
            Opened::Text("text:with a colon\nand lines".into()),
            Opened::Text(String::new()),
            Opened::NoKey,
            Opened::NotForThisDevice,
            Opened::Tampered,
            Opened::Failed("IndexedDB is gone".into()),
        ] {
            assert_eq!(Opened::from_line(&opened.to_line()), opened);
        }
    }
}
