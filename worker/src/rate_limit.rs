//! Counting requests against a `shared::rate_limit::RateLimit` in D1: one atomic upsert per
//! request, so concurrent requests are counted exactly.

use crate::{d1::num, d1::prepare, d1::text, http::OrInternal};
use serde::Deserialize;
use shared::{
    rate_limit::{RateLimit, Standing},
    ApiError,
};
use worker::D1Database;

/// Counts one request in `bucket`; the standing after it, or the 429 when over the limit.
pub async fn hit(
    db: &D1Database,
    bucket: &str,
    policy: RateLimit,
    now_ms: i64,
) -> Result<Standing, ApiError> {
    #[derive(Deserialize)]
    struct Count {
        count: i64,
    }
    let window_start = policy.window_start(now_ms);
    let counted: Option<Count> = prepare(
        db,
        "INSERT INTO rate_limits (bucket, window_start, count) VALUES (?1, ?2, 1) \
         ON CONFLICT(bucket) DO UPDATE SET \
           count = CASE WHEN rate_limits.window_start = excluded.window_start THEN rate_limits.count + 1 ELSE 1 END, \
           window_start = excluded.window_start \
         RETURNING count",
        &[text(bucket), num(window_start)],
    )?
    .first(None)
    .await
    .internal("counting a rate limit")?;
    let count = counted.map_or(1, |c| u32::try_from(c.count).unwrap_or(u32::MAX));
    let standing = policy.standing(count, window_start, now_ms);
    if standing.allowed {
        Ok(standing)
    } else {
        Err(policy.exceeded(standing))
    }
}
