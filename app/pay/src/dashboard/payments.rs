//! Payments, newest first: filtered by status and method, twenty at a time ("Load more"), each
//! with its instrument (card network and last four, UPI address, bank, wallet); a captured
//! payment not yet refunded in full has a Refund button that opens a dialog with the amount
//! (the remainder to start with), checked by the worker's own rule before it is sent.

use crate::{
    api,
    dashboard::section::SectionHead,
    form::{money_input, parse_money, wallet_name, Entry, PayField},
};
use app_ui::{
    api::{unanswered, Attempt},
    components::{focus_id, on_answer, Load, Modal, StatusBadge},
    format,
};
use leptos::prelude::*;
use shared::pay::{
    entity::{Payment, Refund},
    money::currency,
    payment::{plan_refund, PaymentStatus},
};

/// Payments per page.
pub const PAGE: usize = 20;

const STATUSES: [(&str, &str); 6] = [
    ("", "All statuses"),
    ("captured", "Captured"),
    ("authorized", "Authorized"),
    ("refunded", "Refunded"),
    ("failed", "Failed"),
    ("created", "Created"),
];

const METHODS: [(&str, &str); 5] = [
    ("", "All methods"),
    ("card", "Card"),
    ("upi", "UPI"),
    ("netbanking", "Net banking"),
    ("wallet", "Wallet"),
];

/// How the customer paid, as a person recognises it: `Visa •••• 1111`, `UPI success@razorpay`,
/// `Net banking HDFC`, `Wallet PhonePe`.
pub fn instrument(payment: &Payment) -> String {
    match payment.method.as_str() {
        "card" => match &payment.card {
            Some(card) => format!("{} •••• {}", card.network, card.last4),
            None => "Card".to_owned(),
        },
        "upi" => format!("UPI {}", payment.vpa.as_deref().unwrap_or_default()).trim_end().to_owned(),
        "netbanking" => {
            format!("Net banking {}", payment.bank.as_deref().unwrap_or_default()).trim_end().to_owned()
        }
        "wallet" => format!("Wallet {}", payment.wallet.as_deref().map(wallet_name).unwrap_or_default())
            .trim_end()
            .to_owned(),
        other => other.to_owned(),
    }
}

/// What is left to refund of a payment, when it can be refunded at all (captured, not in full).
pub fn refundable(payment: &Payment) -> Option<i64> {
    let left = payment.amount - payment.amount_refunded;
    (payment.status == PaymentStatus::Captured && left > 0).then_some(left)
}

/// The refund amount as typed, checked with `shared::pay::payment::plan_refund` (what the
/// worker runs): the amount in minor units, or what to fix.
pub fn check_refund(text: &str, payment: &Payment) -> Result<i64, String> {
    if text.trim().is_empty() {
        return Err("Enter the amount to refund.".to_owned());
    }
    let amount = parse_money(text, &payment.currency)
        .ok_or_else(|| "Enter an amount such as 250 or 250.50.".to_owned())?;
    let currency = currency(&payment.currency).map_err(|e| e.description)?;
    plan_refund(payment.status, payment.amount, payment.amount_refunded, Some(amount), currency)
        .map(|plan| plan.amount)
        .map_err(|e| e.description)
}

#[component]
pub fn Payments() -> impl IntoView {
    let status = RwSignal::new(String::new());
    let method = RwSignal::new(String::new());
    // How many are shown: a page, and one more per "Load more"; a new filter starts again.
    let shown = RwSignal::new(PAGE);
    let refunding = RwSignal::new(None::<Payment>);
    let notice = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let payments = LocalResource::new(move || api::payments(status.get(), method.get(), shown.get()));
    let refresh = Callback::new(move |_| payments.refetch());
    let on_refunded = Callback::new(move |refund: Option<Refund>| {
        refunding.set(None);
        if let Some(refund) = refund {
            notice.set(Some(format!(
                "Refunded {} of {} ({}).",
                format::money(refund.amount, &refund.currency),
                refund.payment_id,
                refund.id
            )));
            payments.refetch();
        }
    });
    let filter = move |signal: RwSignal<String>| {
        move |ev: leptos::ev::Event| {
            shown.set(PAGE);
            signal.set(event_target_value(&ev));
        }
    };

    view! {
        <section class="panel pay-section" aria-labelledby="payments-heading">
            <SectionHead id="payments-heading" title="Payments" busy refresh />
            <div class="pay-filters" role="group" aria-label="Filter payments">
                <div class="field">
                    <label for="filter-status">"Status"</label>
                    <select id="filter-status" prop:value=status on:change=filter(status)>
                        {STATUSES.iter().map(|(value, label)| view! { <option value=*value>{*label}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-method">"Method"</label>
                    <select id="filter-method" prop:value=method on:change=filter(method)>
                        {METHODS.iter().map(|(value, label)| view! { <option value=*value>{*label}</option> }).collect_view()}
                    </select>
                </div>
            </div>
            <Show when=move || notice.get().is_some()>
                <div class="notice banner-row" role="status" data-testid="refund-notice">
                    <span>{notice}</span>
                    <button type="button" class="button ghost small" on:click=move |_| notice.set(None)>"Dismiss"</button>
                </div>
            </Show>
            <Load loading="Loading payments…" retry=refresh pending=busy>
                {move || payments.get().map(|answer| answer.map(|(items, more)| {
                    let filtered = !status.with(String::is_empty) || !method.with(String::is_empty);
                    view! { <PaymentTable items more filtered busy shown refunding /> }
                }))}
            </Load>
        </section>
        {move || refunding.get().map(|payment| view! { <RefundDialog payment on_done=on_refunded /> })}
    }
}

/// The loaded payments, and "Load more" while there are more.
#[component]
fn PaymentTable(
    items: Vec<Payment>,
    more: bool,
    filtered: bool,
    busy: RwSignal<bool>,
    shown: RwSignal<usize>,
    refunding: RwSignal<Option<Payment>>,
) -> impl IntoView {
    if items.is_empty() {
        return view! {
            <p class="pay-none" data-testid="no-payments">
                {if filtered { "No payments match these filters." } else { "No payments yet. Payments made with your keys appear here." }}
            </p>
        }
        .into_any();
    }
    view! {
        <table class="pay-table stack-on-phone" data-testid="payments" aria-busy=move || busy.get().to_string()>
            <thead><tr>
                <th scope="col">"Payment"</th>
                <th scope="col" class="num">"Amount"</th>
                <th scope="col">"Method"</th>
                <th scope="col">"Status"</th>
                <th scope="col">"Created"</th>
                <th scope="col"><span class="visually-hidden">"Actions"</span></th>
            </tr></thead>
            <tbody>
                {items.into_iter().map(|payment| view! { <PaymentRow payment refunding /> }).collect_view()}
            </tbody>
        </table>
        {more.then(|| view! {
            <p class="center">
                <button type="button" class="button ghost" data-testid="load-more" disabled=busy
                    on:click=move |_| shown.update(|n| *n += PAGE)>
                    {move || if busy.get() { "Loading…" } else { "Load more" }}
                </button>
            </p>
        })}
    }
    .into_any()
}

#[component]
fn PaymentRow(payment: Payment, refunding: RwSignal<Option<Payment>>) -> impl IntoView {
    let left = refundable(&payment);
    let refunded = payment.amount_refunded;
    let status = payment.status.as_str();
    let partly = refunded > 0 && payment.status == PaymentStatus::Captured;
    let for_dialog = payment.clone();
    let button_id = format!("refund-{}", payment.id);
    view! {
        <tr data-payment=payment.id.clone()>
            <td data-label="Payment">
                <code class="pay-id">{payment.id.clone()}</code>
                {payment.email.clone().map(|email| view! { <span class="sub muted">{email}</span> })}
            </td>
            <td data-label="Amount" class="num">
                <strong class="pay-amount">{format::money(payment.amount, &payment.currency)}</strong>
                {(refunded > 0).then(|| view! {
                    <span class="sub muted" data-testid="refunded">{format!("{} refunded", format::money(refunded, &payment.currency))}</span>
                })}
            </td>
            <td data-label="Method">{instrument(&payment)}</td>
            <td data-label="Status">
                <StatusBadge status={status} />
                {partly.then(|| view! { <span class="status neutral">"partly refunded"</span> })}
                {payment.error_description.clone().map(|reason| view! { <span class="sub muted reason">{reason}</span> })}
            </td>
            <td data-label="Created" class="nowrap">{format::date_time(payment.created_at * 1000)}</td>
            <td class="actions">
                {left.map(|_| view! {
                    <button type="button" class="button ghost small" id=button_id.clone()
                        aria-label=format!("Refund {}", payment.id)
                        on:click=move |_| refunding.set(Some(for_dialog.clone()))>"Refund"</button>
                })}
            </td>
        </tr>
    }
}

/// How much to refund, checked as the worker checks it; sent once per attempt.
#[component]
fn RefundDialog(payment: Payment, on_done: Callback<Option<Refund>>) -> impl IntoView {
    let left = refundable(&payment).unwrap_or_default();
    let entry = Entry::new(RwSignal::new(None));
    entry.value.set(money_input(left, &payment.currency));
    let banner = RwSignal::new(None::<String>);
    let attempt = Attempt::<i64>::new();
    let return_to = format!("refund-{}", payment.id);
    let (currency, paid, refunded, id) =
        (payment.currency.clone(), payment.amount, payment.amount_refunded, payment.id.clone());
    let payment = StoredValue::new(payment);
    let checked = Memo::new(move |_| payment.with_value(|p| check_refund(&entry.value.get(), p)));
    let check = Signal::derive(move || checked.get().err());
    let close = Callback::new(move |_: ()| on_done.run(None));
    focus_id("refund-amount");

    // The whole remainder is asked for as such (no amount), as Razorpay's dashboard does.
    let refund = Action::new_unsync(move |value: &i64| {
        let value = *value;
        let key = attempt.key(&value);
        let (id, full) = payment.with_value(|p| (p.id.clone(), refundable(p) == Some(value)));
        async move { api::refund(&id, (!full).then_some(value), &key).await }
    });
    let pending = refund.pending();
    on_answer(
        refund,
        move |done| on_done.run(Some(done)),
        move |err| {
            if unanswered(&err) {
                return banner.set(Some(err.message));
            }
            attempt.answered();
            if err.field.as_deref() == Some("amount") {
                entry.server.set(Some(err.message));
                focus_id("refund-amount");
            } else {
                banner.set(Some(err.message));
            }
        },
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        entry.shown.set(true);
        banner.set(None);
        match checked.get_untracked() {
            Ok(value) => {
                refund.dispatch(value);
            }
            Err(_) => focus_id("refund-amount"),
        }
    };

    let symbol = if currency == "INR" { "₹".to_owned() } else { currency.clone() };
    let label_currency = currency.clone();
    view! {
        <Modal labelledby="refund-heading" on_close=close return_to>
            <form class="refund-form" novalidate on:submit=submit data-testid="refund-dialog">
                <h2 id="refund-heading">"Refund payment"</h2>
                <p class="muted"><code>{id}</code></p>
                <dl class="checkout-meta">
                    <div><dt>"Paid"</dt><dd>{format::money(paid, &currency)}</dd></div>
                    <div><dt>"Refunded so far"</dt><dd>{format::money(refunded, &currency)}</dd></div>
                    <div><dt>"Refundable"</dt><dd><strong>{format::money(left, &currency)}</strong></dd></div>
                </dl>
                <Show when=move || banner.get().is_some()>
                    <p class="form-error" role="alert">{banner}</p>
                </Show>
                <PayField id="refund-amount" label="Amount to refund" entry check inputmode="decimal" prefix=symbol
                    class="money-field" hint="At least ₹1.00, at most what is refundable. Refunds go back to the customer's original method." />
                <p class="dialog-actions">
                    <button type="button" class="button ghost" on:click=move |_| close.run(())>"Cancel"</button>
                    <button type="submit" class="button primary" disabled=pending
                        aria-busy=move || pending.get().to_string() data-testid="refund-submit">
                        {move || match (pending.get(), checked.get()) {
                            (true, _) => "Refunding…".to_owned(),
                            (false, Ok(value)) => format!("Refund {}", format::money(value, &label_currency)),
                            (false, Err(_)) => "Refund".to_owned(),
                        }}
                    </button>
                </p>
            </form>
        </Modal>
    }
}
