//! The browser's own URL parser (WHATWG's URL Standard, as the `url` crate implements it in the
//! worker) for `shared`'s URL rules, so a bundle that checks URLs as you type carries no URL
//! parser or IDNA tables (`shared::url_parts`). A component test compares the two parsers.

use shared::url_parts::UrlParts;

/// Parses text as an absolute URL with the browser's `URL`; `None` when it is not one.
pub fn parse(input: &str) -> Option<UrlParts> {
    let url = web_sys::Url::new(input).ok()?;
    // Chromium percent-encodes what the URL Standard forbids in a host (`exa mple.com` becomes
    // `exa%20mple.com`); the Standard, and so the worker, refuses it.
    if url.hostname().contains('%') {
        return None;
    }
    Some(UrlParts {
        href: url.href(),
        scheme: url.protocol().trim_end_matches(':').to_owned(),
        username: url.username(),
        password: url.password(),
        host: url.hostname(),
    })
}
