//! Concurrent reads of one kind gathered into one query, as a DataLoader does: while a query is
//! on its way, the reads that arrive wait for the next one, which is sent as soon as the first
//! is back and asks for all of them at once. Under load one database round trip then answers
//! many requests instead of one.
//!
//! Nothing is cached: a read only ever joins a query that has not been sent yet, so its answer
//! reflects every write committed before the read arrived, as its own query would.
//!
//! This is the bookkeeping; the worker's `coalesce` module sends the queries and wakes the
//! readers. Time is passed in.

/// What a read does once it has arrived.
#[derive(Debug, PartialEq, Eq)]
pub enum Arrival {
    /// Nobody is sending queries: it becomes the driver numbered so, and sends them
    /// ([`Coalesce::next`]) until nothing waits.
    Drive(u64),
    /// A driver is at work: it waits to be answered, or told to arrive again.
    Wait,
}

/// One query's worth of reads: the distinct keys to ask for, and every read of those keys.
#[derive(Debug, PartialEq, Eq)]
pub struct Batch<K, W> {
    pub keys: Vec<K>,
    pub readers: Vec<(K, W)>,
}

/// The reads of one kind waiting in one isolate, and who sends their queries.
#[derive(Debug)]
pub struct Coalesce<K, W> {
    max_keys: usize,
    lost_after_ms: i64,
    waiting: Vec<(K, W)>,
    /// The driver at work: its number, and when it last took a batch.
    driver: Option<(u64, i64)>,
    drivers: u64,
}

impl<K: PartialEq + Clone, W> Coalesce<K, W> {
    /// A query asks for at most `max_keys` distinct keys (at least one). A driver that has not
    /// come back for a batch in `lost_after_ms` is presumed lost (its query never answered), and
    /// the next read to arrive drives instead.
    pub const fn new(max_keys: usize, lost_after_ms: i64) -> Self {
        Self {
            max_keys: if max_keys == 0 { 1 } else { max_keys },
            lost_after_ms,
            waiting: Vec::new(),
            driver: None,
            drivers: 0,
        }
    }

    /// A read of `key` arrives, to be answered through `waiter`.
    pub fn arrive(&mut self, key: K, waiter: W, now_ms: i64) -> Arrival {
        self.waiting.push((key, waiter));
        match self.driver {
            Some((_, seen)) if now_ms - seen < self.lost_after_ms => Arrival::Wait,
            _ => {
                self.drivers += 1;
                self.driver = Some((self.drivers, now_ms));
                Arrival::Drive(self.drivers)
            }
        }
    }

    /// Driver `number`'s next query: the reads waiting for up to `max_keys` distinct keys, in
    /// the order they arrived (later keys wait for the query after). `None` when nothing waits,
    /// and then the driver is done; also `None` for a driver that was replaced.
    pub fn next(&mut self, number: u64, now_ms: i64) -> Option<Batch<K, W>> {
        if self.driver.map(|(current, _)| current) != Some(number) {
            return None;
        }
        if self.waiting.is_empty() {
            self.driver = None;
            return None;
        }
        self.driver = Some((number, now_ms));
        let mut keys: Vec<K> = Vec::new();
        let (mut readers, mut later) = (Vec::new(), Vec::new());
        for (key, waiter) in self.waiting.drain(..) {
            let known = keys.contains(&key);
            if known || keys.len() < self.max_keys {
                if !known {
                    keys.push(key.clone());
                }
                readers.push((key, waiter));
            } else {
                later.push((key, waiter));
            }
        }
        self.waiting = later;
        Some(Batch { keys, readers })
    }

    /// Takes back the waiting reads `is_it` picks (they gave up waiting); one already sent is
    /// not in a query's hands any more and stays there.
    pub fn withdraw(&mut self, is_it: impl Fn(&W) -> bool) {
        self.waiting.retain(|(_, waiter)| !is_it(waiter));
    }

    /// Driver `number` stops before nothing waits (it has driven long enough): every read still
    /// waiting is returned, to be told to arrive again, so that one of them drives next.
    pub fn hand_over(&mut self, number: u64) -> Vec<(K, W)> {
        if self.driver.map(|(current, _)| current) != Some(number) {
            return Vec::new();
        }
        self.driver = None;
        std::mem::take(&mut self.waiting)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_read_drives_and_those_arriving_meanwhile_share_the_next_query() {
        let mut reads = Coalesce::new(50, 10_000);
        assert_eq!(reads.arrive("a", 1, 0), Arrival::Drive(1));
        let first = reads.next(1, 0).expect("its own read");
        assert_eq!(first, Batch { keys: vec!["a"], readers: vec![("a", 1)] });
        // While that query is away:
        assert_eq!(reads.arrive("b", 2, 1), Arrival::Wait);
        assert_eq!(reads.arrive("a", 3, 1), Arrival::Wait);
        assert_eq!(reads.arrive("b", 4, 2), Arrival::Wait);
        let second = reads.next(1, 5).expect("the three that waited");
        assert_eq!(second.keys, vec!["b", "a"], "each key asked for once");
        assert_eq!(second.readers, vec![("b", 2), ("a", 3), ("b", 4)]);
        assert_eq!(reads.next(1, 9), None, "nothing waits: the driver is done");
        assert_eq!(reads.arrive("c", 5, 10), Arrival::Drive(2), "and the next read drives again");
    }

    #[test]
    fn a_read_never_joins_a_query_already_sent() {
        let mut reads = Coalesce::new(50, 10_000);
        reads.arrive(7, 'x', 0);
        let sent = reads.next(1, 0).expect("sent");
        reads.arrive(7, 'y', 1);
        assert_eq!(sent.readers, vec![(7, 'x')], "the later read of the same key is not in it");
        assert_eq!(reads.next(1, 2).expect("the next").readers, vec![(7, 'y')]);
    }

    #[test]
    fn a_query_asks_for_at_most_max_keys_and_the_rest_go_next_in_order() {
        let mut reads = Coalesce::new(2, 10_000);
        reads.arrive(1, 'a', 0);
        for (key, waiter) in [(2, 'b'), (3, 'c'), (1, 'd'), (4, 'e')] {
            assert_eq!(reads.arrive(key, waiter, 0), Arrival::Wait);
        }
        let first = reads.next(1, 0).expect("first");
        assert_eq!(first.keys, vec![1, 2]);
        assert_eq!(first.readers, vec![(1, 'a'), (2, 'b'), (1, 'd')], "a known key rides along");
        let second = reads.next(1, 1).expect("second");
        assert_eq!((second.keys, second.readers), (vec![3, 4], vec![(3, 'c'), (4, 'e')]));
        let mut zero = Coalesce::new(0, 10_000);
        zero.arrive(1, (), 0);
        zero.arrive(2, (), 0);
        assert_eq!(zero.next(1, 0).expect("one key").keys, vec![1], "at least one key per query");
    }

    #[test]
    fn a_driver_that_hands_over_releases_everyone_waiting_to_arrive_again() {
        let mut reads = Coalesce::new(50, 10_000);
        reads.arrive("a", 1, 0);
        reads.next(1, 0);
        reads.arrive("b", 2, 1);
        reads.arrive("c", 3, 1);
        assert_eq!(reads.hand_over(1), vec![("b", 2), ("c", 3)]);
        assert_eq!(reads.next(1, 2), None, "the old driver stops");
        assert_eq!(reads.arrive("b", 2, 3), Arrival::Drive(2), "the first to come back drives");
        assert_eq!(reads.arrive("c", 3, 3), Arrival::Wait);
        assert_eq!(reads.hand_over(1), Vec::new(), "a stale hand-over takes nothing");
    }

    #[test]
    fn a_read_that_gave_up_is_not_sent_with_the_next_query() {
        let mut reads = Coalesce::new(50, 10_000);
        reads.arrive("a", 1, 0);
        let sent = reads.next(1, 0).expect("sent");
        reads.arrive("b", 2, 1);
        reads.arrive("c", 3, 1);
        reads.withdraw(|waiter| *waiter == 2);
        reads.withdraw(|waiter| *waiter == 1);
        assert_eq!(sent.readers, vec![("a", 1)], "one already sent stays sent");
        assert_eq!(reads.next(1, 2).expect("the next").readers, vec![("c", 3)]);
    }

    #[test]
    fn a_driver_silent_for_too_long_is_replaced_and_cannot_take_more() {
        let mut reads = Coalesce::new(50, 1_000);
        reads.arrive("a", 1, 0);
        reads.next(1, 0); // its query never comes back
        assert_eq!(reads.arrive("b", 2, 999), Arrival::Wait);
        assert_eq!(reads.arrive("c", 3, 1_000), Arrival::Drive(2), "presumed lost");
        assert_eq!(reads.next(1, 1_001), None, "the lost driver, if it wakes, takes nothing");
        assert_eq!(reads.next(2, 1_001).expect("the new driver's").readers, vec![("b", 2), ("c", 3)]);
    }

    #[test]
    fn a_busy_driver_is_not_presumed_lost() {
        let mut reads = Coalesce::new(50, 1_000);
        reads.arrive(0, 0, 0);
        for now in (0..10_000).step_by(500) {
            reads.next(1, now).expect("a batch every 500 ms");
            assert_eq!(reads.arrive(now + 1, 0, now + 1), Arrival::Wait, "at {now} ms");
        }
    }

    #[test]
    fn every_read_is_answered_exactly_once() {
        let mut reads = Coalesce::new(3, i64::MAX);
        let mut answered = Vec::new();
        let mut driver = None;
        for read in 0..1_000 {
            if let Arrival::Drive(number) = reads.arrive(read % 7, read, 0) {
                driver = Some(number);
            }
            if read % 4 == 0 {
                let number = driver.expect("someone drives");
                match reads.next(number, 0) {
                    Some(batch) => answered.extend(batch.readers.into_iter().map(|(_, read)| read)),
                    None => driver = None,
                }
            }
        }
        while let Some(batch) = driver.and_then(|number| reads.next(number, 0)) {
            answered.extend(batch.readers.into_iter().map(|(_, read)| read));
        }
        answered.sort_unstable();
        assert_eq!(answered, (0..1_000).collect::<Vec<_>>());
    }
}
