//! Short codes: 7 characters of `[0-9A-Za-z]`, made from a counter.
//!
//! The worker's key-generation Durable Object hands out counter ranges, so no two links ever get
//! the same counter. A counter becomes a code in two steps:
//!
//! 1. A keyed pseudo-random permutation of `[0, 62^7)`: a balanced Feistel network over 42 bits
//!    (two 21-bit halves, 6 rounds, round function HMAC-SHA256 keyed by the secret key),
//!    with cycle-walking: a result outside `[0, 62^7)` is fed through the network again until it
//!    lands inside. A permutation of 2^42 values restricted this way is a permutation of the
//!    smaller range, and since 62^7 / 2^42 ≈ 0.8 a code costs 1.25 passes on average.
//! 2. Base 62, most significant digit first, zero-padded to exactly 7 characters.
//!
//! Because step 1 is a bijection, distinct counters can never give the same code, so creation
//! needs no retry loop; without the key, consecutive counters give codes that look unrelated.
//! The key must never change once codes are issued, and neither may this construction (the
//! `known_answer` test pins it).

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Characters in a generated code.
pub const CODE_LEN: usize = 7;
/// How many distinct generated codes exist: 62^7 = 3,521,614,606,208.
pub const CODE_SPACE: u64 = 62u64.pow(7);
// The Feistel network below is sized for this: 42 bits, and cycle-walking stays cheap.
const _: () = assert!(CODE_SPACE <= 1 << 42 && CODE_SPACE > 1 << 41);

/// Digit order of the base-62 encoding.
const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/// Feistel rounds; 4 already gives a strong pseudo-random permutation (Luby–Rackoff), 6 for margin.
const ROUNDS: u8 = 6;

type HmacSha256 = Hmac<Sha256>;

/// The code for a counter under `key`. Counters are meant to be below [`CODE_SPACE`]; a larger
/// one is reduced modulo [`CODE_SPACE`] (so it would repeat the code of `counter % CODE_SPACE`,
/// which is why the key generator must stop handing out counters at `CODE_SPACE`).
pub fn code_for_counter(counter: u64, key: &[u8]) -> String {
    encode_base62(Permutation::new(CODE_SPACE, key).forward(counter % CODE_SPACE))
}

/// The counter a generated code came from under `key`, or `None` if `code` is not exactly
/// [`CODE_LEN`] base-62 characters.
pub fn counter_for_code(code: &str, key: &[u8]) -> Option<u64> {
    let value = decode_base62(code)?;
    Some(Permutation::new(CODE_SPACE, key).backward(value))
}

/// Whether `s` has the shape of a generated code: exactly [`CODE_LEN`] characters of `[0-9A-Za-z]`.
pub fn is_generated_code_shape(s: &str) -> bool {
    s.len() == CODE_LEN && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn encode_base62(mut value: u64) -> String {
    let mut digits = [b'0'; CODE_LEN];
    for slot in digits.iter_mut().rev() {
        *slot = ALPHABET[(value % 62) as usize];
        value /= 62;
    }
    digits.iter().map(|&b| char::from(b)).collect()
}

fn decode_base62(code: &str) -> Option<u64> {
    if code.len() != CODE_LEN {
        return None;
    }
    code.bytes().try_fold(0u64, |acc, b| {
        let digit = match b {
            b'0'..=b'9' => b - b'0',
            b'A'..=b'Z' => b - b'A' + 10,
            b'a'..=b'z' => b - b'a' + 36,
            _ => return None,
        };
        Some(acc * 62 + u64::from(digit))
    })
}

/// The Feistel network's geometry for a domain of `domain` values: bits per half, rounded up
/// so that two halves cover the domain (62^7 needs 42 bits, so two halves of 21).
struct Network {
    half_bits: u32,
    mac: HmacSha256,
}

impl Network {
    fn new(domain: u64, key: &[u8]) -> Self {
        let bits = 64 - (domain.max(2) - 1).leading_zeros();
        let mac = <HmacSha256 as Mac>::new_from_slice(key).expect("HMAC takes keys of any length");
        Self { half_bits: bits.div_ceil(2), mac }
    }

    fn mask(&self) -> u64 {
        (1u64 << self.half_bits) - 1
    }

    /// F(round, half) = the first 8 bytes of HMAC(key, round || half), cut to a half's width.
    fn round(&self, round: u8, half: u64) -> u64 {
        let mut mac = self.mac.clone();
        mac.update(&[round]);
        mac.update(&half.to_be_bytes());
        let out = mac.finalize().into_bytes();
        let mut first = [0u8; 8];
        first.copy_from_slice(&out[..8]);
        u64::from_be_bytes(first) & self.mask()
    }

    fn encrypt(&self, x: u64) -> u64 {
        let mask = self.mask();
        let (mut left, mut right) = ((x >> self.half_bits) & mask, x & mask);
        for r in 0..ROUNDS {
            (left, right) = (right, left ^ self.round(r, right));
        }
        (left << self.half_bits) | right
    }

    fn decrypt(&self, x: u64) -> u64 {
        let mask = self.mask();
        let (mut left, mut right) = ((x >> self.half_bits) & mask, x & mask);
        for r in (0..ROUNDS).rev() {
            (left, right) = (right ^ self.round(r, left), left);
        }
        (left << self.half_bits) | right
    }
}

/// The keyed permutation of `[0, domain)` and its inverse, built once per key.
struct Permutation {
    domain: u64,
    network: Network,
}

impl Permutation {
    fn new(domain: u64, key: &[u8]) -> Self {
        Self { domain, network: Network::new(domain, key) }
    }

    /// `x` must be below the domain; cycle-walking then ends, because following the network's
    /// cycle from a value inside the domain comes back inside it.
    fn forward(&self, x: u64) -> u64 {
        let mut y = self.network.encrypt(x);
        while y >= self.domain {
            y = self.network.encrypt(y);
        }
        y
    }

    fn backward(&self, y: u64) -> u64 {
        let mut x = self.network.decrypt(y);
        while x >= self.domain {
            x = self.network.decrypt(x);
        }
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"test key for the links code permutation";

    /// A cheap deterministic spread of counters over the whole space (splitmix64).
    fn spread(n: usize) -> Vec<u64> {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        (0..n)
            .map(|_| {
                state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
                let mut z = state;
                z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                (z ^ (z >> 31)) % CODE_SPACE
            })
            .collect()
    }

    #[test]
    fn code_space_is_62_to_the_7th_and_fits_42_bits() {
        assert_eq!(CODE_SPACE, 3_521_614_606_208);
        assert_eq!(Network::new(CODE_SPACE, KEY).half_bits, 21);
        assert_eq!(Network::new(62u64.pow(3), KEY).half_bits, 9);
    }

    #[test]
    fn codes_round_trip_for_edge_and_spread_counters() {
        let mut counters = vec![0, 1, 2, 61, 62, 1_000_000, CODE_SPACE - 2, CODE_SPACE - 1];
        counters.extend(spread(2_000));
        for counter in counters {
            let code = code_for_counter(counter, KEY);
            assert_eq!(code.len(), CODE_LEN, "{counter} -> {code}");
            assert!(is_generated_code_shape(&code), "{code}");
            assert_eq!(counter_for_code(&code, KEY), Some(counter), "{counter} -> {code}");
        }
    }

    #[test]
    fn known_answer_pins_the_construction() {
        // Changing these means every issued code maps to a different counter: new codes could
        // then collide with old ones. Do not update them without a migration plan.
        let got = [0, 1, 2, CODE_SPACE - 1].map(|c| code_for_counter(c, KEY));
        assert_eq!(got, ["01Q5uBz", "9Kx3R1T", "YBCxw3P", "hVZOkgX"]);
    }

    #[test]
    fn counters_past_the_space_wrap_around_instead_of_panicking() {
        assert_eq!(code_for_counter(CODE_SPACE, KEY), code_for_counter(0, KEY));
        assert_eq!(code_for_counter(CODE_SPACE + 5, KEY), code_for_counter(5, KEY));
        assert_eq!(code_for_counter(u64::MAX, KEY), code_for_counter(u64::MAX % CODE_SPACE, KEY));
    }

    #[test]
    fn permutation_is_a_bijection_on_small_enumerable_domains() {
        // The same construction over 62^3 (18 bits, halves of 9) and two odd sizes: every value
        // is hit exactly once, and the inverse undoes it. (Enumerating is slow in debug builds,
        // so the inverse is checked on a stride of the largest domain.)
        for (domain, stride) in [(62u64.pow(3), 7), (1_000, 1), (2, 1)] {
            let perm = Permutation::new(domain, KEY);
            let mut seen = vec![false; domain as usize];
            let mut fixed_points = 0;
            for x in 0..domain {
                let y = perm.forward(x);
                assert!(y < domain, "{x} -> {y} escapes {domain}");
                assert!(!seen[y as usize], "{y} hit twice in {domain}");
                seen[y as usize] = true;
                fixed_points += usize::from(x == y);
                if x % stride == 0 {
                    assert_eq!(perm.backward(y), x);
                }
            }
            // A random permutation has about one fixed point; the identity would have them all.
            assert!(domain < 100 || fixed_points < 20, "{fixed_points} fixed points in {domain}");
        }
    }

    #[test]
    fn different_keys_give_different_codes() {
        let other = b"another key";
        let differ = (0..200).filter(|&c| code_for_counter(c, KEY) != code_for_counter(c, other)).count();
        assert!(differ >= 199, "only {differ} of 200 differ");
        let code = code_for_counter(42, KEY);
        assert_ne!(counter_for_code(&code, other), Some(42));
    }

    #[test]
    fn sequential_counters_give_unrelated_looking_codes() {
        let codes: Vec<String> = (0..2_000).map(|c| code_for_counter(c, KEY)).collect();
        let shared_prefix: usize = codes
            .windows(2)
            .map(|w| w[0].bytes().zip(w[1].bytes()).take_while(|(a, b)| a == b).count())
            .sum();
        let mean = shared_prefix as f64 / (codes.len() - 1) as f64;
        // Unrelated codes share a first character 1 time in 62.
        assert!(mean < 0.1, "mean shared prefix {mean}");
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), codes.len());
        assert_ne!(sorted, codes, "codes must not come out in counter order");
    }

    #[test]
    fn base62_is_zero_padded_in_0_9_a_z_a_z_order() {
        assert_eq!(encode_base62(0), "0000000");
        assert_eq!(encode_base62(1), "0000001");
        assert_eq!(encode_base62(10), "000000A");
        assert_eq!(encode_base62(36), "000000a");
        assert_eq!(encode_base62(62), "0000010");
        assert_eq!(encode_base62(CODE_SPACE - 1), "zzzzzzz");
        assert_eq!(decode_base62("zzzzzzz"), Some(CODE_SPACE - 1));
        assert_eq!(decode_base62("000000a"), Some(36));
    }

    #[test]
    fn malformed_codes_decode_to_none() {
        for bad in ["", "abc", "abcdefgh", "abc-efg", "abc efg", "abcdéf", "ab_defg", "ábcdefg"] {
            assert_eq!(counter_for_code(bad, KEY), None, "{bad:?}");
            assert!(!is_generated_code_shape(bad), "{bad:?}");
        }
        assert!(is_generated_code_shape("aB3xY9z"));
    }
}
