//! This browser's end-to-end encryption store, in IndexedDB (one database per person signed in
//! here): `keys` holds the device's key pairs (WebCrypto `CryptoKey`s, private halves
//! unexportable) and the protocol's state as JSON by name; `plain` holds what this device
//! decrypted or sealed, one record per message, indexed by its words (that index is how an
//! encrypted chat is searched, since the server cannot).

use js_sys::{Array, Object, Promise, Reflect};
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbKeyRange, IdbRequest, IdbTransactionMode};

use crate::subtle::CryptoError;

type Result<T> = std::result::Result<T, CryptoError>;

const VERSION: u32 = 1;
pub const KEYS: &str = "keys";
pub const PLAIN: &str = "plain";
/// `plain`'s index of every record's words (one entry per word).
const WORDS: &str = "words";

/// Waits for an IndexedDB request: its result, or its error.
async fn done(request: &IdbRequest) -> Result<JsValue> {
    let promise = Promise::new(&mut |resolve, reject| {
        let answered = request.clone();
        let on_success = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &answered.result().unwrap_or(JsValue::UNDEFINED));
        });
        let failed = request.clone();
        let on_error = Closure::once_into_js(move || {
            let error = failed.error().ok().flatten().map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
            let _ = reject.call1(&JsValue::NULL, &error);
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        request.set_onerror(Some(on_error.unchecked_ref()));
    });
    Ok(JsFuture::from(promise).await?)
}

fn object(fields: &[(&str, JsValue)]) -> Object {
    let out = Object::new();
    for (name, value) in fields {
        let _ = Reflect::set(&out, &JsValue::from_str(name), value);
    }
    out
}

#[derive(Clone)]
pub struct Db(IdbDatabase);

impl Db {
    /// Opens (creating on first use) the store of `person` in this browser.
    pub async fn open(person: &str) -> Result<Db> {
        let factory = web_sys::window()
            .and_then(|w| w.indexed_db().ok().flatten())
            .ok_or_else(|| CryptoError("This browser keeps no IndexedDB (a private window?).".into()))?;
        let request = factory.open_with_u32(&format!("dozen-chat-{person}"), VERSION)?;
        let upgrading = request.clone();
        let on_upgrade = Closure::once_into_js(move || {
            let Ok(db) = upgrading.result().and_then(|r| r.dyn_into::<IdbDatabase>()) else { return };
            let _ = db.create_object_store(KEYS);
            let by_id = object(&[("keyPath", "id".into())]);
            if let Ok(plain) = db.create_object_store_with_optional_parameters(PLAIN, by_id.unchecked_ref()) {
                let multi = object(&[("multiEntry", true.into())]);
                let _ =
                    plain.create_index_with_str_and_optional_parameters(WORDS, WORDS, multi.unchecked_ref());
            }
        });
        request.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
        Ok(Db(done(&request).await?.dyn_into::<IdbDatabase>()?))
    }

    fn store(&self, name: &str, mode: IdbTransactionMode) -> Result<web_sys::IdbObjectStore> {
        Ok(self.0.transaction_with_str_and_mode(name, mode)?.object_store(name)?)
    }

    /// The value under `key` in `store` (`None`: nothing there).
    pub async fn get(&self, store: &str, key: &str) -> Result<Option<JsValue>> {
        let value = done(&self.store(store, IdbTransactionMode::Readonly)?.get(&key.into())?).await?;
        Ok((!value.is_undefined()).then_some(value))
    }

    /// Puts a value under `key` in `keys`, or a record (which names its own id) in `plain`.
    pub async fn put(&self, store: &str, key: Option<&str>, value: &JsValue) -> Result<()> {
        let store = self.store(store, IdbTransactionMode::Readwrite)?;
        let request = match key {
            Some(key) => store.put_with_key(value, &key.into())?,
            None => store.put(value)?,
        };
        done(&request).await.map(drop)
    }

    pub async fn delete(&self, store: &str, key: &str) -> Result<()> {
        done(&self.store(store, IdbTransactionMode::Readwrite)?.delete(&key.into())?).await.map(drop)
    }

    /// A piece of the protocol's state, kept as JSON under its name.
    pub async fn read<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>> {
        let Some(text) = self.get(KEYS, name).await?.and_then(|v| v.as_string()) else { return Ok(None) };
        serde_json::from_str(&text).map(Some).map_err(|e| CryptoError(format!("{name}: {e}")))
    }

    pub async fn write<T: Serialize>(&self, name: &str, value: &T) -> Result<()> {
        let text = serde_json::to_string(value).map_err(|e| CryptoError(e.to_string()))?;
        self.put(KEYS, Some(name), &JsValue::from_str(&text)).await
    }

    /// Every `plain` record with a word that starts with `prefix`.
    pub async fn with_word(&self, prefix: &str) -> Result<Vec<JsValue>> {
        let range = IdbKeyRange::bound(&prefix.into(), &format!("{prefix}\u{ffff}").into())?;
        let index = self.store(PLAIN, IdbTransactionMode::Readonly)?.index(WORDS)?;
        let found = done(&index.get_all_with_key(&range)?).await?;
        Ok(found.dyn_into::<Array>().map(|a| a.to_vec()).unwrap_or_default())
    }
}
