//! Presence from heartbeats: a person is online while one of their devices is connected and
//! was used in the last 5 minutes, away while connected but idle, and offline otherwise, with
//! when they were last seen. The server pings each socket at most every 45 s; a device that
//! answers nothing for two pings and some slack is taken as gone, even if its socket never
//! closed (a phone in a tunnel).

use serde::{Deserialize, Serialize};

/// Idle this long: away.
pub const AWAY_AFTER_MS: i64 = 5 * 60 * 1000;
/// The server pings a socket at most this often.
pub const PING_EVERY_MS: i64 = 45_000;
/// Nothing heard from a device for this long: it is gone.
pub const GONE_AFTER_MS: i64 = 2 * PING_EVERY_MS + 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Online,
    Away,
    Offline,
}

/// What the server knows of one device of a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Device {
    pub connected: bool,
    /// Anything from it (a frame, a pong), unix ms.
    pub last_heard: i64,
    /// Something its person did (sent, read, typed, came back to the tab), unix ms.
    pub last_active: i64,
}

/// A person's presence as others may see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Presence {
    pub status: Status,
    /// When they were last active, when not online (and when they let it be seen).
    pub last_seen: Option<i64>,
}

/// A person's presence from their devices at `now_ms`.
pub fn presence(devices: &[Device], now_ms: i64) -> Presence {
    let live: Vec<&Device> =
        devices.iter().filter(|d| d.connected && now_ms - d.last_heard < GONE_AFTER_MS).collect();
    let last_active = devices.iter().map(|d| d.last_active).max();
    let status = match live.iter().map(|d| d.last_active).max() {
        Some(active) if now_ms - active < AWAY_AFTER_MS => Status::Online,
        Some(_) => Status::Away,
        None => Status::Offline,
    };
    Presence { status, last_seen: if status == Status::Online { None } else { last_active } }
}

/// Presence as shown to others: without the person's leave, no last seen.
pub fn as_shown(presence: Presence, shows_last_seen: bool) -> Presence {
    Presence { last_seen: presence.last_seen.filter(|_| shows_last_seen), ..presence }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 10_000_000;

    fn device(connected: bool, heard_ago: i64, active_ago: i64) -> Device {
        Device { connected, last_heard: NOW - heard_ago, last_active: NOW - active_ago }
    }

    #[test]
    fn connected_and_used_lately_is_online() {
        assert_eq!(
            presence(&[device(true, 1_000, 60_000)], NOW),
            Presence { status: Status::Online, last_seen: None }
        );
    }

    #[test]
    fn connected_but_idle_five_minutes_is_away_with_when() {
        let idle = device(true, 1_000, AWAY_AFTER_MS);
        assert_eq!(
            presence(&[idle], NOW),
            Presence { status: Status::Away, last_seen: Some(NOW - AWAY_AFTER_MS) }
        );
    }

    #[test]
    fn one_active_device_is_enough_and_last_seen_is_the_latest_of_all() {
        let phone = device(true, 1_000, AWAY_AFTER_MS * 3);
        let laptop = device(true, 500, 10_000);
        assert_eq!(presence(&[phone, laptop], NOW).status, Status::Online);
        let closed = device(false, 60_000, 60_000);
        let old = device(false, 900_000, 900_000);
        assert_eq!(
            presence(&[old, closed], NOW),
            Presence { status: Status::Offline, last_seen: Some(NOW - 60_000) }
        );
    }

    #[test]
    fn a_silent_socket_counts_as_gone() {
        let tunnel = device(true, GONE_AFTER_MS, 30_000);
        assert_eq!(presence(&[tunnel], NOW).status, Status::Offline);
        assert_eq!(presence(&[device(true, GONE_AFTER_MS - 1, 30_000)], NOW).status, Status::Online);
        assert_eq!(presence(&[], NOW), Presence { status: Status::Offline, last_seen: None });
    }

    #[test]
    fn last_seen_is_hidden_when_the_person_says_so() {
        let away = presence(&[device(true, 1_000, AWAY_AFTER_MS)], NOW);
        assert_eq!(as_shown(away, false), Presence { status: Status::Away, last_seen: None });
        assert_eq!(as_shown(away, true), away);
    }
}
