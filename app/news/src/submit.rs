//! `/news/submit`: a title and a URL, or a title and text (an Ask), with HN's rules beside
//! them. The title is checked as you type with the worker's own rule; a link already submitted
//! in the last 30 days goes to that story, which says so.

use crate::{api, bar::NewsBar, sign_in_href, story::item_href, use_reader};
use app_ui::{
    api::{unanswered, Attempt},
    components::{field::Field, on_answer, FormError, FormErrors},
    web_url,
};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use shared::{
    news::{
        submission::{clean_text, clean_title, TITLE_MAX},
        wire::{SubmitRequest, Submitted},
    },
    ApiError,
};

const TITLE_RULE: fn(&str) -> Result<(), ApiError> = |v| clean_title(v).map(drop);

/// A URL as the worker takes one (`shared::news::submission::check_url`), read by the
/// browser's own parser so this bundle carries none; empty is fine (an Ask).
const URL_RULE: fn(&str) -> Result<(), ApiError> = |v| {
    let v = v.trim();
    if v.is_empty() {
        return Ok(());
    }
    let invalid = |m: &str| Err(ApiError::invalid("url", m));
    match web_url::parse(v) {
        None => invalid("That is not a URL: write it in full, like https://example.com/post."),
        Some(p) if !matches!(p.scheme.as_str(), "http" | "https") => {
            invalid("Only http:// and https:// links can be submitted.")
        }
        Some(p) if p.host.is_empty() => invalid("The URL needs a host name."),
        Some(p) if !p.username.is_empty() || !p.password.is_empty() => {
            invalid("Remove the user name or password from the URL.")
        }
        Some(_) => Ok(()),
    }
};

#[component]
pub fn SubmitPage() -> impl IntoView {
    let reader = use_reader();
    view! {
        <div class="stack wide news">
            <NewsBar />
            <section class="panel" aria-labelledby="submit-title">
                <h1 id="submit-title">"Submit"</h1>
                {move || if reader.signed_in() {
                    view! { <SubmitForm /> }.into_any()
                } else if reader.checked() {
                    view! {
                        <p data-testid="submit-signed-out">
                            <a class="button primary" href=sign_in_href() rel="external">"Sign in to submit"</a>
                        </p>
                    }
                    .into_any()
                } else {
                    ().into_any()
                }}
                <Guidelines />
            </section>
        </div>
    }
}

#[component]
fn SubmitForm() -> impl IntoView {
    let reader = use_reader();
    let navigate = use_navigate();
    let title = RwSignal::new(String::new());
    let url = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let errors = FormErrors::new(&["title", "url", "text"]);
    let attempt = Attempt::<SubmitRequest>::new();
    let send = Action::new_unsync(move |request: &SubmitRequest| {
        let request = request.clone();
        let key = attempt.key(&request);
        async move { api::submit(&request, &key).await }
    });
    on_answer(
        send,
        move |answer: Submitted| {
            attempt.answered();
            if answer.duplicate {
                reader.note.set(Some(
                    "That link was submitted already, so you are at its story (your submission counted as an upvote)."
                        .into(),
                ));
            }
            navigate(&item_href(answer.story.id), Default::default());
        },
        move |err| {
            if !unanswered(&err) {
                attempt.answered();
            }
            errors.show(err);
        },
    );
    let text_error = errors.field("text");
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        errors.clear();
        let (t, u, x) = (title.get_untracked(), url.get_untracked(), text.get_untracked());
        let has_url = !u.trim().is_empty();
        if let Err(err) = clean_text(&x, "text", !has_url) {
            errors.show(err);
        }
        if TITLE_RULE(&t).is_err() || URL_RULE(&u).is_err() || text_error.get_untracked().is_some() {
            return;
        }
        if send.pending().get_untracked() {
            return;
        }
        send.dispatch(SubmitRequest {
            title: t,
            url: has_url.then(|| u.trim().to_owned()),
            text: (!x.trim().is_empty()).then_some(x),
        });
    };
    let left = move || {
        let n = title.with(|t| t.chars().count());
        match TITLE_MAX.checked_sub(n) {
            Some(left) => format!("{left} characters left"),
            None => format!("{} characters too long", n - TITLE_MAX),
        }
    };
    view! {
        <form class="submit-form" on:submit=on_submit novalidate data-testid="submit-form">
            <FormError errors />
            <Field name="title" label="Title" value=title rule=TITLE_RULE submitted server_error=errors.field("title") />
            <p class="hint counter" aria-live="polite">{left}</p>
            <Field name="url" label="URL" value=url rule=URL_RULE submitted input_type="url"
                server_error=errors.field("url") hint="Leave the URL blank to ask a question (an Ask)." />
            <div class="field" class:invalid=move || text_error.get().is_some()>
                <label for="text">"Text"</label>
                <textarea id="text" name="text" rows="6" aria-describedby="text-hint text-error"
                    prop:value=move || text.get()
                    on:input=move |ev| {
                        text.set(event_target_value(&ev));
                        text_error.set(None);
                    }></textarea>
                <p class="hint" id="text-hint">
                    "Without a URL the text is the question, shown at the top of the thread. With a URL it is optional."
                </p>
                <p class="error" id="text-error" role="alert">{move || text_error.get()}</p>
            </div>
            <button type="submit" class="button primary" data-testid="submit" disabled=move || send.pending().get()>
                {move || if send.pending().get() { "Submitting…" } else { "Submit" }}
            </button>
        </form>
    }
}

/// HN's rules of submission, shortened.
#[component]
fn Guidelines() -> impl IntoView {
    view! {
        <details class="guidelines" open>
            <summary>"What to submit"</summary>
            <ul class="small">
                <li>"Anything good hackers would find interesting: more than just technology."</li>
                <li>"The original source, with its original title, unless it is misleading or linkbait. No editorialising."</li>
                <li>"No shouting: no ALL CAPS, no exclamation points, no \"amazing\"."</li>
                <li>"Made something people can try? Start the title with \"Show HN:\"."</li>
                <li>"A question for the community: leave the URL blank and write the text."</li>
                <li>"A link submitted in the last 30 days leads to the story already here, and counts as your upvote."</li>
            </ul>
        </details>
    }
}
