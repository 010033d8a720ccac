//! `/pay`: the merchant's dashboard. Signed out, what Pay is and how to start; signed in, seven
//! sections behind an ARIA tablist, each deep-linkable as `/pay?tab=payments` (the overview is
//! plain `/pay`): figures and charts, payments with refunds, payment links, subscriptions,
//! webhooks with their deliveries, settlements with the reconciliation report, and key pairs.

pub mod chart;
pub mod keys;
pub mod links;
pub mod overview;
pub mod payments;
pub mod section;
pub mod settlements;
pub mod tabs;
pub mod webhooks;

pub use tabs::Tab;

use app_ui::{components::PageHead, session::use_session};
use leptos::prelude::*;
use leptos_router::{hooks::query_signal_with_options, NavigateOptions};
use tabs::{scroll_into_view, TabList};

#[component]
pub fn DashboardPage() -> impl IntoView {
    let session = use_session();
    document().set_title("Pay · Dozen");
    view! {
        <div class="pay-dash">
            <PageHead path="/pay" />
            <Show when=move || session.checked.get() fallback=|| view! {
                <p class="panel muted" aria-busy="true">"Loading…"</p>
            }>
                <Show when=move || session.user.get().is_some() fallback=SignedOut>
                    <Dashboard />
                </Show>
            </Show>
        </div>
    }
}

#[component]
fn SignedOut() -> impl IntoView {
    view! {
        <section class="panel pay-intro" data-testid="pay-signed-out">
            <p class="lede">"A payment gateway that speaks Razorpay's API: point Razorpay's own SDKs at Dozen and take payments by card, UPI, net banking and wallets."</p>
            <ul class="pay-points">
                <li>"Orders, payments, captures and refunds, signed exactly as Razorpay signs them."</li>
                <li>"A hosted checkout, payment links with partial payments, and subscriptions billed every cycle."</li>
                <li>"Webhooks retried for 24 hours, T+2 settlements and a reconciliation report."</li>
            </ul>
            <p>"Every Dozen account is a merchant in test mode: no real money moves."</p>
            <p class="hero-actions">
                <a href="/signup" rel="external" class="button primary">"Create your account"</a>
                <a href="/signin?next=/pay" rel="external" class="button ghost">"Sign in"</a>
            </p>
        </section>
    }
}

#[component]
fn Dashboard() -> impl IntoView {
    let (query, set_query) =
        query_signal_with_options::<String>("tab", NavigateOptions { scroll: false, ..Default::default() });
    let tab = Memo::new(move |_| Tab::from_query(query.get().as_deref()));
    let go = Callback::new(move |t: Tab| {
        set_query.set((t != Tab::Overview).then(|| t.slug().to_owned()));
    });
    // The chosen tab stays in view in the strip (a phone shows only some of them).
    Effect::new(move |_| {
        let id = tab.get().id();
        request_animation_frame(move || scroll_into_view(&id));
    });
    view! {
        <TabList tab go />
        <div class="pay-tabpanel" role="tabpanel" id="pay-panel"
            aria-labelledby=move || tab.get().id()>
            {move || match tab.get() {
                Tab::Overview => view! { <overview::Overview go /> }.into_any(),
                Tab::Payments => view! { <payments::Payments /> }.into_any(),
                Tab::Links => view! { <links::PaymentLinks /> }.into_any(),
                Tab::Subscriptions => view! { <links::Subscriptions /> }.into_any(),
                Tab::Webhooks => view! { <webhooks::Webhooks /> }.into_any(),
                Tab::Settlements => view! { <settlements::Settlements /> }.into_any(),
                Tab::Keys => view! { <keys::Keys /> }.into_any(),
            }}
        </div>
    }
}
