//! What every section of the dashboard starts with.

use leptos::prelude::*;

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
