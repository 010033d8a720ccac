//! What a form does when its write answers.

use leptos::prelude::*;

/// Runs `ok` or `err` each time `action` answers. Pending and the last answer stay the
/// action's own (`action.pending()`, `action.value()`); this is what a form does next.
pub fn on_answer<I, T>(
    action: Action<I, Result<T, shared::ApiError>>,
    ok: impl Fn(T) + 'static,
    err: impl Fn(shared::ApiError) + 'static,
) where
    I: Send + Sync + 'static,
    T: Clone + Send + Sync + 'static,
{
    Effect::watch(
        move || action.version().get(),
        move |_, _, _| match action.value().get_untracked() {
            Some(Ok(value)) => ok(value),
            Some(Err(error)) => err(error),
            None => {}
        },
        false,
    );
}
