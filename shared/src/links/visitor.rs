//! Unique visitors without keeping IP addresses.
//!
//! A click stores only a keyed hash of (day, IP, User-Agent). The key is a salt the worker
//! draws at random for each UTC day and throws away after it: while it lives, the same visitor
//! hashes the same way all day (so they count once); once it is gone, nobody — including us —
//! can test a guessed IP against stored hashes, and hashes from two days cannot be linked.

use hmac::{Hmac, Mac};
use sha2::Sha256;

const MS_PER_DAY: i64 = 86_400_000;
/// Bytes of the HMAC kept: 128 bits is far beyond any collision risk for a day's visitors.
const HASH_BYTES: usize = 16;

/// Hex of HMAC-SHA256(`daily_salt`, `day` || 0x00 || `ip` || 0x00 || `user_agent`), cut to
/// 16 bytes (32 lower-case hex characters). `day` is written in decimal ASCII (see
/// [`day_number`]); the zero bytes keep (`1.2.3.4`, `5x`) and (`1.2.3.45`, `x`) apart. The
/// IP and User-Agent are used exactly as given, so pass the same header values every time.
pub fn visitor_hash(daily_salt: &[u8], day: i64, ip: &str, user_agent: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(daily_salt).expect("HMAC takes keys of any length");
    mac.update(day.to_string().as_bytes());
    mac.update(&[0]);
    mac.update(ip.as_bytes());
    mac.update(&[0]);
    mac.update(user_agent.as_bytes());
    let digest = mac.finalize().into_bytes();
    digest[..HASH_BYTES].iter().map(|b| format!("{b:02x}")).collect()
}

/// Whole UTC days since 1970-01-01 for a unix time in milliseconds, rounding down (so the
/// last millisecond before the epoch is day -1).
pub fn day_number(unix_ms: i64) -> i64 {
    unix_ms.div_euclid(MS_PER_DAY)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SALT: &[u8] = b"salt of the day, 32 random bytes";
    const IP: &str = "203.0.113.195";
    const UA: &str = "Mozilla/5.0 (X11; Linux x86_64) Firefox/125.0";

    #[test]
    fn same_inputs_same_hash_of_32_hex_characters() {
        let hash = visitor_hash(SALT, 20_000, IP, UA);
        assert_eq!(hash, visitor_hash(SALT, 20_000, IP, UA));
        assert_eq!(hash.len(), 32);
        assert!(hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)), "{hash}");
    }

    #[test]
    fn any_change_gives_another_hash() {
        let base = visitor_hash(SALT, 20_000, IP, UA);
        assert_ne!(base, visitor_hash(SALT, 20_001, IP, UA), "day");
        assert_ne!(base, visitor_hash(b"another day's salt", 20_000, IP, UA), "salt");
        assert_ne!(base, visitor_hash(SALT, 20_000, "203.0.113.196", UA), "ip");
        assert_ne!(base, visitor_hash(SALT, 20_000, IP, "curl/8.5.0"), "user agent");
    }

    #[test]
    fn field_boundaries_are_unambiguous() {
        assert_ne!(visitor_hash(SALT, 1, "1.2.3.4", "5x"), visitor_hash(SALT, 1, "1.2.3.45", "x"));
        assert_ne!(visitor_hash(SALT, 1, "23.4.5.6", "x"), visitor_hash(SALT, 12, "3.4.5.6", "x"));
    }

    #[test]
    fn output_does_not_contain_the_ip() {
        for ip in [IP, "10.0.0.1", "2001:db8::1", "192.168.100.200"] {
            let hash = visitor_hash(SALT, 20_000, ip, UA);
            let ip_hex: String = ip.bytes().map(|b| format!("{b:02x}")).collect();
            assert!(!hash.contains(ip), "{hash} contains {ip}");
            assert!(!hash.contains(&ip_hex), "{hash} contains the hex of {ip}");
        }
    }

    #[test]
    fn pinned_value_so_the_hash_never_drifts_within_a_day() {
        // Workers on different versions must agree while a day's salt is live. Values from
        // Python's hmac module: hmac.new(key, b"19783\0ip\0ua", sha256).hexdigest()[:32].
        assert_eq!(visitor_hash(b"k", 0, "", ""), "f852ec6ded4b648b89e4064df1ba87b7");
        assert_eq!(
            visitor_hash(b"salt", 19_783, "203.0.113.195", "Mozilla/5.0"),
            "e3d930c5bdd0b5faff95b2a4c56bc600"
        );
    }

    #[test]
    fn day_number_is_utc_days_rounded_down() {
        assert_eq!(day_number(0), 0);
        assert_eq!(day_number(MS_PER_DAY - 1), 0);
        assert_eq!(day_number(MS_PER_DAY), 1);
        assert_eq!(day_number(-1), -1);
        assert_eq!(day_number(-MS_PER_DAY), -1);
        assert_eq!(day_number(-MS_PER_DAY - 1), -2);
        // 2024-03-01T12:00:00Z
        assert_eq!(day_number(1_709_294_400_000), 19_783);
        assert_eq!(day_number(i64::MIN), i64::MIN.div_euclid(MS_PER_DAY));
        assert_eq!(day_number(i64::MAX), i64::MAX / MS_PER_DAY);
    }
}
