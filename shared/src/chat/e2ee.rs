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
//! - `safety`: the safety number two people compare (digits, and the same in a QR code).
//!
//! The browser side (keys in IndexedDB, the handshake from published keys, searching what it
//! decrypted) is the next step; these are its rules.

pub mod envelope;
pub mod keys;
pub mod ratchet;
pub mod safety;
pub mod sender_keys;
