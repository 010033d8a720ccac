//! Generated short codes, the seed's key-generation service at the edge. A Durable Object (the
//! seed's ZooKeeper) hands each isolate a range of counters; the isolate turns each counter into
//! a code with a keyed permutation (`shared::links::code`). Two isolates never hold the same
//! range, so creation never collides and never retries; D1's UNIQUE(domain, code) still guards.

use crate::{http::OrInternal, links::config};
use serde::{Deserialize, Serialize};
use shared::{links::code::code_for_counter, ApiError};
use std::cell::Cell;
use worker::{durable_object, DurableObject, Env, Request, Response, Result, State};

/// Counters per range: large enough that the Durable Object is asked rarely, small enough that
/// an isolate that dies wastes little of the 62^7 space.
const RANGE_SIZE: u64 = 1_000;

thread_local! {
    /// This isolate's current range `[next, end)`.
    static RANGE: Cell<(u64, u64)> = const { Cell::new((0, 0)) };
}

#[derive(Serialize, Deserialize)]
struct Range {
    start: u64,
    end: u64,
}

/// The next unused code.
pub async fn next_code(env: &Env) -> std::result::Result<String, ApiError> {
    let counter = match RANGE.with(take_one) {
        Some(counter) => counter,
        None => {
            let range = allocate(env).await?;
            // Another request of this isolate may have refilled meanwhile; ours wins, theirs
            // becomes a gap (never a duplicate).
            RANGE.with(|r| r.set((range.start + 1, range.end)));
            range.start
        }
    };
    Ok(code_for_counter(counter, &config::secret(env)?))
}

fn take_one(range: &Cell<(u64, u64)>) -> Option<u64> {
    let (next, end) = range.get();
    (next < end).then(|| {
        range.set((next + 1, end));
        next
    })
}

async fn allocate(env: &Env) -> std::result::Result<Range, ApiError> {
    let namespace = env.durable_object("LINK_CODES").internal("LINK_CODES binding")?;
    let stub = namespace.id_from_name("global").and_then(|id| id.get_stub()).internal("LINK_CODES stub")?;
    let mut response = stub
        .fetch_with_str(&format!("https://link-codes/allocate?count={RANGE_SIZE}"))
        .await
        .internal("allocating codes")?;
    response.json::<Range>().await.internal("allocating codes")
}

/// Hands out disjoint counter ranges. Durable Object requests run one at a time, so the
/// read-then-write below cannot interleave with another allocation.
#[durable_object]
pub struct LinkCodeAllocator {
    state: State,
}

impl DurableObject for LinkCodeAllocator {
    fn new(state: State, _env: Env) -> Self {
        Self { state }
    }

    async fn fetch(&self, req: Request) -> Result<Response> {
        let count = req
            .url()?
            .query_pairs()
            .find(|(k, _)| k == "count")
            .and_then(|(_, v)| v.parse::<u64>().ok())
            .filter(|n| (1..=100_000).contains(n))
            .unwrap_or(RANGE_SIZE);
        let storage = self.state.storage();
        let start: u64 = storage.get("next").await?.unwrap_or(0);
        let end = start + count;
        storage.put("next", end).await?;
        Response::from_json(&Range { start, end })
    }
}
