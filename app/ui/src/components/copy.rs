//! A button that copies a text.

use leptos::prelude::*;

/// Copies `text` and says so for two seconds; `label` names it for screen readers ("Copy key
/// secret") where "Copy" alone would not say what.
#[component]
pub fn CopyButton(text: String, #[prop(optional, into)] label: Option<String>) -> impl IntoView {
    let copied = RwSignal::new(false);
    let on_click = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.navigator().clipboard().write_text(&text);
            copied.set(true);
            set_timeout(
                move || copied.try_set(false).map(drop).unwrap_or(()),
                std::time::Duration::from_secs(2),
            );
        }
    };
    view! {
        <button type="button" class="button ghost small copy" on:click=on_click aria-label=label>
            <span aria-live="polite">{move || if copied.get() { "Copied" } else { "Copy" }}</span>
        </button>
    }
}
