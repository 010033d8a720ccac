//! `/api/pay/routing`: the merchant's processors, their scores and recent decisions, and (in
//! test mode) how its simulated processors behave.

use crate::{
    auth::identity,
    http::{json, no_content, read_json, ApiResult, Cx, OrInternal},
    pay::{services, store},
};
use serde::Serialize;
use shared::{
    pay::routing::{RoutingConfig, Score},
    time::Timestamp,
};
use worker::Request;

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
    let me = identity::require(req, cx).await?;
    let db = cx.db()?;
    let config = services::routing::config(&db, &me.user.id).await?;
    let mut by_method = std::collections::BTreeMap::new();
    for method in ["card", "upi", "netbanking", "wallet"] {
        by_method.insert(
            method.to_owned(),
            services::routing::scores(&db, &me.user.id, method, &config, cx.now_ms).await?,
        );
    }
    let recent = store::payments::recent_routing(&db, &me.user.id).await?;
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
    let config = serde_json::to_string(&config).internal("routing")?;
    store::routing::set_config(&cx.db()?, &me.user.id, &config, cx.now_ms).await?;
    no_content()
}

/// Back to the default processors.
#[utoipa::path(delete, path = "/api/pay/routing", tag = "pay", security(("session" = []), ("api_key" = [])),
    responses((status = 204), (status = 401, body = shared::error::ErrorEnvelope)))]
pub async fn reset(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?;
    store::routing::reset_config(&cx.db()?, &me.user.id).await?;
    no_content()
}
