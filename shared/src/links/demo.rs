//! The demo account's links and a month of their clicks: a handful of campaign links whose traffic
//! has a weekly rhythm, a daily rhythm and a launch spike, arriving from search, social and news
//! sites on phones and desktops, with the occasional crawler. Drawn from [`DemoRng`], so the same
//! "now" gives the same month.

use crate::demo::{DemoRng, DAY_MS};

/// One demo link: its alias (the short code), where it goes, its tags, how old it is and how
/// popular (relative weight of the clicks it gets).
#[derive(Debug, Clone, PartialEq)]
pub struct DemoLink {
    pub alias: &'static str,
    pub url: &'static str,
    pub tags: &'static [&'static str],
    pub age_days: i64,
    pub popularity: u32,
}

/// One demo click, as the redirect would have seen it.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoClick {
    /// Index into [`LINKS`].
    pub link: usize,
    pub at_ms: i64,
    /// The Referer header, if any.
    pub referrer: Option<&'static str>,
    pub country: &'static str,
    pub user_agent: &'static str,
    /// An address from the documentation ranges (RFC 5737), so no real visitor is implied.
    pub ip: String,
}

pub const LINKS: &[DemoLink] = &[
    DemoLink {
        alias: "spring-sale",
        url: "https://shop.example.com/collections/spring?utm_source=short&utm_campaign=spring",
        tags: &["campaign", "shop"],
        age_days: 29,
        popularity: 10,
    },
    DemoLink {
        alias: "launch-post",
        url: "https://blog.example.com/2026/introducing-dozen",
        tags: &["blog"],
        age_days: 21,
        popularity: 14,
    },
    DemoLink {
        alias: "docs",
        url: "https://docs.example.com/getting-started",
        tags: &["docs"],
        age_days: 30,
        popularity: 6,
    },
    DemoLink {
        alias: "hiring",
        url: "https://jobs.example.com/openings?team=engineering",
        tags: &["careers"],
        age_days: 18,
        popularity: 3,
    },
    DemoLink {
        alias: "webinar-dec",
        url: "https://events.example.com/webinars/edge-native-apps",
        tags: &["campaign", "events"],
        age_days: 9,
        popularity: 5,
    },
    DemoLink {
        alias: "newsletter",
        url: "https://letters.example.com/subscribe",
        tags: &[],
        age_days: 26,
        popularity: 2,
    },
];

const REFERRERS: &[(Option<&str>, u32)] = &[
    (None, 30),
    (Some("https://www.google.com/"), 18),
    (Some("https://t.co/"), 12),
    (Some("https://news.ycombinator.com/"), 9),
    (Some("https://www.reddit.com/r/rust/"), 7),
    (Some("https://www.linkedin.com/"), 8),
    (Some("https://www.facebook.com/"), 5),
    (Some("https://duckduckgo.com/"), 4),
    (Some("https://mail.google.com/"), 4),
];

const COUNTRIES: &[(&str, u32)] = &[
    ("IN", 30),
    ("US", 24),
    ("GB", 9),
    ("DE", 7),
    ("CA", 5),
    ("SG", 4),
    ("AU", 4),
    ("FR", 4),
    ("BR", 3),
    ("JP", 3),
    ("NL", 2),
];

const USER_AGENTS: &[(&str, u32)] = &[
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", 22),
    ("Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", 20),
    ("Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36", 6),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", 20),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", 6),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15", 10),
    ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", 4),
    ("Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", 3),
    ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", 2),
    ("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", 2),
    ("Mozilla/5.0 (compatible; Twitterbot/1.0)", 1),
];

/// Relative traffic by hour of day (UTC): quiet nights, a working-day plateau, an evening peak.
const HOURLY: [u32; 24] = [2, 1, 1, 1, 2, 3, 5, 7, 9, 10, 10, 9, 9, 10, 10, 9, 9, 10, 12, 13, 12, 9, 6, 4];

/// How many clicks the month has (about 1,500: enough for every chart to have shape, few enough
/// that seeding takes seconds).
pub const MONTH_OF_CLICKS: usize = 1_500;

/// The clicks of the 30 days before `now_ms`, oldest first. A link gets clicks only after it was
/// made; each link's first days after it appeared are its busiest (the launch spike).
pub fn month_of_clicks(now_ms: i64, rng: &mut DemoRng) -> Vec<DemoClick> {
    let weights: Vec<(usize, u32)> = LINKS.iter().enumerate().map(|(i, l)| (i, l.popularity)).collect();
    let hourly: Vec<(u64, u32)> = HOURLY.iter().enumerate().map(|(h, w)| (h as u64, *w)).collect();
    let mut clicks = Vec::with_capacity(MONTH_OF_CLICKS);
    while clicks.len() < MONTH_OF_CLICKS {
        let link = rng.pick(&weights);
        let age = LINKS[link].age_days;
        // Days since the link was made, skewed towards its first days, then a weekend dip.
        let since_made = (age as f64 * rng.unit().powf(1.8)) as i64;
        let day = now_ms / DAY_MS - age + since_made;
        let weekday = (day + 4).rem_euclid(7); // 1970-01-01 was a Thursday (4 with Sunday = 0)
        if (weekday == 0 || weekday == 6) && rng.chance(0.45) {
            continue;
        }
        let hour = rng.pick(&hourly) as i64;
        let at_ms = day * DAY_MS + hour * 3_600_000 + rng.below(3_600_000) as i64;
        if at_ms >= now_ms || at_ms < now_ms - 30 * DAY_MS {
            continue;
        }
        clicks.push(DemoClick {
            link,
            at_ms,
            referrer: rng.pick(REFERRERS),
            country: rng.pick(COUNTRIES),
            user_agent: rng.pick(USER_AGENTS),
            // A returning visitor now and then: the same address and browser on the same day.
            ip: format!(
                "{}.{}",
                ["192.0.2", "198.51.100", "203.0.113"][rng.below(3) as usize],
                rng.below(254) + 1
            ),
        });
    }
    clicks.sort_by_key(|c| c.at_ms);
    clicks
}

/// When a demo link was made, relative to `now_ms`.
pub fn created_at(link: &DemoLink, now_ms: i64) -> i64 {
    now_ms - link.age_days * DAY_MS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::links::{alias::validate_alias, url_rules, user_agent::classify};
    use std::collections::BTreeSet;

    const NOW: i64 = 1_796_000_000_000;

    #[test]
    fn the_same_now_gives_the_same_month() {
        let a = month_of_clicks(NOW, &mut DemoRng::for_product("links"));
        let b = month_of_clicks(NOW, &mut DemoRng::for_product("links"));
        assert_eq!(a, b);
        assert_eq!(a.len(), MONTH_OF_CLICKS);
    }

    #[test]
    fn clicks_fall_in_the_month_and_after_their_link_was_made() {
        for click in month_of_clicks(NOW, &mut DemoRng::for_product("links")) {
            assert!(click.at_ms < NOW && click.at_ms >= NOW - 30 * DAY_MS);
            assert!(click.at_ms >= created_at(&LINKS[click.link], NOW) - DAY_MS);
        }
    }

    #[test]
    fn the_month_is_varied() {
        let clicks = month_of_clicks(NOW, &mut DemoRng::for_product("links"));
        let days: BTreeSet<i64> = clicks.iter().map(|c| c.at_ms / DAY_MS).collect();
        let referrers: BTreeSet<_> = clicks.iter().map(|c| c.referrer).collect();
        let devices: BTreeSet<_> =
            clicks.iter().map(|c| format!("{:?}", classify(c.user_agent).device)).collect();
        let links: BTreeSet<_> = clicks.iter().map(|c| c.link).collect();
        assert!(days.len() >= 28, "{} days", days.len());
        assert_eq!(referrers.len(), REFERRERS.len());
        assert!(devices.len() >= 4, "{devices:?}");
        assert_eq!(links.len(), LINKS.len());
        assert!(clicks.iter().any(|c| classify(c.user_agent).is_bot));
    }

    #[test]
    fn the_links_pass_the_rules_users_follow() {
        for link in LINKS {
            assert_eq!(validate_alias(link.alias).as_deref(), Ok(link.alias));
            assert_eq!(
                url_rules::validate_destination(link.url, &Default::default()).as_deref(),
                Ok(link.url)
            );
        }
    }
}
