//! The edit dialog of one link: destination, tags, redirect type, expiry and password.

use crate::{
    api,
    rules::{split_tags, TAGS_RULE, URL_RULE},
};
use app_ui::components::{field::Field, on_answer, FormError, FormErrors, Modal};
use leptos::prelude::*;
use shared::{
    links::wire::LinkView,
    links::wire::{RedirectType, UpdateLinkRequest},
    time::Timestamp,
};

/// `datetime-local` text (the browser's local time) → an instant; empty → none.
fn parse_local(text: &str) -> Option<Timestamp> {
    if text.is_empty() {
        return None;
    }
    let ms = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(text)).get_time();
    ms.is_finite().then_some(Timestamp(ms as i64))
}

/// An instant → `datetime-local` text in the browser's local time.
fn to_local(t: Timestamp) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(t.millis() as f64));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date(),
        date.get_hours(),
        date.get_minutes()
    )
}

#[component]
pub fn EditDialog(link: LinkView, on_close: Callback<Option<LinkView>>) -> impl IntoView {
    let code = link.code.clone();
    let url = RwSignal::new(link.url.clone());
    let tags = RwSignal::new(link.tags.join(", "));
    let permanent = RwSignal::new(link.redirect_type == RedirectType::Permanent);
    let expires = RwSignal::new(link.expires_at.map(to_local).unwrap_or_default());
    let password = RwSignal::new(String::new());
    let remove_password = RwSignal::new(false);
    let protected = link.password_protected;
    let submitted = RwSignal::new(false);
    let errors = FormErrors::new(&["url", "tags", "expires_at", "password", "redirect_type"]);
    let save = Action::new_unsync(move |request: &UpdateLinkRequest| {
        let (code, request) = (code.clone(), request.clone());
        async move { api::update(&code, &request).await }
    });
    let pending = save.pending();
    on_answer(save, move |updated| on_close.run(Some(updated)), move |err| errors.show(err));

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        errors.clear();
        if URL_RULE(&url.get_untracked()).is_err() || TAGS_RULE(&tags.get_untracked()).is_err() {
            return;
        }
        let new_password = password.get_untracked();
        let request = UpdateLinkRequest {
            url: Some(url.get_untracked()),
            tags: Some(split_tags(&tags.get_untracked())),
            redirect_type: Some(if permanent.get_untracked() {
                RedirectType::Permanent
            } else {
                RedirectType::Temporary
            }),
            expires_at: Some(parse_local(&expires.get_untracked())),
            password: if remove_password.get_untracked() {
                Some(None)
            } else if new_password.is_empty() {
                None
            } else {
                Some(Some(new_password))
            },
        };
        if !pending.get_untracked() {
            save.dispatch(request);
        }
    };

    let close = Callback::new(move |_| on_close.run(None));
    view! {
        <Modal labelledby="edit-heading" on_close=close return_to=format!("edit-{}", link.code)>
            <h2 id="edit-heading">"Edit " <code>{link.code.clone()}</code></h2>
            <form on:submit=on_submit novalidate>
                <FormError errors />
                <Field name="edit-url" label="Destination" value=url rule=URL_RULE submitted input_type="url"
                    server_error=errors.field("url") />
                <Field name="edit-tags" label="Tags" value=tags rule=TAGS_RULE submitted
                    server_error=errors.field("tags") hint="Separated by commas." />
                <div class="field">
                    <label for="edit-expires">"Expires (optional)"</label>
                    <input id="edit-expires" type="datetime-local" prop:value=move || expires.get()
                        on:input=move |ev| expires.set(event_target_value(&ev)) />
                    <p class="error" role="alert">{move || errors.field("expires_at").get()}</p>
                </div>
                <label class="check">
                    <input type="checkbox" prop:checked=move || permanent.get()
                        on:change=move |ev| permanent.set(event_target_checked(&ev)) />
                    " Permanent redirect (301): browsers may cache it; clicks are then undercounted."
                </label>
                <Field name="edit-password" label=if protected { "New password (leave empty to keep)" } else { "Password (optional)" }
                    value=password input_type="password" server_error=errors.field("password") autocomplete="new-password" />
                {protected.then(|| view! {
                    <label class="check">
                        <input type="checkbox" prop:checked=move || remove_password.get()
                            on:change=move |ev| remove_password.set(event_target_checked(&ev)) />
                        " Remove the password"
                    </label>
                })}
                <p class="dialog-actions">
                    <button type="button" class="button ghost" on:click=move |_| close.run(())>"Cancel"</button>
                    <button type="submit" class="button primary" disabled=pending>"Save"</button>
                </p>
            </form>
        </Modal>
    }
}
