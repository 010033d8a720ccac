//! Key pairs for `/v1` (HTTP Basic `key_id:key_secret`): create one (the secret is shown once,
//! with a copy button and the SDK line that uses it), list them, revoke one after confirming.

use crate::{
    api,
    dashboard::{copy_button, load_error, loading, status_badge, Action, Confirm},
    form::{focus_id, format_date_time},
};
use leptos::{prelude::*, task::spawn_local};
use shared::pay::wire::{CreatedPayKey, PayKeyView};

#[component]
pub fn Keys() -> impl IntoView {
    let keys = RwSignal::new(Vec::<PayKeyView>::new());
    let loaded = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let created = RwSignal::new(None::<CreatedPayKey>);
    let create_error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let revoking = RwSignal::new(None::<String>);
    let attempt = StoredValue::new(None::<String>);

    let load = move || {
        spawn_local(async move {
            match api::keys().await {
                Ok(list) => {
                    keys.set(list.items);
                    loaded.set(true);
                    error.set(None);
                }
                Err(err) => error.set(Some(err.message)),
            }
        })
    };
    load();
    let create = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        create_error.set(None);
        // A retry after a lost answer keeps its key: one click makes one key pair.
        let key = attempt.get_value().unwrap_or_else(app_ui::api::new_key);
        attempt.set_value(Some(key.clone()));
        spawn_local(async move {
            match api::create_key(&key).await {
                Ok(pair) => {
                    attempt.set_value(None);
                    created.set(Some(pair));
                    focus_id("new-key-heading");
                    load();
                }
                Err(err) => {
                    if !matches!(err.code, shared::ErrorCode::Unavailable | shared::ErrorCode::Internal) {
                        attempt.set_value(None);
                    }
                    create_error.set(Some(err.message));
                }
            }
            pending.set(false);
        });
    };
    let active = move || keys.with(|k| k.iter().filter(|k| k.revoked_at.is_none()).count());

    view! {
        <section class="panel pay-section" aria-labelledby="keys-heading">
            <div class="pay-section-head">
                <h2 id="keys-heading" tabindex="-1">"API keys"</h2>
                <button type="button" class="button primary" on:click=create disabled=pending
                    aria-busy=move || pending.get().to_string() data-testid="create-key">
                    {move || if pending.get() { "Creating…" } else { "Create key pair" }}
                </button>
            </div>
            <p class="muted small">"Your server signs in to "<code>"/v1"</code>" with HTTP Basic: the key id as the username, the secret as the password. The secret also signs payments, so keep it on your server. Up to 10 active keys."</p>
            <Show when=move || create_error.get().is_some()>
                <p class="form-error" role="alert">{create_error}</p>
            </Show>
            {move || created.get().map(|pair| {
                let line = format!(
                    "client = razorpay.Client(auth=(\"{}\", \"{}\"), base_url=\"{}\")",
                    pair.key_id, pair.key_secret, window().location().origin().unwrap_or_default()
                );
                view! {
                    <div class="notice pay-new-key" role="status" data-testid="new-key">
                        <h3 id="new-key-heading" tabindex="-1">"Your new key pair"</h3>
                        <p class="warn-line"><strong>"Copy the secret now. It will not be shown again."</strong></p>
                        <dl class="pay-key-pair">
                            <div>
                                <dt>"Key id"</dt>
                                <dd class="key-row"><code class="key" data-testid="new-key-id">{pair.key_id.clone()}</code>
                                    {copy_button(pair.key_id.clone(), "Copy key id".to_owned())}</dd>
                            </div>
                            <div>
                                <dt>"Key secret"</dt>
                                <dd class="key-row"><code class="key" data-testid="new-key-secret">{pair.key_secret.clone()}</code>
                                    {copy_button(pair.key_secret.clone(), "Copy key secret".to_owned())}</dd>
                            </div>
                        </dl>
                        <p class="small">"With Razorpay's Python SDK:"</p>
                        <pre class="pay-code"><code>{line}</code></pre>
                        <p><button type="button" class="button ghost" on:click=move |_| {
                            created.set(None);
                            focus_id("keys-heading");
                        }>"I have saved it"</button></p>
                    </div>
                }
            })}
            {move || error.get().map(|message| load_error(message, load))}
            <Show when=move || loaded.get() fallback=|| loading("Loading keys…")>
                <Show when=move || !keys.with(Vec::is_empty) fallback=|| view! {
                    <p class="pay-none">"No keys yet. Create a key pair to call the API."</p>
                }>
                    <p class="muted small">{move || format!("{} active", active())}</p>
                    <ul class="key-list pay-keys" data-testid="keys">
                        <For each=move || keys.get() key=|k| (k.key_id.clone(), k.revoked_at) let:key>
                            {
                                let id = key.key_id.clone();
                                let button_id = format!("revoke-{id}");
                                let label = format!("Revoke {id}");
                                let for_revoke = id.clone();
                                let revoked = key.revoked_at;
                                view! {
                                    <li data-key=id.clone() class:revoked=revoked.is_some()>
                                        <code class="key">{id.clone()}</code>
                                        <span class="muted small">{format!("created {}", format_date_time(key.created_at.millis()))}</span>
                                        {match revoked {
                                            Some(at) => view! { <span class="small">{status_badge("revoked")}{format!(" {}", format_date_time(at.millis()))}</span> }.into_any(),
                                            None => view! {
                                                <button type="button" class="button danger small" id=button_id
                                                    aria-label=label on:click=move |_| revoking.set(Some(for_revoke.clone()))>"Revoke"</button>
                                            }.into_any(),
                                        }}
                                    </li>
                                }
                            }
                        </For>
                    </ul>
                </Show>
            </Show>
        </section>
        {move || revoking.get().map(|key_id| {
            let on_close = Callback::new(move |revoked: bool| {
                revoking.set(None);
                if revoked {
                    load();
                    focus_id("keys-heading");
                }
            });
            let return_to = format!("revoke-{key_id}");
            let id = key_id.clone();
            let action: Action = std::rc::Rc::new(move || {
                let id = id.clone();
                Box::pin(async move { api::revoke_key(&id).await })
            });
            view! {
                <Confirm heading="Revoke this key?".to_owned() confirm="Revoke key" busy_label="Revoking…" action on_close return_to>
                    <p><code>{key_id}</code></p>
                    <p>"Calls to "<code>"/v1"</code>" with it are refused from now on. This cannot be undone."</p>
                </Confirm>
            }
        })}
    }
}
