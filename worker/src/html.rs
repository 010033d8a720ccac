//! Small pages the worker renders itself (no app shell: they must be fast and work without
//! JavaScript): the 404, an expired link, a link's password form.

use crate::http::{error_response, internal};
use shared::csp;
use worker::{Headers, Response};

pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// A page with Dozen's minimal style, `title` as its heading and `body_html` (already escaped).
pub fn page(status: u16, title: &str, body_html: &str) -> Response {
    let html = format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>{title} · Dozen</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh;background:#f7f7f8;color:#18181b}}main{{max-width:26rem;padding:2rem}}a{{color:#4f46e5}}label{{display:block;font-weight:600;margin:1rem 0 .25rem}}input{{font:inherit;width:100%;box-sizing:border-box;padding:.6rem .75rem;border:1px solid #d4d4d8;border-radius:10px}}button{{font:inherit;font-weight:600;margin-top:.75rem;padding:.6rem 1rem;border:0;border-radius:10px;background:#4f46e5;color:#fff;cursor:pointer}}.error{{color:#b91c1c}}@media (prefers-color-scheme:dark){{body{{background:#111114;color:#e4e4e7}}input{{background:#1c1c21;color:#e4e4e7;border-color:#3f3f46}}a{{color:#a5b4fc}}}}</style></head>
<body><main><h1>{title}</h1>{body_html}</main></body></html>"#,
        title = escape_html(title),
    );
    let headers = Headers::new();
    let _ = headers.set("Content-Type", "text/html; charset=utf-8");
    let _ = headers.set("Content-Security-Policy", csp::WORKER_PAGE_POLICY);
    let _ = headers.set("Cache-Control", "no-store");
    Response::ok(html)
        .map(|r| r.with_status(status).with_headers(headers))
        .unwrap_or_else(|e| error_response(&internal("page response", e)))
}
