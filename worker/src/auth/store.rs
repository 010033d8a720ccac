//! D1 storage for accounts, sessions, API keys and failed sign-ins. SQL lives here and in
//! `migrations/`, nowhere else.

use crate::{
    d1::{all, count, first, is_unique_violation, num, opt_text, prepare, run, text as str},
    http::{internal, OrInternal},
};
use serde::Deserialize;
use shared::{
    auth::{throttle::FailureRecord, wire::LoginName},
    ApiError, ErrorCode,
};
use worker::{D1Database, D1PreparedStatement};

/// A row of `auth_users`.
#[derive(Debug, Clone, Deserialize)]
pub struct UserRow {
    pub id: String,
    pub username: String,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub created_at: i64,
}

/// A row of `auth_api_keys` (never the key).
#[derive(Debug, Clone, Deserialize)]
pub struct ApiKeyRow {
    pub id: String,
    pub user_id: String,
    pub label: String,
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

const USER_COLUMNS: &str = "id, username, email, display_name, password_hash, created_at";

pub fn username_taken() -> ApiError {
    ApiError {
        field: Some("username".into()),
        ..ApiError::new(ErrorCode::UsernameTaken, "This username is taken.")
    }
}

pub fn email_taken() -> ApiError {
    ApiError {
        field: Some("email".into()),
        ..ApiError::new(ErrorCode::EmailTaken, "An account with this email already exists.")
    }
}

/// Maps a unique-constraint failure on the users table (two sign-ups racing) to the right 409.
fn taken_or_internal(context: &str, err: worker::Error) -> ApiError {
    if is_unique_violation(&err, "auth_users.username") {
        username_taken()
    } else if is_unique_violation(&err, "auth_users.email") {
        email_taken()
    } else {
        internal(context, err)
    }
}

pub async fn user_by_login(db: &D1Database, login: &LoginName) -> Result<Option<UserRow>, ApiError> {
    let (column, value) = match login {
        LoginName::Username(name) => ("username", name),
        LoginName::Email(email) => ("email", email),
    };
    first(db, &format!("SELECT {USER_COLUMNS} FROM auth_users WHERE {column} = ?1"), &[str(value)]).await
}

pub async fn user_by_id(db: &D1Database, id: &str) -> Result<Option<UserRow>, ApiError> {
    first(db, &format!("SELECT {USER_COLUMNS} FROM auth_users WHERE id = ?1"), &[str(id)]).await
}

/// Which of username and email already belong to someone (checked first so the answer can
/// name the field; the UNIQUE constraints still decide races).
pub async fn taken(db: &D1Database, username: &str, email: &str) -> Result<Option<ApiError>, ApiError> {
    #[derive(Deserialize)]
    struct Taken {
        username: i64,
        email: i64,
    }
    let row: Option<Taken> = first(
        db,
        "SELECT EXISTS(SELECT 1 FROM auth_users WHERE username = ?1) AS username, \
                EXISTS(SELECT 1 FROM auth_users WHERE email = ?2) AS email",
        &[str(username), str(email)],
    )
    .await?;
    Ok(row.and_then(|t| match (t.username != 0, t.email != 0) {
        (true, _) => Some(username_taken()),
        (false, true) => Some(email_taken()),
        (false, false) => None,
    }))
}

fn insert_user_statement(db: &D1Database, user: &UserRow) -> Result<D1PreparedStatement, ApiError> {
    prepare(
        db,
        "INSERT INTO auth_users (id, username, email, display_name, password_hash, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        &[
            str(&user.id),
            str(&user.username),
            str(&user.email),
            str(&user.display_name),
            str(&user.password_hash),
            num(user.created_at),
        ],
    )
}

/// Creates a user without signing it in (the demo account).
pub async fn insert_user(db: &D1Database, user: &UserRow) -> Result<(), ApiError> {
    insert_user_statement(db, user)?.run().await.map(drop).map_err(|e| taken_or_internal("adding a user", e))
}

/// Creates the user and its first session in one batch: both or neither.
pub async fn insert_user_with_session(
    db: &D1Database,
    user: &UserRow,
    session_hash: &str,
    session_expires_at: i64,
) -> Result<(), ApiError> {
    let insert_user = insert_user_statement(db, user)?;
    let insert_session = session_statement(db, session_hash, &user.id, user.created_at, session_expires_at)?;
    db.batch(vec![insert_user, insert_session])
        .await
        .map(drop)
        .map_err(|e| taken_or_internal("registering", e))
}

fn session_statement(
    db: &D1Database,
    token_hash: &str,
    user_id: &str,
    now_ms: i64,
    expires_at: i64,
) -> Result<D1PreparedStatement, ApiError> {
    prepare(
        db,
        "INSERT INTO auth_sessions (token_hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
        &[str(token_hash), str(user_id), num(now_ms), num(expires_at)],
    )
}

pub async fn insert_session(
    db: &D1Database,
    token_hash: &str,
    user_id: &str,
    now_ms: i64,
    expires_at: i64,
) -> Result<(), ApiError> {
    session_statement(db, token_hash, user_id, now_ms, expires_at)?
        .run()
        .await
        .map(drop)
        .internal("inserting a session")
}

/// The user behind a live session, or `None`. An expired session is deleted on sight.
pub async fn user_by_session(
    db: &D1Database,
    token_hash: &str,
    now_ms: i64,
) -> Result<Option<UserRow>, ApiError> {
    #[derive(Deserialize)]
    struct Session {
        user_id: String,
        expires_at: i64,
    }
    let session: Option<Session> =
        first(db, "SELECT user_id, expires_at FROM auth_sessions WHERE token_hash = ?1", &[str(token_hash)])
            .await?;
    match session {
        None => Ok(None),
        Some(s) if s.expires_at <= now_ms => {
            delete_session(db, token_hash).await?;
            Ok(None)
        }
        Some(s) => user_by_id(db, &s.user_id).await,
    }
}

pub async fn delete_session(db: &D1Database, token_hash: &str) -> Result<(), ApiError> {
    run(db, "DELETE FROM auth_sessions WHERE token_hash = ?1", &[str(token_hash)]).await.map(drop)
}

/// After a password change every other session of the user ends.
pub async fn delete_other_sessions(
    db: &D1Database,
    user_id: &str,
    keep_hash: Option<&str>,
) -> Result<(), ApiError> {
    run(
        db,
        "DELETE FROM auth_sessions WHERE user_id = ?1 AND token_hash IS NOT ?2",
        &[str(user_id), opt_text(keep_hash)],
    )
    .await
    .map(drop)
}

/// Applies a validated profile change; `None` fields stay as they are.
pub async fn update_user(
    db: &D1Database,
    user_id: &str,
    display_name: Option<&str>,
    email: Option<&str>,
    password_hash: Option<&str>,
    now_ms: i64,
) -> Result<(), ApiError> {
    prepare(
        db,
        "UPDATE auth_users SET display_name = COALESCE(?2, display_name), email = COALESCE(?3, email), \
         password_hash = COALESCE(?4, password_hash), updated_at = ?5 WHERE id = ?1",
        &[str(user_id), opt_text(display_name), opt_text(email), opt_text(password_hash), num(now_ms)],
    )?
    .run()
    .await
    .map(drop)
    .map_err(|e| taken_or_internal("updating a user", e))
}

pub async fn set_password_hash(
    db: &D1Database,
    user_id: &str,
    password_hash: &str,
    now_ms: i64,
) -> Result<(), ApiError> {
    update_user(db, user_id, None, None, Some(password_hash), now_ms).await
}

// --- API keys ---

const KEY_COLUMNS: &str = "id, user_id, label, prefix, created_at, last_used_at";

pub async fn count_keys(db: &D1Database, user_id: &str) -> Result<i64, ApiError> {
    count(db, "SELECT COUNT(*) AS n FROM auth_api_keys WHERE user_id = ?1", &[str(user_id)]).await
}

pub async fn insert_key(db: &D1Database, key: &ApiKeyRow, key_hash: &str) -> Result<(), ApiError> {
    run(
        db,
        "INSERT INTO auth_api_keys (id, user_id, label, prefix, key_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        &[str(&key.id), str(&key.user_id), str(&key.label), str(&key.prefix), str(key_hash), num(key.created_at)],
    )
    .await
    .map(drop)
}

/// The user's keys, newest first.
pub async fn list_keys(db: &D1Database, user_id: &str) -> Result<Vec<ApiKeyRow>, ApiError> {
    let sql = format!(
        "SELECT {KEY_COLUMNS} FROM auth_api_keys WHERE user_id = ?1 ORDER BY created_at DESC, id DESC"
    );
    all(db, &sql, &[str(user_id)]).await
}

/// Deletes the key only if it belongs to `user_id`; false when there was no such key of theirs.
pub async fn delete_key(db: &D1Database, user_id: &str, key_id: &str) -> Result<bool, ApiError> {
    run(db, "DELETE FROM auth_api_keys WHERE id = ?1 AND user_id = ?2", &[str(key_id), str(user_id)])
        .await
        .map(|n| n > 0)
}

pub async fn key_by_hash(db: &D1Database, key_hash: &str) -> Result<Option<ApiKeyRow>, ApiError> {
    first(db, &format!("SELECT {KEY_COLUMNS} FROM auth_api_keys WHERE key_hash = ?1"), &[str(key_hash)]).await
}

/// Whether `user_id` still has the key `key_id` (it was not revoked).
pub async fn key_of_user_exists(db: &D1Database, key_id: &str, user_id: &str) -> Result<bool, ApiError> {
    let sql = "SELECT COUNT(*) AS n FROM auth_api_keys WHERE id = ?1 AND user_id = ?2";
    Ok(count(db, sql, &[str(key_id), str(user_id)]).await? > 0)
}

pub async fn touch_key(db: &D1Database, key_id: &str, now_ms: i64) -> Result<(), ApiError> {
    run(db, "UPDATE auth_api_keys SET last_used_at = ?2 WHERE id = ?1", &[str(key_id), num(now_ms)])
        .await
        .map(drop)
}

// --- failed sign-ins ---

pub async fn failures(db: &D1Database, key: &str) -> Result<Option<FailureRecord>, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        failures: i64,
        last_failure_at: i64,
    }
    let row: Option<Row> = first(
        db,
        "SELECT failures, last_failure_at FROM auth_login_failures WHERE throttle_key = ?1",
        &[str(key)],
    )
    .await?;
    Ok(row.map(|r| FailureRecord {
        failures: u32::try_from(r.failures).unwrap_or(u32::MAX),
        last_failure_ms: r.last_failure_at,
    }))
}

pub async fn put_failures(db: &D1Database, key: &str, record: FailureRecord) -> Result<(), ApiError> {
    run(
        db,
        "INSERT INTO auth_login_failures (throttle_key, failures, last_failure_at) VALUES (?1, ?2, ?3) \
         ON CONFLICT(throttle_key) DO UPDATE SET failures = excluded.failures, last_failure_at = excluded.last_failure_at",
        &[str(key), num(i64::from(record.failures)), num(record.last_failure_ms)],
    )
    .await
    .map(drop)
}

pub async fn clear_failures(db: &D1Database, key: &str) -> Result<(), ApiError> {
    run(db, "DELETE FROM auth_login_failures WHERE throttle_key = ?1", &[str(key)]).await.map(drop)
}
