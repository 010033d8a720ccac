//! Pay's payment methods — card, UPI, net banking and wallet — with the checks Razorpay makes
//! on each one's input, and the test instruments that decide how a test-mode payment ends.
//!
//! Test instruments (the README copies this table):
//!
//! | Instrument | Outcome |
//! |---|---|
//! | card `4111 1111 1111 1111` | approved |
//! | card `4000 0000 0000 3220` | asks for an OTP: [`TEST_OTP`] (`123456`), at most [`MAX_OTP_ATTEMPTS`] tries |
//! | card `4000 0000 0000 0002` | declined: `card_declined` |
//! | card `4000 0000 0000 9995` | declined: `insufficient_funds` |
//! | any other valid card | approved |
//! | UPI `success@razorpay` | approved |
//! | UPI `failure@razorpay` | declined: `payment_failed` |
//! | any other valid VPA | approved |
//! | net banking, any bank in [`BANKS`] | approved (the test bank page always approves) |
//! | wallet, any of [`WALLETS`] | approved |
//!
//! Nothing here stores a card: [`ValidCard`] keeps the full number only so the caller can
//! fingerprint it ([`card_fingerprint`]) and pick the test outcome, and it cannot be serialised
//! or printed whole. The CVV is checked and dropped.

use crate::pay::RazorpayError;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::Sha256;
use std::fmt;
use std::str::FromStr;
use subtle::ConstantTimeEq;

// ---------------------------------------------------------------------------------------------
// Methods

/// The methods Pay accepts, spelled as Razorpay's `method` field spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum PaymentMethod {
    Card,
    Upi,
    Netbanking,
    Wallet,
}

impl PaymentMethod {
    /// Every method, in the order `GET /v1/methods` lists them.
    pub const ALL: [PaymentMethod; 4] =
        [PaymentMethod::Card, PaymentMethod::Upi, PaymentMethod::Netbanking, PaymentMethod::Wallet];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Card => "card",
            PaymentMethod::Upi => "upi",
            PaymentMethod::Netbanking => "netbanking",
            PaymentMethod::Wallet => "wallet",
        }
    }
}

impl fmt::Display for PaymentMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

const SUPPORTED_METHODS: &str = "Supported methods are card, upi, netbanking and wallet.";

impl FromStr for PaymentMethod {
    type Err = RazorpayError;

    /// Exact lower-case names only, as Razorpay's API takes them. Razorpay's other methods
    /// (EMI, cardless EMI, pay later) need lenders Pay does not simulate, so they are refused
    /// by name rather than as unknown words.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "card" => Ok(PaymentMethod::Card),
            "upi" => Ok(PaymentMethod::Upi),
            "netbanking" => Ok(PaymentMethod::Netbanking),
            "wallet" => Ok(PaymentMethod::Wallet),
            "emi" | "cardless_emi" | "paylater" => Err(RazorpayError::invalid(
                "method",
                format!("The method {s} is not supported. {SUPPORTED_METHODS}"),
            )),
            _ => Err(RazorpayError::invalid("method", format!("The method is invalid. {SUPPORTED_METHODS}"))),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Cards

/// Card networks, named as Razorpay writes them in a payment's `card.network`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CardNetwork {
    Visa,
    MasterCard,
    #[serde(rename = "American Express")]
    AmericanExpress,
    RuPay,
    #[serde(rename = "Diners Club")]
    DinersClub,
    Discover,
    #[serde(rename = "JCB")]
    Jcb,
    Maestro,
    Unknown,
}

/// Prefix ranges of each network: (lowest, highest, how many leading digits they cover).
///
/// Some ranges overlap, and the **longest matching prefix wins**: `6011…` is Discover (not
/// RuPay's `60`), `6521…`/`6522…` RuPay (not Discover's `65`), `508…` RuPay (not Maestro's `50`).
/// Where two equally long prefixes match — only a bare `65` — the earlier row wins, and RuPay
/// is listed before Discover: Pay is an Indian gateway, and RuPay issues in that range under
/// its Discover alliance, so a `65` card here is far more likely RuPay.
const PREFIXES: &[(u32, u32, usize, CardNetwork)] = &[
    (4, 4, 1, CardNetwork::Visa),
    (51, 55, 2, CardNetwork::MasterCard),
    (2221, 2720, 4, CardNetwork::MasterCard),
    (34, 34, 2, CardNetwork::AmericanExpress),
    (37, 37, 2, CardNetwork::AmericanExpress),
    (60, 60, 2, CardNetwork::RuPay),
    (65, 65, 2, CardNetwork::RuPay),
    (81, 82, 2, CardNetwork::RuPay),
    (508, 508, 3, CardNetwork::RuPay),
    (6521, 6522, 4, CardNetwork::RuPay),
    (300, 305, 3, CardNetwork::DinersClub),
    (36, 36, 2, CardNetwork::DinersClub),
    (38, 39, 2, CardNetwork::DinersClub),
    (6011, 6011, 4, CardNetwork::Discover),
    (644, 649, 3, CardNetwork::Discover),
    (65, 65, 2, CardNetwork::Discover),
    (3528, 3589, 4, CardNetwork::Jcb),
    (50, 50, 2, CardNetwork::Maestro),
    (56, 58, 2, CardNetwork::Maestro),
    (6304, 6304, 4, CardNetwork::Maestro),
    (6759, 6759, 4, CardNetwork::Maestro),
    (676770, 676770, 6, CardNetwork::Maestro),
    (676774, 676774, 6, CardNetwork::Maestro),
];

impl CardNetwork {
    /// The name in Razorpay's `card.network`.
    pub fn name(self) -> &'static str {
        match self {
            CardNetwork::Visa => "Visa",
            CardNetwork::MasterCard => "MasterCard",
            CardNetwork::AmericanExpress => "American Express",
            CardNetwork::RuPay => "RuPay",
            CardNetwork::DinersClub => "Diners Club",
            CardNetwork::Discover => "Discover",
            CardNetwork::Jcb => "JCB",
            CardNetwork::Maestro => "Maestro",
            CardNetwork::Unknown => "Unknown",
        }
    }

    /// The network of a number (digits only) by its prefix; see [`PREFIXES`] for overlaps.
    pub fn detect(digits: &str) -> CardNetwork {
        let mut best: Option<(usize, CardNetwork)> = None;
        for &(low, high, len, network) in PREFIXES {
            let Some(prefix) = digits.get(..len).and_then(|p| p.parse::<u32>().ok()) else { continue };
            if (low..=high).contains(&prefix) && best.is_none_or(|(best_len, _)| len > best_len) {
                best = Some((len, network));
            }
        }
        best.map_or(CardNetwork::Unknown, |(_, network)| network)
    }

    /// Card-number lengths the network issues. An unknown network gets the ISO 7812 range.
    fn lengths(self) -> std::ops::RangeInclusive<usize> {
        match self {
            CardNetwork::Visa => 13..=19,
            CardNetwork::MasterCard | CardNetwork::RuPay => 16..=16,
            CardNetwork::AmericanExpress => 15..=15,
            CardNetwork::DinersClub => 14..=19,
            CardNetwork::Discover | CardNetwork::Jcb => 16..=19,
            CardNetwork::Maestro | CardNetwork::Unknown => 12..=19,
        }
    }

    /// Visa issues 13, 16 and 19 digits only.
    fn allows_length(self, len: usize) -> bool {
        self.lengths().contains(&len) && (self != CardNetwork::Visa || matches!(len, 13 | 16 | 19))
    }

    /// American Express prints a 4-digit code on the front; every other network 3 on the back.
    pub fn cvv_length(self) -> usize {
        if self == CardNetwork::AmericanExpress {
            4
        } else {
            3
        }
    }
}

impl fmt::Display for CardNetwork {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Razorpay's `card.type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum CardType {
    Credit,
    Debit,
}

impl CardType {
    /// Without an issuer (BIN) table the type is a guess by network: RuPay and Maestro cards
    /// are overwhelmingly debit cards in India, so they are `debit`; every other network is
    /// `credit`. Only labels depend on it — no rule of Pay's does.
    pub fn of(network: CardNetwork) -> CardType {
        match network {
            CardNetwork::RuPay | CardNetwork::Maestro => CardType::Debit,
            _ => CardType::Credit,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CardType::Credit => "credit",
            CardType::Debit => "debit",
        }
    }
}

/// A `card` object of Razorpay's S2S JSON, as sent:
/// `{"number": "4111 1111 1111 1111", "name": "Gaurav", "expiry_month": 11, "expiry_year": 30,
/// "cvv": 100}`. Clients send the month, year, CVV (and sometimes the number) as JSON numbers or
/// strings, so every field is kept as raw JSON and [`validate_card`] reads either, naming the
/// field (`card[cvv]`…) in its refusal instead of failing deserialisation with a type error.
#[derive(Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardInput {
    #[serde(default)]
    pub number: Value,
    #[serde(default)]
    pub name: Value,
    #[serde(default)]
    pub expiry_month: Value,
    #[serde(default)]
    pub expiry_year: Value,
    #[serde(default)]
    pub cvv: Value,
}

/// Masks the number and hides the CVV, so a logged request leaks neither.
impl fmt::Debug for CardInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let number = match &self.number {
            Value::Null => "null".to_owned(),
            Value::String(s) => mask(&s.chars().filter(char::is_ascii_digit).collect::<String>()),
            Value::Number(n) => mask(&n.to_string()),
            _ => "<invalid>".to_owned(),
        };
        f.debug_struct("CardInput")
            .field("number", &number)
            .field("name", &self.name)
            .field("expiry_month", &self.expiry_month)
            .field("expiry_year", &self.expiry_year)
            .field("cvv", &"***")
            .finish()
    }
}

/// A card that passed every check. Deliberately not `Serialize`: `number` is here only so the
/// caller can fingerprint and route the card, and must never be stored. The CVV is not kept.
#[derive(Clone, PartialEq, Eq)]
pub struct ValidCard {
    pub network: CardNetwork,
    pub last4: String,
    /// The first 6 digits (issuer identification number), which Razorpay shows as `card.iin`.
    pub iin: String,
    pub expiry_month: u8,
    /// Four digits: a 2-digit year `YY` has become `20YY`.
    pub expiry_year: i32,
    pub name: Option<String>,
    pub card_type: CardType,
    /// All digits, spaces removed. Never store, log or send it.
    pub number: String,
}

/// Shows the number as PCI DSS allows it to be displayed (first 6 and last 4 digits at most).
impl fmt::Debug for ValidCard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ValidCard")
            .field("network", &self.network)
            .field("last4", &self.last4)
            .field("iin", &self.iin)
            .field("expiry_month", &self.expiry_month)
            .field("expiry_year", &self.expiry_year)
            .field("name", &self.name)
            .field("card_type", &self.card_type)
            .field("number", &mask(&self.number))
            .finish()
    }
}

/// `411111******1111`: the first 6 and last 4 digits, stars between. Numbers too short to keep
/// anything hidden that way become all stars.
fn mask(digits: &str) -> String {
    let len = digits.len();
    if len < 13 || !digits.is_ascii() {
        return "*".repeat(len);
    }
    format!("{}{}{}", &digits[..6], "*".repeat(len - 10), &digits[len - 4..])
}

/// The Luhn (mod 10) check every network's numbers satisfy; catches any single mistyped digit
/// and most swapped pairs. `false` for empty input or anything but ASCII digits.
pub fn luhn_valid(digits: &str) -> bool {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

/// The digits of a JSON string or non-negative integer, `None` for anything else. Strings are
/// trimmed; `strip_spaces` also drops inner spaces (card numbers are typed in groups).
fn json_digits(value: &Value, strip_spaces: bool) -> Option<String> {
    let text = match value {
        Value::String(s) if strip_spaces => s.chars().filter(|c| *c != ' ').collect(),
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => n.as_u64()?.to_string(),
        _ => return None,
    };
    (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())).then_some(text)
}

/// A card's expiry can be at most this many years away; further is a typo.
const MAX_YEARS_AHEAD: i32 = 20;
const NAME_MAX_CHARS: usize = 100;

/// Checks a card the way Razorpay does before authorising it, with Razorpay's field names
/// (`card[number]`…) in every refusal. `today_year`/`today_month` are the caller's calendar
/// month (IST for an Indian gateway): a card is good through the last day of its expiry month,
/// so one that expires this month still passes.
pub fn validate_card(
    input: &CardInput,
    today_year: i32,
    today_month: u8,
) -> Result<ValidCard, RazorpayError> {
    let number = validate_number(&input.number)?;
    let network = CardNetwork::detect(&number);
    let (expiry_month, expiry_year) =
        validate_expiry(&input.expiry_month, &input.expiry_year, today_year, today_month)?;
    validate_cvv(&input.cvv, network)?;
    let name = validate_name(&input.name)?;
    Ok(ValidCard {
        network,
        last4: number[number.len() - 4..].to_owned(),
        iin: number[..6].to_owned(),
        expiry_month,
        expiry_year,
        name,
        card_type: CardType::of(network),
        number,
    })
}

fn validate_number(value: &Value) -> Result<String, RazorpayError> {
    const FIELD: &str = "card[number]";
    if value.is_null() {
        return Err(RazorpayError::invalid(FIELD, "The card number is required."));
    }
    let digits = json_digits(value, true)
        .ok_or_else(|| RazorpayError::invalid(FIELD, "The card number should contain only digits."))?;
    let invalid = || RazorpayError::invalid(FIELD, "The card number is invalid.");
    if !CardNetwork::detect(&digits).allows_length(digits.len()) || !luhn_valid(&digits) {
        return Err(invalid());
    }
    Ok(digits)
}

fn validate_expiry(
    month: &Value,
    year: &Value,
    today_year: i32,
    today_month: u8,
) -> Result<(u8, i32), RazorpayError> {
    const MONTH: &str = "card[expiry_month]";
    const YEAR: &str = "card[expiry_year]";
    if month.is_null() {
        return Err(RazorpayError::invalid(MONTH, "The card expiry month is required."));
    }
    let month = json_digits(month, false)
        .filter(|m| m.len() <= 2)
        .and_then(|m| m.parse::<u8>().ok())
        .filter(|m| (1..=12).contains(m))
        .ok_or_else(|| RazorpayError::invalid(MONTH, "The card expiry month is invalid."))?;

    if year.is_null() {
        return Err(RazorpayError::invalid(YEAR, "The card expiry year is required."));
    }
    let invalid_year = || RazorpayError::invalid(YEAR, "The card expiry year is invalid.");
    let digits = json_digits(year, false).ok_or_else(invalid_year)?;
    let parsed: i32 = digits.parse().map_err(|_| invalid_year())?;
    // A string must be 2 or 4 digits; a JSON number below 100 can only be a 2-digit year
    // (JSON cannot write the leading zero of `05`).
    let year = match (year, digits.len()) {
        (Value::Number(_), _) if parsed < 100 => 2000 + parsed,
        (Value::String(_), 2) => 2000 + parsed,
        (_, 4) => parsed,
        _ => return Err(invalid_year()),
    };
    if year > today_year + MAX_YEARS_AHEAD {
        return Err(invalid_year());
    }
    if (year, month) < (today_year, today_month) {
        // Name the field that is wrong: the month when the year is this one, else the year.
        let field = if year == today_year { MONTH } else { YEAR };
        return Err(RazorpayError::invalid(field, "The card has expired."));
    }
    Ok((month, year))
}

fn validate_cvv(value: &Value, network: CardNetwork) -> Result<(), RazorpayError> {
    const FIELD: &str = "card[cvv]";
    if value.is_null() {
        return Err(RazorpayError::invalid(FIELD, "The CVV is required."));
    }
    // A numeric CVV is read as written: `12` is two digits, not `012` (send leading zeros as a
    // string).
    match json_digits(value, false) {
        Some(cvv) if cvv.len() == network.cvv_length() => Ok(()),
        _ => Err(RazorpayError::invalid(FIELD, "The CVV is invalid.")),
    }
}

fn validate_name(value: &Value) -> Result<Option<String>, RazorpayError> {
    const FIELD: &str = "card[name]";
    match value {
        Value::Null => Ok(None),
        Value::String(s) => {
            let name = s.trim();
            if name.chars().count() > NAME_MAX_CHARS {
                Err(RazorpayError::invalid(
                    FIELD,
                    format!("The card name may not be greater than {NAME_MAX_CHARS} characters."),
                ))
            } else {
                Ok((!name.is_empty()).then(|| name.to_owned()))
            }
        }
        _ => Err(RazorpayError::invalid(FIELD, "The card name must be a string.")),
    }
}

/// Hex of HMAC-SHA256(`key`, digits), first 32 characters (128 bits): the same card always
/// gives the same fingerprint, so fraud velocity can be counted per card, yet without the key
/// nobody can test a guessed number against stored fingerprints.
pub fn card_fingerprint(number_digits: &str, key: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(number_digits.as_bytes());
    let hex: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    hex[..32].to_owned()
}

// ---------------------------------------------------------------------------------------------
// Test instruments

/// How a test-mode payment ends, decided by the instrument alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestOutcome {
    Approve,
    /// The bank asks for an OTP: [`TEST_OTP`] passes, at most [`MAX_OTP_ATTEMPTS`] tries.
    RequireOtp,
    /// Refused with Razorpay's `reason` and customer-facing `description`.
    Decline {
        reason: &'static str,
        description: &'static str,
    },
}

/// The OTP the test bank page accepts.
pub const TEST_OTP: &str = "123456";
/// Wrong OTPs allowed before the payment fails (`incorrect_otp`).
pub const MAX_OTP_ATTEMPTS: u32 = 3;

/// Test cards with a set outcome (Stripe's numbers, which pass the Luhn check); any other valid
/// card is approved.
pub fn card_outcome(card: &ValidCard) -> TestOutcome {
    match card.number.as_str() {
        "4000000000000002" => TestOutcome::Decline {
            reason: "card_declined",
            description: "Your payment has been declined by your bank. Try another card or payment method.",
        },
        "4000000000009995" => TestOutcome::Decline {
            reason: "insufficient_funds",
            description: "Your payment could not be completed due to insufficient account balance. \
                          Try another card or payment method.",
        },
        "4000000000003220" => TestOutcome::RequireOtp,
        _ => TestOutcome::Approve,
    }
}

/// The test card whose first (customer-present) payment succeeds but whose later charges —
/// a subscription's cycles — are all declined, to exercise retries and halting.
pub const RECURRING_DECLINE_CARD: &str = "4000000000000341";

/// Whether the test bank declines charges made later to this card without the customer.
pub fn declines_recurring(card: &ValidCard) -> bool {
    card.number == RECURRING_DECLINE_CARD
}

/// Whether `given` (surrounding whitespace ignored) is [`TEST_OTP`], compared in constant time
/// like any secret, so the check is written once the right way for live OTPs too.
pub fn otp_matches(given: &str) -> bool {
    let given = given.trim().as_bytes();
    given.len() == TEST_OTP.len() && bool::from(given.ct_eq(TEST_OTP.as_bytes()))
}

// ---------------------------------------------------------------------------------------------
// UPI

const VPA_HANDLE_MAX: usize = 256;
const VPA_PROVIDER_MAX: usize = 64;

/// A UPI virtual payment address in Razorpay's format: a handle of 2–256 characters from
/// `[a-zA-Z0-9.-_]`, one `@`, and a provider of 2–64 letters. Returned trimmed and lower-cased
/// (addresses are case-insensitive, so one payer is one string).
pub fn validate_vpa(vpa: &str) -> Result<String, RazorpayError> {
    let invalid =
        || RazorpayError::invalid("vpa", "Invalid VPA. Please enter a valid Virtual Payment Address.");
    let vpa = vpa.trim();
    let (handle, provider) = vpa.split_once('@').ok_or_else(invalid)?;
    let handle_ok = (2..=VPA_HANDLE_MAX).contains(&handle.len())
        && handle.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    // A second `@` lands in the provider and fails its letters-only rule.
    let provider_ok =
        (2..=VPA_PROVIDER_MAX).contains(&provider.len()) && provider.bytes().all(|b| b.is_ascii_alphabetic());
    if !handle_ok || !provider_ok {
        return Err(invalid());
    }
    Ok(vpa.to_ascii_lowercase())
}

/// Razorpay's test VPAs: `failure@razorpay` is declined, everything else valid is approved.
pub fn vpa_outcome(vpa: &str) -> TestOutcome {
    if vpa.trim().eq_ignore_ascii_case("failure@razorpay") {
        TestOutcome::Decline {
            reason: "payment_failed",
            description: "Payment was unsuccessful as the UPI app declined it. Try another payment method.",
        }
    } else {
        // `success@razorpay` and every other address.
        TestOutcome::Approve
    }
}

// ---------------------------------------------------------------------------------------------
// Net banking

/// A bank for net banking, by Razorpay's code (the bank's IFSC prefix; `_R` marks a retail
/// login where the bank has separate retail and corporate ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Bank {
    pub code: &'static str,
    pub name: &'static str,
}

/// The banks Pay's test net banking offers, as `GET /v1/methods` lists them.
pub const BANKS: &[Bank] = &[
    Bank { code: "HDFC", name: "HDFC Bank" },
    Bank { code: "ICIC", name: "ICICI Bank" },
    Bank { code: "SBIN", name: "State Bank of India" },
    Bank { code: "UTIB", name: "Axis Bank" },
    Bank { code: "KKBK", name: "Kotak Mahindra Bank" },
    Bank { code: "YESB", name: "Yes Bank" },
    Bank { code: "PUNB_R", name: "Punjab National Bank - Retail" },
    Bank { code: "BARB_R", name: "Bank of Baroda - Retail Banking" },
    Bank { code: "IDFB", name: "IDFC FIRST Bank" },
    Bank { code: "INDB", name: "IndusInd Bank" },
    Bank { code: "FDRL", name: "Federal Bank" },
    Bank { code: "CNRB", name: "Canara Bank" },
    Bank { code: "UBIN", name: "Union Bank of India" },
    Bank { code: "IOBA", name: "Indian Overseas Bank" },
    Bank { code: "BKID", name: "Bank of India" },
];

/// The bank with exactly this code (upper case, as Razorpay's codes are).
pub fn find_bank(code: &str) -> Result<&'static Bank, RazorpayError> {
    BANKS.iter().find(|bank| bank.code == code).ok_or_else(|| {
        RazorpayError::invalid(
            "bank",
            "The bank is invalid or not supported. GET /v1/methods lists the supported bank codes.",
        )
    })
}

/// In test mode the bank's page always approves: there is no bank to say no.
pub fn netbanking_outcome(_bank: &Bank) -> TestOutcome {
    TestOutcome::Approve
}

// ---------------------------------------------------------------------------------------------
// Wallets

/// Razorpay's wallet ids, as the `wallet` field takes them.
pub const WALLETS: &[&str] = &[
    "airtelmoney",
    "amazonpay",
    "freecharge",
    "jiomoney",
    "mobikwik",
    "olamoney",
    "payzapp",
    "phonepe",
    "paypal",
];

/// The wallet with exactly this id (lower case, as Razorpay's ids are).
pub fn find_wallet(id: &str) -> Result<&'static str, RazorpayError> {
    WALLETS.iter().copied().find(|wallet| *wallet == id).ok_or_else(|| {
        RazorpayError::invalid(
            "wallet",
            format!("The wallet is invalid or not supported. Supported wallets are {}.", WALLETS.join(", ")),
        )
    })
}

/// In test mode the wallet's page always approves, like net banking.
pub fn wallet_outcome(_wallet: &str) -> TestOutcome {
    TestOutcome::Approve
}

// ---------------------------------------------------------------------------------------------
// Contact and email

const CONTACT_MIN_DIGITS: usize = 8;
const CONTACT_MAX_DIGITS: usize = 15;
const EMAIL_MAX: usize = 254;

/// A payer's phone number: an optional leading `+`, then 8–15 digits (E.164's maximum, country
/// code included). Spaces and dashes are dropped, as people type them in groups.
pub fn validate_contact(contact: &str) -> Result<String, RazorpayError> {
    const FIELD: &str = "contact";
    let compact: String = contact.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if compact.is_empty() {
        return Err(RazorpayError::invalid(FIELD, "The contact field is required."));
    }
    let digits = compact.strip_prefix('+').unwrap_or(&compact);
    if !(CONTACT_MIN_DIGITS..=CONTACT_MAX_DIGITS).contains(&digits.len())
        || !digits.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(RazorpayError::invalid(
            FIELD,
            format!(
                "The contact number must have {CONTACT_MIN_DIGITS} to {CONTACT_MAX_DIGITS} digits, \
                 optionally starting with +."
            ),
        ));
    }
    Ok(compact)
}

/// A payer's email: at most 254 characters, an RFC 5322 address (no display name or IP domain)
/// whose domain has a dot. Returned trimmed but otherwise as typed — it is shown back on
/// receipts, and the local part may be case-sensitive.
pub fn validate_email(email: &str) -> Result<String, RazorpayError> {
    const FIELD: &str = "email";
    let email = email.trim();
    if email.is_empty() {
        return Err(RazorpayError::invalid(FIELD, "The email field is required."));
    }
    let invalid = || RazorpayError::invalid(FIELD, "The email must be a valid email address.");
    if email.len() > EMAIL_MAX {
        return Err(invalid());
    }
    let parsed = email_address::EmailAddress::parse_with_options(
        email,
        email_address::Options::default().without_display_text().without_domain_literal(),
    )
    .map_err(|_| invalid())?;
    let domain = parsed.domain();
    if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
        return Err(invalid());
    }
    Ok(email.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const TODAY: (i32, u8) = (2025, 6);

    /// `partial` followed by the digit that makes it pass the Luhn check.
    fn with_check_digit(partial: &str) -> String {
        (0..10).map(|d| format!("{partial}{d}")).find(|n| luhn_valid(n)).unwrap()
    }

    fn card(number: &str, month: Value, year: Value, cvv: Value) -> CardInput {
        CardInput { number: json!(number), name: Value::Null, expiry_month: month, expiry_year: year, cvv }
    }

    fn check(number: &str) -> Result<ValidCard, RazorpayError> {
        let cvv = if number.starts_with("34") || number.starts_with("37") { "1234" } else { "123" };
        validate_card(&card(number, json!(12), json!(2030), json!(cvv)), TODAY.0, TODAY.1)
    }

    fn refusal_field<T: fmt::Debug>(result: Result<T, RazorpayError>) -> (String, String) {
        let err = result.unwrap_err();
        (err.field.unwrap_or_default(), err.description)
    }

    #[test]
    fn methods_parse_and_print() {
        for method in PaymentMethod::ALL {
            assert_eq!(method.as_str().parse::<PaymentMethod>().unwrap(), method);
            assert_eq!(serde_json::to_value(method).unwrap(), json!(method.as_str()));
        }
        for other in ["emi", "cardless_emi", "paylater", "Card", "bitcoin", ""] {
            let err = other.parse::<PaymentMethod>().unwrap_err();
            assert_eq!(err.field.as_deref(), Some("method"));
            assert!(err.description.contains("card, upi, netbanking and wallet"), "{}", err.description);
        }
    }

    #[test]
    fn luhn() {
        for good in ["4111111111111111", "4000000000000002", "4000000000009995", "4000000000003220", "0"] {
            assert!(luhn_valid(good), "{good}");
        }
        for bad in ["4111111111111112", "4000000000000001", "1234567812345678", "", "4111 1111", "abc"] {
            assert!(!luhn_valid(bad), "{bad}");
        }
    }

    #[test]
    fn networks_by_prefix() {
        use CardNetwork::*;
        let table = [
            ("4111111111111111", Visa),
            ("4000000000000002", Visa),
            ("5555555555554444", MasterCard),
            ("5105105105105100", MasterCard),
            ("2221000000000009", MasterCard),
            ("2720990000000000", MasterCard),
            ("2223003122003222", MasterCard),
            ("2220990000000000", Unknown),
            ("2721000000000000", Unknown),
            ("378282246310005", AmericanExpress),
            ("341111111111111", AmericanExpress),
            ("6073849700004947", RuPay),
            ("6521000000000000", RuPay),
            ("6522000000000000", RuPay),
            ("6500000000000000", RuPay),
            ("8100000000000000", RuPay),
            ("8200000000000000", RuPay),
            ("5081000000000000", RuPay),
            ("30569309025904", DinersClub),
            ("36227206271667", DinersClub),
            ("3800000000000000", DinersClub),
            ("6011111111111117", Discover),
            ("6445000000000000", Discover),
            ("6490000000000000", Discover),
            ("3566002020360505", Jcb),
            ("3528000000000000", Jcb),
            ("3589000000000000", Jcb),
            ("5018000000000000", Maestro),
            ("5600000000000000", Maestro),
            ("6304000000000000", Maestro),
            ("6759649826438453", Maestro),
            ("6767700000000000", Maestro),
            ("6767740000000000", Maestro),
            ("6767710000000000", Unknown),
            ("9000000000000000", Unknown),
            ("1", Unknown),
        ];
        for (number, network) in table {
            assert_eq!(CardNetwork::detect(number), network, "{number}");
        }
        assert_eq!(CardNetwork::AmericanExpress.name(), "American Express");
        assert_eq!(serde_json::to_value(CardNetwork::DinersClub).unwrap(), json!("Diners Club"));
        assert_eq!(serde_json::to_value(CardNetwork::Jcb).unwrap(), json!("JCB"));
    }

    #[test]
    fn valid_cards_of_each_network() {
        let numbers = [
            ("4111111111111111", CardNetwork::Visa),
            ("2223003122003222", CardNetwork::MasterCard),
            ("378282246310005", CardNetwork::AmericanExpress),
            ("6073849700004947", CardNetwork::RuPay),
            ("36227206271667", CardNetwork::DinersClub),
            ("6011111111111117", CardNetwork::Discover),
            ("3566002020360505", CardNetwork::Jcb),
            ("6759649826438453", CardNetwork::Maestro),
        ];
        for (number, network) in numbers {
            let valid = check(number).unwrap();
            assert_eq!(valid.network, network, "{number}");
            assert_eq!(valid.iin, number[..6]);
            assert_eq!(valid.last4, number[number.len() - 4..]);
        }
        assert_eq!(check(&with_check_digit("272000000000000")).unwrap().network, CardNetwork::MasterCard);
        assert_eq!(check("6073849700004947").unwrap().card_type, CardType::Debit);
        assert_eq!(check("4111111111111111").unwrap().card_type.as_str(), "credit");
    }

    #[test]
    fn bad_numbers() {
        let invalid = ("card[number]".to_owned(), "The card number is invalid.".to_owned());
        assert_eq!(refusal_field(check("4111111111111112")), invalid);
        // Luhn-valid but of a length the network does not issue.
        assert_eq!(refusal_field(check(&with_check_digit("4111111111111"))), invalid);
        assert_eq!(refusal_field(check(&with_check_digit("378282246310000"))), invalid);
        assert_eq!(refusal_field(check(&with_check_digit(&"9".repeat(10)))), invalid);
        assert_eq!(refusal_field(check(&with_check_digit(&"9".repeat(19)))), invalid);
        let (field, description) = refusal_field(check("4111-1111-1111-1111"));
        assert_eq!(
            (field.as_str(), description.as_str()),
            ("card[number]", "The card number should contain only digits.")
        );
        let missing = CardInput { number: Value::Null, ..card("", json!(1), json!(30), json!(123)) };
        assert_eq!(refusal_field(validate_card(&missing, 2025, 6)).1, "The card number is required.");
    }

    #[test]
    fn spaces_in_numbers_are_ignored() {
        let valid = check(" 4111 1111 1111 1111 ").unwrap();
        assert_eq!(valid.number, "4111111111111111");
    }

    #[test]
    fn json_numbers_and_strings() {
        let forms = [
            json!({"number": "4111111111111111", "name": "Gaurav", "expiry_month": 11, "expiry_year": 30, "cvv": 100}),
            json!({"number": "4111 1111 1111 1111", "name": "Gaurav", "expiry_month": "11", "expiry_year": "30", "cvv": "100"}),
            json!({"number": 4111111111111111_u64, "name": "Gaurav", "expiry_month": "11", "expiry_year": 2030, "cvv": 100}),
            json!({"number": "4111111111111111", "name": "Gaurav", "expiry_month": 11, "expiry_year": "2030", "cvv": "100"}),
        ];
        for form in forms {
            let input: CardInput = serde_json::from_value(form.clone()).unwrap();
            let valid = validate_card(&input, TODAY.0, TODAY.1).unwrap_or_else(|e| panic!("{form}: {e}"));
            assert_eq!((valid.expiry_month, valid.expiry_year), (11, 2030), "{form}");
            assert_eq!(valid.name.as_deref(), Some("Gaurav"));
        }
        // Wrong types are field errors, not deserialisation failures.
        let input: CardInput = serde_json::from_value(json!({"number": "4111111111111111",
            "expiry_month": true, "expiry_year": 30, "cvv": 100}))
        .unwrap();
        assert_eq!(refusal_field(validate_card(&input, 2025, 6)).0, "card[expiry_month]");
        let input: CardInput =
            serde_json::from_value(json!({"number": "4111111111111111", "expiry_month": 1.5})).unwrap();
        assert_eq!(refusal_field(validate_card(&input, 2025, 6)).0, "card[expiry_month]");
    }

    #[test]
    fn expiry_years_and_months() {
        let expiry = |month: Value, year: Value| {
            validate_card(&card("4111111111111111", month, year, json!(123)), TODAY.0, TODAY.1)
                .map(|c| (c.expiry_month, c.expiry_year))
        };
        assert_eq!(expiry(json!(1), json!(30)).unwrap(), (1, 2030));
        assert_eq!(expiry(json!("01"), json!("30")).unwrap(), (1, 2030));
        assert_eq!(expiry(json!("1"), json!(2030)).unwrap(), (1, 2030));
        // Expiring this month is still good; last month is expired.
        assert_eq!(expiry(json!(6), json!(25)).unwrap(), (6, 2025));
        assert_eq!(
            refusal_field(expiry(json!(5), json!(2025))),
            ("card[expiry_month]".to_owned(), "The card has expired.".to_owned())
        );
        assert_eq!(
            refusal_field(expiry(json!(12), json!(24))),
            ("card[expiry_year]".to_owned(), "The card has expired.".to_owned())
        );
        // Up to 20 years ahead.
        assert_eq!(expiry(json!(12), json!(2045)).unwrap(), (12, 2045));
        assert_eq!(refusal_field(expiry(json!(1), json!(2046))).0, "card[expiry_year]");
        for month in [json!(0), json!(13), json!("00"), json!("001"), json!(-1), json!("x"), Value::Null] {
            assert_eq!(refusal_field(expiry(month.clone(), json!(30))).0, "card[expiry_month]", "{month}");
        }
        for year in
            [json!("3"), json!("030"), json!("20300"), json!(203), json!(-30), json!("y"), Value::Null]
        {
            assert_eq!(refusal_field(expiry(json!(1), year.clone())).0, "card[expiry_year]", "{year}");
        }
    }

    #[test]
    fn cvv_lengths() {
        let cvv = |number: &str, cvv: Value| validate_card(&card(number, json!(1), json!(30), cvv), 2025, 6);
        let invalid = ("card[cvv]".to_owned(), "The CVV is invalid.".to_owned());
        assert!(cvv("4111111111111111", json!(100)).is_ok());
        assert!(cvv("4111111111111111", json!("012")).is_ok());
        assert_eq!(refusal_field(cvv("4111111111111111", json!("1234"))), invalid);
        assert_eq!(refusal_field(cvv("4111111111111111", json!(12))), invalid);
        assert_eq!(refusal_field(cvv("4111111111111111", json!("12a"))), invalid);
        assert_eq!(refusal_field(cvv("4111111111111111", Value::Null)).1, "The CVV is required.");
        assert!(cvv("378282246310005", json!(1234)).is_ok());
        assert!(cvv("378282246310005", json!("0123")).is_ok());
        assert_eq!(refusal_field(cvv("378282246310005", json!(123))), invalid);
    }

    #[test]
    fn names() {
        let named = |name: Value| {
            let input = CardInput { name, ..card("4111111111111111", json!(1), json!(30), json!(123)) };
            validate_card(&input, 2025, 6).map(|c| c.name)
        };
        assert_eq!(named(json!("  Gaurav Kumar ")).unwrap().as_deref(), Some("Gaurav Kumar"));
        assert_eq!(named(json!("   ")).unwrap(), None);
        assert_eq!(named(json!("é".repeat(100))).unwrap().map(|n| n.chars().count()), Some(100));
        assert_eq!(refusal_field(named(json!("a".repeat(101)))).0, "card[name]");
        assert_eq!(refusal_field(named(json!(42))).0, "card[name]");
    }

    #[test]
    fn debug_never_shows_the_number_or_cvv() {
        let input = card("4111111111111111", json!(1), json!(30), json!("987"));
        let valid = validate_card(&input, 2025, 6).unwrap();
        let shown = format!("{valid:?}");
        assert!(!shown.contains("4111111111111111"), "{shown}");
        assert!(shown.contains("411111******1111"), "{shown}");
        let shown = format!("{input:?}");
        assert!(!shown.contains("4111111111111111") && !shown.contains("987"), "{shown}");
        assert_eq!(mask("123456789012"), "************");
    }

    #[test]
    fn fingerprints() {
        // python3 -c "import hmac,hashlib;print(hmac.new(b'fp-key',b'4111111111111111',hashlib.sha256).hexdigest()[:32])"
        assert_eq!(card_fingerprint("4111111111111111", b"fp-key"), "167b9cb0e44829fa1468851306284776");
        assert_ne!(
            card_fingerprint("4111111111111111", b"other key"),
            card_fingerprint("4111111111111111", b"fp-key")
        );
    }

    #[test]
    fn test_card_outcomes() {
        let outcome = |number: &str| card_outcome(&check(number).unwrap());
        assert_eq!(outcome("4111 1111 1111 1111"), TestOutcome::Approve);
        assert_eq!(outcome("4000 0000 0000 3220"), TestOutcome::RequireOtp);
        assert_eq!(
            outcome("4000 0000 0000 0002"),
            TestOutcome::Decline {
                reason: "card_declined",
                description:
                    "Your payment has been declined by your bank. Try another card or payment method."
            }
        );
        assert_eq!(
            outcome("4000 0000 0000 9995"),
            TestOutcome::Decline {
                reason: "insufficient_funds",
                description: "Your payment could not be completed due to insufficient account balance. Try another card or payment method."
            }
        );
        assert_eq!(outcome("5555555555554444"), TestOutcome::Approve);
    }

    #[test]
    fn otp() {
        assert!(otp_matches("123456"));
        assert!(otp_matches(" 123456\n"));
        for wrong in ["123457", "12345", "1234567", "", "12 3456"] {
            assert!(!otp_matches(wrong), "{wrong}");
        }
        assert_eq!(MAX_OTP_ATTEMPTS, 3);
    }

    #[test]
    fn vpas() {
        assert_eq!(validate_vpa("success@razorpay").unwrap(), "success@razorpay");
        assert_eq!(validate_vpa(" Gaurav.Kumar-1_x@OkHDFC ").unwrap(), "gaurav.kumar-1_x@okhdfc");
        assert_eq!(validate_vpa("ab@cd").unwrap(), "ab@cd");
        let too_long = format!("{}@upi", "a".repeat(257));
        let long_provider = format!("ab@{}", "x".repeat(65));
        for bad in [
            "gaurav",
            "gaurav@ok@hdfc",
            "gaurav@okhdfc1",
            "g@okhdfc",
            "gaurav@o",
            "@okhdfc",
            "gaurav@",
            "gau rav@okhdfc",
            "gaurav+1@okhdfc",
            "",
            too_long.as_str(),
            long_provider.as_str(),
        ] {
            let err = validate_vpa(bad).unwrap_err();
            assert_eq!(err.field.as_deref(), Some("vpa"), "{bad}");
        }
        assert_eq!(vpa_outcome("success@razorpay"), TestOutcome::Approve);
        assert_eq!(vpa_outcome("gaurav@okhdfc"), TestOutcome::Approve);
        assert!(matches!(
            vpa_outcome("failure@razorpay"),
            TestOutcome::Decline { reason: "payment_failed", .. }
        ));
        assert!(matches!(vpa_outcome("Failure@RazorPay"), TestOutcome::Decline { .. }));
    }

    #[test]
    fn banks_and_wallets() {
        assert_eq!(find_bank("HDFC").unwrap().name, "HDFC Bank");
        assert_eq!(find_bank("PUNB_R").unwrap().name, "Punjab National Bank - Retail");
        assert_eq!(BANKS.len(), 15);
        for bad in ["hdfc", "XXXX", ""] {
            let err = find_bank(bad).unwrap_err();
            assert_eq!(err.field.as_deref(), Some("bank"));
            assert!(err.description.contains("GET /v1/methods"));
        }
        assert_eq!(netbanking_outcome(find_bank("SBIN").unwrap()), TestOutcome::Approve);
        assert_eq!(find_wallet("phonepe").unwrap(), "phonepe");
        assert_eq!(find_wallet("paypal").unwrap(), "paypal");
        assert_eq!(find_wallet("PhonePe").unwrap_err().field.as_deref(), Some("wallet"));
        assert_eq!(find_wallet("paytm").unwrap_err().field.as_deref(), Some("wallet"));
        assert_eq!(wallet_outcome("amazonpay"), TestOutcome::Approve);
    }

    #[test]
    fn contacts() {
        assert_eq!(validate_contact("+91 98765-43210").unwrap(), "+919876543210");
        assert_eq!(validate_contact("9876543210").unwrap(), "9876543210");
        assert_eq!(validate_contact("12345678").unwrap(), "12345678");
        assert_eq!(validate_contact("+123456789012345").unwrap(), "+123456789012345");
        for bad in ["", "  ", "1234567", "+1234567890123456", "98765x3210", "++919876543210", "91+9876543210"]
        {
            assert_eq!(validate_contact(bad).unwrap_err().field.as_deref(), Some("contact"), "{bad}");
        }
    }

    #[test]
    fn emails() {
        assert_eq!(validate_email(" Gaurav.Kumar@Example.com ").unwrap(), "Gaurav.Kumar@Example.com");
        let long = format!("{}@example.com", "a".repeat(250));
        for bad in
            ["", "gaurav", "gaurav@", "@example.com", "gaurav@localhost", "a@b@example.com", long.as_str()]
        {
            assert_eq!(validate_email(bad).unwrap_err().field.as_deref(), Some("email"), "{bad}");
        }
    }
}
