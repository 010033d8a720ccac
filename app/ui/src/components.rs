//! Pieces used by more than one page or bundle.

pub mod chart;
pub mod copy;
pub mod dialog;
pub mod field;
pub mod form_errors;
pub mod header;
pub mod keys;
pub mod load;
pub mod status;

pub use chart::{Bar, BarChart};
pub use copy::CopyButton;
pub use dialog::{Confirm, ConfirmAction, Modal};
pub use form_errors::{FormError, FormErrors};
pub use load::{ErrorBanner, Load, Loading};
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
