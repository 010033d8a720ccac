//! Concurrent requests of one kind answered by one D1 round trip (`shared::coalesce` keeps the
//! books): a hot path then costs one round trip per batch of requests instead of one per
//! request. A read is as fresh as a query of its own (nothing is cached); a write is answered
//! once its batch has committed, as a database's group commit does.
//!
//! How the requests meet, within one isolate:
//! - Each waiting request sleeps on a JavaScript promise made in its own request. The driver
//!   resolves it; workerd runs what follows in the waiting request itself
//!   (`handle_cross_request_promise_resolution`), so no request does I/O for another.
//! - The driver sends its queries (its own request's first) in its request's `wait_until`: they
//!   finish even if its client goes away, and it stops after `DRIVE_MS` or `BATCHES_PER_DRIVE`,
//!   well within one request's limits. Those still waiting then arrive again, and one drives.
//! - A driver whose query never answers is replaced after `LOST_AFTER_MS`, and a request that
//!   has waited `WAIT_MS` withdraws and asks on its own (a write's `Fetch` must be idempotent: a
//!   batch already sent with it may still store it).

use crate::platform::{now_ms, within};
use shared::{
    coalesce::{Arrival, Coalesce},
    ApiError,
};
use std::{cell::RefCell, future::Future, pin::Pin, rc::Rc};
use wasm_bindgen_futures::JsFuture;
use worker::{Context, D1Database};

/// How long one request's `wait_until` drives queries before handing over, and at most how many
/// it sends (each is a subrequest of that request).
const DRIVE_MS: i64 = 2_000;
const BATCHES_PER_DRIVE: usize = 20;
/// How long a driver may go without coming back for a batch before it is presumed lost: less
/// than `WAIT_MS`, so that those arriving after a lost driver do not all wait out their timers.
const LOST_AFTER_MS: i64 = 3_000;
/// How long a request waits for its batch before it asks on its own.
const WAIT_MS: u64 = 5_000;

/// The round trip of a batch: every row for these keys (in any order, possibly more).
pub type Fetch<K, V> = fn(Rc<D1Database>, Vec<K>) -> Pin<Box<dyn Future<Output = Result<Vec<V>, ApiError>>>>;

/// Requests of one kind in this isolate: keys `K` answered by rows `V`.
pub struct Coalesced<K, V> {
    reads: RefCell<Coalesce<K, Rc<Reader<V>>>>,
    fetch: Fetch<K, V>,
    /// Whether a row answers a key (the key carries everything the read may see: a row of the
    /// same id but someone else's is no answer).
    answers: fn(&V, &K) -> bool,
}

/// A waiting request: its answer once there is one, and how to wake it.
struct Reader<V> {
    answer: RefCell<Option<Answer<V>>>,
    wake: RefCell<Option<js_sys::Function>>,
}

enum Answer<V> {
    Found(Result<Option<V>, ApiError>),
    /// Its driver handed over: arrive again.
    ArriveAgain,
}

impl<V> Reader<V> {
    fn new() -> Rc<Self> {
        Rc::new(Self { answer: RefCell::new(None), wake: RefCell::new(None) })
    }

    /// The promise it sleeps on, made in its own request.
    fn sleep(&self) -> js_sys::Promise {
        js_sys::Promise::new(&mut |resolve, _reject| {
            *self.wake.borrow_mut() = Some(resolve);
        })
    }

    fn tell(&self, answer: Answer<V>) {
        *self.answer.borrow_mut() = Some(answer);
        if let Some(wake) = self.wake.borrow_mut().take() {
            // A reader whose request is gone is simply never run again.
            let _ = wake.call0(&wasm_bindgen::JsValue::UNDEFINED);
        }
    }

    fn take_found(&self) -> Option<Result<Option<V>, ApiError>> {
        match self.answer.borrow_mut().take() {
            Some(Answer::Found(found)) => Some(found),
            Some(Answer::ArriveAgain) | None => None,
        }
    }
}

impl<K: PartialEq + Clone + 'static, V: Clone + 'static> Coalesced<K, V> {
    /// At most `max_keys` keys per round trip (D1 binds at most 100 values per statement).
    pub fn new(max_keys: usize, fetch: Fetch<K, V>, answers: fn(&V, &K) -> bool) -> Self {
        Self { reads: RefCell::new(Coalesce::new(max_keys, LOST_AFTER_MS)), fetch, answers }
    }

    /// The row for `key`, asked for together with this isolate's concurrent requests.
    pub async fn run(self: Rc<Self>, ctx: &Context, db: D1Database, key: K) -> Result<Option<V>, ApiError> {
        let db = Rc::new(db);
        loop {
            let reader = Reader::new();
            let woken = reader.sleep();
            let arrival = self.reads.borrow_mut().arrive(key.clone(), reader.clone(), now_ms());
            if let Arrival::Drive(number) = arrival {
                // Its queries (its own key is in the first) go from its `wait_until`, so they
                // finish even if its client goes away meanwhile.
                ctx.wait_until(self.clone().drive(number, db.clone()));
            }
            // Resolved, never rejected: a failed query is an answer. The timer also keeps this
            // request visibly waiting on something of its own: workerd cancels a request that
            // waits only on other requests as hung.
            if within(WAIT_MS, JsFuture::from(woken)).await.is_none() {
                // Withdrawn first, so that no later batch stores or reads it for nobody.
                self.reads.borrow_mut().withdraw(|waiting| Rc::ptr_eq(waiting, &reader));
                let rows = (self.fetch)(db.clone(), vec![key.clone()]).await?;
                return Ok(rows.into_iter().find(|row| (self.answers)(row, &key)));
            }
            if let Some(found) = reader.take_found() {
                return found;
            }
            // Its driver handed over: arrive again.
        }
    }

    /// Driver `number` sends queries for whoever waits until nobody does; after `DRIVE_MS` or
    /// `BATCHES_PER_DRIVE` queries (one request's limits), it hands over.
    async fn drive(self: Rc<Self>, number: u64, db: Rc<D1Database>) {
        let started = now_ms();
        for _ in 0..BATCHES_PER_DRIVE {
            let now = now_ms();
            if now - started >= DRIVE_MS {
                break;
            }
            let Some(batch) = self.reads.borrow_mut().next(number, now) else { return };
            let rows = (self.fetch)(db.clone(), batch.keys).await;
            for (key, reader) in batch.readers {
                let found = match &rows {
                    Ok(rows) => Ok(rows.iter().find(|row| (self.answers)(row, &key)).cloned()),
                    Err(err) => Err(err.clone()),
                };
                reader.tell(Answer::Found(found));
            }
        }
        let waiting = self.reads.borrow_mut().hand_over(number);
        waiting.into_iter().for_each(|(_, reader)| reader.tell(Answer::ArriveAgain));
    }
}

/// `?1, ?2, …` for `count` bound values.
pub fn placeholders(count: usize) -> String {
    (1..=count).map(|n| format!("?{n}")).collect::<Vec<_>>().join(", ")
}
