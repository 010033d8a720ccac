//! A device's view of one conversation's log: exactly once and in order, across reconnects.
//!
//! The server numbers each conversation's messages 1, 2, 3 … with no gaps. A device keeps the
//! highest seq it holds with nothing missing below it; after a reconnect it asks to `sync` from
//! there, and the server replays everything after it before going live. Frames can then arrive
//! twice (a replay overlapping live delivery) or early (live delivery racing the replay): the
//! inbox hands each seq on once, in order, and holds an early one until the gap before it fills.

use std::collections::BTreeMap;

/// The most early messages held while waiting for a gap to fill; past it the device should
/// sync again (something was lost on the way).
pub const MAX_HELD: usize = 1_000;

#[derive(Debug, Clone)]
pub struct Inbox<T> {
    /// Every seq up to this one has been handed on.
    contiguous: u64,
    held: BTreeMap<u64, T>,
}

/// What receiving one message did.
#[derive(Debug, PartialEq, Eq)]
pub enum Received<T> {
    /// These messages, in order, are new: show them.
    Deliver(Vec<(u64, T)>),
    /// Already handed on or already held: ignore it.
    Duplicate,
    /// Held until the messages before it arrive.
    Held,
    /// Too much is missing: sync from `resume_after()` again.
    Resync,
}

impl<T> Inbox<T> {
    /// An inbox that already holds everything up to `last_seq` (0 for nothing).
    pub fn new(last_seq: u64) -> Self {
        Self { contiguous: last_seq, held: BTreeMap::new() }
    }

    /// The seq to sync after: everything up to it is here.
    pub fn resume_after(&self) -> u64 {
        self.contiguous
    }

    /// Whether messages are held waiting for a gap to fill.
    pub fn has_gap(&self) -> bool {
        !self.held.is_empty()
    }

    pub fn receive(&mut self, seq: u64, message: T) -> Received<T> {
        if seq <= self.contiguous || self.held.contains_key(&seq) {
            return Received::Duplicate;
        }
        if seq != self.contiguous + 1 {
            if self.held.len() >= MAX_HELD {
                self.held.clear();
                return Received::Resync;
            }
            self.held.insert(seq, message);
            return Received::Held;
        }
        let mut delivered = vec![(seq, message)];
        self.contiguous = seq;
        while let Some(next) = self.held.remove(&(self.contiguous + 1)) {
            self.contiguous += 1;
            delivered.push((self.contiguous, next));
        }
        Received::Deliver(delivered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delivered(received: Received<&'static str>) -> Vec<u64> {
        match received {
            Received::Deliver(list) => list.into_iter().map(|(seq, _)| seq).collect(),
            other => panic!("expected a delivery, got {other:?}"),
        }
    }

    #[test]
    fn in_order_messages_are_delivered_as_they_come() {
        let mut inbox = Inbox::new(0);
        assert_eq!(delivered(inbox.receive(1, "a")), vec![1]);
        assert_eq!(delivered(inbox.receive(2, "b")), vec![2]);
        assert_eq!(inbox.resume_after(), 2);
    }

    #[test]
    fn a_replay_overlapping_live_delivery_hands_each_seq_on_once() {
        let mut inbox = Inbox::new(3);
        // Live delivery of 6 races the replay of 4..=6.
        assert_eq!(inbox.receive(6, "live"), Received::Held);
        assert!(inbox.has_gap());
        assert_eq!(delivered(inbox.receive(4, "r4")), vec![4]);
        assert_eq!(delivered(inbox.receive(5, "r5")), vec![5, 6]);
        assert_eq!(inbox.receive(6, "replayed"), Received::Duplicate);
        assert_eq!(inbox.receive(2, "old"), Received::Duplicate);
        assert!(!inbox.has_gap());
        assert_eq!(inbox.resume_after(), 6);
    }

    #[test]
    fn any_arrival_order_with_repeats_yields_every_seq_exactly_once_in_order() {
        // A fixed shuffle of 1..=200 with every third seq repeated.
        let mut arrivals: Vec<u64> = (1..=200).collect();
        let mut state = 0x9e37_79b9_u64;
        for i in (1..arrivals.len()).rev() {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            arrivals.swap(i, (state >> 33) as usize % (i + 1));
        }
        let repeats: Vec<u64> = arrivals.iter().copied().filter(|s| s % 3 == 0).collect();
        arrivals.extend(repeats);
        let mut inbox = Inbox::new(0);
        let mut shown = Vec::new();
        for seq in arrivals {
            if let Received::Deliver(list) = inbox.receive(seq, ()) {
                shown.extend(list.into_iter().map(|(s, ())| s));
            }
        }
        assert_eq!(shown, (1..=200).collect::<Vec<_>>());
    }

    #[test]
    fn too_much_missing_asks_for_a_sync() {
        let mut inbox = Inbox::new(0);
        for seq in 2..(2 + MAX_HELD as u64) {
            assert_eq!(inbox.receive(seq, ()), Received::Held);
        }
        assert_eq!(inbox.receive(5_000, ()), Received::Resync);
        assert!(!inbox.has_gap(), "what was held is dropped: the sync brings it again");
        assert_eq!(inbox.resume_after(), 0);
    }
}
