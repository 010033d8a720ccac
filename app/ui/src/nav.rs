//! Links between bundles. Inside a bundle the router navigates without a page load; a link to
//! another bundle's page must load that page from the worker, so it is marked `rel="external"`
//! (the router leaves such links to the browser).

use std::cell::Cell;

thread_local! {
    static BUNDLE: Cell<&'static str> = const { Cell::new(shared::routes::SHELL_BUNDLE) };
    static FIRST_PATH: Cell<Option<&'static str>> = const { Cell::new(None) };
}

/// Called once when a bundle starts: which bundle this is, and the path it was loaded at.
pub(crate) fn set_bundle(bundle: &'static str) {
    BUNDLE.with(|b| b.set(bundle));
    let path = current_path();
    FIRST_PATH.with(|p| p.set(Some(String::leak(path))));
}

/// The running bundle's name.
pub fn bundle() -> &'static str {
    BUNDLE.with(Cell::get)
}

/// Does the running bundle have the page at `href` (a same-origin path)?
pub fn is_own(href: &str) -> bool {
    shared::routes::bundle_for_path(href) == bundle()
}

/// `rel` for a link to `href`: `external` when another bundle has that page.
pub fn rel(href: &str) -> Option<&'static str> {
    (!is_own(href)).then_some("external")
}

/// Was this bundle loaded at `path` (rather than navigated there inside the app)?
pub fn loaded_at(path: &str) -> bool {
    FIRST_PATH.with(Cell::get) == Some(path)
}

/// Goes to `path`: inside this bundle through the router (`navigate`, from `use_navigate`),
/// else by loading the other bundle's page.
pub fn go(navigate: impl Fn(&str, leptos_router::NavigateOptions), path: &str) {
    if is_own(path) {
        navigate(path, Default::default());
    } else {
        load_page(path);
    }
}

/// Loads `path` from the worker (a full page load, replacing the current history entry).
pub fn load_page(path: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().replace(path);
    }
}

fn current_path() -> String {
    web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_else(|| "/".to_owned())
}

/// A path segment or query value, percent-encoded by the browser's own encoder.
pub fn encode(text: &str) -> String {
    js_sys::encode_uri_component(text).into()
}

/// A query string from its pairs, each value percent-encoded: `[("q", "a b"), ("n", "2")]` →
/// `q=a%20b&n=2`.
pub fn query(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (name, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        out.push_str(&encode(value));
    }
    out
}
