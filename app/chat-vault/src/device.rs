//! This browser as a device of the person signed in: its key pairs, made here with WebCrypto on
//! first use and kept in IndexedDB (the private halves cannot leave it), and its public keys
//! published so that others can hand it their sender keys.

use crate::{
    idb::{Db, KEYS},
    subtle::{self, CryptoError, KeyPair},
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use js_sys::{Object, Reflect};
use shared::chat::e2ee::keys::PublishKeys;
use wasm_bindgen::JsValue;

/// Where the device's record is kept in `keys`.
const RECORD: &str = "device";
/// This device's only signed pre-key so far (`pre_key_id`: replacing it is future work).
const PRE_KEY_ID: u32 = 1;

pub struct Device {
    pub me: String,
    pub id: String,
    pub identity: KeyPair,
    pub signing: KeyPair,
    pub pre_key: KeyPair,
    pub published: PublishKeys,
    pub db: Db,
}

pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn unb64(text: &str) -> Result<Vec<u8>, CryptoError> {
    URL_SAFE_NO_PAD.decode(text).map_err(|_| CryptoError("not base64url".into()))
}

fn field(record: &JsValue, name: &str) -> Result<JsValue, CryptoError> {
    Ok(Reflect::get(record, &name.into())?)
}

impl Device {
    /// This browser's device for `me`: read from IndexedDB, or made now; published either way
    /// (publishing the same keys again is a no-op, and repairs a directory that lost them).
    pub async fn ready(me: &str) -> Result<Device, CryptoError> {
        let db = Db::open(me).await?;
        let device = match db.get(KEYS, RECORD).await? {
            Some(record) => Device::read(me, db, &record)?,
            None => Device::make(me, db).await?,
        };
        crate::api::publish_keys(&device.id, &device.published).await?;
        Ok(device)
    }

    fn read(me: &str, db: Db, record: &JsValue) -> Result<Device, CryptoError> {
        let published = field(record, "published")?.as_string().unwrap_or_default();
        Ok(Device {
            me: me.to_owned(),
            id: field(record, "id")?.as_string().unwrap_or_default(),
            identity: KeyPair::read(&field(record, "identity")?)?,
            signing: KeyPair::read(&field(record, "signing")?)?,
            pre_key: KeyPair::read(&field(record, "pre_key")?)?,
            published: serde_json::from_str(&published).map_err(|e| CryptoError(e.to_string()))?,
            db,
        })
    }

    async fn make(me: &str, db: Db) -> Result<Device, CryptoError> {
        let identity = subtle::ecdh_pair().await?;
        let pre_key = subtle::ecdh_pair().await?;
        let signing = subtle::ecdsa_pair().await?;
        let pre_key_bytes = subtle::raw_public(&pre_key.public).await?;
        let published = PublishKeys {
            identity_key: b64(&subtle::raw_public(&identity.public).await?),
            signing_key: b64(&subtle::raw_public(&signing.public).await?),
            pre_key_id: PRE_KEY_ID,
            pre_key: b64(&pre_key_bytes),
            pre_key_signature: b64(&subtle::sign(&signing.private, &pre_key_bytes).await?),
        };
        let id = format!("web-{}", b64(&subtle::random::<9>()?));
        let record = Object::new();
        let text = serde_json::to_string(&published).map_err(|e| CryptoError(e.to_string()))?;
        for (name, value) in [
            ("id", JsValue::from_str(&id)),
            ("identity", identity.to_js()),
            ("signing", signing.to_js()),
            ("pre_key", pre_key.to_js()),
            ("published", JsValue::from_str(&text)),
        ] {
            Reflect::set(&record, &name.into(), &value)?;
        }
        db.put(KEYS, Some(RECORD), &record).await?;
        Ok(Device { me: me.to_owned(), id, identity, signing, pre_key, published, db })
    }
}
