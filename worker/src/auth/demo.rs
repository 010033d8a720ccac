//! The demo account every product seeds into (README: **demo** / **dozen-demo-2026**).

use crate::{
    auth::store::{self, UserRow},
    http::OrInternal,
    password,
    product::JobResult,
};
use shared::demo::{DAY_MS, DEMO_DISPLAY_NAME, DEMO_EMAIL, DEMO_PASSWORD, DEMO_USERNAME, DEMO_USER_ID};
use worker::Env;

/// Creates the demo account, made "40 days ago" so every product's month of data fits after it.
pub async fn seed(env: &Env, now_ms: i64) -> JobResult {
    let db = env.d1("DB").internal("D1 binding")?;
    if store::user_by_id(&db, DEMO_USER_ID).await?.is_some() {
        return Ok(0);
    }
    let user = UserRow {
        id: DEMO_USER_ID.to_owned(),
        username: DEMO_USERNAME.to_owned(),
        email: DEMO_EMAIL.to_owned(),
        display_name: DEMO_DISPLAY_NAME.to_owned(),
        password_hash: password::hash(DEMO_PASSWORD).await?,
        created_at: now_ms - 40 * DAY_MS,
    };
    store::insert_user(&db, &user).await?;
    Ok(1)
}
