//! Seven-card evaluation speed: the same pre-generated random hands through our evaluator, rs_poker 4.1
//! and aya_poker, one thread. `cargo bench -p shared --bench poker_eval`; criterion prints the
//! throughput of each as elements (hands) per second.

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

/// All 7-card hands from the first `CARDS` cards of a shuffled deck, enumerated with nested loops
/// that add one card per level: the methodology of the published "evaluations per second" figures
/// (holdem-hand-evaluator), where consecutive hands share six cards.
fn enumerate7(c: &mut Criterion) {
    const CARDS: usize = 24;
    let mut stream = KeyedStream::new(b"bench-enumerate", &ShuffleInputs::default());
    let mut deck = Card::deck();
    for i in 0..CARDS {
        let j = i + stream.below((52 - i) as u32) as usize;
        deck.swap(i, j);
    }
    let cards = &deck[..CARDS];
    let count = (0..7).fold(1u64, |acc, k| acc * (CARDS - k) as u64 / (k as u64 + 1));
    let e = evaluator();
    let aya: Vec<aya_poker::base::Card> = cards.iter().map(|c| c.to_string().parse().unwrap()).collect();

    let mut g = c.benchmark_group("eval7_enumerate_24_cards");
    g.throughput(Throughput::Elements(count));
    g.bench_function("dozen", |b| {
        b.iter(|| {
            let mut sum = 0u64;
            for a in 0..CARDS {
                let ha = HandKey::EMPTY.with(cards[a]);
                for b in a + 1..CARDS {
                    let hb = ha.with(cards[b]);
                    for c in b + 1..CARDS {
                        let hc = hb.with(cards[c]);
                        for d in c + 1..CARDS {
                            let hd = hc.with(cards[d]);
                            for x in d + 1..CARDS {
                                let hx = hd.with(cards[x]);
                                for y in x + 1..CARDS {
                                    let hy = hx.with(cards[y]);
                                    for &cz in &cards[y + 1..] {
                                        sum += e.eval7_key(hy.with(cz)) as u64;
                                    }
                                }
                            }
                        }
                    }
                }
            }
            black_box(sum)
        })
    });
    g.bench_function("aya_poker", |b| {
        b.iter(|| {
            let mut sum = 0u64;
            let empty = aya_poker::base::Hand::new();
            for a in 0..CARDS {
                let mut ha = empty;
                ha.insert_unchecked(&aya[a]);
                for b in a + 1..CARDS {
                    let mut hb = ha;
                    hb.insert_unchecked(&aya[b]);
                    for c in b + 1..CARDS {
                        let mut hc = hb;
                        hc.insert_unchecked(&aya[c]);
                        for d in c + 1..CARDS {
                            let mut hd = hc;
                            hd.insert_unchecked(&aya[d]);
                            for x in d + 1..CARDS {
                                let mut hx = hd;
                                hx.insert_unchecked(&aya[x]);
                                for y in x + 1..CARDS {
                                    let mut hy = hx;
                                    hy.insert_unchecked(&aya[y]);
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
            black_box(sum)
        })
    });
    g.finish();
}

criterion_group!(benches, eval7, enumerate7);
criterion_main!(benches);
