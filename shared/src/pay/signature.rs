//! Razorpay's signatures, byte for byte as their SDKs verify them (`razorpay-python`'s
//! `razorpay/utility/utility.py`): lower-case hex of HMAC-SHA256, keyed with the secret's UTF-8
//! bytes, over `|`-joined ids — or over the raw body, for webhooks. A merchant's existing
//! `verify_payment_signature` / `verify_webhook_signature` code therefore accepts ours unchanged.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// Lower-case hex of HMAC-SHA256(`key`, `message`), as Python's `hexdigest()` writes it.
fn hmac_hex(key: &[u8], message: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(message);
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// `razorpay_signature` of a Checkout payment made against an order: HMAC of
/// `"{order_id}|{payment_id}"` with the API key secret.
pub fn payment_signature(order_id: &str, payment_id: &str, key_secret: &str) -> String {
    hmac_hex(key_secret.as_bytes(), format!("{order_id}|{payment_id}").as_bytes())
}

/// `razorpay_signature` on the redirect after a payment link is paid: HMAC of
/// `"{payment_link_id}|{reference_id}|{status}|{payment_id}"`. A link without a reference id
/// passes `""`, leaving two bars side by side, exactly as the SDK formats it.
pub fn payment_link_signature(
    payment_link_id: &str,
    payment_link_reference_id: &str,
    payment_link_status: &str,
    payment_id: &str,
    key_secret: &str,
) -> String {
    let message = format!("{payment_link_id}|{payment_link_reference_id}|{payment_link_status}|{payment_id}");
    hmac_hex(key_secret.as_bytes(), message.as_bytes())
}

/// `razorpay_signature` of a subscription's authorisation payment. Note the order: the payment
/// id comes first here, unlike [`payment_signature`].
pub fn subscription_payment_signature(payment_id: &str, subscription_id: &str, key_secret: &str) -> String {
    hmac_hex(key_secret.as_bytes(), format!("{payment_id}|{subscription_id}").as_bytes())
}

/// `X-Razorpay-Signature` of a webhook delivery: HMAC of the exact body bytes sent, with the
/// webhook's own secret (not the API key secret). Sign the bytes you send, never a
/// re-serialisation, or the receiver's check fails.
pub fn webhook_signature(body: &[u8], secret: &str) -> String {
    hmac_hex(secret.as_bytes(), body)
}

/// Whether `given` is exactly `expected_hex`, in time that does not depend on where they
/// differ (so a caller cannot find a signature byte by byte). A length mismatch is `false`
/// at once: the length of a signature is no secret. Case matters, as in the SDK's
/// `hmac.compare_digest`: signatures are lower-case hex.
pub fn verify(expected_hex: &str, given: &str) -> bool {
    let (expected, given) = (expected_hex.as_bytes(), given.as_bytes());
    expected.len() == given.len() && bool::from(expected.ct_eq(given))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Vectors computed independently with Python's `hmac` (what razorpay-python runs), e.g.
    // python3 -c "import hmac,hashlib;print(hmac.new(b'secret',b'order_x|pay_y',hashlib.sha256).hexdigest())"
    const SECRET: &str = "EnLs21M47BllR3X8PSFtjtbd";

    #[test]
    fn payment_matches_python() {
        assert_eq!(
            payment_signature("order_x", "pay_y", "secret"),
            "27dc055960ead99bd74be3fc0e5077e6639df1a2b63b0b9e1c7d735893a6d9f9"
        );
        assert_eq!(
            payment_signature("order_IEIaMR65cu6nz3", "pay_IH4NVgf4Dreq1l", SECRET),
            "0d4e745a1838664ad6c9c9902212a32d627d68e917290b0ad5f08ff4561bc50f"
        );
        // The secret is keyed as UTF-8, as `bytes(key, 'utf-8')` does.
        assert_eq!(
            payment_signature("order_x", "pay_y", "sécret"),
            "10140c9be104bf1a1889cab02b3748c529523eadb4e049b56a16b15c0a5016d6"
        );
    }

    #[test]
    fn payment_link_matches_python() {
        assert_eq!(
            payment_link_signature("plink_IH3cNucfVEgV68", "TSsd1989", "paid", "pay_IH3d0ara9bSsjQ", SECRET),
            "07ae18789e35093e51d0a491eb9922646f3f82773547e5b0f67ee3f2d3bf7d5b"
        );
        assert_eq!(
            payment_link_signature("plink_IH3cNucfVEgV68", "", "paid", "pay_IH3d0ara9bSsjQ", SECRET),
            "aa1218e69086ecc956cd54c8b29af6508c3effd0edacdaa0bfe4f9aa4ebf21c5"
        );
    }

    #[test]
    fn subscription_matches_python() {
        assert_eq!(
            subscription_payment_signature("pay_IH4NVgf4Dreq1l", "sub_IH4Jx9Kej5Pq7n", SECRET),
            "b93e0b1b5c3205021478ea84d0311aebbec19995fbcbab629117a785c2e5b320"
        );
    }

    #[test]
    fn webhook_matches_python() {
        let body = br#"{"entity":"event","event":"payment.captured","payload":{}}"#;
        assert_eq!(
            webhook_signature(body, "whsec_test_123"),
            "dd003b87a66d57eb1cf82fcffa7060412daadb6e7bd02dbd14f272d3a05237e9"
        );
        let rupee = "{\"event\":\"payment.captured\",\"note\":\"\u{20b9} 100\"}";
        assert_eq!(
            webhook_signature(rupee.as_bytes(), "webhook_secret"),
            "c4bb7594c360c0a5a1a52a8500c116d56e56af03b82d03e6926e8c55f2c9506f"
        );
    }

    #[test]
    fn verify_accepts_only_the_exact_signature() {
        let good = payment_signature("order_x", "pay_y", "secret");
        assert!(verify(&good, &good));
        assert!(!verify(&good, &payment_signature("order_x", "pay_y", "other secret")));
        assert!(!verify(&good, &good.to_uppercase()));
        assert!(!verify(&good, &good[..63]));
        assert!(!verify(&good, &format!("{good}0")));
        assert!(!verify(&good, ""));
        // Swapped ids are a different message.
        assert!(!verify(&good, &payment_signature("pay_y", "order_x", "secret")));
    }
}
