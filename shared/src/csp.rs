//! Content-Security-Policy. The SPA's `index.html` has one inline module script (Trunk's
//! loader); rather than allow inline scripts, the policy names that script by its SHA-256, which
//! the worker computes from the very `index.html` it serves, so a new build never needs a hand edit.

use base64::{engine::general_purpose::STANDARD, Engine};
use sha2::{Digest, Sha256};

/// For JSON responses: nothing may load, nothing may frame.
pub const API_POLICY: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// For pages the worker renders itself (the 404 and, later, short-link pages): its own
/// stylesheet, no scripts.
pub const WORKER_PAGE_POLICY: &str =
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// `'sha256-…'` sources for every inline `<script>` (one without `src`) in `html`.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after_tag = &rest[start..];
        let Some(tag_end) = after_tag.find('>') else { break };
        let tag = &after_tag[..tag_end];
        let body_and_more = &after_tag[tag_end + 1..];
        let Some(close) = body_and_more.find("</script>") else { break };
        if !tag.contains(" src=") {
            let digest = Sha256::digest(&body_and_more.as_bytes()[..close]);
            hashes.push(format!("'sha256-{}'", STANDARD.encode(digest)));
        }
        rest = &body_and_more[close..];
    }
    hashes
}

/// The policy for the SPA shell: scripts only from our origin or the exact inline loader,
/// WebAssembly compilation allowed, API calls and WebSockets to our origin only.
pub fn spa_policy(index_html: &str) -> String {
    let inline = inline_script_hashes(index_html).join(" ");
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {inline}; style-src 'self'; \
         img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; font-src 'self'; \
         manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_exactly_the_inline_scripts() {
        let html = r#"<html><head><script src="/x.js"></script><script type="module">import init from '/a.js';init();</script></head>
<body><script>alert(1)</script></body></html>"#;
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 2);
        // echo -n "alert(1)" | openssl dgst -sha256 -binary | base64
        assert_eq!(hashes[1], "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='");
        let policy = spa_policy(html);
        assert!(policy.contains(&hashes[0]) && policy.contains("'wasm-unsafe-eval'"));
        assert!(!policy.contains("unsafe-inline"));
    }

    #[test]
    fn a_page_without_inline_scripts_allows_none() {
        assert!(inline_script_hashes("<p>hi</p><script").is_empty());
        assert!(spa_policy("<p>hi</p>").contains("script-src 'self' 'wasm-unsafe-eval' ;"));
    }
}
