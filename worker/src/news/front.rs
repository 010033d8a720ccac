//! The ranked lists (front page, Ask, Show), cached in KV: a list is ranked from D1 at most
//! once a minute (ranks decay with age, so a minute-old order is still the right one to within
//! a vote), and any write that can move it (a story, a comment, a vote, a flag, a moderator's
//! action) drops the cached lists, so the next reader sees the change. New and Best are one
//! indexed query each and are not cached.

use crate::{
    http::Cx,
    news::{
        api::LIST_DEPTH,
        store::{self, Listing},
    },
};
use serde::{Deserialize, Serialize};
use shared::{
    news::{ranking::by_rank, submission::StoryKind},
    ApiError,
};
use worker::D1Database;

/// How long a ranked list is served from KV without a change.
const FRESH_MS: i64 = 60_000;
/// KV keeps a list a little longer than it is fresh (KV's shortest time to live is 60 s).
const KV_TTL_SECS: u64 = 120;

#[derive(Serialize, Deserialize)]
struct CachedList {
    ranked_at_ms: i64,
    ids: Vec<i64>,
}

const RANKED: [Option<StoryKind>; 3] = [None, Some(StoryKind::Ask), Some(StoryKind::Show)];

fn key(kind: Option<StoryKind>) -> String {
    format!("news:ranked:{}", kind.map_or("front", StoryKind::as_str))
}

/// The ids of a list, in order, up to `LIST_DEPTH`.
pub async fn ids(cx: &Cx, db: &D1Database, listing: Listing) -> Result<Vec<i64>, ApiError> {
    let depth = i64::try_from(LIST_DEPTH).unwrap_or(500);
    let Listing::Ranked(kind) = listing else {
        return Ok(store::candidates(db, listing, depth, cx.now_ms)
            .await?
            .into_iter()
            .map(|r| r.id)
            .collect());
    };
    let kv = cx.env.kv("KV").ok();
    if let Some(kv) = &kv {
        if let Ok(Some(cached)) = kv.get(&key(kind)).json::<CachedList>().await {
            if cx.now_ms - cached.ranked_at_ms < FRESH_MS {
                return Ok(cached.ids);
            }
        }
    }
    let candidates = store::candidates(db, listing, store::RANK_CANDIDATES, cx.now_ms).await?;
    let rankable: Vec<(i64, _)> = candidates.iter().map(|row| (row.id, row.rankable())).collect();
    let mut ids = by_rank(&rankable, cx.now_ms);
    ids.truncate(LIST_DEPTH);
    if let Some(kv) = &kv {
        // Best effort: a failed write costs the next reader a ranking.
        if let Ok(put) = kv.put(&key(kind), CachedList { ranked_at_ms: cx.now_ms, ids: ids.clone() }) {
            let _ = put.expiration_ttl(KV_TTL_SECS).execute().await;
        }
    }
    Ok(ids)
}

/// Something that can move the ranked lists changed: drop them from KV.
pub async fn changed(cx: &Cx) {
    let Ok(kv) = cx.env.kv("KV") else { return };
    for kind in RANKED {
        let _ = kv.delete(&key(kind)).await;
    }
}
