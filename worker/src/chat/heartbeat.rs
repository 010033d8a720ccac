//! Heartbeats and presence, for a person's hub. The hub pings each socket (at most every 45 s,
//! on its alarm) and closes those that answered nothing for two pings and some slack. From what
//! its sockets last did it works out the person's presence (`shared::chat::presence`); when that
//! changes it records it in D1 and tells the contacts who may see it. A device that connects is
//! told the presence of its contacts.

use crate::{
    chat::{
        hub::fan_out,
        store::{contacts as contacts_store, presence as store},
    },
    http::OrInternal,
};
use serde::{Deserialize, Serialize};
use shared::{
    chat::{
        presence::{self, as_shown, Presence, Status, PING_EVERY_MS},
        wire::ServerFrame,
    },
    time::Timestamp,
    ApiError,
};
use worker::{Env, State};

/// One device as the heartbeat sees it.
pub struct Beat {
    pub last_heard: i64,
    pub last_active: i64,
}

/// What the hub remembers between wake-ups: whose hub it is, and the presence it last told.
#[derive(Serialize, Deserialize)]
struct Told {
    user_id: String,
    username: String,
    status: Status,
    last_active: i64,
}

const TOLD: &str = "presence";

/// How often to ping: `CHAT_PING_EVERY_MS` (the e2e suites set it short), else 45 s.
pub fn ping_every_ms(env: &Env) -> i64 {
    env.var("CHAT_PING_EVERY_MS")
        .ok()
        .and_then(|v| v.to_string().parse::<i64>().ok())
        .filter(|ms| (100..=PING_EVERY_MS).contains(ms))
        .unwrap_or(PING_EVERY_MS)
}

/// Silent this long: the device is gone (two pings and a quarter).
pub fn gone_after_ms(env: &Env) -> i64 {
    let every = ping_every_ms(env);
    2 * every + every / 4
}

/// Keeps the alarm set while sockets are open: sets it unless one is due.
pub async fn keep_alarm(state: &State, env: &Env) -> Result<(), ApiError> {
    if state.storage().get_alarm().await.internal("reading the hub's alarm")?.is_none() {
        next_alarm(state, env).await?;
    }
    Ok(())
}

/// Sets the next ping (from the alarm itself, whose own alarm still reads as set until it ends).
pub async fn next_alarm(state: &State, env: &Env) -> Result<(), ApiError> {
    let every = std::time::Duration::from_millis(ping_every_ms(env) as u64);
    state.storage().set_alarm(every).await.internal("setting the hub's alarm")
}

/// Works out the person's presence from their live devices; when it changed, records it and
/// tells their contacts. `who` is (user id, username) when known from a device.
pub async fn refresh(
    state: &State,
    env: &Env,
    who: Option<(&str, &str)>,
    devices: &[Beat],
    now_ms: i64,
) -> Result<(), ApiError> {
    let storage = state.storage();
    let told: Option<Told> = storage.get(TOLD).await.internal("reading the told presence")?;
    let (user_id, username) = match (who, &told) {
        (Some((id, name)), _) => (id.to_owned(), name.to_owned()),
        (None, Some(told)) => (told.user_id.clone(), told.username.clone()),
        (None, None) => return Ok(()),
    };
    let live: Vec<presence::Device> = devices
        .iter()
        .map(|d| presence::Device { connected: true, last_heard: d.last_heard, last_active: d.last_active })
        .collect();
    let last_active = live
        .iter()
        .map(|d| d.last_active)
        .chain(told.as_ref().map(|t| t.last_active))
        .max()
        .unwrap_or(now_ms);
    let mut now = presence::presence(&live, now_ms);
    if now.status != Status::Online {
        now.last_seen = Some(last_active);
    }
    let changed = told.as_ref().is_none_or(|t| t.status != now.status);
    storage
        .put(
            TOLD,
            Told { user_id: user_id.clone(), username: username.clone(), status: now.status, last_active },
        )
        .await
        .internal("keeping the told presence")?;
    if !changed {
        return Ok(());
    }
    let db = env.d1("DB").internal("D1 binding")?;
    store::set(&db, &user_id, now, now_ms).await?;
    let shows_last_seen = contacts_store::settings(&db, &user_id).await?.shows_last_seen;
    let frame = frame(&username, as_shown(now, shows_last_seen));
    fan_out(env, &store::watchers(&db, &user_id).await?, &frame).await;
    Ok(())
}

fn frame(username: &str, presence: Presence) -> ServerFrame {
    ServerFrame::Presence {
        user: username.to_owned(),
        status: presence.status,
        last_seen: presence.last_seen.map(|ms| Timestamp(ms).to_rfc3339()),
    }
}

/// The presence frames of everyone whose presence `user_id` may see.
pub async fn contacts_presence(env: &Env, user_id: &str) -> Result<Vec<ServerFrame>, ApiError> {
    let db = env.d1("DB").internal("D1 binding")?;
    Ok(store::of_contacts(&db, user_id)
        .await?
        .into_iter()
        .map(|c| frame(&c.username, as_shown(c.presence, c.shows_last_seen)))
        .collect())
}
