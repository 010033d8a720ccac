//! Money as Razorpay speaks it: integer amounts in the currency's smallest unit (paise for
//! INR), a currency code from the supported list, per-payment limits, and the gateway's fee.

use super::RazorpayError;
use serde_json::Value;

/// A currency Dozen accepts, with the smallest and largest amount of one payment in its
/// minor unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Currency {
    pub code: &'static str,
    /// Digits after the decimal point (2: amounts are in hundredths).
    pub exponent: u32,
    pub min_amount: i64,
    pub max_amount: i64,
}

/// ₹5,00,000, Razorpay's default ceiling for one payment.
pub const MAX_AMOUNT: i64 = 50_000_000;

const fn two_decimals(code: &'static str) -> Currency {
    Currency { code, exponent: 2, min_amount: 100, max_amount: MAX_AMOUNT }
}

/// INR first: Razorpay's home currency and the default.
pub const CURRENCIES: &[Currency] = &[
    two_decimals("INR"),
    two_decimals("USD"),
    two_decimals("EUR"),
    two_decimals("GBP"),
    two_decimals("SGD"),
    two_decimals("AED"),
    two_decimals("AUD"),
    two_decimals("CAD"),
];

pub fn currency(code: &str) -> Result<&'static Currency, RazorpayError> {
    CURRENCIES.iter().find(|c| c.code == code).ok_or_else(|| {
        let known: Vec<&str> = CURRENCIES.iter().map(|c| c.code).collect();
        RazorpayError::invalid("currency", format!("The currency should be one of {}.", known.join(", ")))
    })
}

/// `12345` in INR is "INR 123.45".
pub fn format_amount(amount: i64, currency: &Currency) -> String {
    let unit = 10_i64.pow(currency.exponent);
    let sign = if amount < 0 { "-" } else { "" };
    let (whole, part) = (amount.abs() / unit, amount.abs() % unit);
    format!("{} {sign}{whole}.{part:0width$}", currency.code, width = currency.exponent as usize)
}

/// Reads an amount as Razorpay's SDKs send it: a JSON integer or a string of digits
/// (`"amount": "500"` appears in Razorpay's own examples). Fractions, signs and anything else
/// are refused with the field named; `None` (absent) is refused too.
pub fn parse_amount(value: Option<&Value>, field: &str) -> Result<i64, RazorpayError> {
    let not_integer = || RazorpayError::invalid(field, format!("The {field} must be an integer."));
    match value {
        None | Some(Value::Null) => {
            Err(RazorpayError::invalid(field, format!("The {field} field is required.")))
        }
        Some(Value::Number(n)) => match n.as_i64() {
            Some(amount) => Ok(amount),
            // A u64 beyond i64 is "too large", checked by `check_amount` as the maximum.
            None if n.is_u64() => Ok(i64::MAX),
            None => Err(not_integer()),
        },
        Some(Value::String(s)) => {
            let digits = s.trim();
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(not_integer());
            }
            Ok(digits.parse::<i64>().unwrap_or(i64::MAX))
        }
        Some(_) => Err(not_integer()),
    }
}

/// Within the currency's limits for one payment or order.
pub fn check_amount(amount: i64, currency: &Currency, field: &str) -> Result<(), RazorpayError> {
    if amount < currency.min_amount {
        return Err(RazorpayError::invalid(
            field,
            format!("The {field} must be atleast {}.", format_amount(currency.min_amount, currency)),
        ));
    }
    if amount > currency.max_amount {
        return Err(RazorpayError::invalid(
            field,
            format!(
                "The {field} exceeds the maximum amount allowed ({}).",
                format_amount(currency.max_amount, currency)
            ),
        ));
    }
    Ok(())
}

/// The gateway's charge on a captured payment. `fee` includes `tax`, as in Razorpay's payment
/// entity (`"fee": 24, "tax": 4` on ₹10.00).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fee {
    pub fee: i64,
    pub tax: i64,
}

/// 2% of the amount (3% for international cards), plus 18% GST on that; each rounded half up.
pub const DOMESTIC_RATE_BPS: i64 = 200;
pub const INTERNATIONAL_RATE_BPS: i64 = 300;
pub const GST_BPS: i64 = 1_800;

fn bps_half_up(amount: i64, bps: i64) -> i64 {
    // i128: amount × bps cannot overflow for any i64 amount.
    ((i128::from(amount) * i128::from(bps) + 5_000) / 10_000) as i64
}

pub fn fee_for(amount: i64, international: bool) -> Fee {
    let rate = if international { INTERNATIONAL_RATE_BPS } else { DOMESTIC_RATE_BPS };
    let base = bps_half_up(amount, rate);
    let tax = bps_half_up(base, GST_BPS);
    Fee { fee: base + tax, tax }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn amounts_are_integers_or_digit_strings() {
        assert_eq!(parse_amount(Some(&json!(50000)), "amount").unwrap(), 50000);
        assert_eq!(parse_amount(Some(&json!("500")), "amount").unwrap(), 500);
        assert_eq!(parse_amount(Some(&json!(-100)), "amount").unwrap(), -100);
        for bad in [
            json!(100.5),
            json!(100.0),
            json!("1e3"),
            json!("-5"),
            json!(""),
            json!(true),
            json!([1]),
            json!("12.5"),
        ] {
            let err = parse_amount(Some(&bad), "amount").unwrap_err();
            assert_eq!(err.field.as_deref(), Some("amount"), "{bad}");
        }
        assert!(parse_amount(None, "amount").unwrap_err().description.contains("required"));
        assert_eq!(parse_amount(Some(&json!(u64::MAX)), "amount").unwrap(), i64::MAX);
    }

    #[test]
    fn limits() {
        let inr = currency("INR").unwrap();
        assert!(check_amount(100, inr, "amount").is_ok());
        assert!(check_amount(MAX_AMOUNT, inr, "amount").is_ok());
        assert_eq!(
            check_amount(99, inr, "amount").unwrap_err().description,
            "The amount must be atleast INR 1.00."
        );
        assert!(check_amount(0, inr, "amount").is_err());
        assert!(check_amount(-100, inr, "amount").is_err());
        assert!(check_amount(MAX_AMOUNT + 1, inr, "amount")
            .unwrap_err()
            .description
            .contains("INR 500000.00"));
        assert!(check_amount(i64::MAX, inr, "amount").is_err());
    }

    #[test]
    fn currencies() {
        assert_eq!(currency("USD").unwrap().code, "USD");
        let err = currency("XYZ").unwrap_err();
        assert_eq!(err.field.as_deref(), Some("currency"));
        assert!(currency("inr").is_err(), "codes are upper case");
        assert_eq!(format_amount(12345, currency("INR").unwrap()), "INR 123.45");
        assert_eq!(format_amount(5, currency("INR").unwrap()), "INR 0.05");
    }

    #[test]
    fn fees_match_razorpays_published_example() {
        // Razorpay's capture example: ₹10.00 → fee 24 of which tax 4.
        assert_eq!(fee_for(1000, false), Fee { fee: 24, tax: 4 });
        assert_eq!(fee_for(50000, false), Fee { fee: 1180, tax: 180 });
        assert_eq!(fee_for(100, false), Fee { fee: 2, tax: 0 });
        assert_eq!(fee_for(50000, true), Fee { fee: 1770, tax: 270 });
        for amount in [100, 101, 149, 150, 999, 12_345, MAX_AMOUNT] {
            let Fee { fee, tax } = fee_for(amount, false);
            assert!(fee < amount && tax <= fee, "{amount}");
        }
    }
}
