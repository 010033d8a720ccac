//! A labelled form field that checks its value with the same `shared` rule the worker
//! enforces, and shows what to fix under itself once the person has typed or left the field.

use leptos::prelude::*;
use shared::ApiError;

/// A rule for one field: `Ok` or the error to show.
pub type Rule = fn(&str) -> Result<(), ApiError>;

#[component]
pub fn Field(
    /// The field's name (`username`); also its id and the key server errors come back under.
    name: &'static str,
    label: &'static str,
    /// The value, two-way.
    value: RwSignal<String>,
    /// A server-side error for this field, shown until the value changes.
    #[prop(optional)]
    server_error: Option<RwSignal<Option<String>>>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] rule: Option<Rule>,
    /// Set when the form was submitted: show every field's error, touched or not.
    #[prop(optional)]
    submitted: Option<RwSignal<bool>>,
) -> impl IntoView {
    // Rules speak once the person has typed something, or when the form was submitted; an
    // empty field is only called out on submit (so a form reset to empty stays quiet).
    let touched = RwSignal::new(false);
    let local_error = move || {
        let submitted = submitted.is_some_and(|s| s.get());
        let typed = touched.get() && !value.with(String::is_empty);
        if !submitted && !typed {
            return None;
        }
        rule.and_then(|rule| rule(&value.get()).err()).map(|e| e.message)
    };
    let error = move || local_error().or_else(|| server_error.and_then(|s| s.get()));
    let error_id = format!("{name}-error");
    let hint_id = format!("{name}-hint");
    let described_by = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error().is_some() {
                ids.push(error_id.clone());
            }
            ids.join(" ")
        }
    };
    view! {
        <div class="field" class:invalid=move || error().is_some()>
            <label for=name>{label}</label>
            <input
                id=name
                name=name
                type=input_type
                autocomplete=autocomplete
                prop:value=move || value.get()
                aria-invalid=move || if error().is_some() { "true" } else { "false" }
                aria-describedby=described_by
                on:input=move |ev| {
                    value.set(event_target_value(&ev));
                    touched.set(true);
                    if let Some(server_error) = server_error {
                        server_error.set(None);
                    }
                }
            />
            {hint.map(|text| view! { <p class="hint" id=hint_id.clone()>{text}</p> })}
            <p class="error" id=error_id role="alert" aria-live="polite">{error}</p>
        </div>
    }
}

/// Runs every rule as if every field had been touched; `true` when all pass. Used on submit.
pub fn all_valid(checks: &[(Rule, &str)]) -> bool {
    checks.iter().all(|(rule, value)| rule(value).is_ok())
}
