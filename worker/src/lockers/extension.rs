//! A paid extension that came too late — Pay captured its payment after the parcel's window had
//! ended, or after another order had extended it — moved nothing (`store::extend_on_capture`):
//! its payment is refunded in full as soon as it is captured.

use super::store;
use crate::pay::services::{refunds, runtime::Runtime};
use serde_json::{json, Map};
use shared::lockers::window::LOCKERS_MERCHANT_ID;
use worker::console_error;

/// Refunds `payment_id` if it paid for an extension that was refused; called after every capture
/// of an order of Lockers'. A failure is logged: the row stays unrefunded, to be seen and retried.
pub async fn refund_if_late(run: &Runtime<'_>, payment_id: &str) {
    let refunded = async {
        let db = run.db()?;
        let Some(order_id) = store::refused_unrefunded(&db, payment_id).await? else {
            return Ok(());
        };
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
