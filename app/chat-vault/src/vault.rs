//! End-to-end encryption in this browser, on `shared::chat::e2ee`'s rules. Every encrypted
//! conversation (direct or group) uses sender keys: this device seals each message once with
//! the next key of its own chain for that conversation, and signs it; its chain is handed to
//! every member's devices (the person's own other devices too) as a to-device message sealed
//! pairwise from the receiver's published keys (X3DH: identity, a fresh ephemeral key, the
//! signed pre-key). When a device that held the chain is no longer among the members' devices
//! (its person left, or it was forgotten), the next message starts a new generation.
//!
//! What this device decrypted (or sealed) is kept in IndexedDB, by message: a message key is
//! used once and forgotten, so that record is the only way to show the message again, and its
//! words are the index that search reads.

use crate::{
    device::{b64, unb64, Device},
    idb::PLAIN,
    subtle::{self, CryptoError},
};
use js_sys::{Function, Object, Promise, Reflect};
use shared::chat::{
    e2ee::{
        envelope::{Envelope, Handshake},
        keys::DeviceKeys,
        ratchet::{session_secret, MessageKey, Role, Session},
        safety,
        sender_keys::{KeyShare, ReceivedSenderKey, Recipient, SenderKey},
        to_device::{SendToDevice, ToDeviceMessage, MAX_MESSAGES},
        Opened,
    },
    rest::SearchHit,
    search::{words, MAX_TERMS},
};
use std::{cell::RefCell, collections::HashMap};
use wasm_bindgen::JsValue;
use wasm_bindgen::{closure::Closure, JsCast};
use wasm_bindgen_futures::JsFuture;

type Result<T> = std::result::Result<T, CryptoError>;

/// How long a person's published devices are trusted as read before reading them again: a new
/// device of a member is handed this device's chain within this time.
const DIRECTORY_MS: f64 = 60_000.0;

/// What tells one envelope's header from another's: its place in its chain, and either the
/// handshake (a pairwise share) or the sender key's generation (a message).
struct Sealing {
    counter: u32,
    handshake: Option<Handshake>,
    generation: Option<u32>,
}

/// A sealed message as the page hands it over: what opening it needs.
pub struct Sealed {
    pub conversation: String,
    pub seq: u64,
    pub sender: String,
    pub client_id: String,
    pub body: String,
    pub sent_at: String,
}

/// Why a message cannot be shown: [`Opened`] but its words.
type Unreadable = Opened;

impl From<CryptoError> for Opened {
    fn from(err: CryptoError) -> Self {
        Opened::Failed(err.0)
    }
}

/// One at a time: the protocol's state is read, changed and written back by each step. Across
/// this browser's tabs too, through the Web Locks API (`navigator.locks`) where the browser has
/// it: two tabs sealing at once would otherwise take the same counter of one chain.
struct Turns {
    /// The lock's name (one per person in this browser).
    name: String,
    /// Without Web Locks: the last step's promise, which the next one waits for.
    tail: RefCell<Promise>,
}

struct Turn(Option<Function>);

impl Drop for Turn {
    fn drop(&mut self) {
        if let Some(release) = self.0.take() {
            let _ = release.call0(&JsValue::NULL);
        }
    }
}

fn web_locks() -> Option<JsValue> {
    let navigator = Reflect::get(&web_sys::window()?.into(), &"navigator".into()).ok()?;
    Reflect::get(&navigator, &"locks".into()).ok().filter(|l| !l.is_undefined())
}

impl Turns {
    fn new(me: &str) -> Self {
        Turns {
            name: format!("dozen-chat-vault-{me}"),
            tail: RefCell::new(Promise::resolve(&JsValue::UNDEFINED)),
        }
    }

    async fn take(&self) -> Turn {
        let mut release = None;
        let held = Promise::new(&mut |resolve, _| release = Some(resolve));
        if let Some(locks) = web_locks() {
            // The lock is held until `held` settles, which dropping the turn does.
            let mut granted = None;
            let waiting = Promise::new(&mut |resolve, _| granted = Some(resolve));
            let held = held.clone();
            let on_grant = Closure::once_into_js(move |_lock: JsValue| -> JsValue {
                if let Some(granted) = granted {
                    let _ = granted.call0(&JsValue::NULL);
                }
                held.into()
            });
            let request =
                Reflect::get(&locks, &"request".into()).ok().and_then(|r| r.dyn_into::<Function>().ok());
            if let Some(request) = request {
                if request.call2(&locks, &JsValue::from_str(&self.name), &on_grant).is_ok() {
                    let _ = JsFuture::from(waiting).await;
                    return Turn(release);
                }
            }
        }
        let before = self.tail.replace(held);
        let _ = JsFuture::from(before).await;
        Turn(release)
    }
}

/// Why a to-device share was not taken: for good (it is dropped), or for now (it stays in the
/// inbox and is tried again).
enum Refused {
    ForGood(String),
    ForNow(CryptoError),
}

impl From<CryptoError> for Refused {
    fn from(err: CryptoError) -> Self {
        Refused::ForNow(err)
    }
}

fn for_good(why: &str) -> Refused {
    Refused::ForGood(why.to_owned())
}

pub struct Vault {
    device: Device,
    turns: Turns,
    /// People's published devices, as last read and when (ms): read again after a minute, and
    /// at once when a share comes from a device not listed yet.
    directory: RefCell<HashMap<String, (f64, Vec<DeviceKeys>)>>,
}

fn plain_id(conversation: &str, seq: u64) -> String {
    format!("{conversation}/{seq:012}")
}

fn out_key(conversation: &str) -> String {
    format!("out:{conversation}")
}

fn in_key(conversation: &str, sender: &str, device: &str, generation: u32) -> String {
    format!("in:{conversation}:{sender}:{device}:{generation}")
}

fn sent_key(client_id: &str) -> String {
    format!("sent:{client_id}")
}

impl Vault {
    /// This browser's device for `me` (made under the lock: two tabs opening Chat for the first
    /// time make one device), with what its inbox holds taken.
    pub async fn open(me: &str) -> Result<Vault> {
        let turns = Turns::new(me);
        let turn = turns.take().await;
        let device = Device::ready(me).await?;
        let vault = Vault { device, turns, directory: RefCell::new(HashMap::new()) };
        // Shares wait at most 30 days on the server: take them whenever Chat opens.
        if let Err(err) = vault.take_inbox().await {
            web_sys::console::warn_1(&format!("the key inbox could not be read: {}", err.0).into());
        }
        drop(turn);
        Ok(vault)
    }

    pub fn device_id(&self) -> &str {
        &self.device.id
    }

    async fn devices_of(&self, username: &str, fresh: bool) -> Result<Vec<DeviceKeys>> {
        let now = js_sys::Date::now();
        if !fresh {
            if let Some((_, known)) = self
                .directory
                .borrow()
                .get(username)
                .filter(|(at, list)| now - at < DIRECTORY_MS && !list.is_empty())
            {
                return Ok(known.clone());
            }
        }
        let list = crate::api::keys_of(username).await?.items;
        self.directory.borrow_mut().insert(username.to_owned(), (now, list.clone()));
        Ok(list)
    }

    /// Seals `text` for the conversation: hands this device's chain to every member device
    /// that lacks it (a new generation first, if one that had it is gone), then the envelope,
    /// signed. `client_id` is the message's; its words are kept for when it comes back.
    pub async fn seal(&self, conversation: &str, text: &str, client_id: &str) -> Result<String> {
        let _turn = self.turns.take().await;
        let me = &self.device.me;
        // The members as the server has them now: someone just removed gets no new chain, and
        // their leaving starts a new generation at once.
        let members: Vec<String> =
            crate::api::conversation(conversation).await?.members.into_iter().map(|m| m.username).collect();
        let mut devices = Vec::new();
        let mut published = HashMap::new();
        for member in &members {
            let theirs = self.devices_of(member, false).await?;
            // Sealed for no device of theirs, the message could never be read by them.
            if theirs.is_empty() && member != me {
                return Err(CryptoError(format!(
                    "{member} has no browser that can read encrypted messages yet: they need to open Chat once."
                )));
            }
            for keys in theirs {
                let recipient = Recipient::new(member, &keys.device);
                published.insert(recipient.clone(), keys);
                devices.push(recipient);
            }
        }
        let own = Recipient::new(me, &self.device.id);
        let mut chain = match self.device.db.read::<SenderKey>(&out_key(conversation)).await? {
            Some(chain) if !chain.needs_rotation(&devices) => chain,
            _ => {
                // A random generation, kept before it is handed to anyone: a hand-over that
                // fails halfway hands the same chain again next time, and two chains of one
                // device (two tabs, say) never share a generation.
                let fresh = SenderKey::new(u32::from_be_bytes(subtle::random()?), subtle::random()?);
                self.device.db.write(&out_key(conversation), &fresh).await?;
                fresh
            }
        };
        let newcomers = chain.not_handed_to(&devices, &own);
        if !newcomers.is_empty() {
            let share = KeyShare {
                conversation: conversation.to_owned(),
                distribution: chain.distribution(&self.device.published.signing_key),
            };
            let share = serde_json::to_vec(&share).map_err(|e| CryptoError(e.to_string()))?;
            let mut messages = Vec::new();
            let mut handed = Vec::new();
            for recipient in newcomers {
                // A device whose pre-key its own signing key did not sign is not handed anything.
                if let Some(body) = self.seal_share(conversation, &published[&recipient], &share).await? {
                    messages.push(ToDeviceMessage {
                        username: recipient.username.clone(),
                        device: recipient.device.clone(),
                        body,
                    });
                    handed.push(recipient);
                }
            }
            for batch in messages.chunks(MAX_MESSAGES) {
                let request = SendToDevice { from_device: self.device.id.clone(), messages: batch.to_vec() };
                if let Err(err) = crate::api::to_devices(conversation, &request).await {
                    // Perhaps a device was forgotten since the directory was read: read it
                    // afresh next time.
                    self.directory.borrow_mut().clear();
                    return Err(err);
                }
            }
            chain.handed(handed);
        }
        let (counter, key) = chain.next_key().map_err(|e| CryptoError(format!("{e:?}")))?;
        // Kept before the message leaves: a counter is never used twice.
        self.device.db.write(&out_key(conversation), &chain).await?;
        let sealing = Sealing { counter, handshake: None, generation: Some(chain.generation) };
        let mut envelope = self.sealed(conversation, sealing, &key, text.as_bytes()).await?;
        let signed = envelope.signed_bytes(conversation, me);
        envelope.signature = Some(b64(&subtle::sign(&self.device.signing.private, &signed).await?));
        self.device.db.put(crate::idb::KEYS, Some(&sent_key(client_id)), &JsValue::from_str(text)).await?;
        Ok(envelope.to_body())
    }

    /// One pairwise envelope carrying `share` to a device, from its published keys.
    async fn seal_share(
        &self,
        conversation: &str,
        theirs: &DeviceKeys,
        share: &[u8],
    ) -> Result<Option<String>> {
        let pre_key = unb64(&theirs.pre_key)?;
        if !subtle::verify(&unb64(&theirs.signing_key)?, &unb64(&theirs.pre_key_signature)?, &pre_key).await {
            return Ok(None);
        }
        let identity = unb64(&theirs.identity_key)?;
        let ephemeral = subtle::ecdh_pair().await?;
        // A published key that is no point of the curve (the server checks only its shape) is
        // that device's problem: it is skipped, never the reason nobody else gets the message.
        let (Ok(dh1), Ok(dh2), Ok(dh3)) = (
            subtle::dh(&self.device.identity.private, &pre_key).await,
            subtle::dh(&ephemeral.private, &identity).await,
            subtle::dh(&ephemeral.private, &pre_key).await,
        ) else {
            return Ok(None);
        };
        let secret = session_secret(&dh1, &dh2, &dh3);
        let (counter, key) = Session::new(&secret, Role::Initiator)
            .next_sending()
            .map_err(|e| CryptoError(format!("{e:?}")))?;
        let handshake = Handshake {
            identity: self.device.published.identity_key.clone(),
            ephemeral: b64(&subtle::raw_public(&ephemeral.public).await?),
            pre_key: theirs.pre_key_id,
        };
        let sealing = Sealing { counter, handshake: Some(handshake), generation: None };
        Ok(Some(self.sealed(conversation, sealing, &key, share).await?.to_body()))
    }

    /// An envelope from this device with `plaintext` sealed under `key` and a fresh nonce, its
    /// header bound to the ciphertext (a group message is signed after).
    async fn sealed(
        &self,
        conversation: &str,
        sealing: Sealing,
        key: &MessageKey,
        plaintext: &[u8],
    ) -> Result<Envelope> {
        let nonce = subtle::random::<12>()?;
        let mut envelope = Envelope {
            device: self.device.id.clone(),
            counter: sealing.counter,
            nonce: b64(&nonce),
            replaces: None,
            handshake: sealing.handshake,
            generation: sealing.generation,
            ciphertext: String::new(),
            signature: None,
        };
        let aad = envelope.associated_data(conversation, &self.device.me);
        envelope.ciphertext = b64(&subtle::seal(&key.aes_key(), &nonce, &aad, plaintext).await?);
        Ok(envelope)
    }

    /// Takes what other devices handed this one: each share opened, checked against the
    /// sender's published device, and kept; then the server may forget them. Whether any new
    /// key came.
    /// Only what was taken, or refused for good, is acknowledged: a share that failed for a
    /// passing reason (the network, IndexedDB) stays on the server and is tried next time.
    async fn take_inbox(&self) -> Result<bool> {
        let mut learned = false;
        loop {
            let page = crate::api::device_inbox(&self.device.id).await?;
            let mut done = None;
            let mut interrupted = None;
            for item in &page.items {
                match self
                    .accept_share(&item.conversation, &item.sender, &item.sender_device, &item.body)
                    .await
                {
                    Ok(taken) => learned |= taken,
                    // Not meant for these keys, or not what its sender sealed: dropped.
                    Err(Refused::ForGood(why)) => {
                        web_sys::console::warn_1(&format!("a key share was refused: {why}").into())
                    }
                    Err(Refused::ForNow(err)) => {
                        interrupted = Some(err);
                        break;
                    }
                }
                done = Some(item.id);
            }
            if let Some(up_to) = done {
                crate::api::ack_inbox(&self.device.id, up_to).await?;
            }
            match interrupted {
                Some(err) => return Err(err),
                None if done.is_none() => return Ok(learned),
                None => {}
            }
        }
    }

    /// Takes one share: whether it brought a chain this device did not follow yet. What the
    /// share itself gets wrong (its shape, its keys, its seal, who it claims to be from) refuses
    /// it for good; only the network and IndexedDB refuse it for now.
    async fn accept_share(
        &self,
        conversation: &str,
        sender: &str,
        sender_device: &str,
        body: &str,
    ) -> std::result::Result<bool, Refused> {
        let envelope = Envelope::from_body(body).ok_or_else(|| for_good("not an envelope"))?;
        let handshake = envelope.handshake.clone().ok_or_else(|| for_good("no handshake"))?;
        let seen = format!("seen:{}", handshake.ephemeral);
        if self.device.db.get(crate::idb::KEYS, &seen).await?.is_some() {
            return Ok(false); // a replay
        }
        if handshake.pre_key != self.device.published.pre_key_id {
            return Err(for_good("sealed for a pre-key this device does not have"));
        }
        // The sender's device as the directory lists it: the same identity, or no share.
        let mut theirs = self.devices_of(sender, false).await?;
        if !theirs.iter().any(|d| d.device == sender_device && d.identity_key == handshake.identity) {
            theirs = self.devices_of(sender, true).await?;
        }
        let published = theirs
            .into_iter()
            .find(|d| d.device == sender_device && d.identity_key == handshake.identity)
            .ok_or_else(|| for_good("from a device the directory does not list with that identity"))?;
        let bad = |err: CryptoError| Refused::ForGood(err.0);
        let identity = unb64(&handshake.identity).map_err(bad)?;
        let ephemeral = unb64(&handshake.ephemeral).map_err(bad)?;
        let secret = session_secret(
            &subtle::dh(&self.device.pre_key.private, &identity).await.map_err(bad)?,
            &subtle::dh(&self.device.identity.private, &ephemeral).await.map_err(bad)?,
            &subtle::dh(&self.device.pre_key.private, &ephemeral).await.map_err(bad)?,
        );
        let (key, _) = Session::new(&secret, Role::Responder)
            .receiving(envelope.counter)
            .map_err(|e| Refused::ForGood(format!("{e:?}")))?;
        let nonce = envelope.nonce_bytes().ok_or_else(|| for_good("bad nonce"))?;
        let ciphertext = envelope.ciphertext_bytes().unwrap_or_default();
        let aad = envelope.associated_data(conversation, sender);
        let plain = subtle::open(&key.aes_key(), &nonce, &aad, &ciphertext).await.map_err(bad)?;
        let share: KeyShare = serde_json::from_slice(&plain).map_err(|e| Refused::ForGood(e.to_string()))?;
        if share.conversation != conversation || share.distribution.signing_key != published.signing_key {
            return Err(for_good("a share for another conversation or signer"));
        }
        let name = in_key(conversation, sender, sender_device, share.distribution.generation);
        // A chain already followed is kept (it holds the keys of messages still to come).
        if self.device.db.read::<ReceivedSenderKey>(&name).await?.is_none() {
            self.device.db.write(&name, &ReceivedSenderKey::new(&share.distribution)).await?;
        }
        self.device.db.put(crate::idb::KEYS, Some(&seen), &JsValue::TRUE).await?;
        Ok(true)
    }

    /// The words of an encrypted message: from what this device kept, or opened now with the
    /// sender's chain (taking the device's inbox first when that chain has not come yet).
    pub async fn open_message(&self, message: &Sealed) -> std::result::Result<String, Unreadable> {
        let _turn = self.turns.take().await;
        let db = &self.device.db;
        let id = plain_id(&message.conversation, message.seq);
        let envelope = Envelope::from_body(&message.body).ok_or(Unreadable::Tampered)?;
        if let Some(record) = db.get(PLAIN, &id).await? {
            let nonce = Reflect::get(&record, &"nonce".into()).ok().and_then(|n| n.as_string());
            if nonce.as_deref() == Some(envelope.nonce.as_str()) {
                return Ok(Reflect::get(&record, &"body".into())
                    .ok()
                    .and_then(|b| b.as_string())
                    .unwrap_or_default());
            }
        }
        if message.sender == self.device.me && envelope.device == self.device.id {
            let kept = db.get(crate::idb::KEYS, &sent_key(&message.client_id)).await?;
            let text = kept.and_then(|t| t.as_string()).ok_or(Unreadable::NotForThisDevice)?;
            self.keep(message, &envelope.nonce, &text).await?;
            // Kept with the others now: one copy, which `forget` takes.
            db.delete(crate::idb::KEYS, &sent_key(&message.client_id)).await?;
            return Ok(text);
        }
        self.open_sealed(message, &envelope).await
    }

    /// Forgets the words of a message deleted for everyone (search no longer finds them), and
    /// of one's own not yet opened here.
    pub async fn forget(&self, conversation: &str, seq: u64, sender: &str, client_id: &str) -> Result<()> {
        let _turn = self.turns.take().await;
        if sender == self.device.me {
            self.device.db.delete(crate::idb::KEYS, &sent_key(client_id)).await?;
        }
        self.device.db.delete(PLAIN, &plain_id(conversation, seq)).await
    }

    async fn open_sealed(
        &self,
        message: &Sealed,
        envelope: &Envelope,
    ) -> std::result::Result<String, Unreadable> {
        let db = &self.device.db;
        let generation = envelope.generation.ok_or(Unreadable::Tampered)?;
        let name = in_key(&message.conversation, &message.sender, &envelope.device, generation);
        let chain = match db.read::<ReceivedSenderKey>(&name).await? {
            Some(chain) => chain,
            None => {
                self.take_inbox().await?;
                db.read::<ReceivedSenderKey>(&name).await?.ok_or(Unreadable::NoKey)?
            }
        };
        let signature = unb64(envelope.signature.as_deref().unwrap_or_default()).unwrap_or_default();
        let signed = envelope.signed_bytes(&message.conversation, &message.sender);
        if !subtle::verify(&unb64(&chain.signing_key)?, &signature, &signed).await {
            return Err(Unreadable::Tampered);
        }
        let (key, after) =
            chain.key(generation, envelope.counter).map_err(|_| Unreadable::NotForThisDevice)?;
        let nonce = envelope.nonce_bytes().ok_or(Unreadable::Tampered)?;
        let aad = envelope.associated_data(&message.conversation, &message.sender);
        let ciphertext = envelope.ciphertext_bytes().unwrap_or_default();
        let plain = subtle::open(&key.aes_key(), &nonce, &aad, &ciphertext)
            .await
            .map_err(|_| Unreadable::Tampered)?;
        let text = String::from_utf8(plain).map_err(|_| Unreadable::Tampered)?;
        // The words are kept before the chain moves past their key (a tab closed in between
        // leaves them readable); only a message that opened moves it (a forged one changes
        // nothing).
        self.keep(message, &envelope.nonce, &text).await?;
        db.write(&name, &after).await?;
        Ok(text)
    }

    /// Keeps a message's words for showing it again and for search.
    async fn keep(&self, message: &Sealed, nonce: &str, text: &str) -> Result<()> {
        let record = Object::new();
        let list: js_sys::Array = words(text).into_iter().map(|w| JsValue::from_str(&w)).collect();
        for (name, value) in [
            ("id", JsValue::from_str(&plain_id(&message.conversation, message.seq))),
            ("conversation", JsValue::from_str(&message.conversation)),
            ("seq", JsValue::from_f64(message.seq as f64)),
            ("sender", JsValue::from_str(&message.sender)),
            ("sent_at", JsValue::from_str(&message.sent_at)),
            ("nonce", JsValue::from_str(nonce)),
            ("body", JsValue::from_str(text)),
            ("words", list.into()),
        ] {
            Reflect::set(&record, &name.into(), &value)?;
        }
        self.device.db.put(PLAIN, None, &record).await
    }

    /// Searches what this device decrypted: every word of `q` (as a prefix) in one message,
    /// newest first.
    pub async fn search(&self, q: &str) -> Result<Vec<SearchHit>> {
        let terms: Vec<String> = words(q).into_iter().take(MAX_TERMS).collect();
        let mut found: Option<HashMap<String, SearchHit>> = None;
        for term in &terms {
            let mut these = HashMap::new();
            for record in self.device.db.with_word(term).await? {
                let text = |name: &str| Reflect::get(&record, &name.into()).ok().and_then(|v| v.as_string());
                let hit = SearchHit {
                    conversation: text("conversation").unwrap_or_default(),
                    seq: Reflect::get(&record, &"seq".into()).ok().and_then(|v| v.as_f64()).unwrap_or(0.0)
                        as u64,
                    sender: text("sender").unwrap_or_default(),
                    sent_at: text("sent_at").unwrap_or_default(),
                    body: text("body").unwrap_or_default(),
                };
                these.insert(text("id").unwrap_or_default(), hit);
            }
            found = Some(match found {
                None => these,
                Some(before) => before.into_iter().filter(|(id, _)| these.contains_key(id)).collect(),
            });
        }
        let mut hits: Vec<SearchHit> = found.unwrap_or_default().into_values().collect();
        hits.sort_by(|a, b| b.sent_at.cmp(&a.sent_at));
        Ok(hits)
    }

    /// The safety number of this person and `them`: every device of each, as published now.
    pub async fn safety_number(&self, them: &str) -> Result<String> {
        let me = self.device.me.clone();
        let key_of = |list: Vec<DeviceKeys>| -> Result<Vec<u8>> {
            let keys = list.iter().map(|d| unb64(&d.identity_key)).collect::<Result<Vec<_>>>()?;
            Ok(safety::person_key(keys.iter().map(Vec::as_slice)))
        };
        let mine = key_of(self.devices_of(&me, true).await?)?;
        let theirs = key_of(self.devices_of(them, true).await?)?;
        Ok(safety::safety_number((&me, &mine), (them, &theirs)))
    }
}
