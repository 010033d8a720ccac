//! The demo merchant's month of Pay (`make dev`): a small tea and coffee shop that sells online
//! to customers across India (and a few abroad), with a weekly and daily rhythm and one flash
//! sale; a few payment links; subscription boxes; a webhook endpoint with an evening outage; and
//! the daily settlements that follow.
//!
//! Only the inputs are invented — which customer pays which order with which instrument, when
//! the merchant captures, refunds, reviews or cancels. Everything that follows from them is
//! decided by the same rules as live traffic: the test bank's answer for each instrument
//! ([`Instrument::outcome`]), smart routing ([`super::routing`]), the velocity rules
//! ([`assess`]), the refund plan ([`plan_refund`]), subscription billing ([`Billing`]), the
//! webhook retry schedule ([`next_attempt_at`]) and the ledger behind T+N settlement. Drawn from
//! [`DemoRng`], so the same "now" gives the same month.

use super::{
    attempt::{Instrument, NewPayment, SavedInstrument},
    fraud::{assess, Flag, Recent, ReviewStatus, VelocityKey, RULES},
    ids::{new_id, CustomerId, KeyId, OrderId, PaymentId, PaymentLinkId, PlanId, RefundId, SubscriptionId},
    methods::{luhn_valid, TestOutcome, RECURRING_DECLINE_CARD},
    money::{currency, fee_for},
    order::DEFAULT_CAPTURE_WINDOW_MINUTES,
    payment::{plan_refund, PaymentStatus},
    payment_link::{LinkCustomer, LinkStatus},
    plan::Period,
    routing::{
        bucket_start, order as rank, score, simulate, Bucket, Decision, Hop, RoutingConfig, BUCKETS,
        BUCKET_MS,
    },
    settlement::settlement_cutoff,
    subscription::{Billing, SubStatus, DEFAULT_AUTH_WINDOW_MS},
    webhook::{is_delivered, next_attempt_at, DeliveryStatus},
    RazorpayError,
};
use crate::demo::{DemoRng, DAY_MS};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

const HOUR_MS: i64 = 3_600_000;
const MINUTE_MS: i64 = 60_000;
/// India Standard Time, where the shop and most of its customers are.
const IST_MS: i64 = 19_800_000;
/// How far back the month goes.
pub const MONTH_MS: i64 = 30 * DAY_MS;

/// The endpoint the demo merchant registered (never called by the seeder: example.com's
/// subdomains do not resolve).
pub const WEBHOOK_URL: &str = "https://hooks.example.com/dozen";
pub const WEBHOOK_SECRET: &str = "demo-webhook-signing-secret";
/// What it subscribed to (sorted, as registering stores them).
pub const WEBHOOK_EVENTS: &[&str] = &[
    "payment.captured",
    "payment.failed",
    "payment_link.paid",
    "refund.processed",
    "subscription.cancelled",
    "subscription.charged",
    "subscription.halted",
];

// --- who buys -----------------------------------------------------------------------------------

/// A customer: name, email, UPI address, bank (net banking code), wallet, and where they pay
/// from (`abroad`: an international card in that currency).
struct Person {
    name: &'static str,
    email: &'static str,
    vpa: &'static str,
    bank: &'static str,
    wallet: &'static str,
    abroad: Option<&'static str>,
}

const fn person(
    name: &'static str,
    email: &'static str,
    vpa: &'static str,
    bank: &'static str,
    wallet: &'static str,
) -> Person {
    Person { name, email, vpa, bank, wallet, abroad: None }
}

const PEOPLE: &[Person] = &[
    person("Aarav Sharma", "aarav.sharma@example.com", "aarav.sharma@okhdfcbank", "HDFC", "phonepe"),
    person("Priya Iyer", "priya.iyer@example.net", "priyaiyer@okicici", "ICIC", "amazonpay"),
    person("Rohan Mehta", "rohan.mehta@example.org", "rohanm@ybl", "UTIB", "freecharge"),
    person("Ananya Reddy", "ananya.reddy@example.com", "ananya.r@oksbi", "SBIN", "amazonpay"),
    person("Vikram Singh", "vikram.singh@example.net", "vikramsingh@paytm", "PUNB_R", "mobikwik"),
    person("Kavya Nair", "kavya.nair@example.com", "kavyanair@okaxis", "FDRL", "phonepe"),
    person("Arjun Patel", "arjun.patel@example.org", "arjun.patel@ybl", "BARB_R", "freecharge"),
    person("Meera Krishnan", "meera.k@example.com", "meerak@okhdfcbank", "HDFC", "amazonpay"),
    person("Siddharth Rao", "sid.rao@example.net", "sidrao@okicici", "ICIC", "payzapp"),
    person("Ishita Banerjee", "ishita.banerjee@example.com", "ishita.b@ybl", "SBIN", "phonepe"),
    person("Aditya Kulkarni", "aditya.kulkarni@example.org", "adityak@oksbi", "KKBK", "jiomoney"),
    person("Neha Gupta", "neha.gupta@example.com", "nehagupta@paytm", "HDFC", "mobikwik"),
    person("Karan Malhotra", "karan.malhotra@example.net", "karanm@okaxis", "UTIB", "amazonpay"),
    person("Pooja Desai", "pooja.desai@example.com", "pooja.desai@ybl", "ICIC", "phonepe"),
    person("Rahul Verma", "rahul.verma@example.org", "rahulverma@okhdfcbank", "SBIN", "airtelmoney"),
    person("Sneha Joshi", "sneha.joshi@example.com", "snehaj@okicici", "KKBK", "amazonpay"),
    person("Nikhil Menon", "nikhil.menon@example.net", "nikhilmenon@oksbi", "FDRL", "phonepe"),
    person("Divya Pillai", "divya.pillai@example.com", "divya.p@ybl", "IOBA", "freecharge"),
    person("Harsh Agarwal", "harsh.agarwal@example.org", "harsha@paytm", "YESB", "mobikwik"),
    person("Riya Chatterjee", "riya.chatterjee@example.com", "riyac@okaxis", "SBIN", "phonepe"),
    person("Manish Tiwari", "manish.tiwari@example.net", "manisht@okhdfcbank", "UBIN", "jiomoney"),
    person("Shreya Bhat", "shreya.bhat@example.com", "shreyabhat@okicici", "CNRB", "amazonpay"),
    person("Varun Chopra", "varun.chopra@example.org", "varunc@ybl", "HDFC", "payzapp"),
    person("Anjali Mishra", "anjali.mishra@example.com", "anjalim@oksbi", "BKID", "phonepe"),
    person("Abhishek Das", "abhishek.das@example.net", "abhishekdas@paytm", "SBIN", "mobikwik"),
    person("Tanvi Shah", "tanvi.shah@example.com", "tanvishah@okaxis", "KKBK", "amazonpay"),
    person("Gaurav Saxena", "gaurav.saxena@example.org", "gauravs@okhdfcbank", "ICIC", "phonepe"),
    person("Nandini Hegde", "nandini.hegde@example.com", "nandini.h@okicici", "CNRB", "amazonpay"),
    person("Amit Jain", "amit.jain@example.net", "amitjain@ybl", "HDFC", "freecharge"),
    person("Lakshmi Subramanian", "lakshmi.s@example.com", "lakshmis@oksbi", "IOBA", "phonepe"),
    person("Farhan Qureshi", "farhan.qureshi@example.org", "farhanq@paytm", "INDB", "mobikwik"),
    person("Simran Kaur", "simran.kaur@example.com", "simrankaur@okaxis", "PUNB_R", "amazonpay"),
    person("Deepak Yadav", "deepak.yadav@example.net", "deepaky@okhdfcbank", "SBIN", "airtelmoney"),
    person("Aisha Khan", "aisha.khan@example.com", "aishakhan@ybl", "IDFB", "phonepe"),
    person("Sanjay Bose", "sanjay.bose@example.org", "sanjaybose@okicici", "UBIN", "payzapp"),
    person("Zoya Siddiqui", "zoya.siddiqui@example.com", "zoyas@oksbi", "HDFC", "amazonpay"),
    person("Kunal Bhatt", "kunal.bhatt@example.net", "kunalbhatt@paytm", "KKBK", "mobikwik"),
    person("Pallavi Ghosh", "pallavi.ghosh@example.com", "pallavig@okaxis", "SBIN", "phonepe"),
    // Buyers for offices and events (the velocity bursts and payment links).
    person("Ritu Khanna", "ritu.khanna@example.org", "ritukhanna@okhdfcbank", "HDFC", "amazonpay"),
    person("Manoj Pillai", "manoj.pillai@example.com", "manojp@okicici", "ICIC", "phonepe"),
    person("Sameer Arora", "sameer.arora@example.net", "sameera@ybl", "UTIB", "amazonpay"),
    // Customers who pay from abroad, in their currency.
    Person { abroad: Some("USD"), ..person("Rahul Menon", "rahul.menon@example.com", "", "", "") },
    Person { abroad: Some("GBP"), ..person("Anita Raman", "anita.raman@example.org", "", "", "") },
    Person { abroad: Some("EUR"), ..person("Vivek Iyer", "vivek.iyer@example.net", "", "", "") },
    Person { abroad: Some("USD"), ..person("Sunita Rao", "sunita.rao@example.com", "", "", "") },
];

/// The first customer who shops in India (the rest of the list after the buyers pay abroad).
fn domestic() -> std::ops::Range<usize> {
    0..38
}

fn abroad() -> Vec<usize> {
    (0..PEOPLE.len()).filter(|i| PEOPLE[*i].abroad.is_some()).collect()
}

fn by_name(name: &str) -> usize {
    PEOPLE.iter().position(|p| p.name == name).unwrap_or(0)
}

/// What the shop sells: (name, price in paise, how often it is bought).
const ITEMS: &[(&str, i64, u32)] = &[
    ("Assam breakfast tea, 250 g", 34_900, 14),
    ("Darjeeling first flush, 100 g", 69_900, 8),
    ("Nilgiri frost tea, 250 g", 44_900, 6),
    ("Masala chai blend, 200 g", 29_900, 14),
    ("Kashmiri kahwa, 100 g", 39_900, 5),
    ("Chikmagalur filter coffee, 500 g", 54_900, 10),
    ("Cold brew bags, pack of 10", 49_900, 6),
    ("Brass tea kettle", 249_900, 2),
    ("Ceramic cup set of 4", 159_900, 3),
    ("Chai gift box", 129_900, 5),
];
const SHIPPING: i64 = 4_900;
const FREE_SHIPPING_FROM: i64 = 49_900;

/// Relative orders by hour of the day in India: a lunch bump and an evening peak.
const HOURLY_IST: [u32; 24] = [1, 1, 0, 0, 0, 0, 1, 2, 4, 6, 7, 7, 8, 7, 6, 6, 7, 8, 10, 12, 13, 12, 8, 4];

// --- the month ----------------------------------------------------------------------------------

/// A key pair of the merchant (the older one rotated out).
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub id: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

/// A Razorpay customer (made for each subscriber).
#[derive(Debug, Clone, PartialEq)]
pub struct Customer {
    pub id: String,
    pub name: String,
    pub email: String,
    pub contact: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub id: String,
    pub item_id: String,
    pub period: Period,
    pub interval: i64,
    pub name: &'static str,
    pub description: &'static str,
    pub amount: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    pub id: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub id: String,
    pub created_at: i64,
    pub amount: i64,
    pub currency: &'static str,
    pub first_min_partial_amount: Option<i64>,
    pub description: &'static str,
    pub reference_id: &'static str,
    pub customer: LinkCustomer,
    pub expire_by: i64,
    /// Cancelled or expired, and when.
    pub closed: Option<(LinkStatus, i64)>,
    /// What it ends as, after its payments.
    pub status: LinkStatus,
    pub amount_paid: i64,
}

/// A subscription's billing state after one step (authorization, a charge, a cancellation).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SubState {
    pub at: i64,
    pub status: SubStatus,
    pub start_at: Option<i64>,
    pub paid_count: i64,
    pub failed_attempts: i64,
    pub charge_at: Option<i64>,
    pub current: Option<(i64, i64)>,
    pub ended_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Subscription {
    pub id: String,
    pub plan: usize,
    pub customer: usize,
    pub quantity: i64,
    pub total_count: i64,
    pub created_at: i64,
    pub requested_start: Option<i64>,
    pub expire_by: i64,
    /// The payment that authorized it.
    pub authorized_by: Option<usize>,
    /// After each step, oldest first (empty: never authorized).
    pub states: Vec<SubState>,
}

impl Subscription {
    pub fn status(&self) -> SubStatus {
        self.states.last().map_or(SubStatus::Created, |s| s.status)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    pub id: String,
    pub created_at: i64,
    pub amount: i64,
    pub currency: &'static str,
    pub receipt: Option<String>,
    pub notes: Map<String, Value>,
    pub auto_capture: bool,
    pub capture_window_minutes: i64,
    pub link: Option<usize>,
    pub subscription: Option<usize>,
}

/// What the customer did after the bank asked for an OTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Otp {
    /// The right one, this long after the attempt.
    Right(i64),
    /// Three wrong ones, this long apart: the payment fails.
    Wrong(i64),
}

/// One payment attempt and everything that became of it.
#[derive(Debug, Clone)]
pub struct Payment {
    pub id: String,
    pub order: usize,
    pub at: i64,
    pub attempt: NewPayment,
    /// The card number (velocity counts cards by it; the worker stores only its fingerprint).
    pub card: Option<String>,
    pub client_ip: Option<String>,
    pub outcome: TestOutcome,
    pub otp: Option<Otp>,
    pub routing: Decision,
    pub flags: Vec<Flag>,
    pub status: PaymentStatus,
    pub authorized_at: Option<i64>,
    pub captured_at: Option<i64>,
    /// The review of a payment the velocity rules held: its decision and when.
    pub review: Option<(ReviewStatus, Option<i64>)>,
    /// Released uncaptured (refunded in full, no ledger postings): when, why, the refund's id.
    pub released: Option<(i64, &'static str, String)>,
    /// Charged for this subscription cycle (1-based), without the customer.
    pub cycle: Option<(usize, i64)>,
}

impl Payment {
    /// A payment as it is made, before routing, the bank or any review has touched it.
    fn created(
        id: String,
        order: usize,
        at: i64,
        attempt: NewPayment,
        card: Option<String>,
        outcome: TestOutcome,
    ) -> Self {
        Self {
            id,
            order,
            at,
            attempt,
            card,
            client_ip: None,
            outcome,
            otp: None,
            routing: Decision {
                method: String::new(),
                scores: vec![],
                explored: false,
                hops: vec![],
                processor: None,
            },
            flags: Vec::new(),
            status: PaymentStatus::Created,
            authorized_at: None,
            captured_at: None,
            review: None,
            released: None,
            cycle: None,
        }
    }

    pub fn amount(&self) -> i64 {
        self.attempt.amount
    }

    pub fn currency(&self) -> &'static str {
        self.attempt.currency.code
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Refund {
    pub id: String,
    pub payment: usize,
    pub at: i64,
    pub amount: i64,
    pub speed: &'static str,
    pub reason: &'static str,
}

/// One attempt to deliver an event, as the webhook sender logs it.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryAttempt {
    pub at: i64,
    pub status_code: Option<i64>,
    pub error: Option<&'static str>,
    pub duration_ms: i64,
    pub delivered: bool,
    /// When it is tried again (`None`: delivered or given up).
    pub next_attempt_at: Option<i64>,
}

/// What an event is about, at the moment it happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum About {
    Payment(usize),
    Refund(usize),
    LinkPaid { link: usize, payment: usize },
    Subscription { sub: usize, state: usize, payment: Option<usize> },
}

/// An event the webhook subscribed to, and its one delivery.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: String,
    pub delivery_id: String,
    pub name: &'static str,
    pub at: i64,
    pub about: About,
    pub attempts: Vec<DeliveryAttempt>,
    pub status: DeliveryStatus,
    pub delivered_at: Option<i64>,
}

/// A settlement run that pays out a positive balance of one currency.
#[derive(Debug, Clone, PartialEq)]
pub struct Settlement {
    pub id: String,
    pub utr: String,
    pub at: i64,
    pub currency: &'static str,
    /// What the ledger says it pays (captured − fees − refunds posted up to T−N).
    pub amount: i64,
}

/// Everything that happens, in the order it happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    Key(usize),
    KeyRevoked(usize),
    Plan(usize),
    Webhook,
    Customer(usize),
    LinkCreated(usize),
    LinkClosed(usize),
    SubCreated(usize),
    Order(usize),
    /// A payment is attempted (and captured at once, or held, as it goes).
    Attempt(usize),
    /// The customer enters one OTP (`last`: the one that decides).
    Otp {
        payment: usize,
        right: bool,
        last: bool,
    },
    /// Captured later: by the merchant, or by approving its review.
    Capture(usize),
    Review(usize),
    Release(usize),
    Refund(usize),
    /// The subscription takes its state number `state`.
    SubState {
        sub: usize,
        state: usize,
    },
    Event(usize),
    Settle(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub at: i64,
    pub what: What,
}

#[derive(Debug, Clone)]
pub struct Month {
    pub now_ms: i64,
    pub keys: Vec<Key>,
    pub customers: Vec<Customer>,
    pub plans: Vec<Plan>,
    pub webhook: Webhook,
    pub links: Vec<Link>,
    pub subscriptions: Vec<Subscription>,
    pub orders: Vec<Order>,
    pub payments: Vec<Payment>,
    pub refunds: Vec<Refund>,
    pub events: Vec<Event>,
    pub settlements: Vec<Settlement>,
    pub steps: Vec<Step>,
}

impl Month {
    /// The key that signs what the merchant makes.
    pub fn key_id(&self) -> &str {
        self.keys.last().map_or("", |k| k.id.as_str())
    }

    /// The currencies it took payments in.
    pub fn currencies(&self) -> Vec<&'static str> {
        let mut all: Vec<&'static str> = self.payments.iter().map(Payment::currency).collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    /// How much of payment `p` was refunded by its refunds up to and including refund `upto`.
    pub fn refunded(&self, p: usize, upto: Option<usize>) -> i64 {
        let released = self.payments[p].released.as_ref().map_or(0, |_| self.payments[p].amount());
        released
            + self
                .refunds
                .iter()
                .enumerate()
                .filter(|(i, r)| r.payment == p && upto.is_none_or(|u| *i <= u))
                .map(|(_, r)| r.amount)
                .sum::<i64>()
    }
}

// --- building it ------------------------------------------------------------------------------------

fn id8(rng: &mut DemoRng) -> [u8; 8] {
    rng.next_u64().to_be_bytes()
}

fn ist_day(at: i64) -> i64 {
    (at + IST_MS).div_euclid(DAY_MS)
}

/// `minutes` after midnight of IST day `day`.
fn ist_time(day: i64, minutes: i64) -> i64 {
    day * DAY_MS + minutes * MINUTE_MS - IST_MS
}

/// 0 = Sunday.
fn weekday(ist_day: i64) -> i64 {
    (ist_day + 4).rem_euclid(7)
}

/// A card number of `prefix` and `len` digits that passes the Luhn check.
fn card_number(prefix: &str, len: usize, rng: &mut DemoRng) -> String {
    let mut digits = prefix.to_owned();
    while digits.len() < len - 1 {
        digits.push(char::from(b'0' + rng.below(10) as u8));
    }
    (0..10)
        .map(|check| format!("{digits}{check}"))
        .find(|n| luhn_valid(n))
        .unwrap_or_else(|| format!("{digits}0"))
}

/// Everyone's own card: Indian issuers for customers at home, Visa or Mastercard abroad.
fn cards(rng: &mut DemoRng) -> Vec<String> {
    const HOME: &[(&str, usize, u32)] = &[
        ("421323", 16, 14),
        ("459150", 16, 10),
        ("524193", 16, 10),
        ("552004", 16, 8),
        ("608001", 16, 10),
        ("652150", 16, 8),
        ("376921", 15, 2),
    ];
    const ABROAD: &[(&str, usize, u32)] = &[("414720", 16, 1), ("537410", 16, 1)];
    PEOPLE
        .iter()
        .map(|p| {
            let table = if p.abroad.is_some() { ABROAD } else { HOME };
            let weights: Vec<(usize, u32)> = table.iter().enumerate().map(|(i, t)| (i, t.2)).collect();
            let (prefix, len, _) = table[rng.pick(&weights)];
            card_number(prefix, len, rng)
        })
        .collect()
}

/// A payer's address from the documentation ranges (RFC 5737): nobody real is implied.
fn ip_of(person: usize) -> String {
    let nets = ["192.0.2", "198.51.100", "203.0.113"];
    format!("{}.{}", nets[person % 3], 10 + person * 5 % 240)
}

fn contact_of(person: usize) -> String {
    format!("+9190000{:05}", 10_000 + person * 1_777 % 89_000)
}

/// How someone pays this time.
#[derive(Debug, Clone)]
enum Pay {
    Card(String),
    Upi(String),
    Netbanking(&'static str),
    Wallet(&'static str),
}

/// The S2S body of an attempt, parsed as the API parses it.
fn attempt(
    order: &Order,
    order_id: &str,
    amount: i64,
    who: usize,
    how: &Pay,
    description: Option<String>,
    at: i64,
) -> Result<NewPayment, RazorpayError> {
    let p = &PEOPLE[who];
    let mut body = Map::new();
    body.insert("order_id".into(), json!(order_id));
    body.insert("amount".into(), json!(amount));
    body.insert("currency".into(), json!(order.currency));
    body.insert("email".into(), json!(p.email));
    body.insert("contact".into(), json!(contact_of(who)));
    if let Some(description) = description {
        body.insert("description".into(), json!(description));
    }
    let (year, _) = super::attempt::card_calendar_month(at);
    match how {
        Pay::Card(number) => {
            body.insert("method".into(), json!("card"));
            let cvv = if number.starts_with("37") { "4321" } else { "123" };
            body.insert(
                "card".into(),
                json!({"number": number, "name": p.name, "expiry_month": 1 + who % 12,
                       "expiry_year": year + 2 + (who % 4) as i32, "cvv": cvv}),
            );
        }
        Pay::Upi(vpa) => {
            body.insert("method".into(), json!("upi"));
            body.insert("vpa".into(), json!(vpa));
        }
        Pay::Netbanking(bank) => {
            body.insert("method".into(), json!("netbanking"));
            body.insert("bank".into(), json!(bank));
        }
        Pay::Wallet(wallet) => {
            body.insert("method".into(), json!("wallet"));
            body.insert("wallet".into(), json!(wallet));
        }
    }
    NewPayment::parse(&body, at)
}

/// The shares of the methods people pick (UPI leads in India).
const METHODS: &[(u8, u32)] = &[(0, 45), (1, 32), (2, 11), (3, 12)];

/// The card numbers of the test bank's answers (README: test instruments).
const DECLINED: &str = "4000000000000002";
const NO_FUNDS: &str = "4000000000009995";
const OTP_CARD: &str = "4000000000003220";
const UPI_FAILURE: &str = "failure@razorpay";

struct Builder<'a> {
    now: i64,
    rng: &'a mut DemoRng,
    cards: Vec<String>,
    month: Month,
    /// (time, order of insertion, step): sorted at the end.
    steps: Vec<(i64, usize, What)>,
    /// Per payment: who paid, for velocity and events.
    payer: Vec<usize>,
    /// Per order, what it sells (for partial refunds: one line).
    lines: Vec<Vec<i64>>,
    next_receipt: i64,
}

impl Builder<'_> {
    /// `hh:mm` in India, `days` days before today there.
    fn ist(&self, days: i64, hh: i64, mm: i64) -> i64 {
        ist_time(ist_day(self.now) - days, hh * 60 + mm)
    }

    fn step(&mut self, at: i64, what: What) {
        let n = self.steps.len();
        self.steps.push((at, n, what));
    }

    fn pay_usual(&mut self, who: usize) -> Pay {
        let p = &PEOPLE[who];
        if p.abroad.is_some() {
            return Pay::Card(self.cards[who].clone());
        }
        // Everyone has a favourite method, and sometimes uses another.
        let favourite = METHODS[who % METHODS.len()].0;
        let method = if self.rng.chance(0.7) { favourite } else { self.rng.pick(METHODS) };
        match method {
            0 => Pay::Upi(p.vpa.to_owned()),
            1 => Pay::Card(self.cards[who].clone()),
            2 => Pay::Netbanking(p.bank),
            _ => Pay::Wallet(p.wallet),
        }
    }

    /// Sometimes the instrument is one the test bank turns down (or asks an OTP of).
    fn maybe_troubled(&mut self, how: Pay) -> Pay {
        let roll = self.rng.unit();
        match how {
            Pay::Card(_) if roll < 0.05 => Pay::Card(DECLINED.to_owned()),
            Pay::Card(_) if roll < 0.09 => Pay::Card(NO_FUNDS.to_owned()),
            Pay::Card(_) if roll < 0.17 => Pay::Card(OTP_CARD.to_owned()),
            Pay::Upi(_) if roll < 0.07 => Pay::Upi(UPI_FAILURE.to_owned()),
            other => other,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn order(
        &mut self,
        at: i64,
        amount: i64,
        currency: &'static str,
        receipt: Option<String>,
        notes: Map<String, Value>,
        auto_capture: bool,
        capture_window_minutes: i64,
        link: Option<usize>,
        subscription: Option<usize>,
        id: Option<String>,
    ) -> usize {
        let id = id.unwrap_or_else(|| OrderId::new(at, id8(self.rng)).to_string());
        self.month.orders.push(Order {
            id,
            created_at: at,
            amount,
            currency,
            receipt,
            notes,
            auto_capture,
            capture_window_minutes,
            link,
            subscription,
        });
        self.lines.push(Vec::new());
        let o = self.month.orders.len() - 1;
        self.step(at, What::Order(o));
        o
    }

    /// A payment attempt on order `o`; its outcome is the test bank's (and the OTP the customer
    /// types, for a card that asks for one). Routing, velocity and capture come later, in time
    /// order.
    fn attempt(
        &mut self,
        o: usize,
        at: i64,
        amount: i64,
        who: usize,
        how: &Pay,
        description: Option<String>,
    ) -> Result<usize, RazorpayError> {
        let order = self.month.orders[o].clone();
        let attempt = attempt(&order, &order.id, amount, who, how, description, at)?;
        let outcome = attempt.instrument.outcome();
        let otp = (outcome == TestOutcome::RequireOtp).then(|| {
            if self.rng.chance(0.75) {
                Otp::Right(20_000 + self.rng.below(40_000) as i64)
            } else {
                Otp::Wrong(10_000 + self.rng.below(15_000) as i64)
            }
        });
        let card = match how {
            Pay::Card(number) => Some(number.clone()),
            _ => None,
        };
        let id = PaymentId::new(at, id8(self.rng)).to_string();
        self.month.payments.push(Payment {
            client_ip: Some(ip_of(who)),
            otp,
            ..Payment::created(id, o, at, attempt, card, outcome)
        });
        self.payer.push(who);
        Ok(self.month.payments.len() - 1)
    }

    /// When an attempt ended, and whether the bank approved it.
    fn ended(&self, p: usize) -> (i64, bool) {
        let pay = &self.month.payments[p];
        match (pay.outcome, pay.otp) {
            (TestOutcome::Approve, _) => (pay.at, true),
            (TestOutcome::RequireOtp, Some(Otp::Right(after))) => (pay.at + after, true),
            (TestOutcome::RequireOtp, Some(Otp::Wrong(apart))) => (pay.at + 3 * apart, false),
            _ => (pay.at, false),
        }
    }

    /// A shop order at `at`: lines from the catalogue, paid (after a failure, perhaps on a
    /// second try), sometimes captured by hand.
    fn shop_order(&mut self, at: i64, who: usize) -> Result<(), RazorpayError> {
        let abroad = PEOPLE[who].abroad;
        let (amount, lines, currency) = match abroad {
            Some(code) => (1_900 + 100 * self.rng.below(70) as i64, vec![], code),
            None => {
                let weights: Vec<(usize, u32)> = ITEMS.iter().enumerate().map(|(i, it)| (i, it.2)).collect();
                let count = self.rng.pick(&[(1usize, 55), (2, 30), (3, 15)]);
                let mut lines = Vec::new();
                for _ in 0..count {
                    let quantity = if self.rng.chance(0.2) { 2 } else { 1 };
                    lines.push(ITEMS[self.rng.pick(&weights)].1 * quantity);
                }
                let subtotal: i64 = lines.iter().sum();
                let shipping = if subtotal < FREE_SHIPPING_FROM { SHIPPING } else { 0 };
                (subtotal + shipping, lines, "INR")
            }
        };
        let manual = abroad.is_none() && self.rng.chance(0.08);
        let receipt = self.next_receipt;
        self.next_receipt += 1;
        let o = self.order(
            at,
            amount,
            currency,
            Some(format!("rcpt_{receipt}")),
            Map::new(),
            !manual,
            if manual { 2_880 } else { DEFAULT_CAPTURE_WINDOW_MINUTES },
            None,
            None,
            None,
        );
        self.lines[o] = lines;
        let description = Some(format!("Order #{receipt}"));
        let usual = self.pay_usual(who);
        let how = self.maybe_troubled(usual);
        let paid_at = at + 40_000 + self.rng.below(80_000) as i64;
        let first = self.attempt(o, paid_at, amount, who, &how, description.clone())?;
        let (ended, approved) = self.ended(first);
        if !approved && self.rng.chance(0.6) {
            // A second try with something that works.
            let retry = if PEOPLE[who].abroad.is_some() || self.rng.chance(0.5) {
                Pay::Card(self.cards[who].clone())
            } else {
                Pay::Upi(PEOPLE[who].vpa.to_owned())
            };
            let at = ended + MINUTE_MS + self.rng.below(3 * MINUTE_MS as u64) as i64;
            self.attempt(o, at, amount, who, &retry, description)?;
        }
        Ok(())
    }

    /// A month of shop orders: more at weekends and in the evening, twice as many on the day
    /// of the flash sale.
    fn shop(&mut self) -> Result<(), RazorpayError> {
        let today = ist_day(self.now);
        let sale = today - 9;
        let hours: Vec<(i64, u32)> = HOURLY_IST.iter().enumerate().map(|(h, w)| (h as i64, *w)).collect();
        let home: Vec<(usize, u32)> = domestic().map(|i| (i, if i % 5 == 0 { 4 } else { 2 })).collect();
        for day in today - 30..=today {
            let factor = match weekday(day) {
                0 => 1.25,
                6 => 1.3,
                5 => 1.1,
                1 => 0.85,
                _ => 1.0,
            } * if day == sale { 2.2 } else { 1.0 };
            let orders = (5.4 * factor * (0.75 + 0.5 * self.rng.unit())).round() as usize;
            for _ in 0..orders {
                let at = ist_time(day, self.rng.pick(&hours) * 60 + self.rng.below(60) as i64);
                let who = self.rng.pick(&home);
                if at > self.now - MONTH_MS + HOUR_MS && at < self.now - 10 * MINUTE_MS {
                    self.shop_order(at, who)?;
                }
            }
        }
        // A few customers abroad, paying in their currency.
        for (n, who) in abroad().into_iter().enumerate() {
            let at = ist_time(today - 3 - 6 * n as i64, 14 * 60 + 7 * n as i64);
            self.shop_order(at, who)?;
            if n == 0 {
                self.shop_order(ist_time(today - 16, 22 * 60 + 5), who)?;
            }
        }
        Ok(())
    }

    /// Bursts of one card in a few minutes (an office buying gift boxes one order at a time):
    /// the sixth breaks the card velocity rule and waits for review — rejected, approved, and
    /// one still pending.
    fn bursts(&mut self) -> Result<(), RazorpayError> {
        // (buyer, start, review: approved or not, that long after)
        type Burst = (&'static str, i64, Option<(bool, i64)>);
        let specs: [Burst; 3] = [
            ("Sameer Arora", self.ist(17, 15, 10), Some((false, 3 * HOUR_MS))),
            ("Manoj Pillai", self.ist(9, 11, 40), Some((true, 6 * HOUR_MS))),
            ("Ritu Khanna", self.ist(1, 16, 25), None),
        ];
        for (name, start, decision) in specs {
            let who = by_name(name);
            let card = Pay::Card(self.cards[who].clone());
            let mut at = start;
            for n in 0..6 {
                at += 70_000 + self.rng.below(30_000) as i64;
                let receipt = self.next_receipt;
                self.next_receipt += 1;
                let amount = 2 * 129_900;
                let o = self.order(
                    at,
                    amount,
                    "INR",
                    Some(format!("rcpt_{receipt}")),
                    Map::new(),
                    true,
                    DEFAULT_CAPTURE_WINDOW_MINUTES,
                    None,
                    None,
                    None,
                );
                self.lines[o] = vec![129_900, 129_900];
                let p =
                    self.attempt(o, at + 30_000, amount, who, &card, Some(format!("Order #{receipt}")))?;
                if n == 5 {
                    self.month.payments[p].review =
                        Some(decision.map_or((ReviewStatus::Pending, None), |(approve, after)| {
                            let status =
                                if approve { ReviewStatus::Approved } else { ReviewStatus::Rejected };
                            (status, Some(at + 30_000 + after))
                        }));
                }
            }
        }
        Ok(())
    }

    fn links(&mut self) -> Result<(), RazorpayError> {
        struct Spec {
            description: &'static str,
            reference: &'static str,
            amount: i64,
            first_min: Option<i64>,
            customer: &'static str,
            created_at: i64,
            lifetime: i64,
            /// (days after creation, amount (0: what is left), how, a failed try first)
            payments: &'static [(f64, i64, u8, bool)],
            closed: Option<(LinkStatus, i64)>,
        }
        const NB: u8 = 2;
        const UPI: u8 = 0;
        const CARD: u8 = 1;
        let specs = [
            Spec {
                description: "Diwali gifting: 40 hampers for Acme Corp",
                reference: "ACME-DIWALI",
                amount: 12_499_000,
                first_min: Some(5_000_000),
                customer: "Ritu Khanna",
                created_at: self.ist(24, 11, 20),
                lifetime: 45 * DAY_MS,
                payments: &[(1.2, 5_000_000, NB, false), (12.4, 0, NB, false)],
                closed: None,
            },
            Spec {
                description: "Tea tasting workshop: Saturday batch",
                reference: "WS-0412",
                amount: 99_900,
                first_min: None,
                customer: "Kavya Nair",
                created_at: self.ist(19, 10, 5),
                lifetime: 10 * DAY_MS,
                payments: &[(0.3, 0, UPI, false)],
                closed: None,
            },
            Spec {
                description: "Tea tasting workshop: Saturday batch",
                reference: "WS-0413",
                amount: 99_900,
                first_min: None,
                customer: "Rohan Mehta",
                created_at: self.ist(19, 10, 12),
                lifetime: 10 * DAY_MS,
                payments: &[(1.1, 0, CARD, true)],
                closed: None,
            },
            Spec {
                description: "Workshop seat: November batch",
                reference: "WS-0398",
                amount: 99_900,
                first_min: None,
                customer: "Aditya Kulkarni",
                created_at: self.ist(27, 17, 30),
                lifetime: 14 * DAY_MS,
                payments: &[],
                closed: Some((LinkStatus::Expired, 0)),
            },
            Spec {
                description: "Office pantry refill: Brightlabs",
                reference: "INV-2027",
                amount: 785_000,
                first_min: None,
                customer: "Manoj Pillai",
                created_at: self.ist(13, 12, 15),
                lifetime: 15 * DAY_MS,
                payments: &[(2.4, 0, NB, false)],
                closed: None,
            },
            Spec {
                description: "Office pantry refill: Brightlabs (duplicate)",
                reference: "INV-2028",
                amount: 785_000,
                first_min: None,
                customer: "Manoj Pillai",
                created_at: self.ist(13, 12, 18),
                lifetime: 15 * DAY_MS,
                payments: &[],
                closed: Some((LinkStatus::Cancelled, 40 * MINUTE_MS)),
            },
            Spec {
                description: "Bulk order: Café Kesar, December",
                reference: "INV-2030",
                amount: 3_850_000,
                first_min: Some(1_000_000),
                customer: "Sameer Arora",
                created_at: self.ist(8, 15, 45),
                lifetime: 20 * DAY_MS,
                payments: &[(1.75, 1_500_000, UPI, true)],
                closed: None,
            },
            Spec {
                description: "Custom hamper for Meera",
                reference: "INV-2032",
                amount: 459_900,
                first_min: None,
                customer: "Meera Krishnan",
                created_at: self.ist(2, 18, 30),
                lifetime: 7 * DAY_MS,
                payments: &[],
                closed: None,
            },
            Spec {
                description: "Monthly supply: Hotel Suryoday",
                reference: "INV-2033",
                amount: 1_640_000,
                first_min: None,
                customer: "Harsh Agarwal",
                created_at: self.ist(1, 11, 0),
                lifetime: 14 * DAY_MS,
                payments: &[],
                closed: None,
            },
        ];
        for spec in specs {
            let who = by_name(spec.customer);
            let created_at = spec.created_at;
            let expire_by = created_at + spec.lifetime;
            let closed = spec.closed.map(|(status, after)| match status {
                // Expired by the Cron Trigger within a minute of its `expire_by`.
                LinkStatus::Expired => (status, expire_by + 20_000),
                _ => (status, created_at + after),
            });
            let l = self.month.links.len();
            self.month.links.push(Link {
                id: PaymentLinkId::new(created_at, id8(self.rng)).to_string(),
                created_at,
                amount: spec.amount,
                currency: "INR",
                first_min_partial_amount: spec.first_min,
                description: spec.description,
                reference_id: spec.reference,
                customer: LinkCustomer {
                    name: Some(PEOPLE[who].name.to_owned()),
                    email: Some(PEOPLE[who].email.to_owned()),
                    contact: Some(contact_of(who)),
                },
                expire_by,
                closed,
                status: closed.map_or(LinkStatus::Created, |c| c.0),
                amount_paid: 0,
            });
            self.step(created_at, What::LinkCreated(l));
            if let Some((_, at)) = closed {
                self.step(at, What::LinkClosed(l));
            }
            let mut paid = 0;
            for &(after_days, amount, method, fail_first) in spec.payments {
                let at = created_at + (after_days * DAY_MS as f64) as i64;
                let amount = if amount == 0 { spec.amount - paid } else { amount };
                paid += amount;
                let o = self.order(
                    at,
                    amount,
                    "INR",
                    Some(spec.reference.to_owned()),
                    json!({"payment_link_id": self.month.links[l].id})
                        .as_object()
                        .cloned()
                        .unwrap_or_default(),
                    true,
                    DEFAULT_CAPTURE_WINDOW_MINUTES,
                    Some(l),
                    None,
                    None,
                );
                let how = match method {
                    UPI => Pay::Upi(PEOPLE[who].vpa.to_owned()),
                    CARD => Pay::Card(self.cards[who].clone()),
                    _ => Pay::Netbanking(PEOPLE[who].bank),
                };
                let mut at = at + 90_000;
                if fail_first {
                    let failing = match how {
                        Pay::Upi(_) => Pay::Upi(UPI_FAILURE.to_owned()),
                        _ => Pay::Card(NO_FUNDS.to_owned()),
                    };
                    self.attempt(o, at, amount, who, &failing, None)?;
                    at += 2 * MINUTE_MS;
                }
                self.attempt(o, at, amount, who, &how, None)?;
            }
            let link = &mut self.month.links[l];
            link.amount_paid = paid;
            if paid > 0 {
                link.status = if paid >= link.amount { LinkStatus::Paid } else { LinkStatus::PartiallyPaid };
            }
        }
        Ok(())
    }

    fn plans(&mut self) {
        let specs = [
            (
                "Chai Club: monthly box",
                "Three teas picked for the month, shipped on the 1st.",
                49_900,
                Period::Monthly,
                33,
            ),
            (
                "Office pantry: weekly",
                "Tea, coffee and snacks for a 20-person office.",
                249_900,
                Period::Weekly,
                32,
            ),
            ("Chai Club: yearly", "Twelve monthly boxes, billed once a year.", 499_900, Period::Yearly, 31),
        ];
        for (name, description, amount, period, days_ago) in specs {
            let created_at = self.now - days_ago * DAY_MS - 3 * HOUR_MS;
            self.month.plans.push(Plan {
                id: PlanId::new(created_at, id8(self.rng)).to_string(),
                item_id: new_id("item_", created_at, id8(self.rng)),
                period,
                interval: 1,
                name,
                description,
                amount,
                created_at,
            });
            self.step(created_at, What::Plan(self.month.plans.len() - 1));
        }
    }

    /// Subscription boxes and office pantries: authorized by the customer, then charged every
    /// cycle to what they authorized with, as the Cron Trigger charges them.
    fn subscriptions(&mut self) -> Result<(), RazorpayError> {
        const MONTHLY: usize = 0;
        const WEEKLY: usize = 1;
        const YEARLY: usize = 2;
        enum How {
            Own,
            Upi,
            /// A card whose bank declines every charge made without the customer.
            DecliningCard,
        }
        // (plan, customer, quantity, created at, authorized after, how, trial start in, cancelled at)
        type Spec = (usize, &'static str, i64, i64, Option<i64>, How, Option<i64>, Option<i64>);
        let h = HOUR_MS;
        let specs: [Spec; 10] = [
            (WEEKLY, "Nandini Hegde", 1, self.ist(27, 9, 30), Some(2 * h), How::Own, None, None),
            (WEEKLY, "Karan Malhotra", 2, self.ist(22, 14, 0), Some(h / 2), How::Upi, None, None),
            (MONTHLY, "Priya Iyer", 1, self.ist(25, 20, 15), Some(h / 4), How::Upi, None, None),
            (YEARLY, "Amit Jain", 1, self.ist(20, 12, 40), Some(h), How::Own, None, None),
            (
                MONTHLY,
                "Sneha Joshi",
                1,
                self.ist(18, 21, 0),
                Some(h),
                How::Own,
                None,
                Some(self.ist(4, 10, 20)),
            ),
            // Halts: its cycle-2 charge and the three retries (1, 2 and 3 days later) fail.
            (WEEKLY, "Manish Tiwari", 1, self.ist(17, 19, 0), Some(h), How::DecliningCard, None, None),
            (MONTHLY, "Arjun Patel", 1, self.ist(12, 13, 30), Some(h), How::Own, None, None),
            // Pending: its cycle-2 charge failed half a day ago; the retry is tomorrow.
            (
                WEEKLY,
                "Gaurav Saxena",
                1,
                self.now - 7 * DAY_MS - 13 * h,
                Some(h),
                How::DecliningCard,
                None,
                None,
            ),
            (
                YEARLY,
                "Lakshmi Subramanian",
                1,
                self.ist(3, 10, 45),
                Some(h / 2),
                How::Upi,
                Some(11 * DAY_MS),
                None,
            ),
            (MONTHLY, "Deepak Yadav", 1, self.ist(1, 16, 0), None, How::Upi, None, None),
        ];
        for (plan, name, quantity, created_at, authorized_after, how, trial, cancel_at) in specs {
            let who = by_name(name);
            let c = match self.month.customers.iter().position(|c| c.name == name) {
                Some(c) => c,
                None => {
                    let customer_at = created_at - 5 * MINUTE_MS;
                    self.month.customers.push(Customer {
                        id: CustomerId::new(customer_at, id8(self.rng)).to_string(),
                        name: name.to_owned(),
                        email: PEOPLE[who].email.to_owned(),
                        contact: contact_of(who),
                        created_at: customer_at,
                    });
                    let c = self.month.customers.len() - 1;
                    self.step(customer_at, What::Customer(c));
                    c
                }
            };
            let period = self.month.plans[plan].period;
            let id = SubscriptionId::new(created_at, id8(self.rng)).to_string();
            let s = self.month.subscriptions.len();
            self.month.subscriptions.push(Subscription {
                id: id.clone(),
                plan,
                customer: c,
                quantity,
                total_count: match period {
                    Period::Weekly => 52,
                    Period::Monthly => 12,
                    _ => 3,
                },
                created_at,
                requested_start: trial.map(|t| self.now + t),
                expire_by: created_at + DEFAULT_AUTH_WINDOW_MS,
                authorized_by: None,
                states: Vec::new(),
            });
            self.step(created_at, What::SubCreated(s));
            let Some(after) = authorized_after else { continue };
            let at = created_at + after;
            let instrument = match how {
                How::Own => Pay::Card(self.cards[who].clone()),
                How::Upi => Pay::Upi(PEOPLE[who].vpa.to_owned()),
                How::DecliningCard => Pay::Card(RECURRING_DECLINE_CARD.to_owned()),
            };
            // The authorization pays the first cycle, or holds ₹1 when billing starts later.
            let price = self.month.plans[plan].amount * quantity;
            let amount = if trial.is_some() { 100 } else { price };
            let order_id = format!("{}{}", OrderId::PREFIX, &id[SubscriptionId::PREFIX.len()..]);
            let notes = json!({"subscription_id": id}).as_object().cloned().unwrap_or_default();
            let o = self.order(
                at - 20_000,
                amount,
                "INR",
                None,
                notes,
                trial.is_none(),
                DEFAULT_CAPTURE_WINDOW_MINUTES,
                None,
                Some(s),
                Some(order_id),
            );
            let p = self.attempt(o, at, amount, who, &instrument, None)?;
            self.month.subscriptions[s].authorized_by = Some(p);
            self.bill(s, p, at, cancel_at)?;
        }
        Ok(())
    }

    /// Authorizes subscription `s` at `at` and charges its cycles until now (or until it is
    /// cancelled at `cancel_at`), as `Billing` schedules them.
    fn bill(&mut self, s: usize, auth: usize, at: i64, cancel_at: Option<i64>) -> Result<(), RazorpayError> {
        let sub = self.month.subscriptions[s].clone();
        let plan = self.month.plans[sub.plan].clone();
        let saved = SavedInstrument::keep(&self.month.payments[auth].attempt.instrument, None);
        let who = self.payer[auth];
        let trial = sub.requested_start.is_some_and(|start| start > at);
        let mut billing = Billing {
            status: SubStatus::Created,
            period: plan.period,
            interval: plan.interval,
            total_count: sub.total_count,
            paid_count: 0,
            start_at: at,
            failed_attempts: 0,
        };
        let first = if trial {
            let start = sub.requested_start.unwrap_or(at);
            billing = Billing { status: SubStatus::Authenticated, start_at: start, ..billing };
            SubState {
                at,
                status: SubStatus::Authenticated,
                start_at: Some(start),
                paid_count: 0,
                failed_attempts: 0,
                charge_at: Some(start),
                current: None,
                ended_at: None,
            }
        } else {
            let after = billing.after_charge(true, at);
            billing = Billing { status: after.status, paid_count: after.paid_count, ..billing };
            SubState {
                at,
                status: after.status,
                start_at: Some(at),
                paid_count: after.paid_count,
                failed_attempts: 0,
                charge_at: after.charge_at,
                current: after.current,
                ended_at: None,
            }
        };
        self.push_state(s, first);
        let mut state = first;
        let mut cycle = billing.paid_count + 1;
        let quantity = sub.quantity;
        while let Some(due) = state.charge_at {
            // The Cron Trigger charges within a minute of the due time.
            let at = due + 5_000 + self.rng.below(50_000) as i64;
            if cancel_at.is_some_and(|c| c <= at) || at >= self.now - MINUTE_MS {
                break;
            }
            let notes = json!({"subscription_id": sub.id}).as_object().cloned().unwrap_or_default();
            let o = self.order(
                at - 2_000,
                plan.amount * quantity,
                "INR",
                None,
                notes,
                true,
                DEFAULT_CAPTURE_WINDOW_MINUTES,
                None,
                Some(s),
                None,
            );
            let order = self.month.orders[o].clone();
            let charge = NewPayment {
                order_id: OrderId::parse(&order.id)?,
                amount: order.amount,
                currency: currency("INR")?,
                email: PEOPLE[who].email.to_owned(),
                contact: contact_of(who),
                description: Some(format!("{} — cycle {}", plan.name, billing.paid_count + 1)),
                notes: Map::new(),
                instrument: Instrument::Saved(saved.clone()),
            };
            let outcome = charge.instrument.outcome();
            let card = self.month.payments[auth].card.clone();
            let id = PaymentId::new(at, id8(self.rng)).to_string();
            self.month.payments.push(Payment {
                cycle: Some((s, cycle)),
                ..Payment::created(id, o, at, charge, card, outcome)
            });
            self.payer.push(who);
            cycle += 1;
            let succeeded = outcome == TestOutcome::Approve;
            let after = billing.after_charge(succeeded, at);
            billing = Billing {
                status: after.status,
                paid_count: after.paid_count,
                failed_attempts: after.failed_attempts,
                ..billing
            };
            state = SubState {
                at,
                status: after.status,
                start_at: state.start_at,
                paid_count: after.paid_count,
                failed_attempts: after.failed_attempts,
                charge_at: after.charge_at,
                current: after.current.or(state.current),
                ended_at: matches!(after.status, SubStatus::Completed | SubStatus::Halted).then_some(at),
            };
            self.push_state(s, state);
        }
        if let Some(at) = cancel_at.filter(|at| *at < self.now) {
            if !state.status.is_final() {
                let cancelled = SubState {
                    at,
                    status: SubStatus::Cancelled,
                    charge_at: None,
                    ended_at: Some(at),
                    ..state
                };
                self.push_state(s, cancelled);
            }
        }
        Ok(())
    }

    fn push_state(&mut self, s: usize, state: SubState) {
        self.month.subscriptions[s].states.push(state);
        let n = self.month.subscriptions[s].states.len() - 1;
        self.step(state.at, What::SubState { sub: s, state: n });
    }
}

/// Routing as `services::routing::route` does it, on the month's own record of hops.
struct Router {
    config: RoutingConfig,
    /// (method, processor, bucket start, ok, latency)
    hops: Vec<(String, String, i64, bool, u32)>,
}

impl Router {
    fn route(&mut self, method: &str, at: i64, rng: &mut DemoRng) -> Decision {
        let since = bucket_start(at) - BUCKETS * BUCKET_MS;
        let mut buckets: BTreeMap<(String, i64), Bucket> = BTreeMap::new();
        for (m, processor, start, ok, latency) in &self.hops {
            if m == method && *start > since {
                let b = buckets.entry((processor.clone(), *start)).or_insert(Bucket {
                    start_ms: *start,
                    attempts: 0,
                    successes: 0,
                    latency_total_ms: 0,
                });
                b.attempts += 1;
                b.successes += i64::from(*ok);
                b.latency_total_ms += i64::from(*latency);
            }
        }
        let scores: Vec<_> = self
            .config
            .processors
            .iter()
            .filter_map(|p| p.methods.get(method).map(|b| (p, b)))
            .map(|(p, behaviour)| {
                let mine: Vec<Bucket> =
                    buckets.iter().filter(|((id, _), _)| *id == p.id).map(|(_, b)| *b).collect();
                score(&p.id, &mine, at, behaviour.latency_ms)
            })
            .collect();
        let (ranked, explored) = rank(&scores, self.config.exploration, rng.unit(), rng.unit());
        let mut hops = Vec::new();
        let mut carried = None;
        for id in ranked {
            let Some(behaviour) =
                self.config.processors.iter().find(|p| p.id == id).and_then(|p| p.methods.get(method))
            else {
                continue;
            };
            let ok = simulate(behaviour, rng.unit());
            hops.push(Hop { processor: id.clone(), ok, latency_ms: behaviour.latency_ms });
            self.hops.push((method.to_owned(), id.clone(), bucket_start(at), ok, behaviour.latency_ms));
            if ok {
                carried = Some(id);
                break;
            }
        }
        Decision { method: method.to_owned(), scores, explored, hops, processor: carried }
    }
}

/// The month of the demo merchant before `now_ms`, settled `settlement_days` after capture.
pub fn month(now_ms: i64, settlement_days: i64, rng: &mut DemoRng) -> Result<Month, RazorpayError> {
    let cards = cards(rng);
    let old_key = now_ms - 38 * DAY_MS - 6 * HOUR_MS;
    let new_key = now_ms - 34 * DAY_MS - 2 * HOUR_MS;
    let webhook_at = now_ms - 26 * DAY_MS - 5 * HOUR_MS;
    let mut b = Builder {
        now: now_ms,
        month: Month {
            now_ms,
            keys: vec![
                Key {
                    id: KeyId::new(old_key, id8(rng)).to_string(),
                    created_at: old_key,
                    revoked_at: Some(new_key + HOUR_MS),
                },
                Key { id: KeyId::new(new_key, id8(rng)).to_string(), created_at: new_key, revoked_at: None },
            ],
            customers: Vec::new(),
            plans: Vec::new(),
            webhook: Webhook { id: new_id("wh_", webhook_at, id8(rng)), created_at: webhook_at },
            links: Vec::new(),
            subscriptions: Vec::new(),
            orders: Vec::new(),
            payments: Vec::new(),
            refunds: Vec::new(),
            events: Vec::new(),
            settlements: Vec::new(),
            steps: Vec::new(),
        },
        rng,
        cards,
        steps: Vec::new(),
        payer: Vec::new(),
        lines: Vec::new(),
        next_receipt: 10_412,
    };
    b.step(old_key, What::Key(0));
    b.step(new_key, What::Key(1));
    b.step(new_key + HOUR_MS, What::KeyRevoked(0));
    b.step(webhook_at, What::Webhook);
    b.plans();
    b.shop()?;
    b.bursts()?;
    b.links()?;
    b.subscriptions()?;
    decide(&mut b);
    refunds(&mut b)?;
    events(&mut b);
    settlements(&mut b, settlement_days);
    let mut steps = std::mem::take(&mut b.steps);
    steps.sort_by_key(|(at, n, _)| (*at, *n));
    b.month.steps = steps.into_iter().map(|(at, _, what)| Step { at, what }).collect();
    Ok(b.month)
}

/// Goes through the attempts in time order: routing, the velocity rules, authorization,
/// capture (at once, by hand, after review) and release, as the worker would have.
fn decide(b: &mut Builder<'_>) {
    let mut by_time: Vec<usize> = (0..b.month.payments.len()).collect();
    by_time.sort_by_key(|p| (b.month.payments[*p].at, *p));
    let mut router = Router { config: RoutingConfig::default(), hops: Vec::new() };
    let window = |key: VelocityKey| RULES.iter().find(|r| r.key == key).map_or(0, |r| r.window_ms);
    for (n, &p) in by_time.iter().enumerate() {
        let at = b.month.payments[p].at;
        let method = b.month.payments[p].attempt.instrument.method().as_str();
        let decision = router.route(method, at, b.rng);
        let flags = if b.month.payments[p].cycle.is_some() {
            Vec::new()
        } else {
            let me = &b.month.payments[p];
            let earlier = |key: VelocityKey, same: &dyn Fn(&Payment) -> bool| {
                by_time[..n]
                    .iter()
                    .map(|q| &b.month.payments[*q])
                    .filter(|q| q.at > at - window(key) && same(q))
                    .count() as i64
            };
            assess(&Recent {
                card_fingerprint: me
                    .card
                    .as_ref()
                    .map(|c| earlier(VelocityKey::CardFingerprint, &|q| q.card.as_ref() == Some(c))),
                email: Some(earlier(VelocityKey::Email, &|q| q.attempt.email == me.attempt.email)),
                client_ip: me
                    .client_ip
                    .as_ref()
                    .map(|ip| earlier(VelocityKey::ClientIp, &|q| q.client_ip.as_ref() == Some(ip))),
            })
        };
        let (ended, approved) = b.ended(p);
        let pay = &mut b.month.payments[p];
        pay.routing = decision;
        // As `attempt_payment`: a flagged attempt the bank did not decline is held.
        let held = !flags.is_empty() && matches!(pay.outcome, TestOutcome::Approve | TestOutcome::RequireOtp);
        pay.flags = flags;
        if !held {
            pay.review = None;
        } else if pay.review.is_none() {
            pay.review = Some((ReviewStatus::Pending, None));
        }
        let order = &b.month.orders[pay.order];
        if !approved {
            pay.status = PaymentStatus::Failed;
            continue;
        }
        pay.status = PaymentStatus::Authorized;
        pay.authorized_at = Some(ended);
        let deadline = ended + order.capture_window_minutes * MINUTE_MS;
        // A trial's ₹1 authorization is never captured: it is released at once.
        let trial_hold = order.subscription.is_some() && !order.auto_capture;
        let captured_at = if held {
            match pay.review {
                Some((ReviewStatus::Approved, Some(decided))) if order.auto_capture => Some(decided),
                _ => None,
            }
        } else if order.auto_capture {
            Some(ended)
        } else if !trial_hold && b.rng.chance(0.75) {
            Some(ended + HOUR_MS + b.rng.below(19 * HOUR_MS as u64) as i64)
        } else {
            None
        };
        let captured_at = captured_at.filter(|t| *t < b.now && *t < deadline);
        match captured_at {
            Some(t) => {
                pay.status = PaymentStatus::Captured;
                pay.captured_at = Some(t);
            }
            None => {
                let release = match pay.review {
                    Some((ReviewStatus::Rejected, Some(decided))) => Some((decided, "rejected in review")),
                    _ if trial_hold => Some((ended + 1_500, "subscription authorization")),
                    _ => Some((deadline + 30_000, "not captured in time")).filter(|(t, _)| *t < b.now),
                };
                if let Some((t, reason)) = release {
                    pay.status = PaymentStatus::Refunded;
                    pay.released = Some((t, reason, RefundId::new(t, id8(b.rng)).to_string()));
                }
            }
        }
    }
    for p in 0..b.month.payments.len() {
        let pay = b.month.payments[p].clone();
        b.step(pay.at, What::Attempt(p));
        if let Some(otp) = pay.otp {
            match otp {
                Otp::Right(after) => {
                    b.step(pay.at + after, What::Otp { payment: p, right: true, last: true })
                }
                Otp::Wrong(apart) => {
                    for k in 1..=3 {
                        b.step(pay.at + k * apart, What::Otp { payment: p, right: false, last: k == 3 });
                    }
                }
            }
        }
        // A decided review captures or releases the payment itself.
        match pay.review {
            Some((_, Some(t))) => b.step(t, What::Review(p)),
            _ => {
                if let Some(t) = pay.captured_at.filter(|t| Some(*t) != pay.authorized_at) {
                    b.step(t, What::Capture(p));
                }
                if let Some((t, _, _)) = pay.released {
                    b.step(t, What::Release(p));
                }
            }
        }
    }
}

/// Returns and mistakes: some captured shop orders are refunded, in full or in part.
fn refunds(b: &mut Builder<'_>) -> Result<(), RazorpayError> {
    const REASONS: &[(&str, u32)] = &[
        ("Damaged in transit", 3),
        ("Customer returned an item", 4),
        ("Order cancelled by the customer", 3),
        ("Duplicate order", 1),
    ];
    for p in 0..b.month.payments.len() {
        let pay = &b.month.payments[p];
        let order = &b.month.orders[pay.order];
        let Some(captured) = pay.captured_at else { continue };
        // Shop orders in rupees (a refund abroad would leave that currency owing for weeks).
        // Nor a payment that went through review: an approved one stays captured, as the
        // dashboard's review story tells (checked after the draw, so the rest of the month is
        // the same month).
        if order.link.is_some()
            || order.subscription.is_some()
            || order.currency != "INR"
            || !b.rng.chance(0.09)
            || pay.review.is_some()
        {
            continue;
        }
        let (amount, code) = (pay.amount(), pay.currency());
        let lines = b.lines[pay.order].clone();
        let mut refunded = 0;
        let mut at = captured;
        // A partial refund gives back one line (or, for one line, part of it).
        let partial = lines.len() > 1 && b.rng.chance(0.5) || b.rng.chance(0.2);
        let parts = if partial && b.rng.chance(0.3) { 2 } else { 1 };
        for part in 0..parts {
            at += DAY_MS + b.rng.below(4 * DAY_MS as u64) as i64;
            if at >= b.now - MINUTE_MS {
                break;
            }
            let requested = match lines.get(part) {
                _ if !partial => None,
                Some(line) if lines.len() > 1 => Some(*line),
                _ => Some((amount * 2 / 5 / 100).max(1) * 100),
            };
            let status = if refunded >= amount { PaymentStatus::Refunded } else { PaymentStatus::Captured };
            let Ok(planned) = plan_refund(status, amount, refunded, requested, currency(code)?) else {
                break;
            };
            refunded = planned.amount_refunded_after;
            let speed = if b.rng.chance(0.3) { "optimum" } else { "normal" };
            let reason = b.rng.pick(REASONS);
            b.month.refunds.push(Refund {
                id: RefundId::new(at, id8(b.rng)).to_string(),
                payment: p,
                at,
                amount: planned.amount,
                speed,
                reason,
            });
            b.month.payments[p].status = planned.payment_status_after;
            let r = b.month.refunds.len() - 1;
            b.step(at, What::Refund(r));
        }
    }
    Ok(())
}

/// The webhook receiver: answers 200 in a few hundred milliseconds, except during its evening
/// outage four days ago (503s), the odd transient error, and `subscription.halted`, which it
/// has no handler for (400 every time, until the sender gives up after a day).
fn receive(
    b: &mut Builder<'_>,
    event: &str,
    event_at: i64,
    at: i64,
    attempt: u32,
) -> (Option<i64>, Option<&'static str>, i64) {
    let outage_start = ist_time(ist_day(b.now) - 4, 19 * 60 + 50);
    let outage = outage_start..outage_start + 95 * MINUTE_MS;
    if event == "subscription.halted" {
        return (Some(400), None, 40 + b.rng.below(60) as i64);
    }
    if outage.contains(&at) {
        return if b.rng.chance(0.8) {
            (Some(503), None, 15 + b.rng.below(30) as i64)
        } else {
            (None, Some("Network connection lost."), 30_000)
        };
    }
    if attempt == 1 && event_at < b.now - 2 * HOUR_MS && b.rng.chance(0.03) {
        return (Some(502), None, 20 + b.rng.below(40) as i64);
    }
    (Some(200), None, 60 + b.rng.below(380) as i64)
}

/// The events the webhook subscribed to, each with its delivery: attempted right after it
/// happened, retried on the Cron Trigger's minute with backoff, until a 2xx or a day.
fn events(b: &mut Builder<'_>) {
    let mut happened: Vec<(i64, &'static str, About)> = Vec::new();
    for (p, pay) in b.month.payments.iter().enumerate() {
        let order = &b.month.orders[pay.order];
        match pay.status {
            PaymentStatus::Failed => {
                let (ended, _) = b.ended(p);
                happened.push((ended, "payment.failed", About::Payment(p)));
            }
            _ => {
                if let Some(t) = pay.captured_at {
                    happened.push((t, "payment.captured", About::Payment(p)));
                    if let Some(l) = order.link {
                        let paid: i64 = b
                            .month
                            .payments
                            .iter()
                            .filter(|q| b.month.orders[q.order].link == Some(l))
                            .filter(|q| q.captured_at.is_some_and(|c| c <= t))
                            .map(Payment::amount)
                            .sum();
                        if paid >= b.month.links[l].amount {
                            happened.push((t, "payment_link.paid", About::LinkPaid { link: l, payment: p }));
                        }
                    }
                }
            }
        }
    }
    for (r, refund) in b.month.refunds.iter().enumerate() {
        happened.push((refund.at, "refund.processed", About::Refund(r)));
    }
    for (s, sub) in b.month.subscriptions.iter().enumerate() {
        for (n, state) in sub.states.iter().enumerate() {
            let payment = b
                .month
                .payments
                .iter()
                .position(|p| p.at == state.at && b.month.orders[p.order].subscription == Some(s));
            let name = match state.status {
                SubStatus::Cancelled => "subscription.cancelled",
                SubStatus::Halted => "subscription.halted",
                _ if payment.is_some_and(|p| b.month.payments[p].captured_at.is_some()) => {
                    "subscription.charged"
                }
                _ => continue,
            };
            happened.push((state.at, name, About::Subscription { sub: s, state: n, payment }));
        }
    }
    happened.sort_by_key(|(at, _, _)| *at);
    for (at, name, about) in happened {
        if at < b.month.webhook.created_at || !WEBHOOK_EVENTS.contains(&name) {
            continue;
        }
        let mut attempts = Vec::new();
        let mut try_at = at + 150 + b.rng.below(700) as i64;
        let mut made = 0u32;
        let mut status = DeliveryStatus::Pending;
        let mut delivered_at = None;
        while try_at < b.now {
            made += 1;
            let (status_code, error, duration_ms) = receive(b, name, at, try_at, made);
            let delivered = status_code.is_some_and(|c| is_delivered(c as u16));
            let next = if delivered { None } else { next_attempt_at(at, made, try_at) };
            attempts.push(DeliveryAttempt {
                at: try_at,
                status_code,
                error,
                duration_ms,
                delivered,
                next_attempt_at: next,
            });
            status = DeliveryStatus::after_attempt(delivered, next);
            if delivered {
                delivered_at = Some(try_at);
            }
            let Some(next) = next else { break };
            // The Cron Trigger's next minute picks it up.
            try_at =
                (next + MINUTE_MS - 1).div_euclid(MINUTE_MS) * MINUTE_MS + 300 + b.rng.below(1_500) as i64;
        }
        b.month.events.push(Event {
            id: new_id("evt_", at, id8(b.rng)),
            delivery_id: new_id("whd_", at, id8(b.rng)),
            name,
            at,
            about,
            attempts,
            status,
            delivered_at,
        });
        let e = b.month.events.len() - 1;
        b.step(at, What::Event(e));
    }
}

/// Daily settlement runs (10:00 in India) over the month and one now, each paying out, per
/// currency, the balance posted up to T−N that nothing paid yet — when it is positive.
fn settlements(b: &mut Builder<'_>, days: i64) {
    // (posted at, currency, merchant balance posting: negative is owed to the merchant)
    let mut postings: Vec<(i64, &'static str, i64, bool)> = Vec::new();
    for pay in &b.month.payments {
        if let Some(t) = pay.captured_at {
            let fee = fee_for(pay.amount(), false);
            postings.push((t, pay.currency(), -(pay.amount() - fee.fee), false));
        }
    }
    for refund in &b.month.refunds {
        postings.push((refund.at, b.month.payments[refund.payment].currency(), refund.amount, false));
    }
    let today = ist_day(b.now);
    let mut runs: Vec<i64> = (today - 28..=today)
        .map(|d| ist_time(d, 10 * 60))
        .filter(|t| *t < b.now && *t > b.now - 28 * DAY_MS)
        .collect();
    runs.push(b.now);
    let currencies = {
        let mut all: Vec<&'static str> = postings.iter().map(|p| p.1).collect();
        all.sort_unstable();
        all.dedup();
        all
    };
    for run in runs {
        let cutoff = settlement_cutoff(run, days);
        for code in &currencies {
            let due: i64 =
                postings.iter().filter(|p| p.1 == *code && !p.3 && p.0 <= cutoff).map(|p| p.2).sum();
            if due >= 0 {
                continue;
            }
            for p in postings.iter_mut().filter(|p| p.1 == *code && !p.3 && p.0 <= cutoff) {
                p.3 = true;
            }
            let utr: String = (0..12).map(|_| char::from(b'0' + b.rng.below(10) as u8)).collect();
            b.month.settlements.push(Settlement {
                id: new_id("setl_", run, id8(b.rng)),
                utr,
                at: run,
                currency: code,
                amount: -due,
            });
            let s = b.month.settlements.len() - 1;
            b.step(run, What::Settle(s));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pay::settlement::DEFAULT_SETTLEMENT_DAYS;
    use std::collections::BTreeSet;

    const NOW: i64 = 1_796_000_000_000;

    fn demo(now: i64) -> Month {
        month(now, DEFAULT_SETTLEMENT_DAYS, &mut DemoRng::for_product("pay")).expect("the plan builds")
    }

    /// Moments a seeding may happen at: any time of day, any day of the week.
    fn nows() -> impl Iterator<Item = i64> {
        (0..12).map(|k| NOW + k * (DAY_MS + 7 * HOUR_MS + 13 * MINUTE_MS))
    }

    fn summary(m: &Month) -> Vec<String> {
        m.steps.iter().map(|s| format!("{} {:?}", s.at, s.what)).collect()
    }

    #[test]
    fn the_same_now_gives_the_same_month() {
        let (a, b) = (demo(NOW), demo(NOW));
        assert_eq!(summary(&a), summary(&b));
        assert_eq!(
            a.payments.iter().map(|p| (&p.id, p.status)).collect::<Vec<_>>(),
            b.payments.iter().map(|p| (&p.id, p.status)).collect::<Vec<_>>()
        );
        assert_eq!(a.events, b.events);
        assert_eq!(a.settlements, b.settlements);
        assert_ne!(summary(&a), summary(&demo(NOW + DAY_MS)));
    }

    #[test]
    fn everything_happens_in_the_month_and_in_order() {
        for now in [NOW, NOW + 7 * DAY_MS + 3 * HOUR_MS, NOW + 123_456_789] {
            let m = demo(now);
            assert!(m.steps.windows(2).all(|w| w[0].at <= w[1].at), "steps are sorted");
            for step in &m.steps {
                assert!(step.at <= now, "{step:?} is in the future");
                assert!(step.at > now - 40 * DAY_MS, "{step:?} is before the demo account");
            }
            for p in &m.payments {
                assert!(p.at > now - MONTH_MS && p.at < now, "{}", p.id);
                let order = &m.orders[p.order];
                assert!(order.created_at <= p.at, "an order comes before its payments");
                assert!(p.captured_at.is_none_or(|c| c >= p.at && Some(c) >= p.authorized_at));
            }
            for r in &m.refunds {
                assert!(m.payments[r.payment].captured_at.is_some_and(|c| c < r.at) && r.at < now);
            }
            // Ids sort like the times they were made at.
            let mut by_time = m.payments.clone();
            by_time.sort_by(|a, b| a.id.cmp(&b.id));
            assert!(by_time.windows(2).all(|w| w[0].at <= w[1].at));
        }
    }

    #[test]
    fn every_status_is_there() {
        for now in nows() {
            let m = demo(now);
            let statuses: BTreeSet<&str> = m.payments.iter().map(|p| p.status.as_str()).collect();
            for status in ["authorized", "captured", "refunded", "failed"] {
                assert!(statuses.contains(status), "{status}: {statuses:?}");
            }
            let reviews: BTreeSet<_> =
                m.payments.iter().filter_map(|p| p.review.map(|r| r.0.as_str())).collect();
            assert_eq!(reviews.len(), 3, "pending, approved and rejected reviews: {reviews:?}");
            // Approved means captured, whatever day the demo is seeded (a refund once took it).
            let approved =
                m.payments.iter().find(|p| p.review.is_some_and(|r| r.0 == ReviewStatus::Approved));
            assert_eq!(approved.map(|p| p.status), Some(PaymentStatus::Captured));
            assert!(m
                .payments
                .iter()
                .any(|p| p.released.as_ref().is_some_and(|r| r.1 == "not captured in time")));
            assert!(m
                .payments
                .iter()
                .any(|p| p.released.as_ref().is_some_and(|r| r.1 == "rejected in review")));
            assert!(m.payments.iter().any(|p| p.otp.is_some() && p.status == PaymentStatus::Captured));
            let full =
                m.payments.iter().filter(|p| p.captured_at.is_some() && p.status == PaymentStatus::Refunded);
            assert!(full.count() >= 2, "refunded in full");
            let partial = (0..m.payments.len())
                .filter(|p| m.payments[*p].status == PaymentStatus::Captured && m.refunded(*p, None) > 0);
            assert!(partial.count() >= 2, "refunded in part");
            let reasons: BTreeSet<&str> = m
                .payments
                .iter()
                .filter_map(|p| match p.outcome {
                    TestOutcome::Decline { reason, .. } => Some(reason),
                    _ => None,
                })
                .collect();
            assert!(reasons.len() >= 3, "{reasons:?}");
            let links: BTreeSet<&str> = m.links.iter().map(|l| l.status.as_str()).collect();
            assert_eq!(links.len(), LinkStatus::ALL.len(), "{links:?}");
            let subs: BTreeSet<&str> = m.subscriptions.iter().map(|s| s.status().as_str()).collect();
            for status in ["created", "authenticated", "active", "pending", "halted", "cancelled"] {
                assert!(subs.contains(status), "{status}: {subs:?}");
            }
            let methods: BTreeSet<&str> =
                m.payments.iter().map(|p| p.attempt.instrument.method().as_str()).collect();
            assert_eq!(methods.len(), 4, "{methods:?}");
            assert!(m.currencies().len() >= 3, "{:?}", m.currencies());
            let processors: BTreeSet<_> =
                m.payments.iter().filter_map(|p| p.routing.processor.clone()).collect();
            assert!(processors.len() >= 2, "{processors:?}");
        }
    }

    #[test]
    fn a_month_of_traffic_with_a_rhythm() {
        for now in nows() {
            let m = demo(now);
            assert!((150..400).contains(&m.payments.len()), "{} payments", m.payments.len());
            let days: BTreeSet<i64> = m.payments.iter().map(|p| p.at / DAY_MS).collect();
            assert!(days.len() >= 28, "{} days", days.len());
            // Evenings in India are busier than early mornings.
            let hour = |p: &Payment| (p.at + IST_MS).rem_euclid(DAY_MS) / HOUR_MS;
            let evening = m.payments.iter().filter(|p| (18..22).contains(&hour(p))).count();
            let early = m.payments.iter().filter(|p| (2..6).contains(&hour(p))).count();
            assert!(evening > 4 * early.max(1), "{evening} in the evening, {early} early");
            for p in &m.payments {
                let limits = currency(p.currency()).unwrap();
                assert!(p.amount() >= limits.min_amount && p.amount() <= limits.max_amount);
                if p.currency() == "INR" && p.cycle.is_none() && m.orders[p.order].link.is_none() {
                    assert!((100..=2_000_000).contains(&p.amount()), "{} paise", p.amount());
                }
            }
        }
    }

    #[test]
    fn the_velocity_rules_hold_exactly_the_sixth_of_each_burst() {
        for now in nows() {
            let m = demo(now);
            let held: Vec<&Payment> = m.payments.iter().filter(|p| !p.flags.is_empty()).collect();
            assert_eq!(held.len(), 3, "{:?}", held.iter().map(|p| &p.flags).collect::<Vec<_>>());
            for p in held {
                assert_eq!(p.flags[0].rule, VelocityKey::CardFingerprint);
                assert_eq!(p.flags[0].attempts, 6);
                assert!(p.captured_at.is_none() || p.review.is_some_and(|r| r.0 == ReviewStatus::Approved));
                // The worker captures on an approval exactly when the plan says (auto-capture).
                if let Some((ReviewStatus::Approved, Some(decided))) = p.review {
                    assert!(p.captured_at.is_none() || p.captured_at == Some(decided), "{p:?}");
                }
            }
            let pending =
                m.payments.iter().find(|p| p.review.is_some_and(|r| r.0 == ReviewStatus::Pending)).unwrap();
            assert_eq!(pending.status, PaymentStatus::Authorized);
            let deadline = pending.at + DEFAULT_CAPTURE_WINDOW_MINUTES * MINUTE_MS;
            assert!(deadline > now, "still waiting for the merchant, not released by the sweep yet");
        }
    }

    #[test]
    fn payment_links_are_paid_as_their_rules_allow() {
        for now in nows() {
            let m = demo(now);
            for (l, link) in m.links.iter().enumerate() {
                let paid: i64 = m
                    .payments
                    .iter()
                    .filter(|p| m.orders[p.order].link == Some(l) && p.captured_at.is_some())
                    .map(Payment::amount)
                    .sum();
                assert_eq!(paid, link.amount_paid, "{}", link.reference_id);
                assert!(paid <= link.amount);
                for p in m.payments.iter().filter(|p| m.orders[p.order].link == Some(l)) {
                    assert!(p.at < link.expire_by && p.at > link.created_at);
                    assert!(link.closed.is_none_or(|(_, at)| at > p.at));
                }
                if link.status.is_open() {
                    assert!(link.expire_by > now, "an open link has not expired yet: the sweep would");
                }
            }
        }
    }

    #[test]
    fn subscriptions_follow_billing() {
        for now in nows() {
            let m = demo(now);
            for sub in &m.subscriptions {
                let charged: Vec<&Payment> = m
                    .payments
                    .iter()
                    .filter(|p| {
                        m.orders[p.order].subscription
                            == Some(m.subscriptions.iter().position(|s| s == sub).unwrap())
                    })
                    .collect();
                let paid = charged.iter().filter(|p| p.captured_at.is_some()).count() as i64;
                let last = sub.states.last();
                assert_eq!(last.map_or(0, |s| s.paid_count), paid, "{}", sub.id);
                if let Some(state) = last {
                    if state.status.is_billing() {
                        assert!(
                            state.charge_at.is_some_and(|at| at > now - MINUTE_MS),
                            "nothing overdue: {state:?}"
                        );
                    }
                }
            }
            let weekly = m.subscriptions.iter().filter(|s| m.plans[s.plan].period == Period::Weekly);
            assert!(weekly
                .clone()
                .any(|s| s.status() == SubStatus::Active && s.states.last().unwrap().paid_count >= 4));
        }
    }

    #[test]
    fn every_delivery_is_finished_and_some_were_retried() {
        for now in nows() {
            let m = demo(now);
            assert!(m.events.len() >= 60, "{} events", m.events.len());
            for e in &m.events {
                assert_ne!(
                    e.status,
                    DeliveryStatus::Pending,
                    "the sweep would send {} to the internet",
                    e.id
                );
                assert!(e.attempts.last().unwrap().at < now);
                assert!(e.attempts.windows(2).all(|w| w[0].next_attempt_at.is_some_and(|n| n <= w[1].at)));
            }
            let newest: Vec<&Event> = m.events.iter().rev().take(50).collect();
            assert!(
                newest.iter().any(|e| e.status == DeliveryStatus::Failed),
                "a failed one among the newest 50"
            );
            assert!(newest.iter().any(|e| e.status == DeliveryStatus::Delivered && e.attempts.len() > 1));
            let failed = m.events.iter().find(|e| e.status == DeliveryStatus::Failed).unwrap();
            assert!(failed.attempts.len() >= 10, "tried for a day: {}", failed.attempts.len());
        }
    }

    #[test]
    fn settlements_pay_captured_less_fees_and_refunds() {
        for now in nows() {
            let m = demo(now);
            assert!(m.settlements.len() >= 20, "{} settlements", m.settlements.len());
            for code in m.currencies() {
                let captured: i64 = m
                    .payments
                    .iter()
                    .filter(|p| p.currency() == code && p.captured_at.is_some())
                    .map(|p| p.amount() - fee_for(p.amount(), false).fee)
                    .sum();
                let refunded: i64 = m
                    .refunds
                    .iter()
                    .filter(|r| m.payments[r.payment].currency() == code)
                    .map(|r| r.amount)
                    .sum();
                let settled: i64 =
                    m.settlements.iter().filter(|s| s.currency == code).map(|s| s.amount).sum();
                let cutoff = settlement_cutoff(now, DEFAULT_SETTLEMENT_DAYS);
                let recent: i64 = m
                    .payments
                    .iter()
                    .filter(|p| p.currency() == code && p.captured_at.is_some_and(|c| c > cutoff))
                    .map(|p| p.amount() - fee_for(p.amount(), false).fee)
                    .sum::<i64>()
                    - m.refunds
                        .iter()
                        .filter(|r| m.payments[r.payment].currency() == code && r.at > cutoff)
                        .map(|r| r.amount)
                        .sum::<i64>();
                assert_eq!(
                    settled + recent,
                    captured - refunded,
                    "{code}: what is not settled is the last T+2"
                );
            }
        }
    }

    #[test]
    fn the_people_pass_the_checks_customers_face() {
        use crate::pay::methods::{validate_contact, validate_email, validate_vpa};
        for (i, p) in PEOPLE.iter().enumerate() {
            assert!(validate_email(p.email).is_ok(), "{}", p.email);
            assert!(validate_contact(&contact_of(i)).is_ok());
            if p.abroad.is_none() {
                assert!(validate_vpa(p.vpa).is_ok(), "{}", p.vpa);
                assert!(crate::pay::methods::find_bank(p.bank).is_ok(), "{}", p.bank);
            }
            let domain = p.email.rsplit('@').next().unwrap();
            assert!(["example.com", "example.net", "example.org"].contains(&domain), "{domain}");
        }
        assert!(WEBHOOK_EVENTS.windows(2).all(|w| w[0] < w[1]));
        assert!(crate::pay::webhook::validate_url(WEBHOOK_URL).is_ok());
        assert!(crate::pay::webhook::validate_events(
            &WEBHOOK_EVENTS.iter().map(|e| (*e).to_owned()).collect::<Vec<_>>()
        )
        .is_ok());
    }
}
