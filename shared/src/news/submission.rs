//! What a submission may be: its title's rules, its kind (a link, Ask HN or Show HN), its URL
//! checked and reduced to the key that finds a duplicate, the site shown beside it, and the
//! limits of a text.

use serde::{Deserialize, Serialize};
use url::Url;

use super::DAY_MS;
use crate::error::ApiError;

/// HN's limit.
pub const TITLE_MAX: usize = 80;
pub const URL_MAX: usize = 2_048;
pub const TEXT_MAX: usize = 10_000;
/// A link submitted again within this long goes to the story already there.
pub const DUPLICATE_WINDOW_MS: i64 = 30 * DAY_MS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StoryKind {
    Link,
    Ask,
    Show,
}

impl StoryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StoryKind::Link => "link",
            StoryKind::Ask => "ask",
            StoryKind::Show => "show",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "link" => Some(StoryKind::Link),
            "ask" => Some(StoryKind::Ask),
            "show" => Some(StoryKind::Show),
            _ => None,
        }
    }

    /// "Show HN: …" is a Show whatever it carries; anything else without a URL is an Ask.
    pub fn of(title: &str, has_url: bool) -> Self {
        let lower = title.to_lowercase();
        if lower.starts_with("show hn") {
            StoryKind::Show
        } else if !has_url || lower.starts_with("ask hn") {
            StoryKind::Ask
        } else {
            StoryKind::Link
        }
    }
}

/// A title as stored: trimmed, inner whitespace collapsed, control characters refused, 1 to 80
/// characters, and not shouted.
pub fn clean_title(raw: &str) -> Result<String, ApiError> {
    const FIELD: &str = "title";
    if raw.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        return Err(ApiError::invalid(FIELD, "The title has a control character in it."));
    }
    let title = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if title.is_empty() {
        return Err(ApiError::invalid(FIELD, "Give the story a title."));
    }
    let length = title.chars().count();
    if length > TITLE_MAX {
        return Err(ApiError::invalid(
            FIELD,
            format!("The title is {length} characters long; the limit is {TITLE_MAX}."),
        ));
    }
    if is_shouted(&title) {
        return Err(ApiError::invalid(
            FIELD,
            "Please don't shout: write the title in normal case (acronyms are fine).",
        ));
    }
    Ok(title)
}

/// Mostly capitals, over enough letters that it is not just an acronym or two.
fn is_shouted(title: &str) -> bool {
    let cased: Vec<bool> =
        title.chars().filter(|c| c.is_uppercase() || c.is_lowercase()).map(char::is_uppercase).collect();
    let upper = cased.iter().filter(|u| **u).count();
    cased.len() >= 12 && upper * 4 > cased.len() * 3
}

/// A submitted URL, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryUrl {
    /// As stored and linked to: the `url` crate's serialisation (lower-case scheme and host,
    /// punycode, default port dropped).
    pub url: String,
    /// What finds a duplicate: no scheme, no `www.`, no fragment, no tracking parameters, the
    /// rest of the query sorted, no trailing slash.
    pub key: String,
    /// The site shown beside the title, HN style: the host without `www.`, plus the first path
    /// segment on hosts where that names the author (github.com/rust-lang).
    pub site: String,
}

/// Query parameters that only say where a click came from.
fn is_tracking(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.starts_with("utm_")
        || matches!(
            name.as_str(),
            "fbclid"
                | "gclid"
                | "dclid"
                | "msclkid"
                | "mc_cid"
                | "mc_eid"
                | "ref"
                | "ref_src"
                | "igshid"
                | "si"
        )
}

/// Hosts whose first path segment is the author or project, shown as part of the site.
const SITES_BY_OWNER: &[&str] =
    &["github.com", "gitlab.com", "codeberg.org", "x.com", "twitter.com", "medium.com"];

pub fn check_url(raw: &str) -> Result<StoryUrl, ApiError> {
    const FIELD: &str = "url";
    let raw = raw.trim();
    if raw.chars().count() > URL_MAX {
        return Err(ApiError::invalid(FIELD, format!("The URL is longer than {URL_MAX} characters.")));
    }
    let url = Url::parse(raw).map_err(|_| {
        ApiError::invalid(FIELD, "That is not a URL: write it in full, like https://example.com/post.")
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ApiError::invalid(FIELD, "Only http:// and https:// links can be submitted."));
    }
    let Some(host) = url.host_str().filter(|h| !h.is_empty()) else {
        return Err(ApiError::invalid(FIELD, "The URL needs a host name."));
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ApiError::invalid(FIELD, "Remove the user name or password from the URL."));
    }
    let host = host.trim_end_matches('.').to_owned();
    let bare_host = host.strip_prefix("www.").unwrap_or(&host).to_owned();
    let path = url.path().trim_end_matches('/');
    let mut query: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(name, _)| !is_tracking(name))
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect();
    query.sort();
    let mut key = match url.port() {
        Some(port) => format!("{bare_host}:{port}{path}"),
        None => format!("{bare_host}{path}"),
    };
    if !query.is_empty() {
        let pairs: Vec<String> = query.iter().map(|(n, v)| format!("{n}={v}")).collect();
        key.push('?');
        key.push_str(&pairs.join("&"));
    }
    let owner = url.path_segments().and_then(|mut s| s.next()).filter(|s| !s.is_empty());
    let site = match owner {
        Some(owner) if SITES_BY_OWNER.contains(&bare_host.as_str()) => format!("{bare_host}/{owner}"),
        _ => bare_host,
    };
    Ok(StoryUrl { url: url.to_string(), key, site })
}

/// The text of an Ask, a Show or a comment: trimmed, not empty when required, within the limit.
pub fn clean_text(raw: &str, field: &str, required: bool) -> Result<String, ApiError> {
    let text = raw.trim().replace("\r\n", "\n");
    if text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(ApiError::invalid(field, "The text has a control character in it."));
    }
    if required && text.is_empty() {
        return Err(ApiError::invalid(field, "Write something first."));
    }
    let length = text.chars().count();
    if length > TEXT_MAX {
        return Err(ApiError::invalid(
            field,
            format!("The text is {length} characters; the limit is {TEXT_MAX}."),
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_tidied_and_checked() {
        assert_eq!(clean_title("  Rust   1.80\tis out ").unwrap(), "Rust 1.80 is out");
        assert!(clean_title("   ").is_err());
        assert!(clean_title(&"a".repeat(81)).is_err());
        assert_eq!(clean_title(&"é".repeat(80)).unwrap().chars().count(), 80, "characters, not bytes");
        assert!(clean_title("bell\u{7} title").is_err());
        let shouted = clean_title("THIS IS THE BEST LIBRARY EVER").unwrap_err();
        assert_eq!(shouted.field.as_deref(), Some("title"));
        assert!(clean_title("NASA's JWST finds CO2 on a distant world").is_ok(), "acronyms are not shouting");
        assert!(clean_title("WHY GO").is_ok(), "too few letters to call it shouting");
    }

    #[test]
    fn the_kind_follows_the_title_and_the_url() {
        assert_eq!(StoryKind::of("Show HN: A tiny database", true), StoryKind::Show);
        assert_eq!(StoryKind::of("show hn: text only", false), StoryKind::Show);
        assert_eq!(StoryKind::of("Ask HN: How do you test?", false), StoryKind::Ask);
        assert_eq!(StoryKind::of("Something to discuss", false), StoryKind::Ask);
        assert_eq!(StoryKind::of("A link", true), StoryKind::Link);
        for kind in [StoryKind::Link, StoryKind::Ask, StoryKind::Show] {
            assert_eq!(StoryKind::parse(kind.as_str()), Some(kind));
        }
    }

    #[test]
    fn the_same_page_written_differently_has_one_key() {
        let key = |u: &str| check_url(u).unwrap().key;
        let canonical = key("https://example.com/post/1");
        for same in [
            "http://example.com/post/1",
            "https://www.example.com/post/1/",
            "https://EXAMPLE.com/post/1#comments",
            "https://example.com/post/1?utm_source=hn&utm_medium=social",
            "https://example.com./post/1?fbclid=abc",
        ] {
            assert_eq!(key(same), canonical, "{same}");
        }
        assert_eq!(key("https://example.com/p?b=2&a=1"), key("https://example.com/p?a=1&b=2&ref=hn"));
        assert_ne!(key("https://example.com/post/2"), canonical);
        assert_ne!(key("https://example.com/p?id=1"), key("https://example.com/p?id=2"));
        assert_ne!(key("https://example.com:8443/post/1"), canonical);
        assert_ne!(key("https://blog.example.com/post/1"), canonical, "subdomains are other sites");
    }

    #[test]
    fn the_site_is_the_host_or_the_owner_on_a_code_host() {
        assert_eq!(check_url("https://www.example.com/a/b").unwrap().site, "example.com");
        assert_eq!(check_url("https://github.com/rust-lang/rust").unwrap().site, "github.com/rust-lang");
        assert_eq!(check_url("https://github.com/").unwrap().site, "github.com");
        assert_eq!(check_url("https://BÜCHER.example/x").unwrap().site, "xn--bcher-kva.example");
    }

    #[test]
    fn bad_urls_are_refused_with_the_field_named() {
        for bad in
            ["", "not a url", "javascript:alert(1)", "ftp://example.com/f", "https://user:pw@example.com/"]
        {
            let err = check_url(bad).unwrap_err();
            assert_eq!(err.field.as_deref(), Some("url"), "{bad}");
        }
        assert!(check_url(&format!("https://example.com/{}", "a".repeat(URL_MAX))).is_err());
    }

    #[test]
    fn texts_are_trimmed_and_limited() {
        assert_eq!(clean_text("  hi\r\nthere ", "text", true).unwrap(), "hi\nthere");
        assert!(clean_text("   ", "text", true).is_err());
        assert_eq!(clean_text("", "text", false).unwrap(), "");
        assert!(clean_text(&"x".repeat(TEXT_MAX + 1), "text", false).is_err());
        assert!(clean_text("nul\u{0}", "text", false).is_err());
    }
}
