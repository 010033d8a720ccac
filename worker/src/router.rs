//! Route tables: a product lists its endpoints as (method, path pattern, handler), and this
//! module finds the one a request asks for. Patterns are paths whose `{name}` segments match
//! any single segment; a last segment `*` matches whatever follows (none or more segments).

use crate::http::{ApiResult, Cx};
use std::{future::Future, pin::Pin};
use worker::{Method, Request};

/// What an async handler returns when it sits in a table of plain function pointers.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// An endpoint of the project's JSON API: `|req, cx, params| Box::pin(handler(req, cx, …))`.
pub type Handler = for<'a> fn(&'a mut Request, &'a Cx, &'a Params<'a>) -> BoxFuture<'a, ApiResult>;

/// One method on one path pattern, answered by `handler` (by default one of the JSON API's).
pub struct Route<H = Handler> {
    pub method: Method,
    pub path: &'static str,
    pub handler: H,
}

pub const fn get<H>(path: &'static str, handler: H) -> Route<H> {
    Route { method: Method::Get, path, handler }
}

pub const fn post<H>(path: &'static str, handler: H) -> Route<H> {
    Route { method: Method::Post, path, handler }
}

pub const fn put<H>(path: &'static str, handler: H) -> Route<H> {
    Route { method: Method::Put, path, handler }
}

pub const fn patch<H>(path: &'static str, handler: H) -> Route<H> {
    Route { method: Method::Patch, path, handler }
}

pub const fn delete<H>(path: &'static str, handler: H) -> Route<H> {
    Route { method: Method::Delete, path, handler }
}

/// The values of a matched pattern's `{name}` segments.
pub struct Params<'a>(Vec<(&'static str, &'a str)>);

impl<'a> Params<'a> {
    /// The segment the pattern calls `name` ("" if it has none: a table naming a parameter its
    /// pattern lacks gets a value no handler finds anything under).
    pub fn get(&self, name: &str) -> &'a str {
        self.0.iter().find(|(n, _)| *n == name).map_or("", |(_, value)| value)
    }
}

/// What a table makes of a request.
pub enum Lookup<'t, 'p, H> {
    /// The route for this method and path, with the path's parameters.
    Route(&'t Route<H>, Params<'p>),
    /// The path is known, but not with this method: these are the methods it takes.
    OtherMethods(Vec<Method>),
    NotFound,
}

/// The values of `pattern`'s parameters in `path`, if `path` matches it.
fn matches<'p>(pattern: &'static str, path: &'p str) -> Option<Params<'p>> {
    let mut params = Vec::new();
    let mut segments = path.trim_matches('/').split('/');
    for expected in pattern.trim_matches('/').split('/') {
        if expected == "*" {
            return Some(Params(params));
        }
        let segment = segments.next()?;
        match expected.strip_prefix('{').and_then(|e| e.strip_suffix('}')) {
            Some(name) => params.push((name, segment)),
            None if expected == segment => {}
            None => return None,
        }
    }
    segments.next().is_none().then_some(Params(params))
}

/// The route of `tables` (searched in order) for `method` and `path`. HEAD is GET without the
/// body (the runtime drops it), so it finds the GET route. Where a literal segment and a
/// `{param}` both match (`/matches/import` and `/matches/{id}`), only the patterns with the most
/// literal segments count: `GET /matches/import` is 405, not a match called "import".
pub fn find<'t, 'p, H>(tables: &[&'t [Route<H>]], method: &Method, path: &'p str) -> Lookup<'t, 'p, H> {
    let method = if *method == Method::Head { &Method::Get } else { method };
    let literals = |pattern: &str| {
        pattern.split('/').filter(|s| !s.is_empty() && !s.starts_with('{') && *s != "*").count()
    };
    let matched: Vec<(&'t Route<H>, Params<'p>)> = tables
        .iter()
        .flat_map(|table| table.iter())
        .filter_map(|route| matches(route.path, path).map(|params| (route, params)))
        .collect();
    let most = matched.iter().map(|(route, _)| literals(route.path)).max().unwrap_or(0);
    let mut allowed = Vec::new();
    for (route, params) in matched.into_iter().filter(|(route, _)| literals(route.path) == most) {
        if route.method == *method {
            return Lookup::Route(route, params);
        }
        if !allowed.contains(&route.method) {
            allowed.push(route.method.clone());
        }
    }
    if allowed.is_empty() {
        Lookup::NotFound
    } else {
        Lookup::OtherMethods(allowed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Vec<Route<u8>> {
        vec![
            get("/api/links", 1),
            post("/api/links", 2),
            get("/api/links/{code}", 3),
            delete("/api/links/{code}", 4),
            post("/api/pay/reviews/{id}/approve", 5),
            post("/v1/payments/{id}/otp_submit/*", 6),
            post("/api/links/import", 7),
        ]
    }

    fn found(method: Method, path: &str) -> Option<(u8, Vec<(&'static str, String)>)> {
        let table = table();
        match find(&[&table], &method, path) {
            Lookup::Route(route, params) => {
                Some((route.handler, params.0.iter().map(|(n, v)| (*n, (*v).to_owned())).collect()))
            }
            _ => None,
        }
    }

    #[test]
    fn finds_by_method_and_path_with_its_parameters() {
        assert_eq!(found(Method::Get, "/api/links"), Some((1, vec![])));
        assert_eq!(found(Method::Post, "/api/links/"), Some((2, vec![])));
        assert_eq!(found(Method::Delete, "/api/links/Ab3"), Some((4, vec![("code", "Ab3".into())])));
        assert_eq!(found(Method::Post, "/api/pay/reviews/pay_1/approve").map(|f| f.0), Some(5));
        assert_eq!(found(Method::Get, "/api/links/a/b"), None);
    }

    #[test]
    fn a_literal_segment_beats_a_parameter() {
        assert_eq!(found(Method::Post, "/api/links/import").map(|f| f.0), Some(7));
        assert_eq!(found(Method::Get, "/api/links/imports").map(|f| f.0), Some(3));
        let table = table();
        match find(&[&table], &Method::Get, "/api/links/import") {
            Lookup::OtherMethods(methods) => assert_eq!(methods, vec![Method::Post]),
            _ => panic!("GET of a POST-only literal path is 405"),
        }
    }

    #[test]
    fn head_is_get() {
        assert_eq!(found(Method::Head, "/api/links/x").map(|f| f.0), Some(3));
    }

    #[test]
    fn a_star_takes_the_rest() {
        assert_eq!(found(Method::Post, "/v1/payments/pay_1/otp_submit").map(|f| f.0), Some(6));
        assert_eq!(found(Method::Post, "/v1/payments/pay_1/otp_submit/123456").map(|f| f.0), Some(6));
    }

    #[test]
    fn a_known_path_lists_its_methods() {
        let table = table();
        match find(&[&table], &Method::Put, "/api/links/x") {
            Lookup::OtherMethods(methods) => assert_eq!(methods, vec![Method::Get, Method::Delete]),
            _ => panic!("a known path"),
        }
        assert!(matches!(find(&[&table], &Method::Get, "/api/nope"), Lookup::NotFound));
    }
}
