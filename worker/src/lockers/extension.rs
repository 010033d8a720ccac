//! A paid extension that came too late — Pay captured its payment after the parcel's window had
//! ended, or after another order had extended it — moved nothing (`store::extend_on_capture`):
//! its payment is refunded in full as soon as it is captured, and, should that fail, by the Cron
//! Trigger a minute on ([`refund_missed`]). Pay never refunds more than was captured, so a refund
//! tried twice gives the money back once.

use super::store;
use crate::pay::services::{refunds, runtime::Runtime};
use serde_json::{json, Map};
use shared::lockers::window::LOCKERS_MERCHANT_ID;
use worker::{console_error, Env};

/// Refunds `payment_id` if it paid for an extension that was refused; called after every capture
/// of an order of Lockers'. A failure is logged: the row stays unrefunded, to be seen and retried.
pub async fn refund_if_late(run: &Runtime<'_>, payment_id: &str) {
    let refunded = async {
        let db = run.db()?;
        let Some(order_id) = store::refused_unrefunded(&db, payment_id).await? else {
            return Ok(());
        };
        // Refunded already, but not recorded (the write after it was lost): record that one.
        if let Some(refund_id) = store::refund_of(&db, payment_id).await? {
            store::mark_refunded(&db, &order_id, &refund_id).await?;
            return Ok(());
        }
        let mut body = Map::new();
        body.insert(
            "notes".into(),
            json!({"reason": "locker pickup window extension paid after it could apply"}),
        );
        let refund = refunds::refund(run, LOCKERS_MERCHANT_ID, payment_id, &body).await?;
        store::mark_refunded(&db, &order_id, &refund.id).await?;
        Ok::<(), shared::pay::RazorpayError>(())
    }
    .await;
    if let Err(err) = refunded {
        console_error!("refunding a late locker extension {payment_id}: {err:?}");
    }
}

/// The refunds the captures' own follow-ups missed (the Cron Trigger); how many were tried.
pub async fn refund_missed(env: &Env, now_ms: i64) -> Result<usize, shared::ApiError> {
    let run = Runtime { env, now_ms, after_response: None, client_ip: None };
    let payments = store::unrefunded(&run.db()?, now_ms - 60_000).await?;
    for payment_id in &payments {
        refund_if_late(&run, payment_id).await;
    }
    Ok(payments.len())
}
