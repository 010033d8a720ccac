//! Safety numbers: 60 digits two people compare (read aloud, or one scans the other's QR
//! code) to know that the keys their devices use are each other's, not a stranger's in the
//! middle. As Signal computes them: each person's identity key and username hashed with
//! SHA-512 5,200 times, 30 bytes of each read as six 5-digit groups, the two halves in a fixed
//! order so both people see the same number.

use sha2::{Digest, Sha512};

const ITERATIONS: usize = 5_200;
const VERSION: [u8; 2] = [0, 0];

/// Thirty digits for one person.
fn fingerprint(username: &str, identity_key: &[u8]) -> String {
    let mut hash =
        Sha512::new().chain_update(VERSION).chain_update(identity_key).chain_update(username).finalize();
    for _ in 0..ITERATIONS {
        hash = Sha512::new().chain_update(hash).chain_update(identity_key).finalize();
    }
    hash[..30]
        .chunks(5)
        .map(|chunk| {
            let n = chunk.iter().fold(0u64, |n, byte| (n << 8) | u64::from(*byte));
            format!("{:05}", n % 100_000)
        })
        .collect()
}

/// The safety number of two people (either order gives the same): 60 digits.
pub fn safety_number(a: (&str, &[u8]), b: (&str, &[u8])) -> String {
    let (mut first, mut second) = (fingerprint(a.0, a.1), fingerprint(b.0, b.1));
    if second < first {
        std::mem::swap(&mut first, &mut second);
    }
    first + &second
}

/// What stands for a person with several devices in their safety number: every device's
/// identity key, in a fixed order. A new device (perhaps not theirs) changes the number.
pub fn person_key<'a>(identity_keys: impl IntoIterator<Item = &'a [u8]>) -> Vec<u8> {
    let mut keys: Vec<&[u8]> = identity_keys.into_iter().collect();
    keys.sort_unstable();
    keys.concat()
}

/// The number as people read it: twelve groups of five digits.
pub fn grouped(number: &str) -> Vec<String> {
    number.as_bytes().chunks(5).map(|c| String::from_utf8_lossy(c).into_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_people_see_the_same_sixty_digits() {
        let ann = ("ann", [4u8; 65].as_slice());
        let bob = ("bob", [7u8; 65].as_slice());
        let number = safety_number(ann, bob);
        assert_eq!(number.len(), 60);
        assert!(number.bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(number, safety_number(bob, ann));
        assert_eq!(grouped(&number).len(), 12);
        assert!(grouped(&number).iter().all(|g| g.len() == 5));
    }

    #[test]
    fn the_number_of_known_keys_is_this_one() {
        // tests/e2e/chat-e2ee-vectors.test.mjs computes the same with WebCrypto's SHA-512.
        assert_eq!(
            safety_number(("ann", &[4; 65]), ("bob", &[7; 65])),
            "596310924253721788125162783578856829825605673740291268865845"
        );
    }

    #[test]
    fn a_person_with_several_devices_is_all_of_their_keys_in_one_order() {
        let (phone, laptop) = ([4u8; 65], [9u8; 65]);
        let one = person_key([phone.as_slice(), laptop.as_slice()]);
        assert_eq!(
            one,
            person_key([laptop.as_slice(), phone.as_slice()]),
            "order of listing does not matter"
        );
        assert_eq!(one.len(), 130);
        assert_ne!(one, person_key([phone.as_slice()]), "a device more or less is another number");
    }

    #[test]
    fn another_key_or_another_name_is_another_number() {
        let number = safety_number(("ann", &[4; 65]), ("bob", &[7; 65]));
        assert_ne!(number, safety_number(("ann", &[4; 65]), ("bob", &[8; 65])), "a key in the middle shows");
        assert_ne!(number, safety_number(("ann", &[4; 65]), ("rob", &[7; 65])));
    }
}
