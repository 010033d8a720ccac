//! Plans and customers for subscription billing: how often a plan charges (`period` ×
//! `interval`, calendar-aware for months and years), what it charges (`item`), and who is
//! charged. Request bodies of `POST /v1/plans` and `POST /v1/customers` are checked here.

use super::{
    methods::{validate_contact, validate_email},
    money::{check_amount, currency, parse_amount, Currency},
    notes::{optional_text, parse_notes},
    RazorpayError,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::{Duration, Month, OffsetDateTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

impl Period {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Daily => "daily",
            Self::Weekly => "weekly",
            Self::Monthly => "monthly",
            Self::Yearly => "yearly",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Daily, Self::Weekly, Self::Monthly, Self::Yearly].into_iter().find(|p| p.as_str() == s)
    }

    /// Razorpay's bounds on `interval`: daily plans charge at most weekly.
    fn interval_range(self) -> std::ops::RangeInclusive<i64> {
        match self {
            Self::Daily => 7..=365,
            Self::Weekly => 1..=52,
            Self::Monthly => 1..=12,
            Self::Yearly => 1..=5,
        }
    }
}

/// `from_ms` plus `count` × `interval` periods. Months and years follow the calendar (UTC):
/// the 31st of January plus one month is the 28th (or 29th) of February.
pub fn advance(from_ms: i64, period: Period, interval: i64, count: i64) -> i64 {
    let steps = interval.saturating_mul(count);
    let Ok(start) = OffsetDateTime::from_unix_timestamp_nanos(i128::from(from_ms) * 1_000_000) else {
        return from_ms;
    };
    let next = match period {
        Period::Daily => start.checked_add(Duration::days(steps)),
        Period::Weekly => start.checked_add(Duration::weeks(steps)),
        Period::Monthly | Period::Yearly => {
            let months = if period == Period::Yearly { steps.saturating_mul(12) } else { steps };
            let total = i64::from(start.year()) * 12 + i64::from(u8::from(start.month())) - 1 + months;
            let (year, month0) = (total.div_euclid(12), total.rem_euclid(12));
            let month = Month::try_from(month0 as u8 + 1).unwrap_or(Month::January);
            let year = i32::try_from(year).unwrap_or(start.year());
            let last_day = month.length(year);
            start
                .replace_day(1)
                .ok()
                .and_then(|d| d.replace_year(year).ok())
                .and_then(|d| d.replace_month(month).ok())
                .and_then(|d| d.replace_day(start.day().min(last_day)).ok())
        }
    };
    next.map_or(from_ms, |t| (t.unix_timestamp_nanos() / 1_000_000) as i64)
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewPlan {
    pub period: Period,
    pub interval: i64,
    pub name: String,
    pub description: Option<String>,
    pub amount: i64,
    pub currency: &'static Currency,
    pub notes: Map<String, Value>,
}

impl NewPlan {
    pub fn parse(body: &Map<String, Value>) -> Result<Self, RazorpayError> {
        let period = body.get("period").and_then(Value::as_str).and_then(Period::parse).ok_or_else(|| {
            RazorpayError::invalid("period", "The period must be daily, weekly, monthly or yearly.")
        })?;
        let interval = match body.get("interval") {
            Some(Value::Number(n)) => n.as_i64(),
            Some(Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        }
        .ok_or_else(|| {
            RazorpayError::invalid("interval", "The interval field is required and must be an integer.")
        })?;
        if !period.interval_range().contains(&interval) {
            let range = period.interval_range();
            return Err(RazorpayError::invalid(
                "interval",
                format!(
                    "The interval of a {} plan must be {} to {}.",
                    period.as_str(),
                    range.start(),
                    range.end()
                ),
            ));
        }
        let item = body
            .get("item")
            .and_then(Value::as_object)
            .ok_or_else(|| RazorpayError::invalid("item", "The item field is required."))?;
        let name = optional_text(item.get("name"), "item.name", 255)?
            .filter(|n| !n.trim().is_empty())
            .ok_or_else(|| RazorpayError::invalid("item.name", "The item's name is required."))?;
        let amount = parse_amount(item.get("amount"), "item.amount")?;
        let currency = match item.get("currency") {
            None | Some(Value::Null) => currency("INR")?,
            Some(Value::String(code)) => {
                currency(code).map_err(|e| RazorpayError { field: Some("item.currency".into()), ..e })?
            }
            Some(_) => return Err(RazorpayError::invalid("item.currency", "The currency must be a string.")),
        };
        check_amount(amount, currency, "item.amount")?;
        Ok(Self {
            period,
            interval,
            name,
            description: optional_text(item.get("description"), "item.description", 2_048)?,
            amount,
            currency,
            notes: parse_notes(body.get("notes"))?,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewCustomer {
    pub name: String,
    pub email: Option<String>,
    pub contact: Option<String>,
    pub gstin: Option<String>,
    pub notes: Map<String, Value>,
    /// Razorpay's `fail_existing`: refuse (default) or return an existing customer with the same
    /// email and contact.
    pub fail_existing: bool,
}

impl NewCustomer {
    pub fn parse(body: &Map<String, Value>) -> Result<Self, RazorpayError> {
        let name = optional_text(body.get("name"), "name", 50)?
            .filter(|n| !n.trim().is_empty())
            .ok_or_else(|| RazorpayError::invalid("name", "The name field is required."))?;
        let email =
            optional_text(body.get("email"), "email", 254)?.map(|e| validate_email(&e)).transpose()?;
        let contact = match body.get("contact") {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => Some(validate_contact(&n.to_string())?),
            Some(Value::String(s)) => Some(validate_contact(s)?),
            Some(_) => return Err(RazorpayError::invalid("contact", "The contact must be a string.")),
        };
        let gstin = optional_text(body.get("gstin"), "gstin", 15)?;
        if gstin.as_ref().is_some_and(|g| g.len() != 15 || !g.chars().all(|c| c.is_ascii_alphanumeric())) {
            return Err(RazorpayError::invalid("gstin", "The GSTIN must be 15 letters and digits."));
        }
        let fail_existing = match body.get("fail_existing") {
            None | Some(Value::Null) => true,
            Some(Value::String(s)) if s == "0" => false,
            Some(Value::Number(n)) if n.as_i64() == Some(0) => false,
            Some(Value::Bool(false)) => false,
            Some(_) => true,
        };
        Ok(Self { name, email, contact, gstin, notes: parse_notes(body.get("notes"))?, fail_existing })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ms(y: i32, m: u8, d: u8) -> i64 {
        let date = time::Date::from_calendar_date(y, Month::try_from(m).unwrap(), d).unwrap();
        (date.midnight().assume_utc().unix_timestamp()) * 1000
    }

    #[test]
    fn periods_follow_the_calendar() {
        assert_eq!(advance(ms(2026, 1, 31), Period::Monthly, 1, 1), ms(2026, 2, 28));
        assert_eq!(advance(ms(2028, 1, 31), Period::Monthly, 1, 1), ms(2028, 2, 29));
        assert_eq!(advance(ms(2026, 11, 29), Period::Monthly, 3, 1), ms(2027, 2, 28));
        assert_eq!(advance(ms(2026, 11, 29), Period::Monthly, 1, 2), ms(2027, 1, 29));
        assert_eq!(advance(ms(2028, 2, 29), Period::Yearly, 1, 1), ms(2029, 2, 28));
        assert_eq!(advance(ms(2026, 11, 29), Period::Weekly, 2, 1), ms(2026, 12, 13));
        assert_eq!(advance(ms(2026, 11, 29), Period::Daily, 7, 2), ms(2026, 12, 13));
        // Times of day are kept.
        assert_eq!(
            advance(ms(2026, 11, 29) + 3_600_123, Period::Monthly, 1, 1),
            ms(2026, 12, 29) + 3_600_123
        );
    }

    #[test]
    fn plans() {
        let plan = NewPlan::parse(
            json!({"period": "weekly", "interval": 1, "item": {"name": "Weekly",
            "amount": 69900, "currency": "INR", "description": "d"}, "notes": {"k": "v"}})
            .as_object()
            .unwrap(),
        )
        .unwrap();
        assert_eq!((plan.period, plan.interval, plan.amount), (Period::Weekly, 1, 69900));
        for (body, field) in [
            (json!({"period": "hourly", "interval": 1, "item": {"name": "x", "amount": 100}}), "period"),
            (json!({"period": "daily", "interval": 1, "item": {"name": "x", "amount": 100}}), "interval"),
            (json!({"period": "monthly", "interval": 13, "item": {"name": "x", "amount": 100}}), "interval"),
            (json!({"period": "monthly", "interval": 1}), "item"),
            (json!({"period": "monthly", "interval": 1, "item": {"amount": 100}}), "item.name"),
            (
                json!({"period": "monthly", "interval": 1, "item": {"name": "x", "amount": 1.5}}),
                "item.amount",
            ),
            (
                json!({"period": "monthly", "interval": 1, "item": {"name": "x", "amount": 100, "currency": "XYZ"}}),
                "item.currency",
            ),
        ] {
            assert_eq!(
                NewPlan::parse(body.as_object().unwrap()).unwrap_err().field.as_deref(),
                Some(field),
                "{body}"
            );
        }
    }

    #[test]
    fn customers() {
        let c = NewCustomer::parse(
            json!({"name": "Gaurav Kumar", "contact": 9123456780_i64,
            "email": "gaurav.kumar@example.com", "fail_existing": "0", "gstin": "29XAbbA4369J1PA"})
            .as_object()
            .unwrap(),
        )
        .unwrap();
        assert_eq!(c.contact.as_deref(), Some("9123456780"));
        assert!(!c.fail_existing);
        assert!(NewCustomer::parse(json!({"name": "x"}).as_object().unwrap()).unwrap().fail_existing);
        for (body, field) in [
            (json!({}), "name"),
            (json!({"name": "x", "email": "nope"}), "email"),
            (json!({"name": "x", "gstin": "short"}), "gstin"),
        ] {
            assert_eq!(
                NewCustomer::parse(body.as_object().unwrap()).unwrap_err().field.as_deref(),
                Some(field)
            );
        }
    }
}
