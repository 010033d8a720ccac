//! Clicks: sent to the clicks queue after the redirect has been answered (the response never
//! waits on them), written to D1 a batch at a time by the queue's consumer, and counted for the
//! owner's statistics.

use crate::{
    http::OrInternal,
    links::{
        config,
        store::clicks::{self as stored, Dimension},
    },
    password::random,
    platform::within,
};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use shared::{
    gather::{Gather, Role},
    ids::TimeId,
    links::{
        click_record::{read_delivery, referrer_host, ClickRecord},
        stats::{fill_days, Breakdown, LinkStats, UtcOffset},
        user_agent::classify,
        visitor::{day_number, visitor_hash},
    },
    time::Timestamp,
    ApiError,
};
use std::{cell::RefCell, future::Future, time::Duration};
use worker::{
    console_error, console_log, Delay, Env, MessageBatch, MessageExt, QueueRetryOptionsBuilder, RawMessage,
};

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

/// Today's salt: derived from the deployment's secret and the day, so it rotates daily without
/// being stored, and yesterday's visitors cannot be linked to today's.
fn daily_salt(secret: &[u8], day: i64) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(b"links-visitor-salt");
    mac.update(&day.to_be_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// The queue clicks travel through (wrangler.toml), and its binding.
pub const QUEUE: &str = "dozen-clicks";
const QUEUE_BINDING: &str = "CLICKS";
/// How long the first click of a batch waits for others before they go to the queue together,
/// and at most how many go in one send (the queue takes up to 100 messages per send).
const GATHER_MS: u64 = 50;
const GATHER_MAX: usize = 100;
/// How long a send may take before the clicks go to D1 directly instead.
const SEND_TIMEOUT_MS: u64 = 5_000;

thread_local! {
    /// This isolate's open batch of clicks (see `shared::gather`: a batch is always owned by a
    /// request whose `wait_until` is still running, so an isolate retired in the normal way
    /// never leaves clicks behind; one that crashes loses its last 50 ms of clicks, as it loses
    /// every request it is running).
    static OUTBOX: RefCell<Gather<Click>> = const { RefCell::new(Gather::new(GATHER_MAX)) };
}

/// Puts one click in this isolate's outbox, together with the clicks of concurrent redirects.
/// The click that opens a batch (or fills it) returns the work of describing the batch and
/// sending it to the clicks queue, for its request's `wait_until`; the others return nothing,
/// so a redirect that joins a batch costs its request no further work. Failures are logged only.
pub fn record(env: &Env, click: Click) -> Option<impl Future<Output = ()> + 'static> {
    let role = OUTBOX.with(|outbox| outbox.borrow_mut().join(click));
    if matches!(role, Role::Joined) {
        return None;
    }
    let env = env.clone();
    Some(async move {
        let batch = match role {
            Role::Send(batch) => batch,
            Role::Lead(number) => {
                Delay::from(Duration::from_millis(GATHER_MS)).await;
                OUTBOX.with(|outbox| outbox.borrow_mut().take(number))
            }
            Role::Joined => return,
        };
        let sent = match describe_all(&env, &batch) {
            Ok(records) => send_or_write(&env, &records).await,
            Err(err) => Err(err),
        };
        if let Err(err) = sent {
            console_error!("{} clicks not recorded: {}", batch.len(), err.message);
        }
    })
}

/// A batch as it is stored: the secret read once, each click given its id.
fn describe_all(env: &Env, batch: &[Click]) -> Result<Vec<ClickRecord>, ApiError> {
    let secret = config::secret(env)?;
    batch
        .iter()
        .map(|click| {
            let click_id = TimeId::new(click.at_ms, random::<10>()?).to_string();
            Ok(describe(&secret, click, Some(click_id)))
        })
        .collect()
}
/// Without a queue (none bound, the send refused, or no answer within `SEND_TIMEOUT_MS`) the
/// clicks are written to D1 at once instead: slower, but never lost (and if a send that timed out
/// went through after all, the consumer ignores those clicks by their ids).
async fn send_or_write(env: &Env, batch: &[ClickRecord]) -> Result<(), ApiError> {
    if batch.is_empty() {
        return Ok(());
    }
    match env.queue(QUEUE_BINDING) {
        Ok(queue) => {
            let messages: Vec<String> = batch.iter().map(ClickRecord::to_message).collect();
            match within(SEND_TIMEOUT_MS, queue.send_batch(messages)).await {
                Some(Ok(())) => {
                    console_log!("clicks: sent {} to the queue", batch.len());
                    return Ok(());
                }
                Some(Err(err)) => console_error!(
                    "clicks queue refused {} clicks ({err}); writing them directly",
                    batch.len()
                ),
                None => {
                    console_error!("clicks queue did not answer; writing {} clicks directly", batch.len())
                }
            }
        }
        Err(_) => console_error!("no {QUEUE_BINDING} queue bound; writing clicks directly"),
    }
    stored::insert_all(&env.d1("DB").internal("D1 binding")?, batch).await.map(drop)
}

/// Stores clicks straight to D1 in batches, each all or nothing (the demo's month of clicks).
pub async fn record_all(env: &Env, clicks: &[Click]) -> Result<(), ApiError> {
    let db = env.d1("DB").internal("D1 binding")?;
    let secret = config::secret(env)?;
    let records: Vec<ClickRecord> = clicks.iter().map(|click| describe(&secret, click, None)).collect();
    stored::insert_all(&db, &records).await.map(drop)
}

/// The clicks queue's consumer: one D1 batch for the whole delivery. A click that cannot be
/// written is retried later (after `CLICKS_RETRY_DELAY_SECS`, then dead-lettered after the
/// queue's `max_retries`); an unreadable message is logged and dropped, since no retry could
/// ever write it. A click of a link deleted since is dropped by the insert itself, and a
/// redelivered one is ignored by its id.
pub async fn consume(batch: &MessageBatch<String>, env: &Env) {
    let messages: Vec<RawMessage> = batch.raw_iter().collect();
    let delivery = read_delivery(messages.iter().map(|m| m.body().as_string()));
    for &place in &delivery.unreadable {
        console_error!("clicks queue: dropped unreadable message {}", messages[place].id());
        messages[place].ack();
    }
    if delivery.clicks.is_empty() {
        return;
    }
    let retry = QueueRetryOptionsBuilder::new().with_delay_seconds(retry_delay_secs(env)).build();
    let Ok(db) = env.d1("DB") else {
        console_error!("clicks queue: no D1 binding; {} clicks retried", delivery.clicks.len());
        delivery.clicks.iter().for_each(|(place, _)| messages[*place].retry_with_options(&retry));
        return;
    };
    // One D1 batch for the delivery. A batch D1 refuses is tried again in halves, so one bad
    // click is found in about 2·log2(n) more calls, not n (D1 limits the calls an invocation
    // makes), and only the clicks D1 refuses on their own are retried.
    let mut parts: Vec<&[(usize, ClickRecord)]> = vec![&delivery.clicks];
    let mut retried = 0;
    while let Some(part) = parts.pop() {
        let records: Vec<ClickRecord> = part.iter().map(|(_, click)| click.clone()).collect();
        match stored::insert_all(&db, &records).await {
            Ok(written) => {
                // Fewer rows than clicks: redeliveries, or clicks of links deleted meanwhile.
                console_log!("clicks queue: wrote {written} of {} clicks in one batch", records.len());
                part.iter().for_each(|(place, _)| messages[*place].ack());
            }
            Err(err) if part.len() > 1 => {
                console_error!(
                    "clicks queue: a batch of {} failed ({}); halving it",
                    part.len(),
                    err.message
                );
                let (first, second) = part.split_at(part.len() / 2);
                parts.extend([second, first]);
            }
            Err(err) => {
                console_error!("clicks queue: a click failed ({})", err.message);
                retried += 1;
                part.iter().for_each(|(place, _)| messages[*place].retry_with_options(&retry));
            }
        }
    }
    if retried > 0 {
        console_error!("clicks queue: {retried} clicks retried");
    }
}

/// Seconds before a click that could not be written is delivered again (`CLICKS_RETRY_DELAY_SECS`).
fn retry_delay_secs(env: &Env) -> u32 {
    env.var("CLICKS_RETRY_DELAY_SECS").ok().and_then(|v| v.to_string().parse().ok()).unwrap_or(30)
}

/// A click as it is stored: its client classified, its visitor hashed.
fn describe(secret: &[u8], click: &Click, click_id: Option<String>) -> ClickRecord {
    let client = classify(&click.user_agent);
    let day = day_number(click.at_ms);
    let device = serde_json::to_value(client.device)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    ClickRecord {
        click_id,
        link_id: click.link_id.clone(),
        at_ms: click.at_ms,
        referrer_host: referrer_host(click.referrer.as_deref()),
        country: click.country.as_deref().filter(|c| !c.is_empty()).unwrap_or("unknown").to_owned(),
        device,
        browser: client.browser.to_owned(),
        os: client.os.to_owned(),
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
