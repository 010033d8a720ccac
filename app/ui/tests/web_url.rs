//! The browser's URL parser and the worker's (`url` crate) agree on the parts `shared`'s rules
//! read, for every kind of input those rules meet.

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn the_browser_parses_urls_as_the_worker_does() {
    for input in [
        "https://example.com/hook",
        "HTTPS://Example.COM:443/a b?q=1#f",
        "http://127.0.0.1:9000/hook",
        "http://localhost/hook",
        "http://[::1]:8787/x",
        "https://user:pw@example.com/",
        "https://user:@example.com/",
        "https://bücher.example/straße",
        "https://münchen.example",
        "ftp://example.com",
        "mailto:a@example.com",
        "javascript:alert(1)",
        "not a url",
        "https://",
        "//example.com",
        "https://exa mple.com",
        "https://example.com:99999",
        "",
    ] {
        assert_eq!(app_ui::web_url::parse(input), shared::url_parts::parse(input), "{input:?}");
    }
}
