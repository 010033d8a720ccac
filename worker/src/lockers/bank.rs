//! `LockerBank`, one Durable Object per bank of compartments: deposits, pickups and collections
//! at one bank take turns (`Turns`), so two couriers racing for its last compartment get one
//! compartment and one "full" (D1's guarded writes would refuse a double allocation anyway).
//! It throttles wrong codes for the whole bank — not per parcel, so guessing across every waiting
//! parcel is as slow as guessing one — and its alarm expires the parcels whose window ended.

use super::store;
use crate::{
    http::{error_response, internal, OrInternal},
    platform::now_ms,
    turns::Turns,
};
use serde::{Deserialize, Serialize};
use shared::{
    lockers::{
        code::{code_hash, derive_code},
        package::{Opened, Status},
        size::{allocate, Size},
        window::{pickup_deadline, time_zone},
    },
    time::Timestamp,
    ApiError, ErrorCode,
};
use worker::{durable_object, DurableObject, Env, Request, Response, Result, State};

/// Wrong codes a bank takes in [`THROTTLE_WINDOW_MS`] before it refuses every code (429) until
/// the oldest of them is that old.
pub const WRONG_CODES: usize = 10;
pub const THROTTLE_WINDOW_MS: i64 = 3_600_000;
const WRONG_KEY: &str = "wrong";

/// `POST /deposit`.
#[derive(Serialize, Deserialize)]
pub struct DepositRequest {
    pub bank_id: String,
    pub package_id: String,
    pub size: Size,
    pub courier_id: String,
}

/// `POST /pickup`: a code typed at the bank, or (`package_id`, with no code) the recipient
/// opening their own compartment from the app.
#[derive(Serialize, Deserialize)]
pub struct PickupRequest {
    pub bank_id: String,
    pub code: Option<String>,
    pub package_id: Option<String>,
    pub recipient_id: Option<String>,
}

/// `POST /collect`: a courier taking an expired parcel back.
#[derive(Serialize, Deserialize)]
pub struct CollectRequest {
    pub bank_id: String,
    pub package_id: String,
    pub courier_id: String,
}

/// A deposit's answer: the compartment, or none (the bank has none free that fits).
#[derive(Serialize, Deserialize)]
pub struct DepositReply {
    pub opened: Option<Opened>,
}

#[durable_object]
pub struct LockerBank {
    state: State,
    env: Env,
    turns: Turns,
}

impl DurableObject for LockerBank {
    fn new(state: State, env: Env) -> Self {
        Self { state, env, turns: Turns::default() }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let turn = self.turns.ticket();
        turn.wait().await;
        let answer = match req.path().as_str() {
            "/deposit" => match req.json::<DepositRequest>().await {
                Ok(asked) => {
                    self.deposit(&asked).await.and_then(|r| Response::from_json(&r).internal("deposit reply"))
                }
                Err(err) => Err(internal("a deposit request", err)),
            },
            "/pickup" => match req.json::<PickupRequest>().await {
                Ok(asked) => {
                    self.pickup(&asked).await.and_then(|r| Response::from_json(&r).internal("pickup reply"))
                }
                Err(err) => Err(internal("a pickup request", err)),
            },
            "/collect" => match req.json::<CollectRequest>().await {
                Ok(asked) => {
                    self.collect(&asked).await.and_then(|r| Response::from_json(&r).internal("collect reply"))
                }
                Err(err) => Err(internal("a collect request", err)),
            },
            _ => Err(ApiError::not_found("No such bank request.")),
        };
        Ok(answer.unwrap_or_else(|err| error_response(&err)))
    }

    /// A parcel's window ended: expired, to be carried back.
    async fn alarm(&self) -> Result<Response> {
        let turn = self.turns.ticket();
        turn.wait().await;
        let Some(bank_id) = self.state.storage().get::<String>("bank_id").await.ok().flatten() else {
            return Response::empty();
        };
        let now = now_ms();
        let done = match self.env.d1("DB") {
            Ok(db) => store::expire(&db, &bank_id, now).await.map(drop),
            Err(err) => Err(internal("DB binding", err)),
        };
        if done.is_err() {
            // Tried again in a minute.
            let _ = self.state.storage().set_alarm(60_000).await;
            return Response::empty();
        }
        self.set_alarm(&bank_id).await;
        Response::empty()
    }
}

fn db(env: &Env) -> std::result::Result<worker::D1Database, ApiError> {
    env.d1("DB").internal("DB binding")
}

fn rfc3339(ms: i64) -> String {
    Timestamp(ms).to_rfc3339()
}

impl LockerBank {
    /// Wakes the object at the bank's next deadline (kept with its id, for the alarm). When D1
    /// or the storage cannot say, it wakes in a minute to look again: an alarm is never dropped
    /// for a passing error.
    async fn set_alarm(&self, bank_id: &str) {
        let storage = self.state.storage();
        let kept = storage.put("bank_id", bank_id.to_owned()).await;
        let next = match (kept, self.env.d1("DB")) {
            (Ok(()), Ok(db)) => store::next_deadline(&db, bank_id).await.map_err(|_| ()),
            _ => Err(()),
        };
        let set = match next {
            Ok(Some(at)) => storage.set_alarm((at - now_ms()).max(1)).await,
            Ok(None) => storage.delete_alarm().await,
            Err(()) => storage.set_alarm(60_000).await,
        };
        if let Err(err) = set {
            let _ = internal("setting a bank's alarm", err);
        }
    }

    /// The pickup window in ms when tests shorten it (`LOCKERS_WINDOW_MS`); none: three local days.
    fn test_window_ms(&self) -> Option<i64> {
        self.env
            .var("LOCKERS_WINDOW_MS")
            .ok()
            .and_then(|v| v.to_string().parse().ok())
            .filter(|ms: &i64| *ms > 0)
    }

    async fn deposit(&self, asked: &DepositRequest) -> std::result::Result<DepositReply, ApiError> {
        let db = db(&self.env)?;
        let place = store::bank_place(&db, &asked.bank_id)
            .await?
            .ok_or_else(|| ApiError::not_found("No such bank."))?;
        let secret = crate::platform::secret(&self.env, "LOCKERS_SECRET")?;
        let now = now_ms();
        let pickup_by = match self.test_window_ms() {
            Some(window) => now + window,
            None => pickup_deadline(now, &time_zone(&place.timezone, "timezone")?)
                .ok_or_else(|| internal("a pickup deadline", &place.timezone))?,
        };
        // Turns keep other deposits out; the guarded write keeps out anything else.
        for _ in 0..3 {
            let doors = store::doors(&db, &asked.bank_id).await?;
            let Some(door) = allocate(&doors, asked.size) else {
                return Ok(DepositReply { opened: None });
            };
            let size = doors.iter().find(|d| d.door == door).map_or(asked.size, |d| d.size);
            // A code no other parcel behind the bank's doors has (a million codes, a few hundred
            // doors: a clash is rare, twenty in a row never happens).
            let mut nonce = 0;
            let hash = loop {
                let hash =
                    code_hash(&secret, &asked.bank_id, &derive_code(&secret, &asked.package_id, nonce));
                if !store::code_taken(&db, &asked.bank_id, &hash).await? {
                    break hash;
                }
                nonce += 1;
                if nonce > 20 {
                    return Err(ApiError::new(
                        ErrorCode::Unavailable,
                        "No code is free at this bank: try again.",
                    ));
                }
            };
            let deposit = store::Deposit {
                package_id: &asked.package_id,
                bank_id: &asked.bank_id,
                location_id: &place.location_id,
                door,
                code_nonce: nonce,
                code_hash: &hash,
                pickup_by,
                courier_id: &asked.courier_id,
                now_ms: now,
            };
            if store::deposit(&db, &deposit).await? {
                self.set_alarm(&asked.bank_id).await;
                return Ok(DepositReply {
                    opened: Some(Opened {
                        package_id: asked.package_id.clone(),
                        location_id: place.location_id,
                        bank_id: asked.bank_id.clone(),
                        door,
                        size,
                        pickup_by: Some(rfc3339(pickup_by)),
                    }),
                });
            }
            // The parcel moved meanwhile (deposited, cancelled), or the door did: look again.
            let package = store::package(&db, &asked.package_id).await?;
            if package.is_none_or(|p| !matches!(p.status.as_str(), "created" | "in_transit")) {
                return Err(ApiError::new(ErrorCode::Conflict, "This parcel is not on its way to a locker."));
            }
        }
        Err(ApiError::new(ErrorCode::Unavailable, "The bank is busy: try again in a moment."))
    }

    /// Wrong codes in the last window, after dropping older ones.
    async fn wrong_codes(&self, now: i64) -> Vec<i64> {
        let mut wrong: Vec<i64> =
            self.state.storage().get(WRONG_KEY).await.ok().flatten().unwrap_or_default();
        wrong.retain(|at| now - at < THROTTLE_WINDOW_MS);
        wrong
    }

    async fn pickup(&self, asked: &PickupRequest) -> std::result::Result<Opened, ApiError> {
        let db = db(&self.env)?;
        let now = now_ms();
        let held = match (&asked.code, &asked.package_id) {
            (Some(code), _) => {
                let mut wrong = self.wrong_codes(now).await;
                if wrong.len() >= WRONG_CODES {
                    let wait_ms = wrong[0] + THROTTLE_WINDOW_MS - now;
                    let mut err = ApiError::new(
                        ErrorCode::RateLimited,
                        "Too many wrong codes at this bank: it takes codes again later.",
                    );
                    err.retry_after_secs =
                        Some(u32::try_from(wait_ms.max(1_000) / 1_000).unwrap_or(u32::MAX));
                    return Err(err);
                }
                let secret = crate::platform::secret(&self.env, "LOCKERS_SECRET")?;
                let hash = code_hash(&secret, &asked.bank_id, code);
                match store::held_by_code(&db, &asked.bank_id, &hash, now).await? {
                    Some(held) => held,
                    None => {
                        wrong.push(now);
                        self.state.storage().put(WRONG_KEY, wrong).await.internal("counting a wrong code")?;
                        return Err(ApiError::not_found("No parcel at this bank has that code."));
                    }
                }
            }
            (None, Some(package_id)) => store::held(&db, &asked.bank_id, package_id)
                .await?
                .filter(|h| asked.recipient_id.as_deref() == Some(h.recipient_id.as_str()))
                .ok_or_else(|| ApiError::not_found("No parcel of yours waits at this bank."))?,
            (None, None) => return Err(ApiError::invalid("code", "Type the code.")),
        };
        let expired =
            || ApiError::new(ErrorCode::Gone, "This code has expired: the parcel goes back to its sender.");
        match Status::parse(&held.status) {
            Some(Status::InLocker) => {
                // Its recipient took it, whether by code at the bank or from the app.
                let actor = Some(held.recipient_id.as_str());
                // Refused only when its deadline passed before the clock expired it.
                if !store::take_out(&db, &held.id, Status::InLocker, Status::PickedUp, actor, now).await? {
                    return Err(expired());
                }
            }
            Some(Status::Expired | Status::Returned) => return Err(expired()),
            Some(Status::PickedUp) => {
                return Err(ApiError::new(ErrorCode::Conflict, "This parcel was picked up already."));
            }
            _ => return Err(ApiError::not_found("No parcel of yours waits at this bank.")),
        }
        self.set_alarm(&asked.bank_id).await;
        Ok(held.opened(&asked.bank_id))
    }

    async fn collect(&self, asked: &CollectRequest) -> std::result::Result<Opened, ApiError> {
        let db = db(&self.env)?;
        let now = now_ms();
        // The clock may be behind the window: expire what is due first.
        store::expire(&db, &asked.bank_id, now).await?;
        let held = store::held(&db, &asked.bank_id, &asked.package_id)
            .await?
            .ok_or_else(|| ApiError::not_found("No such parcel at this bank."))?;
        if held.status != Status::Expired.as_str()
            || !store::take_out(
                &db,
                &held.id,
                Status::Expired,
                Status::Returned,
                Some(&asked.courier_id),
                now,
            )
            .await?
        {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                "Only a parcel whose window ended is carried back.",
            ));
        }
        self.set_alarm(&asked.bank_id).await;
        Ok(held.opened(&asked.bank_id))
    }
}
