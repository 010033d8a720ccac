//! `LockerBank`, one Durable Object per bank of compartments: deposits, pickups and collections
//! at one bank take turns (`Turns`), so two couriers racing for its last compartment get one
//! compartment and one "full" (D1's guarded writes would refuse a double allocation anyway).
//! It holds compartments for returns the same way. It throttles wrong codes for the whole bank —
//! not per parcel, so guessing across every waiting parcel is as slow as guessing one — and its
//! alarm expires the parcels whose window ended and lets go of the holds that lapsed. A location's
//! first bank also keeps the count for codes typed at the location as a whole.

use super::store::{self, CodeScope};
use crate::{
    http::{error_response, internal, OrInternal},
    platform::now_ms,
    turns::Turns,
};
use serde::{Deserialize, Serialize};
use shared::{
    lockers::{
        code::{code_hash, derive_code},
        package::{Kind, Opened, Purpose, Status},
        size::{allocate, Parcel, Size},
        window::{dropoff_deadline, pickup_deadline, time_zone},
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

/// `POST /pickup`: a code typed at a bank's kiosk (`only_bank`) or at its location's, or
/// (`package_id`, with no code) its holder opening their own compartment from the app. It picks up
/// a delivery or drops off a return, whichever the code is for. Codes go to the location's first
/// bank (`bank_id`), whose object counts the wrong ones for the whole location; an app's opening
/// goes to the parcel's own bank.
#[derive(Serialize, Deserialize)]
pub struct PickupRequest {
    /// The bank whose object is asked.
    pub bank_id: String,
    pub location_id: String,
    pub only_bank: Option<String>,
    pub code: Option<String>,
    pub package_id: Option<String>,
    /// Who opens it from the app: the code's holder.
    pub recipient_id: Option<String>,
}

/// `POST /reserve`: a compartment held for a return.
#[derive(Serialize, Deserialize)]
pub struct ReserveRequest {
    pub bank_id: String,
    pub id: String,
    pub return_of: String,
    pub sender_id: String,
    pub recipient_id: String,
    pub size: Size,
    pub parcel: Parcel,
    pub reference: Option<String>,
}

/// `POST /collect`: a courier taking an expired parcel back.
#[derive(Serialize, Deserialize)]
pub struct CollectRequest {
    pub bank_id: String,
    pub package_id: String,
    pub courier_id: String,
}

/// A deposit's or a reservation's answer: the compartment, or none (the bank has none free that
/// fits).
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
            "/reserve" => match req.json::<ReserveRequest>().await {
                Ok(asked) => {
                    self.reserve(&asked).await.and_then(|r| Response::from_json(&r).internal("reserve reply"))
                }
                Err(err) => Err(internal("a reserve request", err)),
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

    /// A parcel's window ended: expired, to be carried back (or a return's hold lapsed).
    async fn alarm(&self) -> Result<Response> {
        let turn = self.turns.ticket();
        turn.wait().await;
        let bank_id = match self.state.storage().get::<String>("bank_id").await {
            Ok(Some(bank_id)) => bank_id,
            // Never armed with a bank: nothing to do.
            Ok(None) => return Response::empty(),
            // Not read this time: looked at again in a minute.
            Err(_) => {
                let _ = self.state.storage().set_alarm(60_000).await;
                return Response::empty();
            }
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

    /// Makes sure the object wakes by `at` at the latest, before a write that gives a parcel that
    /// deadline: should the object stop between the write and [`Self::set_alarm`], the parcel is
    /// still expired in time.
    async fn arm_by(&self, bank_id: &str, at: i64) {
        let storage = self.state.storage();
        if storage.put("bank_id", bank_id.to_owned()).await.is_err() {
            return;
        }
        let armed = storage.get_alarm().await.ok().flatten();
        if armed.is_none_or(|when| when > at) {
            let _ = storage.set_alarm((at - now_ms()).max(1)).await;
        }
    }

    fn test_window_ms(&self) -> Option<i64> {
        test_window_ms(&self.env)
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
            let Some(offer) =
                offer(&db, &secret, &place, &asked.bank_id, asked.size, &asked.package_id).await?
            else {
                return Ok(DepositReply { opened: None });
            };
            let deposit = store::Deposit {
                package_id: &asked.package_id,
                bank_id: &asked.bank_id,
                location_id: &place.location_id,
                door: offer.door,
                code_nonce: offer.nonce,
                code_hash: &offer.hash,
                pickup_by,
                courier_id: &asked.courier_id,
                now_ms: now,
            };
            self.arm_by(&asked.bank_id, pickup_by).await;
            if store::deposit(&db, &deposit).await? {
                self.set_alarm(&asked.bank_id).await;
                return Ok(DepositReply {
                    opened: Some(offer.opened(place, &asked.package_id, pickup_by, Purpose::Deposit)),
                });
            }
            // The parcel moved meanwhile (deposited — by a deposit asked twice at once — or
            // cancelled), or the door or the code did: look again.
            let package = store::package(&db, &asked.package_id).await?;
            // In a door already — of this bank or, asked at once at two, another of the location's.
            if let Some(bank_id) = package
                .as_ref()
                .filter(|p| p.status == Status::InLocker.as_str())
                .and_then(|p| p.bank_id.clone())
            {
                if let Some(held) = store::held(&db, &bank_id, &asked.package_id).await? {
                    return Ok(DepositReply { opened: Some(held.opened(Purpose::Deposit)) });
                }
            }
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
                        "Too many wrong codes here: the locker takes codes again later.",
                    );
                    err.retry_after_secs =
                        Some(u32::try_from(wait_ms.max(1_000) / 1_000).unwrap_or(u32::MAX));
                    return Err(err);
                }
                let secret = crate::platform::secret(&self.env, "LOCKERS_SECRET")?;
                let hash = code_hash(&secret, &asked.location_id, code);
                let scope = match &asked.only_bank {
                    Some(bank_id) => CodeScope::Bank(bank_id),
                    None => CodeScope::Location(&asked.location_id),
                };
                match store::held_by_code(&db, &asked.location_id, scope, &hash, now).await? {
                    Some(held) => held,
                    None => {
                        wrong.push(now);
                        self.state.storage().put(WRONG_KEY, wrong).await.internal("counting a wrong code")?;
                        return Err(ApiError::not_found("No parcel here has that code."));
                    }
                }
            }
            (None, Some(package_id)) => store::held(&db, &asked.bank_id, package_id)
                .await?
                .filter(|h| asked.recipient_id.as_deref() == Some(h.holder()))
                .ok_or_else(|| ApiError::not_found("No parcel of yours waits at this bank."))?,
            (None, None) => return Err(ApiError::invalid("code", "Type the code.")),
        };
        let bank_id = held.bank_id.clone();
        let holder = held.holder().to_owned();
        let expired =
            || ApiError::new(ErrorCode::Gone, "This code has expired: the parcel goes back to its sender.");
        let purpose = match (held.kind(), Status::parse(&held.status)) {
            (Kind::Delivery, Some(Status::InLocker)) => {
                // Refused only when its deadline passed before the clock expired it.
                if !store::take_out(&db, &held.id, Status::InLocker, Status::PickedUp, Some(&holder), now)
                    .await?
                {
                    return Err(expired());
                }
                Purpose::PickUp
            }
            (Kind::Return, Some(Status::Reserved)) => {
                if !store::drop_off(&db, &held.id, &holder, now).await? {
                    return Err(ApiError::new(
                        ErrorCode::Gone,
                        "This drop-off code has lapsed: ask for a new one.",
                    ));
                }
                Purpose::DropOff
            }
            (Kind::Return, Some(Status::Returned)) => {
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    "This return was dropped off and collected already.",
                ));
            }
            (_, Some(Status::Expired | Status::Returned)) => return Err(expired()),
            (_, Some(Status::Lapsed)) => {
                return Err(ApiError::new(
                    ErrorCode::Gone,
                    "This drop-off code has lapsed: ask for a new one.",
                ));
            }
            (_, Some(Status::PickedUp)) => {
                return Err(ApiError::new(ErrorCode::Conflict, "This parcel was picked up already."));
            }
            (_, Some(Status::DroppedOff)) => {
                return Err(ApiError::new(ErrorCode::Conflict, "This return was dropped off already."));
            }
            _ => return Err(ApiError::not_found("No parcel of yours waits at this bank.")),
        };
        if bank_id == asked.bank_id {
            self.set_alarm(&bank_id).await;
        }
        Ok(held.opened(purpose))
    }

    /// Holds the smallest free compartment that fits a return, to the end of the location's next
    /// day (or the test window), with a drop-off code for its sender.
    async fn reserve(&self, asked: &ReserveRequest) -> std::result::Result<DepositReply, ApiError> {
        let db = db(&self.env)?;
        let place = store::bank_place(&db, &asked.bank_id)
            .await?
            .ok_or_else(|| ApiError::not_found("No such bank."))?;
        let secret = crate::platform::secret(&self.env, "LOCKERS_SECRET")?;
        let now = now_ms();
        let hold_until = match self.test_window_ms() {
            Some(window) => now + window,
            None => dropoff_deadline(now, &time_zone(&place.timezone, "timezone")?)
                .ok_or_else(|| internal("a drop-off deadline", &place.timezone))?,
        };
        for _ in 0..3 {
            let Some(offer) = offer(&db, &secret, &place, &asked.bank_id, asked.size, &asked.id).await?
            else {
                return Ok(DepositReply { opened: None });
            };
            let reservation = store::Reservation {
                id: &asked.id,
                return_of: &asked.return_of,
                sender_id: &asked.sender_id,
                recipient_id: &asked.recipient_id,
                location_id: &place.location_id,
                bank_id: &asked.bank_id,
                door: offer.door,
                size: offer.size,
                parcel: &asked.parcel,
                reference: asked.reference.as_deref(),
                code_nonce: offer.nonce,
                code_hash: &offer.hash,
                hold_until,
                now_ms: now,
            };
            self.arm_by(&asked.bank_id, hold_until).await;
            if store::reserve(&db, &reservation).await? {
                self.set_alarm(&asked.bank_id).await;
                return Ok(DepositReply {
                    opened: Some(offer.opened(place, &asked.id, hold_until, Purpose::DropOff)),
                });
            }
            // The door went meanwhile — or the return may not be made at all: look again.
            if store::return_of(&db, &asked.return_of).await?.is_some() {
                return Err(ApiError::new(ErrorCode::Conflict, "This parcel is on its way back already."));
            }
        }
        Err(ApiError::new(ErrorCode::Unavailable, "The bank is busy: try again in a moment."))
    }

    async fn collect(&self, asked: &CollectRequest) -> std::result::Result<Opened, ApiError> {
        let db = db(&self.env)?;
        let now = now_ms();
        // The clock may be behind the window: expire what is due first.
        store::expire(&db, &asked.bank_id, now).await?;
        let held = store::held(&db, &asked.bank_id, &asked.package_id)
            .await?
            .ok_or_else(|| ApiError::not_found("No such parcel at this bank."))?;
        let from = match Status::parse(&held.status) {
            Some(from @ (Status::Expired | Status::DroppedOff)) => from,
            _ => {
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    "Only a parcel whose window ended, or a return dropped off, is carried back.",
                ))
            }
        };
        if !store::take_out(&db, &held.id, from, Status::Returned, Some(&asked.courier_id), now).await? {
            return Err(ApiError::new(ErrorCode::Conflict, "This parcel was carried back already."));
        }
        self.set_alarm(&asked.bank_id).await;
        Ok(held.opened(Purpose::Collect))
    }
}

/// What a deposit or a reservation is about to write: the door (the smallest free one that fits,
/// and its size) and a code for the parcel.
struct Offer {
    bank_id: String,
    door: u16,
    size: Size,
    nonce: u32,
    hash: String,
}

impl Offer {
    /// The door, opened for `purpose`, once written; its parcel waits until `deadline`.
    fn opened(self, place: store::BankPlace, package_id: &str, deadline: i64, purpose: Purpose) -> Opened {
        Opened {
            package_id: package_id.to_owned(),
            location_id: place.location_id,
            location_name: place.location_name,
            bank_id: self.bank_id,
            bank_name: place.bank_name,
            door: self.door,
            size: self.size,
            pickup_by: Some(rfc3339(deadline)),
            purpose,
        }
    }
}

/// The smallest free door of the bank that takes a parcel of `size`, with a free code for parcel
/// `id`; None when the bank is full for it.
async fn offer(
    db: &worker::D1Database,
    secret: &[u8],
    place: &store::BankPlace,
    bank_id: &str,
    size: Size,
    id: &str,
) -> std::result::Result<Option<Offer>, ApiError> {
    let doors = store::doors(db, bank_id).await?;
    let Some(door) = allocate(&doors, size) else {
        return Ok(None);
    };
    let size = doors.iter().find(|d| d.door == door).map_or(size, |d| d.size);
    let (nonce, hash) = free_code(db, secret, &place.location_id, id).await?;
    Ok(Some(Offer { bank_id: bank_id.to_owned(), door, size, nonce, hash }))
}

/// A code no other parcel behind the location's doors has, for parcel `id`: its nonce and its hash
/// (a million codes, a few thousand doors: a clash is rare, twenty in a row never happens).
async fn free_code(
    db: &worker::D1Database,
    secret: &[u8],
    location_id: &str,
    id: &str,
) -> std::result::Result<(u32, String), ApiError> {
    for nonce in 0..=20 {
        let hash = code_hash(secret, location_id, &derive_code(secret, id, nonce));
        if !store::code_taken(db, location_id, &hash).await? {
            return Ok((nonce, hash));
        }
    }
    Err(ApiError::new(ErrorCode::Unavailable, "No code is free at this location: try again."))
}

/// Every window in ms when tests shorten them (`LOCKERS_WINDOW_MS`: pickups, drop-offs and an
/// extension each last that long); none: the location's days.
pub fn test_window_ms(env: &Env) -> Option<i64> {
    env.var("LOCKERS_WINDOW_MS").ok().and_then(|v| v.to_string().parse().ok()).filter(|ms: &i64| *ms > 0)
}
