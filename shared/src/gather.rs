//! Gathering small pieces of work done for concurrent requests into one send, as a database's
//! group commit does: the first piece opens a batch and leads it (it waits a moment, then sends
//! whatever has gathered); the pieces that arrive meanwhile join it; the piece that fills it
//! sends it at once.
//!
//! Nothing waits in memory on its own: the batch is always owned by a request still running
//! (the leader's, or the filler's), whose `wait_until` the runtime lets finish before it
//! retires the isolate. The caller decides how long a leader waits.

/// What a request does with its piece after [`Gather::join`].
#[derive(Debug, PartialEq, Eq)]
pub enum Role<T> {
    /// It opened the batch numbered so: wait, then [`Gather::take`] it and send it.
    Lead(u64),
    /// Its piece is in a batch another request will send.
    Joined,
    /// Its piece filled the batch: send these now.
    Send(Vec<T>),
}

/// The one open batch of an isolate.
#[derive(Debug)]
pub struct Gather<T> {
    capacity: usize,
    open: Option<(u64, Vec<T>)>,
    opened: u64,
}

impl<T> Gather<T> {
    /// A batch is sent at the latest when it holds `capacity` pieces (at least 1).
    pub const fn new(capacity: usize) -> Self {
        Self { capacity: if capacity == 0 { 1 } else { capacity }, open: None, opened: 0 }
    }

    pub fn join(&mut self, piece: T) -> Role<T> {
        let role = match &mut self.open {
            Some((_, pieces)) => {
                pieces.push(piece);
                Role::Joined
            }
            None => {
                self.opened += 1;
                self.open = Some((self.opened, vec![piece]));
                Role::Lead(self.opened)
            }
        };
        if self.open.as_ref().is_some_and(|(_, pieces)| pieces.len() >= self.capacity) {
            let (_, full) = self.open.take().unwrap_or_default();
            return Role::Send(full);
        }
        role
    }

    /// The batch `number`, if it is still open (empty when it was filled and sent meanwhile).
    pub fn take(&mut self, number: u64) -> Vec<T> {
        match &self.open {
            Some((open, _)) if *open == number => {
                self.open.take().map(|(_, pieces)| pieces).unwrap_or_default()
            }
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_leads_the_rest_join_and_the_leader_takes_them_all() {
        let mut gather = Gather::new(100);
        let Role::Lead(batch) = gather.join(1) else { panic!("the first piece leads") };
        assert_eq!(gather.join(2), Role::Joined);
        assert_eq!(gather.join(3), Role::Joined);
        assert_eq!(gather.take(batch), vec![1, 2, 3]);
        assert_eq!(gather.take(batch), Vec::<i32>::new(), "taken once");
        assert!(matches!(gather.join(4), Role::Lead(next) if next != batch), "then a new batch opens");
    }

    #[test]
    fn the_piece_that_fills_a_batch_sends_it_and_its_leader_finds_nothing() {
        let mut gather = Gather::new(3);
        let Role::Lead(first) = gather.join('a') else { panic!() };
        assert_eq!(gather.join('b'), Role::Joined);
        assert_eq!(gather.join('c'), Role::Send(vec!['a', 'b', 'c']));
        let Role::Lead(second) = gather.join('d') else { panic!("a new batch opens after a full one") };
        assert_eq!(gather.take(first), Vec::<char>::new(), "the first leader sends nothing twice");
        assert_eq!(gather.take(second), vec!['d'], "nor takes the next batch");
    }

    #[test]
    fn every_piece_is_sent_exactly_once() {
        let mut gather = Gather::new(7);
        let (mut sent, mut leaders) = (Vec::new(), Vec::new());
        for piece in 0..1000 {
            match gather.join(piece) {
                Role::Lead(batch) => leaders.push(batch),
                Role::Joined => {}
                Role::Send(full) => sent.extend(full),
            }
            // Some leaders wake up while others are still gathering.
            if piece % 5 == 0 {
                for batch in leaders.drain(..) {
                    sent.extend(gather.take(batch));
                }
            }
        }
        for batch in leaders {
            sent.extend(gather.take(batch));
        }
        sent.sort_unstable();
        assert_eq!(sent, (0..1000).collect::<Vec<_>>());
    }

    #[test]
    fn a_capacity_of_one_sends_every_piece_alone() {
        let mut gather = Gather::new(1);
        assert_eq!(gather.join(9), Role::Send(vec![9]));
        let mut zero = Gather::new(0);
        assert_eq!(zero.join(8), Role::Send(vec![8]));
    }
}
