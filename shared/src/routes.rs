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

/// The app is built as separate bundles (app/bundles.json): the shell (home, sign-in, account,
/// the pages of products not built yet) and one per product, so a page loads only its own
/// product's code. Each row is a path prefix and the bundle that owns it; the first match wins,
/// so longer prefixes come first. A prefix ending in `/` matches paths under it; any other
/// matches the path itself and the paths under it (`/pay` owns `/pay` and `/pay/x`, not `/payx`).
pub const BUNDLE_ROUTES: [(&str, &str); 16] = [
    // What a paying customer opens on a phone never carries the merchant's dashboard.
    ("/pay/checkout/", "pay-checkout"),
    ("/pay/link/", "pay-checkout"),
    ("/pay/subscription/", "pay-checkout"),
    ("/pay", "pay"),
    ("/links", "links"),
    ("/chat", "chat"),
    // A calculator that needs none of a table's code.
    ("/poker/odds", "poker-odds"),
    // Deposits and withdrawals, opened from the lobby and from Pay's checkout coming back.
    ("/poker/wallet", "poker-wallet"),
    // The admins' collusion signals.
    ("/poker/admin", "poker-admin"),
    // A player's statistics and chart, opened from the lobby.
    ("/poker/players", "poker-stats"),
    ("/poker", "poker"),
    ("/lockers", "lockers"),
    // The scorer's console and making a match: what only scorers need, kept from the fans' pages.
    ("/cricket/score", "cricket-scorer"),
    ("/cricket", "cricket"),
    ("/news", "news"),
    // Kept out of the shell, so the home page a first-time visitor opens stays small.
    ("/account", "account"),
];

/// The bundle of the home page, the account pages and everything no product claims.
pub const SHELL_BUNDLE: &str = "shell";

/// The bundle whose `index.html` answers the SPA route `path`.
pub fn bundle_for_path(path: &str) -> &'static str {
    let path = path.split(['?', '#']).next().unwrap_or("");
    BUNDLE_ROUTES
        .iter()
        .find(|(prefix, _)| match prefix.strip_suffix('/') {
            Some(_) => path.starts_with(prefix),
            None => path == *prefix || path.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('/')),
        })
        .map_or(SHELL_BUNDLE, |(_, bundle)| bundle)
}

/// Bundles no route opens: a page imports them when it needs them (Chat's encryption), so a
/// first visit never fetches them.
pub const ON_DEMAND_BUNDLES: [&str; 1] = ["chat-vault"];

/// Every bundle's name, the shell first.
pub fn bundle_names() -> Vec<&'static str> {
    let mut names = vec![SHELL_BUNDLE];
    for bundle in BUNDLE_ROUTES.iter().map(|(_, b)| *b).chain(ON_DEMAND_BUNDLES) {
        if !names.contains(&bundle) {
            names.push(bundle);
        }
    }
    names
}

/// A path on this site to go to after signing in (`?next=`), or `None`. Only a path that every
/// URL parser reads as this site's passes: no `//host`, and no `\`, spaces or control characters
/// (browsers read `/\evil.example` and `/<tab>/evil.example` as another host).
pub fn safe_next_path(next: &str) -> Option<&str> {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.chars().any(|c| c == '\\' || c.is_whitespace() || c.is_control());
    local.then_some(next)
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

    #[test]
    fn only_this_sites_paths_are_followed_after_sign_in() {
        for ok in ["/", "/links", "/account?tab=keys", "/pay/checkout/order_1#x"] {
            assert_eq!(safe_next_path(ok), Some(ok));
        }
        for bad in [
            "",
            "links",
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/ /x",
            "https://evil.example",
        ] {
            assert_eq!(safe_next_path(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn each_path_belongs_to_one_bundle() {
        for (path, bundle) in [
            ("/", "shell"),
            ("/signin", "shell"),
            ("/account", "account"),
            ("/account?tab=keys", "account"),
            ("/stays", "shell"),
            ("/links", "links"),
            ("/links/", "links"),
            ("/links/abc/stats?tz=+01:00", "links"),
            ("/linksx", "shell"),
            ("/pay", "pay"),
            ("/pay?tab=keys", "pay"),
            ("/pay/checkout/order_1", "pay-checkout"),
            ("/pay/link/plink_1", "pay-checkout"),
            ("/pay/subscription/sub_1", "pay-checkout"),
            ("/pay/checkout", "pay"),
            ("/payx", "shell"),
            ("/chat", "chat"),
            ("/chat/c_1?at=4", "chat"),
            ("/poker", "poker"),
            ("/poker/tables/t_1", "poker"),
            ("/poker/odds?hands=AsAh,KdKc", "poker-odds"),
            ("/poker/oddsx", "poker"),
            ("/poker/wallet?razorpay_payment_id=pay_1", "poker-wallet"),
            ("/poker/admin?player=ann", "poker-admin"),
            ("/poker/players/ann", "poker-stats"),
            ("/lockers/kiosk/b_1", "lockers"),
            ("/cricket/matches/m_1", "cricket"),
            ("/cricket/score/m_1", "cricket-scorer"),
            ("/cricket/score/new", "cricket-scorer"),
            ("/cricket/scores", "cricket"),
            ("/news", "news"),
            ("/news/item/8863", "news"),
            ("/news/user/pg?id=1", "news"),
            ("/newsx", "shell"),
        ] {
            assert_eq!(bundle_for_path(path), bundle, "{path}");
        }
        assert_eq!(
            bundle_names(),
            [
                "shell",
                "pay-checkout",
                "pay",
                "links",
                "chat",
                "poker-odds",
                "poker-wallet",
                "poker-admin",
                "poker-stats",
                "poker",
                "lockers",
                "cricket-scorer",
                "cricket",
                "news",
                "account",
                "chat-vault"
            ]
        );
    }

    /// The app's build (scripts/build-app.mjs) and the service worker read the bundles from
    /// app/bundles.json; it must say what this table says.
    #[test]
    fn the_app_build_knows_the_same_bundles_and_routes() {
        let json: serde_json::Value = serde_json::from_str(include_str!("../../app/bundles.json")).unwrap();
        let bundles = json["bundles"].as_object().expect("app/bundles.json has \"bundles\"");
        let mut listed: Vec<&str> = bundles.keys().map(String::as_str).collect();
        let mut ours = bundle_names();
        listed.sort();
        ours.sort();
        assert_eq!(listed, ours, "app/bundles.json names every bundle");
        let routes: Vec<(String, String)> = json["routes"]
            .as_array()
            .expect("app/bundles.json has \"routes\"")
            .iter()
            .map(|row| (row[0].as_str().unwrap().to_owned(), row[1].as_str().unwrap().to_owned()))
            .collect();
        let ours: Vec<(String, String)> =
            BUNDLE_ROUTES.iter().map(|(p, b)| (p.to_string(), b.to_string())).collect();
        assert_eq!(routes, ours, "app/bundles.json's routes, in the same order");
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
