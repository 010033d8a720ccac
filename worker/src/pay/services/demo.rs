//! The demo merchant's month of Pay (`shared::pay::demo`, decided by Pay's own rules), written
//! step by step in the order it happened through the same store statements the services use —
//! an attempt with its order count, hold and capture; an OTP; a refund with its ledger
//! postings; a subscription's authorization and charges; an event with its delivery attempts;
//! a settlement claiming what is due at T+N — so the dashboard, its figures, the ledger,
//! reconciliation and settlements read it as they read live traffic.
//!
//! Nothing is sent anywhere: each webhook delivery is recorded with the attempts the plan
//! decided, every one of them finished (delivered, or given up after a day), so the retry sweep
//! finds nothing of the demo's to send. Statements go to D1 in batches of about a hundred;
//! each statement that must change exactly one row is checked, and a mismatch fails the
//! seeding (which the demo framework then releases for another try, starting from scratch:
//! `store::demo::clear` and the demo's own-page short links go first).

use super::{config, payment_links, payments, subscriptions, webhooks::account_id};
use crate::{
    http::{internal, Cx},
    links,
    pay::store::{
        self,
        orders::{NewOrderRow, OrderRow},
        payment_links::{LinkPaymentRow, NewLinkRow, PaymentLinkRow},
        payments::{Decline, NewPaymentRow, PaymentRow},
        plans::PlanRow,
        refunds::{NewRefundRow, RefundRow},
        run_batch,
        settlements::NewSettlement,
        subscriptions::{Authorized, NewSubscriptionRow, SubscriptionRow},
        webhooks::{AttemptOutcome, NewWebhookRow},
    },
};
use serde_json::{json, Map, Value};
use shared::{
    demo::{DemoRng, DEMO_USER_ID},
    pay::{
        attempt::{Instrument, SavedInstrument},
        demo::{self as plan, About, Month, What, WEBHOOK_EVENTS, WEBHOOK_SECRET, WEBHOOK_URL},
        entity::unix_seconds,
        error::RazorpayErrorCode,
        fraud::ReviewStatus,
        ledger,
        methods::{card_fingerprint, TestOutcome, MAX_OTP_ATTEMPTS},
        money::{currency, fee_for},
        order::OrderStatus,
        payment::{PaymentStatus, RefundStatus},
        payment_link::LinkStatus,
        plan::NewPlan,
        routing::bucket_start,
        settlement::settlement_cutoff,
        subscription::{AfterCharge, SubStatus},
        webhook::{DeliveryStatus, EventBody, ATTEMPT_LEASE_MS},
    },
    ApiError,
};
use worker::{console_error, console_log, D1Database, D1PreparedStatement};

/// Statements per D1 batch (as Links records its clicks).
const BATCH: usize = 100;

/// Seeds the demo merchant's month; how many rows it wrote. Only into an empty merchant: in a
/// state folder older than this seeder, the demo account may be someone's test merchant already,
/// and its keys and payments stay as they are. A seeding that fails takes back what it wrote.
pub async fn seed(cx: &Cx) -> Result<usize, ApiError> {
    let db = cx.db()?;
    if store::demo::has_any(&db, DEMO_USER_ID).await? {
        console_log!("Pay's demo month not written: the demo account has Pay data of its own");
        return Ok(0);
    }
    match write_month(cx, &db).await {
        Ok(rows) => Ok(rows),
        Err(err) => {
            if let Err(cleanup) = take_back(cx, &db).await {
                console_error!("Pay's demo: taking back a failed seeding failed too: {}", cleanup.message);
            }
            Err(err)
        }
    }
}

/// Deletes the demo merchant's Pay rows and its pages' short links (only ever after a failed
/// seeding into an empty merchant, so everything there is the seeder's).
async fn take_back(cx: &Cx, db: &D1Database) -> Result<(), ApiError> {
    run_batch(db, store::demo::clear(db, DEMO_USER_ID)?, "clearing the demo merchant").await?;
    links::api::delete_own_page_links(cx, DEMO_USER_ID, "/pay/").await
}

async fn write_month(cx: &Cx, db: &D1Database) -> Result<usize, ApiError> {
    let days = config::settlement_days(&cx.env);
    let month = plan::month(cx.now_ms, days, &mut DemoRng::for_product("pay"))?;
    // The short links (Links) of the payment links' and subscriptions' pages, made when they were.
    let mut short_links = 0;
    let mut link_urls = Vec::with_capacity(month.links.len());
    for link in &month.links {
        let path = payment_links::page_path(&link.id);
        link_urls.push(
            links::api::shorten_own_page_made_at(cx, DEMO_USER_ID, &path, "pay", link.created_at).await?,
        );
        short_links += 1;
    }
    let mut sub_urls = Vec::with_capacity(month.subscriptions.len());
    for sub in &month.subscriptions {
        let path = subscriptions::page_path(&sub.id);
        sub_urls.push(
            links::api::shorten_own_page_made_at(cx, DEMO_USER_ID, &path, "pay", sub.created_at).await?,
        );
        short_links += 1;
    }
    let mut writer = Writer {
        db,
        master: config::master_secret(&cx.env)?,
        days,
        key_id: month.key_id().to_owned(),
        orders: vec![None; month.orders.len()],
        payments: vec![None; month.payments.len()],
        refunds: vec![None; month.refunds.len()],
        links: vec![None; month.links.len()],
        link_payments: month.links.iter().map(|_| Vec::new()).collect(),
        subs: vec![None; month.subscriptions.len()],
        plans: vec![None; month.plans.len()],
        month: &month,
        link_urls,
        sub_urls,
        statements: Vec::new(),
        checks: Vec::new(),
        written: 0,
    };
    for step in &month.steps {
        writer.step(step.at, step.what)?;
        if writer.statements.len() >= BATCH {
            writer.flush().await?;
        }
    }
    writer.flush().await?;
    Ok(writer.written + short_links)
}

/// Turns the month's steps into statements, keeping each row as it stands after every step
/// (the event bodies are those rows at the moment of the event, as the services read them).
struct Writer<'a> {
    db: &'a D1Database,
    month: &'a Month,
    master: Vec<u8>,
    days: i64,
    key_id: String,
    link_urls: Vec<String>,
    sub_urls: Vec<String>,
    orders: Vec<Option<OrderRow>>,
    payments: Vec<Option<PaymentRow>>,
    refunds: Vec<Option<RefundRow>>,
    links: Vec<Option<PaymentLinkRow>>,
    link_payments: Vec<Vec<LinkPaymentRow>>,
    subs: Vec<Option<SubscriptionRow>>,
    plans: Vec<Option<PlanRow>>,
    statements: Vec<D1PreparedStatement>,
    /// Statements (by index in `statements`) that must change exactly one row, and what they do.
    checks: Vec<(usize, &'static str)>,
    written: usize,
}

const MERCHANT: &str = DEMO_USER_ID;

fn missing(what: &str) -> ApiError {
    internal("seeding pay's demo data", format!("{what} was not written before it was used"))
}

fn notes(value: Value) -> Map<String, Value> {
    value.as_object().cloned().unwrap_or_default()
}

impl Writer<'_> {
    fn push(&mut self, statement: D1PreparedStatement) {
        self.statements.push(statement);
    }

    /// A statement that must change exactly one row.
    fn must(&mut self, statement: D1PreparedStatement, what: &'static str) {
        self.checks.push((self.statements.len(), what));
        self.statements.push(statement);
    }

    /// Statements whose first must change exactly one row (the others are guarded on it).
    fn must_first(&mut self, statements: Vec<D1PreparedStatement>, what: &'static str) {
        self.checks.push((self.statements.len(), what));
        self.statements.extend(statements);
    }

    async fn flush(&mut self) -> Result<(), ApiError> {
        if self.statements.is_empty() {
            return Ok(());
        }
        let statements = std::mem::take(&mut self.statements);
        let changes = run_batch(self.db, statements, "writing pay's demo month").await?;
        for (index, what) in self.checks.drain(..) {
            if changes.get(index) != Some(&1) {
                return Err(internal("seeding pay's demo data", format!("{what} did not apply")));
            }
        }
        self.written += changes.iter().sum::<usize>();
        Ok(())
    }

    fn step(&mut self, at: i64, what: What) -> Result<(), ApiError> {
        let db = self.db;
        let month = self.month;
        match what {
            What::Key(k) => {
                let key = &month.keys[k];
                self.must(store::keys::insert_statement(db, &key.id, MERCHANT, key.created_at)?, "a key");
            }
            What::KeyRevoked(k) => {
                self.must(
                    store::keys::revoke_statement(db, &month.keys[k].id, MERCHANT, at)?,
                    "a key's revocation",
                );
            }
            What::Plan(p) => self.plan(p)?,
            What::Webhook => {
                let events = serde_json::to_string(WEBHOOK_EVENTS).unwrap_or_else(|_| "[]".into());
                let hook = NewWebhookRow {
                    id: &month.webhook.id,
                    merchant_id: MERCHANT,
                    url: WEBHOOK_URL,
                    secret: WEBHOOK_SECRET,
                    events: &events,
                    now_ms: at,
                };
                self.must(store::webhooks::insert_statement(db, &hook)?, "the webhook");
            }
            What::Customer(c) => {
                let customer = &month.customers[c];
                let fields = store::customers::CustomerFields {
                    name: &customer.name,
                    email: Some(&customer.email),
                    contact: Some(&customer.contact),
                    gstin: None,
                    notes: &Map::new(),
                };
                let statement = store::customers::insert_statement(db, &customer.id, MERCHANT, &fields, at)?;
                self.must(statement, "a customer");
            }
            What::LinkCreated(l) => self.link_created(l)?,
            What::LinkClosed(l) => {
                let (status, closed_at) = month.links[l].closed.unwrap_or((LinkStatus::Cancelled, at));
                let id = &month.links[l].id;
                self.must(
                    store::payment_links::close_statement(db, id, Some(MERCHANT), status, closed_at)?,
                    "a payment link's closing",
                );
                if let Some(row) = self.links[l].as_mut() {
                    row.status = status;
                    row.updated_at = closed_at;
                    match status {
                        LinkStatus::Expired => row.expired_at = Some(closed_at),
                        _ => row.cancelled_at = Some(closed_at),
                    }
                }
            }
            What::SubCreated(s) => self.sub_created(s)?,
            What::Order(o) => self.order(o)?,
            What::Attempt(p) => self.attempt(p)?,
            What::Otp { payment, right, last } => self.otp(payment, at, right, last)?,
            What::Capture(p) => self.capture(p, at)?,
            What::Review(p) => {
                let (status, _) = month.payments[p].review.unwrap_or((ReviewStatus::Pending, None));
                let id = &month.payments[p].id;
                self.must(store::reviews::decide_statement(db, id, status, at)?, "a review's decision");
                // As reviews::decide: an approval captures only what the plan captures then (an
                // auto-capture order); a manual-capture payment stays authorized for the merchant.
                match status {
                    ReviewStatus::Approved if month.payments[p].captured_at == Some(at) => {
                        self.capture(p, at)?
                    }
                    ReviewStatus::Approved => {}
                    _ => self.release(p)?,
                }
            }
            What::Release(p) => self.release(p)?,
            What::Refund(r) => self.refund(r)?,
            What::SubState { sub, state } => self.sub_state(sub, state)?,
            What::Event(e) => self.event(e)?,
            What::Settle(s) => {
                let settlement = &month.settlements[s];
                let new = NewSettlement {
                    id: &settlement.id,
                    merchant_id: MERCHANT,
                    currency: settlement.currency,
                    cutoff_ms: settlement_cutoff(at, self.days),
                    utr: &settlement.utr,
                    now_ms: at,
                };
                let statements = store::settlements::settle(db, &new)?;
                // The second statement records the settlement, when the balance is positive.
                self.checks.push((self.statements.len() + 1, "a settlement"));
                self.statements.extend(statements);
            }
        }
        Ok(())
    }

    fn plan(&mut self, p: usize) -> Result<(), ApiError> {
        let plan = &self.month.plans[p];
        let new = NewPlan {
            period: plan.period,
            interval: plan.interval,
            name: plan.name.to_owned(),
            description: Some(plan.description.to_owned()),
            amount: plan.amount,
            currency: currency("INR")?,
            notes: Map::new(),
        };
        let statement = store::plans::insert_statement(
            self.db,
            &plan.id,
            &plan.item_id,
            MERCHANT,
            &new,
            plan.created_at,
        )?;
        self.must(statement, "a plan");
        self.plans[p] = Some(PlanRow {
            id: plan.id.clone(),
            period: plan.period,
            interval: plan.interval,
            item_id: plan.item_id.clone(),
            item_name: plan.name.to_owned(),
            item_description: Some(plan.description.to_owned()),
            amount: plan.amount,
            currency: "INR".into(),
            notes: "{}".into(),
            created_at: plan.created_at,
        });
        Ok(())
    }

    fn link_created(&mut self, l: usize) -> Result<(), ApiError> {
        let link = &self.month.links[l];
        let customer = serde_json::to_string(&link.customer).unwrap_or_else(|_| "{}".into());
        let row = NewLinkRow {
            id: &link.id,
            merchant_id: MERCHANT,
            key_id: &self.key_id,
            amount: link.amount,
            currency: link.currency,
            accept_partial: link.first_min_partial_amount.is_some(),
            first_min_partial_amount: link.first_min_partial_amount,
            description: Some(link.description),
            reference_id: Some(link.reference_id),
            customer: &customer,
            notify_sms: true,
            notify_email: true,
            reminder_enable: false,
            notes: "{}",
            callback_url: None,
            upi_link: false,
            short_url: &self.link_urls[l],
            expire_by: link.expire_by,
            now_ms: link.created_at,
        };
        let statement = store::payment_links::insert_statement(self.db, &row)?;
        self.must(statement, "a payment link");
        self.links[l] = Some(PaymentLinkRow {
            id: link.id.clone(),
            merchant_id: MERCHANT.into(),
            key_id: self.key_id.clone(),
            amount: link.amount,
            amount_paid: 0,
            currency: link.currency.into(),
            accept_partial: i64::from(link.first_min_partial_amount.is_some()),
            first_min_partial_amount: link.first_min_partial_amount,
            description: Some(link.description.into()),
            reference_id: Some(link.reference_id.into()),
            customer,
            notify_sms: 1,
            notify_email: 1,
            reminder_enable: 0,
            notes: "{}".into(),
            callback_url: None,
            upi_link: 0,
            short_url: self.link_urls[l].clone(),
            status: LinkStatus::Created,
            expire_by: link.expire_by,
            created_at: link.created_at,
            updated_at: link.created_at,
            cancelled_at: None,
            expired_at: None,
        });
        Ok(())
    }

    fn sub_created(&mut self, s: usize) -> Result<(), ApiError> {
        let sub = &self.month.subscriptions[s];
        let plan = &self.month.plans[sub.plan];
        let customer_id = &self.month.customers[sub.customer].id;
        let row = NewSubscriptionRow {
            id: &sub.id,
            merchant_id: MERCHANT,
            key_id: &self.key_id,
            plan_id: &plan.id,
            customer_id: Some(customer_id),
            quantity: sub.quantity,
            total_count: sub.total_count,
            customer_notify: true,
            notes: "{}",
            requested_start: sub.requested_start,
            expire_by: sub.expire_by,
            short_url: &self.sub_urls[s],
            now_ms: sub.created_at,
        };
        let statement = store::subscriptions::insert_statement(self.db, &row)?;
        self.must(statement, "a subscription");
        self.subs[s] = Some(SubscriptionRow {
            id: sub.id.clone(),
            merchant_id: MERCHANT.into(),
            key_id: self.key_id.clone(),
            plan_id: plan.id.clone(),
            customer_id: Some(customer_id.clone()),
            status: SubStatus::Created,
            quantity: sub.quantity,
            total_count: sub.total_count,
            paid_count: 0,
            auth_attempts: 0,
            failed_attempts: 0,
            customer_notify: 1,
            notes: "{}".into(),
            start_at: None,
            requested_start: sub.requested_start,
            charge_at: None,
            current_start: None,
            current_end: None,
            ended_at: None,
            cancel_at: None,
            expire_by: sub.expire_by,
            instrument: None,
            short_url: self.sub_urls[s].clone(),
            created_at: sub.created_at,
        });
        Ok(())
    }

    fn order(&mut self, o: usize) -> Result<(), ApiError> {
        let order = &self.month.orders[o];
        let notes = serde_json::to_string(&order.notes).unwrap_or_else(|_| "{}".into());
        let link_id = order.link.map(|l| self.month.links[l].id.as_str());
        let sub_id = order.subscription.map(|s| self.month.subscriptions[s].id.as_str());
        let row = NewOrderRow {
            id: &order.id,
            merchant_id: MERCHANT,
            key_id: &self.key_id,
            amount: order.amount,
            currency: order.currency,
            receipt: order.receipt.as_deref(),
            notes: &notes,
            auto_capture: order.auto_capture,
            capture_window_minutes: order.capture_window_minutes,
            partial_payment: order
                .link
                .is_some_and(|l| self.month.links[l].first_min_partial_amount.is_some()),
            payment_link_id: link_id,
            subscription_id: sub_id,
            created_at: order.created_at,
        };
        let statement = store::orders::insert_statement(self.db, &row, false)?;
        self.must(statement, "an order");
        self.orders[o] = Some(OrderRow {
            id: order.id.clone(),
            merchant_id: MERCHANT.into(),
            key_id: self.key_id.clone(),
            amount: order.amount,
            amount_paid: 0,
            currency: order.currency.into(),
            receipt: order.receipt.clone(),
            status: OrderStatus::Created,
            attempts: 0,
            notes,
            auto_capture: i64::from(order.auto_capture),
            capture_window_minutes: order.capture_window_minutes,
            created_at: order.created_at,
            payment_link_id: link_id.map(str::to_owned),
            subscription_id: sub_id.map(str::to_owned),
        });
        Ok(())
    }

    /// The card's keyed fingerprint, as the attempt computed it.
    fn fingerprint(&self, p: usize) -> Option<String> {
        match &self.month.payments[p].attempt.instrument {
            Instrument::Card(card) => Some(card_fingerprint(&card.number, &self.master)),
            _ => None,
        }
    }

    /// What subscription `s`'s authorization kept of the instrument.
    fn saved(&self, s: usize) -> Option<SavedInstrument> {
        let auth = self.month.subscriptions[s].authorized_by?;
        Some(SavedInstrument::keep(&self.month.payments[auth].attempt.instrument, self.fingerprint(auth)))
    }

    /// One attempt, as `payments::attempt_payment` stores it.
    fn attempt(&mut self, p: usize) -> Result<(), ApiError> {
        let month = self.month;
        let pay = &month.payments[p];
        let order = self.orders[pay.order].clone().ok_or_else(|| missing("an order"))?;
        let db = self.db;
        let auth_of = order
            .subscription_id
            .as_ref()
            .and(month.orders[pay.order].subscription)
            .filter(|_| pay.cycle.is_none());
        // A subscription charge pays with what the authorization kept.
        let instrument = match (&pay.attempt.instrument, pay.cycle) {
            (Instrument::Saved(_), Some((s, _))) => {
                Instrument::Saved(self.saved(s).ok_or_else(|| missing("an instrument"))?)
            }
            (instrument, _) => instrument.clone(),
        };
        let fingerprint = self.fingerprint(p);
        let status = match pay.outcome {
            TestOutcome::Approve => PaymentStatus::Authorized,
            TestOutcome::RequireOtp => PaymentStatus::Created,
            TestOutcome::Decline { .. } => PaymentStatus::Failed,
        };
        let approved = status == PaymentStatus::Authorized;
        let acquirer = if approved { payments::acquirer_data(&instrument)? } else { Map::new() };
        let columns = payments::instrument_columns(&instrument, fingerprint.as_deref(), pay.at)?;
        let routing = serde_json::to_string(&pay.routing).unwrap_or_default();
        let decline = payments::decline_of(&pay.outcome, false);
        let window = order.capture_window_minutes * 60_000;
        let row = NewPaymentRow {
            id: &pay.id,
            merchant_id: MERCHANT,
            order_id: &order.id,
            amount: pay.amount(),
            currency: pay.currency(),
            status,
            method: instrument.method().as_str(),
            description: pay.attempt.description.as_deref(),
            email: &pay.attempt.email,
            contact: &pay.attempt.contact,
            notes: &pay.attempt.notes,
            auto_capture: order.auto_capture,
            created_at: pay.at,
            acquirer_data: &acquirer,
            authorized: approved.then_some((pay.at, pay.at + window)),
            instrument: columns,
            processor: pay.routing.processor.as_deref(),
            client_ip: pay.client_ip.as_deref(),
            routing: &routing,
            decline,
        };
        let mirror = PaymentRow {
            id: pay.id.clone(),
            merchant_id: MERCHANT.into(),
            order_id: order.id.clone(),
            amount: pay.amount(),
            currency: pay.currency().into(),
            status,
            method: row.method.into(),
            amount_refunded: 0,
            description: pay.attempt.description.clone(),
            card_id: row.instrument.card_id.clone(),
            card_name: row.instrument.card_name.clone(),
            card_last4: row.instrument.card_last4.clone(),
            card_network: row.instrument.card_network.clone(),
            card_type: row.instrument.card_type.clone(),
            bank: row.instrument.bank.clone(),
            wallet: row.instrument.wallet.clone(),
            vpa: row.instrument.vpa.clone(),
            email: Some(pay.attempt.email.clone()),
            contact: Some(pay.attempt.contact.clone()),
            notes: store::notes_json(&pay.attempt.notes),
            fee: None,
            tax: None,
            error_code: row.decline.as_ref().map(|d| store::payments::error_code(d.code).to_owned()),
            error_description: row.decline.as_ref().map(|d| d.description.to_owned()),
            error_source: row.decline.as_ref().map(|d| d.source.to_owned()),
            error_step: row.decline.as_ref().map(|d| d.step.to_owned()),
            error_reason: row.decline.as_ref().map(|d| d.reason.to_owned()),
            acquirer_data: store::notes_json(&acquirer),
            otp_attempts: 0,
            auto_capture: order.auto_capture,
            created_at: pay.at,
            captured_at: None,
        };
        // A subscription's authorization counts the attempt first.
        if let Some(s) = auth_of {
            let statement =
                store::subscriptions::count_auth_attempt_statement(db, &month.subscriptions[s].id)?;
            self.must(statement, "an authorization attempt");
        }
        self.must(store::payments::insert_attempt(db, &row)?, "a payment");
        self.must(store::payments::count_attempt(db, &order.id, &pay.id)?, "an order's attempt");
        let held =
            !pay.flags.is_empty() && matches!(pay.outcome, TestOutcome::Approve | TestOutcome::RequireOtp);
        if held {
            let flags = serde_json::to_string(&pay.flags).unwrap_or_default();
            self.must(store::reviews::hold(db, &pay.id, MERCHANT, &flags, pay.at)?, "a hold for review");
        }
        let hops = store::routing::record_hops_statements(
            db,
            MERCHANT,
            instrument.method().as_str(),
            bucket_start(pay.at),
            &pay.routing.hops,
        )?;
        self.statements.extend(hops);
        if let (Some(s), true) = (auth_of, status != PaymentStatus::Failed) {
            let saved = self.saved(s).ok_or_else(|| missing("an instrument"))?;
            let sub_id = &month.subscriptions[s].id;
            self.push(store::subscriptions::remember_instrument_statement(
                db, sub_id, &pay.id, &saved, pay.at,
            )?);
        }
        self.payments[p] = Some(mirror);
        if let Some(order) = self.orders[pay.order].as_mut() {
            order.attempts += 1;
            if order.status != OrderStatus::Paid {
                order.status = OrderStatus::Attempted;
            }
        }
        if pay.captured_at == Some(pay.at) {
            self.capture(p, pay.at)?;
        }
        Ok(())
    }

    fn otp(&mut self, p: usize, at: i64, right: bool, last: bool) -> Result<(), ApiError> {
        let pay = &self.month.payments[p];
        let db = self.db;
        if right {
            let window = self.month.orders[pay.order].capture_window_minutes * 60_000;
            let acquirer = notes(json!({"auth_code": super::runtime::digits(6)?}));
            let statement =
                store::payments::authorize_after_otp(db, MERCHANT, &pay.id, at, at + window, &acquirer)?;
            self.must(statement, "an OTP's authorization");
            if let Some(row) = self.payments[p].as_mut() {
                row.status = PaymentStatus::Authorized;
                row.acquirer_data = store::notes_json(&acquirer);
            }
            if pay.captured_at == Some(at) {
                self.capture(p, at)?;
            }
            return Ok(());
        }
        // As `payments::submit_otp` fails the last wrong one.
        let failure = Decline {
            code: RazorpayErrorCode::BadRequestError,
            description: "Payment failed because the OTP was entered incorrectly too many times.",
            source: "customer",
            step: "payment_authentication",
            reason: "incorrect_otp",
        };
        let statement = store::payments::wrong_otp_statement(
            db,
            MERCHANT,
            &pay.id,
            i64::from(MAX_OTP_ATTEMPTS),
            &failure,
        )?;
        self.must(statement, "a wrong OTP");
        if let Some(row) = self.payments[p].as_mut() {
            row.otp_attempts += 1;
            if last {
                row.status = PaymentStatus::Failed;
                row.error_code = Some(store::payments::error_code(failure.code).to_owned());
                row.error_description = Some(failure.description.to_owned());
                row.error_source = Some(failure.source.to_owned());
                row.error_step = Some(failure.step.to_owned());
                row.error_reason = Some(failure.reason.to_owned());
            }
        }
        Ok(())
    }

    /// Captures payment `p` at `at`, with its ledger postings and what it pays (its order, a
    /// payment link's total).
    fn capture(&mut self, p: usize, at: i64) -> Result<(), ApiError> {
        let pay = &self.month.payments[p];
        let order_id = &self.month.orders[pay.order].id;
        let statements = payments::capture_statements(
            self.db,
            MERCHANT,
            &pay.id,
            order_id,
            pay.amount(),
            pay.currency(),
            at,
        )?;
        self.must_first(statements, "a capture");
        let fee = fee_for(pay.amount(), false);
        let row = self.payments[p].as_mut().ok_or_else(|| missing("a payment"))?;
        row.status = PaymentStatus::Captured;
        row.fee = Some(fee.fee);
        row.tax = Some(fee.tax);
        row.captured_at = Some(at);
        let method = row.method.clone();
        if let Some(order) = self.orders[pay.order].as_mut() {
            order.status = OrderStatus::Paid;
            order.amount_paid = order.amount;
        }
        if let Some(l) = self.month.orders[pay.order].link {
            self.link_payments[l].push(LinkPaymentRow {
                payment_id: pay.id.clone(),
                amount: pay.amount(),
                created_at: at,
                method,
                status: PaymentStatus::Captured,
            });
            let paid: i64 = self.link_payments[l].iter().map(|lp| lp.amount).sum();
            if let Some(link) = self.links[l].as_mut() {
                link.amount_paid = paid;
                link.status = LinkStatus::after_payment(paid, link.amount);
                link.updated_at = at;
            }
        }
        Ok(())
    }

    /// Releases an authorized payment nobody captured (refunded in full, no ledger postings),
    /// as `unfinished::release_payment` does.
    fn release(&mut self, p: usize) -> Result<(), ApiError> {
        let pay = &self.month.payments[p];
        let Some((at, reason, refund_id)) = &pay.released else { return Ok(()) };
        let arn = super::runtime::digits(12)?;
        let note = notes(json!({"reason": reason}));
        let row = NewRefundRow {
            id: refund_id,
            merchant_id: MERCHANT,
            payment_id: &pay.id,
            amount: pay.amount(),
            currency: pay.currency(),
            status: RefundStatus::Processed,
            notes: &note,
            receipt: None,
            speed_requested: "normal",
            speed_processed: "normal",
            arn: &arn,
            now_ms: *at,
        };
        let statements = store::refunds::release(self.db, &row, PaymentStatus::Refunded)?;
        self.must_first(statements, "a release");
        if let Some(mirror) = self.payments[p].as_mut() {
            mirror.status = PaymentStatus::Refunded;
            mirror.amount_refunded = mirror.amount;
        }
        Ok(())
    }

    fn refund(&mut self, r: usize) -> Result<(), ApiError> {
        let refund = &self.month.refunds[r];
        let pay = &self.month.payments[refund.payment];
        let arn = super::runtime::digits(12)?;
        let note = notes(json!({"reason": refund.reason}));
        let row = NewRefundRow {
            id: &refund.id,
            merchant_id: MERCHANT,
            payment_id: &pay.id,
            amount: refund.amount,
            currency: pay.currency(),
            status: RefundStatus::Processed,
            notes: &note,
            receipt: None,
            speed_requested: refund.speed,
            speed_processed: "normal",
            arn: &arn,
            now_ms: refund.at,
        };
        let statements = store::refunds::refund(self.db, &row, &ledger::refund(refund.amount))?;
        self.must_first(statements, "a refund");
        self.refunds[r] = Some(RefundRow {
            id: refund.id.clone(),
            payment_id: pay.id.clone(),
            amount: refund.amount,
            currency: pay.currency().into(),
            status: RefundStatus::Processed,
            notes: store::notes_json(&note),
            receipt: None,
            speed_requested: refund.speed.into(),
            speed_processed: Some("normal".into()),
            arn: Some(arn),
            created_at: refund.at,
        });
        if let Some(mirror) = self.payments[refund.payment].as_mut() {
            mirror.amount_refunded += refund.amount;
            if mirror.amount_refunded >= mirror.amount {
                mirror.status = PaymentStatus::Refunded;
            }
        }
        Ok(())
    }

    /// A subscription's authorization, a charge's outcome, or its cancellation.
    fn sub_state(&mut self, s: usize, n: usize) -> Result<(), ApiError> {
        let sub = &self.month.subscriptions[s];
        let state = sub.states[n];
        let db = self.db;
        let was = self.subs[s].as_ref().map_or(SubStatus::Created, |row| row.status);
        let mut instrument = None;
        if n == 0 {
            let saved = self.saved(s).ok_or_else(|| missing("an instrument"))?;
            let json = serde_json::to_string(&saved).unwrap_or_default();
            let authorized = Authorized {
                status: state.status,
                start_at: state.start_at.unwrap_or(state.at),
                charge_at: state.charge_at,
                paid_count: state.paid_count,
                current: state.current,
                ended_at: state.ended_at,
                instrument: Some(&json),
            };
            self.must(
                store::subscriptions::authorize_statement(db, &sub.id, &authorized)?,
                "an authorization",
            );
            instrument = Some(json);
        } else if state.status == SubStatus::Cancelled {
            let statement =
                store::subscriptions::cancel_now_statement(db, &sub.id, MERCHANT, Some(was), state.at)?;
            self.must(statement, "a cancellation");
        } else {
            let after = AfterCharge {
                status: state.status,
                paid_count: state.paid_count,
                failed_attempts: state.failed_attempts,
                charge_at: state.charge_at,
                current: state.current,
            };
            let statement =
                store::subscriptions::record_charge_statement(db, &sub.id, was, &after, state.ended_at)?;
            self.must(statement, "a charge");
        }
        if let Some(row) = self.subs[s].as_mut() {
            row.status = state.status;
            row.start_at = row.start_at.or(state.start_at);
            row.paid_count = state.paid_count;
            row.failed_attempts = state.failed_attempts;
            row.charge_at = state.charge_at;
            row.current_start = state.current.map(|c| c.0).or(row.current_start);
            row.current_end = state.current.map(|c| c.1).or(row.current_end);
            row.ended_at = state.ended_at;
            if n == 0 {
                row.instrument = instrument;
                row.auth_attempts = 1;
            }
        }
        Ok(())
    }

    fn payment_entity(&self, p: usize) -> Result<Value, ApiError> {
        let row = self.payments[p].as_ref().ok_or_else(|| missing("a payment"))?;
        Ok(serde_json::to_value(row.entity()).unwrap_or(Value::Null))
    }

    /// What the event's body carries, as `Runtime`'s emitters build it.
    fn entities(&self, about: About) -> Result<Vec<(&'static str, Value)>, ApiError> {
        Ok(match about {
            About::Payment(p) => vec![("payment", self.payment_entity(p)?)],
            About::Refund(r) => {
                let refund = self.refunds[r].as_ref().ok_or_else(|| missing("a refund"))?;
                vec![
                    ("refund", serde_json::to_value(refund.entity()).unwrap_or_default()),
                    ("payment", self.payment_entity(self.month.refunds[r].payment)?),
                ]
            }
            About::LinkPaid { link, payment } => {
                let row = self.links[link].as_ref().ok_or_else(|| missing("a payment link"))?;
                let order = self.orders[self.month.payments[payment].order]
                    .as_ref()
                    .ok_or_else(|| missing("an order"))?;
                vec![
                    (
                        "payment_link",
                        serde_json::to_value(row.entity(&self.link_payments[link])).unwrap_or_default(),
                    ),
                    ("payment", self.payment_entity(payment)?),
                    ("order", serde_json::to_value(order.entity()).unwrap_or_default()),
                ]
            }
            About::Subscription { sub, payment, .. } => {
                let row = self.subs[sub].as_ref().ok_or_else(|| missing("a subscription"))?;
                let plan = self.plans[self.month.subscriptions[sub].plan].as_ref();
                let mut entities =
                    vec![("subscription", serde_json::to_value(row.entity(plan)).unwrap_or_default())];
                if let Some(p) = payment {
                    entities.push(("payment", self.payment_entity(p)?));
                }
                entities
            }
        })
    }

    /// An event with its one delivery and every attempt at it, as the sender recorded them.
    fn event(&mut self, e: usize) -> Result<(), ApiError> {
        let event = &self.month.events[e];
        let db = self.db;
        let body = EventBody::new(
            &account_id(MERCHANT),
            event.name,
            self.entities(event.about)?,
            unix_seconds(event.at),
        );
        let body = serde_json::to_string(&body).unwrap_or_default();
        let deliveries = [(event.delivery_id.clone(), self.month.webhook.id.clone())];
        let statements = store::webhooks::store_event_statements(
            db,
            &event.id,
            MERCHANT,
            event.name,
            &body,
            &deliveries,
            event.at,
        )?;
        self.must_first(statements, "an event");
        for (n, attempt) in event.attempts.iter().enumerate() {
            let claim = store::webhooks::claim_attempt_statement(
                db,
                &event.delivery_id,
                attempt.at,
                attempt.at + ATTEMPT_LEASE_MS,
            )?;
            self.must(claim, "a delivery attempt");
            let outcome = AttemptOutcome {
                status_code: attempt.status_code,
                error: attempt.error,
                duration_ms: attempt.duration_ms,
                status: DeliveryStatus::after_attempt(attempt.delivered, attempt.next_attempt_at),
                next_attempt_at: attempt.next_attempt_at,
                delivered_at: attempt.delivered.then_some(attempt.at),
            };
            let number = i64::try_from(n).unwrap_or(0) + 1;
            self.statements.extend(store::webhooks::record_attempt_statements(
                db,
                &event.delivery_id,
                number,
                attempt.at,
                &outcome,
            )?);
        }
        Ok(())
    }
}
