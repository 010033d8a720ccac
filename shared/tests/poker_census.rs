//! All 133,784,560 seven-card hands, counted by category. About a second in the bench/release profile
//! and much longer unoptimised; run it with `cargo test -p shared --profile bench --test poker_census`.

use shared::poker::{
    eval::{evaluator, Category, HandKey},
    HandRank,
};

#[test]
fn all_seven_card_hands_by_category() {
    let e = evaluator();
    let mut by_rank = vec![0u64; 7463];
    for a in 0..52u8 {
        let ha = HandKey::EMPTY.add_index(a);
        for b in a + 1..52 {
            let hb = ha.add_index(b);
            for c in b + 1..52 {
                let hc = hb.add_index(c);
                for d in c + 1..52 {
                    let hd = hc.add_index(d);
                    for x in d + 1..52 {
                        let hx = hd.add_index(x);
                        for y in x + 1..52 {
                            let hy = hx.add_index(y);
                            for z in y + 1..52 {
                                by_rank[e.eval7_key(hy.add_index(z)) as usize] += 1;
                            }
                        }
                    }
                }
            }
        }
    }
    let mut counts = [0u64; 9];
    for (r, n) in by_rank.iter().enumerate().skip(1) {
        counts[HandRank::from_value(r as u16).unwrap().category() as usize] += n;
    }
    assert_eq!(by_rank[0], 0, "no hand falls outside the 7,462 classes");
    let expected =
        [23_294_460, 58_627_800, 31_433_400, 6_461_620, 6_180_020, 4_047_644, 3_473_184, 224_848, 41_584];
    for cat in Category::ALL {
        assert_eq!(counts[cat as usize], expected[cat as usize], "{cat}");
    }
    assert_eq!(counts.iter().sum::<u64>(), 133_784_560);
    // Only 4,824 of the classes can be the best five of seven cards.
    assert_eq!(by_rank.iter().filter(|&&n| n > 0).count(), 4824);
}
