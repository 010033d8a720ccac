//! The demo account's links and their month of clicks (`shared::links::demo`), written through
//! the same store and click recorder as real traffic, so the statistics read them as they would.

use crate::{
    http::OrInternal,
    links::{
        clicks::{self, Click},
        store::{self, LinkRow},
    },
    product::JobResult,
};
use shared::ApiError;
use shared::{
    demo::{DemoRng, DEMO_USER_ID},
    ids::TimeId,
    links::demo::{created_at, month_of_clicks, LINKS},
};
use worker::{console_error, D1Database, Env};

/// Writes the demo's links and clicks; a seeding that fails takes back the links it made (and
/// their clicks), so the next one starts from none and never touches links it did not make.
pub async fn seed(env: &Env, now_ms: i64) -> JobResult {
    let db = env.d1("DB").internal("D1 binding")?;
    let mut made = Vec::with_capacity(LINKS.len());
    match write(env, &db, now_ms, &mut made).await {
        Ok(rows) => Ok(rows),
        Err(err) => {
            for id in &made {
                if let Err(cleanup) = store::delete(&db, id).await {
                    console_error!("Links' demo: taking back link {id} failed: {}", cleanup.message);
                }
            }
            Err(err.into())
        }
    }
}

async fn write(env: &Env, db: &D1Database, now_ms: i64, ids: &mut Vec<String>) -> Result<usize, ApiError> {
    let mut rng = DemoRng::for_product("links");
    for link in LINKS {
        let made = created_at(link, now_ms);
        let row = LinkRow {
            id: TimeId::new(made, rng.id_bytes()).to_string(),
            domain: String::new(),
            code: link.alias.to_owned(),
            url: link.url.to_owned(),
            user_id: Some(DEMO_USER_ID.to_owned()),
            is_alias: 1,
            redirect_type: 302,
            password_hash: None,
            expires_at: None,
            tags: serde_json::to_string(link.tags).internal("writing tags")?,
            created_at: made,
            updated_at: made,
            clicks: 0,
        };
        store::insert(db, &row).await?;
        ids.push(row.id);
    }
    let clicks: Vec<Click> = month_of_clicks(now_ms, &mut rng)
        .into_iter()
        .map(|click| Click {
            link_id: ids[click.link].clone(),
            at_ms: click.at_ms,
            referrer: click.referrer.map(str::to_owned),
            country: Some(click.country.to_owned()),
            user_agent: click.user_agent.to_owned(),
            ip: click.ip,
        })
        .collect();
    clicks::record_all(env, &clicks).await?;
    Ok(LINKS.len() + clicks.len())
}
