//! API keys on the account page: create (the key is shown once, with a copy button), list,
//! revoke.

use app_ui::auth as api;
use app_ui::components::{
    field::{Field, Rule},
    FormError, FormErrors,
};
use leptos::{prelude::*, task::spawn_local};
use shared::auth::{validation::normalize_key_label, wire::ApiKeyView};

const LABEL_RULE: Rule = |v| normalize_key_label(v).map(drop);

#[component]
pub fn ApiKeys() -> impl IntoView {
    let keys = RwSignal::new(Vec::<ApiKeyView>::new());
    let list_error = RwSignal::new(None::<String>);
    let label = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let new_key = RwSignal::new(None::<String>);
    let errors = FormErrors::new(&["label"]);

    let reload = move || {
        spawn_local(async move {
            match api::list_keys().await {
                Ok(list) => {
                    keys.set(list.keys);
                    list_error.set(None);
                }
                Err(err) => list_error.set(Some(err.message)),
            }
        })
    };
    reload();

    let on_create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        errors.clear();
        let text = label.get_untracked();
        if LABEL_RULE(&text).is_err() {
            return;
        }
        spawn_local(async move {
            match api::create_key(text).await {
                Ok(created) => {
                    new_key.set(Some(created.key));
                    label.set(String::new());
                    submitted.set(false);
                    reload();
                }
                Err(err) => errors.show(err),
            }
        });
    };
    let revoke = move |id: String| {
        spawn_local(async move {
            match api::revoke_key(&id).await {
                Ok(()) => reload(),
                Err(err) => list_error.set(Some(err.message)),
            }
        })
    };
    let copy = move |_| {
        if let (Some(window), Some(key)) = (web_sys::window(), new_key.get_untracked()) {
            let _ = window.navigator().clipboard().write_text(&key);
        }
    };

    view! {
        <h2>"API keys"</h2>
        <p class="muted">"For programs: send a key as " <code>"Authorization: Bearer dzk_…"</code> "."</p>
        <Show when=move || new_key.get().is_some()>
            <div class="notice" role="status" data-testid="new-key">
                <p><strong>"Copy your new key now. It will not be shown again."</strong></p>
                <p class="key-row">
                    <code class="key">{move || new_key.get()}</code>
                    <button type="button" class="button ghost" on:click=copy>"Copy"</button>
                    <button type="button" class="button ghost" on:click=move |_| new_key.set(None)>"Done"</button>
                </p>
            </div>
        </Show>
        <form on:submit=on_create novalidate class="inline-form">
            <FormError errors />
            <Field name="label" label="New key's label" value=label rule=LABEL_RULE submitted
                server_error=errors.field("label") hint="What the key is for, e.g. “CI deploys”." />
            <button type="submit" class="button primary">"Create key"</button>
        </form>
        <Show when=move || list_error.get().is_some()>
            <p class="form-error" role="alert">{move || list_error.get()}</p>
        </Show>
        <Show when=move || !keys.get().is_empty() fallback=|| view! { <p class="muted">"No API keys yet."</p> }>
            <ul class="key-list">
                <For each=move || keys.get() key=|k| k.id let:key>
                    {
                        let id = key.id.to_string();
                        let used = key.last_used_at.map_or("never used".to_owned(), |t| format!("last used {}", &t.to_rfc3339()[..10]));
                        view! {
                            <li>
                                <span class="key-label">{key.label.clone()}</span>
                                <code>{key.prefix.clone()}"…"</code>
                                <span class="muted">{format!("created {} · {used}", &key.created_at.to_rfc3339()[..10])}</span>
                                <button type="button" class="button danger" on:click=move |_| revoke(id.clone())>"Revoke"</button>
                            </li>
                        }
                    }
                </For>
            </ul>
        </Show>
    }
}
