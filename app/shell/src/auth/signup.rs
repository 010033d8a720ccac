//! `/signup`: create an account. Each field is checked as the person types, with the rules the
//! worker enforces.

use super::credentials::{sign_in_action, Credentials};
use app_ui::{
    auth::EMAIL_RULE,
    components::{
        field::{all_valid, Field, Rule},
        FormError, FormErrors,
    },
};
use leptos::prelude::*;
use shared::auth::{
    validation::{check_password, normalize_username},
    wire::RegisterRequest,
};

pub const USERNAME_RULE: Rule = |v| normalize_username(v).map(drop);
pub const PASSWORD_RULE: Rule = |v| check_password(v, "password");

#[component]
pub fn SignUp() -> impl IntoView {
    let username = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let errors = FormErrors::new(&["username", "email", "password"]);
    let sign_up = sign_in_action(errors);
    let pending = sign_up.pending();

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        errors.clear();
        let (u, e, p) = (username.get_untracked(), email.get_untracked(), password.get_untracked());
        if !all_valid(&[(USERNAME_RULE, &u), (EMAIL_RULE, &e), (PASSWORD_RULE, &p)])
            || pending.get_untracked()
        {
            return;
        }
        sign_up.dispatch(Credentials::Register(RegisterRequest { username: u, email: e, password: p }));
    };

    view! {
        <section class="panel narrow">
            <h1>"Create your Dozen account"</h1>
            <p class="muted">"One account for all twelve products."</p>
            <form on:submit=on_submit novalidate>
                <FormError errors />
                <Field name="username" label="Username" value=username rule=USERNAME_RULE submitted
                    server_error=errors.field("username") autocomplete="username"
                    hint="3–32 letters, digits or underscores, starting with a letter." />
                <Field name="email" label="Email" value=email rule=EMAIL_RULE submitted input_type="email"
                    server_error=errors.field("email") autocomplete="email" />
                <Field name="password" label="Password" value=password rule=PASSWORD_RULE submitted
                    input_type="password" server_error=errors.field("password") autocomplete="new-password"
                    hint="At least 8 characters." />
                <button type="submit" class="button primary wide" disabled=move || pending.get()>
                    {move || if pending.get() { "Creating your account…" } else { "Sign up" }}
                </button>
            </form>
            <p class="muted">"Already have an account? " <a href="/signin">"Sign in"</a></p>
        </section>
    }
}
