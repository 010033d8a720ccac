//! The evaluator against the counts every poker reference gives for all five-card hands, and against
//! aya_poker's ordering on random 5-, 6- and 7-card hands.

use shared::poker::{
    cards::Card,
    eval::{evaluate, evaluator, Category, HandKey},
    shuffle::{KeyedStream, ShuffleInputs},
};

#[test]
fn all_five_card_hands_by_category() {
    let e = evaluator();
    let mut counts = [0u64; 9];
    let mut seen = vec![false; 7463];
    for a in 0..52u8 {
        let ha = HandKey::EMPTY.add_index(a);
        for b in a + 1..52 {
            let hb = ha.add_index(b);
            for c in b + 1..52 {
                let hc = hb.add_index(c);
                for d in c + 1..52 {
                    let hd = hc.add_index(d);
                    for x in d + 1..52 {
                        let r = e.eval5_key(hd.add_index(x));
                        let rank = shared::poker::HandRank::from_value(r).expect("rank in 1..=7462");
                        counts[rank.category() as usize] += 1;
                        seen[r as usize] = true;
                    }
                }
            }
        }
    }
    let expected = [1_302_540, 1_098_240, 123_552, 54_912, 10_200, 5_108, 3_744, 624, 40];
    for cat in Category::ALL {
        assert_eq!(counts[cat as usize], expected[cat as usize], "{cat}");
    }
    assert_eq!(counts.iter().sum::<u64>(), 2_598_960);
    assert_eq!(seen.iter().filter(|&&s| s).count(), 7462, "every class occurs");
}

fn random_hand(stream: &mut KeyedStream, n: usize) -> Vec<Card> {
    let mut deck = Card::deck();
    for i in 0..n {
        let j = i + stream.below((52 - i) as u32) as usize;
        deck.swap(i, j);
    }
    deck.truncate(n);
    deck
}

fn aya_rank(cards: &[Card]) -> aya_poker::PokerHandRank {
    let hand: aya_poker::base::Hand = cards
        .iter()
        .map(|c| c.to_string().parse::<aya_poker::base::Card>().expect("aya parses our notation"))
        .collect();
    aya_poker::poker_rank(&hand)
}

#[test]
fn ordering_agrees_with_aya_poker_on_random_hands() {
    let mut stream = KeyedStream::new(b"eval-crosscheck", &ShuffleInputs::default());
    for n in [5, 6, 7] {
        for _ in 0..20_000 {
            let a = random_hand(&mut stream, n);
            let b = random_hand(&mut stream, n);
            let ours = evaluate(&a).unwrap().cmp(&evaluate(&b).unwrap());
            let theirs = aya_rank(&a).cmp(&aya_rank(&b));
            assert_eq!(ours, theirs, "{a:?} vs {b:?}");
        }
    }
}
