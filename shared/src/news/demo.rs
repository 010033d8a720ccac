//! The demo's News (`make dev`): real, well-known pages submitted by the demo account and Chat's
//! demo friends over the last two days, with threads and points like a small community's, so the
//! front page, an item's thread and a profile have something true to show.

/// Who posts: the demo account (`None`) or Chat's demo friend of that index.
pub type Poster = Option<usize>;

pub struct DemoStory {
    pub by: Poster,
    pub title: &'static str,
    pub url: Option<&'static str>,
    pub text: &'static str,
    pub hours_ago: i64,
    pub points: i64,
    /// (by, parent: None for the story or Some(index into this list), text)
    pub comments: &'static [(Poster, Option<usize>, &'static str)],
}

pub const STORIES: &[DemoStory] = &[
    DemoStory {
        by: Some(0),
        title: "Reflections on Trusting Trust (1984)",
        url: Some("https://www.cs.cmu.edu/~rdriley/487/papers/Thompson_1984_ReflectionsonTrustingTrust.pdf"),
        text: "",
        hours_ago: 3,
        points: 212,
        comments: &[
            (Some(1), None, "Still the best three pages on supply-chain attacks ever written."),
            (None, Some(0), "And reproducible builds are the answer we got forty years later."),
            (Some(2), Some(1), "Partly: you still have to trust the toolchain that checks the reproduction."),
            (Some(0), None, "The compiler-inserts-the-backdoor trick is shown in *one* short program."),
        ],
    },
    DemoStory {
        by: None,
        title: "The Rust Programming Language",
        url: Some("https://doc.rust-lang.org/book/"),
        text: "",
        hours_ago: 7,
        points: 143,
        comments: &[
            (Some(2), None, "Chapter 16 on fearless concurrency is what sold our team."),
            (Some(1), Some(0), "Same here; Send and Sync finally made sense to me there."),
        ],
    },
    DemoStory {
        by: Some(1),
        title: "Ask HN: How do you keep a side project going for years?",
        url: None,
        text: "I start a lot of things and finish few. What habits kept yours alive?\n\nSmall releases? Users? A schedule?",
        hours_ago: 5,
        points: 88,
        comments: &[
            (Some(0), None, "Ship something every week, however small. Momentum beats plans."),
            (None, None, "Pick a problem you have yourself: you'll be the user who never leaves."),
            (Some(2), Some(1), "This. My longest-lived project is the one I use every morning."),
        ],
    },
    DemoStory {
        by: Some(2),
        title: "Worse Is Better",
        url: Some("https://www.dreamsongs.com/RiseOfWorseIsBetter.html"),
        text: "",
        hours_ago: 11,
        points: 97,
        comments: &[(Some(1), None, "Read it next to Gabriel's own rebuttals; he argued both sides for years.")],
    },
    DemoStory {
        by: None,
        title: "Show HN: Dozen, twelve products on one edge worker",
        url: None,
        text: "A URL shortener, payments, chat, poker, cricket, lockers and this very site: one Rust codebase, one worker.",
        hours_ago: 2,
        points: 41,
        comments: &[
            (Some(0), None, "How big is the wasm for all twelve?"),
            (None, Some(0), "Each product loads only its own bundle; the size table is in the README."),
        ],
    },
    DemoStory {
        by: Some(0),
        title: "SQLite Is Not a Toy Database",
        url: Some("https://antonz.org/sqlite-is-not-a-toy-database/"),
        text: "",
        hours_ago: 19,
        points: 176,
        comments: &[(Some(2), None, "D1 is SQLite at the edge; this article is its best advertisement.")],
    },
    DemoStory {
        by: Some(1),
        title: "How Hacker News ranking really works: scoring, moderation, and penalties",
        url: Some("http://www.righto.com/2013/11/how-hacker-news-ranking-really-works.html"),
        text: "",
        hours_ago: 26,
        points: 120,
        comments: &[
            (None, None, "The penalties matter more than the formula: most front-page stories carry one."),
            (Some(0), Some(0), "And the flame-war penalty explains why some busy threads sink."),
        ],
    },
    DemoStory {
        by: Some(2),
        title: "The Twelve-Factor App",
        url: Some("https://12factor.net/"),
        text: "",
        hours_ago: 31,
        points: 64,
        comments: &[],
    },
    DemoStory {
        by: None,
        title: "Ask HN: What's the best paper you read this year?",
        url: None,
        text: "Any field. Bonus points for something older than you are.",
        hours_ago: 40,
        points: 57,
        comments: &[
            (Some(1), None, "Lamport's \"Time, Clocks, and the Ordering of Events\". Every year."),
            (Some(2), None, "\"A Relational Model of Data for Large Shared Data Banks\": Codd, 1970."),
        ],
    },
    DemoStory {
        by: Some(0),
        title: "Durable Objects: easy, fast, correct; choose three",
        url: Some("https://blog.cloudflare.com/durable-objects-easy-fast-correct-choose-three/"),
        text: "",
        hours_ago: 45,
        points: 83,
        comments: &[(None, None, "Input and output gates are the clever part: no await ever sees a torn write.")],
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::news::submission::{check_url, clean_text, clean_title, StoryKind};

    #[test]
    fn the_demo_stories_pass_the_rules_real_ones_do() {
        for story in STORIES {
            assert_eq!(clean_title(story.title).unwrap(), story.title);
            if let Some(url) = story.url {
                check_url(url).unwrap();
            }
            clean_text(story.text, "text", story.url.is_none()).unwrap();
            let ask = StoryKind::of(story.title, story.url.is_some()) == StoryKind::Ask;
            assert_eq!(ask, story.title.starts_with("Ask HN"), "{}", story.title);
            for (i, (_, parent, text)) in story.comments.iter().enumerate() {
                assert!(parent.is_none_or(|p| p < i), "a reply follows what it answers");
                clean_text(text, "text", true).unwrap();
            }
        }
    }
}
