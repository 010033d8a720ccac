//! `/pay`: the merchant's dashboard. Signed out, what Pay is and how to start; signed in, seven
//! sections behind an ARIA tablist, each deep-linkable as `/pay?tab=payments` (the overview is
//! plain `/pay`): figures and charts, payments with refunds, payment links, subscriptions,
//! webhooks with their deliveries, settlements with the reconciliation report, and key pairs.

pub mod chart;
pub mod keys;
pub mod links;
pub mod overview;
pub mod payments;
pub mod settlements;
pub mod webhooks;

use app_ui::components::focus_id;
use app_ui::session::use_session;
use leptos::{prelude::*, wasm_bindgen::JsCast};
use leptos_router::{hooks::query_signal_with_options, NavigateOptions};
use std::{fmt, str::FromStr};

/// A section of the dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Overview,
    Payments,
    Links,
    Subscriptions,
    Webhooks,
    Settlements,
    Keys,
}

impl Tab {
    pub const ALL: [Tab; 7] = [
        Tab::Overview,
        Tab::Payments,
        Tab::Links,
        Tab::Subscriptions,
        Tab::Webhooks,
        Tab::Settlements,
        Tab::Keys,
    ];

    /// Its `?tab=` value.
    pub fn slug(self) -> &'static str {
        match self {
            Tab::Overview => "overview",
            Tab::Payments => "payments",
            Tab::Links => "links",
            Tab::Subscriptions => "subscriptions",
            Tab::Webhooks => "webhooks",
            Tab::Settlements => "settlements",
            Tab::Keys => "keys",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Tab::Overview => "Overview",
            Tab::Payments => "Payments",
            Tab::Links => "Payment links",
            Tab::Subscriptions => "Subscriptions",
            Tab::Webhooks => "Webhooks",
            Tab::Settlements => "Settlements",
            Tab::Keys => "API keys",
        }
    }

    /// The tab a `?tab=` value names (case and spaces aside); none, or one it does not know,
    /// is the overview.
    pub fn from_query(value: Option<&str>) -> Tab {
        value.and_then(|v| v.parse().ok()).unwrap_or(Tab::Overview)
    }

    fn id(self) -> String {
        format!("pay-tab-{}", self.slug())
    }
}

impl FromStr for Tab {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        let s = s.trim().to_ascii_lowercase();
        Tab::ALL.into_iter().find(|t| t.slug() == s).ok_or(())
    }
}

impl fmt::Display for Tab {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let session = use_session();
    document().set_title("Pay · Dozen");
    view! {
        <div class="pay-dash">
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
            <h1>"Pay"</h1>
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
        <header class="pay-dash-head">
            <h1>"Pay"</h1>
            <span class="badge test-badge" title="No real money moves">"Test mode"</span>
        </header>
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

/// `element.scrollIntoView({block: "nearest", inline: "nearest"})`, through JS (no web-sys
/// feature for its options).
fn scroll_into_view(id: &str) {
    let Some(element) = document().get_element_by_id(id) else { return };
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"block".into(), &"nearest".into());
    let _ = js_sys::Reflect::set(&options, &"inline".into(), &"nearest".into());
    if let Ok(function) = js_sys::Reflect::get(&element, &"scrollIntoView".into()) {
        if let Ok(function) = function.dyn_into::<js_sys::Function>() {
            let _ = function.call1(&element, &options);
        }
    }
}

/// The sections as an ARIA tablist: arrows, Home and End move between them (and open them).
#[component]
fn TabList(tab: Memo<Tab>, go: Callback<Tab>) -> impl IntoView {
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let all = Tab::ALL;
        let at = all.iter().position(|t| *t == tab.get_untracked()).unwrap_or(0);
        let next = match ev.key().as_str() {
            "ArrowRight" => (at + 1) % all.len(),
            "ArrowLeft" => (at + all.len() - 1) % all.len(),
            "Home" => 0,
            "End" => all.len() - 1,
            _ => return,
        };
        ev.prevent_default();
        go.run(all[next]);
        focus_id(all[next].id());
    };
    view! {
        <nav class="pay-tabs-wrap" aria-label="Pay sections">
            <div class="pay-tabs" role="tablist" aria-label="Pay sections" on:keydown=on_keydown>
                {Tab::ALL.into_iter().map(|t| {
                    let selected = move || tab.get() == t;
                    view! {
                        <button type="button" role="tab" id=t.id() class="pay-tab"
                            aria-selected=move || selected().to_string() aria-controls="pay-panel"
                            tabindex=move || if selected() { "0" } else { "-1" }
                            on:click=move |_| go.run(t)>
                            {t.label()}
                        </button>
                    }
                }).collect_view()}
            </div>
        </nav>
    }
}

// ---------------------------------------------------------------------------------------------
// Pieces the sections share

/// A section's heading with its Refresh button (disabled while a load is under way).
#[component]
pub fn SectionHead(
    id: &'static str,
    title: &'static str,
    #[prop(into)] busy: Signal<bool>,
    refresh: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="pay-section-head">
            <h2 id=id tabindex="-1">{title}</h2>
            <button type="button" class="button ghost small" on:click=move |_| refresh.run(())
                disabled=busy aria-busy=move || busy.get().to_string()>"Refresh"</button>
        </div>
    }
}
