//! `/pay/subscription/:id`: the customer authorizes a merchant's subscription. The plan and its
//! price per period ("₹699.00 every week, 6 payments"), a trial's first charge date, then the
//! checkout's payment form (card or UPI, the instruments a recurring charge can use): the first
//! cycle is charged now, or — with a later start — ₹1 is authorized and released at once. A card
//! may ask for an OTP; a decline can be retried. A subscription past `created` says where it is.

use crate::{
    api::{self, Target},
    payer::{
        focus_follows, load_failed, waiting, Failure, OtpStep, PayForm, PayState, Payee, Stage, TestMode,
        TEST_INSTRUMENTS,
    },
};
use app_ui::{components::Load, format};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::pay::{
    methods::PaymentMethod,
    wire::{CheckoutStatus, SubscriptionView},
};

/// A subscription's instruments: recurring charges need a card or UPI.
const METHODS: [PaymentMethod; 2] = [PaymentMethod::Card, PaymentMethod::Upi];

/// The test instruments, with the card whose later charges fail.
const INSTRUMENTS: [(&str, &str); 5] = [
    TEST_INSTRUMENTS[0],
    TEST_INSTRUMENTS[1],
    TEST_INSTRUMENTS[3],
    ("4000 0000 0000 0341", "authorizes; later charges fail"),
    TEST_INSTRUMENTS[4],
];

/// `weekly`, 1 → `every week`; `monthly`, 3 → `every 3 months`.
pub fn cadence(period: &str, interval: i64) -> String {
    let unit = match period {
        "daily" => "day",
        "weekly" => "week",
        "monthly" => "month",
        "yearly" => "year",
        other => other,
    };
    if interval == 1 {
        format!("every {unit}")
    } else {
        format!("every {interval} {unit}s")
    }
}

/// `₹699.00 every week, 6 payments`.
pub fn plan_line(view: &SubscriptionView) -> String {
    let count = match view.total_count {
        1 => "1 payment".to_owned(),
        n => format!("{n} payments"),
    };
    format!(
        "{} {}, {count}",
        format::money(view.amount, &view.currency),
        cadence(&view.period, view.interval)
    )
}

/// The first charge is later than now: a trial, authorized with ₹1 that is released at once.
fn trial_start(view: &SubscriptionView, now_ms: i64) -> Option<i64> {
    view.start_at.map(|t| t.millis()).filter(|start| *start > now_ms)
}

#[component]
pub fn SubscriptionPage() -> impl IntoView {
    let params = use_params_map();
    let subscription = LocalResource::new(move || {
        let id = params.read().get("id").unwrap_or_default();
        async move { api::subscription(&id).await }
    });
    let failed = load_failed(
        (
            "Subscription not found",
            "There is no subscription at this address. Check the link the merchant sent you.",
        ),
        "This page could not load",
    );
    view! {
        <div class="checkout">
            <Load loading="Loading subscription…" waiting=waiting("Loading subscription…") failed
                retry=Callback::new(move |_| subscription.refetch())>
                {move || subscription.get().map(|answer| answer.map(|view| view! { <Authorize subscription=view /> }))}
            </Load>
        </div>
    }
}

/// One loaded subscription (public so the browser tests can mount it without a server).
#[component]
pub fn Authorize(subscription: SubscriptionView) -> impl IntoView {
    let now = js_sys::Date::now() as i64;
    let amount = format::money(subscription.amount, &subscription.currency);
    let trial = trial_start(&subscription, now);
    document().set_title(&format!("{}: {} · Dozen Pay", subscription.plan_name, plan_line(&subscription)));
    let stage =
        RwSignal::new(if subscription.status == "created" { Stage::Form } else { Stage::AlreadyPaid });
    let state = PayState::new();
    focus_follows(stage);
    let (action, verify) = match trial {
        Some(_) => ("Authorize subscription".to_owned(), "Verify and authorize".to_owned()),
        None => (format!("Pay {amount} and subscribe"), format!("Verify and pay {amount}")),
    };
    let payee = StoredValue::new(Payee {
        target: Target::Subscription(subscription.id.clone()),
        methods: &METHODS,
        banks: Vec::new(),
        wallets: Vec::new(),
        action,
        verify,
    });
    let sub = StoredValue::new(subscription);
    let settled = move || stage.with(|s| matches!(s, Stage::Done(_) | Stage::AlreadyPaid));
    view! {
        <div class="checkout-grid">
            <PlanSummary sub=sub.get_value() trial hide_test=Signal::derive(settled) />
            <section class="panel checkout-main">
                {move || match stage.get() {
                    Stage::Form => view! {
                        <p class="pay-sub-note" data-testid="charge-note">
                            {match trial {
                                Some(start) => format!(
                                    "Nothing is charged today: ₹1.00 is authorized to check your payment method and released at once. The first charge of {} is on {}.",
                                    sub.with_value(|s| format::money(s.amount, &s.currency)), format::date(start)
                                ),
                                None => format!(
                                    "You pay {} now, then {} {} until {} payments are made. The merchant can cancel any time.",
                                    sub.with_value(|s| format::money(s.amount, &s.currency)),
                                    sub.with_value(|s| format::money(s.amount, &s.currency)),
                                    sub.with_value(|s| cadence(&s.period, s.interval)),
                                    sub.with_value(|s| s.total_count),
                                ),
                            }}
                        </p>
                        <PayForm state payee stage />
                    }.into_any(),
                    Stage::Otp(payment_id) => view! { <OtpStep payment_id state payee stage /> }.into_any(),
                    Stage::Done(result) => {
                        let authorized = result.status == CheckoutStatus::Authorized;
                        let (amount, first) = sub.with_value(|s| (format::money(s.amount, &s.currency), trial.map(format::date)));
                        view! {
                            <div class="checkout-result" data-testid="subscription-success">
                                <div class="result-mark ok" aria-hidden="true">"✓"</div>
                                <h2 id="result-heading" tabindex="-1">{if authorized { "Subscription authorized" } else { "Subscription active" }}</h2>
                                <p class="result-status">
                                    <span class="badge live" data-testid="subscription-status">{if authorized { "Authorized" } else { "Paid" }}</span>
                                </p>
                                <p>{match (authorized, first) {
                                    (true, Some(first)) => format!("The first charge of {amount} is on {first}. The ₹1.00 check was released."),
                                    (true, None) => format!("Your payment method is saved; {amount} will be charged each cycle."),
                                    (false, _) => format!("{amount} paid for the first cycle. The next charges follow automatically."),
                                }}</p>
                                <dl class="checkout-meta result-meta">
                                    <div><dt>"Payment ID"</dt><dd><code data-testid="payment-id">{result.razorpay_payment_id.clone()}</code></dd></div>
                                    <div><dt>"Subscription"</dt><dd><code>{sub.with_value(|s| s.id.clone())}</code></dd></div>
                                </dl>
                            </div>
                        }.into_any()
                    }
                    Stage::Failed(result) => view! { <Failure result state stage /> }.into_any(),
                    Stage::AlreadyPaid => view! { <NotWaiting sub /> }.into_any(),
                }}
            </section>
        </div>
    }
}

/// A subscription that no longer waits for authorization: where it is.
#[component]
fn NotWaiting(sub: StoredValue<SubscriptionView>) -> impl IntoView {
    let (status, merchant, paid, total) =
        sub.with_value(|s| (s.status.clone(), s.merchant_name.clone(), s.paid_count, s.total_count));
    let good = matches!(status.as_str(), "active" | "authenticated" | "completed" | "created");
    let (title, text) = match status.as_str() {
        "active" => (
            "This subscription is active".to_owned(),
            format!("{paid} of {total} payments made. Nothing to do here."),
        ),
        "authenticated" | "created" => (
            "This subscription is authorized".to_owned(),
            "Its first charge comes on schedule. Nothing to do here.".to_owned(),
        ),
        "completed" => {
            ("This subscription is complete".to_owned(), format!("All {total} payments were made."))
        }
        "cancelled" => (
            "This subscription was cancelled".to_owned(),
            format!("{merchant} cancelled it; nothing more will be charged."),
        ),
        "expired" => (
            "This subscription has expired".to_owned(),
            format!("It was not authorized in time. Ask {merchant} for a new link."),
        ),
        other => (
            format!("This subscription is {}", other.replace('_', " ")),
            format!("{paid} of {total} payments made."),
        ),
    };
    view! {
        <div class="checkout-result" data-testid="subscription-state" data-status=status>
            <div class=if good { "result-mark ok" } else { "result-mark bad" } aria-hidden="true">{if good { "✓" } else { "!" }}</div>
            <h2 id="result-heading" tabindex="-1">{title}</h2>
            <p>{text}</p>
        </div>
    }
}

#[component]
fn PlanSummary(sub: SubscriptionView, trial: Option<i64>, hide_test: Signal<bool>) -> impl IntoView {
    let initial = sub.merchant_name.chars().next().map(|c| c.to_uppercase().to_string()).unwrap_or_default();
    let total = format::money(sub.amount.saturating_mul(sub.total_count), &sub.currency);
    let count = match sub.total_count {
        1 => "1 payment".to_owned(),
        n => format!("{n} payments"),
    };
    view! {
        <aside class="panel checkout-summary" aria-label="Subscription summary">
            <h1 class="merchant">
                <span class="merchant-mark" aria-hidden="true">{initial}</span>
                <span class="visually-hidden">"Subscribe to "</span>
                <span class="merchant-name" data-testid="merchant">{sub.merchant_name.clone()}</span>
            </h1>
            <p class="pay-plan-name" data-testid="plan-name">{sub.plan_name.clone()}</p>
            {sub.plan_description.clone().map(|d| view! { <p class="muted small">{d}</p> })}
            <p class="checkout-amount" data-testid="amount">{format::money(sub.amount, &sub.currency)}
                <span class="per">{format!(" {}", cadence(&sub.period, sub.interval))}</span></p>
            <p class="pay-plan-line" data-testid="plan-line">{format!("{count}, {total} in all")}</p>
            <dl class="checkout-meta">
                {trial.map(|start| view! { <div><dt>"First charge"</dt><dd data-testid="trial-start">{format::date(start)}</dd></div> })}
                <div><dt>"Authorize by"</dt><dd>{format::date_time(sub.expire_by.millis())}</dd></div>
                <div><dt>"Subscription"</dt><dd><code>{sub.id.clone()}</code></dd></div>
            </dl>
            <TestMode instruments=&INSTRUMENTS hidden=hide_test />
        </aside>
    }
}
