//! Throttling password guesses, for sign-in and for the current-password check of a password
//! change. Failures count per client and per (client, account); the account is the user's ID
//! when it exists, so a username and an email of one account share one count.

use crate::{auth::store, http::Cx};
use shared::{
    auth::throttle::{FailureRecord, PER_ACCOUNT, PER_CLIENT},
    ApiError,
};
use worker::D1Database;

pub struct PasswordGuard {
    client_key: String,
    account_key: String,
    client: Option<FailureRecord>,
    account: Option<FailureRecord>,
}

impl PasswordGuard {
    /// Reads the counts for `account` and refuses with 429 while a wait is due.
    pub async fn check(db: &D1Database, cx: &Cx, account: &str) -> Result<Self, ApiError> {
        let client_key = format!("client:{}", cx.client_ip);
        let account_key = format!("account:{}:{account}", cx.client_ip);
        let client = store::failures(db, &client_key).await?;
        let account = store::failures(db, &account_key).await?;
        PER_CLIENT
            .check(client, cx.now_ms)
            .and(PER_ACCOUNT.check(account, cx.now_ms))
            .map_err(ApiError::rate_limited)?;
        Ok(Self { client_key, account_key, client, account })
    }

    pub async fn failed(&self, db: &D1Database, cx: &Cx) -> Result<(), ApiError> {
        store::put_failures(db, &self.client_key, PER_CLIENT.record_failure(self.client, cx.now_ms)).await?;
        store::put_failures(db, &self.account_key, PER_ACCOUNT.record_failure(self.account, cx.now_ms)).await
    }

    /// A right password clears the account's count (the client's stays: it still guessed).
    pub async fn succeeded(&self, db: &D1Database) -> Result<(), ApiError> {
        if self.account.is_some() {
            store::clear_failures(db, &self.account_key).await?;
        }
        Ok(())
    }
}
