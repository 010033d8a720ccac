//! Groups: each sending device has a sender key (a chain key, a generation and a signing key)
//! that it hands to every other member's devices over their pairwise sessions, as Signal's
//! groups do. A group message is encrypted once, with the next key of the sender's chain, and
//! signed, so members who all hold the chain still cannot write as one another. When a member
//! leaves, every remaining sender starts a new generation and hands it to those who remain
//! only: what is said after the leaving is closed to whoever left. A newcomer is handed the
//! chain where it stands and reads from then on.

use super::ratchet::{Chain, KeyError, MessageKey, Receiving};
use serde::{Deserialize, Serialize};

/// A device that a sender key is handed to: another member's, or one of the sender's own.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Recipient {
    pub username: String,
    pub device: String,
}

impl Recipient {
    pub fn new(username: &str, device: &str) -> Self {
        Self { username: username.to_owned(), device: device.to_owned() }
    }
}

/// A device's own sender key for one conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SenderKey {
    /// Which chain of its device this is: a random number at each rotation (a browser picks
    /// it), so two chains of one device never share one.
    pub generation: u32,
    chain: Chain,
    /// The devices it was handed to (besides the one that owns it): when one of them is no
    /// longer among the members' devices (its person left, or it was forgotten), it is time for
    /// a new generation.
    pub handed_to: Vec<Recipient>,
}

/// What a sender hands a member (inside a pairwise envelope): follow my chain from here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Distribution {
    pub generation: u32,
    /// The chain key at `next`.
    pub chain_key: [u8; 32],
    pub next: u32,
    /// The sender device's signing public key (P-256 ECDSA, SEC1, base64url), as it published it.
    pub signing_key: String,
}

impl SenderKey {
    /// A new chain from 32 random bytes (`random`: the browser's `crypto.getRandomValues`),
    /// handed to no one yet.
    pub fn new(generation: u32, random: [u8; 32]) -> Self {
        Self { generation, chain: Chain::new(random), handed_to: Vec::new() }
    }

    /// The next message's counter and key.
    pub fn next_key(&mut self) -> Result<(u32, MessageKey), KeyError> {
        self.chain.step()
    }

    /// What to hand a member so they can read this sender from the next message on.
    pub fn distribution(&self, signing_key: &str) -> Distribution {
        let (chain_key, next) = self.chain.position();
        Distribution { generation: self.generation, chain_key, next, signing_key: signing_key.to_owned() }
    }

    /// Whether a device it was handed to is no longer among `devices_now` (the members' devices):
    /// then a new generation is due before the next message, handed to those who remain.
    pub fn needs_rotation(&self, devices_now: &[Recipient]) -> bool {
        self.handed_to.iter().any(|d| !devices_now.contains(d))
    }

    /// Devices to which this generation has not been handed yet (newcomers, new devices), but
    /// never `own` (the device that holds it).
    pub fn not_handed_to(&self, devices_now: &[Recipient], own: &Recipient) -> Vec<Recipient> {
        devices_now.iter().filter(|d| *d != own && !self.handed_to.contains(d)).cloned().collect()
    }

    /// Records that these devices now hold the chain.
    pub fn handed(&mut self, devices: impl IntoIterator<Item = Recipient>) {
        for device in devices {
            if !self.handed_to.contains(&device) {
                self.handed_to.push(device);
            }
        }
    }
}

/// What one device hands another, sealed pairwise as a to-device message: its sender key for a
/// conversation. The conversation is named inside too, so a share cannot be replayed into
/// another one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyShare {
    pub conversation: String,
    pub distribution: Distribution,
}

/// Another member's sender key, as this device follows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivedSenderKey {
    pub generation: u32,
    receiving: Receiving,
    pub signing_key: String,
}

impl ReceivedSenderKey {
    pub fn new(distribution: &Distribution) -> Self {
        Self {
            generation: distribution.generation,
            receiving: Receiving::new(distribution.chain_key, distribution.next),
            signing_key: distribution.signing_key.clone(),
        }
    }

    /// The key of message `counter` of generation `generation`, and the state to keep once
    /// it has opened and its signature holds: a message of another generation (older, or one
    /// not handed to this device) has none.
    pub fn key(&self, generation: u32, counter: u32) -> Result<(MessageKey, ReceivedSenderKey), KeyError> {
        if generation != self.generation {
            return Err(KeyError::Used);
        }
        let (key, receiving) = self.receiving.key(counter)?;
        Ok((key, ReceivedSenderKey { receiving, ..self.clone() }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn take(held: &mut ReceivedSenderKey, generation: u32, counter: u32) -> Result<MessageKey, KeyError> {
        let (key, after) = held.key(generation, counter)?;
        *held = after;
        Ok(key)
    }

    fn devices(list: &[&str]) -> Vec<Recipient> {
        list.iter().map(|name| Recipient::new(name, "web")).collect()
    }

    #[test]
    fn members_follow_a_sender_from_where_they_were_handed_the_chain() {
        let mut ann = SenderKey::new(1, [9; 32]);
        let mut bob = ReceivedSenderKey::new(&ann.distribution("ann-signing"));
        let (c0, k0) = ann.next_key().unwrap();
        let (c1, k1) = ann.next_key().unwrap();
        // Cat joins now: handed the chain where it stands, she reads from message 2 on.
        let mut cat = ReceivedSenderKey::new(&ann.distribution("ann-signing"));
        let (c2, k2) = ann.next_key().unwrap();
        assert_eq!(take(&mut bob, 1, c1), Ok(k1), "out of order is fine");
        assert_eq!(take(&mut bob, 1, c0), Ok(k0));
        assert_eq!(take(&mut bob, 1, c2), Ok(k2));
        assert_eq!(take(&mut cat, 1, c2), Ok(k2));
        assert_eq!(take(&mut cat, 1, c0), Err(KeyError::Used), "said before she joined");
        assert_eq!(take(&mut bob, 1, c2), Err(KeyError::Used), "a replay");
        assert_eq!(bob.signing_key, "ann-signing");
    }

    #[test]
    fn a_member_leaving_means_a_new_generation_they_cannot_read() {
        let members = devices(&["bob", "cat"]);
        let mut ann = SenderKey::new(1, [9; 32]);
        ann.handed(members.clone());
        let mut cat = ReceivedSenderKey::new(&ann.distribution("s1"));
        assert!(!ann.needs_rotation(&members));
        let remaining = devices(&["bob"]);
        assert!(ann.needs_rotation(&remaining), "cat left");
        let mut next = SenderKey::new(ann.generation + 1, [10; 32]);
        next.handed(remaining.clone());
        let (counter, _) = next.next_key().unwrap();
        assert_eq!(take(&mut cat, 2, counter), Err(KeyError::Used), "cat holds generation 1 only");
        let mut bob = ReceivedSenderKey::new(&next.distribution("s2"));
        let (c, k) = next.next_key().unwrap();
        assert_eq!(take(&mut bob, 2, c), Ok(k));
        // A newcomer is one to hand the key to, without a rotation.
        let own = Recipient::new("ann", "web");
        let mut grown = devices(&["bob", "dan", "ann"]);
        grown.push(Recipient::new("ann", "laptop"));
        assert!(!next.needs_rotation(&grown));
        assert_eq!(
            next.not_handed_to(&grown, &own),
            vec![Recipient::new("dan", "web"), Recipient::new("ann", "laptop")],
            "a newcomer and the sender's own other device, never the holder"
        );
        next.handed(next.not_handed_to(&grown, &own));
        assert!(next.not_handed_to(&grown, &own).is_empty());
        let forgotten: Vec<Recipient> = grown.iter().filter(|d| d.device != "laptop").cloned().collect();
        assert!(next.needs_rotation(&forgotten), "a forgotten device (a lost phone) rotates too");
    }

    #[test]
    fn different_generations_are_unrelated_chains() {
        let mut one = SenderKey::new(1, [1; 32]);
        let mut two = SenderKey::new(2, [2; 32]);
        assert_ne!(one.next_key().unwrap().1, two.next_key().unwrap().1);
    }
}
