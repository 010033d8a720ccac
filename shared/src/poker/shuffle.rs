//! Provably fair shuffling.
//!
//! Before a hand the server draws a 32-byte secret seed and publishes `commit(seed)` = SHA-256(seed).
//! Each seated player may submit entropy. The deck is a Fisher–Yates shuffle of [`Card::deck`] driven by
//! [`KeyedStream`]: HMAC-SHA256 keyed with the seed over (domain tag, hand number, digest of the
//! players' entropy, block counter). Indices are drawn by rejection sampling, so there is no modulo
//! bias. After the hand the seed is revealed and anyone can run [`verify_shuffle`].
//!
//! The server cannot pick a favourable deck after seeing the players' entropy (it committed first), and
//! no player can predict the deck (the seed stays secret until the hand is over).

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::fmt;

use super::cards::Card;

const DOMAIN: &[u8] = b"dozen-poker-shuffle-v1";

/// Everything besides the seed that the deck depends on.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ShuffleInputs {
    /// The hand's number at its table; makes every hand's deck different under one seed.
    pub hand_number: u64,
    /// Entropy submitted by seated players, as (seat, bytes). Order does not matter: it is sorted by
    /// seat before hashing.
    pub player_entropy: Vec<(u8, Vec<u8>)>,
}

impl ShuffleInputs {
    /// SHA-256 over the length-prefixed entropy of each seat, in seat order.
    fn entropy_digest(&self) -> [u8; 32] {
        let mut entries: Vec<&(u8, Vec<u8>)> = self.player_entropy.iter().collect();
        entries.sort_by_key(|(seat, bytes)| (*seat, bytes.clone()));
        let mut h = Sha256::new();
        for (seat, bytes) in entries {
            h.update([*seat]);
            h.update((bytes.len() as u64).to_be_bytes());
            h.update(bytes);
        }
        h.finalize().into()
    }
}

/// The commitment published before the hand: SHA-256 of the secret seed.
pub fn commit(seed: &[u8; 32]) -> [u8; 32] {
    Sha256::digest(seed).into()
}

/// A deterministic byte stream: HMAC-SHA256(seed, domain ‖ hand number ‖ entropy digest ‖ counter).
pub struct KeyedStream {
    mac: Hmac<Sha256>,
    counter: u64,
    block: [u8; 32],
    used: usize,
}

impl KeyedStream {
    pub fn new(seed: &[u8], inputs: &ShuffleInputs) -> KeyedStream {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(seed).expect("HMAC takes keys of any length");
        mac.update(DOMAIN);
        mac.update(&inputs.hand_number.to_be_bytes());
        mac.update(&inputs.entropy_digest());
        KeyedStream { mac, counter: 0, block: [0; 32], used: 32 }
    }

    pub fn next_u32(&mut self) -> u32 {
        if self.used + 4 > 32 {
            let mut m = self.mac.clone();
            m.update(&self.counter.to_be_bytes());
            self.block = m.finalize().into_bytes().into();
            self.counter += 1;
            self.used = 0;
        }
        let b = &self.block[self.used..self.used + 4];
        self.used += 4;
        u32::from_be_bytes([b[0], b[1], b[2], b[3]])
    }

    /// Uniform in `0..n` (n ≥ 1) by rejection: values in the incomplete top slice of the u32 range
    /// are drawn again instead of being folded back with a biased modulo.
    pub fn below(&mut self, n: u32) -> u32 {
        let zone = rejection_zone(n);
        loop {
            let x = self.next_u32();
            if x <= zone {
                return x % n;
            }
        }
    }
}

/// The largest `x` accepted when drawing below `n`: one less than the largest multiple of `n` that
/// fits in 2^32, so every residue is equally likely.
fn rejection_zone(n: u32) -> u32 {
    assert!(n > 0, "below(0) has no value to return");
    let rem = ((1u64 << 32) % n as u64) as u32; // 2^32 mod n
    u32::MAX - rem
}

/// Shuffles the 52-card deck for `inputs` under `seed` (Fisher–Yates, last position first).
pub fn shuffle(seed: &[u8; 32], inputs: &ShuffleInputs) -> Vec<Card> {
    let mut deck = Card::deck();
    let mut stream = KeyedStream::new(seed, inputs);
    for i in (1..deck.len()).rev() {
        let j = stream.below(i as u32 + 1) as usize;
        deck.swap(i, j);
    }
    deck
}

/// Why a revealed seed was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShuffleError {
    /// SHA-256 of the revealed seed is not the commitment published before the hand.
    CommitmentMismatch,
}

impl fmt::Display for ShuffleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShuffleError::CommitmentMismatch => {
                write!(f, "the revealed seed does not hash to the commitment published before the hand")
            }
        }
    }
}

impl std::error::Error for ShuffleError {}

/// Checks the revealed seed against the commitment and recomputes the deck the hand used.
pub fn verify_shuffle(
    commitment: &[u8; 32],
    revealed_seed: &[u8; 32],
    inputs: &ShuffleInputs,
) -> Result<Vec<Card>, ShuffleError> {
    // Constant-time comparison: the commitment is public, but there is no reason to leak timing.
    use subtle::ConstantTimeEq;
    if !bool::from(commit(revealed_seed).ct_eq(commitment)) {
        return Err(ShuffleError::CommitmentMismatch);
    }
    Ok(shuffle(revealed_seed, inputs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(n: u64) -> ShuffleInputs {
        ShuffleInputs { hand_number: n, player_entropy: vec![(0, b"alice".to_vec()), (3, b"bob".to_vec())] }
    }

    #[test]
    fn shuffle_is_a_permutation_and_deterministic() {
        let seed = [7u8; 32];
        let a = shuffle(&seed, &inputs(1));
        let mut sorted = a.clone();
        sorted.sort();
        assert_eq!(sorted, Card::deck());
        assert_eq!(a, shuffle(&seed, &inputs(1)));
        assert_ne!(a, shuffle(&seed, &inputs(2)), "hand number changes the deck");
        assert_ne!(a, shuffle(&[8u8; 32], &inputs(1)), "seed changes the deck");
    }

    #[test]
    fn player_entropy_changes_the_deck_but_not_its_order_of_submission() {
        let seed = [1u8; 32];
        let mut other = inputs(1);
        other.player_entropy.reverse();
        assert_eq!(shuffle(&seed, &inputs(1)), shuffle(&seed, &other));
        other.player_entropy[0].1.push(0);
        assert_ne!(shuffle(&seed, &inputs(1)), shuffle(&seed, &other));
    }

    #[test]
    fn verify_accepts_the_committed_seed_only() {
        let seed = [42u8; 32];
        let c = commit(&seed);
        assert_eq!(verify_shuffle(&c, &seed, &inputs(9)).unwrap(), shuffle(&seed, &inputs(9)));
        assert_eq!(verify_shuffle(&c, &[43u8; 32], &inputs(9)), Err(ShuffleError::CommitmentMismatch));
    }

    #[test]
    fn below_is_unbiased_in_the_rejection_zone() {
        for n in [3u32, 7, 52, 1000] {
            let zone = rejection_zone(n) as u64;
            assert_eq!((zone + 1) % n as u64, 0, "the accepted range is a whole number of cycles");
            assert!((1u64 << 32) - (zone + 1) < n as u64, "and the largest such");
        }
        // n = 1 and powers of two never reject.
        assert_eq!(rejection_zone(1), u32::MAX);
        assert_eq!(rejection_zone(4), u32::MAX);
        let mut s = KeyedStream::new(&[0; 32], &ShuffleInputs::default());
        let mut counts = [0u32; 6];
        for _ in 0..60_000 {
            counts[s.below(6) as usize] += 1;
        }
        assert!(counts.iter().all(|&c| (9_000..11_000).contains(&c)), "{counts:?}");
    }
}
