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

use crate::form::focus_id;
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

/// A status as a coloured badge: green when done well, amber while under way, red when it
/// went wrong, grey otherwise.
pub fn status_badge(status: &str) -> impl IntoView {
    let tone = match status {
        "captured" | "paid" | "processed" | "delivered" | "active" | "authenticated" | "completed" => "ok",
        "authorized" | "created" | "pending" | "partially_paid" | "paused" | "issued" => "warn",
        "failed" | "cancelled" | "expired" | "halted" => "bad",
        _ => "neutral",
    };
    let label = status.replace('_', " ");
    view! { <span class=format!("status {tone}") data-status=status.to_owned()>{label}</span> }
}

/// A button that copies `text` and says so for two seconds; `label` names it for screen readers
/// ("Copy key secret").
pub fn copy_button(text: String, label: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    let on_click = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.navigator().clipboard().write_text(&text);
            copied.set(true);
            set_timeout(move || copied.set(false), std::time::Duration::from_secs(2));
        }
    };
    view! {
        <button type="button" class="button ghost small copy" on:click=on_click aria-label=label>
            <span aria-live="polite">{move || if copied.get() { "Copied" } else { "Copy" }}</span>
        </button>
    }
}

/// A failed load, with a way to try again.
pub fn load_error(message: String, retry: impl Fn() + Send + Sync + 'static) -> AnyView {
    error_banner(message, Callback::new(move |_: ()| retry()))
}

// One view for every caller (the generic part above stays tiny).
fn error_banner(message: String, retry: Callback<()>) -> AnyView {
    view! {
        <div class="form-error banner-row" role="alert">
            <span>{message}</span>
            <button type="button" class="button ghost small" on:click=move |_| retry.run(())>"Retry"</button>
        </div>
    }
    .into_any()
}

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

/// What a confirmation does when confirmed.
pub type Action = std::rc::Rc<
    dyn Fn() -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), shared::ApiError>>>>,
>;

/// "Are you sure?": a heading, what will happen, Cancel and a red button that runs `action`;
/// `on_close(true)` once it succeeded, `on_close(false)` when cancelled. Its error stays inside.
#[component]
pub fn Confirm(
    heading: String,
    confirm: &'static str,
    busy_label: &'static str,
    action: Action,
    on_close: Callback<bool>,
    return_to: String,
    children: Children,
) -> impl IntoView {
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    // Kept in this thread's arena: the dialog's children must be `Send`, the action is not.
    let action = StoredValue::new_local(action);
    let run = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        let request = action.with_value(|action| action());
        leptos::task::spawn_local(async move {
            match request.await {
                Ok(()) => on_close.run(true),
                Err(err) => {
                    error.set(Some(err.message));
                    pending.set(false);
                }
            }
        });
    };
    view! {
        <Modal labelledby="confirm-heading" on_close=Callback::new(move |_| on_close.run(false)) return_to>
            <h2 id="confirm-heading">{heading}</h2>
            {children()}
            <Show when=move || error.get().is_some()><p class="form-error" role="alert">{error}</p></Show>
            <p class="dialog-actions">
                <button type="button" class="button ghost" autofocus on:click=move |_| on_close.run(false)>"Cancel"</button>
                <button type="button" class="button danger-solid" disabled=pending on:click=run data-testid="confirm">
                    {move || if pending.get() { busy_label } else { confirm }}
                </button>
            </p>
        </Modal>
    }
}

pub fn loading(what: &'static str) -> impl IntoView {
    view! { <p class="muted pay-loading" aria-busy="true"><span class="spinner" aria-hidden="true"></span>{what}</p> }
}

/// A modal dialog: the browser's own `<dialog>`, so focus stays inside, Escape closes it and
/// the page behind is inert. `on_close` runs when it is dismissed; focus then returns to the
/// element `return_to` names (the button that opened it).
#[component]
pub fn Modal(
    labelledby: &'static str,
    on_close: Callback<()>,
    return_to: String,
    children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    Effect::new(move |_| {
        if let Some(dialog) = dialog.get() {
            if !dialog.open() {
                let _ = dialog.show_modal();
            }
        }
    });
    on_cleanup(move || focus_id(return_to));
    view! {
        <dialog node_ref=dialog class="panel pay-dialog" aria-labelledby=labelledby
            on:cancel=move |ev: leptos::ev::Event| {
                ev.prevent_default();
                on_close.run(());
            }
            on:click=move |ev| {
                // A click on the backdrop (the dialog element itself, outside its content) closes.
                let target: Option<web_sys::Element> = ev.target().and_then(|t| t.dyn_into().ok());
                if target.is_some_and(|e| e.tag_name() == "DIALOG") {
                    on_close.run(());
                }
            }>
            <div class="pay-dialog-body">{children()}</div>
        </dialog>
    }
}
