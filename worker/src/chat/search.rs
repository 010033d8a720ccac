//! `GET /api/chat/search?q=`: the caller's messages that contain every word (as a word or the
//! start of one), newest first, across their conversations (those not end-to-end encrypted;
//! encrypted ones are searched in the browser). A result names the conversation and the seq,
//! which opens the conversation at that message.

use crate::{
    auth::identity,
    chat::store::search as store,
    http::{json, query_pairs, ApiResult, Cx},
};
use shared::{
    chat::{
        rest::{SearchHit, SearchResults},
        search::{fts_query, result_limit},
    },
    error::ErrorEnvelope,
    time::Timestamp,
};
use worker::Request;

#[utoipa::path(get, path = "/api/chat/search", tag = "chat",
    params(("q" = String, Query), ("limit" = Option<u64>, Query, description = "1–50, default 20")),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = SearchResults), (status = 401, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn search(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let query = query_pairs(req);
    let param = |name: &str| query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let fts = fts_query(param("q").unwrap_or_default())?;
    let limit = result_limit(param("limit"))?;
    let hits = store::search(&cx.db()?, &me.id, &fts, limit).await?;
    let items = hits
        .into_iter()
        .map(|hit| SearchHit {
            conversation: hit.conversation_id,
            seq: u64::try_from(hit.seq).unwrap_or(0),
            sender: hit.sender,
            sent_at: Timestamp(hit.sent_at).to_rfc3339(),
            body: hit.body,
        })
        .collect();
    json(200, &SearchResults { items })
}
