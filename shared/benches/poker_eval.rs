//! Seven-card evaluation speed, one thread: the same pre-generated random hands through our evaluator,
//! rs_poker 4.1 and aya_poker, then every 7-card hand of 24 cards and of the whole deck enumerated with
//! incremental keys (holdem-hand-evaluator's benchmark). `cargo bench -p shared --bench poker_eval`;
//! criterion prints the throughput of each as elements (hands) per second.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use shared::poker::{
    cards::Card,
    eval::{evaluator, HandKey},
    shuffle::{KeyedStream, ShuffleInputs},
};

const HANDS: usize = 100_000;

fn random_hands() -> Vec<[Card; 7]> {
    let mut stream = KeyedStream::new(b"bench-hands", &ShuffleInputs::default());
    (0..HANDS)
        .map(|_| {
            let mut deck = Card::deck();
            for i in 0..7 {
                let j = i + stream.below((52 - i) as u32) as usize;
                deck.swap(i, j);
            }
            [deck[0], deck[1], deck[2], deck[3], deck[4], deck[5], deck[6]]
        })
        .collect()
}

fn eval7(c: &mut Criterion) {
    let hands = random_hands();
    let ours: Vec<[u8; 7]> = hands.iter().map(|h| h.map(|c| c.index())).collect();
    let ours_keys: Vec<HandKey> = hands.iter().map(|h| HandKey::from_cards(h)).collect();
    let rs: Vec<[rs_poker::core::Card; 7]> = hands
        .iter()
        .map(|h| {
            h.map(|c| {
                let s = c.to_string().chars().collect::<Vec<_>>();
                rs_poker::core::Card::new(
                    rs_poker::core::Value::from_char(s[0]).unwrap(),
                    rs_poker::core::Suit::from_char(s[1]).unwrap(),
                )
            })
        })
        .collect();
    let aya: Vec<[aya_poker::base::Card; 7]> =
        hands.iter().map(|h| h.map(|c| c.to_string().parse().unwrap())).collect();
    let aya_hands: Vec<aya_poker::base::Hand> = aya.iter().map(|h| h.iter().collect()).collect();
    let e = evaluator();

    let mut g = c.benchmark_group("eval7_random_hands");
    g.throughput(Throughput::Elements(HANDS as u64));
    g.bench_function("dozen", |b| {
        b.iter(|| ours.iter().map(|h| e.eval7_indices(black_box(h)) as u64).sum::<u64>())
    });
    g.bench_function("rs_poker_4_1", |b| {
        use rs_poker::core::Rankable;
        b.iter(|| {
            for h in &rs {
                black_box(black_box(&h[..]).rank());
            }
        })
    });
    g.bench_function("aya_poker", |b| {
        b.iter(|| {
            aya.iter().map(|h| aya_poker::poker_rank(&black_box(h).iter().collect()).0 as u64).sum::<u64>()
        })
    });
    // Both with the hand already in each library's additive form (no per-card work in the loop).
    g.bench_function("dozen_prebuilt_key", |b| {
        b.iter(|| ours_keys.iter().map(|&h| e.eval7_key(black_box(h)) as u64).sum::<u64>())
    });
    g.bench_function("aya_poker_prebuilt_hand", |b| {
        b.iter(|| aya_hands.iter().map(|h| aya_poker::poker_rank(black_box(h)).0 as u64).sum::<u64>())
    });
    g.finish();
}

/// The dozen side of the enumeration benchmarks: all 7-card hands of `keys` (the keys of single cards),
/// nested loops that add one card per level, so the innermost loop is one add, one or and one
/// evaluation. This is holdem-hand-evaluator's benchmark loop.
fn enumerate_dozen(keys: &[HandKey]) -> u64 {
    let e = evaluator();
    let mut sum = 0u64;
    for (a, &ka) in keys.iter().enumerate() {
        let ha = HandKey::EMPTY + ka;
        for (b, &kb) in keys.iter().enumerate().skip(a + 1) {
            let hb = ha + kb;
            for (c, &kc) in keys.iter().enumerate().skip(b + 1) {
                let hc = hb + kc;
                for (d, &kd) in keys.iter().enumerate().skip(c + 1) {
                    let hd = hc + kd;
                    for (x, &kx) in keys.iter().enumerate().skip(d + 1) {
                        let hx = hd + kx;
                        for (y, &ky) in keys.iter().enumerate().skip(x + 1) {
                            let hy = hx + ky;
                            for &kz in &keys[y + 1..] {
                                sum += e.eval7_key(hy + kz) as u64;
                            }
                        }
                    }
                }
            }
        }
    }
    sum
}

fn enumerate_aya(aya: &[aya_poker::base::Card]) -> u64 {
    let mut sum = 0u64;
    let empty = aya_poker::base::Hand::new();
    for (a, ca) in aya.iter().enumerate() {
        let mut ha = empty;
        ha.insert_unchecked(ca);
        for (b, cb) in aya.iter().enumerate().skip(a + 1) {
            let mut hb = ha;
            hb.insert_unchecked(cb);
            for (c, cc) in aya.iter().enumerate().skip(b + 1) {
                let mut hc = hb;
                hc.insert_unchecked(cc);
                for (d, cd) in aya.iter().enumerate().skip(c + 1) {
                    let mut hd = hc;
                    hd.insert_unchecked(cd);
                    for (x, cx) in aya.iter().enumerate().skip(d + 1) {
                        let mut hx = hd;
                        hx.insert_unchecked(cx);
                        for (y, cy) in aya.iter().enumerate().skip(x + 1) {
                            let mut hy = hx;
                            hy.insert_unchecked(cy);
                            for az in &aya[y + 1..] {
                                let mut hz = hy;
                                hz.insert_unchecked(az);
                                sum += aya_poker::poker_rank(&hz).0 as u64;
                            }
                        }
                    }
                }
            }
        }
    }
    sum
}

fn choose7(n: usize) -> u64 {
    (0..7).fold(1u64, |acc, k| acc * (n - k) as u64 / (k as u64 + 1))
}

/// All 7-card hands from the first 24 cards of a shuffled deck, enumerated with nested loops that add
/// one card per level (consecutive hands share six cards).
fn enumerate7(c: &mut Criterion) {
    const CARDS: usize = 24;
    let mut stream = KeyedStream::new(b"bench-enumerate", &ShuffleInputs::default());
    let mut deck = Card::deck();
    for i in 0..CARDS {
        let j = i + stream.below((52 - i) as u32) as usize;
        deck.swap(i, j);
    }
    let cards = &deck[..CARDS];
    let keys: Vec<HandKey> = cards.iter().map(|&c| HandKey::EMPTY.with(c)).collect();
    let aya: Vec<aya_poker::base::Card> = cards.iter().map(|c| c.to_string().parse().unwrap()).collect();

    let mut g = c.benchmark_group("eval7_enumerate_24_cards");
    g.throughput(Throughput::Elements(choose7(CARDS)));
    g.bench_function("dozen", |b| b.iter(|| enumerate_dozen(black_box(&keys))));
    g.bench_function("aya_poker", |b| b.iter(|| enumerate_aya(black_box(&aya))));
    g.finish();
}

/// Every one of the 133,784,560 7-card hands of the whole deck in deck order (deuces first): exactly
/// holdem-hand-evaluator's benchmark, whose result is its published "~1.2G eval/s".
fn enumerate7_deck(c: &mut Criterion) {
    let deck = Card::deck();
    let keys: Vec<HandKey> = deck.iter().map(|&c| HandKey::EMPTY.with(c)).collect();
    let aya: Vec<aya_poker::base::Card> = deck.iter().map(|c| c.to_string().parse().unwrap()).collect();

    let mut g = c.benchmark_group("eval7_enumerate_52_cards");
    g.sample_size(10);
    g.throughput(Throughput::Elements(choose7(52)));
    g.bench_function("dozen", |b| b.iter(|| enumerate_dozen(black_box(&keys))));
    g.bench_function("aya_poker", |b| b.iter(|| enumerate_aya(black_box(&aya))));
    g.finish();
}

criterion_group!(benches, eval7, enumerate7, enumerate7_deck);
criterion_main!(benches);
