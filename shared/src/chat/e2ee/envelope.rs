//! An encrypted message as it travels and is stored: the sending device, the message's
//! counter in its chain, the random AES-GCM nonce, on a session's first messages what the
//! receiver needs to derive the session (the initiator's identity and ephemeral public keys and
//! which signed pre-key was used), for an edit the client id of the message it replaces, and
//! the AES-256-GCM ciphertext. The header is bound to the ciphertext as additional data with
//! the conversation and the sender: moving an envelope to another conversation, sender,
//! counter or message makes it fail to decrypt, as does any changed byte.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use serde::{Deserialize, Serialize};

/// What a body starts with when it is an envelope.
pub const PREFIX: &str = "e2ee:v1:";

/// The initiator's keys, on the messages it sends before the other side has answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handshake {
    /// The initiator's identity public key (P-256, SEC1 uncompressed, base64url).
    pub identity: String,
    /// The initiator's ephemeral public key for this session.
    pub ephemeral: String,
    /// Which of the responder's signed pre-keys it used.
    pub pre_key: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    /// The sending device.
    pub device: String,
    pub counter: u32,
    /// AES-GCM's 96-bit nonce, random for each message (base64url).
    pub nonce: String,
    /// For an edit: the client id of the message whose words it replaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaces: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handshake: Option<Handshake>,
    /// In a group: the generation of the sender key it was sealed with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation: Option<u32>,
    /// AES-256-GCM ciphertext and tag, base64url.
    pub ciphertext: String,
    /// In a group: the sender's ECDSA P-256 signature (r ‖ s, as WebCrypto makes it, base64url)
    /// over [`Envelope::signed_bytes`], so that members, who all hold the chain, cannot write
    /// as one another.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}

impl Envelope {
    /// The message body that carries it.
    pub fn to_body(&self) -> String {
        format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default()))
    }

    /// The envelope a body carries, if it is one in every part: a device id, a 12-byte nonce,
    /// a ciphertext of at least its 16-byte tag, 65-byte public keys in a handshake and a
    /// 64-byte signature.
    pub fn from_body(body: &str) -> Option<Envelope> {
        let bytes = URL_SAFE_NO_PAD.decode(body.strip_prefix(PREFIX)?).ok()?;
        let envelope: Envelope = serde_json::from_slice(&bytes).ok()?;
        let length = |text: &str| URL_SAFE_NO_PAD.decode(text).map(|b| b.len()).ok();
        let well_formed = super::keys::device_id(&envelope.device).is_ok()
            && length(&envelope.nonce) == Some(12)
            && length(&envelope.ciphertext).is_some_and(|n| n >= 16)
            && envelope
                .handshake
                .as_ref()
                .is_none_or(|h| length(&h.identity) == Some(65) && length(&h.ephemeral) == Some(65))
            && envelope.signature.as_ref().is_none_or(|s| length(s) == Some(64));
        well_formed.then_some(envelope)
    }

    /// The additional data AES-GCM authenticates with the ciphertext: every header field, the
    /// conversation and the sender, each length-prefixed so no two headers read the same.
    pub fn associated_data(&self, conversation: &str, sender: &str) -> Vec<u8> {
        let mut out = b"Dozen chat v1 envelope".to_vec();
        let (identity, ephemeral, pre_key) = match &self.handshake {
            Some(h) => (h.identity.as_str(), h.ephemeral.as_str(), h.pre_key.to_string()),
            None => ("", "", String::new()),
        };
        let generation = self.generation.map(|g| g.to_string()).unwrap_or_default();
        let replaces = self.replaces.as_deref().unwrap_or_default();
        for field in [
            conversation,
            sender,
            &self.device,
            &self.counter.to_string(),
            &self.nonce,
            replaces,
            identity,
            ephemeral,
            &pre_key,
            &generation,
        ] {
            out.extend_from_slice(&(field.len() as u32).to_be_bytes());
            out.extend_from_slice(field.as_bytes());
        }
        out
    }

    /// What a group message's signature covers: the additional data, then the ciphertext.
    pub fn signed_bytes(&self, conversation: &str, sender: &str) -> Vec<u8> {
        let mut out = self.associated_data(conversation, sender);
        out.extend_from_slice(self.ciphertext.as_bytes());
        out
    }

    pub fn ciphertext_bytes(&self) -> Option<Vec<u8>> {
        URL_SAFE_NO_PAD.decode(&self.ciphertext).ok()
    }

    pub fn nonce_bytes(&self) -> Option<[u8; 12]> {
        URL_SAFE_NO_PAD.decode(&self.nonce).ok()?.try_into().ok()
    }
}

/// Whether a body is an envelope (a server can tell, and refuses plain text in an encrypted
/// conversation).
pub fn is_envelope(body: &str) -> bool {
    Envelope::from_body(body).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::e2ee::ratchet::{session_secret, MessageKey, Role, Session};
    use aes_gcm::{
        aead::{Aead, KeyInit, Payload},
        Aes256Gcm, Nonce,
    };
    use p256::{ecdh::diffie_hellman, PublicKey, SecretKey};

    /// A device's keys, as WebCrypto would make them (here from fixed seeds).
    struct Keys {
        identity: SecretKey,
        pre_key: SecretKey,
    }

    fn secret(seed: u8) -> SecretKey {
        SecretKey::from_slice(&[seed; 32]).unwrap()
    }

    fn dh(mine: &SecretKey, theirs: &PublicKey) -> [u8; 32] {
        let shared = diffie_hellman(mine.to_nonzero_scalar(), theirs.as_affine());
        (*shared.raw_secret_bytes()).into()
    }

    fn public_b64(key: &SecretKey) -> String {
        URL_SAFE_NO_PAD.encode(key.public_key().to_sec1_bytes())
    }

    fn public_from(b64: &str) -> PublicKey {
        PublicKey::from_sec1_bytes(&URL_SAFE_NO_PAD.decode(b64).unwrap()).unwrap()
    }

    /// A nonce that differs per message (the browser's `crypto.getRandomValues`).
    fn nonce(counter: u32) -> String {
        let mut bytes = [7u8; 12];
        bytes[..4].copy_from_slice(&counter.to_be_bytes());
        URL_SAFE_NO_PAD.encode(bytes)
    }

    fn envelope(
        device: &str,
        counter: u32,
        handshake: Option<Handshake>,
        generation: Option<u32>,
    ) -> Envelope {
        Envelope {
            device: device.into(),
            counter,
            nonce: nonce(counter),
            replaces: None,
            handshake,
            generation,
            ciphertext: String::new(),
            signature: None,
        }
    }

    fn seal_with(envelope: &mut Envelope, key: MessageKey, conversation: &str, sender: &str, text: &str) {
        let aad = envelope.associated_data(conversation, sender);
        let ct = Aes256Gcm::new(&key.aes_key().into())
            .encrypt(
                Nonce::from_slice(&envelope.nonce_bytes().unwrap()),
                Payload { msg: text.as_bytes(), aad: &aad },
            )
            .unwrap();
        envelope.ciphertext = URL_SAFE_NO_PAD.encode(ct);
    }

    fn open_with(
        envelope: &Envelope,
        key: MessageKey,
        conversation: &str,
        sender: &str,
    ) -> Result<String, &'static str> {
        let aad = envelope.associated_data(conversation, sender);
        let plain = Aes256Gcm::new(&key.aes_key().into())
            .decrypt(
                Nonce::from_slice(&envelope.nonce_bytes().ok_or("nonce")?),
                Payload { msg: &envelope.ciphertext_bytes().ok_or("base64")?, aad: &aad },
            )
            .map_err(|_| "tampered")?;
        String::from_utf8(plain).map_err(|_| "utf-8")
    }

    fn seal(
        session: &mut Session,
        device: &str,
        conversation: &str,
        sender: &str,
        handshake: Option<Handshake>,
        text: &str,
    ) -> String {
        let (counter, key) = session.next_sending().unwrap();
        let mut sealed = envelope(device, counter, handshake, None);
        seal_with(&mut sealed, key, conversation, sender, text);
        sealed.to_body()
    }

    /// Opens a body; the session moves on only if it opened.
    fn open(
        session: &mut Session,
        conversation: &str,
        sender: &str,
        body: &str,
    ) -> Result<String, &'static str> {
        let envelope = Envelope::from_body(body).ok_or("not an envelope")?;
        let (key, after) = session.receiving(envelope.counter).map_err(|_| "no key")?;
        let text = open_with(&envelope, key, conversation, sender)?;
        *session = after;
        Ok(text)
    }

    /// Ann starts a session with Bob from his published keys.
    fn handshake() -> (Session, Option<Handshake>, Keys) {
        let ann_identity = secret(11);
        let bob = Keys { identity: secret(21), pre_key: secret(22) };
        let ephemeral = secret(13);
        let (bob_identity, bob_pre_key) = (bob.identity.public_key(), bob.pre_key.public_key());
        let secret = session_secret(
            &dh(&ann_identity, &bob_pre_key),
            &dh(&ephemeral, &bob_identity),
            &dh(&ephemeral, &bob_pre_key),
        );
        let first =
            Handshake { identity: public_b64(&ann_identity), ephemeral: public_b64(&ephemeral), pre_key: 1 };
        (Session::new(&secret, Role::Initiator), Some(first), bob)
    }

    /// Bob derives it from her first envelope's handshake.
    fn responder(bob: &Keys, handshake: &Handshake) -> Session {
        let (identity, ephemeral) = (public_from(&handshake.identity), public_from(&handshake.ephemeral));
        let secret = session_secret(
            &dh(&bob.pre_key, &identity),
            &dh(&bob.identity, &ephemeral),
            &dh(&bob.pre_key, &ephemeral),
        );
        Session::new(&secret, Role::Responder)
    }

    #[test]
    fn a_session_from_real_p256_keys_round_trips_both_ways() {
        let (mut ann, first, bob_keys) = handshake();
        let body = seal(&mut ann, "ann-phone", "c1", "ann", first, "Meet at 6? 🚲");
        assert!(is_envelope(&body));
        assert!(!body.contains("Meet"), "no plaintext in what the server stores");
        let mut bob = responder(&bob_keys, &Envelope::from_body(&body).unwrap().handshake.unwrap());
        assert_eq!(open(&mut bob, "c1", "ann", &body), Ok("Meet at 6? 🚲".into()));
        let answer = seal(&mut bob, "bob-laptop", "c1", "bob", None, "Yes");
        assert_eq!(open(&mut ann, "c1", "bob", &answer), Ok("Yes".into()));
        let second = seal(&mut ann, "ann-phone", "c1", "ann", None, "Great");
        assert_eq!(open(&mut bob, "c1", "ann", &second), Ok("Great".into()));
        assert_eq!(open(&mut bob, "c1", "ann", &second), Err("no key"), "a replay is refused");
    }

    #[test]
    fn any_change_to_the_ciphertext_or_the_header_is_detected_and_changes_nothing() {
        let (mut ann, first, bob_keys) = handshake();
        let body = seal(&mut ann, "ann-phone", "c1", "ann", first, "secret plan");
        let handshake = Envelope::from_body(&body).unwrap().handshake.unwrap();
        let fresh = || responder(&bob_keys, &handshake);
        // Another conversation, or another sender: the same bytes do not open.
        assert_eq!(open(&mut fresh(), "c2", "ann", &body), Err("tampered"));
        assert_eq!(open(&mut fresh(), "c1", "eve", &body), Err("tampered"));
        let changed = |change: &dyn Fn(&mut Envelope)| {
            let mut envelope = Envelope::from_body(&body).unwrap();
            change(&mut envelope);
            envelope.to_body()
        };
        for tampered in [
            changed(&|e| {
                let mut bytes = e.ciphertext_bytes().unwrap();
                bytes[0] ^= 1;
                e.ciphertext = URL_SAFE_NO_PAD.encode(bytes);
            }),
            changed(&|e| e.device = "eve-phone".into()),
            changed(&|e| e.handshake.as_mut().unwrap().pre_key = 2),
            changed(&|e| e.replaces = Some("another-message".into())),
            changed(&|e| e.nonce = nonce(99)),
        ] {
            assert_eq!(open(&mut fresh(), "c1", "ann", &tampered), Err("tampered"));
        }
        // A forged counter (a server trying to break the session) leaves it as it was.
        let mut bob = fresh();
        let forged = changed(&|e| e.counter = 500);
        assert_eq!(open(&mut bob, "c1", "ann", &forged), Err("tampered"));
        assert_eq!(open(&mut bob, "c1", "ann", &body), Ok("secret plan".into()));
    }

    #[test]
    fn a_group_message_is_sealed_once_and_signed_and_a_member_cannot_write_as_another() {
        use crate::chat::e2ee::sender_keys::{ReceivedSenderKey, SenderKey};
        use p256::ecdsa::{signature::Signer, signature::Verifier, Signature, SigningKey, VerifyingKey};
        let ann_signing = SigningKey::from_slice(&[31; 32]).unwrap();
        let ann_public = URL_SAFE_NO_PAD.encode(VerifyingKey::from(&ann_signing).to_sec1_bytes());
        let mut ann = SenderKey::new(1, [5; 32]);
        let handed = ann.distribution(&ann_public);
        let (mut bob, mut cat) = (ReceivedSenderKey::new(&handed), ReceivedSenderKey::new(&handed));

        let seal = |counter: u32, key: MessageKey, signer: &SigningKey, text: &str| {
            let mut sealed = envelope("ann-phone", counter, None, Some(1));
            seal_with(&mut sealed, key, "g1", "ann", text);
            let signature: Signature = signer.sign(&sealed.signed_bytes("g1", "ann"));
            sealed.signature = Some(URL_SAFE_NO_PAD.encode(signature.to_bytes()));
            sealed
        };
        let verified = |envelope: &Envelope, signing_key: &str| {
            let key = VerifyingKey::from_sec1_bytes(&URL_SAFE_NO_PAD.decode(signing_key).unwrap()).unwrap();
            let bytes =
                URL_SAFE_NO_PAD.decode(envelope.signature.as_deref().unwrap_or_default()).unwrap_or_default();
            Signature::from_slice(&bytes)
                .is_ok_and(|s| key.verify(&envelope.signed_bytes("g1", "ann"), &s).is_ok())
        };
        let (counter, key) = ann.next_key().unwrap();
        let real = seal(counter, key, &ann_signing, "Trek at 7");
        assert!(is_envelope(&real.to_body()));
        for member in [&mut bob, &mut cat] {
            assert!(verified(&real, &member.signing_key));
            let (key, after) = member.key(1, real.counter).unwrap();
            assert_eq!(open_with(&real, key, "g1", "ann"), Ok("Trek at 7".into()));
            *member = after;
        }
        // Cat holds Ann's chain too, but not her signing key: a message she makes in Ann's
        // name (with the server's help) is told apart.
        let (counter, key) = ann.clone().next_key().unwrap();
        let cat_signing = SigningKey::from_slice(&[41; 32]).unwrap();
        let forged = seal(counter, key, &cat_signing, "Trek cancelled");
        assert!(!verified(&forged, &bob.signing_key));
        let mut unsigned = real.clone();
        unsigned.signature = None;
        assert!(!verified(&unsigned, &bob.signing_key));
    }

    #[test]
    fn bodies_that_are_not_envelopes_are_told_apart() {
        assert!(!is_envelope("hello"));
        assert!(!is_envelope("e2ee:v1:not base64 !"));
        assert!(!is_envelope(&format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(b"{\"device\":1}"))));
        let good = Envelope {
            ciphertext: URL_SAFE_NO_PAD.encode([1u8; 20]),
            ..envelope("ann-phone", 0, None, None)
        };
        assert!(is_envelope(&good.to_body()));
        let words = Envelope { ciphertext: "hello there, in the clear".into(), ..good.clone() };
        assert!(!is_envelope(&words.to_body()), "the ciphertext must be bytes, not words");
        assert!(!is_envelope(&Envelope { nonce: "AAAA".into(), ..good.clone() }.to_body()));
        assert!(!is_envelope(&Envelope { device: "a/b".into(), ..good.clone() }.to_body()));
        let short = Handshake { identity: "short".into(), ephemeral: "short".into(), pre_key: 1 };
        assert!(!is_envelope(&Envelope { handshake: Some(short), ..good }.to_body()));
    }

    #[test]
    fn the_associated_data_of_a_known_envelope_is_these_bytes() {
        // tests/e2e/chat-e2ee-vectors.test.mjs writes the same bytes with tests/support/e2ee.mjs.
        let known = Envelope {
            device: "d1".into(),
            counter: 7,
            nonce: "AAAAAAAAAAAAAAAA".into(),
            replaces: Some("k9".into()),
            handshake: Some(Handshake { identity: "I".into(), ephemeral: "E".into(), pre_key: 3 }),
            generation: Some(2),
            ciphertext: String::new(),
            signature: None,
        };
        let hex: String = known.associated_data("c1", "ann").iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, KNOWN_AAD);
    }

    const KNOWN_AAD: &str = "446f7a656e206368617420763120656e76656c6f706500000002633100000003616e6e000000026431000000013700000010414141414141414141414141414141410000\
                             00026b390000000149000000014500000001330000000132";
}
