//! Where keyboard focus goes.

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
