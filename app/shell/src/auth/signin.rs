//! `/signin`: sign in with a username or email.

use super::credentials::{sign_in_action, Credentials};
use app_ui::components::{
    field::{all_valid, Field, Rule},
    FormError, FormErrors,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shared::{auth::wire::LoginRequest, ApiError};

const LOGIN_RULE: Rule = |v| {
    if v.trim().is_empty() {
        Err(ApiError::invalid("login", "Enter your username or email."))
    } else {
        Ok(())
    }
};
const PASSWORD_RULE: Rule = |v| {
    if v.is_empty() {
        Err(ApiError::invalid("password", "Enter your password."))
    } else {
        Ok(())
    }
};

/// Only this site's paths are followed after sign-in (no open redirect through `?next=`).
fn safe_next(next: Option<String>) -> String {
    next.filter(|n| shared::routes::safe_next_path(n).is_some()).unwrap_or_else(|| "/".to_owned())
}

#[component]
pub fn SignIn() -> impl IntoView {
    let query = use_query_map();
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let errors = FormErrors::new(&["login", "password"]);
    let sign_in = sign_in_action(errors);
    let pending = sign_in.pending();

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        errors.clear();
        let (l, p) = (login.get_untracked(), password.get_untracked());
        if !all_valid(&[(LOGIN_RULE, &l), (PASSWORD_RULE, &p)]) || pending.get_untracked() {
            return;
        }
        let next = safe_next(query.read_untracked().get("next"));
        sign_in.dispatch(Credentials::Login(LoginRequest { login: l, password: p }, next));
    };

    view! {
        <section class="panel narrow">
            <h1>"Sign in to Dozen"</h1>
            <form on:submit=on_submit novalidate>
                <FormError errors />
                <Field name="login" label="Username or email" value=login rule=LOGIN_RULE submitted
                    server_error=errors.field("login") autocomplete="username" />
                <Field name="password" label="Password" value=password rule=PASSWORD_RULE submitted
                    input_type="password" server_error=errors.field("password") autocomplete="current-password" />
                <button type="submit" class="button primary wide" disabled=move || pending.get()>
                    {move || if pending.get() { "Signing in…" } else { "Sign in" }}
                </button>
            </form>
            <p class="muted">"New to Dozen? " <a href="/signup">"Create an account"</a></p>
        </section>
    }
}
