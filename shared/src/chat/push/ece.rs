//! A push message's payload encrypted for one browser: RFC 8291 (Message Encryption for Web
//! Push) in RFC 8188's `aes128gcm` content coding, one record.
//!
//! The sender makes an ephemeral P-256 key pair per message; ECDH with the browser's key
//! (`keys.p256dh`), mixed with the subscription's auth secret (`keys.auth`), gives the input
//! keying material; HKDF-SHA256 with a random salt gives the AES-128-GCM key and nonce. The body
//! is `salt ‖ rs ‖ idlen ‖ keyid (the sender's public key) ‖ ciphertext`, where the one record
//! is the plaintext, then the 0x02 delimiter of a last record, sealed with its 16-byte tag.

use aes_gcm::{
    aead::{AeadInPlace, KeyInit},
    Aes128Gcm, Nonce,
};
use hkdf::Hkdf;
use p256::{ecdh::diffie_hellman, elliptic_curve::sec1::ToEncodedPoint, PublicKey, SecretKey};
use sha2::Sha256;

/// The record size written in the header (RFC 8291's examples use 4096).
pub const RECORD_SIZE: u32 = 4096;
/// What a push service must take at least: the whole body, header included (RFC 8291 §4).
pub const MAX_BODY: usize = 4096;
/// salt (16) ‖ rs (4) ‖ idlen (1) ‖ keyid (65).
pub const HEADER_LEN: usize = 16 + 4 + 1 + 65;
/// The longest plaintext that fits: the body's limit less the header, the delimiter and the tag.
pub const MAX_PLAINTEXT: usize = MAX_BODY - HEADER_LEN - 1 - 16;

/// Why a payload could not be encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EceError {
    /// `keys.p256dh` is not a point on P-256.
    ReceiverKey,
    /// `keys.auth` is not 16 bytes.
    AuthSecret,
    /// The 32 random bytes of the ephemeral key are not a valid P-256 scalar (draw again).
    SenderKey,
    /// Longer than [`MAX_PLAINTEXT`].
    TooLong,
}

impl std::fmt::Display for EceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::ReceiverKey => "the receiver's key is not a P-256 point",
            Self::AuthSecret => "the auth secret is not 16 bytes",
            Self::SenderKey => "the ephemeral key is not a P-256 scalar",
            Self::TooLong => "the payload is too long for one push",
        })
    }
}

/// The browser's public key, if `bytes` are a point on P-256 (SEC1).
pub fn receiver_key(bytes: &[u8]) -> Result<PublicKey, EceError> {
    PublicKey::from_sec1_bytes(bytes).map_err(|_| EceError::ReceiverKey)
}

fn hkdf(salt: &[u8], ikm: &[u8], info: &[u8], out: &mut [u8]) {
    Hkdf::<Sha256>::new(Some(salt), ikm).expand(info, out).expect("at most 32 bytes from HKDF-SHA256");
}

/// Encrypts `plaintext` for the browser whose subscription keys are `ua_public` (65 bytes)
/// and `auth_secret` (16 bytes). `ephemeral` (32 random bytes: the sender's one-message private
/// key) and `salt` (16 random bytes) are fresh for every message. The `aes128gcm` body.
pub fn encrypt(
    plaintext: &[u8],
    ua_public: &[u8],
    auth_secret: &[u8],
    ephemeral: &[u8; 32],
    salt: &[u8; 16],
) -> Result<Vec<u8>, EceError> {
    if plaintext.len() > MAX_PLAINTEXT {
        return Err(EceError::TooLong);
    }
    if auth_secret.len() != 16 {
        return Err(EceError::AuthSecret);
    }
    let receiver = receiver_key(ua_public)?;
    let sender = SecretKey::from_slice(ephemeral).map_err(|_| EceError::SenderKey)?;
    let as_public = sender.public_key().to_encoded_point(false);
    let ua_public = receiver.to_encoded_point(false);
    let shared = diffie_hellman(sender.to_nonzero_scalar(), receiver.as_affine());

    // RFC 8291 §3.4: the input keying material from the ECDH secret and the auth secret.
    let mut key_info = Vec::with_capacity(14 + 65 + 65);
    key_info.extend_from_slice(b"WebPush: info\0");
    key_info.extend_from_slice(ua_public.as_bytes());
    key_info.extend_from_slice(as_public.as_bytes());
    let mut ikm = [0u8; 32];
    hkdf(auth_secret, shared.raw_secret_bytes(), &key_info, &mut ikm);
    // RFC 8188 §2.2, §2.3: the content-encryption key and the nonce from the salt.
    let mut cek = [0u8; 16];
    hkdf(salt, &ikm, b"Content-Encoding: aes128gcm\0", &mut cek);
    let mut nonce = [0u8; 12];
    hkdf(salt, &ikm, b"Content-Encoding: nonce\0", &mut nonce);

    let mut body = Vec::with_capacity(HEADER_LEN + plaintext.len() + 17);
    body.extend_from_slice(salt);
    body.extend_from_slice(&RECORD_SIZE.to_be_bytes());
    body.push(65);
    body.extend_from_slice(as_public.as_bytes());
    // One record, the last: the plaintext, then the 0x02 delimiter (no further padding). Its
    // sequence number is 0, so its nonce is the derived one as it is.
    let mut record = Vec::with_capacity(plaintext.len() + 17);
    record.extend_from_slice(plaintext);
    record.push(2);
    Aes128Gcm::new(&cek.into())
        .encrypt_in_place(Nonce::from_slice(&nonce), b"", &mut record)
        .expect("a record within AES-GCM's limits");
    body.extend_from_slice(&record);
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aes_gcm::aead::Aead;

    fn b64(text: &str) -> Vec<u8> {
        super::super::b64url(text).unwrap()
    }

    // RFC 8291, Appendix A.
    const PLAINTEXT: &str = "When I grow up, I want to be a watermelon";
    const AS_PRIVATE: &str = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
    const AS_PUBLIC: &str =
        "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
    const UA_PRIVATE: &str = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
    const UA_PUBLIC: &str =
        "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    const SALT: &str = "DGv6ra1nlYgDCS1FRnbzlw";
    const AUTH: &str = "BTBZMqHH6r4Tts7J_aSIgg";
    const BODY: &str = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

    fn rfc_body(plaintext: &[u8]) -> Result<Vec<u8>, EceError> {
        let ephemeral: [u8; 32] = b64(AS_PRIVATE).try_into().unwrap();
        let salt: [u8; 16] = b64(SALT).try_into().unwrap();
        encrypt(plaintext, &b64(UA_PUBLIC), &b64(AUTH), &ephemeral, &salt)
    }

    #[test]
    fn rfc_8291_appendix_a_byte_for_byte() {
        let body = rfc_body(PLAINTEXT.as_bytes()).unwrap();
        assert_eq!(body, b64(BODY));
        // Its header: the salt, rs = 4096, and the sender's public key as the key id.
        assert_eq!(&body[..16], b64(SALT).as_slice());
        assert_eq!(&body[16..21], &[0, 0, 0x10, 0, 65]);
        assert_eq!(&body[21..86], b64(AS_PUBLIC).as_slice());
    }

    /// The browser's side (RFC 8291 §3.4 from the receiver's keys), to read back what was sent.
    fn decrypt(body: &[u8], ua_private: &[u8], auth: &[u8]) -> Vec<u8> {
        let ua = SecretKey::from_slice(ua_private).unwrap();
        let (salt, rest) = body.split_at(16);
        let idlen = usize::from(rest[4]);
        let as_public = PublicKey::from_sec1_bytes(&rest[5..5 + idlen]).unwrap();
        let shared = diffie_hellman(ua.to_nonzero_scalar(), as_public.as_affine());
        let mut info = b"WebPush: info\0".to_vec();
        info.extend_from_slice(ua.public_key().to_encoded_point(false).as_bytes());
        info.extend_from_slice(as_public.to_encoded_point(false).as_bytes());
        let mut ikm = [0u8; 32];
        hkdf(auth, shared.raw_secret_bytes(), &info, &mut ikm);
        let (mut cek, mut nonce) = ([0u8; 16], [0u8; 12]);
        hkdf(salt, &ikm, b"Content-Encoding: aes128gcm\0", &mut cek);
        hkdf(salt, &ikm, b"Content-Encoding: nonce\0", &mut nonce);
        let mut record = Aes128Gcm::new(&cek.into())
            .decrypt(Nonce::from_slice(&nonce), &rest[5 + idlen..])
            .expect("a record that opens");
        assert_eq!(record.pop(), Some(2), "the last record's delimiter");
        record
    }

    #[test]
    fn the_receiver_reads_it_back_and_each_message_differs() {
        let ua = SecretKey::from_slice(&[7u8; 32]).unwrap();
        let ua_public = ua.public_key().to_encoded_point(false);
        let auth = [9u8; 16];
        let text = "{\"title\":\"ann\",\"body\":\"hi\"}".as_bytes();
        let one = encrypt(text, ua_public.as_bytes(), &auth, &[1u8; 32], &[2u8; 16]).unwrap();
        let two = encrypt(text, ua_public.as_bytes(), &auth, &[3u8; 32], &[4u8; 16]).unwrap();
        assert_ne!(one, two);
        assert_eq!(one.len(), HEADER_LEN + text.len() + 17);
        assert_eq!(decrypt(&one, &[7u8; 32], &auth), text);
        assert_eq!(decrypt(&two, &[7u8; 32], &auth), text);
        assert_eq!(
            decrypt(&rfc_body(PLAINTEXT.as_bytes()).unwrap(), &b64(UA_PRIVATE), &b64(AUTH)),
            PLAINTEXT.as_bytes()
        );
    }

    #[test]
    fn bad_keys_and_long_payloads_are_refused() {
        let ua = b64(UA_PUBLIC);
        let auth = b64(AUTH);
        let mut off_curve = ua.clone();
        off_curve[64] ^= 1;
        assert_eq!(encrypt(b"x", &off_curve, &auth, &[1; 32], &[0; 16]), Err(EceError::ReceiverKey));
        assert_eq!(receiver_key(&off_curve).err(), Some(EceError::ReceiverKey));
        assert_eq!(encrypt(b"x", &ua, &auth[..15], &[1; 32], &[0; 16]), Err(EceError::AuthSecret));
        assert_eq!(encrypt(b"x", &ua, &auth, &[0; 32], &[0; 16]), Err(EceError::SenderKey));
        assert_eq!(encrypt(b"x", &ua, &auth, &[0xff; 32], &[0; 16]), Err(EceError::SenderKey));
        let longest = vec![b'a'; MAX_PLAINTEXT];
        assert_eq!(rfc_body(&longest).unwrap().len(), MAX_BODY);
        assert_eq!(rfc_body(&[b'a'; MAX_PLAINTEXT + 1]), Err(EceError::TooLong));
    }
}
