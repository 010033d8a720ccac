//! The overview: what Dozen owes the merchant, fees and settlements; captured volume per day
//! over 7, 30 or 90 days; success rate and volume by method (and by processor). A merchant with
//! nothing yet is told how to start.

use crate::{
    api,
    dashboard::{
        chart::{fill_days, VolumeChart},
        tabs::Tab,
    },
};
use app_ui::{
    components::{Load, PeriodPicker},
    format,
};
use leptos::prelude::*;
use shared::pay::wire::{MethodFigures, PaySummary};

/// Dashboard figures are in rupees: Pay's merchants settle in INR.
const CURRENCY: &str = "INR";

/// `2` of `3` → `66.7%`; nothing attempted → `–`.
pub fn success_rate(succeeded: i64, attempts: i64) -> String {
    if attempts <= 0 {
        return "–".to_owned();
    }
    let tenths = (succeeded * 1000 + attempts / 2) / attempts;
    if tenths % 10 == 0 {
        format!("{}%", tenths / 10)
    } else {
        format!("{}.{}%", tenths / 10, tenths % 10)
    }
}

/// A method or processor key as people read it.
pub fn method_name(key: &str) -> String {
    match key {
        "card" => "Card".to_owned(),
        "upi" => "UPI".to_owned(),
        "netbanking" => "Net banking".to_owned(),
        "wallet" => "Wallet".to_owned(),
        "emandate" => "eMandate".to_owned(),
        other => {
            let mut chars = other.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
        }
    }
}

/// A simulated processor as its bank writes it (`hdfc` → `HDFC`).
pub fn processor_name(key: &str) -> String {
    match key {
        "axis" => "Axis".to_owned(),
        other if other.len() <= 5 => other.to_ascii_uppercase(),
        other => method_name(other),
    }
}

#[component]
pub fn Overview(go: Callback<Tab>) -> impl IntoView {
    let days = RwSignal::new(30i64);
    let summary = LocalResource::new(move || api::summary(days.get()));
    let busy = RwSignal::new(false);
    view! {
        <section class="panel pay-section" aria-labelledby="overview-heading">
            <div class="pay-section-head">
                <h2 id="overview-heading">"Overview"</h2>
                <PeriodPicker days choices=&[7, 30, 90] />
            </div>
            <div class:stale=busy aria-busy=move || busy.get().to_string()>
                <Load loading="Loading figures…" retry=Callback::new(move |_| summary.refetch()) pending=busy>
                    {move || summary.get().map(|answer| answer.map(|summary| view! { <Figures summary go /> }))}
                </Load>
            </div>
        </section>
    }
}

#[component]
fn Figures(summary: PaySummary, go: Callback<Tab>) -> impl IntoView {
    let PaySummary { days, by_method, by_processor, daily, balance, fees, settled } = summary;
    let new_merchant = by_method.is_empty() && balance == 0 && fees == 0 && settled == 0;
    let volume: i64 = by_method.iter().map(|m| m.volume).sum();
    let attempts: i64 = by_method.iter().map(|m| m.attempts).sum();
    let succeeded: i64 = by_method.iter().map(|m| m.succeeded).sum();
    let captured: i64 = daily.iter().map(|d| d.count).sum();
    view! {
        <dl class="pay-figures" data-testid="figures">
            <div>
                <dt>"Balance"</dt>
                <dd data-testid="balance">{format::money(balance, CURRENCY)}</dd>
                <p class="hint">"Captured, less fees and refunds, not yet settled"</p>
            </div>
            <div>
                <dt>"Settled"</dt>
                <dd data-testid="settled">{format::money(settled, CURRENCY)}</dd>
                <p class="hint">"Paid out to your bank, all time"</p>
            </div>
            <div>
                <dt>"Fees"</dt>
                <dd data-testid="fees">{format::money(fees, CURRENCY)}</dd>
                <p class="hint">"2% + 18% GST per capture, all time"</p>
            </div>
        </dl>
        {if new_merchant {
            view! { <GetStarted go /> }.into_any()
        } else {
            let filled = fill_days(&daily, days, js_sys::Date::now() as i64);
            view! {
                <dl class="pay-figures period" data-testid="period-figures">
                    <div><dt>{format!("Volume, {days} days")}</dt><dd data-testid="volume">{format::money(volume, CURRENCY)}</dd></div>
                    <div><dt>"Captured payments"</dt><dd data-testid="captured-count">{captured}</dd></div>
                    <div><dt>"Success rate"</dt><dd data-testid="success-rate">{success_rate(succeeded, attempts)}</dd>
                        <p class="hint">{format!("{succeeded} of {attempts} attempts")}</p></div>
                </dl>
                <h3 class="pay-sub">"Captured volume per day"</h3>
                <VolumeChart days=filled currency=CURRENCY />
                <p class="muted small">"Days in UTC."</p>
                <div class="pay-breakdowns">
                    <Breakdown title="By payment method" rows=by_method total_volume=volume testid="by-method" />
                    {(!by_processor.is_empty()).then(|| {
                        let total = by_processor.iter().map(|m| m.volume).sum();
                        view! { <Breakdown title="By processor" rows=by_processor total_volume=total testid="by-processor" /> }
                    })}
                </div>
            }.into_any()
        }}
    }
}

/// Attempts, success rate (as a bar and a figure) and volume (with its share) per method or
/// processor.
#[component]
fn Breakdown(
    title: &'static str,
    rows: Vec<MethodFigures>,
    total_volume: i64,
    testid: &'static str,
) -> impl IntoView {
    let heading_id = format!("{testid}-heading");
    let labelledby = heading_id.clone();
    view! {
        <section class="pay-breakdown" aria-labelledby=labelledby>
            <h3 class="pay-sub" id=heading_id>{title}</h3>
            {if rows.is_empty() {
                view! { <p class="muted">"No payments in this period."</p> }.into_any()
            } else {
                view! {
                    <table class="pay-table compact" data-testid=testid>
                        <thead><tr>
                            <th scope="col">{if testid == "by-method" { "Method" } else { "Processor" }}</th>
                            <th scope="col" class="num">"Attempts"</th>
                            <th scope="col">"Success"</th>
                            <th scope="col" class="num">"Volume"</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|row| {
                                let rate = success_rate(row.succeeded, row.attempts);
                                let width = if row.attempts > 0 { row.succeeded * 100 / row.attempts } else { 0 };
                                let share = if total_volume > 0 { row.volume * 100 / total_volume } else { 0 };
                                view! {
                                    <tr data-key=row.key.clone()>
                                        <th scope="row">{if testid == "by-method" { method_name(&row.key) } else { processor_name(&row.key) }}</th>
                                        <td class="num">{row.attempts}</td>
                                        <td>
                                            <span class="rate">{rate}</span>
                                            <span class="meter" aria-hidden="true"><span style:width=format!("{width}%")></span></span>
                                        </td>
                                        <td class="num">{format::money(row.volume, CURRENCY)}
                                            <span class="sub muted share" title="Share of the volume">{format!("{share}%")}</span></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

/// A merchant with no payments yet: create a key, then pay an order with Razorpay's SDK.
#[component]
fn GetStarted(go: Callback<Tab>) -> impl IntoView {
    let origin = window().location().origin().unwrap_or_default();
    let snippet = format!(
        "import razorpay\n\
         client = razorpay.Client(auth=(key_id, key_secret), base_url=\"{origin}\")\n\
         order = client.order.create({{\"amount\": 50000, \"currency\": \"INR\", \"receipt\": \"r1\"}})\n\
         # Send your customer to {origin}/pay/checkout/<order id>, or pay server-to-server:\n\
         paid = client.payment.createPaymentJson({{\"amount\": 50000, \"currency\": \"INR\",\n    \
         \"order_id\": order[\"id\"], \"email\": \"a@example.com\", \"contact\": \"9000090000\",\n    \
         \"method\": \"card\", \"card\": {{\"number\": \"4111111111111111\", \"name\": \"A\",\n    \
         \"expiry_month\": 12, \"expiry_year\": 30, \"cvv\": \"123\"}}}})\n\
         client.utility.verify_payment_signature(paid)  # True"
    );
    view! {
        <div class="pay-empty" data-testid="get-started">
            <h3>"Take your first payment"</h3>
            <p class="muted">"No payments yet. Three steps, all in test mode:"</p>
            <ol class="pay-steps">
                <li>
                    <strong>"Create a key pair."</strong>
                    " The key id and secret authenticate your server's calls to "<code>"/v1"</code>"; the secret is shown once. "
                    <button type="button" class="button primary small" on:click=move |_| go.run(Tab::Keys)>"Create a key"</button>
                </li>
                <li>
                    <strong>"Create an order with Razorpay's SDK,"</strong>
                    " pointed at Dozen by its base URL:"
                    <pre class="code-block"><code>{snippet}</code></pre>
                </li>
                <li>
                    <strong>"Pay it"</strong>
                    " on the hosted checkout with the test card "<code>"4111 1111 1111 1111"</code>
                    " (any future expiry, any CVV) or UPI "<code>"success@razorpay"</code>"; it appears here."
                </li>
            </ol>
        </div>
    }
}
