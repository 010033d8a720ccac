//! A thread: the comments in the worker's order, each indented by its depth, with its author,
//! age (the permalink), a toggle that folds it and its replies away (`[–]`, `[+n]`), vote
//! arrows, reply (inline), flag and vouch; comments posted since the reader's last visit are
//! marked new. A comment written here joins the thread at once, under what it answers.

use crate::{
    api, sign_in_href,
    story::{item_href, user_href, Arrow, DeleteAsk, DeleteLinks, Moderation, Unvote, Votes},
    text::{ago, now_ms, plural, Text},
    use_reader,
};
use app_ui::{
    api::{unanswered, Attempt},
    components::{focus_id, on_answer},
    format::date_time,
};
use leptos::prelude::*;
use shared::news::{
    submission::clean_text,
    votes::{Direction, DOWNVOTE_KARMA},
    wire::{CommentRequest, CommentView, EditRequest, ItemPage},
};
use std::collections::{HashMap, HashSet};

/// One page's thread and what the reader did to it.
#[derive(Clone, Copy)]
pub struct Thread {
    pub story_id: i64,
    /// The comment whose own page this is (its replies only), if it is one.
    pub focus: Option<i64>,
    pub comments: RwSignal<Vec<CommentView>>,
    /// Each comment's parent (the story's id for a top-level one).
    parents: Memo<HashMap<i64, i64>>,
    /// Comments folded away with their replies.
    pub collapsed: RwSignal<HashSet<i64>>,
    /// The comment whose reply box is open.
    pub replying: RwSignal<Option<i64>>,
    /// The story's comment count.
    pub count: RwSignal<i64>,
}

impl Thread {
    pub fn new(page: &ItemPage, focus: i64) -> Self {
        let focus = (focus != page.story.id && page.comments.iter().any(|c| c.id == focus)).then_some(focus);
        let comments = RwSignal::new(page.comments.clone());
        let parents = Memo::new(move |_| comments.with(|all| all.iter().map(|c| (c.id, c.parent)).collect()));
        Self {
            story_id: page.story.id,
            focus,
            comments,
            parents,
            collapsed: RwSignal::new(HashSet::new()),
            // On a comment's own page its reply box is open, as on HN.
            replying: RwSignal::new(focus),
            count: RwSignal::new(page.story.comments),
        }
    }

    /// The comments shown, with the depth each is drawn at: all of them, or the focused one
    /// and its replies (drawn from depth 0).
    pub fn shown(&self) -> Vec<(CommentView, u32)> {
        self.comments.with(|all| shown(all, self.focus))
    }

    /// Whether a comment above `id` is folded.
    pub fn hidden(&self, id: i64) -> bool {
        self.collapsed.with(|folded| {
            !folded.is_empty()
                && self.parents.with(|parents| {
                    let mut at = parents.get(&id).copied();
                    while let Some(parent) = at {
                        if folded.contains(&parent) {
                            return true;
                        }
                        at = parents.get(&parent).copied();
                    }
                    false
                })
        })
    }

    /// The comment and its replies, counted (what `[+n]` says is folded).
    pub fn subtree(&self, id: i64) -> usize {
        self.comments.with(|all| subtree(all, id))
    }

    /// A comment the reader just wrote: a top-level one first, a reply first under its parent.
    /// If the live socket brought it already, the reader's own view of it takes its place.
    pub fn add(&self, comment: CommentView) {
        if self.replace(comment.clone()) {
            return;
        }
        let story_id = self.story_id;
        self.comments.update(|all| {
            let at = if comment.parent == story_id {
                0
            } else {
                all.iter().position(|c| c.id == comment.parent).map_or(all.len(), |i| i + 1)
            };
            all.insert(at, comment);
        });
        self.count.update(|n| *n += 1);
    }

    /// A comment someone else wrote, from the live socket: last under its parent (last at the
    /// top level), as a new one sorts until it has votes. Known already: nothing changes.
    pub fn arrived(&self, comment: CommentView) {
        // Nothing to do once the page is gone (a catch-up answered after the reader left).
        if self.comments.try_with_untracked(|all| all.iter().any(|c| c.id == comment.id)).unwrap_or(true) {
            return;
        }
        let story_id = self.story_id;
        self.comments.update(|all| {
            let at = if comment.parent == story_id {
                all.len()
            } else {
                match all.iter().position(|c| c.id == comment.parent) {
                    Some(i) => i + subtree(all, comment.parent),
                    None => all.len(),
                }
            };
            all.insert(at, comment);
        });
    }

    /// Reads a comment as it now stands (tracked: a row follows edits through it).
    pub fn with_comment<T>(&self, id: i64, f: impl FnOnce(&CommentView) -> T) -> Option<T> {
        self.comments.try_with(|all| all.iter().find(|c| c.id == id).map(f)).flatten()
    }

    /// Puts `comment` in place of the one with its id; false when there is none.
    fn replace(&self, comment: CommentView) -> bool {
        let mut found = false;
        self.comments.update(|all| {
            if let Some(known) = all.iter_mut().find(|c| c.id == comment.id) {
                *known = comment;
                found = true;
            }
        });
        found
    }

    /// An author's new text (theirs, or live).
    pub fn edited(&self, id: i64, text: String) {
        self.comments.update(|all| {
            if let Some(c) = all.iter_mut().find(|c| c.id == id && !c.placeholder) {
                c.text = text;
            }
        });
    }

    /// A comment deleted or removed: it goes, or stays as `[deleted]` (`[removed]`) while
    /// replies under it are shown. False when it was gone already (the socket was first).
    pub fn removed(&self, id: i64, placeholder: &str) -> bool {
        let mut found = false;
        self.comments.update(|all| {
            let Some(i) = all.iter().position(|c| c.id == id && !c.placeholder) else { return };
            found = true;
            if subtree(all, id) > 1 {
                let c = &mut all[i];
                c.placeholder = true;
                c.by = String::new();
                c.text = placeholder.to_owned();
                c.editable = false;
            } else {
                all.remove(i);
            }
        });
        found
    }
}

/// All comments, or `focus` and the replies under it (the rows after it that are deeper).
pub fn shown(all: &[CommentView], focus: Option<i64>) -> Vec<(CommentView, u32)> {
    match focus.and_then(|f| all.iter().position(|c| c.id == f)) {
        None => all.iter().map(|c| (c.clone(), c.depth)).collect(),
        Some(i) => {
            let base = all[i].depth;
            std::iter::once(&all[i])
                .chain(all[i + 1..].iter().take_while(|c| c.depth > base))
                .map(|c| (c.clone(), c.depth - base))
                .collect()
        }
    }
}

/// `id` and the rows under it (thread order: the deeper rows that follow it).
pub fn subtree(all: &[CommentView], id: i64) -> usize {
    match all.iter().position(|c| c.id == id) {
        Some(i) => 1 + all[i + 1..].iter().take_while(|c| c.depth > all[i].depth).count(),
        None => 0,
    }
}

#[component]
pub fn ThreadView(thread: Thread) -> impl IntoView {
    view! {
        <ul class="comments" data-testid="thread">
            // A row is drawn again only when it becomes a placeholder: its text, points and
            // links follow `thread.comments`, so an edit keeps a reply being typed under it.
            <For each=move || thread.shown() key=|(c, _)| (c.id, c.placeholder)
                children=move |(c, depth)| view! {
                <CommentRow c depth thread />
            } />
        </ul>
    }
}

#[component]
fn CommentRow(c: CommentView, depth: u32, thread: Thread) -> impl IntoView {
    let reader = use_reader();
    let id = c.id;
    let by = c.by.clone();
    // What an edit, or the reader's own view after the socket brought it first, changes.
    let text = move || thread.with_comment(id, |c| c.text.clone()).unwrap_or_default();
    let points = move || thread.with_comment(id, |c| c.points).flatten();
    let editable = move || thread.with_comment(id, |c| c.editable && !c.placeholder).unwrap_or(false);
    let own = {
        let by = by.clone();
        // Only its author is told a comment's points.
        move || points().is_some() || reader.is(&by)
    };
    let votes = Votes::new(id, c.voted, c.unvote_until, c.points.unwrap_or(0));
    let dead = RwSignal::new(c.dead);
    let placeholder = c.placeholder;
    let folded = move || thread.collapsed.with(|f| f.contains(&id));
    let toggle = move |_| {
        thread.collapsed.update(|f| {
            if !f.remove(&id) {
                f.insert(id);
            }
        })
    };
    let created = c.created_at.millis();
    let votable = !placeholder && !c.dead && !c.deleted;
    let own_for_arrows = own.clone();
    let arrows = move || {
        if !votable || own_for_arrows() {
            return ().into_any();
        }
        let down = reader.karma() >= DOWNVOTE_KARMA;
        view! {
            <Arrow votes direction=Direction::Up />
            {down.then(|| view! { <Arrow votes direction=Direction::Down /> })}
        }
        .into_any()
    };
    let answerable = !placeholder && !c.dead && !c.deleted;
    let editing = RwSignal::new(false);
    view! {
        <li class="comment" class:new=c.new class:dead=move || dead.get() class:placeholder=placeholder
            id=format!("c{id}") style=("--depth", depth.to_string()) hidden=move || thread.hidden(id)
            data-testid="comment" data-id=id.to_string()>
            <div class="votes">{arrows}</div>
            <div class="comment-main">
                <p class="comment-head">
                    {(!placeholder).then(|| view! {
                        <a class="by" href=user_href(&by)>{by.clone()}</a> " "
                        <a class="age" href=item_href(id) title=date_time(created) data-testid="permalink">{ago(created, now_ms())}</a>
                        {move || points().map(|p| format!(" · {}", plural(p, "point")))}
                    })}
                    {c.new.then_some(view! { " " <span class="new-mark" data-testid="new">"new"</span> })}
                    {move || (dead.get() && !placeholder).then_some(view! { " " <span class="mark">"[dead]"</span> })}
                    " "
                    <button type="button" class="toggle" data-testid="toggle"
                        aria-expanded=move || (!folded()).to_string()
                        aria-label=move || if folded() { "Show this comment and its replies" } else { "Fold this comment and its replies" }
                        on:click=toggle>
                        {move || if folded() { format!("[+{}]", thread.subtree(id)) } else { "[–]".to_owned() }}
                    </button>
                </p>
                <div class="comment-body" hidden=folded>
                    {move || if editing.get() {
                        // Untracked: the form (and its pending save) stays while the thread moves.
                        view! { <EditComment id text=untrack(text) thread editing /> }.into_any()
                    } else {
                        let text = text();
                        view! {
                            <div class="comment-text">
                                {if placeholder {
                                    view! { <p class="muted">{text}</p> }.into_any()
                                } else {
                                    view! { <Text text /> }.into_any()
                                }}
                            </div>
                        }
                        .into_any()
                    }}
                    {(!placeholder).then(|| view! {
                        <p class="comment-actions">
                            {answerable.then(|| view! { <ReplyLink id thread /> })}
                            <Unvote votes />
                            {move || editable().then(|| view! {
                                " | " <button type="button" class="link-button" data-testid="edit"
                                    on:click=move |_| editing.set(true)>"edit"</button>
                                <DeleteLinks ask=DeleteAsk::new(id, move || {
                                    // The live socket's frames, if first, brought the count.
                                    if thread.removed(id, "[deleted]") {
                                        thread.count.update(|n| *n -= 1);
                                    }
                                }) />
                            })}
                            <Moderation id on_comment=true dead own=own.clone() />
                        </p>
                    })}
                    {move || votes.error.get().map(|m| view! { <p class="form-error small" role="alert">{m}</p> })}
                    {move || (thread.replying.get() == Some(id)).then(|| view! { <CommentForm parent=id thread /> })}
                </div>
            </div>
        </li>
    }
}

/// An author's comment in a box, to change within two hours of writing it.
#[component]
fn EditComment(id: i64, text: String, thread: Thread, editing: RwSignal<bool>) -> impl IntoView {
    let draft = RwSignal::new(text);
    let error = RwSignal::new(None::<String>);
    let save = Action::new_unsync(move |text: &String| {
        let request = EditRequest { title: None, text: Some(text.clone()) };
        async move { api::edit(id, &request).await }
    });
    on_answer(
        save,
        move |edited| {
            editing.set(false);
            thread.edited(id, edited.text);
        },
        move |e| error.set(Some(e.message)),
    );
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = draft.get_untracked();
        match clean_text(&typed, "text", true) {
            Err(err) => error.set(Some(err.message)),
            Ok(_) => {
                if !save.pending().get_untracked() {
                    save.dispatch(typed);
                }
            }
        }
    };
    let field = format!("edit-{id}");
    view! {
        <form class="comment-form" on:submit=on_submit novalidate>
            <label for=field.clone() class="visually-hidden">"Your comment"</label>
            <textarea id=field rows=4 data-testid="edit-text" prop:value=move || draft.get()
                on:input=move |ev| draft.set(event_target_value(&ev))></textarea>
            {move || error.get().map(|m| view! { <p class="form-error small" role="alert" data-testid="edit-error">{m}</p> })}
            <div class="form-row">
                <button type="submit" class="button primary small" data-testid="edit-save"
                    disabled=move || save.pending().get()>"update"</button>
                <button type="button" class="link-button" on:click=move |_| editing.set(false)>"cancel"</button>
            </div>
        </form>
    }
}

/// "reply", which opens the reply box under the comment (signed out: the way to sign in).
#[component]
fn ReplyLink(id: i64, thread: Thread) -> impl IntoView {
    let reader = use_reader();
    move || {
        if reader.signed_in() {
            view! {
                <button type="button" class="link-button" data-testid="reply"
                    on:click=move |_| {
                        thread.replying.set(Some(id));
                        focus_id(format!("reply-{id}"));
                    }>"reply"</button>
            }
            .into_any()
        } else {
            view! { <a href=sign_in_href() rel="external">"reply"</a> }.into_any()
        }
    }
}

/// The box a comment is written in: at the top of a thread (`top`), or a reply under a comment.
#[component]
pub fn CommentForm(parent: i64, thread: Thread, #[prop(optional)] top: bool) -> impl IntoView {
    let reader = use_reader();
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let attempt = Attempt::<CommentRequest>::new();
    let send = Action::new_unsync(move |request: &CommentRequest| {
        let request = request.clone();
        let key = attempt.key(&request);
        async move { api::comment(&request, &key).await }
    });
    on_answer(
        send,
        move |comment: CommentView| {
            attempt.answered();
            text.set(String::new());
            error.set(None);
            thread.add(comment);
            if !top {
                thread.replying.set(None);
            }
        },
        move |err| {
            if !unanswered(&err) {
                attempt.answered();
            }
            error.set(Some(err.message));
        },
    );
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = text.get_untracked();
        match clean_text(&typed, "text", true) {
            Err(err) => error.set(Some(err.message)),
            Ok(_) if send.pending().get_untracked() => {}
            Ok(_) => {
                error.set(None);
                send.dispatch(CommentRequest { parent, text: typed });
            }
        }
    };
    let field = if top { "comment".to_owned() } else { format!("reply-{parent}") };
    let (testid, button) = if top { ("comment", "add comment") } else { ("reply", "reply") };
    view! {
        {move || if reader.signed_in() {
            let field = field.clone();
            view! {
                <form class="comment-form" class:top=top on:submit=on_submit novalidate>
                    <label for=field.clone() class="visually-hidden">{if top { "Your comment" } else { "Your reply" }}</label>
                    <textarea id=field rows=if top { 5 } else { 4 } data-testid=format!("{testid}-text")
                        prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                    {move || error.get().map(|m| view! { <p class="form-error small" role="alert" data-testid=format!("{testid}-error")>{m}</p> })}
                    <div class="form-row">
                        <button type="submit" class="button primary small" data-testid=format!("{testid}-send")
                            disabled=move || send.pending().get()>{button}</button>
                        {(!top).then(|| view! {
                            <button type="button" class="link-button" on:click=move |_| thread.replying.set(None)>"cancel"</button>
                        })}
                        {top.then(|| view! { <FormattingHelp /> })}
                    </div>
                </form>
            }
            .into_any()
        } else if top && reader.checked() {
            view! {
                <p class="muted small"><a href=sign_in_href() rel="external">"Sign in"</a>" to comment."</p>
            }
            .into_any()
        } else {
            ().into_any()
        }}
    }
}

/// HN's formatting help, folded.
#[component]
pub fn FormattingHelp() -> impl IntoView {
    view! {
        <details class="formatting small">
            <summary>"formatting help"</summary>
            <p>"Blank lines separate paragraphs. A line indented by two spaces or more is code. "
               "Text between asterisks is "<i>"italic"</i>". URLs become links."</p>
        </details>
    }
}
