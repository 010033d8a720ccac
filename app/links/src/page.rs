//! `/links`: the shorten box (works signed out) and, signed in, your links.

use crate::{
    api,
    edit::EditDialog,
    rules::{split_tags, ALIAS_RULE, TAGS_RULE, URL_RULE},
};
use app_ui::{
    components::{field::Field, on_answer, CopyButton, FormError, FormErrors, Load, PageHead},
    session::use_session,
};
use leptos::prelude::*;
use leptos_router::components::A;
use shared::{
    links::wire::{CreateLinkRequest, LinkView},
    ApiError,
};

#[component]
pub fn LinksPage() -> impl IntoView {
    let session = use_session();
    let refresh = RwSignal::new(0u32);
    view! {
        <div class="stack wide">
            <PageHead path="/links" />
            <section class="panel">
                <h2>"Shorten a link"</h2>
                <ShortenBox on_created=move || refresh.update(|n| *n += 1) />
            </section>
            // Until the session is known, neither: a signed-in visitor never sees "Sign in" flash.
            <Show
                when=move || session.user.get().is_some()
                fallback=move || session.checked.get().then(|| view! {
                    <p class="panel muted" data-testid="links-signed-out">
                        <a href="/signin?next=/links" rel="external">"Sign in"</a>
                        " to choose your own alias, protect links with a password, tag them, and see who clicks."
                    </p>
                })
            >
                <MyLinks refresh />
            </Show>
        </div>
    }
}

#[component]
fn ShortenBox(on_created: impl Fn() + Copy + 'static) -> impl IntoView {
    let session = use_session();
    let url = RwSignal::new(String::new());
    let alias = RwSignal::new(String::new());
    let tags = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let errors = FormErrors::new(&["url", "alias", "tags"]);
    let shorten = Action::new_unsync(|request: &CreateLinkRequest| {
        let request = request.clone();
        async move { api::create(&request).await }
    });
    let pending = shorten.pending();
    on_answer(
        shorten,
        move |_| {
            url.set(String::new());
            alias.set(String::new());
            tags.set(String::new());
            submitted.set(false);
            on_created();
        },
        move |err| errors.show(err),
    );
    let created = move || shorten.value().get().and_then(Result::ok);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        errors.clear();
        let (u, a, t) = (url.get_untracked(), alias.get_untracked(), tags.get_untracked());
        if URL_RULE(&u).is_err()
            || ALIAS_RULE(&a).is_err()
            || TAGS_RULE(&t).is_err()
            || pending.get_untracked()
        {
            return;
        }
        let signed_in = session.user.get_untracked().is_some();
        shorten.dispatch(CreateLinkRequest {
            url: u,
            alias: Some(a).filter(|a| signed_in && !a.is_empty()),
            tags: Some(split_tags(&t)).filter(|t| signed_in && !t.is_empty()),
            ..Default::default()
        });
    };
    view! {
        <form on:submit=on_submit novalidate class="shorten-form">
            <FormError errors />
            <Field name="url" label="Long URL" value=url rule=URL_RULE submitted input_type="url"
                server_error=errors.field("url") hint="http:// or https://, up to 2,048 characters." />
            <Show when=move || session.user.get().is_some()>
                <div class="field-row">
                    <Field name="alias" label="Alias (optional)" value=alias rule=ALIAS_RULE submitted
                        server_error=errors.field("alias") hint="3–64 letters, digits, - or _." />
                    <Field name="tags" label="Tags (optional)" value=tags rule=TAGS_RULE submitted
                        server_error=errors.field("tags") hint="Separated by commas." />
                </div>
            </Show>
            <button type="submit" class="button primary" disabled=pending>
                {move || if pending.get() { "Shortening…" } else { "Shorten" }}
            </button>
        </form>
        {move || created().map(|link| view! {
            <div class="notice result" role="status" data-testid="shortened">
                <p>"Your short link:"</p>
                <p class="key-row">
                    <a class="short-url" href=link.short_url.clone()>{link.short_url.clone()}</a>
                    <CopyButton text=link.short_url.clone() />
                </p>
                <p class="muted small">"→ " {link.url.clone()}</p>
                <img class="qr" src=api::qr_url(&link.code) alt=format!("QR code for {}", link.short_url) width="160" height="160" />
            </div>
        })}
    }
}

/// The first `pages` pages of your links (following their cursors), and the cursor after them.
async fn first_pages(
    search: String,
    tag: String,
    pages: usize,
) -> Result<(Vec<LinkView>, Option<String>), ApiError> {
    let mut links = Vec::new();
    let mut cursor = None;
    for _ in 0..pages {
        let page = api::list(&search, &tag, cursor.as_deref()).await?;
        links.extend(page.links);
        cursor = page.next_cursor;
        if cursor.is_none() {
            break;
        }
    }
    Ok((links, cursor))
}

#[component]
fn MyLinks(refresh: RwSignal<u32>) -> impl IntoView {
    let search = RwSignal::new(String::new());
    let tag = RwSignal::new(String::new());
    // Pages shown: one, and one more per "Show more"; a new search or tag starts again.
    let pages = RwSignal::new(1usize);
    let editing = RwSignal::new(None::<LinkView>);
    let qr_for = RwSignal::new(None::<String>);
    let links = LocalResource::new(move || {
        refresh.track();
        first_pages(search.get(), tag.get(), pages.get())
    });
    let remove = Action::new_unsync(|code: &String| {
        let code = code.clone();
        async move { api::delete(&code).await }
    });
    Effect::watch(move || remove.version().get(), move |_, _, _| links.refetch(), false);
    let remove_error = move || remove.value().get().and_then(Result::err).map(|e| e.message);
    let show_tag = Callback::new(move |name: String| {
        pages.set(1);
        tag.set(name);
    });

    view! {
        <section class="panel">
            <div class="list-head">
                <h2>"Your links"</h2>
                <label class="search">
                    <span class="visually-hidden">"Search your links"</span>
                    <input type="search" placeholder="Search URL or code" prop:value=move || search.get()
                        on:input=move |ev| { pages.set(1); search.set(event_target_value(&ev)); } />
                </label>
            </div>
            <Show when=move || !tag.get().is_empty()>
                <p class="muted">"Tagged " <strong>{move || tag.get()}</strong> " · "
                    <button type="button" class="link-button" on:click=move |_| show_tag.run(String::new())>"show all"</button>
                </p>
            </Show>
            <Show when=move || remove_error().is_some()>
                <p class="form-error" role="alert">{remove_error}</p>
            </Show>
            <Load loading="Loading your links…" retry=Callback::new(move |_| links.refetch())>
                {move || links.get().map(|answer| answer.map(|(list, cursor)| if list.is_empty() {
                    view! { <p class="muted">"No links yet."</p> }.into_any()
                } else {
                    view! {
                        <ul class="link-list">
                            {list.into_iter().map(|link| view! { <LinkItem link editing qr_for show_tag remove /> }).collect_view()}
                        </ul>
                        {cursor.map(|_| view! {
                            <button type="button" class="button ghost" on:click=move |_| pages.update(|n| *n += 1)>"Show more"</button>
                        })}
                    }.into_any()
                }))}
            </Load>
        </section>
        {move || editing.get().map(|link| {
            let on_close = Callback::new(move |updated: Option<LinkView>| {
                if updated.is_some() {
                    links.refetch();
                }
                editing.set(None);
            });
            view! { <EditDialog link on_close /> }
        })}
    }
}

#[component]
fn LinkItem(
    link: LinkView,
    editing: RwSignal<Option<LinkView>>,
    qr_for: RwSignal<Option<String>>,
    show_tag: Callback<String>,
    remove: Action<String, Result<(), ApiError>>,
) -> impl IntoView {
    let code = link.code.clone();
    let (code_qr, code_del, code_shown) = (code.clone(), code.clone(), code.clone());
    let qr_src = api::qr_url(&code);
    let qr_alt = format!("QR code for {}", link.short_url);
    let for_edit = link.clone();
    view! {
        <li data-code=code.clone()>
            <div class="link-main">
                <a class="short-url" href=link.short_url.clone()>{link.short_url.clone()}</a>
                <CopyButton text=link.short_url.clone() />
            </div>
            <p class="destination" title=link.url.clone()>{link.url.clone()}</p>
            <p class="link-meta">
                <span>{format!("{} clicks", link.clicks)}</span>
                {link.password_protected.then(|| view! { <span class="badge">"password"</span> })}
                {link.expires_at.map(|t| view! { <span class="badge">{format!("expires {}", &t.to_rfc3339()[..10])}</span> })}
                {link.tags.iter().map(|t| {
                    let name = t.clone();
                    view! { <button type="button" class="tag" on:click=move |_| show_tag.run(name.clone())>{t.clone()}</button> }
                }).collect_view()}
            </p>
            <p class="link-actions">
                <A href=format!("/links/{code}") attr:class="button ghost small">"Stats"</A>
                <button type="button" class="button ghost small" on:click=move |_| {
                    qr_for.update(|q| *q = if q.as_deref() == Some(&code_qr) { None } else { Some(code_qr.clone()) })
                }>"QR"</button>
                <button type="button" class="button ghost small" id=format!("edit-{code}")
                    on:click=move |_| editing.set(Some(for_edit.clone()))>"Edit"</button>
                <button type="button" class="button danger small" disabled=move || remove.pending().get()
                    on:click=move |_| { remove.dispatch(code_del.clone()); }>"Delete"</button>
            </p>
            <Show when=move || qr_for.get().as_deref() == Some(code_shown.as_str())>
                <img class="qr" src=qr_src.clone() alt=qr_alt.clone() width="160" height="160" />
            </Show>
        </li>
    }
}
