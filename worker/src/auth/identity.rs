//! Who is asking: a session cookie (people in the browser) or an API key (programs).

use crate::{
    auth::store::{self, UserRow},
    http::{header, Cx},
};
use shared::{
    auth::{cookie, token},
    ApiError, ErrorCode,
};
use worker::Request;

/// How the caller proved who they are.
pub enum Credential {
    Session { token_hash: String },
    ApiKey { key_id: String },
}

pub struct Identity {
    pub user: UserRow,
    pub credential: Credential,
}

impl Identity {
    pub fn session_hash(&self) -> Option<&str> {
        match &self.credential {
            Credential::Session { token_hash } => Some(token_hash),
            Credential::ApiKey { .. } => None,
        }
    }
}

/// A key's `last_used_at` is written at most this often, to keep reads cheap.
const KEY_TOUCH_INTERVAL_MS: i64 = 60_000;

/// The caller, or 401. An `Authorization` header wins over a cookie; a bad key is a 401 even
/// if a good cookie came along, so a program never silently acts as whoever is signed in.
impl Credential {
    /// A short form to keep with something that outlives the request (a chat socket), so that
    /// it can be checked again later: `session:<token hash>` or `key:<key id>`.
    pub fn to_tag(&self) -> String {
        match self {
            Credential::Session { token_hash } => format!("session:{token_hash}"),
            Credential::ApiKey { key_id } => format!("key:{key_id}"),
        }
    }
}

/// Whether the credential of `tag` (from [`Credential::to_tag`]) still signs in `user_id`: the
/// session has not ended, the key is not revoked.
pub async fn still_signs_in(
    db: &worker::D1Database,
    tag: &str,
    user_id: &str,
    now_ms: i64,
) -> Result<bool, ApiError> {
    if let Some(token_hash) = tag.strip_prefix("session:") {
        return Ok(store::user_by_session(db, token_hash, now_ms).await?.is_some_and(|u| u.id == user_id));
    }
    if let Some(key_id) = tag.strip_prefix("key:") {
        return store::key_of_user_exists(db, key_id, user_id).await;
    }
    Ok(false)
}

pub async fn require(req: &Request, cx: &Cx) -> Result<Identity, ApiError> {
    let db = cx.db()?;
    if let Some(authorization) = header(req, "Authorization") {
        let key = token::bearer_token(&authorization).filter(|k| token::looks_like_api_key(k)).ok_or_else(
            || {
                ApiError::new(
                    ErrorCode::Unauthenticated,
                    "The Authorization header must be `Bearer dzk_…` with an API key.",
                )
            },
        )?;
        let revoked =
            || ApiError::new(ErrorCode::Unauthenticated, "This API key is not valid (revoked or mistyped).");
        let row = store::key_by_hash(&db, &token::hash_secret(key)).await?.ok_or_else(revoked)?;
        let user = store::user_by_id(&db, &row.user_id).await?.ok_or_else(revoked)?;
        if row.last_used_at.is_none_or(|t| cx.now_ms - t > KEY_TOUCH_INTERVAL_MS) {
            store::touch_key(&db, &row.id, cx.now_ms).await?;
        }
        return Ok(Identity { user, credential: Credential::ApiKey { key_id: row.id } });
    }
    let token = header(req, "Cookie")
        .and_then(|c| cookie::find_cookie(&c, cookie::SESSION_COOKIE).map(str::to_owned))
        .ok_or_else(ApiError::unauthenticated)?;
    let token_hash = token::hash_secret(&token);
    let user = store::user_by_session(&db, &token_hash, cx.now_ms)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::Unauthenticated, "Your session has ended. Sign in again."))?;
    Ok(Identity { user, credential: Credential::Session { token_hash } })
}

/// The caller if they presented credentials, `None` when they presented none. A bad API key is
/// still a 401 (a program must learn its key is wrong); a stale cookie just means "signed out".
pub async fn optional(req: &Request, cx: &Cx) -> Result<Option<Identity>, ApiError> {
    match require(req, cx).await {
        Ok(identity) => Ok(Some(identity)),
        Err(_) if header(req, "Authorization").is_none() => Ok(None),
        Err(err) => Err(err),
    }
}
