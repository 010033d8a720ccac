//! Which destinations a short link may point at, and how a short URL's query string reaches
//! the destination.

use url::{Host, ParseError, Url};

use crate::error::ApiError;

/// Longest destination accepted, in characters, before and after normalisation.
pub const URL_MAX: usize = 2_048;

const FIELD: &str = "url";

/// Hosts the checks compare against. Entries may be written loosely (`Dozen.Link`,
/// `localhost:8787`, `[::1]:8787`, `bücher.example`): case, port, a trailing dot and IDN forms
/// do not matter. Empty entries are ignored.
#[derive(Debug, Clone, Copy, Default)]
pub struct UrlPolicy<'a> {
    /// Our own short domains (the main host and every custom short domain). A destination on
    /// one of them, with or without `www.`, on any port, is refused: it would redirect to itself.
    pub own_hosts: &'a [&'a str],
    /// Refused domains; each also refuses its subdomains (`evil.example` refuses
    /// `a.evil.example`, not `notevil.example`). IP addresses may be listed too.
    pub blocked_domains: &'a [&'a str],
}

/// Checks a destination and returns it normalised as the `url` crate serialises it (lower-case
/// scheme and host, IDN hosts in punycode, default port dropped, `/` path for a bare host,
/// unsafe characters percent-encoded). Surrounding whitespace is ignored.
pub fn validate_destination(input: &str, policy: &UrlPolicy) -> Result<String, ApiError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(ApiError::invalid(FIELD, "Enter the URL to shorten."));
    }
    if input.chars().count() > URL_MAX {
        return Err(ApiError::invalid(FIELD, "The URL is too long: it must be at most 2,048 characters."));
    }
    let url = Url::parse(input).map_err(|e| ApiError::invalid(FIELD, parse_error_message(e)))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ApiError::invalid(
            FIELD,
            format!("Only http:// and https:// links can be shortened, not \"{}:\" links.", url.scheme()),
        ));
    }
    // Unreachable for http(s) in practice (the parser insists on a host), kept as the rule.
    let Some(host) = url.host_str().filter(|h| !h.is_empty()) else {
        return Err(ApiError::invalid(FIELD, "The URL needs a host name, like https://example.com/page."));
    };
    // `https://bank.example@evil.example/` shows a trusted name but goes to evil.example.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ApiError::invalid(
            FIELD,
            "Remove the user name or password before the \"@\" in the URL; links with sign-in details are refused.",
        ));
    }
    let host = comparable(host);
    if policy
        .own_hosts
        .iter()
        .filter_map(|h| policy_host(h))
        .any(|own| without_www(&own) == without_www(&host))
    {
        return Err(ApiError::invalid(
            FIELD,
            "That URL points at this link shortener itself; shortening it would make a redirect loop.",
        ));
    }
    if let Some(blocked) = policy
        .blocked_domains
        .iter()
        .filter_map(|d| policy_host(d))
        .find(|d| host == *d || host.strip_suffix(d.as_str()).is_some_and(|sub| sub.ends_with('.')))
    {
        return Err(ApiError::invalid(
            FIELD,
            format!("Links to {blocked} are not allowed: the domain is on our blocklist."),
        ));
    }
    let normalised = String::from(url);
    if normalised.chars().count() > URL_MAX {
        return Err(ApiError::invalid(
            FIELD,
            "The URL is too long once encoded: it must be at most 2,048 characters.",
        ));
    }
    Ok(normalised)
}

fn parse_error_message(error: ParseError) -> String {
    match error {
        ParseError::RelativeUrlWithoutBase => {
            "Enter a full URL including https://, for example https://example.com/page.".to_owned()
        }
        ParseError::EmptyHost => "The URL needs a host name, like https://example.com/page.".to_owned(),
        ParseError::InvalidPort => {
            "The port number in the URL is not valid (it must be 0 to 65535).".to_owned()
        }
        ParseError::InvalidIpv4Address => "The IPv4 address in the URL is not valid.".to_owned(),
        ParseError::InvalidIpv6Address => "The IPv6 address in the URL is not valid.".to_owned(),
        ParseError::InvalidDomainCharacter | ParseError::IdnaError => {
            "The host name in the URL is not valid; check it for spaces or stray characters.".to_owned()
        }
        _ => "That is not a valid URL; enter one like https://example.com/page.".to_owned(),
    }
}

/// A URL's host as compared: the parser already lower-cased it and converted IDN to punycode;
/// a trailing dot (`example.com.`) names the same host, so it goes too.
fn comparable(host: &str) -> String {
    host.trim_end_matches('.').to_ascii_lowercase()
}

/// A policy entry in the same form as [`comparable`]: without scheme, path and port, IDN in
/// punycode. `None` for an empty entry (which must not match everything).
fn policy_host(entry: &str) -> Option<String> {
    let mut s = entry.trim();
    if let Some((_, rest)) = s.split_once("://") {
        s = rest;
    }
    s = s.split(['/', '?', '#']).next().unwrap_or("");
    let s = if s.starts_with('[') {
        s.find(']').map_or(s, |end| &s[..=end])
    } else {
        s.split(':').next().unwrap_or("")
    };
    let host = match Host::parse(s) {
        Ok(parsed) => parsed.to_string(),
        Err(_) => s.to_owned(),
    };
    let host = comparable(&host);
    (!host.is_empty()).then_some(host)
}

fn without_www(host: &str) -> &str {
    host.strip_prefix("www.").unwrap_or(host)
}

/// Appends the short URL's query string to the destination at redirect time.
///
/// The rule: the destination's own parameters come first, the incoming ones follow, joined
/// with `&`, each kept as sent (a name present in both appears twice, destination's first).
/// An empty incoming query (or a lone `?`) changes nothing. The destination's `#fragment`
/// stays at the end. A leading `?` on `incoming_query` is ignored, and a `#` in it is
/// percent-encoded so it cannot cut the destination's fragment off.
pub fn append_query(destination: &str, incoming_query: &str) -> String {
    let incoming = incoming_query.strip_prefix('?').unwrap_or(incoming_query);
    if incoming.is_empty() {
        return destination.to_owned();
    }
    let incoming = incoming.replace('#', "%23");
    let (base, fragment) = match destination.find('#') {
        Some(at) => destination.split_at(at),
        None => (destination, ""),
    };
    let joiner = match base.find('?') {
        None => "?",
        // `https://x/?` or `https://x/?a=1&`: nothing to separate from.
        Some(_) if base.ends_with('?') || base.ends_with('&') => "",
        Some(_) => "&",
    };
    let mut out = String::with_capacity(base.len() + joiner.len() + incoming.len() + fragment.len());
    out.push_str(base);
    out.push_str(joiner);
    out.push_str(&incoming);
    out.push_str(fragment);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWN: &[&str] = &["dozen.link", "Go.Acme.Example", "localhost:8787", "[::1]:8787"];
    const BLOCKED: &[&str] = &["evil.example", "bücher.example", "203.0.113.7", ""];
    const POLICY: UrlPolicy = UrlPolicy { own_hosts: OWN, blocked_domains: BLOCKED };

    fn ok(input: &str) -> String {
        validate_destination(input, &POLICY).unwrap_or_else(|e| panic!("{input}: {}", e.message))
    }

    fn refusal(input: &str) -> String {
        let err = validate_destination(input, &POLICY).expect_err(input);
        assert_eq!(err.field.as_deref(), Some("url"), "{input}");
        assert_eq!(err.status(), 422);
        err.message
    }

    #[test]
    fn accepts_and_normalises_ordinary_urls() {
        assert_eq!(ok("https://example.com"), "https://example.com/");
        assert_eq!(ok("  https://example.com/a b?q=1#top \n"), "https://example.com/a%20b?q=1#top");
        assert_eq!(ok("http://sub.example.co.uk/path"), "http://sub.example.co.uk/path");
    }

    #[test]
    fn empty_is_refused() {
        for empty in ["", "   ", "\n"] {
            assert!(refusal(empty).contains("Enter the URL"));
        }
    }

    #[test]
    fn at_most_2048_characters() {
        let base = "https://example.com/";
        let exact = format!("{base}{}", "a".repeat(URL_MAX - base.len()));
        assert_eq!(ok(&exact), exact);
        let long = format!("{exact}a");
        assert!(refusal(&long).contains("2,048"));
        // Percent-encoding can push a URL past the limit after parsing.
        let grows = format!("{base}{}", "é".repeat(1_000));
        assert!(refusal(&grows).contains("once encoded"));
    }

    #[test]
    fn must_be_absolute() {
        for relative in ["example.com/page", "www.example.com", "/page", "//example.com/page"] {
            assert!(refusal(relative).contains("full URL"), "{relative}");
        }
    }

    #[test]
    fn only_http_and_https() {
        for (input, scheme) in [
            ("javascript:alert(1)", "javascript:"),
            ("JavaScript:alert(document.cookie)", "javascript:"),
            ("data:text/html,<script>alert(1)</script>", "data:"),
            ("ftp://example.com/file.txt", "ftp:"),
            ("mailto:someone@example.com", "mailto:"),
            ("file:///etc/passwd", "file:"),
        ] {
            let message = refusal(input);
            assert!(message.contains("Only http:// and https://") && message.contains(scheme), "{message}");
        }
    }

    #[test]
    fn uppercase_schemes_and_hosts_are_lowered() {
        assert_eq!(ok("HTTPS://EXAMPLE.COM/Path?Q=V"), "https://example.com/Path?Q=V");
        assert_eq!(ok("Http://Example.com"), "http://example.com/");
    }

    #[test]
    fn needs_a_valid_host() {
        for no_host in ["http://", "https://", "https:///", "https://?q=1"] {
            assert!(refusal(no_host).contains("host name"), "{no_host}");
        }
        assert!(refusal("https://exa mple.com/").contains("host name"));
        assert!(refusal("https://exa<mple.com/").contains("host name"));
    }

    #[test]
    fn own_short_domains_are_refused_in_any_case_with_or_without_www_on_any_port() {
        for loop_url in [
            "https://dozen.link/abc1234",
            "http://DOZEN.LINK/x",
            "https://www.dozen.link/x",
            "https://dozen.link:8443/x",
            "https://dozen.link./x",
            "https://go.acme.example/launch",
            "http://localhost:8787/abc",
            "http://localhost/abc",
            "http://[::1]:8787/abc",
        ] {
            assert!(refusal(loop_url).contains("redirect loop"), "{loop_url}");
        }
        for fine in ["https://notdozen.link/", "https://dozen.link.example/", "https://sub.dozen.link/"] {
            ok(fine);
        }
    }

    #[test]
    fn blocked_domains_and_their_subdomains_are_refused() {
        for blocked in [
            "https://evil.example/",
            "https://a.evil.example/x",
            "https://a.b.EVIL.example/",
            "https://evil.example./",
            "http://evil.example:8080/",
        ] {
            assert!(refusal(blocked).contains("Links to evil.example are not allowed"), "{blocked}");
        }
        ok("https://notevil.example/");
        ok("https://evil.example.org/");
    }

    #[test]
    fn empty_policy_entries_block_nothing() {
        ok("https://example.com/");
        let policy = UrlPolicy { own_hosts: &[""], blocked_domains: &["", "  "] };
        assert!(validate_destination("https://example.com/", &policy).is_ok());
    }

    #[test]
    fn userinfo_is_refused() {
        for phishing in [
            "https://user:pass@example.com/",
            "https://user@example.com/",
            "https://:pass@example.com/",
            "https://paypal.com@example.com/login",
        ] {
            assert!(refusal(phishing).contains("user name or password"), "{phishing}");
        }
    }

    #[test]
    fn idn_hosts_become_punycode_and_match_the_blocklist_in_either_form() {
        assert_eq!(ok("https://münchen.example/straße"), "https://xn--mnchen-3ya.example/stra%C3%9Fe");
        assert!(refusal("https://bücher.example/").contains("blocklist"));
        assert!(refusal("https://xn--bcher-kva.example/").contains("blocklist"));
        assert!(refusal("https://shop.BÜCHER.example/").contains("blocklist"));
    }

    #[test]
    fn ipv4_hosts_are_normalised() {
        assert_eq!(ok("http://192.168.0.1:8080/x"), "http://192.168.0.1:8080/x");
        assert_eq!(ok("http://0x7f.1/"), "http://127.0.0.1/");
        assert!(refusal("http://203.0.113.7/").contains("blocklist"));
        // The same address written in hex is the same host.
        assert!(refusal("http://0xCB.0.113.7/").contains("blocklist"));
        assert!(refusal("http://256.1.1.1/").contains("IPv4"));
    }

    #[test]
    fn ipv6_hosts() {
        assert_eq!(ok("http://[2001:DB8::1]/"), "http://[2001:db8::1]/");
        assert_eq!(ok("https://[2001:db8:0:0:0:0:0:1]:8443/a"), "https://[2001:db8::1]:8443/a");
        assert!(refusal("http://[::1]/").contains("redirect loop"));
        assert!(refusal("http://[2001:db8::zz]/").contains("IPv6"));
    }

    #[test]
    fn ports() {
        assert_eq!(ok("https://example.com:443/"), "https://example.com/");
        assert_eq!(ok("http://example.com:80/"), "http://example.com/");
        assert_eq!(ok("https://example.com:8443/"), "https://example.com:8443/");
        assert!(refusal("https://example.com:99999/").contains("port"));
        assert!(refusal("https://example.com:abc/").contains("port"));
    }

    #[test]
    fn append_query_puts_incoming_parameters_after_the_destinations() {
        assert_eq!(append_query("https://e.com/p", "utm_source=x"), "https://e.com/p?utm_source=x");
        assert_eq!(append_query("https://e.com/p?a=1", "b=2"), "https://e.com/p?a=1&b=2");
        assert_eq!(append_query("https://e.com/p?a=1", "?a=2"), "https://e.com/p?a=1&a=2");
        assert_eq!(append_query("https://e.com/p?", "b=2"), "https://e.com/p?b=2");
        assert_eq!(append_query("https://e.com/p?a=1&", "b=2"), "https://e.com/p?a=1&b=2");
    }

    #[test]
    fn append_query_with_nothing_incoming_changes_nothing() {
        for dest in ["https://e.com/p", "https://e.com/p?a=1#frag"] {
            assert_eq!(append_query(dest, ""), dest);
            assert_eq!(append_query(dest, "?"), dest);
        }
    }

    #[test]
    fn append_query_keeps_the_fragment_last() {
        assert_eq!(append_query("https://e.com/p#sec", "b=2"), "https://e.com/p?b=2#sec");
        assert_eq!(append_query("https://e.com/p?a=1#sec", "b=2"), "https://e.com/p?a=1&b=2#sec");
        assert_eq!(append_query("https://e.com/p?a=1#sec", "b=2#x"), "https://e.com/p?a=1&b=2%23x#sec");
    }
}
