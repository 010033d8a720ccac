//! `/api/auth`: sign-up, sign-in, sign-out, the account, and API keys.

use crate::{
    auth::{
        guard::PasswordGuard,
        identity::{self, Identity},
        store::{self, ApiKeyRow, UserRow},
    },
    http::{self, json, no_content, read_json, with_headers, ApiResult, Cx},
    password::{self, random},
};
use shared::{
    auth::{
        cookie, token,
        validation::normalize_key_label,
        wire::{
            ApiKeyList, ApiKeyView, CreateApiKeyRequest, CreatedApiKey, LoginRequest, RegisterRequest,
            UpdateMeRequest, UserView,
        },
        SESSION_TTL_SECS,
    },
    error::ErrorEnvelope,
    ids::{ApiKeyId, UserId},
    time::Timestamp,
    ApiError, ErrorCode,
};
use worker::Request;

/// More keys than this per account is a sign something is leaking them.
const MAX_KEYS_PER_USER: i64 = 25;

fn user_view(user: &UserRow) -> UserView {
    UserView {
        id: user.id.parse().unwrap_or_else(|_| UserId::new(user.created_at, [0; 10])),
        username: user.username.clone(),
        email: user.email.clone(),
        display_name: user.display_name.clone(),
        created_at: Timestamp(user.created_at),
    }
}

fn key_view(key: &ApiKeyRow) -> ApiKeyView {
    ApiKeyView {
        id: key.id.parse().unwrap_or_else(|_| ApiKeyId::new(key.created_at, [0; 10])),
        label: key.label.clone(),
        prefix: key.prefix.clone(),
        created_at: Timestamp(key.created_at),
        last_used_at: key.last_used_at.map(Timestamp),
    }
}

/// A new session token: its hash (to store) and the `Set-Cookie` that hands it out.
fn new_session(cx: &Cx) -> Result<(String, String), ApiError> {
    let session_token = token::session_token(random::<32>()?);
    let set_cookie = cookie::session_set_cookie(&session_token, SESSION_TTL_SECS, cx.secure_cookies);
    Ok((token::hash_secret(&session_token), set_cookie))
}

/// Create an account and sign in.
#[utoipa::path(post, path = "/api/auth/register", tag = "auth", request_body = RegisterRequest,
    responses(
        (status = 201, description = "Account created; the session cookie is set", body = UserView),
        (status = 400, description = "Not JSON", body = ErrorEnvelope),
        (status = 409, description = "Username or email taken", body = ErrorEnvelope),
        (status = 415, description = "Not application/json", body = ErrorEnvelope),
        (status = 422, description = "A field breaks a rule; `field` names it", body = ErrorEnvelope),
    ))]
pub async fn register(req: &mut Request, cx: &Cx) -> ApiResult {
    let valid = read_json::<RegisterRequest>(req).await?.validate()?;
    let db = cx.db()?;
    if let Some(taken) = store::taken(&db, &valid.username, &valid.email).await? {
        return Err(taken);
    }
    let user = UserRow {
        id: UserId::new(cx.now_ms, random::<10>()?).to_string(),
        display_name: valid.username.clone(),
        username: valid.username,
        email: valid.email,
        password_hash: password::hash(&valid.password).await?,
        created_at: cx.now_ms,
    };
    let (token_hash, set_cookie) = new_session(cx)?;
    let expires_at = cx.now_ms + SESSION_TTL_SECS * 1000;
    store::insert_user_with_session(&db, &user, &token_hash, expires_at).await?;
    with_headers(json(201, &user_view(&user))?, &[("Set-Cookie", set_cookie)])
}

/// Sign in with a username or email and the password.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = UserView),
        (status = 401, description = "Wrong username/email or password (never says which)", body = ErrorEnvelope),
        (status = 422, description = "A field is missing", body = ErrorEnvelope),
        (status = 429, description = "Too many failed attempts; see Retry-After", body = ErrorEnvelope),
    ))]
pub async fn login(req: &mut Request, cx: &Cx) -> ApiResult {
    let login = read_json::<LoginRequest>(req).await?;
    let name = login.validate()?;
    let db = cx.db()?;
    let user = store::user_by_login(&db, &name).await?;
    let account = user.as_ref().map_or_else(|| format!("name:{}", name.throttle_key()), |u| u.id.clone());
    let guard = PasswordGuard::check(&db, cx, &account).await?;
    let verified = match &user {
        Some(user) => password::verify(&login.password, &user.password_hash).await?,
        None => {
            // Spend the same time as a real check so timing does not reveal which accounts exist.
            password::spend_one_check(&login.password).await?;
            false
        }
    };
    let Some(user) = user.filter(|_| verified) else {
        guard.failed(&db, cx).await?;
        return Err(ApiError::new(ErrorCode::InvalidCredentials, "Wrong username, email or password."));
    };
    guard.succeeded(&db).await?;
    if password::needs_rehash(&user.password_hash) {
        store::set_password_hash(&db, &user.id, &password::hash(&login.password).await?, cx.now_ms).await?;
    }
    let (token_hash, set_cookie) = new_session(cx)?;
    store::insert_session(&db, &token_hash, &user.id, cx.now_ms, cx.now_ms + SESSION_TTL_SECS * 1000).await?;
    with_headers(json(200, &user_view(&user))?, &[("Set-Cookie", set_cookie)])
}

/// Sign out: ends this session and clears the cookie. Succeeds even without a session.
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth",
    responses((status = 204, description = "Signed out")))]
pub async fn logout(req: &mut Request, cx: &Cx) -> ApiResult {
    if let Some(session_cookie) = http::header(req, "Cookie")
        .and_then(|c| cookie::find_cookie(&c, cookie::SESSION_COOKIE).map(str::to_owned))
    {
        store::delete_session(&cx.db()?, &token::hash_secret(&session_cookie)).await?;
    }
    with_headers(no_content()?, &[("Set-Cookie", cookie::session_clear_cookie(cx.secure_cookies))])
}

/// The signed-in account.
#[utoipa::path(get, path = "/api/auth/me", tag = "auth",
    security(("session" = []), ("api_key" = [])),
    responses(
        (status = 200, body = UserView),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
    ))]
pub async fn me(req: &mut Request, cx: &Cx) -> ApiResult {
    let identity = identity::require(req, cx).await?;
    json(200, &user_view(&identity.user))
}

/// Change the display name, the email, or the password (which needs the current one and ends
/// every other session).
#[utoipa::path(patch, path = "/api/auth/me", tag = "auth", request_body = UpdateMeRequest,
    security(("session" = []), ("api_key" = [])),
    responses(
        (status = 200, body = UserView),
        (status = 401, body = ErrorEnvelope),
        (status = 409, description = "The new email belongs to another account", body = ErrorEnvelope),
        (status = 422, description = "A field breaks a rule, or the current password is wrong", body = ErrorEnvelope),
        (status = 429, description = "Too many wrong current passwords; see Retry-After", body = ErrorEnvelope),
    ))]
pub async fn update_me(req: &mut Request, cx: &Cx) -> ApiResult {
    let identity = identity::require(req, cx).await?;
    let update = read_json::<UpdateMeRequest>(req).await?.validate()?;
    let db = cx.db()?;
    let new_hash = match &update.password_change {
        None => None,
        Some((current, new)) => {
            // A stolen session must not become a free password oracle: same throttle as sign-in.
            let guard = PasswordGuard::check(&db, cx, &identity.user.id).await?;
            if !password::verify(current, &identity.user.password_hash).await? {
                guard.failed(&db, cx).await?;
                return Err(ApiError::invalid("current_password", "Your current password is not right."));
            }
            guard.succeeded(&db).await?;
            Some(password::hash(new).await?)
        }
    };
    let email = update.email.as_deref().filter(|e| *e != identity.user.email);
    store::update_user(
        &db,
        &identity.user.id,
        update.display_name.as_deref(),
        email,
        new_hash.as_deref(),
        cx.now_ms,
    )
    .await?;
    if new_hash.is_some() {
        store::delete_other_sessions(&db, &identity.user.id, identity.session_hash()).await?;
    }
    let user = store::user_by_id(&db, &identity.user.id).await?.ok_or_else(ApiError::unauthenticated)?;
    json(200, &user_view(&user))
}

/// Create an API key. The key is in this response only.
#[utoipa::path(post, path = "/api/auth/keys", tag = "auth", request_body = CreateApiKeyRequest,
    security(("session" = []), ("api_key" = [])),
    responses(
        (status = 201, body = CreatedApiKey),
        (status = 401, body = ErrorEnvelope),
        (status = 409, description = "Too many keys, or a retry of a creation (its secret is shown once)", body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope),
    ))]
pub async fn create_key(req: &mut Request, cx: &Cx) -> ApiResult {
    let identity = identity::require(req, cx).await?;
    let label = normalize_key_label(&read_json::<CreateApiKeyRequest>(req).await?.label)?;
    let db = cx.db()?;
    if store::count_keys(&db, &identity.user.id).await? >= MAX_KEYS_PER_USER {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!("You have {MAX_KEYS_PER_USER} API keys, the most allowed. Revoke one first."),
        ));
    }
    let key = token::api_key(random::<32>()?);
    let row = ApiKeyRow {
        id: ApiKeyId::new(cx.now_ms, random::<10>()?).to_string(),
        user_id: identity.user.id.clone(),
        label,
        prefix: token::shown_prefix(&key),
        created_at: cx.now_ms,
        last_used_at: None,
    };
    store::insert_key(&db, &row, &token::hash_secret(&key)).await?;
    json(201, &CreatedApiKey { key_info: key_view(&row), key })
}

/// Your API keys, newest first (prefix and label, never the key).
#[utoipa::path(get, path = "/api/auth/keys", tag = "auth",
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = ApiKeyList), (status = 401, body = ErrorEnvelope)))]
pub async fn list_keys(req: &mut Request, cx: &Cx) -> ApiResult {
    let identity = identity::require(req, cx).await?;
    let keys = store::list_keys(&cx.db()?, &identity.user.id).await?;
    json(200, &ApiKeyList { keys: keys.iter().map(key_view).collect() })
}

/// Revoke one of your API keys. Someone else's key is 404, as if it did not exist.
#[utoipa::path(delete, path = "/api/auth/keys/{id}", tag = "auth",
    params(("id" = String, Path, description = "The key's ID")),
    security(("session" = []), ("api_key" = [])),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope),
    ))]
pub async fn revoke_key(req: &mut Request, cx: &Cx, key_id: &str) -> ApiResult {
    let identity: Identity = identity::require(req, cx).await?;
    let not_found = || ApiError::not_found("No API key of yours has this ID.");
    let key_id: ApiKeyId = key_id.parse().map_err(|_| not_found())?;
    if !store::delete_key(&cx.db()?, &identity.user.id, &key_id.to_string()).await? {
        return Err(not_found());
    }
    no_content()
}
