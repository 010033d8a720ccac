//! `/account`: the profile, the password, and API keys. Signed-out visitors are sent to sign in.

use crate::keys::ApiKeys;
use app_ui::{
    auth::{self as api, EMAIL_RULE},
    components::{
        field::{all_valid, Field, Rule},
        on_answer, FormError, FormErrors, PageHead,
    },
    session::use_session,
};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use shared::auth::{
    validation::{check_password, normalize_display_name},
    wire::{UpdateMeRequest, UserView},
};
use shared::ApiError;

const DISPLAY_NAME_RULE: Rule = |v| normalize_display_name(v).map(drop);
const NEW_PASSWORD_RULE: Rule = |v| check_password(v, "new_password");
const CURRENT_PASSWORD_RULE: Rule = |v| {
    if v.is_empty() {
        Err(shared::ApiError::invalid("current_password", "Enter your current password."))
    } else {
        Ok(())
    }
};

#[component]
pub fn Account() -> impl IntoView {
    let session = use_session();
    view! {
        <div class="stack">
            <PageHead path="/account" />
            <Show when=move || session.checked.get() fallback=|| view! { <p class="panel muted">"Loading…"</p> }>
                <Show when=move || session.user.get().is_some() fallback=|| view! { <Redirect path="/signin?next=/account" /> }>
                    <section class="panel">
                        <p class="muted">
                            "Signed in as " <strong data-testid="account-username">{move || session.user.get().map(|u| u.username)}</strong>
                            " · member since " {move || session.user.get().map(|u| u.created_at.to_rfc3339()[..10].to_owned())}
                        </p>
                        <Profile />
                    </section>
                    <section class="panel"><ChangePassword /></section>
                    <section class="panel"><ApiKeys /></section>
                    <p><a href="/" rel="external">"Back to the products"</a></p>
                </Show>
            </Show>
        </div>
    }
}

/// `PATCH /api/auth/me` as an action: `done` gets the account as it is now, the form's
/// `errors` what the worker refused.
fn update_me(
    errors: FormErrors,
    done: impl Fn(UserView) + 'static,
) -> Action<UpdateMeRequest, Result<UserView, ApiError>> {
    let action = Action::new_unsync(|request: &UpdateMeRequest| {
        let request = request.clone();
        async move { api::update_me(&request).await }
    });
    on_answer(action, done, move |err| errors.show(err));
    action
}

#[component]
fn Profile() -> impl IntoView {
    let session = use_session();
    let current = session.user.get_untracked();
    let display_name = RwSignal::new(current.as_ref().map(|u| u.display_name.clone()).unwrap_or_default());
    let email = RwSignal::new(current.map(|u| u.email).unwrap_or_default());
    let submitted = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let errors = FormErrors::new(&["display_name", "email"]);
    let save = update_me(errors, move |user| {
        session.signed_in(user);
        saved.set(true);
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        saved.set(false);
        errors.clear();
        let (name, mail) = (display_name.get_untracked(), email.get_untracked());
        if all_valid(&[(DISPLAY_NAME_RULE, &name), (EMAIL_RULE, &mail)]) && !save.pending().get_untracked() {
            save.dispatch(UpdateMeRequest {
                display_name: Some(name),
                email: Some(mail),
                ..Default::default()
            });
        }
    };
    view! {
        <form on:submit=on_submit novalidate aria-labelledby="profile-heading">
            <h2 id="profile-heading">"Profile"</h2>
            <FormError errors />
            <Field name="display_name" label="Display name" value=display_name rule=DISPLAY_NAME_RULE submitted
                server_error=errors.field("display_name") autocomplete="nickname" />
            <Field name="email" label="Email" value=email rule=EMAIL_RULE submitted input_type="email"
                server_error=errors.field("email") autocomplete="email" />
            <button type="submit" class="button primary" disabled=save.pending()>"Save profile"</button>
            <Show when=move || saved.get()><span class="saved" role="status">" Saved."</span></Show>
        </form>
    }
}

#[component]
fn ChangePassword() -> impl IntoView {
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let errors = FormErrors::new(&["current_password", "new_password"]);
    let change = update_me(errors, move |_| {
        current.set(String::new());
        new.set(String::new());
        submitted.set(false);
        saved.set(true);
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        saved.set(false);
        errors.clear();
        let (old, fresh) = (current.get_untracked(), new.get_untracked());
        if all_valid(&[(CURRENT_PASSWORD_RULE, &old), (NEW_PASSWORD_RULE, &fresh)])
            && !change.pending().get_untracked()
        {
            change.dispatch(UpdateMeRequest {
                current_password: Some(old),
                new_password: Some(fresh),
                ..Default::default()
            });
        }
    };
    view! {
        <form on:submit=on_submit novalidate aria-labelledby="password-heading">
            <h2 id="password-heading">"Password"</h2>
            <p class="muted">"Changing it signs you out everywhere else."</p>
            <FormError errors />
            <Field name="current_password" label="Current password" value=current rule=CURRENT_PASSWORD_RULE
                submitted input_type="password" server_error=errors.field("current_password")
                autocomplete="current-password" />
            <Field name="new_password" label="New password" value=new rule=NEW_PASSWORD_RULE submitted
                input_type="password" server_error=errors.field("new_password") autocomplete="new-password"
                hint="At least 8 characters." />
            <button type="submit" class="button primary" disabled=change.pending()>"Change password"</button>
            <Show when=move || saved.get()><span class="saved" role="status">" Password changed."</span></Show>
        </form>
    }
}
