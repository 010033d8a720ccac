//! Helpers for the component tests each bundle runs in headless Chromium (wasm-bindgen-test).
//! Not used by the bundles themselves, so the linker leaves it out of them.

use leptos::wasm_bindgen::JsCast;
use web_sys::{Element, Event, EventInit, HtmlElement, HtmlInputElement};

/// A fresh container in the page for one test.
pub fn container() -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let div: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&div).unwrap();
    div
}

/// A fresh container marked `marker`, after removing the previous test's containers with that
/// mark (element ids must be unique in the page, as focus is moved by id).
pub fn only_container(marker: &str) -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let previous = document.query_selector_all(&format!("[{marker}]")).unwrap();
    for i in 0..previous.length() {
        previous.item(i).unwrap().unchecked_into::<Element>().remove();
    }
    let root = container();
    root.set_attribute(marker, "").unwrap();
    root
}

/// Waits `ms` milliseconds of browser time.
pub async fn wait_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Lets Leptos run the effects a change scheduled.
pub async fn settle() {
    wait_ms(0).await;
}

/// Types `text` into `input` as a person would be seen to (an `input` event that bubbles).
pub fn type_into(input: &HtmlInputElement, text: &str) {
    input.set_value(text);
    let init = EventInit::new();
    init.set_bubbles(true);
    input.dispatch_event(&Event::new_with_event_init_dict("input", &init).unwrap()).unwrap();
}

pub fn query(root: &Element, selector: &str) -> Element {
    root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no {selector}"))
}

/// The trimmed text of the element `selector` finds under `root`.
pub fn text(root: &Element, selector: &str) -> String {
    query(root, selector).text_content().unwrap_or_default().trim().to_owned()
}
