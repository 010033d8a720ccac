//! Who is signed in, for every component: asked of the worker once at start, updated on
//! sign-in and sign-out.

use crate::api;
use leptos::{prelude::*, task::spawn_local};
use shared::auth::wire::UserView;

#[derive(Clone, Copy)]
pub struct Session {
    /// The signed-in account, if any.
    pub user: RwSignal<Option<UserView>>,
    /// False until the first answer of `/api/auth/me` arrived (so pages don't flash "sign in").
    pub checked: RwSignal<bool>,
}

impl Session {
    pub fn signed_in(&self, user: UserView) {
        self.user.set(Some(user));
        self.checked.set(true);
    }

    pub fn sign_out(&self) {
        let user = self.user;
        spawn_local(async move {
            let _ = api::post_empty("/api/auth/logout").await;
            user.set(None);
        });
    }
}

/// Puts the session into context and asks the worker who is signed in.
pub fn provide() {
    let session = Session { user: RwSignal::new(None), checked: RwSignal::new(false) };
    provide_context(session);
    spawn_local(async move {
        if let Ok(user) = api::get::<UserView>("/api/auth/me").await {
            session.user.set(Some(user));
        }
        session.checked.set(true);
    });
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}
