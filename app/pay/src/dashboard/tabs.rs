//! The dashboard's sections as tabs: each deep-linkable by its `?tab=` value, reached by arrows,
//! Home and End.

use app_ui::components::focus_id;
use leptos::{prelude::*, wasm_bindgen::JsCast};
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

    pub fn id(self) -> String {
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

/// `element.scrollIntoView({block: "nearest", inline: "nearest"})`, through JS (no web-sys
/// feature for its options).
pub fn scroll_into_view(id: &str) {
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
pub fn TabList(tab: Memo<Tab>, go: Callback<Tab>) -> impl IntoView {
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
