//! `/pay/link/:id`: a payment link as the merchant's customer sees it: who asks, for what, how
//! much is due (and paid so far). With partial payments the customer chooses how much to pay
//! now (the first part at least the link's minimum), checked by the worker's own rule; an order
//! for that amount is made and paid on the hosted checkout, which comes back here (or to the
//! merchant's `callback_url`). Paid, cancelled and expired links say so.

use crate::{
    api,
    form::{money_input, parse_money, Entry, PayField},
    payer::{load_failed, waiting},
};
use app_ui::nav::{encode, query};
use app_ui::{
    api::{unanswered, Attempt},
    components::{focus_id, on_answer, ErrorBanner, Load},
    format,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use shared::{
    pay::{
        money::currency,
        payment_link::{LinkState, LinkStatus},
        wire::PaymentLinkView,
    },
    ErrorCode,
};

/// The amount typed (or, without partial payments, the whole due) checked with
/// `shared::pay::payment_link::LinkState::check_payment`, as the worker checks it.
pub fn check_link_amount(text: &str, link: &PaymentLinkView, now_ms: i64) -> Result<i64, String> {
    let status =
        LinkStatus::parse(&link.status).ok_or_else(|| format!("This payment link is {}.", link.status))?;
    let min_amount = currency(&link.currency).map_err(|e| e.description)?.min_amount;
    let state = LinkState {
        status,
        amount: link.amount,
        amount_paid: link.amount_paid,
        accept_partial: link.accept_partial,
        first_min_partial_amount: link.first_min_partial_amount,
        expire_by_ms: link.expire_by.millis(),
        min_amount,
    };
    let requested = if link.accept_partial {
        if text.trim().is_empty() {
            return Err("Enter the amount to pay now.".to_owned());
        }
        Some(
            parse_money(text, &link.currency)
                .ok_or_else(|| "Enter an amount such as 400 or 400.50.".to_owned())?,
        )
    } else {
        None
    };
    let amount = state.check_payment(requested, now_ms).map_err(|e| {
        // The rule names the API field; the customer is told the amount.
        match link.first_min_partial_amount {
            Some(first) if e.description.contains("first_min_partial_amount") => {
                format!("The first payment must be at least {}.", format::money(first, &link.currency))
            }
            _ => e.description,
        }
    })?;
    if amount <= 0 {
        return Err("Nothing is due on this payment link.".to_owned());
    }
    Ok(amount)
}

/// The least the customer may pay now on a partial link.
fn least_now(link: &PaymentLinkView) -> i64 {
    let due = link.amount_due;
    let min = currency(&link.currency).map_or(100, |c| c.min_amount).min(due);
    link.first_min_partial_amount
        .filter(|_| link.amount_paid == 0)
        .map_or(min, |first| first.max(min))
        .min(due)
}

/// Where the checkout sends the customer after paying: the merchant's `callback_url`, else back
/// to this page.
pub fn return_url(link: &PaymentLinkView, origin: &str) -> String {
    link.callback_url
        .clone()
        .filter(|url| !url.trim().is_empty())
        .unwrap_or_else(|| format!("{origin}/pay/link/{}", link.id))
}

#[component]
pub fn LinkPage() -> impl IntoView {
    let params = use_params_map();
    // Paying finds the link paid, cancelled or expired meanwhile: it is loaded again.
    let reload = RwSignal::new(0u32);
    let link = LocalResource::new(move || {
        reload.track();
        let id = params.read().get("id").unwrap_or_default();
        async move { api::link(&id).await }
    });
    let failed = load_failed(
        ("Payment link not found", "There is no payment link at this address. Check the link you were sent."),
        "This page could not load",
    );
    view! {
        <div class="checkout pay-link">
            <Load loading="Loading payment link…" waiting=waiting("Loading payment link…") failed
                retry=Callback::new(move |_| link.refetch())>
                {move || link.get().map(|answer| answer.map(|link| view! { <PaymentLinkPay link reload /> }))}
            </Load>
        </div>
    }
}

/// One loaded payment link (public so the browser tests can mount it without a server).
#[component]
pub fn PaymentLinkPay(link: PaymentLinkView, reload: RwSignal<u32>) -> impl IntoView {
    let query = use_query_map();
    let just_paid = query.read_untracked().get("razorpay_payment_id");
    let due = format::money(link.amount_due, &link.currency);
    document().set_title(&format!("Pay {due} to {} · Dozen Pay", link.merchant_name));
    let open = LinkStatus::parse(&link.status).is_some_and(LinkStatus::is_open)
        && link.expire_by.millis() > js_sys::Date::now() as i64;
    let initial = link.merchant_name.chars().next().map(|c| c.to_uppercase().to_string()).unwrap_or_default();
    let paid_line = (link.amount_paid > 0).then(|| {
        let share = link.amount_paid * 100 / link.amount.max(1);
        view! {
            <p class="pay-money-line" data-testid="amount-paid">
                {format!("{} paid of {}", format::money(link.amount_paid, &link.currency), format::money(link.amount, &link.currency))}
            </p>
            <span class="meter wide" aria-hidden="true"><span style:width=format!("{share}%")></span></span>
        }
    });
    let link = StoredValue::new(link);
    view! {
        <section class="panel pay-link-card" aria-labelledby="link-heading">
            <h1 class="merchant" id="link-heading">
                <span class="merchant-mark" aria-hidden="true">{initial}</span>
                <span class="visually-hidden">"Pay "</span>
                <span class="merchant-name" data-testid="merchant">{link.with_value(|l| l.merchant_name.clone())}</span>
            </h1>
            {link.with_value(|l| l.description.clone()).map(|d| view! { <p class="pay-link-description" data-testid="description">{d}</p> })}
            {just_paid.map(|payment_id| view! {
                <p class="notice" role="status" data-testid="payment-received">"Thank you: payment "<code>{payment_id}</code>" received."</p>
            })}
            <p class="muted small amount-label">{if open { "Amount due" } else { "Amount" }}</p>
            <p class="checkout-amount" data-testid="amount-due">
                {if open { due } else { link.with_value(|l| format::money(l.amount, &l.currency)) }}
            </p>
            {paid_line}
            {if open {
                view! { <LinkForm link reload /> }.into_any()
            } else {
                view! { <Closed link /> }.into_any()
            }}
        </section>
    }
}

#[component]
fn Closed(link: StoredValue<PaymentLinkView>) -> impl IntoView {
    let (status, merchant, expire_by) =
        link.with_value(|l| (l.status.clone(), l.merchant_name.clone(), l.expire_by));
    let (mark, title, text) = match status.as_str() {
        "paid" => {
            ("✓", "Paid in full".to_owned(), format!("Nothing more to pay: {merchant} has received it all."))
        }
        "cancelled" => (
            "!",
            "This payment link was cancelled".to_owned(),
            format!("Ask {merchant} for a new one if you still need to pay."),
        ),
        _ => (
            "!",
            "This payment link has expired".to_owned(),
            format!(
                "It could be paid until {}. Ask {merchant} for a new one.",
                format::date_time(expire_by.millis())
            ),
        ),
    };
    view! {
        <div class="checkout-result" data-testid="link-closed" data-status=status.clone()>
            <div class=if mark == "✓" { "result-mark ok" } else { "result-mark bad" } aria-hidden="true">{mark}</div>
            <h2 id="result-heading" tabindex="-1">{title}</h2>
            <p>{text}</p>
        </div>
    }
}

#[component]
fn LinkForm(link: StoredValue<PaymentLinkView>, reload: RwSignal<u32>) -> impl IntoView {
    let navigate = use_navigate();
    let (partial, code, due, least, expire_by) =
        link.with_value(|l| (l.accept_partial, l.currency.clone(), l.amount_due, least_now(l), l.expire_by));
    let entry = Entry::new(RwSignal::new(None));
    entry.value.set(money_input(due, &code));
    let banner = RwSignal::new(None::<String>);
    let attempt = Attempt::<i64>::new();
    let checked = Memo::new(move |_| {
        let text = entry.value.get();
        link.with_value(|l| check_link_amount(&text, l, js_sys::Date::now() as i64))
    });
    let check = Signal::derive(move || checked.get().err());
    // An order for the amount, paid on the hosted checkout, which comes back here (or to the
    // merchant's `callback_url`).
    let order = Action::new_unsync(move |value: &i64| {
        let (value, key) = (*value, attempt.key(value));
        let id = link.with_value(|l| l.id.clone());
        async move { api::link_order(&id, partial.then_some(value), &key).await }
    });
    let pending = order.pending();
    on_answer(
        order,
        move |order| {
            let back = link.with_value(|l| return_url(l, &window().location().origin().unwrap_or_default()));
            let query = query(&[("callback_url", &back)]);
            navigate(&format!("/pay/checkout/{}?{query}", encode(&order.order_id)), Default::default());
        },
        move |err| match err.code {
            _ if unanswered(&err) => banner.set(Some(err.message)),
            _ if partial && err.field.as_deref() == Some("amount") => {
                attempt.answered();
                entry.server.set(Some(err.message));
                focus_id("link-amount");
            }
            // Paid, cancelled or expired meanwhile: show the link as it is now.
            ErrorCode::Conflict => reload.update(|n| *n += 1),
            _ => {
                attempt.answered();
                banner.set(Some(err.message));
            }
        },
    );
    let submit = Callback::new(move |_: ()| {
        if pending.get_untracked() {
            return;
        }
        entry.shown.set(true);
        banner.set(None);
        match checked.get_untracked() {
            Ok(value) => {
                order.dispatch(value);
            }
            Err(_) => focus_id("link-amount"),
        }
    });
    let button = move || match checked.get() {
        Ok(value) => format!("Pay {}", format::money(value, &code)),
        Err(_) => "Pay".to_owned(),
    };
    let (symbol, hint) = link.with_value(|l| {
        let symbol = if l.currency == "INR" { "₹".to_owned() } else { l.currency.clone() };
        let hint = format!(
            "Pay all of it or a part: at least {} now, the rest later on this page.",
            format::money(least, &l.currency)
        );
        (symbol, hint)
    });
    view! {
        <form class="pay-link-form" novalidate on:submit=move |ev| { ev.prevent_default(); submit.run(()); }>
            <p class="muted small">{format!("Pay by {}", format::date_time(expire_by.millis()))}</p>
            <Show when=move || banner.get().is_some()>
                <div data-testid="link-error">
                    <ErrorBanner message=Signal::derive(move || banner.get().unwrap_or_default()) retry=submit />
                </div>
            </Show>
            {partial.then(|| view! {
                <PayField id="link-amount" label="Amount to pay now" entry check inputmode="decimal" prefix=symbol
                    class="money-field" hint=hint />
            })}
            <button type="submit" class="button primary wide pay-button" data-testid="link-pay"
                disabled=pending aria-busy=move || pending.get().to_string()>
                <Show when=move || pending.get() fallback=button>
                    <span class="spinner" aria-hidden="true"></span>"Opening checkout…"
                </Show>
            </button>
            <p class="secure-note small muted">"You choose how to pay on the next page: card, UPI, net banking or wallet."</p>
        </form>
    }
}
