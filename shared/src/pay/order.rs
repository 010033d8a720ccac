//! Orders: what a merchant expects to be paid, created before the customer pays. Status
//! created → attempted (a payment was tried) → paid (a payment was captured). The request body
//! of `POST /v1/orders` is read and checked here.

use super::{
    money::{check_amount, currency, parse_amount, Currency},
    notes::{optional_text, parse_notes},
    RazorpayError,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Created,
    Attempted,
    Paid,
}

impl OrderStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Attempted => "attempted",
            Self::Paid => "paid",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Created, Self::Attempted, Self::Paid].into_iter().find(|status| status.as_str() == s)
    }

    /// A paid order takes no more payments; any other takes an attempt and is then attempted.
    pub fn attempt(self) -> Result<Self, RazorpayError> {
        match self {
            Self::Paid => Err(RazorpayError::not_allowed("Order has already been paid")),
            _ => Ok(Self::Attempted),
        }
    }
}

/// Longest receipt Razorpay accepts.
pub const MAX_RECEIPT_CHARS: usize = 40;
/// How long an authorized payment of an order with manual capture waits for its capture before
/// the hold is released (Razorpay's `manual_expiry_period`, minutes): default 5 days.
pub const DEFAULT_CAPTURE_WINDOW_MINUTES: i64 = 7_200;
pub const MIN_CAPTURE_WINDOW_MINUTES: i64 = 12;
pub const MAX_CAPTURE_WINDOW_MINUTES: i64 = 7_200;

/// A checked `POST /v1/orders` body.
#[derive(Debug, Clone, PartialEq)]
pub struct NewOrder {
    pub amount: i64,
    pub currency: &'static Currency,
    pub receipt: Option<String>,
    pub notes: Map<String, Value>,
    /// Capture on authorization (`payment_capture: 1`, the default, or `payment.capture: "automatic"`).
    pub auto_capture: bool,
    pub capture_window_minutes: i64,
    pub partial_payment: bool,
}

fn flag(value: &Value, field: &str) -> Result<bool, RazorpayError> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::Number(n) if n.as_i64() == Some(1) => Ok(true),
        Value::Number(n) if n.as_i64() == Some(0) => Ok(false),
        Value::String(s) if s == "1" || s == "true" => Ok(true),
        Value::String(s) if s == "0" || s == "false" => Ok(false),
        _ => Err(RazorpayError::invalid(field, format!("The {field} field must be 0 or 1."))),
    }
}

impl NewOrder {
    pub fn parse(body: &Map<String, Value>) -> Result<Self, RazorpayError> {
        let amount = parse_amount(body.get("amount"), "amount")?;
        let currency = match body.get("currency") {
            None | Some(Value::Null) => currency("INR")?,
            Some(Value::String(code)) => currency(code)?,
            Some(_) => return Err(RazorpayError::invalid("currency", "The currency must be a string.")),
        };
        check_amount(amount, currency, "amount")?;
        let receipt = optional_text(body.get("receipt"), "receipt", MAX_RECEIPT_CHARS)?;
        let notes = parse_notes(body.get("notes"))?;
        let mut auto_capture = match body.get("payment_capture") {
            None | Some(Value::Null) => true,
            Some(value) => flag(value, "payment_capture")?,
        };
        let mut capture_window_minutes = DEFAULT_CAPTURE_WINDOW_MINUTES;
        if let Some(payment) = body.get("payment").filter(|v| !v.is_null()) {
            let payment = payment
                .as_object()
                .ok_or_else(|| RazorpayError::invalid("payment", "The payment field must be an object."))?;
            match payment.get("capture").and_then(Value::as_str) {
                Some("automatic") => auto_capture = true,
                Some("manual") => auto_capture = false,
                None if payment.get("capture").is_none() => {}
                _ => {
                    return Err(RazorpayError::invalid(
                        "payment.capture",
                        "The capture must be automatic or manual.",
                    ))
                }
            }
            if let Some(window) = payment
                .get("capture_options")
                .and_then(Value::as_object)
                .and_then(|options| options.get("manual_expiry_period"))
            {
                capture_window_minutes = window
                    .as_i64()
                    .filter(|m| (MIN_CAPTURE_WINDOW_MINUTES..=MAX_CAPTURE_WINDOW_MINUTES).contains(m))
                    .ok_or_else(|| {
                        RazorpayError::invalid(
                            "payment.capture_options.manual_expiry_period",
                            format!(
                                "The manual_expiry_period must be {MIN_CAPTURE_WINDOW_MINUTES} to {MAX_CAPTURE_WINDOW_MINUTES} minutes."
                            ),
                        )
                    })?;
            }
        }
        let partial_payment = match body.get("partial_payment") {
            None | Some(Value::Null) => false,
            Some(value) => flag(value, "partial_payment")?,
        };
        Ok(Self { amount, currency, receipt, notes, auto_capture, capture_window_minutes, partial_payment })
    }
}

/// A payment must be for exactly its order's amount and currency (partial payments of orders
/// are a payment-link feature here), and the order must not be paid already.
pub fn check_payment_for_order(
    order_status: OrderStatus,
    order_amount: i64,
    order_currency: &str,
    amount: i64,
    currency: &str,
) -> Result<OrderStatus, RazorpayError> {
    if currency != order_currency {
        return Err(RazorpayError::invalid(
            "currency",
            "The currency should be the same as the order currency.",
        ));
    }
    if amount != order_amount {
        return Err(RazorpayError::invalid("amount", "The amount must be the same as the order amount."));
    }
    order_status.attempt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(value: Value) -> Result<NewOrder, RazorpayError> {
        NewOrder::parse(value.as_object().unwrap())
    }

    #[test]
    fn defaults() {
        let order = parse(json!({"amount": 50000})).unwrap();
        assert_eq!((order.amount, order.currency.code, order.auto_capture), (50000, "INR", true));
        assert_eq!(order.capture_window_minutes, DEFAULT_CAPTURE_WINDOW_MINUTES);
        assert!(order.notes.is_empty() && order.receipt.is_none() && !order.partial_payment);
    }

    #[test]
    fn capture_settings_in_both_spellings() {
        assert!(!parse(json!({"amount": 500, "payment_capture": 0})).unwrap().auto_capture);
        assert!(parse(json!({"amount": 500, "payment_capture": true})).unwrap().auto_capture);
        let manual = parse(json!({"amount": 500, "payment": {"capture": "manual",
            "capture_options": {"manual_expiry_period": 20}}}))
        .unwrap();
        assert_eq!((manual.auto_capture, manual.capture_window_minutes), (false, 20));
        assert!(parse(json!({"amount": 500, "payment": {"capture": "later"}})).is_err());
        assert!(parse(json!({"amount": 500, "payment": {"capture_options": {"manual_expiry_period": 5}}}))
            .is_err());
        assert!(parse(json!({"amount": 500, "payment_capture": 2})).is_err());
    }

    #[test]
    fn bad_orders_name_the_field() {
        for (body, field) in [
            (json!({}), "amount"),
            (json!({"amount": -100}), "amount"),
            (json!({"amount": 100.5}), "amount"),
            (json!({"amount": 0}), "amount"),
            (json!({"amount": 50_000_001}), "amount"),
            (json!({"amount": "abc"}), "amount"),
            (json!({"amount": 500, "currency": "XYZ"}), "currency"),
            (json!({"amount": 500, "currency": 5}), "currency"),
            (json!({"amount": 500, "receipt": "r".repeat(41)}), "receipt"),
            (json!({"amount": 500, "notes": "x"}), "notes"),
        ] {
            let err = parse(body.clone()).unwrap_err();
            assert_eq!(err.field.as_deref(), Some(field), "{body}");
            assert_eq!(err.status, 400);
        }
    }

    #[test]
    fn payments_match_their_order() {
        assert_eq!(
            check_payment_for_order(OrderStatus::Created, 500, "INR", 500, "INR").unwrap(),
            OrderStatus::Attempted
        );
        assert_eq!(
            check_payment_for_order(OrderStatus::Attempted, 500, "INR", 500, "INR").unwrap(),
            OrderStatus::Attempted
        );
        assert!(check_payment_for_order(OrderStatus::Paid, 500, "INR", 500, "INR").is_err());
        assert_eq!(
            check_payment_for_order(OrderStatus::Created, 500, "INR", 400, "INR")
                .unwrap_err()
                .field
                .as_deref(),
            Some("amount")
        );
        assert_eq!(
            check_payment_for_order(OrderStatus::Created, 500, "INR", 500, "USD")
                .unwrap_err()
                .field
                .as_deref(),
            Some("currency")
        );
    }
}
