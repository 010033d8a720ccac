//! The entities of the `/v1` API as Razorpay writes them: amounts in minor units, unix-second
//! timestamps, `"entity": "order"` and friends, and collections
//! `{"entity":"collection","count":…,"items":[…]}`. The worker fills them from D1 rows; the
//! dashboard reads them back.

use super::{
    order::OrderStatus,
    payment::{PaymentStatus, RefundProgress, RefundStatus},
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Order {
    pub id: String,
    pub entity: String,
    pub amount: i64,
    pub amount_paid: i64,
    pub amount_due: i64,
    pub currency: String,
    pub receipt: Option<String>,
    pub offer_id: Option<String>,
    pub status: OrderStatus,
    pub attempts: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub notes: Map<String, Value>,
    pub created_at: i64,
}

/// What Razorpay shows of a card: never the number, never the CVV.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Card {
    pub id: String,
    pub entity: String,
    pub name: Option<String>,
    pub last4: String,
    pub network: String,
    #[serde(rename = "type")]
    pub card_type: String,
    pub issuer: Option<String>,
    pub international: bool,
    pub emi: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Payment {
    pub id: String,
    pub entity: String,
    pub amount: i64,
    pub currency: String,
    pub status: PaymentStatus,
    pub order_id: Option<String>,
    pub invoice_id: Option<String>,
    pub international: bool,
    pub method: String,
    pub amount_refunded: i64,
    pub refund_status: Option<RefundProgress>,
    pub captured: bool,
    pub description: Option<String>,
    pub card_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<Card>,
    pub bank: Option<String>,
    pub wallet: Option<String>,
    pub vpa: Option<String>,
    pub email: Option<String>,
    pub contact: Option<String>,
    pub customer_id: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub notes: Map<String, Value>,
    pub fee: Option<i64>,
    pub tax: Option<i64>,
    pub error_code: Option<String>,
    pub error_description: Option<String>,
    pub error_source: Option<String>,
    pub error_step: Option<String>,
    pub error_reason: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub acquirer_data: Map<String, Value>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Refund {
    pub id: String,
    pub entity: String,
    pub amount: i64,
    pub currency: String,
    pub payment_id: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub notes: Map<String, Value>,
    pub receipt: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub acquirer_data: Map<String, Value>,
    pub created_at: i64,
    pub batch_id: Option<String>,
    pub status: RefundStatus,
    pub speed_processed: Option<String>,
    pub speed_requested: String,
}

/// One payment of a payment link, as the link lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentLinkPayment {
    pub amount: i64,
    pub created_at: i64,
    pub method: String,
    pub payment_id: String,
    pub plink_id: String,
    pub status: String,
    pub updated_at: i64,
}

/// Razorpay's payment link (which, unlike the others, has no `entity` field).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentLink {
    pub id: String,
    pub accept_partial: bool,
    pub amount: i64,
    pub amount_paid: i64,
    pub callback_method: String,
    pub callback_url: String,
    pub cancelled_at: i64,
    pub created_at: i64,
    pub currency: String,
    pub customer: super::payment_link::LinkCustomer,
    pub description: String,
    pub expire_by: i64,
    pub expired_at: i64,
    pub first_min_partial_amount: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub notes: Map<String, Value>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub notify: Map<String, Value>,
    /// `null` until the first captured payment, as Razorpay writes it.
    pub payments: Option<Vec<PaymentLinkPayment>>,
    pub reference_id: String,
    pub reminder_enable: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub reminders: Vec<Value>,
    pub short_url: String,
    pub status: super::payment_link::LinkStatus,
    pub updated_at: i64,
    pub upi_link: bool,
    pub user_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Customer {
    pub id: String,
    pub entity: String,
    pub name: String,
    pub email: Option<String>,
    pub contact: Option<String>,
    pub gstin: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub notes: Map<String, Value>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanItem {
    pub id: String,
    pub active: bool,
    pub name: String,
    pub description: Option<String>,
    pub amount: i64,
    pub unit_amount: i64,
    pub currency: String,
    #[serde(rename = "type")]
    pub item_type: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Plan {
    pub id: String,
    pub entity: String,
    pub interval: i64,
    pub period: super::plan::Period,
    pub item: PlanItem,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub notes: Map<String, Value>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Subscription {
    pub id: String,
    pub entity: String,
    pub plan_id: String,
    pub customer_id: Option<String>,
    pub status: super::subscription::SubStatus,
    pub current_start: Option<i64>,
    pub current_end: Option<i64>,
    pub ended_at: Option<i64>,
    pub quantity: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub notes: Map<String, Value>,
    pub charge_at: Option<i64>,
    pub start_at: Option<i64>,
    pub end_at: Option<i64>,
    pub auth_attempts: i64,
    pub total_count: i64,
    pub paid_count: i64,
    pub customer_notify: bool,
    pub created_at: i64,
    pub expire_by: Option<i64>,
    pub short_url: String,
    pub has_scheduled_changes: bool,
    pub change_scheduled_at: Option<i64>,
    pub source: String,
    pub payment_method: Option<String>,
    pub offer_id: Option<String>,
    pub remaining_count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Collection<T> {
    pub entity: String,
    pub count: usize,
    pub items: Vec<T>,
}

impl<T> Collection<T> {
    pub fn new(items: Vec<T>) -> Self {
        Self { entity: "collection".into(), count: items.len(), items }
    }
}

/// Razorpay's timestamps are unix seconds.
pub fn unix_seconds(ms: i64) -> i64 {
    ms.div_euclid(1000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_collection_counts_its_items() {
        let value = serde_json::to_value(Collection::new(vec![1, 2, 3])).unwrap();
        assert_eq!(value, json!({"entity": "collection", "count": 3, "items": [1, 2, 3]}));
    }

    #[test]
    fn an_order_reads_like_razorpays() {
        let order = Order {
            id: "order_0000000000000A".into(),
            entity: "order".into(),
            amount: 50_000,
            amount_paid: 0,
            amount_due: 50_000,
            currency: "INR".into(),
            receipt: Some("rcpt_1".into()),
            offer_id: None,
            status: OrderStatus::Created,
            attempts: 0,
            notes: Map::new(),
            created_at: unix_seconds(1_764_000_000_999),
        };
        let value = serde_json::to_value(&order).unwrap();
        assert_eq!(value["status"], "created");
        assert_eq!(value["created_at"], 1_764_000_000);
        assert_eq!(value["offer_id"], Value::Null);
        assert_eq!(serde_json::from_value::<Order>(value).unwrap(), order);
    }
}
