//! Pieces used by more than one page or bundle.

pub mod chart;
pub mod copy;
pub mod dialog;
pub mod field;
pub mod form_errors;
pub mod header;
pub mod keys;
pub mod load;
pub mod period;
pub mod status;

pub use chart::{Bar, BarChart};
pub use copy::CopyButton;
pub use dialog::{Confirm, ConfirmAction, Modal};
pub use form_errors::{FormError, FormErrors};
pub use load::{ErrorBanner, Load, Loading};
pub use period::PeriodPicker;
pub use status::StatusBadge;

use leptos::{prelude::*, wasm_bindgen::JsCast};

/// Moves keyboard focus to the element with this id, once the DOM has caught up.
pub fn focus_id(id: impl AsRef<str> + 'static) {
    request_animation_frame(move || {
        if let Some(element) = document().get_element_by_id(id.as_ref()) {
            if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
                let _ = element.focus();
            }
        }
    });
}

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
