//! A story as one dense line and its subline, as on HN: rank, the up arrow (or `*` on your
//! own), the title to the link (to the thread for an Ask), the site in grey; then points, who,
//! how long ago, unvote, and the comments. Also the vote arrows and the flag and vouch links
//! that comments share.

use crate::{
    api, sign_in_href,
    text::{ago, is_web_link, now_ms, plural},
    use_reader,
};
use app_ui::{components::on_answer, format::date_time, nav::encode};
use leptos::prelude::*;
use shared::{
    news::{
        moderation::{FlagReason, FLAG_KARMA, VOUCH_KARMA},
        submission::StoryKind,
        votes::Direction,
        wire::{StandingView, StoryView, VoteResult},
    },
    time::Timestamp,
    ApiError,
};

/// One item's vote, as the reader sees it: their standing vote, until when they may take it
/// back, a story's points, and what the last click answered when it was refused.
#[derive(Clone, Copy)]
pub struct Votes {
    pub voted: RwSignal<Option<Direction>>,
    /// Unix ms; "unvote" is offered until then.
    unvote_until: RwSignal<Option<i64>>,
    pub points: RwSignal<i64>,
    pub error: RwSignal<Option<String>>,
    action: Action<Option<Direction>, Result<VoteResult, ApiError>>,
}

impl Votes {
    pub fn new(id: i64, voted: Option<Direction>, unvote_until: Option<Timestamp>, points: i64) -> Self {
        let voted = RwSignal::new(voted);
        let unvote_until = RwSignal::new(unvote_until.map(|t| t.millis()));
        let points = RwSignal::new(points);
        let error = RwSignal::new(None);
        let action = Action::new_unsync(move |direction: &Option<Direction>| {
            let direction = *direction;
            async move {
                match direction {
                    Some(direction) => api::vote(id, direction).await,
                    None => api::unvote(id).await,
                }
            }
        });
        on_answer(
            action,
            move |result: VoteResult| {
                voted.set(result.voted);
                unvote_until.set(result.unvote_until.map(|t| t.millis()));
                if let Some(p) = result.points {
                    points.set(p);
                }
                error.set(None);
            },
            move |err| error.set(Some(err.message)),
        );
        Self { voted, unvote_until, points, error, action }
    }

    /// Votes `direction`, or takes the vote back (`None`).
    pub fn cast(&self, direction: Option<Direction>) {
        if !self.action.pending().get_untracked() {
            self.action.dispatch(direction);
        }
    }

    pub fn pending(&self) -> bool {
        self.action.pending().get()
    }

    /// The vote the reader may still take back (within the hour HN gives), if any.
    pub fn undoable(&self) -> Option<Direction> {
        let open = self.unvote_until.get().is_some_and(|until| now_ms() < until);
        self.voted.get().filter(|_| open)
    }
}

/// " | unvote" (or " | undown") while the reader's vote may still be taken back.
#[component]
pub fn Unvote(votes: Votes) -> impl IntoView {
    move || {
        votes.undoable().map(|d| {
            view! {
                " | " <button type="button" class="link-button" data-testid="unvote"
                    on:click=move |_| votes.cast(None)>
                    {if d == Direction::Up { "unvote" } else { "undown" }}
                </button>
            }
        })
    }
}

/// An arrow: pressed when that is the reader's vote (pressing it again takes the vote back);
/// for someone signed out, the way to sign in.
#[component]
pub fn Arrow(votes: Votes, direction: Direction) -> impl IntoView {
    let reader = use_reader();
    let (class, label) = match direction {
        Direction::Up => ("vote up", "upvote"),
        Direction::Down => ("vote down", "downvote"),
    };
    move || {
        if reader.signed_in() {
            view! {
                <button type="button" class=class aria-label=label
                    aria-pressed=move || (votes.voted.get() == Some(direction)).to_string()
                    disabled=move || votes.pending()
                    on:click=move |_| {
                        let again = votes.voted.get_untracked() == Some(direction);
                        votes.cast((!again).then_some(direction));
                    }></button>
            }
            .into_any()
        } else {
            view! { <a class=class href=sign_in_href() rel="external" aria-label=format!("{label} (sign in first)")></a> }
                .into_any()
        }
    }
}

pub fn item_href(id: i64) -> String {
    format!("/news/item/{id}")
}

pub fn user_href(name: &str) -> String {
    format!("/news/user/{}", encode(name))
}

/// What of a story changes while it is shown, by the reader (a vote, an edit, a save) or live
/// (others' votes and comments, the author's edit, a removal).
#[derive(Clone, Copy)]
pub struct StoryState {
    pub id: i64,
    pub votes: Votes,
    pub comments: RwSignal<i64>,
    pub title: RwSignal<String>,
    pub text: RwSignal<String>,
    pub dead: RwSignal<bool>,
    /// Deleted, killed or merged away while shown: the row leaves the page.
    pub removed: RwSignal<bool>,
    pub favorite: RwSignal<bool>,
    /// Whether the reader may still edit or delete it.
    pub editable: RwSignal<bool>,
    /// The author's edit form is open.
    pub editing: RwSignal<bool>,
}

impl StoryState {
    pub fn new(story: &StoryView) -> Self {
        Self {
            id: story.id,
            votes: Votes::new(story.id, story.voted, story.unvote_until, story.points),
            comments: RwSignal::new(story.comments),
            title: RwSignal::new(story.title.clone()),
            text: RwSignal::new(story.text.clone()),
            dead: RwSignal::new(story.dead),
            removed: RwSignal::new(false),
            favorite: RwSignal::new(story.favorite),
            editable: RwSignal::new(story.editable),
            editing: RwSignal::new(false),
        }
    }

    /// A live frame's news of this story.
    pub fn score(&self, points: i64, comments: i64) {
        self.votes.points.set(points);
        self.comments.set(comments);
    }
}

/// A story's line and subline. `rank` on lists; `state` when the page keeps it (a thread,
/// where the reader adds to it, or a live list); `detail` on the story's own page (favorite,
/// edit and delete, flag and vouch).
#[component]
pub fn StoryRow(
    story: StoryView,
    #[prop(optional)] rank: Option<usize>,
    #[prop(optional)] state: Option<StoryState>,
    #[prop(optional)] detail: bool,
) -> impl IntoView {
    let reader = use_reader();
    let id = story.id;
    let state = state.unwrap_or_else(|| StoryState::new(&story));
    let votes = state.votes;
    let comments = state.comments;
    let dead = state.dead;
    let by = story.by.clone();
    let own = {
        let by = by.clone();
        move || reader.is(&by)
    };
    let link = match (&story.url, story.kind) {
        (Some(url), StoryKind::Link | StoryKind::Show) if is_web_link(url) => url.clone(),
        _ => item_href(id),
    };
    let created = story.created_at.millis();
    let own_for_arrow = own.clone();
    let votable = !story.dead && !story.deleted;
    view! {
        <div class="story" data-testid="story" data-id=id.to_string() hidden=move || state.removed.get()>
            {rank.map(|n| view! { <span class="rank">{format!("{n}.")}</span> })}
            <span class="votes">
                {move || if own_for_arrow() {
                    view! { <span class="mine" title="Your story">"*"</span> }.into_any()
                } else if votable {
                    view! { <Arrow votes direction=Direction::Up /> }.into_any()
                } else {
                    ().into_any()
                }}
            </span>
            <div class="story-main">
                <p class="title-line">
                    <a class="title" href=link data-testid="story-title">{move || state.title.get()}</a>
                    {story.site.clone().map(|site| view! { " " <span class="site">"("{site}")"</span> })}
                    {story.flagged.then_some(view! { " " <span class="mark">"[flagged]"</span> })}
                    {move || dead.get().then_some(view! { " " <span class="mark">"[dead]"</span> })}
                </p>
                <p class="subline">
                    <span data-testid="points">{move || plural(votes.points.get(), "point")}</span>
                    " by " <a href=user_href(&by) class="by">{by.clone()}</a> " "
                    <a href=item_href(id) title=date_time(created)>{ago(created, now_ms())}</a>
                    <Unvote votes />
                    {detail.then(|| view! {
                        <Favorite state />
                        <AuthorLinks state />
                        <Moderation id on_comment=false dead own=own.clone() flagged=story.flagged />
                    })}
                    " | "
                    <a href=item_href(id) data-testid="comments">
                        {move || match comments.get() {
                            0 => "discuss".to_owned(),
                            n => plural(n, "comment"),
                        }}
                    </a>
                </p>
                {move || votes.error.get().map(|m| view! { <p class="form-error small" role="alert">{m}</p> })}
            </div>
        </div>
    }
}

/// " | favorite" (HN's save), or " | un-favorite", for a signed-in reader.
#[component]
fn Favorite(state: StoryState) -> impl IntoView {
    let reader = use_reader();
    let error = RwSignal::new(None::<String>);
    let save = Action::new_unsync(move |saved: &bool| {
        let saved = *saved;
        async move { api::favorite(state.id, saved).await.map(|()| saved) }
    });
    on_answer(
        save,
        move |saved| {
            state.favorite.set(saved);
            error.set(None);
        },
        move |e| error.set(Some(e.message)),
    );
    move || {
        reader.signed_in().then(|| {
            view! {
                " | "
                <button type="button" class="link-button" data-testid="favorite"
                    aria-pressed=move || state.favorite.get().to_string()
                    disabled=move || save.pending().get()
                    on:click=move |_| { save.dispatch(!state.favorite.get_untracked()); }>
                    {move || if state.favorite.get() { "un-favorite" } else { "favorite" }}
                </button>
                {move || error.get().map(|m| view! { " " <span class="form-error small inline" role="alert">{m}</span> })}
            }
        })
    }
}

/// " | edit | delete" on the author's own story within two hours; delete asks once more.
#[component]
fn AuthorLinks(state: StoryState) -> impl IntoView {
    let deleting = DeleteAsk::new(state.id, move || state.removed.set(true));
    move || {
        state.editable.get().then(|| {
            view! {
                " | " <button type="button" class="link-button" data-testid="edit"
                    on:click=move |_| state.editing.set(true)>"edit"</button>
                <DeleteLinks ask=deleting />
            }
        })
    }
}

/// An author's delete, asked twice ("delete" → "delete? yes / no"), as a comment's and a
/// story's links share it.
#[derive(Clone, Copy)]
pub struct DeleteAsk {
    asking: RwSignal<bool>,
    error: RwSignal<Option<String>>,
    action: Action<(), Result<(), ApiError>>,
}

impl DeleteAsk {
    pub fn new(id: i64, deleted: impl Fn() + 'static) -> Self {
        let asking = RwSignal::new(false);
        let error = RwSignal::new(None);
        let action = Action::new_unsync(move |_: &()| async move { api::delete(id).await });
        on_answer(
            action,
            move |()| {
                asking.set(false);
                deleted();
            },
            move |e| error.set(Some(e.message)),
        );
        Self { asking, error, action }
    }
}

#[component]
pub fn DeleteLinks(ask: DeleteAsk) -> impl IntoView {
    view! {
        " | "
        {move || if ask.asking.get() {
            view! {
                <span class="confirm">"delete? "
                    <button type="button" class="link-button danger" data-testid="delete-yes"
                        disabled=move || ask.action.pending().get()
                        on:click=move |_| { ask.action.dispatch(()); }>"yes"</button>
                    " / "
                    <button type="button" class="link-button" on:click=move |_| ask.asking.set(false)>"no"</button>
                </span>
            }
            .into_any()
        } else {
            view! {
                <button type="button" class="link-button" data-testid="delete"
                    on:click=move |_| ask.asking.set(true)>"delete"</button>
            }
            .into_any()
        }}
        {move || ask.error.get().map(|m| view! { " " <span class="form-error small inline" role="alert">{m}</span> })}
    }
}

/// What a reason is called where a reader picks it.
pub fn reason_label(reason: FlagReason) -> &'static str {
    match reason {
        FlagReason::OffTopic => "off topic",
        FlagReason::Spam => "spam",
        FlagReason::Duplicate => "duplicate",
        FlagReason::BrokenLink => "broken link",
        FlagReason::Troll => "trolling",
        FlagReason::Unkind => "unkind",
        FlagReason::MeToo => "me-too",
    }
}

/// " | flag" (with its reason) and " | vouch" on a dead item, for readers with the karma for
/// them; nothing on one's own items.
#[component]
pub fn Moderation(
    id: i64,
    on_comment: bool,
    dead: RwSignal<bool>,
    own: impl Fn() -> bool + Send + Sync + Clone + 'static,
    #[prop(optional)] flagged: bool,
) -> impl IntoView {
    let reader = use_reader();
    let flagged = RwSignal::new(flagged);
    let vouched = RwSignal::new(false);
    let choosing = RwSignal::new(false);
    let reason =
        RwSignal::new(FlagReason::ALL.into_iter().find(|r| r.fits(on_comment)).unwrap_or(FlagReason::Spam));
    let error = RwSignal::new(None::<String>);
    let flag = Action::new_unsync(move |reason: &FlagReason| {
        let reason = *reason;
        async move { api::flag(id, reason).await }
    });
    let vouch = Action::new_unsync(move |_: &()| async move { api::vouch(id).await });
    let standing = move |s: StandingView| {
        dead.set(s.dead);
        error.set(None);
    };
    on_answer(
        flag,
        move |s| {
            flagged.set(true);
            choosing.set(false);
            standing(s);
        },
        move |e| error.set(Some(e.message)),
    );
    on_answer(
        vouch,
        move |s| {
            vouched.set(true);
            standing(s);
        },
        move |e| error.set(Some(e.message)),
    );
    let may = move |karma: i64| reader.signed_in() && !own() && reader.karma() >= karma;
    let may_flag = may.clone();
    view! {
        {move || (may_flag(FLAG_KARMA) && !flagged.get() && !choosing.get()).then(|| view! {
            " | " <button type="button" class="link-button" data-testid="flag" on:click=move |_| choosing.set(true)>"flag"</button>
        })}
        {move || flagged.get().then_some(" | flagged")}
        {move || (dead.get() && !vouched.get() && may(VOUCH_KARMA)).then(|| view! {
            " | " <button type="button" class="link-button" data-testid="vouch"
                disabled=move || vouch.pending().get() on:click=move |_| { vouch.dispatch(()); }>"vouch"</button>
        })}
        {move || vouched.get().then_some(" | vouched")}
        {move || choosing.get().then(|| view! {
            <span class="flag-form">
                <label class="visually-hidden" for=format!("flag-{id}")>"Why flag it?"</label>
                <select id=format!("flag-{id}") data-testid="flag-reason"
                    on:change=move |ev| {
                        if let Some(r) = FlagReason::parse(&event_target_value(&ev)) {
                            reason.set(r);
                        }
                    }>
                    {FlagReason::ALL.into_iter().filter(|r| r.fits(on_comment)).map(|r| view! {
                        <option value=r.as_str() selected=move || reason.get() == r>{reason_label(r)}</option>
                    }).collect_view()}
                </select>
                <button type="button" class="button small" data-testid="flag-send"
                    disabled=move || flag.pending().get()
                    on:click=move |_| { flag.dispatch(reason.get_untracked()); }>"flag"</button>
                <button type="button" class="link-button" on:click=move |_| choosing.set(false)>"cancel"</button>
            </span>
        })}
        {move || error.get().map(|m| view! { <span class="form-error small inline" role="alert">{m}</span> })}
    }
}
