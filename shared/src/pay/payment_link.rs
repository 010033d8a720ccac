//! Payment links: a URL the merchant sends a customer to collect an amount, optionally in
//! parts. Status created → partially_paid → paid, or cancelled / expired. Each payment of a
//! link goes through an order of its own (made when the customer chooses the amount), and
//! counts towards the link only when captured. The request body of `POST /v1/payment_links` is
//! read and checked here.

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
pub enum LinkStatus {
    Created,
    PartiallyPaid,
    Paid,
    Cancelled,
    Expired,
}

impl LinkStatus {
    pub const ALL: [Self; 5] =
        [Self::Created, Self::PartiallyPaid, Self::Paid, Self::Cancelled, Self::Expired];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::PartiallyPaid => "partially_paid",
            Self::Paid => "paid",
            Self::Cancelled => "cancelled",
            Self::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == s)
    }

    /// Still collecting money.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Created | Self::PartiallyPaid)
    }

    /// Cancelling is for open links only.
    pub fn cancel(self) -> Result<Self, RazorpayError> {
        if self.is_open() {
            Ok(Self::Cancelled)
        } else {
            Err(RazorpayError::not_allowed(format!(
                "A payment link that is {} cannot be cancelled",
                self.as_str()
            )))
        }
    }

    /// The status once `amount_paid` of `amount` has been captured.
    pub fn after_payment(amount_paid: i64, amount: i64) -> Self {
        if amount_paid >= amount {
            Self::Paid
        } else if amount_paid > 0 {
            Self::PartiallyPaid
        } else {
            Self::Created
        }
    }
}

/// Links live six months unless `expire_by` says otherwise (Razorpay's default).
pub const DEFAULT_LIFETIME_MS: i64 = 180 * 24 * 60 * 60 * 1000;
/// `expire_by` must be at least this far ahead, and at most this far.
pub const MIN_LIFETIME_MS: i64 = 15 * 60 * 1000;
pub const MAX_LIFETIME_MS: i64 = 5 * 365 * 24 * 60 * 60 * 1000;

/// Checks an `expire_by` (unix seconds) sent at `now_ms`; its unix milliseconds.
pub fn check_expire_by(value: &Value, now_ms: i64) -> Result<i64, RazorpayError> {
    let secs = value.as_i64().ok_or_else(|| {
        RazorpayError::invalid("expire_by", "The expire_by must be a unix timestamp in seconds.")
    })?;
    let ms = secs.saturating_mul(1000);
    if ms < now_ms + MIN_LIFETIME_MS || ms > now_ms + MAX_LIFETIME_MS {
        return Err(RazorpayError::invalid(
            "expire_by",
            "The expire_by must be between 15 minutes and 5 years from now.",
        ));
    }
    Ok(ms)
}
pub const MAX_REFERENCE_CHARS: usize = 40;
pub const MAX_DESCRIPTION_CHARS: usize = 2_048;

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkCustomer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
}

/// A checked `POST /v1/payment_links` body.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPaymentLink {
    pub amount: i64,
    pub currency: &'static Currency,
    pub accept_partial: bool,
    pub first_min_partial_amount: Option<i64>,
    pub description: Option<String>,
    pub reference_id: Option<String>,
    pub customer: LinkCustomer,
    pub notify_sms: bool,
    pub notify_email: bool,
    pub reminder_enable: bool,
    pub notes: Map<String, Value>,
    pub callback_url: Option<String>,
    pub expire_by_ms: i64,
    pub upi_link: bool,
}

fn flag(body: &Map<String, Value>, field: &str) -> Result<bool, RazorpayError> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::Number(n)) if n.as_i64() == Some(0) || n.as_i64() == Some(1) => Ok(n.as_i64() == Some(1)),
        Some(_) => Err(RazorpayError::invalid(field, format!("The {field} field must be true or false."))),
    }
}

fn customer(value: Option<&Value>) -> Result<LinkCustomer, RazorpayError> {
    let Some(value) = value.filter(|v| !v.is_null()) else { return Ok(LinkCustomer::default()) };
    let object = value
        .as_object()
        .ok_or_else(|| RazorpayError::invalid("customer", "The customer field must be an object."))?;
    let name = optional_text(object.get("name"), "customer.name", 100)?;
    let email = optional_text(object.get("email"), "customer.email", 254)?
        .map(|e| {
            super::methods::validate_email(&e)
                .map_err(|err| RazorpayError { field: Some("customer.email".into()), ..err })
        })
        .transpose()?;
    let contact = optional_text(object.get("contact"), "customer.contact", 20)?
        .map(|c| {
            super::methods::validate_contact(&c)
                .map_err(|err| RazorpayError { field: Some("customer.contact".into()), ..err })
        })
        .transpose()?;
    Ok(LinkCustomer { name, email, contact })
}

impl NewPaymentLink {
    pub fn parse(body: &Map<String, Value>, now_ms: i64) -> Result<Self, RazorpayError> {
        let amount = parse_amount(body.get("amount"), "amount")?;
        let currency = match body.get("currency") {
            None | Some(Value::Null) => currency("INR")?,
            Some(Value::String(code)) => currency(code)?,
            Some(_) => return Err(RazorpayError::invalid("currency", "The currency must be a string.")),
        };
        check_amount(amount, currency, "amount")?;
        let upi_link = flag(body, "upi_link")?;
        let accept_partial = flag(body, "accept_partial")?;
        if upi_link && accept_partial {
            return Err(RazorpayError::invalid(
                "accept_partial",
                "UPI payment links do not take partial payments.",
            ));
        }
        let first_min_partial_amount = match body.get("first_min_partial_amount") {
            None | Some(Value::Null) => None,
            value => {
                let min = parse_amount(value, "first_min_partial_amount")?;
                if !accept_partial {
                    return Err(RazorpayError::invalid(
                        "first_min_partial_amount",
                        "The first_min_partial_amount needs accept_partial.",
                    ));
                }
                if min < currency.min_amount || min > amount {
                    return Err(RazorpayError::invalid(
                        "first_min_partial_amount",
                        "The first_min_partial_amount must be between the minimum amount and the link's amount.",
                    ));
                }
                Some(min)
            }
        };
        let expire_by_ms = match body.get("expire_by") {
            None | Some(Value::Null) => now_ms + DEFAULT_LIFETIME_MS,
            Some(value) => check_expire_by(value, now_ms)?,
        };
        let callback_url = match optional_text(body.get("callback_url"), "callback_url", 2_048)? {
            Some(url) => {
                let parsed = url::Url::parse(&url)
                    .ok()
                    .filter(|u| matches!(u.scheme(), "http" | "https"))
                    .ok_or_else(|| {
                        RazorpayError::invalid("callback_url", "The callback_url must be an http(s) URL.")
                    })?;
                Some(parsed.to_string())
            }
            None => None,
        };
        if callback_url.is_some() {
            match body.get("callback_method").and_then(Value::as_str) {
                Some("get") | None => {}
                Some(_) => {
                    return Err(RazorpayError::invalid("callback_method", "The callback_method must be get."))
                }
            }
        }
        let notify = body.get("notify").and_then(Value::as_object);
        let notify_flag =
            |name: &str| notify.and_then(|n| n.get(name)).and_then(Value::as_bool).unwrap_or(false);
        Ok(Self {
            amount,
            currency,
            accept_partial,
            first_min_partial_amount,
            description: optional_text(body.get("description"), "description", MAX_DESCRIPTION_CHARS)?,
            reference_id: optional_text(body.get("reference_id"), "reference_id", MAX_REFERENCE_CHARS)?,
            customer: customer(body.get("customer"))?,
            notify_sms: notify_flag("sms"),
            notify_email: notify_flag("email"),
            reminder_enable: flag(body, "reminder_enable")?,
            notes: parse_notes(body.get("notes"))?,
            callback_url,
            expire_by_ms,
            upi_link,
        })
    }
}

/// What a link is, for deciding one payment of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkState {
    pub status: LinkStatus,
    pub amount: i64,
    pub amount_paid: i64,
    pub accept_partial: bool,
    pub first_min_partial_amount: Option<i64>,
    pub expire_by_ms: i64,
    pub min_amount: i64,
}

impl LinkState {
    /// The amount one payment may be: the whole remainder, or with partial payments any part of
    /// it (the first at least `first_min_partial_amount`, each at least the currency minimum
    /// unless it settles the remainder).
    pub fn check_payment(&self, requested: Option<i64>, now_ms: i64) -> Result<i64, RazorpayError> {
        if !self.status.is_open() {
            return Err(RazorpayError::not_allowed(format!("This payment link is {}", self.status.as_str())));
        }
        if now_ms >= self.expire_by_ms {
            return Err(RazorpayError::not_allowed("This payment link is expired"));
        }
        let due = self.amount - self.amount_paid;
        let amount = requested.unwrap_or(due);
        if amount > due {
            return Err(RazorpayError::invalid(
                "amount",
                "The amount is more than what is due on this payment link.",
            ));
        }
        if !self.accept_partial {
            return if amount == due {
                Ok(amount)
            } else {
                Err(RazorpayError::invalid("amount", "This payment link takes the full amount only."))
            };
        }
        if self.amount_paid == 0 {
            if let Some(first_min) = self.first_min_partial_amount {
                if amount < first_min {
                    return Err(RazorpayError::invalid(
                        "amount",
                        "The first payment must be at least the link's first_min_partial_amount.",
                    ));
                }
            }
        }
        if amount < self.min_amount.min(due) {
            return Err(RazorpayError::invalid("amount", "The amount is below the minimum for one payment."));
        }
        // Every later part must be payable too: never leave less than the minimum.
        if amount < due && due - amount < self.min_amount {
            return Err(RazorpayError::invalid(
                "amount",
                "Pay all that is due, or leave at least the minimum for one payment for later.",
            ));
        }
        Ok(amount)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: i64 = 1_796_000_000_000;

    fn parse(value: Value) -> Result<NewPaymentLink, RazorpayError> {
        NewPaymentLink::parse(value.as_object().unwrap(), NOW)
    }

    #[test]
    fn razorpays_example_parses() {
        let link = parse(json!({"amount": 500, "currency": "INR", "accept_partial": true,
            "first_min_partial_amount": 100, "description": "For XYZ purpose",
            "customer": {"name": "Gaurav Kumar", "email": "gaurav.kumar@example.com", "contact": "+919999999999"},
            "notify": {"sms": true, "email": true}, "reminder_enable": true,
            "notes": {"policy_name": "Jeevan Bima"}, "callback_url": "https://example-callback-url.com/",
            "callback_method": "get"}))
        .unwrap();
        assert_eq!((link.amount, link.accept_partial, link.first_min_partial_amount), (500, true, Some(100)));
        assert_eq!(link.expire_by_ms, NOW + DEFAULT_LIFETIME_MS);
        assert!(link.notify_sms && link.notify_email && link.reminder_enable);
        assert_eq!(link.customer.name.as_deref(), Some("Gaurav Kumar"));
    }

    #[test]
    fn refusals() {
        for (body, field) in [
            (json!({"amount": 500, "first_min_partial_amount": 100}), "first_min_partial_amount"),
            (
                json!({"amount": 500, "accept_partial": true, "first_min_partial_amount": 600}),
                "first_min_partial_amount",
            ),
            (json!({"amount": 500, "expire_by": NOW / 1000 + 60}), "expire_by"),
            (json!({"amount": 500, "expire_by": 10_000_000_000_000_i64}), "expire_by"),
            (json!({"amount": 500, "callback_url": "javascript:alert(1)"}), "callback_url"),
            (
                json!({"amount": 500, "callback_url": "https://x.example", "callback_method": "post"}),
                "callback_method",
            ),
            (json!({"amount": 500, "upi_link": true, "accept_partial": true}), "accept_partial"),
            (json!({"amount": 500, "customer": {"email": "nope"}}), "customer.email"),
            (json!({"amount": 500, "reference_id": "r".repeat(41)}), "reference_id"),
            (json!({"amount": -5}), "amount"),
        ] {
            assert_eq!(parse(body.clone()).unwrap_err().field.as_deref(), Some(field), "{body}");
        }
    }

    fn state(amount_paid: i64) -> LinkState {
        LinkState {
            status: LinkStatus::after_payment(amount_paid, 1_000),
            amount: 1_000,
            amount_paid,
            accept_partial: true,
            first_min_partial_amount: Some(400),
            expire_by_ms: NOW + 1_000,
            min_amount: 100,
        }
    }

    #[test]
    fn partial_payments() {
        assert_eq!(state(0).check_payment(Some(400), NOW).unwrap(), 400);
        assert!(state(0).check_payment(Some(399), NOW).is_err(), "first at least 400");
        assert_eq!(state(0).check_payment(None, NOW).unwrap(), 1_000);
        assert_eq!(state(400).check_payment(Some(100), NOW).unwrap(), 100, "later ones at least the minimum");
        assert!(state(400).check_payment(Some(99), NOW).is_err());
        assert!(state(400).check_payment(Some(601), NOW).is_err(), "never more than due");
        assert!(state(400).check_payment(Some(550), NOW).is_err(), "would leave 50, below the minimum");
        assert_eq!(state(400).check_payment(Some(500), NOW).unwrap(), 500, "leaves exactly the minimum");
        assert!(state(1_000).check_payment(None, NOW).is_err(), "paid");
        assert!(state(0).check_payment(None, NOW + 1_000).is_err(), "expired");
        let whole = LinkState { accept_partial: false, ..state(0) };
        assert!(whole.check_payment(Some(400), NOW).is_err());
        assert_eq!(whole.check_payment(None, NOW).unwrap(), 1_000);
    }

    #[test]
    fn statuses() {
        assert_eq!(LinkStatus::after_payment(0, 10), LinkStatus::Created);
        assert_eq!(LinkStatus::after_payment(4, 10), LinkStatus::PartiallyPaid);
        assert_eq!(LinkStatus::after_payment(10, 10), LinkStatus::Paid);
        assert_eq!(LinkStatus::Created.cancel().unwrap(), LinkStatus::Cancelled);
        assert_eq!(LinkStatus::PartiallyPaid.cancel().unwrap(), LinkStatus::Cancelled);
        for closed in [LinkStatus::Paid, LinkStatus::Cancelled, LinkStatus::Expired] {
            assert!(closed.cancel().is_err());
        }
        for status in LinkStatus::ALL {
            assert_eq!(LinkStatus::parse(status.as_str()), Some(status));
        }
    }
}
