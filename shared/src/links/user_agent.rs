//! What kind of client followed a link, from its `User-Agent` header alone: device type,
//! browser family, OS family, and whether it is a bot or a link-preview fetcher.
//!
//! Hand-written substring rules over the lower-cased header (no regex: this crate is in two
//! wasm bundles). Order matters because browsers borrow each other's names: Edge, Opera and
//! Samsung Internet all say "Chrome", Chrome says "Safari", Android says "Linux".
//! Known limits: iPadOS 13+ in its default "desktop" mode sends the macOS Safari header and is
//! counted as a Mac; Chromium-based browsers that do not name themselves (Brave, Vivaldi…)
//! count as Chrome.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeviceType {
    Desktop,
    Mobile,
    Tablet,
    Bot,
    Unknown,
}

/// A classified click. For a bot, `browser` and `os` are what its header claims to be (a
/// Googlebot smartphone claims Chrome on Android); count bots apart by `is_bot`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientInfo {
    pub device: DeviceType,
    /// One of [`BROWSERS`].
    pub browser: &'static str,
    /// One of [`OPERATING_SYSTEMS`].
    pub os: &'static str,
    pub is_bot: bool,
}

pub const CHROME: &str = "Chrome";
pub const SAFARI: &str = "Safari";
pub const FIREFOX: &str = "Firefox";
pub const EDGE: &str = "Edge";
pub const OPERA: &str = "Opera";
pub const SAMSUNG_INTERNET: &str = "Samsung Internet";
pub const IOS: &str = "iOS";
pub const ANDROID: &str = "Android";
pub const WINDOWS: &str = "Windows";
pub const MACOS: &str = "macOS";
pub const LINUX: &str = "Linux";
pub const CHROME_OS: &str = "ChromeOS";
/// Any browser or OS not named above.
pub const OTHER: &str = "Other";

/// Every value [`ClientInfo::browser`] takes.
pub const BROWSERS: [&str; 7] = [CHROME, SAFARI, FIREFOX, EDGE, OPERA, SAMSUNG_INTERNET, OTHER];
/// Every value [`ClientInfo::os`] takes.
pub const OPERATING_SYSTEMS: [&str; 7] = [IOS, ANDROID, WINDOWS, MACOS, LINUX, CHROME_OS, OTHER];

/// Named crawlers, link-preview fetchers and HTTP libraries (lower case). Pinterest is matched
/// by its crawler tokens only: its in-app browser says "[Pinterest/iOS]" and is a person.
const BOT_TOKENS: &[&str] = &[
    "googlebot",
    "bingbot",
    "duckduckbot",
    "yandexbot",
    "baiduspider",
    "facebookexternalhit",
    "facebot",
    "twitterbot",
    "linkedinbot",
    "slackbot",
    "discordbot",
    "whatsapp",
    "telegrambot",
    "applebot",
    "skypeuripreview",
    "redditbot",
    "pinterestbot",
    "pinterest/0.",
    "embedly",
    "curl",
    "wget",
    "python-requests",
    "python-urllib",
    "python-httpx",
    "aiohttp",
    "go-http-client",
    "okhttp",
    "node-fetch",
    "axios/",
    "java/",
    "libwww-perl",
    "headlesschrome",
    "mastodon/",
    "cardyb",
    "iframely",
    "lighthouse",
];

/// Words that mark a client as automated wherever they appear.
const BOT_WORDS: [&str; 4] = ["bot", "crawler", "spider", "preview"];

/// Phone makers whose model names contain a bot word ("CUBOT_X19" is a phone, not a bot).
const NOT_BOT_WORDS: [&str; 1] = ["cubot"];

pub fn classify(user_agent: &str) -> ClientInfo {
    let ua = user_agent.trim().to_ascii_lowercase();
    if ua.is_empty() {
        return ClientInfo { device: DeviceType::Unknown, browser: OTHER, os: OTHER, is_bot: false };
    }
    let os = os_of(&ua);
    let browser = browser_of(&ua);
    let is_bot = is_bot(&ua);
    let device = if is_bot { DeviceType::Bot } else { device_of(&ua, os) };
    ClientInfo { device, browser, os, is_bot }
}

fn has_any(ua: &str, tokens: &[&str]) -> bool {
    tokens.iter().any(|t| ua.contains(t))
}

fn is_bot(ua: &str) -> bool {
    if has_any(ua, BOT_TOKENS) {
        return true;
    }
    if has_any(ua, &NOT_BOT_WORDS) {
        let mut cleaned = ua.to_owned();
        for word in NOT_BOT_WORDS {
            cleaned = cleaned.replace(word, " ");
        }
        return has_any(&cleaned, &BOT_WORDS);
    }
    has_any(ua, &BOT_WORDS)
}

fn browser_of(ua: &str) -> &'static str {
    // Most specific first: each of these also carries "Chrome/" and "Safari/".
    if has_any(ua, &["edg/", "edge/", "edga/", "edgios/"]) {
        EDGE
    } else if has_any(ua, &["opr/", "opera", "opios/"]) {
        OPERA
    } else if ua.contains("samsungbrowser/") {
        SAMSUNG_INTERNET
    } else if has_any(ua, &["firefox/", "fxios/"]) {
        FIREFOX
    } else if has_any(ua, &["crios/", "chrome/", "chromium/"]) {
        CHROME
    } else if ua.contains("safari/") && !ua.contains("android") {
        // Old Android stock browsers also said "Safari"; they are not Safari.
        SAFARI
    } else {
        OTHER
    }
}

fn os_of(ua: &str) -> &'static str {
    // iOS before macOS ("like Mac OS X"), Android and ChromeOS before Linux (both say "Linux").
    if has_any(ua, &["iphone", "ipad", "ipod"]) {
        IOS
    } else if ua.contains("android") {
        ANDROID
    } else if has_any(ua, &[" cros ", "(cros "]) {
        // With spaces: "Microsoft" contains "cros".
        CHROME_OS
    } else if ua.contains("windows") {
        WINDOWS
    } else if has_any(ua, &["macintosh", "mac os x"]) {
        MACOS
    } else if ua.contains("linux") {
        LINUX
    } else {
        OTHER
    }
}

fn device_of(ua: &str, os: &str) -> DeviceType {
    // iPads say "Mobile" too, so tablets are decided first. "Tablet PC" is an old Windows token.
    let tablet_token = ua.contains("tablet") && !ua.contains("tablet pc");
    if has_any(ua, &["ipad", "kindle", "silk/"]) || tablet_token {
        DeviceType::Tablet
    } else if os == IOS {
        DeviceType::Mobile
    } else if os == ANDROID {
        // Android phones say "Mobile"; Android tablets leave it out.
        if ua.contains("mobile") {
            DeviceType::Mobile
        } else {
            DeviceType::Tablet
        }
    } else if has_any(ua, &["mobile", "opera mini", "windows phone"]) {
        DeviceType::Mobile
    } else if [WINDOWS, MACOS, LINUX, CHROME_OS].contains(&os) {
        DeviceType::Desktop
    } else {
        DeviceType::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::{DeviceType::*, *};

    #[track_caller]
    fn check(ua: &str, device: DeviceType, browser: &str, os: &str) {
        let got = classify(ua);
        assert_eq!(
            (got.device, got.browser, got.os, got.is_bot),
            (device, browser, os, device == Bot),
            "{ua}"
        );
    }

    #[test]
    fn chrome_on_every_platform() {
        check(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
            Desktop, CHROME, WINDOWS,
        );
        check(
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
            Desktop, CHROME, MACOS,
        );
        check(
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
            Desktop, CHROME, LINUX,
        );
        check(
            "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
            Desktop, CHROME, CHROME_OS,
        );
        check(
            "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
            Mobile, CHROME, ANDROID,
        );
        check(
            "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
            Tablet, CHROME, ANDROID,
        );
        check(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1",
            Mobile, CHROME, IOS,
        );
    }

    #[test]
    fn safari_on_mac_iphone_and_ipad() {
        check(
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15",
            Desktop, SAFARI, MACOS,
        );
        check(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1",
            Mobile, SAFARI, IOS,
        );
        check(
            "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1",
            Tablet, SAFARI, IOS,
        );
        check(
            "Mozilla/5.0 (iPod touch; CPU iPhone OS 15_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/15.6 Mobile/15E148 Safari/604.1",
            Mobile, SAFARI, IOS,
        );
    }

    #[test]
    fn firefox_including_ios_and_android_tablets() {
        check(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
            Desktop,
            FIREFOX,
            WINDOWS,
        );
        check(
            "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
            Desktop,
            FIREFOX,
            LINUX,
        );
        check(
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.4; rv:125.0) Gecko/20100101 Firefox/125.0",
            Desktop,
            FIREFOX,
            MACOS,
        );
        check(
            "Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0",
            Mobile,
            FIREFOX,
            ANDROID,
        );
        check(
            "Mozilla/5.0 (Android 14; Tablet; rv:125.0) Gecko/125.0 Firefox/125.0",
            Tablet,
            FIREFOX,
            ANDROID,
        );
        check(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/125.0 Mobile/15E148 Safari/605.1.15",
            Mobile, FIREFOX, IOS,
        );
    }

    #[test]
    fn edge_before_chrome() {
        check(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80",
            Desktop, EDGE, WINDOWS,
        );
        check(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.102 Safari/537.36 Edge/18.19045",
            Desktop, EDGE, WINDOWS,
        );
        check(
            "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36 EdgA/124.0.2478.64",
            Mobile, EDGE, ANDROID,
        );
        check(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 EdgiOS/124.2478.71 Mobile/15E148 Safari/605.1.15",
            Mobile, EDGE, IOS,
        );
    }

    #[test]
    fn opera_before_chrome() {
        check(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0",
            Desktop, OPERA, WINDOWS,
        );
        check(
            "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36 OPR/81.1.4292.78446",
            Mobile, OPERA, ANDROID,
        );
        check("Opera/9.80 (J2ME/MIDP; Opera Mini/4.2.14912/870; U; id) Presto/2.4.15", Mobile, OPERA, OTHER);
    }

    #[test]
    fn samsung_internet_before_chrome() {
        check(
            "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
            Mobile, SAMSUNG_INTERNET, ANDROID,
        );
        check(
            "Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Safari/537.36",
            Tablet, SAMSUNG_INTERNET, ANDROID,
        );
    }

    #[test]
    fn other_browsers_and_in_app_views() {
        check(
            "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko",
            Desktop,
            OTHER,
            WINDOWS,
        );
        check(
            "Mozilla/5.0 (Linux; Android 9; KFTRWI) AppleWebKit/537.36 (KHTML, like Gecko) Silk/124.2.1 like Chrome/124.0.6367.118 Safari/537.36",
            Tablet, CHROME, ANDROID,
        );
        check(
            "Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 Instagram 298.0.0.31.110 Android",
            Mobile, CHROME, ANDROID,
        );
        check(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/459.0.0.37.104;FBBV/577592563;FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/17.4;FBSS/3;FBCR/;FBID/phone;FBLC/en_US;FBOP/80]",
            Mobile, OTHER, IOS,
        );
        check(
            "Mozilla/5.0 (Linux; U; Android 2.3.6; en-us; GT-S5830 Build/GINGERBREAD) AppleWebKit/533.1 (KHTML, like Gecko) Version/4.0 Mobile Safari/533.1",
            Mobile, OTHER, ANDROID,
        );
        check(
            "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)",
            Desktop,
            OTHER,
            WINDOWS,
        );
        check("Mozilla/5.0", Unknown, OTHER, OTHER);
    }

    #[test]
    fn people_whose_headers_look_botty_are_people() {
        check(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [Pinterest/iOS]",
            Mobile, OTHER, IOS,
        );
        check(
            "Mozilla/5.0 (Linux; Android 9; CUBOT_X19) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
            Mobile, CHROME, ANDROID,
        );
    }

    #[test]
    fn empty_header_is_unknown_not_a_bot() {
        for empty in ["", "   "] {
            check(empty, Unknown, OTHER, OTHER);
        }
    }

    #[test]
    fn named_crawlers_and_link_preview_fetchers_are_bots() {
        let bots = [
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
            "DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)",
            "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
            "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
            "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
            "Facebot",
            "Twitterbot/1.0",
            "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
            "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
            "Slackbot 1.0 (+https://api.slack.com/robots)",
            "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
            "WhatsApp/2.23.20.0 A",
            "TelegramBot (like TwitterBot)",
            "Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5 skype-url-preview@microsoft.com",
            "Mozilla/5.0 (compatible; redditbot/1.0; +http://www.reddit.com/feedback)",
            "Pinterest/0.2 (+https://www.pinterest.com/bot.html)",
            "Mozilla/5.0 (compatible; Pinterestbot/1.0; +http://www.pinterest.com/bot.html)",
            "Mozilla/5.0 (compatible; Embedly/0.2; +http://support.embed.ly/)",
            "curl/8.5.0",
            "Wget/1.21.4",
            "python-requests/2.31.0",
            "Go-http-client/2.0",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36",
            "http.rb/5.1.1 (Mastodon/4.2.8; +https://mastodon.social/)",
            "Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)",
        ];
        for ua in bots {
            let got = classify(ua);
            assert!(got.is_bot, "{ua}");
            assert_eq!(got.device, Bot, "{ua}");
        }
    }

    #[test]
    fn bots_keep_what_they_claim_to_be() {
        check(
            "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.118 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            Bot, CHROME, ANDROID,
        );
        check(
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)",
            Bot, SAFARI, MACOS,
        );
    }

    #[test]
    fn generic_bot_words_in_any_case_are_bots() {
        for ua in ["AcmeBOT/1.0", "SomeCrawler/2.1", "my-spider", "Link Preview Service/1.0", "SITEBOT"] {
            assert!(classify(ua).is_bot, "{ua}");
        }
    }

    #[test]
    fn device_type_serialises_in_snake_case() {
        let all = [Desktop, Mobile, Tablet, Bot, Unknown];
        let json = serde_json::to_string(&all).unwrap();
        assert_eq!(json, r#"["desktop","mobile","tablet","bot","unknown"]"#);
        assert_eq!(serde_json::from_str::<Vec<DeviceType>>(&json).unwrap(), all);
    }

    #[test]
    fn every_result_is_one_of_the_listed_names() {
        for ua in ["", "curl/8", "Mozilla/5.0 (Windows NT 10.0) Firefox/1", "x (iPad) y", "PlayStation 5"] {
            let got = classify(ua);
            assert!(BROWSERS.contains(&got.browser) && OPERATING_SYSTEMS.contains(&got.os), "{ua}");
        }
    }
}
