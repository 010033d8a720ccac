//! Clicks: recorded after the redirect has been answered (the response never waits on them),
//! and counted for the owner's statistics.

use crate::{
    http::OrInternal,
    links::{
        config,
        store::clicks::{self as stored, ClickRow, Dimension},
    },
};
use hmac::{Hmac, Mac};
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
use worker::{console_error, Env};

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

/// Stores clicks, in batches each all or nothing (the demo's month of clicks goes through here too).
pub async fn record_all(env: &Env, clicks: &[Click]) -> Result<(), ApiError> {
    let db = env.d1("DB").internal("D1 binding")?;
    let secret = config::secret(env)?;
    let described: Vec<Described> = clicks.iter().map(|click| describe(&secret, click)).collect();
    let rows: Vec<ClickRow> = described.iter().map(Described::row).collect();
    stored::insert_all(&db, &rows).await
}

/// What is stored of a click: its client classified, its visitor hashed.
struct Described<'a> {
    click: &'a Click,
    referrer_host: String,
    country: &'a str,
    device: String,
    browser: &'static str,
    os: &'static str,
    visitor: String,
    is_bot: bool,
}

impl Described<'_> {
    fn row(&self) -> ClickRow<'_> {
        ClickRow {
            link_id: &self.click.link_id,
            at_ms: self.click.at_ms,
            referrer_host: &self.referrer_host,
            country: self.country,
            device: &self.device,
            browser: self.browser,
            os: self.os,
            visitor: &self.visitor,
            is_bot: self.is_bot,
        }
    }
}

fn describe<'a>(secret: &[u8], click: &'a Click) -> Described<'a> {
    let client = classify(&click.user_agent);
    let day = day_number(click.at_ms);
    let device = serde_json::to_value(client.device)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    Described {
        click,
        referrer_host: referrer_host(click.referrer.as_deref()),
        country: click.country.as_deref().filter(|c| !c.is_empty()).unwrap_or("unknown"),
        device,
        browser: client.browser,
        os: client.os,
        visitor: visitor_hash(&daily_salt(secret, day), day, &click.ip, &click.user_agent),
        is_bot: client.is_bot,
    }
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
    let totals = stored::totals(&db, link_id, from, to).await?;
    let days = stored::by_day(&db, link_id, from, to, offset.millis()).await?;
    let breakdown = |dimension: Dimension| {
        let db = &db;
        async move {
            stored::top(db, link_id, from, to, dimension).await.map(|rows| {
                rows.into_iter()
                    .map(|r| Breakdown { key: r.key, clicks: count(Some(r.clicks)) })
                    .collect::<Vec<_>>()
            })
        }
    };
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
        referrers: breakdown(Dimension::Referrer).await?,
        countries: breakdown(Dimension::Country).await?,
        devices: breakdown(Dimension::Device).await?,
        browsers: breakdown(Dimension::Browser).await?,
        operating_systems: breakdown(Dimension::Os).await?,
    })
}
