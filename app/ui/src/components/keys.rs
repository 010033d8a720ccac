//! API keys, written once for every kind of key (the account's bearer keys, Pay's key pairs):
//! list them, create one (its secret shown once, with copy buttons), revoke one. A kind of key
//! is data — its endpoints and its words — in a [`KeyKind`]; the code paths are these.

use super::{
    answer::on_answer,
    copy::CopyButton,
    dialog::Confirm,
    field::{Field, Rule},
    form_errors::{FormError, FormErrors},
    load::Load,
    status::StatusBadge,
};
use crate::api::{unanswered, Attempt};
use crate::focus::focus_id;
use leptos::prelude::*;
use shared::ApiError;
use std::{future::Future, pin::Pin};

/// What an endpoint answers, boxed (one future type for every kind of key).
pub type Answer<T> = Pin<Box<dyn Future<Output = Result<T, ApiError>>>>;

/// One key as listed.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyRow {
    /// What revoking names it by.
    pub id: String,
    /// How it is shown (`rzp_test_…`, `dzk_AbC…`).
    pub shown: String,
    pub label: Option<String>,
    /// `created …`, and when it was last used.
    pub meta: String,
    /// When it was revoked, as people read it.
    pub revoked: Option<String>,
}

/// A key just created: its parts (shown once, each with a copy button) and a line of code that
/// uses it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewKey {
    pub parts: Vec<KeyPart>,
    pub usage: Option<String>,
}

/// One part of a new key: `Key secret`, its value, its test id and its copy button's name.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyPart {
    pub name: &'static str,
    pub value: String,
    pub testid: &'static str,
    pub copy: &'static str,
}

/// A label asked for each new key, with the worker's rule.
#[derive(Clone, Copy)]
pub struct LabelField {
    pub label: &'static str,
    pub hint: &'static str,
    pub rule: Rule,
}

/// A kind of key: its endpoints and its words.
#[derive(Clone, Copy)]
pub struct KeyKind {
    pub list: fn() -> Answer<Vec<KeyRow>>,
    /// `(label, idempotency key)`.
    pub create: fn(String, String) -> Answer<NewKey>,
    pub revoke: fn(String) -> Answer<()>,
    pub create_button: &'static str,
    pub label_field: Option<LabelField>,
    pub new_heading: &'static str,
    pub warning: &'static str,
    pub usage_intro: &'static str,
    pub empty: &'static str,
    /// Say how many are active above the list.
    pub count_active: bool,
    /// Ask before revoking: what revoking does (`None`: revoke at once).
    pub confirm: Option<&'static str>,
}

/// The keys of one kind: `children` say what they are for, under the heading.
#[component]
pub fn KeyManager(kind: KeyKind, heading: &'static str, children: Children) -> impl IntoView {
    let keys = LocalResource::new(move || (kind.list)());
    let refresh = Callback::new(move |_| keys.refetch());
    let created = RwSignal::new(None::<NewKey>);
    let revoking = RwSignal::new(None::<String>);
    let revoke_error = RwSignal::new(None::<String>);
    let on_created = Callback::new(move |key: NewKey| {
        created.set(Some(key));
        focus_id("new-key-heading");
        keys.refetch();
    });
    let revoke_now = Action::new_unsync(move |id: &String| (kind.revoke)(id.clone()));
    on_answer(revoke_now, move |()| keys.refetch(), move |err| revoke_error.set(Some(err.message)));
    let on_revoke = Callback::new(move |id: String| {
        revoke_error.set(None);
        if kind.confirm.is_some() {
            revoking.set(Some(id));
        } else {
            revoke_now.dispatch(id);
        }
    });
    view! {
        <h2 id="keys-heading" tabindex="-1">{heading}</h2>
        {children()}
        <CreateKey kind on_created />
        {move || created.get().map(|key| view! { <ShownOnce kind key created /> })}
        <Show when=move || revoke_error.get().is_some()>
            <p class="form-error" role="alert">{revoke_error}</p>
        </Show>
        <Load loading="Loading keys…" retry=refresh>
            {move || keys.get().map(|answer| answer.map(|rows| view! { <KeyList kind rows on_revoke /> }))}
        </Load>
        {move || revoking.get().map(|id| view! { <RevokeKey kind id revoking on_revoked=refresh /> })}
    }
}

/// The create button, after the new key's label where its kind asks for one.
#[component]
fn CreateKey(kind: KeyKind, on_created: Callback<NewKey>) -> impl IntoView {
    let label = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let errors = FormErrors::new(&["label"]);
    // A retry after a lost answer keeps its key: one click makes one key.
    let attempt = Attempt::<String>::new();
    let create = Action::new_unsync(move |label: &String| (kind.create)(label.clone(), attempt.key(label)));
    let pending = create.pending();
    on_answer(
        create,
        move |key| {
            attempt.answered();
            label.set(String::new());
            submitted.set(false);
            on_created.run(key);
        },
        move |err| {
            if !unanswered(&err) {
                attempt.answered();
            }
            errors.show(err);
        },
    );
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        errors.clear();
        let text = label.get_untracked();
        let valid = kind.label_field.is_none_or(|field| (field.rule)(&text).is_ok());
        if valid && !pending.get_untracked() {
            create.dispatch(text);
        }
    };
    view! {
        <form on:submit=on_submit novalidate class="inline-form key-create">
            <FormError errors />
            {kind.label_field.map(|field| view! {
                <Field name="label" label=field.label value=label rule=field.rule submitted
                    server_error=errors.field("label") hint=field.hint />
            })}
            <button type="submit" class="button primary" disabled=pending
                aria-busy=move || pending.get().to_string() data-testid="create-key">
                {move || if pending.get() { "Creating…" } else { kind.create_button }}
            </button>
        </form>
    }
}

/// The new key, shown once: each part with its copy button, and a line that uses it.
#[component]
fn ShownOnce(kind: KeyKind, key: NewKey, created: RwSignal<Option<NewKey>>) -> impl IntoView {
    view! {
        <div class="notice new-key" role="status" data-testid="new-key">
            <h3 id="new-key-heading" tabindex="-1">{kind.new_heading}</h3>
            <p class="warn-line"><strong>{kind.warning}</strong></p>
            <dl class="key-pair">
                {key.parts.into_iter().map(|part| view! {
                    <div>
                        <dt>{part.name}</dt>
                        <dd class="key-row"><code class="key" data-testid=part.testid>{part.value.clone()}</code>
                            <CopyButton text=part.value label=part.copy /></dd>
                    </div>
                }).collect_view()}
            </dl>
            {key.usage.map(|line| view! {
                <p class="small">{kind.usage_intro}</p>
                <pre class="code-block"><samp>{line}</samp></pre>
            })}
            <p><button type="button" class="button ghost" on:click=move |_| {
                created.set(None);
                focus_id("keys-heading");
            }>"I have saved it"</button></p>
        </div>
    }
}

#[component]
fn KeyList(kind: KeyKind, rows: Vec<KeyRow>, on_revoke: Callback<String>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="none">{kind.empty}</p> }.into_any();
    }
    let active = rows.iter().filter(|k| k.revoked.is_none()).count();
    view! {
        {kind.count_active.then(|| view! { <p class="muted small">{format!("{active} active")}</p> })}
        <ul class="key-list" data-testid="keys">
            {rows.into_iter().map(|key| {
                let (id, revoked) = (key.id.clone(), key.revoked.is_some());
                view! {
                    <li data-key=key.id.clone() class:revoked=revoked>
                        {key.label.map(|label| view! { <span class="key-label">{label}</span> })}
                        <code class="key">{key.shown.clone()}</code>
                        <span class="muted small">{key.meta}</span>
                        {match key.revoked {
                            Some(at) => view! { <span class="small"><StatusBadge status="revoked" />{format!(" {at}")}</span> }.into_any(),
                            None => view! {
                                <button type="button" class="button danger small" id=format!("revoke-{}", key.id)
                                    aria-label=format!("Revoke {}", key.shown) on:click=move |_| on_revoke.run(id.clone())>"Revoke"</button>
                            }.into_any(),
                        }}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// "Revoke this key?", for the kinds that ask first.
#[component]
fn RevokeKey(
    kind: KeyKind,
    id: String,
    revoking: RwSignal<Option<String>>,
    on_revoked: Callback<()>,
) -> impl IntoView {
    let on_close = Callback::new(move |revoked: bool| {
        revoking.set(None);
        if revoked {
            on_revoked.run(());
            focus_id("keys-heading");
        }
    });
    let for_action = id.clone();
    let action = Action::new_unsync(move |_: &()| (kind.revoke)(for_action.clone()));
    view! {
        <Confirm heading="Revoke this key?" confirm="Revoke key" busy_label="Revoking…" action on_close return_to=format!("revoke-{id}")>
            <p><code>{id}</code></p>
            <p>{kind.confirm.unwrap_or_default()}</p>
        </Confirm>
    }
}
