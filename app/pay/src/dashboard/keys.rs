//! Key pairs for `/v1` (HTTP Basic `key_id:key_secret`), through the shared key manager: a key
//! pair is shown once (with copy buttons and the SDK line that uses it), revoked after
//! confirming.

use crate::api;
use app_ui::{
    components::keys::{KeyKind, KeyManager, KeyPart, KeyRow, NewKey},
    format,
};
use leptos::prelude::*;
use shared::pay::wire::{CreatedPayKey, PayKeyView};

fn row(key: PayKeyView) -> KeyRow {
    KeyRow {
        id: key.key_id.clone(),
        shown: key.key_id,
        label: None,
        meta: format!("created {}", format::date_time(key.created_at.millis())),
        revoked: key.revoked_at.map(|at| format::date_time(at.millis())),
    }
}

/// The new pair, and the line of Razorpay's Python SDK that uses it against this Dozen.
fn created(pair: CreatedPayKey) -> NewKey {
    let usage = format!(
        "client = razorpay.Client(auth=(\"{}\", \"{}\"), base_url=\"{}\")",
        pair.key_id,
        pair.key_secret,
        window().location().origin().unwrap_or_default()
    );
    NewKey {
        parts: vec![
            KeyPart { name: "Key id", value: pair.key_id, testid: "new-key-id", copy: "Copy key id" },
            KeyPart {
                name: "Key secret",
                value: pair.key_secret,
                testid: "new-key-secret",
                copy: "Copy key secret",
            },
        ],
        usage: Some(usage),
    }
}

const PAY_KEYS: KeyKind = KeyKind {
    list: || Box::pin(async { api::keys().await.map(|list| list.items.into_iter().map(row).collect()) }),
    create: |_label, key| Box::pin(async move { api::create_key(&key).await.map(created) }),
    revoke: |id| Box::pin(async move { api::revoke_key(&id).await }),
    create_button: "Create key pair",
    label_field: None,
    new_heading: "Your new key pair",
    warning: "Copy the secret now. It will not be shown again.",
    usage_intro: "With Razorpay's Python SDK:",
    empty: "No keys yet. Create a key pair to call the API.",
    count_active: true,
    confirm: Some("Calls to /v1 with it are refused from now on. This cannot be undone."),
};

#[component]
pub fn Keys() -> impl IntoView {
    view! {
        <section class="panel pay-section" aria-labelledby="keys-heading">
            <KeyManager kind=PAY_KEYS heading="API keys">
                <p class="muted small">"Your server signs in to "<code>"/v1"</code>" with HTTP Basic: the key id as the username, the secret as the password. The secret also signs payments, so keep it on your server. Up to 10 active keys."</p>
            </KeyManager>
        </section>
    }
}
