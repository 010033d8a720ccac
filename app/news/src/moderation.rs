//! `/news/moderation`: the public log of what moderators did and why, newest first, 30 a page
//! (the worker leaves shadow bans out for everyone but moderators: telling would undo them).
//! A moderator acts from here too: an action, what it acts on, and the reason the log shows.

use crate::{
    api,
    bar::NewsBar,
    list::{query_page, Skeleton},
    story::{item_href, user_href},
    text::{ago, now_ms},
    use_reader,
};
use app_ui::{
    components::{field::Field, on_answer, FormError, FormErrors, Load},
    format::date_time,
};
use leptos::prelude::*;
use shared::{
    news::{
        moderation::clean_reason,
        ranking::{MODERATOR_FACTOR_MAX, MODERATOR_FACTOR_MIN},
        submission::clean_title,
        wire::{ModerationEntry, ModerationLog, ModerationRequest},
    },
    ApiError,
};

#[component]
pub fn ModerationPage() -> impl IntoView {
    let reader = use_reader();
    let moderator = Memo::new(move |_| reader.moderator());
    let page = query_page();
    let log = LocalResource::new(move || {
        let page = page.get();
        async move { api::moderation_log(page).await }
    });
    // What the moderator did from this page, newest first: shown above the log as it loaded.
    let added = RwSignal::new(Vec::<ModerationEntry>::new());
    view! {
        <div class="stack wide news">
            <NewsBar />
            <section class="panel mod-head" aria-labelledby="mod-title">
                <h1 id="mod-title">"Moderation log"</h1>
                <p class="muted small">"What the moderators did, and why, newest first."</p>
                {move || moderator.get().then(|| view! { <ModerationForm added /> })}
            </section>
            <Load loading="Loading the log…" retry=Callback::new(move |_| log.refetch()) waiting=Skeleton>
                {move || log.get().map(|got| got.map(|log| view! { <Log log added /> }))}
            </Load>
        </div>
    }
}

#[component]
fn Log(log: ModerationLog, added: RwSignal<Vec<ModerationEntry>>) -> impl IntoView {
    let first_page = log.page == 1;
    let more = log.more.then(|| format!("/news/moderation?p={}", log.page + 1));
    let loaded = log.entries;
    let entries = Memo::new(move |_| {
        let mut shown = if first_page { added.get() } else { Vec::new() };
        let fresh: Vec<_> = loaded.iter().filter(|e| !shown.iter().any(|s| s.id == e.id)).cloned().collect();
        shown.extend(fresh);
        shown
    });
    view! {
        {move || {
            let entries = entries.get();
            if entries.is_empty() {
                let said = if first_page { "Nothing moderated yet." } else { "No more." };
                return view! { <p class="panel muted news-empty" data-testid="no-entries">{said}</p> }.into_any();
            }
            view! {
                <ol class="mod-log" data-testid="mod-log">
                    {entries.into_iter().map(|e| view! { <Entry e /> }).collect_view()}
                </ol>
            }
            .into_any()
        }}
        {more.map(|href| view! { <p class="more"><a href=href data-testid="more">"More"</a></p> })}
    }
}

/// What an action is called in a sentence ("news_mod killed item 12").
fn action_words(action: &str) -> String {
    match action {
        "kill" => "killed",
        "revive" => "revived",
        "edit_title" => "retitled",
        "merge" => "merged",
        "adjust" => "adjusted the rank of",
        "ban" => "banned",
        "unban" => "unbanned",
        "shadow_ban" => "shadow-banned",
        "shadow_unban" => "lifted the shadow ban on",
        other => return other.replace('_', " "),
    }
    .to_owned()
}

/// One entry, a line and a subline like a story's: who did what to what, and why; when, and
/// what changed.
#[component]
fn Entry(e: ModerationEntry) -> impl IntoView {
    let at = e.at.millis();
    let target = match (e.item, &e.username) {
        (Some(id), _) => {
            view! { <a href=item_href(id) data-testid="mod-target">{format!("item {id}")}</a> }.into_any()
        }
        (None, Some(name)) => {
            view! { <a href=user_href(name) data-testid="mod-target">{name.clone()}</a> }.into_any()
        }
        (None, None) => ().into_any(),
    };
    view! {
        <li class="mod-entry" data-testid="mod-entry" data-id=e.id.to_string() data-action=e.action.clone()>
            <p class="mod-line">
                <a class="by" href=user_href(&e.moderator)>{e.moderator.clone()}</a>" "
                <span class="mod-action">{action_words(&e.action)}</span>" "{target}": "
                <span class="mod-reason" data-testid="mod-reason">{e.reason}</span>
            </p>
            <p class="subline">
                <span title=date_time(at)>{ago(at, now_ms())}</span>
                {(!e.detail.is_empty()).then(|| view! { " · " <span data-testid="mod-detail">{e.detail}</span> })}
            </p>
        </li>
    }
}

/// The actions a moderator picks from (`ModerationRequest`'s tags).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    Kill,
    Revive,
    EditTitle,
    Merge,
    Adjust,
    Ban,
    Unban,
    ShadowBan,
}

impl Act {
    const ALL: [Act; 8] = [
        Act::Kill,
        Act::Revive,
        Act::EditTitle,
        Act::Merge,
        Act::Adjust,
        Act::Ban,
        Act::Unban,
        Act::ShadowBan,
    ];

    fn name(self) -> &'static str {
        match self {
            Act::Kill => "kill",
            Act::Revive => "revive",
            Act::EditTitle => "edit_title",
            Act::Merge => "merge",
            Act::Adjust => "adjust",
            Act::Ban => "ban",
            Act::Unban => "unban",
            Act::ShadowBan => "shadow_ban",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Act::EditTitle => "edit title",
            Act::Adjust => "adjust rank",
            Act::ShadowBan => "shadow ban",
            _ => self.name(),
        }
    }

    fn on_person(self) -> bool {
        matches!(self, Act::Ban | Act::Unban | Act::ShadowBan)
    }
}

type Rule = fn(&str) -> Result<(), ApiError>;

fn id_rule(field: &'static str) -> impl Fn(&str) -> Result<i64, ApiError> {
    move |v| {
        v.trim().parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| {
            ApiError::invalid(field, "An item's number, as at the end of its address (/news/item/8863).")
        })
    }
}
const ITEM_RULE: Rule = |v| id_rule("item")(v).map(drop);
const INTO_RULE: Rule = |v| id_rule("into")(v).map(drop);
const TITLE_RULE: Rule = |v| clean_title(v).map(drop);
const NAME_RULE: Rule = |v| match v.trim() {
    "" => Err(ApiError::invalid("username", "Name the person to act on.")),
    _ => Ok(()),
};
const REASON_RULE: Rule = |v| clean_reason(v).map(drop);

fn factor(v: &str) -> Result<f64, ApiError> {
    // The browser's Number(): Rust's own float parser would add its tables to the bundle.
    let v = v.trim();
    let f = js_sys::parse_float(v);
    let plain = !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.');
    if plain && (MODERATOR_FACTOR_MIN..=MODERATOR_FACTOR_MAX).contains(&f) {
        return Ok(f);
    }
    Err(ApiError::invalid(
        "factor",
        format!("From {MODERATOR_FACTOR_MIN} to {MODERATOR_FACTOR_MAX}: it multiplies the rank (1 removes the adjustment)."),
    ))
}
const FACTOR_RULE: Rule = |v| factor(v).map(drop);

/// The form's fields, as typed.
#[derive(Clone, Copy)]
struct Fields {
    act: RwSignal<Act>,
    item: RwSignal<String>,
    into: RwSignal<String>,
    title: RwSignal<String>,
    factor: RwSignal<String>,
    username: RwSignal<String>,
    reason: RwSignal<String>,
}

impl Fields {
    fn new() -> Self {
        let text = || RwSignal::new(String::new());
        Self {
            act: RwSignal::new(Act::Kill),
            item: text(),
            into: text(),
            title: text(),
            factor: text(),
            username: text(),
            reason: text(),
        }
    }

    /// The request the fields make, or the first thing to fix (the fields say what).
    fn request(&self) -> Result<ModerationRequest, ApiError> {
        let act = self.act.get_untracked();
        let reason = self.reason.get_untracked();
        REASON_RULE(&reason)?;
        if act.on_person() {
            let username = self.username.get_untracked().trim().to_owned();
            NAME_RULE(&username)?;
            return Ok(match act {
                Act::Ban => ModerationRequest::Ban { username, reason },
                Act::Unban => ModerationRequest::Unban { username, reason },
                _ => ModerationRequest::ShadowBan { username, reason },
            });
        }
        let item = id_rule("item")(&self.item.get_untracked())?;
        Ok(match act {
            Act::Kill => ModerationRequest::Kill { item, reason },
            Act::Revive => ModerationRequest::Revive { item, reason },
            Act::EditTitle => {
                let title = self.title.get_untracked();
                TITLE_RULE(&title)?;
                ModerationRequest::EditTitle { item, title, reason }
            }
            Act::Merge => {
                ModerationRequest::Merge { item, into: id_rule("into")(&self.into.get_untracked())?, reason }
            }
            _ => ModerationRequest::Adjust { item, factor: factor(&self.factor.get_untracked())?, reason },
        })
    }

    /// Ready for the next action (the action picked stays).
    fn clear(&self) {
        for field in [self.item, self.into, self.title, self.factor, self.username, self.reason] {
            field.set(String::new());
        }
    }
}

/// A moderator's form: the action, the fields it takes, and the reason. The obvious is checked
/// here; the worker judges the rest (no such item, already so), and says why under the field
/// or above the button.
#[component]
fn ModerationForm(added: RwSignal<Vec<ModerationEntry>>) -> impl IntoView {
    let fields = Fields::new();
    let act = fields.act;
    let submitted = RwSignal::new(false);
    let done = RwSignal::new(None::<String>);
    let errors = FormErrors::new(&["item", "into", "title", "factor", "username", "reason"]);
    let send = Action::new_unsync(move |request: &ModerationRequest| {
        let request = request.clone();
        async move { api::moderate(&request).await }
    });
    on_answer(
        send,
        move |entry: ModerationEntry| {
            let target =
                entry.item.map(|id| format!("item {id}")).or(entry.username.clone()).unwrap_or_default();
            done.set(Some(format!("Done: {} {target}.", action_words(&entry.action))));
            added.update(|all| all.insert(0, entry));
            fields.clear();
            submitted.set(false);
        },
        move |err| errors.show(err),
    );
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        errors.clear();
        done.set(None);
        if let Ok(request) = fields.request() {
            if !send.pending().get_untracked() {
                send.dispatch(request);
            }
        }
    };
    let hides = move |unwanted: fn(Act) -> bool| move || unwanted(act.get());
    view! {
        <form class="mod-form" on:submit=on_submit novalidate data-testid="mod-form">
            <h2>"Act as a moderator"</h2>
            <div class="mod-fields">
                <div class="field">
                    <label for="action">"Action"</label>
                    <select id="action" data-testid="mod-action"
                        on:change=move |ev| {
                            let picked = event_target_value(&ev);
                            if let Some(a) = Act::ALL.into_iter().find(|a| a.name() == picked) {
                                act.set(a);
                                errors.clear();
                            }
                        }>
                        {Act::ALL.into_iter().map(|a| view! {
                            <option value=a.name() selected=move || act.get() == a>{a.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                // Every field is there, those the action does not take hidden: one view, not one per action.
                <div class="contents" hidden=hides(|a| a.on_person())>
                    <Field name="item" label="Item" value=fields.item rule=ITEM_RULE submitted server_error=errors.field("item") />
                </div>
                <div class="contents" hidden=hides(|a| a != Act::EditTitle)>
                    <Field name="title" label="New title" value=fields.title rule=TITLE_RULE submitted server_error=errors.field("title") />
                </div>
                <div class="contents" hidden=hides(|a| a != Act::Merge)>
                    <Field name="into" label="Into item" value=fields.into rule=INTO_RULE submitted server_error=errors.field("into") />
                </div>
                <div class="contents" hidden=hides(|a| a != Act::Adjust)>
                    <Field name="factor" label="Factor (0.001–1)" value=fields.factor rule=FACTOR_RULE submitted server_error=errors.field("factor") />
                </div>
                <div class="contents" hidden=hides(|a| !a.on_person())>
                    <Field name="username" label="Username" value=fields.username rule=NAME_RULE submitted server_error=errors.field("username") />
                </div>
            </div>
            <Field name="reason" label="Reason (public)" value=fields.reason rule=REASON_RULE submitted server_error=errors.field("reason") />
            <FormError errors />
            <div class="form-row">
                <button type="submit" class="button primary small" data-testid="mod-send" disabled=move || send.pending().get()>
                    {move || if send.pending().get() { "Applying…" } else { "Apply" }}
                </button>
                {move || done.get().map(|d| view! { <span class="saved" role="status" data-testid="mod-done">{d}</span> })}
            </div>
        </form>
    }
}
