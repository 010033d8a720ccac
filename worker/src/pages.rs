//! Everything outside `/api`: SPA routes get the app shell from the static assets (with a CSP
//! that names its inline loader by hash); any other root path is what short links will be,
//! and until a product claims it, a 404 — a page for browsers, JSON for programs.

use crate::http::{error_response, header, internal, Cx};
use shared::{csp, routes::is_spa_path, ApiError};
use worker::{Headers, Request, Response};

pub async fn serve(req: Request, cx: &Cx) -> Response {
    let path = req.path();
    if is_spa_path(&path) || path == "/index.html" {
        return app_shell(cx).await.unwrap_or_else(|err| error_response(&err));
    }
    not_found(&req, &path)
}

/// `index.html` from the assets, for any SPA route (the router in the app takes it from there).
async fn app_shell(cx: &Cx) -> Result<Response, ApiError> {
    let assets = cx.env.assets("ASSETS").map_err(|e| internal("ASSETS binding", e))?;
    let mut shell = assets
        .fetch(format!("{}/", cx.own_origin), None)
        .await
        .map_err(|e| internal("fetching index.html", e))?;
    if shell.status_code() != 200 {
        return Err(internal(
            "fetching index.html",
            format!("status {} (is dist/ built?)", shell.status_code()),
        ));
    }
    let html = shell.text().await.map_err(|e| internal("reading index.html", e))?;
    let headers = Headers::new();
    let set = |name: &str, value: &str| headers.set(name, value).map_err(|e| internal("headers", e));
    set("Content-Type", "text/html; charset=utf-8")?;
    set("Content-Security-Policy", &csp::spa_policy(&html))?;
    // The shell names hashed assets; it must be revalidated so a deploy is seen at once.
    set("Cache-Control", "no-cache")?;
    Response::ok(html).map(|r| r.with_headers(headers)).map_err(|e| internal("shell response", e))
}

fn wants_html(req: &Request) -> bool {
    header(req, "Accept").is_some_and(|accept| accept.contains("text/html"))
}

fn not_found(req: &Request, path: &str) -> Response {
    let err = ApiError::not_found(format!("Nothing lives at {path}."));
    if !wants_html(req) {
        return error_response(&err);
    }
    let page = format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Not found · Dozen</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh;background:#f7f7f8;color:#18181b}}main{{max-width:32rem;padding:2rem}}a{{color:#4f46e5}}@media (prefers-color-scheme:dark){{body{{background:#111114;color:#e4e4e7}}a{{color:#a5b4fc}}}}</style></head>
<body><main><h1>Nothing here</h1><p>There is no page or short link at <code>{}</code>. Check the address, or go to <a href="/">Dozen's home page</a>.</p></main></body></html>"#,
        escape_html(path)
    );
    let headers = Headers::new();
    let _ = headers.set("Content-Type", "text/html; charset=utf-8");
    let _ = headers.set("Content-Security-Policy", csp::WORKER_PAGE_POLICY);
    Response::ok(page)
        .map(|r| r.with_status(404).with_headers(headers))
        .unwrap_or_else(|_| error_response(&err))
}

fn escape_html(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '&' => "&amp;".to_owned(),
            '<' => "&lt;".to_owned(),
            '>' => "&gt;".to_owned(),
            '"' => "&quot;".to_owned(),
            '\'' => "&#39;".to_owned(),
            c => c.to_string(),
        })
        .collect()
}
