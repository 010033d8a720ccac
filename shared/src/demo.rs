//! The demo account that `make dev` opens onto, and the deterministic randomness every product's
//! demo seeder draws from: the same seed and the same "now" give the same data, so what a newcomer
//! sees and what the tests check do not drift apart.

/// The demo account (README): every product seeds its data into it.
pub const DEMO_USER_ID: &str = "01M8MZ2A000000000000000DEM";
pub const DEMO_USERNAME: &str = "demo";
pub const DEMO_PASSWORD: &str = "dozen-demo-2026";
pub const DEMO_EMAIL: &str = "demo@dozen.example";
pub const DEMO_DISPLAY_NAME: &str = "Demo User";

pub const DAY_MS: i64 = 86_400_000;

/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny, well-mixed generator, plenty for invented
/// traffic (it is never used where an attacker could gain from guessing).
#[derive(Debug, Clone)]
pub struct DemoRng(u64);

impl DemoRng {
    /// A generator per product, so adding draws to one product's seeder leaves the others' data as it was.
    pub fn for_product(product: &str) -> Self {
        let seed = product
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0); the modulo bias is irrelevant at demo sizes.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1_u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One of `items`, each as likely as its weight.
    pub fn weighted<'a, T>(&mut self, items: &'a [(T, u32)]) -> &'a T {
        let total: u64 = items.iter().map(|(_, w)| u64::from(*w)).sum();
        let mut ticket = self.below(total);
        for (item, weight) in items {
            if ticket < u64::from(*weight) {
                return item;
            }
            ticket -= u64::from(*weight);
        }
        &items[items.len() - 1].0
    }

    /// A copy of one of `items`, each as likely as its weight.
    pub fn pick<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        *self.weighted(items)
    }

    /// Ten random bytes, as the time-sortable IDs take.
    pub fn id_bytes(&mut self) -> [u8; 10] {
        let (a, b) = (self.next_u64().to_be_bytes(), self.next_u64().to_be_bytes());
        let mut out = [0u8; 10];
        out[..8].copy_from_slice(&a);
        out[8..].copy_from_slice(&b[..2]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_product_draws_the_same_numbers() {
        let (mut a, mut b) = (DemoRng::for_product("links"), DemoRng::for_product("links"));
        let first: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        assert_eq!(first, (0..5).map(|_| b.next_u64()).collect::<Vec<_>>());
        assert_ne!(first[0], DemoRng::for_product("pay").next_u64());
    }

    #[test]
    fn weighted_picks_follow_their_weights() {
        let mut rng = DemoRng::for_product("weights");
        let items = [("often", 9), ("rarely", 1), ("never", 0)];
        let mut often = 0;
        for _ in 0..10_000 {
            match *rng.weighted(&items) {
                "often" => often += 1,
                "rarely" => {}
                other => panic!("drew {other}"),
            }
        }
        assert!((8_700..9_300).contains(&often), "{often}");
    }

    #[test]
    fn unit_stays_in_range() {
        let mut rng = DemoRng::for_product("unit");
        assert!((0..1000).map(|_| rng.unit()).all(|x| (0.0..1.0).contains(&x)));
    }
}
