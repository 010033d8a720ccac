//! A choice of period in days ("7 days", "30 days", …), as pressed buttons.

use leptos::prelude::*;

#[component]
pub fn PeriodPicker(days: RwSignal<i64>, choices: &'static [i64]) -> impl IntoView {
    view! {
        <div class="range" role="group" aria-label="Period">
            {choices.iter().map(|&n| view! {
                <button type="button" class="button small" class:primary=move || days.get() == n
                    class:ghost=move || days.get() != n aria-pressed=move || (days.get() == n).to_string()
                    on:click=move |_| days.set(n)>{format!("{n} days")}</button>
            }).collect_view()}
        </div>
    }
}
