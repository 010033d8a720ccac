//! D1 storage of links and the KV cache the redirect path reads first; clicks and custom
//! domains in `store/`. Links' SQL lives here and in `migrations/`, nowhere else.

pub mod clicks;
pub mod domains;

use crate::{
    d1::{all, first, is_unique_violation, num, opt_num, opt_text, prepare, run, text},
    http::{internal, OrInternal},
};
use serde::{Deserialize, Serialize};
use shared::{ttl_cache::TtlCache, ApiError, ErrorCode};
use std::cell::RefCell;
use worker::{kv::KvStore, D1Database};

/// A row of `links`, with its click count when read for its owner.
#[derive(Debug, Clone, Deserialize)]
pub struct LinkRow {
    pub id: String,
    pub domain: String,
    pub code: String,
    pub url: String,
    pub user_id: Option<String>,
    pub is_alias: i64,
    pub redirect_type: i64,
    pub password_hash: Option<String>,
    pub expires_at: Option<i64>,
    pub tags: String,
    pub created_at: i64,
    pub updated_at: i64,
    #[serde(default)]
    pub clicks: i64,
}

impl LinkRow {
    pub fn tag_list(&self) -> Vec<String> {
        serde_json::from_str(&self.tags).unwrap_or_default()
    }
}

const COLUMNS: &str =
    "id, domain, code, url, user_id, is_alias, redirect_type, password_hash, expires_at, tags, \
                       created_at, updated_at";
const COLUMNS_WITH_CLICKS: &str = "id, domain, code, url, user_id, is_alias, redirect_type, password_hash, \
     expires_at, tags, created_at, updated_at, \
     (SELECT COUNT(*) FROM links_clicks c WHERE c.link_id = links.id) AS clicks";

pub fn alias_taken() -> ApiError {
    ApiError {
        field: Some("alias".into()),
        ..ApiError::new(ErrorCode::AliasTaken, "This alias is taken on this domain.")
    }
}

pub async fn insert(db: &D1Database, link: &LinkRow) -> Result<(), ApiError> {
    let statement = prepare(
        db,
        "INSERT INTO links (id, domain, code, url, user_id, is_alias, redirect_type, password_hash, expires_at, tags, \
         created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
        &[
            text(&link.id),
            text(&link.domain),
            text(&link.code),
            text(&link.url),
            opt_text(link.user_id.as_deref()),
            num(link.is_alias),
            num(link.redirect_type),
            opt_text(link.password_hash.as_deref()),
            opt_num(link.expires_at),
            text(&link.tags),
            num(link.created_at),
        ],
    )?;
    statement.run().await.map(drop).map_err(|e| {
        if is_unique_violation(&e, "links.domain, links.code") {
            alias_taken()
        } else {
            internal("inserting a link", e)
        }
    })
}

/// A link the same owner (or, for `None`, anyone anonymous) already made for this URL on this
/// domain, that is still plain: no password, no expiry, a generated code.
pub async fn reusable(
    db: &D1Database,
    user_id: Option<&str>,
    domain: &str,
    url: &str,
) -> Result<Option<LinkRow>, ApiError> {
    let sql = format!(
        "SELECT {COLUMNS_WITH_CLICKS} FROM links WHERE user_id IS ?1 AND domain = ?2 AND url = ?3 \
         AND password_hash IS NULL AND expires_at IS NULL AND is_alias = 0 ORDER BY id DESC LIMIT 1"
    );
    first(db, &sql, &[opt_text(user_id), text(domain), text(url)]).await
}

pub async fn by_code(db: &D1Database, domain: &str, code: &str) -> Result<Option<LinkRow>, ApiError> {
    first(
        db,
        &format!("SELECT {COLUMNS} FROM links WHERE domain = ?1 AND code = ?2"),
        &[text(domain), text(code)],
    )
    .await
}

/// The owner's link, or `None` (also when it belongs to someone else: they see a 404).
pub async fn owned(
    db: &D1Database,
    user_id: &str,
    domain: &str,
    code: &str,
) -> Result<Option<LinkRow>, ApiError> {
    let sql =
        format!("SELECT {COLUMNS_WITH_CLICKS} FROM links WHERE user_id = ?1 AND domain = ?2 AND code = ?3");
    first(db, &sql, &[text(user_id), text(domain), text(code)]).await
}

/// What a list asks for.
pub struct ListQuery<'a> {
    pub user_id: &'a str,
    /// Only links older than this ID (the cursor).
    pub before_id: Option<&'a str>,
    /// Substring of the URL or the code.
    pub search: Option<&'a str>,
    pub tag: Option<&'a str>,
    pub limit: u32,
}

/// The owner's links, newest first, keyset-paged by ID (IDs sort by creation time).
pub async fn list(db: &D1Database, query: &ListQuery<'_>) -> Result<Vec<LinkRow>, ApiError> {
    let pattern = query.search.map(|s| format!("%{}%", escape_like(s)));
    let sql = format!(
        "SELECT {COLUMNS_WITH_CLICKS} FROM links WHERE user_id = ?1 \
         AND (?2 IS NULL OR id < ?2) \
         AND (?3 IS NULL OR url LIKE ?3 ESCAPE '\\' OR code LIKE ?3 ESCAPE '\\') \
         AND (?4 IS NULL OR EXISTS (SELECT 1 FROM json_each(links.tags) WHERE json_each.value = ?4)) \
         ORDER BY id DESC LIMIT ?5"
    );
    all(
        db,
        &sql,
        &[
            text(query.user_id),
            opt_text(query.before_id),
            opt_text(pattern.as_deref()),
            opt_text(query.tag),
            num(i64::from(query.limit)),
        ],
    )
    .await
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// Writes every editable field of `link` back.
pub async fn update(db: &D1Database, link: &LinkRow) -> Result<(), ApiError> {
    run(
        db,
        "UPDATE links SET url = ?2, redirect_type = ?3, password_hash = ?4, expires_at = ?5, tags = ?6, updated_at = ?7 \
         WHERE id = ?1",
        &[
            text(&link.id),
            text(&link.url),
            num(link.redirect_type),
            opt_text(link.password_hash.as_deref()),
            opt_num(link.expires_at),
            text(&link.tags),
            num(link.updated_at),
        ],
    )
    .await
    .map(drop)
}

/// Deletes the link and its clicks in one batch (not relying on the foreign key's cascade,
/// which depends on `PRAGMA foreign_keys`).
pub async fn delete(db: &D1Database, id: &str) -> Result<(), ApiError> {
    let clicks = prepare(db, "DELETE FROM links_clicks WHERE link_id = ?1", &[text(id)])?;
    let link = prepare(db, "DELETE FROM links WHERE id = ?1", &[text(id)])?;
    db.batch(vec![clicks, link]).await.map(drop).internal("deleting a link")
}

/// Deletes `user_id`'s links (and their clicks) with generated codes to URLs starting with
/// `url_prefix`: the links to its own pages that an interrupted demo seeding made.
pub async fn delete_own_pages(db: &D1Database, user_id: &str, url_prefix: &str) -> Result<(), ApiError> {
    let which =
        "SELECT id FROM links WHERE user_id = ?1 AND is_alias = 0 AND substr(url, 1, length(?2)) = ?2";
    let args = [text(user_id), text(url_prefix)];
    let clicks = prepare(db, &format!("DELETE FROM links_clicks WHERE link_id IN ({which})"), &args)?;
    let links = prepare(db, &format!("DELETE FROM links WHERE id IN ({which})"), &args)?;
    db.batch(vec![clicks, links]).await.map(drop).internal("deleting own-page links")
}

// --- the KV cache of the redirect path ---

/// What a redirect needs, cached in KV under `link:{domain}:{code}`. The password hash stays
/// in D1; the cache only says a password is needed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CachedLink {
    pub id: String,
    pub url: String,
    pub redirect_type: u16,
    pub expires_at: Option<i64>,
    pub protected: bool,
}

impl From<&LinkRow> for CachedLink {
    fn from(row: &LinkRow) -> Self {
        Self {
            id: row.id.clone(),
            url: row.url.clone(),
            redirect_type: u16::try_from(row.redirect_type).unwrap_or(302),
            expires_at: row.expires_at,
            protected: row.password_hash.is_some(),
        }
    }
}

/// Cached entries live a day at most (KV's minimum is a minute), and never past the link's expiry.
const CACHE_TTL_SECS: u64 = 86_400;

fn cache_key(domain: &str, code: &str) -> String {
    format!("link:{domain}:{code}")
}

/// How many links an isolate keeps in memory, and for how long it trusts them: under KV's own
/// propagation (about 60 s), so an edit or a deletion made through another isolate is seen here
/// no later than through KV; one made through this isolate is seen at once (`cache_purge`).
const ISOLATE_CACHE_SIZE: usize = 4_096;
const ISOLATE_CACHE_MS: i64 = 30_000;

thread_local! {
    static ISOLATE_CACHE: RefCell<TtlCache<(String, String), CachedLink>> =
        RefCell::new(TtlCache::new(ISOLATE_CACHE_SIZE, ISOLATE_CACHE_MS));
}

/// The link this isolate resolved for `domain`/`code` less than half a minute ago.
pub fn isolate_get(domain: &str, code: &str, now_ms: i64) -> Option<CachedLink> {
    let key = (domain.to_owned(), code.to_owned());
    ISOLATE_CACHE.with(|cache| cache.borrow_mut().get(&key, now_ms).cloned())
}

pub fn isolate_put(domain: &str, code: &str, link: &CachedLink, now_ms: i64) {
    let key = (domain.to_owned(), code.to_owned());
    ISOLATE_CACHE.with(|cache| cache.borrow_mut().insert(key, link.clone(), now_ms));
}

pub async fn cache_get(kv: &KvStore, domain: &str, code: &str) -> Option<CachedLink> {
    kv.get(&cache_key(domain, code)).json::<CachedLink>().await.ok().flatten()
}

/// Best effort: a failed cache write only costs the next request a D1 read.
pub async fn cache_put(kv: &KvStore, domain: &str, code: &str, link: &CachedLink, now_ms: i64) {
    let ttl = link.expires_at.map_or(CACHE_TTL_SECS, |t| {
        let left = u64::try_from((t - now_ms) / 1000).unwrap_or(0);
        left.clamp(60, CACHE_TTL_SECS)
    });
    if let Ok(put) = kv.put(&cache_key(domain, code), link) {
        let _ = put.expiration_ttl(ttl).execute().await;
    }
}

/// Forgets the link in this isolate and in KV.
pub async fn cache_purge(kv: &KvStore, domain: &str, code: &str) -> Result<(), ApiError> {
    let key = (domain.to_owned(), code.to_owned());
    ISOLATE_CACHE.with(|cache| cache.borrow_mut().remove(&key));
    kv.delete(&cache_key(domain, code)).await.internal("purging the link cache")
}
