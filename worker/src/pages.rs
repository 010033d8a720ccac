//! Everything outside `/api`: SPA routes get their bundle's `index.html` from the static assets
//! (with a CSP that names its inline loader by hash); any other root path is a short link, or a 404 — a
//! page for browsers, JSON for programs.

use crate::{
    html::{escape_html, page},
    http::{error_response, internal, wants_html, Cx},
    links,
};
use shared::{
    csp,
    home::first_paint_html,
    page_head,
    routes::{bundle_for_path, is_spa_path},
    ApiError,
};
use worker::{Headers, Request, Response};

pub async fn serve(req: Request, cx: &Cx) -> Response {
    let path = req.path();
    // A custom short domain serves only its short links; the main host serves the app too.
    let host = req.url().ok().and_then(|u| u.host_str().map(str::to_owned)).unwrap_or_default();
    let namespace = match links::domains::namespace_for_host(cx, &host).await {
        Ok(namespace) => namespace,
        Err(err) => return error_response(&err),
    };
    if namespace.is_empty() && (is_spa_path(&path) || path == "/index.html") {
        return app_page(cx, &path).await.unwrap_or_else(|err| error_response(&err));
    }
    let wants_html = wants_html(&req);
    match links::redirect::serve(req, cx, &namespace).await {
        Some(response) => response,
        None => not_found(wants_html, &path),
    }
}

/// The `index.html` of the app bundle that owns an SPA route (scripts/build-app.mjs puts each at
/// `/assets/<bundle>/`); that bundle's router takes it from there.
async fn app_page(cx: &Cx, path: &str) -> Result<Response, ApiError> {
    let bundle = bundle_for_path(path);
    let assets = cx.env.assets("ASSETS").map_err(|e| internal("ASSETS binding", e))?;
    let context = format!("fetching the {bundle} bundle's index.html");
    let mut page = assets
        .fetch(format!("{}/assets/{bundle}/", cx.own_origin), None)
        .await
        .map_err(|e| internal(&context, e))?;
    if page.status_code() != 200 {
        return Err(internal(&context, format!("status {} (is dist/ built?)", page.status_code())));
    }
    let mut html = page.text().await.map_err(|e| internal(&context, e))?;
    if path == "/" {
        html = with_first_paint(&html, &first_paint_html());
    } else if let Some(head) = page_head::for_path(path) {
        html = with_first_paint(&html, &head.html());
    }
    let headers = Headers::new();
    let set = |name: &str, value: &str| headers.set(name, value).map_err(|e| internal("headers", e));
    set("Content-Type", "text/html; charset=utf-8")?;
    set("Content-Security-Policy", &csp::spa_policy(&html))?;
    // The page names hashed assets; it must be revalidated so a deploy is seen at once.
    set("Cache-Control", "no-cache")?;
    Response::ok(html).map(|r| r.with_headers(headers)).map_err(|e| internal("page response", e))
}

/// What the page shows before its bundle's wasm has loaded, in place of the template's empty
/// frame: the home page's content (`shared::home`), a main page's head (`shared::page_head`).
fn with_first_paint(html: &str, content: &str) -> String {
    const EMPTY_FRAME: &str = r#"<main class="page-loading" aria-busy="true"></main>"#;
    html.replacen(EMPTY_FRAME, &format!(r#"<main class="page-loading">{content}</main>"#), 1)
}

fn not_found(wants_html: bool, path: &str) -> Response {
    let err = ApiError::not_found(format!("Nothing lives at {path}."));
    if !wants_html {
        return error_response(&err);
    }
    let body = format!(
        r#"<p>There is no page or short link at <code>{}</code>. Check the address, or go to <a href="/">Dozen's home page</a>.</p>"#,
        escape_html(path)
    );
    page(404, "Nothing here", &body)
}
