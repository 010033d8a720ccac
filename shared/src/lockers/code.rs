//! One-time codes: six digits a recipient types at the bank (or shows as a QR) to open their
//! compartment once. Only a keyed hash is stored — HMAC-SHA256 under a server secret, of the
//! location and the code — so a copy of the database alone does not give a code away (a million
//! codes would be tried in no time against a plain hash). A code is unique among the location's
//! waiting parcels, all its banks together, so a code typed at the location's kiosk names one door.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// A code's digits.
pub const CODE_DIGITS: usize = 6;
const CODES: u64 = 1_000_000;

/// A code from eight random bytes (the bias of the remainder, under 10⁻¹³, is nothing).
pub fn code_from(random: [u8; 8]) -> String {
    format!("{:06}", u64::from_le_bytes(random) % CODES)
}

/// A parcel's code, derived and never stored: six digits from HMAC-SHA256, under `secret`, of the
/// parcel's id and `nonce` (bumped when two parcels at one bank would share a code). The server
/// shows it to the recipient alone; the bank keeps only [`code_hash`].
pub fn derive_code(secret: &[u8], package_id: &str, nonce: u32) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(b"lockers code\n");
    mac.update(package_id.as_bytes());
    mac.update(&nonce.to_le_bytes());
    let bytes = mac.finalize().into_bytes();
    let mut first = [0u8; 8];
    first.copy_from_slice(&bytes[..8]);
    code_from(first)
}

/// Whether `text` has a code's shape: six ASCII digits.
pub fn is_code(text: &str) -> bool {
    text.len() == CODE_DIGITS && text.bytes().all(|b| b.is_ascii_digit())
}

/// What is stored of `code` at location `location_id`: the hex HMAC-SHA256, under `secret`, of both.
pub fn code_hash(secret: &[u8], location_id: &str, code: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(location_id.as_bytes());
    mac.update(b"\n");
    mac.update(code.as_bytes());
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `code` is the one `stored` was made from, compared in constant time.
pub fn code_matches(secret: &[u8], location_id: &str, code: &str, stored: &str) -> bool {
    is_code(code) && bool::from(code_hash(secret, location_id, code).as_bytes().ct_eq(stored.as_bytes()))
}

/// What a recipient's QR carries, for the bank's camera: `DOZEN-LOCKER:{bank}:{code}`.
pub fn qr_payload(bank_id: &str, code: &str) -> String {
    format!("DOZEN-LOCKER:{bank_id}:{code}")
}

/// The bank and code a scanned QR carries, if it is one of ours.
pub fn read_qr(payload: &str) -> Option<(&str, &str)> {
    let rest = payload.strip_prefix("DOZEN-LOCKER:")?;
    let (bank, code) = rest.rsplit_once(':')?;
    (is_code(code) && !bank.is_empty()).then_some((bank, code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_with_leading_zeros() {
        assert_eq!(code_from([0; 8]), "000000");
        assert_eq!(code_from(42u64.to_le_bytes()), "000042");
        assert_eq!(code_from(u64::MAX.to_le_bytes()), "551615");
        assert!(is_code("012345"));
        for bad in ["12345", "1234567", "12345a", "١٢٣٤٥٦", ""] {
            assert!(!is_code(bad), "{bad}");
        }
    }

    #[test]
    fn a_code_matches_only_its_own_hash_at_its_own_location_under_the_secret() {
        let stored = code_hash(b"secret", "bank-1", "123456");
        assert_eq!(stored.len(), 64);
        assert!(code_matches(b"secret", "bank-1", "123456", &stored));
        assert!(!code_matches(b"secret", "bank-1", "123457", &stored));
        assert!(!code_matches(b"secret", "bank-2", "123456", &stored), "another location");
        assert!(!code_matches(b"other", "bank-1", "123456", &stored), "another secret");
        assert_ne!(code_hash(b"secret", "bank-1", "123456"), code_hash(b"secret", "bank-11", "23456"));
    }

    #[test]
    fn a_derived_code_is_stable_for_its_parcel_and_nonce_only() {
        let code = derive_code(b"secret", "pkg-1", 0);
        assert!(is_code(&code));
        assert_eq!(derive_code(b"secret", "pkg-1", 0), code);
        let others = [
            derive_code(b"secret", "pkg-1", 1),
            derive_code(b"secret", "pkg-2", 0),
            derive_code(b"other", "pkg-1", 0),
        ];
        assert!(others.iter().all(|c| *c != code), "{code} {others:?}");
    }

    #[test]
    fn a_qr_carries_the_bank_and_the_code() {
        let payload = qr_payload("01KBANK", "004200");
        assert_eq!(read_qr(&payload), Some(("01KBANK", "004200")));
        assert_eq!(read_qr("DOZEN-LOCKER:01KBANK:42"), None);
        assert_eq!(read_qr("https://example.com"), None);
        assert_eq!(read_qr("DOZEN-LOCKER::123456"), None);
    }
}
