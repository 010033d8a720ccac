//! Clicks: recorded after the redirect has been answered (the response never waits on them),
//! and counted for the owner's statistics.

use crate::{
    d1::{all, first, num, prepare, text},
    http::OrInternal,
    links::config,
};
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;
use shared::{
    links::{
        stats::{fill_days, Breakdown, LinkStats, UtcOffset},
        user_agent::classify,
        visitor::{day_number, visitor_hash},
    },
    time::Timestamp,
    ApiError,
};
use worker::{console_error, D1Database, D1PreparedStatement, Env};

/// What is known about one click at the moment of the redirect.
pub struct Click {
    pub link_id: String,
    pub at_ms: i64,
    pub referrer: Option<String>,
    /// ISO code; `None` when unknown (always under `wrangler dev`, whose `cf` is a placeholder).
    pub country: Option<String>,
    pub user_agent: String,
    pub ip: String,
}

/// The host of a Referer header, lower-cased; '' for none or an unreadable one.
fn referrer_host(referrer: Option<&str>) -> String {
    referrer
        .and_then(|r| worker::Url::parse(r).ok())
        .and_then(|u| u.host_str().map(|h| h.trim_start_matches("www.").to_ascii_lowercase()))
        .unwrap_or_default()
}

/// Today's salt: derived from the deployment's secret and the day, so it rotates daily without
/// being stored, and yesterday's visitors cannot be linked to today's.
fn daily_salt(secret: &[u8], day: i64) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(b"links-visitor-salt");
    mac.update(&day.to_be_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// Stores one click. Runs in `wait_until`, after the response: failures are logged only.
pub async fn record(env: Env, click: Click) {
    let link_id = click.link_id.clone();
    if let Err(err) = record_all(&env, &[click]).await {
        console_error!("click for link {link_id} not recorded: {}", err.message);
    }
}

/// Stores clicks in batches of [`BATCH`], each batch all or nothing (the demo's month of clicks).
pub async fn record_all(env: &Env, clicks: &[Click]) -> Result<(), ApiError> {
    const BATCH: usize = 100;
    let db = env.d1("DB").internal("D1 binding")?;
    let secret = config::secret(env)?;
    for batch in clicks.chunks(BATCH) {
        let statements =
            batch.iter().map(|click| insert_statement(&db, &secret, click)).collect::<Result<Vec<_>, _>>()?;
        db.batch(statements).await.internal("recording clicks")?;
    }
    Ok(())
}

fn insert_statement(db: &D1Database, secret: &[u8], click: &Click) -> Result<D1PreparedStatement, ApiError> {
    let client = classify(&click.user_agent);
    let day = day_number(click.at_ms);
    let country = click.country.as_deref().filter(|c| !c.is_empty()).unwrap_or("unknown");
    let device = serde_json::to_value(client.device)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let visitor = visitor_hash(&daily_salt(secret, day), day, &click.ip, &click.user_agent);
    prepare(
        db,
        "INSERT INTO links_clicks (link_id, clicked_at, referrer_host, country, device, browser, os, visitor, is_bot) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        &[
            text(&click.link_id),
            num(click.at_ms),
            text(&referrer_host(click.referrer.as_deref())),
            text(country),
            text(&device),
            text(client.browser),
            text(client.os),
            text(&visitor),
            num(i64::from(client.is_bot)),
        ],
    )
}

#[derive(Deserialize)]
struct Totals {
    clicks: Option<i64>,
    bots: Option<i64>,
    uniques: Option<i64>,
}

#[derive(Deserialize)]
struct DayRow {
    day: i64,
    clicks: i64,
    uniques: i64,
}

#[derive(Deserialize)]
struct KeyRow {
    key: String,
    clicks: i64,
}

fn count(n: Option<i64>) -> u64 {
    u64::try_from(n.unwrap_or(0)).unwrap_or(0)
}

/// The statistics of one link over `[from, to)`, days counted at `offset`.
pub async fn stats(
    env: &Env,
    link_id: &str,
    code: &str,
    from: i64,
    to: i64,
    offset: UtcOffset,
) -> Result<LinkStats, ApiError> {
    let db = env.d1("DB").internal("D1 binding")?;
    let window = [text(link_id), num(from), num(to)];
    let totals: Totals = first(
        &db,
        "SELECT SUM(1 - is_bot) AS clicks, SUM(is_bot) AS bots, \
         COUNT(DISTINCT CASE WHEN is_bot = 0 THEN visitor END) AS uniques \
         FROM links_clicks WHERE link_id = ?1 AND clicked_at >= ?2 AND clicked_at < ?3",
        &window,
    )
    .await?
    .unwrap_or(Totals { clicks: None, bots: None, uniques: None });
    let days: Vec<DayRow> = all(
        &db,
        "SELECT (CAST(clicked_at AS INTEGER) + CAST(?4 AS INTEGER)) / 86400000 AS day, COUNT(*) AS clicks, COUNT(DISTINCT visitor) AS uniques \
         FROM links_clicks WHERE link_id = ?1 AND clicked_at >= ?2 AND clicked_at < ?3 AND is_bot = 0 \
         GROUP BY day ORDER BY day",
        &[text(link_id), num(from), num(to), num(offset.millis())],
    )
    .await?;
    let breakdown = |column: &'static str| {
        let db = &db;
        let window = &window;
        async move {
            let sql = format!(
                "SELECT {column} AS key, COUNT(*) AS clicks FROM links_clicks \
                 WHERE link_id = ?1 AND clicked_at >= ?2 AND clicked_at < ?3 AND is_bot = 0 \
                 GROUP BY key ORDER BY clicks DESC, key LIMIT 10"
            );
            all::<KeyRow>(db, &sql, window).await.map(|rows| {
                rows.into_iter()
                    .map(|r| Breakdown { key: r.key, clicks: count(Some(r.clicks)) })
                    .collect::<Vec<_>>()
            })
        }
    };
    // D1 binds JS numbers as REAL, hence the CASTs above; days before 1970 never occur (clicks
    // are recorded now), so integer division is the floor.
    let counted: Vec<(i64, u64, u64)> =
        days.iter().map(|d| (d.day, count(Some(d.clicks)), count(Some(d.uniques)))).collect();
    Ok(LinkStats {
        code: code.to_owned(),
        from: Timestamp(from),
        to: Timestamp(to),
        tz: offset.label(),
        clicks: count(totals.clicks),
        unique_visitors: count(totals.uniques),
        bot_clicks: count(totals.bots),
        by_day: fill_days(from, to, offset, &counted),
        referrers: breakdown("referrer_host").await?,
        countries: breakdown("country").await?,
        devices: breakdown("device").await?,
        browsers: breakdown("browser").await?,
        operating_systems: breakdown("os").await?,
    })
}
