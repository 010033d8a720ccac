//! `/pay/checkout/:order_id`: the hosted checkout. The customer sees who they pay and how much,
//! gives an email and phone, and pays by card, UPI, net banking or wallet; a card may ask for an
//! OTP. Every input is checked as the worker checks it (the same `shared` rules), each attempt
//! carries one `Idempotency-Key`, and on success the customer goes back to the merchant's
//! `callback_url` with Razorpay's three parameters. Card numbers and CVVs live only in this
//! page's memory: never logged, never stored.

use crate::{
    api::{self, Target},
    form::callback_target,
    payer::{
        focus_follows, load_failed, waiting, Failure, OtpStep, PayForm, PayState, Payee, Stage, TestMode,
        TEST_INSTRUMENTS,
    },
};
use app_ui::{components::Load, format};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use shared::pay::{
    methods::PaymentMethod,
    wire::{CheckoutResult, CheckoutStatus, CheckoutView},
};
use std::time::Duration;

/// Seconds on the success screen before the customer is sent back to the merchant.
const REDIRECT_SECS: u64 = 3;

#[component]
pub fn CheckoutPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let order = LocalResource::new(move || {
        let id = params.read().get("order_id").unwrap_or_default();
        async move { api::view(&id).await }
    });
    let failed = load_failed(
        (
            "Order not found",
            "This payment page does not belong to any order. Check the link the merchant sent you.",
        ),
        "Checkout could not load",
    );
    view! {
        <div class="checkout">
            <Load loading="Loading checkout…" waiting=waiting("Loading checkout…") failed
                retry=Callback::new(move |_| order.refetch())>
                {move || order.get().map(|answer| answer.map(|order| {
                    let callback = query.read_untracked().get("callback_url");
                    view! { <Checkout order callback /> }
                }))}
            </Load>
        </div>
    }
}

/// The checkout of one loaded order (public so the browser tests can mount it without a server).
#[component]
pub fn Checkout(order: CheckoutView, callback: Option<String>) -> impl IntoView {
    let amount = format::money(order.amount, &order.currency);
    document().set_title(&format!("Pay {amount} to {} · Dozen Pay", order.merchant_name));
    let stage = RwSignal::new(if order.status == "paid" { Stage::AlreadyPaid } else { Stage::Form });
    let state = PayState::new();
    focus_follows(stage);
    let payee = StoredValue::new(Payee {
        target: Target::Order(order.order_id.clone()),
        methods: &PaymentMethod::ALL,
        banks: order.banks.clone(),
        wallets: order.wallets.clone(),
        action: format!("Pay {amount}"),
        verify: format!("Verify and pay {amount}"),
    });
    let order = StoredValue::new(order);
    let callback = StoredValue::new(callback);
    let amount = StoredValue::new(amount);

    view! {
        <div class="checkout-grid">
            <Summary order=order.get_value() amount=amount.get_value() stage />
            <section class="panel checkout-main">
                {move || match stage.get() {
                    Stage::Form => view! { <PayForm state payee stage /> }.into_any(),
                    Stage::Otp(payment_id) => view! { <OtpStep payment_id state payee stage /> }.into_any(),
                    Stage::Done(result) => view! { <Success result order amount callback=callback.get_value() /> }.into_any(),
                    Stage::Failed(result) => view! { <Failure result state stage /> }.into_any(),
                    Stage::AlreadyPaid => view! {
                        <div class="checkout-result" data-testid="already-paid">
                            <div class="result-mark ok" aria-hidden="true">"✓"</div>
                            <h2 id="result-heading" tabindex="-1">"This order is paid"</h2>
                            <p>"Nothing more to pay: " {order.with_value(|o| o.merchant_name.clone())} " has received " {amount.get_value()} "."</p>
                        </div>
                    }.into_any(),
                }}
            </section>
        </div>
    }
}

/// Who is paid, how much, for what; and, in test mode, the instruments to try.
#[component]
fn Summary(order: CheckoutView, amount: String, stage: RwSignal<Stage>) -> impl IntoView {
    let settled = move || {
        stage.with(|stage| match stage {
            Stage::Done(result) if result.status == CheckoutStatus::Authorized => Some("Amount authorized"),
            Stage::Done(_) | Stage::AlreadyPaid => Some("Amount paid"),
            _ => None,
        })
    };
    let initial =
        order.merchant_name.chars().next().map(|c| c.to_uppercase().to_string()).unwrap_or_default();
    view! {
        <aside class="panel checkout-summary" aria-label="Order summary">
            <h1 class="merchant">
                <span class="merchant-mark" aria-hidden="true">{initial}</span>
                <span class="visually-hidden">"Pay "</span>
                <span class="merchant-name" data-testid="merchant">{order.merchant_name.clone()}</span>
            </h1>
            <p class="muted small amount-label">{move || settled().unwrap_or("Amount to pay")}</p>
            <p class="checkout-amount" data-testid="amount">{amount}</p>
            <dl class="checkout-meta">
                {order.receipt.clone().map(|receipt| view! { <div><dt>"Receipt"</dt><dd data-testid="receipt">{receipt}</dd></div> })}
                <div><dt>"Order"</dt><dd><code>{order.order_id.clone()}</code></dd></div>
            </dl>
            <TestMode instruments=&TEST_INSTRUMENTS hidden=Signal::derive(move || settled().is_some()) />
        </aside>
    }
}

#[component]
fn Success(
    result: CheckoutResult,
    order: StoredValue<CheckoutView>,
    amount: StoredValue<String>,
    callback: Option<String>,
) -> impl IntoView {
    let captured = result.status == CheckoutStatus::Paid;
    let target = callback.as_deref().and_then(|url| callback_target(url, &result));
    if let Some(target) = target.clone() {
        if let Ok(timer) = set_timeout_with_handle(
            move || {
                let _ = window().location().set_href(&target);
            },
            Duration::from_secs(REDIRECT_SECS),
        ) {
            on_cleanup(move || timer.clear());
        }
    }
    let merchant = order.with_value(|o| o.merchant_name.clone());
    view! {
        <div class="checkout-result" data-testid="payment-success">
            <div class="result-mark ok" aria-hidden="true">"✓"</div>
            <h2 id="result-heading" tabindex="-1">"Payment successful"</h2>
            <p class="result-status">
                <span class="badge live" data-testid="payment-status">{if captured { "Paid" } else { "Authorized" }}</span>
            </p>
            <p>{amount.get_value()} {if captured { " paid to " } else { " authorized for " }} <strong>{merchant.clone()}</strong>
                {(!captured).then_some(". The merchant will capture it shortly.")}</p>
            <dl class="checkout-meta result-meta">
                <div><dt>"Payment ID"</dt><dd><code data-testid="payment-id">{result.razorpay_payment_id.clone()}</code></dd></div>
                <div><dt>"Order"</dt><dd><code>{result.razorpay_order_id.clone()}</code></dd></div>
            </dl>
            {target.map(|href| view! {
                <a class="button primary wide" href=href data-testid="return-link">"Return to " {merchant.clone()}</a>
                <p class="muted small center" role="status">{format!("Taking you back automatically in {REDIRECT_SECS} seconds…")}</p>
            })}
        </div>
    }
}
