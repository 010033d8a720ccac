//! Reading data, one way for every page: a `LocalResource` read inside [`Load`], which is a
//! `Transition` (the previous answer stays while a new one loads; a loading line before the
//! first) around an `ErrorBoundary` (a failed load says why, with Retry).

use leptos::prelude::*;
use shared::{ApiError, ErrorCode};

/// "Loading payments…", while the first answer is on its way.
#[component]
pub fn Loading(what: &'static str) -> impl IntoView {
    view! { <p class="muted loading" aria-busy="true"><span class="spinner" aria-hidden="true"></span>{what}</p> }
}

/// A failed load or write, and a way to try again.
#[component]
pub fn ErrorBanner(#[prop(into)] message: Signal<String>, retry: Callback<()>) -> impl IntoView {
    view! {
        <div class="form-error banner-row" role="alert">
            <span>{message}</span>
            <button type="button" class="button ghost small" on:click=move |_| retry.run(())>"Retry"</button>
        </div>
    }
}

/// The `ApiError` an `ErrorBoundary` caught (every load here fails with one).
fn api_error(error: &leptos::error::Error) -> ApiError {
    (**error)
        .downcast_ref::<ApiError>()
        .cloned()
        .unwrap_or_else(|| ApiError::new(ErrorCode::Internal, error.to_string()))
}

/// `children` read one or more `LocalResource`s and render their `Result`s: while the first
/// answer is on its way `Loading` says `loading` (or `waiting` shows a page's own skeleton); an
/// `Err` shows its message with Retry (`retry` refetches), or what `failed` makes of it; later
/// loads keep the previous answer on screen, and `pending` (if given) follows them.
#[component]
pub fn Load(
    loading: &'static str,
    retry: Callback<()>,
    #[prop(optional)] pending: Option<RwSignal<bool>>,
    #[prop(optional, into)] waiting: Option<ViewFn>,
    #[prop(optional)] failed: Option<Callback<(ApiError, Callback<()>), AnyView>>,
    children: ChildrenFn,
) -> impl IntoView {
    let pending = pending.unwrap_or_else(|| RwSignal::new(false));
    let fallback = move |errors: ArcRwSignal<Errors>| {
        let error = move || errors.with(|e| e.iter().next().map(|(_, e)| api_error(e)));
        move || match (failed, error()) {
            (Some(failed), Some(err)) => failed.run((err, retry)),
            (_, err) => {
                let message = err.map(|e| e.message).unwrap_or_default();
                view! { <ErrorBanner message retry /> }.into_any()
            }
        }
    };
    let waiting = move || match &waiting {
        Some(view) => view.run(),
        None => view! { <Loading what=loading /> }.into_any(),
    };
    view! {
        <Transition fallback=waiting set_pending=pending>
            <ErrorBoundary fallback>
                {children()}
            </ErrorBoundary>
        </Transition>
    }
}
