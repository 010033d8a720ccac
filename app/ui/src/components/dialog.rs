//! A modal dialog, and "Are you sure?" on top of it.

use crate::focus::focus_id;
use leptos::{prelude::*, wasm_bindgen::JsCast};
use shared::ApiError;

/// A modal dialog: the browser's own `<dialog>`, so focus stays inside, Escape closes it and
/// the page behind is inert. `on_close` runs when it is dismissed; focus then returns to the
/// element `return_to` names (the button that opened it).
#[component]
pub fn Modal(
    labelledby: &'static str,
    on_close: Callback<()>,
    return_to: String,
    children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    Effect::new(move |_| {
        if let Some(dialog) = dialog.get() {
            if !dialog.open() {
                let _ = dialog.show_modal();
            }
        }
    });
    on_cleanup(move || focus_id(return_to));
    view! {
        <dialog node_ref=dialog class="panel dialog" aria-labelledby=labelledby
            on:cancel=move |ev: leptos::ev::Event| {
                ev.prevent_default();
                on_close.run(());
            }
            on:click=move |ev| {
                // A click on the backdrop (the dialog element itself, outside its content) closes.
                let target: Option<web_sys::Element> = ev.target().and_then(|t| t.dyn_into().ok());
                if target.is_some_and(|e| e.tag_name() == "DIALOG") {
                    on_close.run(());
                }
            }>
            <div class="dialog-body">{children()}</div>
        </dialog>
    }
}

/// What a confirmation runs when confirmed: `Action::new_unsync(move |_: &()| api::remove(…))`.
pub type ConfirmAction = Action<(), Result<(), ApiError>>;

/// "Are you sure?": a heading, what will happen, Cancel and a red button that dispatches
/// `action`; `on_close(true)` once it succeeded, `on_close(false)` when cancelled. Pending and
/// the error come from the action; the error stays inside the dialog.
#[component]
pub fn Confirm(
    heading: &'static str,
    confirm: &'static str,
    busy_label: &'static str,
    action: ConfirmAction,
    on_close: Callback<bool>,
    return_to: String,
    children: Children,
) -> impl IntoView {
    let pending = action.pending();
    let error = move || action.value().get().and_then(Result::err).map(|e| e.message);
    Effect::watch(
        move || action.version().get(),
        move |_, _, _| {
            if action.value().get_untracked().is_some_and(|r| r.is_ok()) {
                on_close.run(true);
            }
        },
        false,
    );
    let run = move |_| {
        if !pending.get_untracked() {
            action.dispatch(());
        }
    };
    view! {
        <Modal labelledby="confirm-heading" on_close=Callback::new(move |_| on_close.run(false)) return_to>
            <h2 id="confirm-heading">{heading}</h2>
            {children()}
            <Show when=move || error().is_some()><p class="form-error" role="alert">{error}</p></Show>
            <p class="dialog-actions">
                <button type="button" class="button ghost" autofocus on:click=move |_| on_close.run(false)>"Cancel"</button>
                <button type="button" class="button danger-solid" disabled=pending on:click=run data-testid="confirm">
                    {move || if pending.get() { busy_label } else { confirm }}
                </button>
            </p>
        </Modal>
    }
}
