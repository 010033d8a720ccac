//! Keys between two devices. The first sender (the initiator) combines three ECDH results,
//! as X3DH does without one-time pre-keys:
//!
//! ```text
//! DH1 = ECDH(initiator identity, responder signed pre-key)
//! DH2 = ECDH(initiator ephemeral, responder identity)
//! DH3 = ECDH(initiator ephemeral, responder signed pre-key)
//! SK  = HKDF-SHA256(salt = 32 zero bytes, ikm = 0xFF×32 ‖ DH1 ‖ DH2 ‖ DH3, info = "Dozen chat v1")
//! ```
//!
//! SK becomes two chains, one per direction. Each message takes the chain one step:
//! `message key = HMAC(chain, 0x01)`, `next chain = HMAC(chain, 0x02)`; a used key is never
//! derivable again from what is kept. A message key gives AES-256-GCM's key through HKDF; the
//! nonce is random and travels in the envelope, so even a device whose stored state went back
//! a step (a crash, two tabs) never seals twice under one key and nonce. A receiver keeps the
//! keys of messages that have not arrived yet (the newest [`MAX_SKIPPED`]; a deleted message
//! never comes; a message may be up to [`MAX_AHEAD`] ahead) and refuses a counter it has already used (a replay). Receiving does not
//! change the session: it answers the key and the session to keep once the message has opened,
//! so a forged envelope (from a server that wants to break the session) changes nothing.

use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::collections::BTreeMap;

/// A P-256 ECDH shared secret (its x coordinate, as WebCrypto's `deriveBits` gives it).
pub type DhOutput = [u8; 32];

/// Keys of messages not arrived yet, kept per chain (the oldest go first).
pub const MAX_SKIPPED: u32 = 1_000;
/// The furthest one message may be ahead of the last received. Far more than the keys kept: a
/// device back after a long time opens the newest messages first (the page it shows), and
/// stepping a chain costs two HMACs a message; what is more than `MAX_SKIPPED` behind the
/// newest opened is lost to this device.
pub const MAX_AHEAD: u32 = 25_000;

const INFO_SESSION: &[u8] = b"Dozen chat v1";
const INFO_CHAINS: &[u8] = b"Dozen chat v1 chains";
const INFO_MESSAGE: &[u8] = b"Dozen chat v1 message";

/// Which side of a session a device is: the one that sent first, or the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Initiator,
    Responder,
}

/// The session secret from the three ECDH results (each side computes the same three, the
/// responder with its own private keys and the initiator's public ones).
pub fn session_secret(dh1: &DhOutput, dh2: &DhOutput, dh3: &DhOutput) -> [u8; 32] {
    let mut ikm = Vec::with_capacity(128);
    ikm.extend_from_slice(&[0xFF; 32]);
    ikm.extend_from_slice(dh1);
    ikm.extend_from_slice(dh2);
    ikm.extend_from_slice(dh3);
    let mut out = [0u8; 32];
    Hkdf::<Sha256>::new(Some(&[0u8; 32]), &ikm)
        .expand(INFO_SESSION, &mut out)
        .expect("32 bytes is a valid HKDF-SHA256 length");
    out
}

/// The key of one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageKey(pub [u8; 32]);

impl MessageKey {
    /// The AES-256-GCM key that seals this one message (with the envelope's random nonce).
    pub fn aes_key(&self) -> [u8; 32] {
        let mut okm = [0u8; 32];
        Hkdf::<Sha256>::new(None, &self.0).expand(INFO_MESSAGE, &mut okm).expect("32 bytes is valid");
        okm
    }
}

fn hmac(key: &[u8; 32], byte: u8) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(&[byte]);
    mac.finalize().into_bytes().into()
}

/// One direction of a session: its chain key and how many messages it has keyed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chain {
    key: [u8; 32],
    /// The counter of the next message.
    next: u32,
}

impl Chain {
    pub(crate) fn new(key: [u8; 32]) -> Self {
        Self { key, next: 0 }
    }

    /// Where the chain stands: its key and the counter of its next message (what a sender
    /// hands to a group's members so they can follow it from here on).
    pub(crate) fn position(&self) -> ([u8; 32], u32) {
        (self.key, self.next)
    }

    /// The next message's counter and key; the chain moves past it. A chain of 2³² − 1
    /// messages is spent (a new session or generation is due).
    pub(crate) fn step(&mut self) -> Result<(u32, MessageKey), KeyError> {
        let counter = self.next;
        let next = counter.checked_add(1).ok_or(KeyError::Spent)?;
        let message = MessageKey(hmac(&self.key, 0x01));
        self.key = hmac(&self.key, 0x02);
        self.next = next;
        Ok((counter, message))
    }
}

/// Why a message could not be given a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyError {
    /// Its key was used (or skipped and given up): a replay, or a message too old.
    Used,
    /// It is too far ahead of what this device has received.
    TooFarAhead,
    /// The chain has keyed all the messages it can.
    Spent,
}

/// A chain as its receiver holds it: the keys of messages skipped over wait, by counter,
/// until they arrive; each counter is keyed once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receiving {
    chain: Chain,
    skipped: BTreeMap<u32, [u8; 32]>,
}

impl Receiving {
    pub(crate) fn new(key: [u8; 32], next: u32) -> Self {
        Self { chain: Chain { key, next }, skipped: BTreeMap::new() }
    }

    /// The key of message `counter`, and this chain as it stands once that message has opened
    /// (keep it then, and only then: each counter opens once).
    pub fn key(&self, counter: u32) -> Result<(MessageKey, Receiving), KeyError> {
        let mut after = self.clone();
        if let Some(key) = after.skipped.remove(&counter) {
            return Ok((MessageKey(key), after));
        }
        let next = after.chain.next;
        if counter < next {
            return Err(KeyError::Used);
        }
        if counter - next > MAX_AHEAD {
            return Err(KeyError::TooFarAhead);
        }
        while after.chain.next < counter {
            let (skipped, key) = after.chain.step()?;
            if counter - skipped <= MAX_SKIPPED {
                after.skipped.insert(skipped, key.0);
            }
        }
        // The oldest waiting keys go first: a message deleted before it arrived never comes.
        while after.skipped.len() > MAX_SKIPPED as usize {
            after.skipped.pop_first();
        }
        let (_, key) = after.chain.step()?;
        Ok((key, after))
    }
}

/// Both directions of a session, as one device holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    sending: Chain,
    receiving: Receiving,
}

impl Session {
    /// The session a device holds from the session secret and its role.
    pub fn new(secret: &[u8; 32], role: Role) -> Self {
        let mut okm = [0u8; 64];
        Hkdf::<Sha256>::new(None, secret).expand(INFO_CHAINS, &mut okm).expect("64 bytes is valid");
        let first: [u8; 32] = okm[..32].try_into().expect("32");
        let second: [u8; 32] = okm[32..].try_into().expect("32");
        let (sending, receiving) = match role {
            Role::Initiator => (first, second),
            Role::Responder => (second, first),
        };
        Self { sending: Chain::new(sending), receiving: Receiving::new(receiving, 0) }
    }

    /// The counter and key for the next message this device sends.
    pub fn next_sending(&mut self) -> Result<(u32, MessageKey), KeyError> {
        self.sending.step()
    }

    /// The key of the received message `counter`, and the session to keep once it has opened.
    pub fn receiving(&self, counter: u32) -> Result<(MessageKey, Session), KeyError> {
        let (key, receiving) = self.receiving.key(counter)?;
        Ok((key, Session { sending: self.sending.clone(), receiving }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair() -> (Session, Session) {
        let secret = session_secret(&[1; 32], &[2; 32], &[3; 32]);
        (Session::new(&secret, Role::Initiator), Session::new(&secret, Role::Responder))
    }

    /// Receives and keeps the session (as after a message opened).
    fn take(session: &mut Session, counter: u32) -> Result<MessageKey, KeyError> {
        let (key, after) = session.receiving(counter)?;
        *session = after;
        Ok(key)
    }

    #[test]
    fn both_sides_derive_the_same_keys_in_each_direction() {
        let (mut ann, mut bob) = pair();
        for _ in 0..5 {
            let (counter, key) = ann.next_sending().unwrap();
            assert_eq!(take(&mut bob, counter), Ok(key));
            let (counter, key) = bob.next_sending().unwrap();
            assert_eq!(take(&mut ann, counter), Ok(key));
        }
        let (_, a) = ann.next_sending().unwrap();
        let (_, b) = bob.next_sending().unwrap();
        assert_ne!(a, b, "the two directions are different chains");
    }

    #[test]
    fn every_message_has_its_own_key_and_a_used_one_is_refused() {
        let (mut ann, mut bob) = pair();
        let keys: Vec<_> = (0..3).map(|_| ann.next_sending().unwrap()).collect();
        assert_eq!(keys.iter().map(|(c, _)| *c).collect::<Vec<_>>(), [0, 1, 2]);
        assert_ne!(keys[0].1, keys[1].1);
        assert_ne!(keys[0].1.aes_key(), keys[1].1.aes_key());
        assert_eq!(take(&mut bob, 0), Ok(keys[0].1));
        assert_eq!(take(&mut bob, 0), Err(KeyError::Used), "a replay");
    }

    #[test]
    fn messages_out_of_order_get_their_keys_and_too_far_ahead_is_refused() {
        let (mut ann, mut bob) = pair();
        let keys: Vec<_> = (0..4).map(|_| ann.next_sending().unwrap().1).collect();
        assert_eq!(take(&mut bob, 3), Ok(keys[3]));
        assert_eq!(take(&mut bob, 1), Ok(keys[1]));
        assert_eq!(take(&mut bob, 0), Ok(keys[0]));
        assert_eq!(take(&mut bob, 2), Ok(keys[2]));
        assert_eq!(take(&mut bob, 2), Err(KeyError::Used));
        assert_eq!(take(&mut bob, 4 + MAX_AHEAD + 1), Err(KeyError::TooFarAhead));
        assert_eq!(take(&mut bob, 4), Ok(ann.next_sending().unwrap().1), "nothing moved");
    }

    #[test]
    fn a_device_back_after_many_messages_opens_the_newest_first_and_the_last_thousand_after() {
        let (mut ann, mut bob) = pair();
        let keys: Vec<_> = (0..1_500).map(|_| ann.next_sending().unwrap().1).collect();
        assert_eq!(take(&mut bob, 1_499), Ok(keys[1_499]));
        assert_eq!(take(&mut bob, 1_450), Ok(keys[1_450]));
        assert_eq!(take(&mut bob, 499), Ok(keys[499]), "the oldest of the thousand kept");
        assert_eq!(take(&mut bob, 498), Err(KeyError::Used), "older ones are gone from this device");
        assert!(bob.receiving.skipped.len() < MAX_SKIPPED as usize);
    }

    #[test]
    fn a_forged_counter_changes_nothing_until_a_message_opens() {
        let (mut ann, bob) = pair();
        let (counter, key) = ann.next_sending().unwrap();
        // A server sends garbage claiming counter 900: the receiver works out a key, the AEAD
        // check fails, and the session it keeps is the one it had.
        let (_, would_be) = bob.receiving(900).unwrap();
        assert_ne!(would_be, bob);
        assert_eq!(bob.receiving(counter).unwrap().0, key, "the real message still opens");
    }

    #[test]
    fn keys_of_messages_that_never_come_make_room_for_newer_ones() {
        let (mut ann, mut bob) = pair();
        // Every other message is deleted before it arrives, far past the limit of waiting keys.
        let mut last = None;
        for _ in 0..(2 * MAX_SKIPPED + 10) {
            let _never = ann.next_sending().unwrap();
            last = Some(ann.next_sending().unwrap());
            let (counter, key) = last.unwrap();
            assert_eq!(take(&mut bob, counter), Ok(key));
        }
        assert!(bob.receiving.skipped.len() <= MAX_SKIPPED as usize);
        assert!(last.is_some());
    }

    #[test]
    fn a_spent_chain_says_so() {
        let mut chain = Chain { key: [0; 32], next: u32::MAX };
        assert_eq!(chain.step(), Err(KeyError::Spent));
    }

    #[test]
    fn a_session_survives_being_stored() {
        let (mut ann, mut bob) = pair();
        let (c, k) = ann.next_sending().unwrap();
        let stored = serde_json::to_string(&bob).unwrap();
        let mut restored: Session = serde_json::from_str(&stored).unwrap();
        assert_eq!(take(&mut restored, c), Ok(k));
        assert_eq!(take(&mut bob, c), Ok(k));
    }

    #[test]
    fn different_secrets_give_unrelated_keys() {
        let mut one = Session::new(&session_secret(&[1; 32], &[2; 32], &[3; 32]), Role::Initiator);
        let mut two = Session::new(&session_secret(&[1; 32], &[2; 32], &[4; 32]), Role::Initiator);
        assert_ne!(one.next_sending().unwrap().1, two.next_sending().unwrap().1);
    }
}

#[cfg(test)]
mod known_answers {
    //! Fixed inputs and the bytes they must give. The browser derives with WebCrypto, and
    //! tests/e2e/chat-e2ee-vectors.test.mjs asserts the same values there, so both sides of a
    //! conversation derive the same keys.
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn the_key_schedule_gives_these_bytes() {
        let secret = session_secret(&[1; 32], &[2; 32], &[3; 32]);
        assert_eq!(hex(&secret), "3b6ca455d1754560834974f40c182cdd520e2d537729d94e91d23b98cbcdbec4");
        let mut ann = Session::new(&secret, Role::Initiator);
        let (_, first) = ann.next_sending().unwrap();
        let (_, second) = ann.next_sending().unwrap();
        assert_eq!(hex(&first.0), "b9325bc06d8d7fad4d5be87adf4758d4910e874543c4b70a0732efb5da7cbe7c");
        assert_eq!(hex(&second.0), "46b90b0deeb3cb887afa72dd100f81bd4d9c81dc169993732f0895644f301bc1");
        assert_eq!(hex(&first.aes_key()), "061e7a4e4252d5c75ff15c178088dc8f67e711354ad4df083370195472b27768");
        let (_, reply) = Session::new(&secret, Role::Responder).next_sending().unwrap();
        assert_eq!(hex(&reply.0), "a40079a3eb892d32c6c62d7af1a1b4359b7be1fe6a614da9eb0220f5e5e0c3c7");
    }
}
