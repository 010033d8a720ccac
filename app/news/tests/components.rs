//! News' pieces in a real browser (headless Chromium via wasm-bindgen-test): text as HN shows
//! it and never as HTML, how long ago, and which comments a fold hides or a permalink shows.

use app_news::{
    text::{ago, is_web_link, Text},
    thread::{shown, subtree},
};
use app_ui::testing::*;
use leptos::prelude::*;
use shared::{news::wire::CommentView, time::Timestamp};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn text_gets_paragraphs_code_italics_and_links_and_markup_stays_text() {
    let root = only_container("data-news-text");
    let typed = "<script>window.pwned = 1</script> and <img src=x onerror=alert(1)>\n\n\
                 *really* see https://example.com/a?b=1, or javascript:alert(1)\n\n  let x = \"<b>\";";
    mount_to(root.clone(), move || view! { <Text text=typed /> }).forget();
    settle().await;
    assert!(root.query_selector("script, img, b").unwrap().is_none(), "{}", root.inner_html());
    let paragraphs = root.query_selector_all("p").unwrap();
    assert_eq!(paragraphs.length(), 2);
    assert!(text(&root, "p").starts_with("<script>window.pwned = 1</script> and <img"));
    assert_eq!(text(&root, "i"), "really");
    let links = root.query_selector_all("a").unwrap();
    assert_eq!(links.length(), 1, "only the http(s) URL is a link");
    assert_eq!(query(&root, "a").get_attribute("href").as_deref(), Some("https://example.com/a?b=1"));
    assert_eq!(query(&root, "a").get_attribute("rel").as_deref(), Some("nofollow noreferrer"));
    assert_eq!(text(&root, "pre code"), "let x = \"<b>\";");
    assert!(js_sys::Reflect::get(&js_sys::global(), &"pwned".into()).unwrap().is_undefined());
}

#[wasm_bindgen_test]
fn only_web_links_are_followed() {
    assert!(is_web_link("https://example.com/"));
    assert!(is_web_link("HTTP://EXAMPLE.COM/"));
    for not in ["javascript:alert(1)", "data:text/html,hi", "//evil.example", "/news", ""] {
        assert!(!is_web_link(not), "{not}");
    }
}

#[wasm_bindgen_test]
fn ages_read_as_hn_says_them() {
    let now = 1_800_000_000_000;
    let min = 60_000;
    assert_eq!(ago(now - 20_000, now), "just now");
    assert_eq!(ago(now - min, now), "1 minute ago");
    assert_eq!(ago(now - 59 * min, now), "59 minutes ago");
    assert_eq!(ago(now - 3 * 60 * min, now), "3 hours ago");
    assert_eq!(ago(now - 24 * 60 * min, now), "1 day ago");
    assert_eq!(ago(now - 45 * 24 * 60 * min, now), "1 month ago");
    assert_eq!(ago(now - 800 * 24 * 60 * min, now), "2 years ago");
    assert_eq!(ago(now + min, now), "just now", "a clock a little behind the worker's");
}

fn comment(id: i64, parent: i64, depth: u32) -> CommentView {
    CommentView {
        id,
        story_id: 1,
        parent,
        depth,
        by: "ann".into(),
        text: format!("comment {id}"),
        created_at: Timestamp(0),
        points: None,
        dead: false,
        deleted: false,
        placeholder: false,
        voted: None,
        unvote_until: None,
        editable: false,
        new: false,
    }
}

#[wasm_bindgen_test]
fn a_fold_counts_the_comment_and_its_replies_and_a_permalink_shows_them_from_depth_zero() {
    // 2 ─ 3 ─ 4, 5 under 2; then 6 at the top.
    let thread =
        vec![comment(2, 1, 0), comment(3, 2, 1), comment(4, 3, 2), comment(5, 2, 1), comment(6, 1, 0)];
    assert_eq!(subtree(&thread, 2), 4);
    assert_eq!(subtree(&thread, 3), 2);
    assert_eq!(subtree(&thread, 6), 1);
    assert_eq!(subtree(&thread, 99), 0);
    let all: Vec<(i64, u32)> = shown(&thread, None).into_iter().map(|(c, d)| (c.id, d)).collect();
    assert_eq!(all, [(2, 0), (3, 1), (4, 2), (5, 1), (6, 0)]);
    let under_3: Vec<(i64, u32)> = shown(&thread, Some(3)).into_iter().map(|(c, d)| (c.id, d)).collect();
    assert_eq!(under_3, [(3, 0), (4, 1)]);
}
