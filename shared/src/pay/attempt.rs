//! A payment attempt as `POST /v1/payments/create/json` (and the hosted checkout) sends it:
//! the order, the amount, the customer, and one instrument (card, VPA, bank or wallet), read
//! and checked here with Razorpay's field names before anything is stored.

use super::{
    ids::OrderId,
    methods::{
        card_outcome, declines_recurring, find_bank, find_wallet, netbanking_outcome, validate_card,
        validate_contact, validate_email, validate_vpa, vpa_outcome, wallet_outcome, Bank, CardInput,
        PaymentMethod, TestOutcome, ValidCard,
    },
    money::{check_amount, currency, parse_amount, Currency},
    notes::{optional_text, parse_notes},
    RazorpayError,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// What the customer pays with. A card keeps its number only until the attempt is decided.
#[derive(Debug, Clone)]
pub enum Instrument {
    Card(ValidCard),
    Upi {
        vpa: String,
    },
    Netbanking {
        bank: &'static Bank,
    },
    Wallet {
        wallet: &'static str,
    },
    /// An instrument the customer authorized earlier, charged without them (a subscription).
    Saved(SavedInstrument),
}

/// What is kept of an authorized instrument to charge it again: what Razorpay shows of it
/// and the card's fingerprint, never the number. `declines_recurring` is the test bank's
/// answer for later charges (README: test instruments).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedInstrument {
    pub method: PaymentMethod,
    #[serde(default)]
    pub card_name: Option<String>,
    #[serde(default)]
    pub card_last4: Option<String>,
    #[serde(default)]
    pub card_network: Option<String>,
    #[serde(default)]
    pub card_type: Option<String>,
    #[serde(default)]
    pub card_fingerprint: Option<String>,
    #[serde(default)]
    pub vpa: Option<String>,
    #[serde(default)]
    pub bank: Option<String>,
    #[serde(default)]
    pub wallet: Option<String>,
    #[serde(default)]
    pub declines_recurring: bool,
}

impl SavedInstrument {
    /// Keeps what may be kept of `instrument` (`fingerprint` is the card's HMAC).
    pub fn keep(instrument: &Instrument, fingerprint: Option<String>) -> Self {
        let mut saved = Self {
            method: instrument.method(),
            card_name: None,
            card_last4: None,
            card_network: None,
            card_type: None,
            card_fingerprint: None,
            vpa: None,
            bank: None,
            wallet: None,
            declines_recurring: false,
        };
        match instrument {
            Instrument::Card(card) => {
                saved.card_name = card.name.clone();
                saved.card_last4 = Some(card.last4.clone());
                saved.card_network = Some(card.network.name().to_owned());
                saved.card_type = Some(card.card_type.as_str().to_owned());
                saved.card_fingerprint = fingerprint;
                saved.declines_recurring = declines_recurring(card);
            }
            Instrument::Upi { vpa } => saved.vpa = Some(vpa.clone()),
            Instrument::Netbanking { bank } => saved.bank = Some(bank.code.to_owned()),
            Instrument::Wallet { wallet } => saved.wallet = Some((*wallet).to_owned()),
            Instrument::Saved(already) => return already.clone(),
        }
        saved
    }
}

impl Instrument {
    pub fn method(&self) -> PaymentMethod {
        match self {
            Self::Card(_) => PaymentMethod::Card,
            Self::Upi { .. } => PaymentMethod::Upi,
            Self::Netbanking { .. } => PaymentMethod::Netbanking,
            Self::Wallet { .. } => PaymentMethod::Wallet,
            Self::Saved(saved) => saved.method,
        }
    }

    /// How the test bank answers this instrument (README: test instruments).
    pub fn outcome(&self) -> TestOutcome {
        match self {
            Self::Card(card) => card_outcome(card),
            Self::Upi { vpa } => vpa_outcome(vpa),
            Self::Netbanking { bank } => netbanking_outcome(bank),
            Self::Wallet { wallet } => wallet_outcome(wallet),
            Self::Saved(saved) if saved.declines_recurring => TestOutcome::Decline {
                reason: "card_declined",
                description: "The bank declined this charge to the saved card.",
            },
            Self::Saved(_) => TestOutcome::Approve,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewPayment {
    pub order_id: OrderId,
    pub amount: i64,
    pub currency: &'static Currency,
    pub email: String,
    pub contact: String,
    pub description: Option<String>,
    pub notes: Map<String, Value>,
    pub instrument: Instrument,
}

fn required_text<'a>(body: &'a Map<String, Value>, field: &str) -> Result<&'a str, RazorpayError> {
    match body.get(field) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.trim()),
        None | Some(Value::Null) => {
            Err(RazorpayError::invalid(field, format!("The {field} field is required.")))
        }
        Some(Value::String(_)) => {
            Err(RazorpayError::invalid(field, format!("The {field} field is required.")))
        }
        Some(_) => Err(RazorpayError::invalid(field, format!("The {field} must be a string."))),
    }
}

/// The calendar (year, month) of `now_ms` in India (UTC+05:30), where the test cards' banks are:
/// cards are good through the end of their expiry month there.
pub fn card_calendar_month(now_ms: i64) -> (i32, u8) {
    let ist = time::OffsetDateTime::from_unix_timestamp(now_ms.div_euclid(1000) + 19_800)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    (ist.year(), u8::from(ist.month()))
}

impl NewPayment {
    pub fn parse(body: &Map<String, Value>, now_ms: i64) -> Result<Self, RazorpayError> {
        let order_id = match body.get("order_id") {
            Some(Value::String(id)) => OrderId::parse(id)
                .map_err(|_| RazorpayError::invalid("order_id", "The order_id provided does not exist"))?,
            _ => return Err(RazorpayError::invalid("order_id", "The order_id field is required.")),
        };
        let amount = parse_amount(body.get("amount"), "amount")?;
        let currency = match body.get("currency") {
            None | Some(Value::Null) => currency("INR")?,
            Some(Value::String(code)) => currency(code)?,
            Some(_) => return Err(RazorpayError::invalid("currency", "The currency must be a string.")),
        };
        check_amount(amount, currency, "amount")?;
        let email = validate_email(required_text(body, "email")?)?;
        let contact = validate_contact(required_text(body, "contact")?)?;
        let description = optional_text(body.get("description"), "description", 255)?;
        let notes = parse_notes(body.get("notes"))?;
        let method: PaymentMethod = required_text(body, "method")?.parse()?;
        let instrument = match method {
            PaymentMethod::Card => {
                let raw = body.get("card").filter(|v| v.is_object()).ok_or_else(|| {
                    RazorpayError::invalid("card", "The card field is required when method is card.")
                })?;
                let input: CardInput = serde_json::from_value(raw.clone())
                    .map_err(|_| RazorpayError::invalid("card", "The card field must be an object."))?;
                let (year, month) = card_calendar_month(now_ms);
                Instrument::Card(validate_card(&input, year, month)?)
            }
            PaymentMethod::Upi => Instrument::Upi { vpa: validate_vpa(required_text(body, "vpa")?)? },
            PaymentMethod::Netbanking => {
                Instrument::Netbanking { bank: find_bank(required_text(body, "bank")?)? }
            }
            PaymentMethod::Wallet => {
                Instrument::Wallet { wallet: find_wallet(required_text(body, "wallet")?)? }
            }
        };
        Ok(Self { order_id, amount, currency, email, contact, description, notes, instrument })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: i64 = 1_796_000_000_000; // 2026-11-29

    fn body(extra: Value) -> Map<String, Value> {
        let mut base = json!({"amount": 50000, "currency": "INR", "order_id": "order_0000000000000A",
            "email": "gaurav.kumar@example.com", "contact": "9000090000"});
        for (k, v) in extra.as_object().unwrap() {
            base[k] = v.clone();
        }
        base.as_object().unwrap().clone()
    }

    #[test]
    fn card_attempts() {
        let payment = NewPayment::parse(
            &body(json!({"method": "card", "card": {"number": "4111 1111 1111 1111", "name": "Gaurav",
                "expiry_month": 12, "expiry_year": 30, "cvv": "123"}})),
            NOW,
        )
        .unwrap();
        assert_eq!(payment.instrument.method(), PaymentMethod::Card);
        assert_eq!(payment.instrument.outcome(), TestOutcome::Approve);
        let otp = NewPayment::parse(
            &body(json!({"method": "card", "card": {"number": "4000000000003220", "expiry_month": "12",
                "expiry_year": "2030", "cvv": 123}})),
            NOW,
        )
        .unwrap();
        assert_eq!(otp.instrument.outcome(), TestOutcome::RequireOtp);
    }

    #[test]
    fn other_methods() {
        let upi = NewPayment::parse(&body(json!({"method": "upi", "vpa": "failure@razorpay"})), NOW).unwrap();
        assert!(matches!(upi.instrument.outcome(), TestOutcome::Decline { reason: "payment_failed", .. }));
        let bank = NewPayment::parse(&body(json!({"method": "netbanking", "bank": "HDFC"})), NOW).unwrap();
        assert_eq!(bank.instrument.method(), PaymentMethod::Netbanking);
        let wallet = NewPayment::parse(&body(json!({"method": "wallet", "wallet": "phonepe"})), NOW).unwrap();
        assert_eq!(wallet.instrument.outcome(), TestOutcome::Approve);
    }

    #[test]
    fn refusals_name_razorpays_fields() {
        for (extra, field) in [
            (json!({"method": "card"}), "card"),
            (
                json!({"method": "card", "card": {"number": "4111111111111112", "expiry_month": 12,
                "expiry_year": 30, "cvv": "123"}}),
                "card[number]",
            ),
            (json!({"method": "upi", "vpa": "nope"}), "vpa"),
            (json!({"method": "netbanking", "bank": "NOPE"}), "bank"),
            (json!({"method": "wallet", "wallet": "paytm"}), "wallet"),
            (json!({"method": "emi"}), "method"),
            (json!({"method": "upi", "vpa": "a@b", "email": null}), "email"),
            (json!({"method": "upi", "vpa": "success@razorpay", "amount": 100.5}), "amount"),
            (json!({"method": "upi", "vpa": "success@razorpay", "order_id": "ord_x"}), "order_id"),
        ] {
            let err = NewPayment::parse(&body(extra.clone()), NOW).unwrap_err();
            assert_eq!(err.field.as_deref(), Some(field), "{extra}: {}", err.description);
        }
    }

    #[test]
    fn saved_instruments_keep_no_number() {
        let card = NewPayment::parse(
            &body(json!({"method": "card", "card": {"number": "4000000000000341", "expiry_month": 12,
                "expiry_year": 30, "cvv": "123"}})),
            NOW,
        )
        .unwrap();
        assert_eq!(card.instrument.outcome(), TestOutcome::Approve, "the first payment succeeds");
        let saved = SavedInstrument::keep(&card.instrument, Some("fp".into()));
        assert!(saved.declines_recurring);
        let text = serde_json::to_string(&saved).unwrap();
        assert!(!text.contains("4000000000000341") && text.contains("0341"), "{text}");
        assert!(
            matches!(Instrument::Saved(saved).outcome(), TestOutcome::Decline { .. }),
            "later charges fail"
        );
        let visa = NewPayment::parse(
            &body(json!({"method": "card", "card": {"number": "4111111111111111", "expiry_month": 12,
                "expiry_year": 30, "cvv": "123"}})),
            NOW,
        )
        .unwrap();
        let saved = SavedInstrument::keep(&visa.instrument, None);
        assert_eq!(Instrument::Saved(saved).outcome(), TestOutcome::Approve);
    }

    #[test]
    fn calendar_month_is_indian() {
        // 2026-11-30T19:00Z is already December 1st in India.
        assert_eq!(card_calendar_month(1_796_065_200_000), (2026, 12));
        assert_eq!(card_calendar_month(1_796_000_000_000), (2026, 11));
    }
}
