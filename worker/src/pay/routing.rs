//! Smart routing at the edge: picks the processor for each payment from the merchant's recent
//! per-processor record (shared::pay::routing), falls back on retryable failures, records every
//! hop in 5-minute buckets, and shows the scores and decisions at `/api/pay/routing`, where a
//! merchant in test mode can also set how its simulated processors behave.

use crate::{
    auth::identity,
    d1::{all, first, num, prepare, run, text},
    http::{json, no_content, read_json, ApiResult, Cx, OrInternal},
    password::random,
    pay::runtime::Runtime,
};
use serde::{Deserialize, Serialize};
use shared::{
    pay::{
        routing::{
            bucket_start, order, score, simulate, unit, Bucket, Decision, Hop, RoutingConfig, Score, BUCKETS,
            BUCKET_MS,
        },
        RazorpayError,
    },
    time::Timestamp,
    ApiError,
};
use worker::{D1Database, Request};

/// The merchant's simulated processors (the defaults until it sets its own).
pub async fn config(db: &D1Database, merchant_id: &str) -> Result<RoutingConfig, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        config: String,
    }
    let row: Option<Row> =
        first(db, "SELECT config FROM pay_routing_configs WHERE merchant_id = ?1", &[text(merchant_id)])
            .await?;
    Ok(row.and_then(|r| serde_json::from_str(&r.config).ok()).unwrap_or_default())
}

#[derive(Deserialize)]
struct BucketRow {
    processor: String,
    bucket_start: i64,
    attempts: i64,
    successes: i64,
    latency_total_ms: i64,
}

async fn scores(
    db: &D1Database,
    merchant_id: &str,
    method: &str,
    config: &RoutingConfig,
    now_ms: i64,
) -> Result<Vec<Score>, ApiError> {
    let rows: Vec<BucketRow> = all(
        db,
        "SELECT processor, bucket_start, attempts, successes, latency_total_ms FROM pay_processor_stats \
         WHERE merchant_id = ?1 AND method = ?2 AND bucket_start > ?3",
        &[text(merchant_id), text(method), num(bucket_start(now_ms) - BUCKETS * BUCKET_MS)],
    )
    .await?;
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
        let hop_roll = if n == 0 {
            roll(2)
        } else if n == 1 {
            roll(3)
        } else {
            unit(random::<8>()?)
        };
        let ok = simulate(behaviour, hop_roll);
        hops.push(Hop { processor: id.clone(), ok, latency_ms: behaviour.latency_ms });
        if ok {
            carried = Some(id.clone());
            break;
        }
    }
    let bucket = bucket_start(run_.now_ms);
    let statements = hops
        .iter()
        .map(|hop| {
            prepare(
                &db,
                "INSERT INTO pay_processor_stats (merchant_id, processor, method, bucket_start, attempts, successes, latency_total_ms) \
                 VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6) ON CONFLICT (merchant_id, method, processor, bucket_start) DO UPDATE SET \
                 attempts = attempts + 1, successes = successes + excluded.successes, \
                 latency_total_ms = latency_total_ms + excluded.latency_total_ms",
                &[
                    text(merchant_id),
                    text(&hop.processor),
                    text(method),
                    num(bucket),
                    num(i64::from(hop.ok)),
                    num(i64::from(hop.latency_ms)),
                ],
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    if !statements.is_empty() {
        db.batch(statements).await.internal("routing stats")?;
    }
    Ok(Decision { method: method.to_owned(), scores, explored, hops, processor: carried })
}

/// What `/api/pay/routing` shows.
#[derive(Serialize)]
struct RoutingView {
    config: RoutingConfig,
    /// By method: each processor's current score.
    scores: std::collections::BTreeMap<String, Vec<Score>>,
    /// The newest 20 decisions.
    recent: Vec<RecentDecision>,
}

#[derive(Serialize)]
struct RecentDecision {
    payment_id: String,
    created_at: Timestamp,
    decision: serde_json::Value,
}

/// The merchant's routing: its processors, their scores and recent decisions.
#[utoipa::path(get, path = "/api/pay/routing", tag = "pay", security(("session" = []), ("api_key" = [])),
    responses((status = 200, description = "{config, scores: {method: [Score]}, recent: [{payment_id, created_at, decision}]}"),
              (status = 401, body = shared::error::ErrorEnvelope)))]
pub async fn view(req: &mut Request, cx: &Cx) -> ApiResult {
    #[derive(Deserialize)]
    struct Recent {
        id: String,
        created_at: i64,
        routing: String,
    }
    let me = identity::require(req, cx).await?;
    let db = cx.db()?;
    let config = config(&db, &me.user.id).await?;
    let mut by_method = std::collections::BTreeMap::new();
    for method in ["card", "upi", "netbanking", "wallet"] {
        by_method.insert(method.to_owned(), scores(&db, &me.user.id, method, &config, cx.now_ms).await?);
    }
    let recent: Vec<Recent> = all(
        &db,
        "SELECT id, created_at, routing FROM pay_payments WHERE merchant_id = ?1 AND routing IS NOT NULL \
         ORDER BY created_at DESC, id DESC LIMIT 20",
        &[text(&me.user.id)],
    )
    .await?;
    json(
        200,
        &RoutingView {
            config,
            scores: by_method,
            recent: recent
                .into_iter()
                .map(|r| RecentDecision {
                    payment_id: r.id,
                    created_at: Timestamp(r.created_at),
                    decision: serde_json::from_str(&r.routing).unwrap_or_default(),
                })
                .collect(),
        },
    )
}

/// Sets how the merchant's simulated processors behave (test mode).
#[utoipa::path(put, path = "/api/pay/routing", tag = "pay", security(("session" = []), ("api_key" = [])), request_body = RoutingConfig,
    responses((status = 204), (status = 401, body = shared::error::ErrorEnvelope), (status = 422, body = shared::error::ErrorEnvelope)))]
pub async fn set(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?;
    let config: RoutingConfig = read_json(req).await?;
    config.validate()?;
    run(
        &cx.db()?,
        "INSERT INTO pay_routing_configs (merchant_id, config, updated_at) VALUES (?1, ?2, ?3) \
         ON CONFLICT (merchant_id) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at",
        &[text(&me.user.id), text(&serde_json::to_string(&config).internal("routing")?), num(cx.now_ms)],
    )
    .await?;
    no_content()
}

/// Back to the default processors.
#[utoipa::path(delete, path = "/api/pay/routing", tag = "pay", security(("session" = []), ("api_key" = [])),
    responses((status = 204), (status = 401, body = shared::error::ErrorEnvelope)))]
pub async fn reset(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?;
    run(&cx.db()?, "DELETE FROM pay_routing_configs WHERE merchant_id = ?1", &[text(&me.user.id)]).await?;
    no_content()
}
