//! A small in-memory cache with a size bound and a time to live, for what one worker isolate may
//! remember between requests (which hosts are custom domains, where a short code goes). Bounded,
//! because its keys come from requests; timed, because other isolates change the truth behind it.
//! Time is passed in.

use std::{
    collections::{HashMap, VecDeque},
    hash::Hash,
};

#[derive(Debug)]
pub struct TtlCache<K, V> {
    capacity: usize,
    ttl_ms: i64,
    entries: HashMap<K, (V, i64)>,
    /// Keys in the order they were stored, with when; a record whose time no longer matches its
    /// entry was stored again later (or removed) and is skipped.
    order: VecDeque<(K, i64)>,
}

impl<K: Eq + Hash + Clone, V> TtlCache<K, V> {
    /// At most `capacity` entries (at least one), each trusted for `ttl_ms` after it was stored.
    pub fn new(capacity: usize, ttl_ms: i64) -> Self {
        Self { capacity: capacity.max(1), ttl_ms, entries: HashMap::new(), order: VecDeque::new() }
    }

    /// The value stored for `key` less than the time to live before `now_ms`.
    pub fn get(&mut self, key: &K, now_ms: i64) -> Option<&V> {
        let fresh = self.entries.get(key).is_some_and(|(_, at)| now_ms - at < self.ttl_ms);
        if !fresh {
            self.entries.remove(key);
            return None;
        }
        self.entries.get(key).map(|(value, _)| value)
    }

    /// Stores `value` for `key` as of `now_ms`; when full, the oldest entry makes room.
    pub fn insert(&mut self, key: K, value: V, now_ms: i64) {
        if !self.entries.contains_key(&key) {
            while self.entries.len() >= self.capacity {
                let Some((oldest, at)) = self.order.pop_front() else { break };
                if self.entries.get(&oldest).is_some_and(|(_, stored)| *stored == at) {
                    self.entries.remove(&oldest);
                }
            }
        }
        self.entries.insert(key.clone(), (value, now_ms));
        self.order.push_back((key, now_ms));
        // Records of keys stored again pile up; keep the queue within twice the bound.
        if self.order.len() > 2 * self.capacity {
            let entries = &self.entries;
            self.order.retain(|(key, at)| entries.get(key).is_some_and(|(_, stored)| stored == at));
        }
    }

    /// Forgets `key` (its truth changed here: an edit, a deletion).
    pub fn remove(&mut self, key: &K) {
        self.entries.remove(key);
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_trusted_for_its_time_to_live_only() {
        let mut cache = TtlCache::new(4, 30_000);
        cache.insert("a", 1, 1_000);
        assert_eq!(cache.get(&"a", 1_000), Some(&1));
        assert_eq!(cache.get(&"a", 30_999), Some(&1));
        assert_eq!(cache.get(&"a", 31_000), None, "expired at exactly the time to live");
        assert!(cache.is_empty(), "an expired entry is dropped when read");
    }

    #[test]
    fn it_never_holds_more_than_its_capacity_and_drops_the_oldest_first() {
        let mut cache = TtlCache::new(3, 60_000);
        for (i, key) in ["a", "b", "c", "d", "e"].into_iter().enumerate() {
            cache.insert(key, i, i as i64);
            assert!(cache.len() <= 3);
        }
        assert_eq!(cache.get(&"a", 10), None);
        assert_eq!(cache.get(&"b", 10), None);
        assert_eq!(cache.get(&"c", 10), Some(&2));
        assert_eq!(cache.get(&"e", 10), Some(&4));
    }

    #[test]
    fn storing_a_key_again_renews_it_and_does_not_evict_another() {
        let mut cache = TtlCache::new(2, 60_000);
        cache.insert("a", 1, 0);
        cache.insert("b", 2, 1);
        cache.insert("a", 3, 2);
        assert_eq!(cache.len(), 2);
        cache.insert("c", 4, 3);
        assert_eq!(cache.get(&"b", 4), None, "b is now the oldest");
        assert_eq!(cache.get(&"a", 4), Some(&3));
        assert_eq!(cache.get(&"c", 4), Some(&4));
    }

    #[test]
    fn removed_keys_are_gone_and_the_order_queue_stays_bounded() {
        let mut cache = TtlCache::new(2, 60_000);
        for i in 0..1_000 {
            cache.insert("same", i, i);
        }
        assert!(cache.order.len() <= 4, "{} records", cache.order.len());
        cache.remove(&"same");
        assert_eq!(cache.get(&"same", 1_000), None);
        cache.insert("x", 1, 1_001);
        cache.insert("y", 2, 1_002);
        assert_eq!(cache.len(), 2);
    }
}
