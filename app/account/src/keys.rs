//! API keys on the account page, through the shared key manager: a label for each new key,
//! the key shown once, revoked at once.

use app_ui::{
    auth as api,
    components::keys::{KeyKind, KeyManager, KeyPart, KeyRow, LabelField, NewKey},
    format,
};
use leptos::prelude::*;
use shared::auth::{
    validation::normalize_key_label,
    wire::{ApiKeyView, CreatedApiKey},
};

fn row(key: ApiKeyView) -> KeyRow {
    let used = key
        .last_used_at
        .map_or("never used".to_owned(), |t| format!("last used {}", format::date(t.millis())));
    KeyRow {
        id: key.id.to_string(),
        shown: format!("{}…", key.prefix),
        label: Some(key.label),
        meta: format!("created {} · {used}", format::date(key.created_at.millis())),
        revoked: None,
    }
}

fn created(key: CreatedApiKey) -> NewKey {
    NewKey {
        parts: vec![KeyPart {
            name: "API key",
            value: key.key,
            testid: "new-key-secret",
            copy: "Copy the key",
        }],
        usage: None,
    }
}

const ACCOUNT_KEYS: KeyKind = KeyKind {
    list: || Box::pin(async { api::list_keys().await.map(|list| list.keys.into_iter().map(row).collect()) }),
    create: |label, key| Box::pin(async move { api::create_key(label, &key).await.map(created) }),
    revoke: |id| Box::pin(async move { api::revoke_key(&id).await }),
    create_button: "Create key",
    label_field: Some(LabelField {
        label: "New key's label",
        hint: "What the key is for, e.g. “CI deploys”.",
        rule: |v| normalize_key_label(v).map(drop),
    }),
    new_heading: "Your new key",
    warning: "Copy your new key now. It will not be shown again.",
    usage_intro: "",
    empty: "No API keys yet.",
    count_active: false,
    confirm: None,
};

#[component]
pub fn ApiKeys() -> impl IntoView {
    view! {
        <KeyManager kind=ACCOUNT_KEYS heading="API keys">
            <p class="muted">"For programs: send a key as " <code>"Authorization: Bearer dzk_…"</code> "."</p>
        </KeyManager>
    }
}
