//! The demo's News (`shared::news::demo`): its stories and threads written like a person's
//! (`store::insert_story`, `store::insert_comment`), backdated over two days, then given the
//! points a small community would have voted them, and their authors the karma that follows.

use super::store::{self, NewComment, NewStory, Stored};
use crate::{
    d1::{num, run, text},
    http::OrInternal,
    product::JobResult,
};
use shared::{
    chat::demo::FRIENDS,
    demo::DEMO_USER_ID,
    news::{
        demo::{Poster, STORIES},
        submission::{check_url, StoryKind},
        HOUR_MS,
    },
};
use worker::Env;

/// Minutes between a thread's demo comments.
const COMMENT_GAP_MS: i64 = 7 * 60_000;

fn author(poster: Poster) -> &'static str {
    poster.map_or(DEMO_USER_ID, |i| FRIENDS[i].id)
}

pub async fn seed(env: &Env, now_ms: i64) -> JobResult {
    let db = env.d1("DB").internal("D1 binding")?;
    let mut rows = 0;
    for demo in STORIES {
        let url = demo.url.map(check_url).transpose()?;
        let posted_ms = now_ms - demo.hours_ago * HOUR_MS;
        let story = NewStory {
            kind: StoryKind::of(demo.title, url.is_some()),
            author_id: author(demo.by),
            title: demo.title,
            url: url.as_ref().map(|u| u.url.as_str()),
            url_key: url.as_ref().map(|u| u.key.as_str()),
            site: url.as_ref().map(|u| u.site.as_str()),
            text: demo.text,
            dead: false,
            hourly_limit: u32::MAX,
            now_ms: posted_ms,
        };
        // A seed that failed halfway runs again: what it stored then is not stored twice.
        let title_taken = crate::d1::count(
            &db,
            "SELECT COUNT(*) AS n FROM news_items WHERE author_id = ?1 AND title = ?2",
            &[text(story.author_id), text(demo.title)],
        )
        .await?;
        if title_taken > 0 {
            continue;
        }
        let Stored::New(story_id) = store::insert_story(&db, &story).await? else { continue };
        run(&db, "UPDATE news_items SET points = ?2 WHERE id = ?1", &[num(story_id), num(demo.points)])
            .await?;
        rows += 1;
        let mut ids: Vec<i64> = Vec::new();
        for (n, (by, parent, text)) in demo.comments.iter().enumerate() {
            let comment = NewComment {
                parent_id: parent.and_then(|p| ids.get(p).copied()).unwrap_or(story_id),
                author_id: author(*by),
                text,
                hourly_limit: u32::MAX,
                now_ms: posted_ms + (n as i64 + 1) * COMMENT_GAP_MS,
            };
            let stored = store::insert_comment(&db, &comment).await?.ok_or("a demo comment was refused")?;
            ids.push(stored.id);
            rows += 1;
        }
    }
    // Karma is what others voted one's items: their points past the author's own.
    for id in FRIENDS.iter().map(|f| f.id).chain([DEMO_USER_ID]) {
        run(&db, "INSERT OR IGNORE INTO news_people (user_id) VALUES (?1)", &[text(id)]).await?;
        run(
            &db,
            "UPDATE news_people SET karma = (SELECT COALESCE(SUM(points - 1), 0) FROM news_items WHERE author_id = ?1) \
             WHERE user_id = ?1",
            &[text(id)],
        )
        .await?;
    }
    Ok(rows)
}
