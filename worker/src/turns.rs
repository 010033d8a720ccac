//! First come, first served, within one Durable Object: each caller takes a ticket (at once,
//! before anything awaits) and runs when the tickets before it are done. A chat hub takes one per
//! `send` frame so that a person's messages reach the log and every receiver in the order they
//! were sent, although the object starts the next frame while one awaits D1 or a room; a poker
//! table takes one per change, so that no action lands while a hand is being written to D1.

use std::{
    cell::{Cell, RefCell},
    collections::{BTreeMap, BTreeSet},
    future::poll_fn,
    task::{Poll, Waker},
};

#[derive(Default)]
pub struct Turns {
    next_ticket: Cell<u64>,
    serving: Cell<u64>,
    waiting: RefCell<BTreeMap<u64, Waker>>,
    /// Tickets dropped before their turn came: skipped when it does.
    abandoned: RefCell<BTreeSet<u64>>,
}

/// A ticket: its turn comes with `wait`, and ends (the next one's begins) when it is dropped.
pub struct Ticket<'a> {
    turns: &'a Turns,
    number: u64,
}

impl Turns {
    /// Takes the next ticket; call this before the first await of the work it orders.
    pub fn ticket(&self) -> Ticket<'_> {
        let number = self.next_ticket.get();
        self.next_ticket.set(number + 1);
        Ticket { turns: self, number }
    }

    fn serve_from(&self, mut next: u64) {
        while self.abandoned.borrow_mut().remove(&next) {
            next += 1;
        }
        self.serving.set(next);
        if let Some(waker) = self.waiting.borrow_mut().remove(&next) {
            waker.wake();
        }
    }
}

impl Ticket<'_> {
    /// Waits until every earlier ticket is done.
    pub async fn wait(&self) {
        poll_fn(|cx| {
            if self.turns.serving.get() == self.number {
                Poll::Ready(())
            } else {
                self.turns.waiting.borrow_mut().insert(self.number, cx.waker().clone());
                Poll::Pending
            }
        })
        .await
    }
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        if self.turns.serving.get() == self.number {
            self.turns.serve_from(self.number + 1);
        } else {
            self.turns.waiting.borrow_mut().remove(&self.number);
            self.turns.abandoned.borrow_mut().insert(self.number);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::{
        future::Future,
        pin::pin,
        task::{Context, Poll},
    };

    fn poll_once<F: Future>(future: std::pin::Pin<&mut F>) -> Poll<F::Output> {
        future.poll(&mut Context::from_waker(Waker::noop()))
    }

    #[test]
    fn tickets_are_served_in_the_order_they_were_taken() {
        let turns = Turns::default();
        let first = turns.ticket();
        let second = turns.ticket();
        let third = turns.ticket();
        assert!(poll_once(pin!(third.wait())).is_pending());
        assert!(poll_once(pin!(second.wait())).is_pending());
        assert!(poll_once(pin!(first.wait())).is_ready());
        drop(first);
        assert!(poll_once(pin!(third.wait())).is_pending());
        assert!(poll_once(pin!(second.wait())).is_ready());
        drop(second);
        assert!(poll_once(pin!(third.wait())).is_ready());
    }

    #[test]
    fn a_ticket_dropped_before_its_turn_is_skipped() {
        let turns = Turns::default();
        let first = turns.ticket();
        let second = turns.ticket();
        let third = turns.ticket();
        drop(second);
        drop(first);
        assert!(poll_once(pin!(third.wait())).is_ready());
    }
}
