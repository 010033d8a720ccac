//! Smart routing at the edge: picks the processor for each payment from the merchant's recent
//! per-processor record (shared::pay::routing), falls back on retryable failures, and records
//! every hop in 5-minute buckets.

use super::runtime::Runtime;
use crate::{password::random, pay::store};
use shared::{
    pay::{
        routing::{
            bucket_start, order, score, simulate, unit, Bucket, Decision, Hop, RoutingConfig, Score, BUCKETS,
            BUCKET_MS,
        },
        RazorpayError,
    },
    ApiError,
};
use worker::D1Database;

/// The merchant's simulated processors (the defaults until it sets its own).
pub async fn config(db: &D1Database, merchant_id: &str) -> Result<RoutingConfig, ApiError> {
    let stored = store::routing::config(db, merchant_id).await?;
    Ok(stored.and_then(|json| serde_json::from_str(&json).ok()).unwrap_or_default())
}

/// Each of the merchant's processors that takes `method`, scored on its recent buckets.
pub async fn scores(
    db: &D1Database,
    merchant_id: &str,
    method: &str,
    config: &RoutingConfig,
    now_ms: i64,
) -> Result<Vec<Score>, ApiError> {
    let rows =
        store::routing::buckets(db, merchant_id, method, bucket_start(now_ms) - BUCKETS * BUCKET_MS).await?;
    Ok(config
        .processors
        .iter()
        .filter_map(|p| p.methods.get(method).map(|b| (p, b)))
        .map(|(p, behaviour)| {
            let buckets: Vec<Bucket> = rows
                .iter()
                .filter(|r| r.processor == p.id)
                .map(|r| Bucket {
                    start_ms: r.bucket_start,
                    attempts: r.attempts,
                    successes: r.successes,
                    latency_total_ms: r.latency_total_ms,
                })
                .collect();
            score(&p.id, &buckets, now_ms, behaviour.latency_ms)
        })
        .collect())
}

/// Routes one payment of `method`: tries processors best first until one gets it through.
pub async fn route(run_: &Runtime<'_>, merchant_id: &str, method: &str) -> Result<Decision, RazorpayError> {
    let db = run_.db()?;
    let config = config(&db, merchant_id).await?;
    let scores = scores(&db, merchant_id, method, &config, run_.now_ms).await?;
    let rolls = random::<32>()?;
    let roll = |i: usize| unit(rolls[i * 8..i * 8 + 8].try_into().unwrap_or([0; 8]));
    let (ranked, explored) = order(&scores, config.exploration, roll(0), roll(1));
    let mut hops = Vec::new();
    let mut carried = None;
    for (n, id) in ranked.iter().enumerate() {
        let Some(behaviour) =
            config.processors.iter().find(|p| &p.id == id).and_then(|p| p.methods.get(method))
        else {
            continue;
        };
        // Fresh randomness per hop beyond the first two.
        let hop_roll = match n {
            0 => roll(2),
            1 => roll(3),
            _ => unit(random::<8>()?),
        };
        let ok = simulate(behaviour, hop_roll);
        hops.push(Hop { processor: id.clone(), ok, latency_ms: behaviour.latency_ms });
        if ok {
            carried = Some(id.clone());
            break;
        }
    }
    store::routing::record_hops(&db, merchant_id, method, bucket_start(run_.now_ms), &hops).await?;
    Ok(Decision { method: method.to_owned(), scores, explored, hops, processor: carried })
}
