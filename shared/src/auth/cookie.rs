//! The session cookie and the cross-site check for cookie-authenticated mutations.

/// The cookie that carries the session token.
pub const SESSION_COOKIE: &str = "dozen_session";

/// `Set-Cookie` for a new session: HttpOnly, SameSite=Lax, and Secure everywhere but a
/// plain-HTTP localhost (where browsers would drop a Secure cookie).
pub fn session_set_cookie(token: &str, max_age_secs: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}")
}

/// `Set-Cookie` that removes the session cookie.
pub fn session_clear_cookie(secure: bool) -> String {
    session_set_cookie("", 0, secure)
}

/// Whether to mark cookies Secure for a request to `host` (the `Host` header, maybe with a port).
pub fn cookie_should_be_secure(host: &str, scheme_is_https: bool) -> bool {
    let name = host.rsplit_once(':').map_or(host, |(name, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) {
            name
        } else {
            host
        }
    });
    scheme_is_https || !matches!(name, "localhost" | "127.0.0.1" | "[::1]")
}

/// The value of cookie `name` in a `Cookie` header.
pub fn find_cookie<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (key, value) = pair.trim().split_once('=')?;
        (key == name).then_some(value).filter(|v| !v.is_empty())
    })
}

/// A cookie-authenticated, state-changing request must come from our own pages. Browsers send
/// `Sec-Fetch-Site` and `Origin` with such requests; either one pointing elsewhere refuses it.
/// (SameSite=Lax already keeps the cookie off cross-site POSTs; this holds for same-site
/// sibling domains and older browsers too.)
pub fn is_cross_site(own_origin: &str, origin: Option<&str>, sec_fetch_site: Option<&str>) -> bool {
    let foreign_fetch = sec_fetch_site.is_some_and(|s| !matches!(s, "same-origin" | "none"));
    let foreign_origin = origin.is_some_and(|o| !o.eq_ignore_ascii_case(own_origin));
    foreign_fetch || foreign_origin
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_attributes() {
        let c = session_set_cookie("tok", 60, true);
        assert_eq!(c, "dozen_session=tok; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure");
        assert!(!session_set_cookie("tok", 60, false).contains("Secure"));
        assert!(session_clear_cookie(false).contains("Max-Age=0"));
    }

    #[test]
    fn secure_outside_localhost() {
        assert!(!cookie_should_be_secure("localhost:8787", false));
        assert!(!cookie_should_be_secure("127.0.0.1:9000", false));
        assert!(cookie_should_be_secure("localhost:8787", true));
        assert!(cookie_should_be_secure("dozen.example", false));
        assert!(cookie_should_be_secure("localhost.evil.example", false));
    }

    #[test]
    fn finds_cookie_values() {
        let header = "a=1; dozen_session=xyz; b=2";
        assert_eq!(find_cookie(header, SESSION_COOKIE), Some("xyz"));
        assert_eq!(find_cookie("dozen_session=", SESSION_COOKIE), None);
        assert_eq!(find_cookie("xdozen_session=1", SESSION_COOKIE), None);
    }

    #[test]
    fn cross_site_detection() {
        let own = "http://localhost:8787";
        assert!(!is_cross_site(own, Some(own), Some("same-origin")));
        assert!(!is_cross_site(own, None, None), "non-browser clients send neither");
        assert!(is_cross_site(own, Some("https://evil.example"), None));
        assert!(is_cross_site(own, None, Some("cross-site")));
        assert!(is_cross_site(own, Some(own), Some("same-site")));
    }
}
