//! The parts of a URL that Dozen's rules read, parsed by the WHATWG URL Standard. The worker
//! parses with the `url` crate ([`parse`]); the app passes the browser's own `URL` instead
//! (`app_ui::web_url::parse`), so a page that checks a URL as you type carries no URL parser and
//! no IDNA tables of its own (about 45 KB brotli), while both sides run the same rule on the
//! same parts.

/// An absolute URL, as the URL Standard serializes its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlParts {
    /// The whole URL (`href`).
    pub href: String,
    /// Without the colon: `https`.
    pub scheme: String,
    /// Empty when none.
    pub username: String,
    /// Empty when none.
    pub password: String,
    /// `example.com`, `xn--bcher-kva.example`, `127.0.0.1`, `[::1]`; empty when none.
    pub host: String,
}

/// Parses text as an absolute URL; `None` when it is not one.
pub type UrlParser = fn(&str) -> Option<UrlParts>;

/// The URL Standard as the `url` crate implements it.
pub fn parse(input: &str) -> Option<UrlParts> {
    let url = url::Url::parse(input).ok()?;
    Some(UrlParts {
        href: url.to_string(),
        scheme: url.scheme().to_owned(),
        username: url.username().to_owned(),
        password: url.password().unwrap_or_default().to_owned(),
        host: url.host_str().unwrap_or_default().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_serialized_as_the_url_standard_says() {
        let parts = parse("HTTPS://u:p@Bücher.Example:443/a b?q#f").unwrap();
        assert_eq!(parts.href, "https://u:p@xn--bcher-kva.example/a%20b?q#f");
        assert_eq!(parts.scheme, "https");
        assert_eq!((parts.username.as_str(), parts.password.as_str()), ("u", "p"));
        assert_eq!(parts.host, "xn--bcher-kva.example");
        assert_eq!(parse("http://[::1]:8080/").unwrap().host, "[::1]");
        assert_eq!(parse("mailto:a@example.com").unwrap().host, "");
        assert_eq!(parse("no scheme"), None);
    }
}
