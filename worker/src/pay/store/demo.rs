//! The demo merchant's Pay rows, all at once: whether there are any (the demo seeds only an empty
//! merchant), and deleting what a failed seeding wrote (`worker/src/demo.rs` then releases its
//! claim, and the next seeding starts from none of them).

use crate::d1::{first, prepare, text};
use serde::Deserialize;
use shared::ApiError;
use worker::{D1Database, D1PreparedStatement};

/// Whether `merchant_id` has made anything in Pay: a key, an order, a payment link, a plan, a
/// webhook or a routing rule (everything else hangs off one of those).
pub async fn has_any(db: &D1Database, merchant_id: &str) -> Result<bool, ApiError> {
    #[derive(Deserialize)]
    struct Found {
        found: i64,
    }
    let found: Option<Found> = first(
        db,
        "SELECT (EXISTS (SELECT 1 FROM pay_keys WHERE merchant_id = ?1) \
              OR EXISTS (SELECT 1 FROM pay_orders WHERE merchant_id = ?1) \
              OR EXISTS (SELECT 1 FROM pay_payment_links WHERE merchant_id = ?1) \
              OR EXISTS (SELECT 1 FROM pay_plans WHERE merchant_id = ?1) \
              OR EXISTS (SELECT 1 FROM pay_webhooks WHERE merchant_id = ?1) \
              OR EXISTS (SELECT 1 FROM pay_routing_configs WHERE merchant_id = ?1)) AS found",
        &[text(merchant_id)],
    )
    .await?;
    Ok(found.is_some_and(|f| f.found != 0))
}

/// Deletes every Pay row of `merchant_id`, children before their parents.
pub fn clear(db: &D1Database, merchant_id: &str) -> Result<Vec<D1PreparedStatement>, ApiError> {
    const DELETES: &[&str] = &[
        "DELETE FROM pay_delivery_attempts WHERE delivery_id IN (SELECT id FROM pay_deliveries WHERE merchant_id = ?1)",
        "DELETE FROM pay_deliveries WHERE merchant_id = ?1",
        "DELETE FROM pay_events WHERE merchant_id = ?1",
        "DELETE FROM pay_reviews WHERE merchant_id = ?1",
        "DELETE FROM pay_subscription_instruments WHERE subscription_id IN \
           (SELECT id FROM pay_subscriptions WHERE merchant_id = ?1)",
        "DELETE FROM pay_payment_link_payments WHERE plink_id IN (SELECT id FROM pay_payment_links WHERE merchant_id = ?1)",
        "DELETE FROM pay_refunds WHERE merchant_id = ?1",
        "DELETE FROM pay_ledger WHERE merchant_id = ?1",
        "DELETE FROM pay_settlements WHERE merchant_id = ?1",
        "DELETE FROM pay_payments WHERE merchant_id = ?1",
        "DELETE FROM pay_orders WHERE merchant_id = ?1",
        "DELETE FROM pay_subscriptions WHERE merchant_id = ?1",
        "DELETE FROM pay_plans WHERE merchant_id = ?1",
        "DELETE FROM pay_customers WHERE merchant_id = ?1",
        "DELETE FROM pay_payment_links WHERE merchant_id = ?1",
        "DELETE FROM pay_webhooks WHERE merchant_id = ?1",
        "DELETE FROM pay_processor_stats WHERE merchant_id = ?1",
        "DELETE FROM pay_routing_configs WHERE merchant_id = ?1",
        "DELETE FROM pay_keys WHERE merchant_id = ?1",
    ];
    DELETES.iter().map(|sql| prepare(db, sql, &[text(merchant_id)])).collect()
}
