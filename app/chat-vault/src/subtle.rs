//! The browser's WebCrypto, as the protocol in `shared::chat::e2ee` needs it: P-256 key pairs
//! whose private halves cannot be exported (IndexedDB keeps the `CryptoKey` objects
//! themselves), ECDH, ECDSA with SHA-256, AES-256-GCM, and random bytes.

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};

/// What went wrong in WebCrypto, as a sentence for the console and the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CryptoError(pub String);

impl From<JsValue> for CryptoError {
    fn from(value: JsValue) -> Self {
        let text = Reflect::get(&value, &"message".into()).ok().and_then(|m| m.as_string());
        CryptoError(text.or_else(|| value.as_string()).unwrap_or_else(|| "WebCrypto failed".to_owned()))
    }
}

type Result<T> = std::result::Result<T, CryptoError>;

fn subtle() -> Result<SubtleCrypto> {
    let window = web_sys::window().ok_or_else(|| CryptoError("no window".into()))?;
    Ok(window.crypto()?.subtle())
}

/// A WebCrypto algorithm (or other dictionary) from its fields.
fn dict(fields: &[(&str, JsValue)]) -> Object {
    let object = Object::new();
    for (name, value) in fields {
        let _ = Reflect::set(&object, &JsValue::from_str(name), value);
    }
    object
}

fn usages(list: &[&str]) -> JsValue {
    list.iter().map(|u| JsValue::from_str(u)).collect::<Array>().into()
}

async fn settle(promise: std::result::Result<js_sys::Promise, JsValue>) -> Result<JsValue> {
    Ok(JsFuture::from(promise?).await?)
}

fn bytes(value: JsValue) -> Vec<u8> {
    Uint8Array::new(&value).to_vec()
}

fn ec(name: &str) -> Object {
    dict(&[("name", name.into()), ("namedCurve", "P-256".into())])
}

/// A key pair's two halves.
pub struct KeyPair {
    pub private: CryptoKey,
    pub public: CryptoKey,
}

impl KeyPair {
    fn from_js(pair: &JsValue) -> Result<KeyPair> {
        let half = |name: &str| -> Result<CryptoKey> {
            Ok(Reflect::get(pair, &name.into())?.dyn_into::<CryptoKey>()?)
        };
        Ok(KeyPair { private: half("privateKey")?, public: half("publicKey")? })
    }

    /// The pair as IndexedDB stores it (the private half stays unexportable there too).
    pub fn to_js(&self) -> JsValue {
        dict(&[("privateKey", self.private.clone().into()), ("publicKey", self.public.clone().into())]).into()
    }

    pub fn read(stored: &JsValue) -> Result<KeyPair> {
        Self::from_js(stored)
    }
}

/// A new ECDH P-256 pair (identity, pre-key, or a session's ephemeral key).
pub async fn ecdh_pair() -> Result<KeyPair> {
    let pair =
        settle(subtle()?.generate_key_with_object(&ec("ECDH"), false, &usages(&["deriveBits"]))).await?;
    KeyPair::from_js(&pair)
}

/// A new ECDSA P-256 pair (the device's signing key).
pub async fn ecdsa_pair() -> Result<KeyPair> {
    let pair =
        settle(subtle()?.generate_key_with_object(&ec("ECDSA"), false, &usages(&["sign", "verify"]))).await?;
    KeyPair::from_js(&pair)
}

/// A public key as published: SEC1 uncompressed, 65 bytes.
pub async fn raw_public(key: &CryptoKey) -> Result<Vec<u8>> {
    Ok(bytes(settle(subtle()?.export_key("raw", key)).await?))
}

async fn import_public(raw: &[u8], algorithm: &str, usage: &[&str]) -> Result<CryptoKey> {
    let data: Object = Uint8Array::from(raw).into();
    let key =
        settle(subtle()?.import_key_with_object("raw", &data, &ec(algorithm), true, &usages(usage))).await?;
    Ok(key.dyn_into::<CryptoKey>()?)
}

/// The ECDH shared secret of a private key and someone's public key (its x coordinate).
pub async fn dh(private: &CryptoKey, public_raw: &[u8]) -> Result<[u8; 32]> {
    let public = import_public(public_raw, "ECDH", &[]).await?;
    let algorithm = dict(&[("name", "ECDH".into()), ("public", public.into())]);
    let secret = bytes(settle(subtle()?.derive_bits_with_object(&algorithm, private, 256)).await?);
    secret.try_into().map_err(|_| CryptoError("ECDH gave a secret of the wrong length".into()))
}

fn ecdsa() -> Object {
    dict(&[("name", "ECDSA".into()), ("hash", "SHA-256".into())])
}

/// An ECDSA P-256 / SHA-256 signature, r ‖ s (64 bytes).
pub async fn sign(private: &CryptoKey, data: &[u8]) -> Result<Vec<u8>> {
    Ok(bytes(settle(subtle()?.sign_with_object_and_u8_array(&ecdsa(), private, data)).await?))
}

/// Whether `signature` (r ‖ s) is `public_raw`'s over `data`; a malformed key is a no.
pub async fn verify(public_raw: &[u8], signature: &[u8], data: &[u8]) -> bool {
    let Ok(public) = import_public(public_raw, "ECDSA", &["verify"]).await else { return false };
    let Ok(subtle) = subtle() else { return false };
    settle(subtle.verify_with_object_and_u8_array_and_u8_array(&ecdsa(), &public, signature, data))
        .await
        .is_ok_and(|v| v.as_bool() == Some(true))
}

async fn aes_key(key: &[u8; 32], usage: &str) -> Result<CryptoKey> {
    let data: Object = Uint8Array::from(key.as_slice()).into();
    let key = settle(subtle()?.import_key_with_object(
        "raw",
        &data,
        &dict(&[("name", "AES-GCM".into())]),
        false,
        &usages(&[usage]),
    ))
    .await?;
    Ok(key.dyn_into::<CryptoKey>()?)
}

fn gcm(nonce: &[u8; 12], aad: &[u8]) -> Object {
    dict(&[
        ("name", "AES-GCM".into()),
        ("iv", Uint8Array::from(nonce.as_slice()).into()),
        ("additionalData", Uint8Array::from(aad).into()),
    ])
}

/// AES-256-GCM: the ciphertext with its 16-byte tag.
pub async fn seal(key: &[u8; 32], nonce: &[u8; 12], aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>> {
    let key = aes_key(key, "encrypt").await?;
    Ok(bytes(settle(subtle()?.encrypt_with_object_and_u8_array(&gcm(nonce, aad), &key, plaintext)).await?))
}

/// The plaintext, or an error when any byte (of the ciphertext, tag or additional data) differs.
pub async fn open(key: &[u8; 32], nonce: &[u8; 12], aad: &[u8], ciphertext: &[u8]) -> Result<Vec<u8>> {
    let key = aes_key(key, "decrypt").await?;
    Ok(bytes(settle(subtle()?.decrypt_with_object_and_u8_array(&gcm(nonce, aad), &key, ciphertext)).await?))
}

/// `N` bytes from the browser's cryptographic random source.
pub fn random<const N: usize>() -> Result<[u8; N]> {
    let mut out = [0u8; N];
    let window = web_sys::window().ok_or_else(|| CryptoError("no window".into()))?;
    window.crypto()?.get_random_values_with_u8_array(&mut out)?;
    Ok(out)
}
