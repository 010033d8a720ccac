//! Which paths belong to whom. One list, read by the worker (to hand SPA routes to the static
//! assets and everything else at the root to the short-link resolver) and checked against the
//! service worker's copy by a test, so the three never disagree.

use crate::catalog::PRODUCTS;

/// SPA routes that are not products.
pub const SHELL_ROUTES: [&str; 4] = ["signin", "signup", "account", "offline"];

/// Root files served by the static assets as they are (see `run_worker_first` in wrangler.toml).
pub const STATIC_ROOT_FILES: [&str; 3] = ["manifest.webmanifest", "sw.js", "robots.txt"];

/// Root folders of static assets.
pub const STATIC_ROOT_DIRS: [&str; 2] = ["assets", "icons"];

/// The first path segments of every SPA route (without the home page `/`).
pub fn spa_route_segments() -> impl Iterator<Item = &'static str> {
    PRODUCTS.iter().map(|p| p.slug).chain(SHELL_ROUTES)
}

/// Is `path` (e.g. `/links/abc/stats`) a page of the SPA? The worker answers these with
/// `index.html`; the service worker serves them offline.
pub fn is_spa_path(path: &str) -> bool {
    let first = first_segment(path);
    first.is_empty() || spa_route_segments().any(|s| s == first)
}

/// Root segments no user-chosen name (a short-link alias, a username) may take, because a
/// route, an asset or an API already lives there.
pub fn is_reserved_root_segment(segment: &str) -> bool {
    let segment = segment.to_ascii_lowercase();
    spa_route_segments().any(|s| s == segment)
        || STATIC_ROOT_DIRS.contains(&segment.as_str())
        || STATIC_ROOT_FILES.contains(&segment.as_str())
        || [
            "api",
            "v1",
            "s",
            "admin",
            "static",
            "shorten",
            "health",
            "index.html",
            "favicon.ico",
            ".well-known",
        ]
        .contains(&segment.as_str())
}

fn first_segment(path: &str) -> &str {
    path.trim_start_matches('/').split(['/', '?', '#']).next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn home_products_and_shell_pages_are_spa_routes() {
        for path in ["/", "", "/links", "/links/", "/links/abc/stats", "/signin", "/account?tab=keys"] {
            assert!(is_spa_path(path), "{path}");
        }
    }

    #[test]
    fn api_assets_and_short_codes_are_not() {
        for path in ["/api/health", "/assets/app.js", "/abc1234", "/linksx", "/sw.js", "/index.html"] {
            assert!(!is_spa_path(path), "{path}");
        }
    }

    #[test]
    fn routes_and_assets_are_reserved_case_insensitively() {
        for word in ["links", "API", "Account", "assets", "sw.js", "admin"] {
            assert!(is_reserved_root_segment(word), "{word}");
        }
        assert!(!is_reserved_root_segment("my-launch"));
    }

    /// The service worker keeps its own copy of the route list (it cannot import Rust);
    /// this keeps the copy honest.
    #[test]
    fn service_worker_knows_the_same_spa_routes() {
        let sw = include_str!("../../public/sw.js");
        let line = sw
            .lines()
            .find(|l| l.trim_start().starts_with("const SPA_ROUTES"))
            .expect("public/sw.js declares const SPA_ROUTES = [...]");
        let listed: std::collections::BTreeSet<String> = line
            .split('[')
            .nth(1)
            .and_then(|rest| rest.split(']').next())
            .unwrap()
            .split(',')
            .map(|s| s.trim().trim_matches(|c| c == '"' || c == '\'').to_owned())
            .filter(|s| !s.is_empty())
            .collect();
        let ours: std::collections::BTreeSet<String> = spa_route_segments().map(str::to_owned).collect();
        assert_eq!(listed, ours, "update SPA_ROUTES in public/sw.js");
    }

    /// wrangler.toml lets the assets answer these paths without the worker; the worker's idea
    /// of what is an asset must be the same.
    #[test]
    fn wrangler_sends_exactly_the_static_paths_past_the_worker() {
        let toml = include_str!("../../wrangler.toml");
        let line = toml
            .lines()
            .find(|l| l.starts_with("run_worker_first"))
            .expect("run_worker_first in wrangler.toml");
        let mut listed: Vec<String> = line
            .split(['[', ']', ','])
            .map(|s| s.trim().trim_matches('"').to_owned())
            .filter(|s| s.starts_with("!/"))
            .collect();
        listed.sort();
        let mut ours: Vec<String> = STATIC_ROOT_DIRS
            .iter()
            .map(|d| format!("!/{d}/*"))
            .chain(STATIC_ROOT_FILES.iter().map(|f| format!("!/{f}")))
            .collect();
        ours.sort();
        assert_eq!(listed, ours);
        assert!(line.contains(r#"["/*","#), "the worker runs first for everything else");
    }
}
