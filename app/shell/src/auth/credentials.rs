//! What the sign-in and sign-up forms send, and sending it.

use app_ui::{auth as api, components::FormErrors, nav, session::use_session};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use shared::{
    auth::wire::{LoginRequest, RegisterRequest},
    ApiError,
};

/// What a form of this module sends.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// Sign in, then go to the path.
    Login(LoginRequest, String),
    /// Sign up, then go to the account page.
    Register(RegisterRequest),
}

/// Signing in or up, as one action: once the worker answers with the account, the session has
/// it and the page goes on; a refusal goes to the form's `errors`. (Done in the action's own
/// future: an effect watching its value costs the home page's bundle kilobytes.)
pub fn sign_in_action(errors: FormErrors) -> Action<Credentials, Result<(), ApiError>> {
    let session = use_session();
    let navigate = use_navigate();
    Action::new_unsync(move |credentials: &Credentials| {
        let (credentials, navigate) = (credentials.clone(), navigate.clone());
        async move {
            let (answer, next) = match credentials {
                Credentials::Login(request, next) => (api::login(&request).await, next),
                Credentials::Register(request) => (api::register(&request).await, "/account".to_owned()),
            };
            match answer {
                Ok(user) => {
                    session.signed_in(user);
                    nav::go(navigate, &next);
                    Ok(())
                }
                Err(err) => {
                    errors.show(err.clone());
                    Err(err)
                }
            }
        }
    })
}
