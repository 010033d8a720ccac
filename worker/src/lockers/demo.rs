//! The demo account's lockers (`shared::lockers::demo`): its locations written like an admin's,
//! its parcels made like a sender's, and deposited and picked up through the banks' objects, so
//! their codes, doors, deadlines and alarms are what real ones get.

use super::{
    api::ask_bank,
    bank::{DepositReply, DepositRequest, PickupRequest},
    store,
};
use crate::{http::OrInternal, password::random, product::JobResult};
use shared::{
    demo::DEMO_USER_ID,
    ids::TimeId,
    lockers::{
        demo::{Stage, LOCATIONS, PARCELS},
        package::Opened,
        size::Parcel,
    },
    ApiError,
};
use worker::Env;

pub async fn seed(env: &Env, now_ms: i64) -> JobResult {
    let db = env.d1("DB").internal("D1 binding")?;
    let mut rows = 0;
    let mut locations = Vec::new();
    for demo in &LOCATIONS {
        let location = demo.new_location().check()?;
        let id = TimeId::new(now_ms, random::<10>()?).to_string();
        let mut bank_ids = Vec::new();
        for _ in &location.banks {
            bank_ids.push(TimeId::new(now_ms, random::<10>()?).to_string());
        }
        store::insert_location(&db, &id, &location, &bank_ids, DEMO_USER_ID, now_ms).await?;
        rows += 1 + bank_ids.len();
        locations.push((id, bank_ids));
    }
    for demo in &PARCELS {
        let (Some(sender), Some(recipient)) =
            (store::user_id(&db, demo.sender).await?, store::user_id(&db, demo.recipient).await?)
        else {
            // Chat's friends are seeded before Lockers; without them there is no one to send.
            continue;
        };
        let [length_mm, width_mm, height_mm] = demo.dimensions_mm;
        let parcel = Parcel { length_mm, width_mm, height_mm, weight_g: demo.weight_g };
        let size = parcel.smallest_size().map_err(|unfit| ApiError::invalid("parcel", unfit.reason()))?;
        let (location_id, bank_ids) = &locations[demo.location];
        let id = TimeId::new(now_ms, random::<10>()?).to_string();
        store::insert_package(
            &db,
            &id,
            &sender,
            &recipient,
            location_id,
            size,
            &parcel,
            Some(demo.reference),
            now_ms,
        )
        .await?;
        rows += 1;
        if demo.stage == Stage::OnItsWay {
            continue;
        }
        let bank_id = &bank_ids[0];
        let asked = DepositRequest {
            bank_id: bank_id.clone(),
            package_id: id.clone(),
            size,
            courier_id: DEMO_USER_ID.to_owned(),
        };
        let reply: DepositReply = ask_bank(env, bank_id, "/deposit", &asked).await?;
        if reply.opened.is_none() {
            return Err(crate::http::internal("the lockers demo", "a demo bank is full").into());
        }
        if demo.stage == Stage::PickedUp {
            let asked = PickupRequest {
                bank_id: bank_id.clone(),
                location_id: location_id.clone(),
                only_bank: None,
                code: None,
                package_id: Some(id.clone()),
                recipient_id: Some(recipient.clone()),
            };
            let _: Opened = ask_bank(env, bank_id, "/pickup", &asked).await?;
        }
    }
    Ok(rows)
}
