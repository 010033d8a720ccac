//! Payment links (how much is paid and due, the short URL to share, when it expires) and
//! subscriptions (plan, status, cycles paid of the total, the next charge). Both are created
//! with the `/v1` API, as Razorpay's are; here the merchant follows them.

use crate::{api, dashboard::section::SectionHead};
use app_ui::{
    components::{CopyButton, Load, StatusBadge},
    format,
};
use leptos::prelude::*;
use shared::pay::entity::{PaymentLink, Subscription};

/// `4` of `10` → a bar 40% full (a share of a whole, never past it).
fn percent(part: i64, whole: i64) -> i64 {
    if whole <= 0 {
        0
    } else {
        (part.clamp(0, whole) * 100) / whole
    }
}

fn progress(part: i64, whole: i64) -> impl IntoView {
    view! { <span class="meter wide" aria-hidden="true"><span style:width=format!("{}%", percent(part, whole))></span></span> }
}

#[component]
pub fn PaymentLinks() -> impl IntoView {
    let links = LocalResource::new(api::payment_links);
    let busy = RwSignal::new(false);
    let refresh = Callback::new(move |_| links.refetch());
    view! {
        <section class="panel pay-section" aria-labelledby="links-heading">
            <SectionHead id="links-heading" title="Payment links" busy refresh />
            <p class="muted small">"Create links with "<code>"POST /v1/payment_links"</code>"; share the short URL, and the customer pays on Dozen's page (in parts, if you allow it)."</p>
            <Load loading="Loading payment links…" retry=refresh pending=busy>
                {move || links.get().map(|answer| answer.map(|list| if list.payment_links.is_empty() {
                    view! { <p class="pay-none">"No payment links yet."</p> }.into_any()
                } else {
                    view! {
                        <ul class="pay-cards" data-testid="payment-links">
                            {list.payment_links.into_iter().map(|link| view! { <LinkItem link /> }).collect_view()}
                        </ul>
                    }.into_any()
                }))}
            </Load>
        </section>
    }
}

#[component]
fn LinkItem(link: PaymentLink) -> impl IntoView {
    let status = link.status.as_str();
    let due = link.amount - link.amount_paid;
    let title =
        if link.description.is_empty() { "Payment link".to_owned() } else { link.description.clone() };
    let customer = [link.customer.name.clone(), link.customer.email.clone(), link.customer.contact.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    let payments = link.payments.as_ref().map_or(0, Vec::len);
    let copy_label = format!("Copy the short URL of {}", link.id);
    view! {
        <li class="pay-card" data-link=link.id.clone()>
            <div class="pay-card-head">
                <strong class="pay-card-title">{title}</strong>
                <StatusBadge status={status} />
            </div>
            <p class="pay-money-line">
                <span data-testid="link-paid">{format!("{} paid", format::money(link.amount_paid, &link.currency))}</span>
                <span class="muted">{format!(" of {}", format::money(link.amount, &link.currency))}</span>
                {(due > 0 && link.status.is_open()).then(|| view! {
                    <span class="muted">{format!(" · {} due", format::money(due, &link.currency))}</span>
                })}
            </p>
            {progress(link.amount_paid, link.amount)}
            <p class="key-row">
                <a class="short-url" href=link.short_url.clone()>{link.short_url.clone()}</a>
                <CopyButton text={link.short_url.clone()} label={copy_label} />
            </p>
            <p class="pay-meta muted small">
                <code>{link.id.clone()}</code>
                {(!link.reference_id.is_empty()).then(|| view! { <span>{format!("ref {}", link.reference_id)}</span> })}
                {(!customer.is_empty()).then(|| view! { <span>{customer}</span> })}
                {link.accept_partial.then(|| view! { <span>"partial payments"</span> })}
                {(payments > 0).then(|| view! { <span>{format!("{payments} payment{}", if payments == 1 { "" } else { "s" })}</span> })}
                {(link.expire_by > 0 && (link.status.is_open() || status == "expired")).then(|| {
                    let verb = if link.status.is_open() { "expires" } else { "expired" };
                    view! { <span>{format!("{verb} {}", format::date_time(link.expire_by * 1000))}</span> }
                })}
            </p>
        </li>
    }
}

#[component]
pub fn Subscriptions() -> impl IntoView {
    let subscriptions = LocalResource::new(api::subscriptions);
    let busy = RwSignal::new(false);
    let refresh = Callback::new(move |_| subscriptions.refetch());
    view! {
        <section class="panel pay-section" aria-labelledby="subscriptions-heading">
            <SectionHead id="subscriptions-heading" title="Subscriptions" busy refresh />
            <p class="muted small">"Create plans and subscriptions with "<code>"/v1/plans"</code>" and "<code>"/v1/subscriptions"</code>"; the customer authorizes at the subscription's short URL, and each cycle is charged on schedule."</p>
            <Load loading="Loading subscriptions…" retry=refresh pending=busy>
                {move || subscriptions.get().map(|answer| answer.map(|list| if list.items.is_empty() {
                    view! { <p class="pay-none">"No subscriptions yet."</p> }.into_any()
                } else {
                    view! {
                        <ul class="pay-cards" data-testid="subscriptions">
                            {list.items.into_iter().map(|sub| view! { <SubscriptionItem sub /> }).collect_view()}
                        </ul>
                    }.into_any()
                }))}
            </Load>
        </section>
    }
}

#[component]
fn SubscriptionItem(sub: Subscription) -> impl IntoView {
    let status = sub.status.as_str();
    let waiting = status == "created";
    let next = sub
        .charge_at
        .filter(|_| matches!(status, "active" | "authenticated" | "pending"))
        .map(|at| format::date_time(at * 1000));
    let copy_label = format!("Copy the authorization link of {}", sub.id);
    view! {
        <li class="pay-card" data-subscription=sub.id.clone()>
            <div class="pay-card-head">
                <code class="pay-card-title">{sub.id.clone()}</code>
                <StatusBadge status={status} />
            </div>
            <p class="pay-money-line">
                <span data-testid="sub-paid">{format!("{} of {} paid", sub.paid_count, sub.total_count)}</span>
                {(sub.quantity > 1).then(|| view! { <span class="muted">{format!(" · quantity {}", sub.quantity)}</span> })}
            </p>
            {progress(sub.paid_count, sub.total_count)}
            <p class="pay-meta muted small">
                <span>"plan "<code>{sub.plan_id.clone()}</code></span>
                {sub.customer_id.clone().map(|c| view! { <span>"customer "<code>{c}</code></span> })}
                {sub.payment_method.clone().map(|m| view! { <span>{format!("pays by {m}")}</span> })}
            </p>
            <p class="pay-next">
                {match (next, waiting) {
                    (Some(next), _) => view! { <span>"Next charge "<strong data-testid="next-charge">{next}</strong></span> }.into_any(),
                    (None, true) => view! {
                        <span class="muted">{format!("Waiting for the customer to authorize{}", sub.expire_by.map_or(String::new(), |e| format!(" (by {})", format::date(e * 1000))))}</span>
                    }.into_any(),
                    (None, false) => view! {
                        <span class="muted">{sub.ended_at.map_or_else(|| "No charge scheduled".to_owned(), |e| format!("Ended {}", format::date(e * 1000)))}</span>
                    }.into_any(),
                }}
            </p>
            {waiting.then(|| view! {
                <p class="key-row">
                    <a class="short-url" href=sub.short_url.clone()>{sub.short_url.clone()}</a>
                    <CopyButton text={sub.short_url.clone()} label={copy_label} />
                </p>
            })}
        </li>
    }
}
