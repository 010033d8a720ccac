//! The frame every page sits in, whichever bundle renders it: skip link, header, main, footer;
//! and `start`, which every bundle's `main` calls.

use crate::{components::header::Header, nav, session};
use leptos::prelude::*;
use leptos_router::components::Router;
use std::{cell::Cell, rc::Rc, time::Duration};

/// Starts a bundle: panics go to the console, the service worker is registered, and `app`
/// (a [`Frame`] around the bundle's routes) is mounted once the first paint is on screen.
pub fn start<V: IntoView + 'static>(bundle: &'static str, app: fn() -> V) {
    console_error_panic_hook::set_once();
    nav::set_bundle(bundle);
    register_service_worker();
    // What the worker sent (the home page, a main page's head) is painted before the app takes
    // its place: the app renders the same markup, so the first paint stays the page's largest and
    // nothing visibly changes. That costs a frame; a tab opened in the background (no frames)
    // starts on a timer instead.
    let mount = Rc::new(Cell::new(Some(move || {
        remove_boot_frame();
        leptos::mount::mount_to_body(app);
    })));
    let once = mount.clone();
    request_animation_frame(move || {
        request_animation_frame(move || once.take().map_or((), |mount| mount()));
    });
    set_timeout(move || mount.take().map_or((), |mount| mount()), Duration::from_millis(250));
}

/// The page frame with the router; `children` are the bundle's `<Routes>`.
#[component]
pub fn Frame(children: Children) -> impl IntoView {
    session::provide();
    view! {
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <Header />
            <main id="main" tabindex="-1">
                {children()}
            </main>
            <footer class="site-footer">
                <p>"Dozen · twelve products, one Rust codebase at the edge · "<a href="/api/openapi.json" rel="external">"API"</a></p>
            </footer>
        </Router>
    }
}

/// The static frame `index.html` shows until the wasm runs (app/index.html).
fn remove_boot_frame() {
    let boot = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("[data-boot]").ok().flatten());
    if let Some(boot) = boot {
        boot.remove();
    }
}

/// Registers `/sw.js` so visited pages work offline and the app can be installed. Failure is
/// not fatal: the app works without it.
fn register_service_worker() {
    let Some(window) = web_sys::window() else { return };
    let _ = window.navigator().service_worker().register("/sw.js");
}
