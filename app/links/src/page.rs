//! `/links`: the shorten box (works signed out) and, signed in, your links.

use crate::{api, edit::EditDialog};
use app_ui::{
    components::{
        field::{Field, Rule},
        FormError, FormErrors,
    },
    session::use_session,
};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::components::A;
use shared::links::{
    alias::validate_alias,
    url_rules::{validate_destination, UrlPolicy},
    wire::{normalize_tags, CreateLinkRequest, LinkView},
};

/// The destination rules the worker applies; our own host stands for "a short link already".
pub const URL_RULE: Rule = |v| {
    let host = web_sys::window().and_then(|w| w.location().hostname().ok()).unwrap_or_default();
    validate_destination(v, &UrlPolicy { own_hosts: &[&host], blocked_domains: &[] }).map(drop)
};
const ALIAS_RULE: Rule = |v| if v.is_empty() { Ok(()) } else { validate_alias(v).map(drop) };
pub const TAGS_RULE: Rule = |v| normalize_tags(&split_tags(v)).map(drop);

/// "launch, q4" → ["launch", "q4"]
pub fn split_tags(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect()
}

/// Copies `text` to the clipboard and says so for two seconds.
pub fn copy_button(text: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    let on_click = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.navigator().clipboard().write_text(&text);
            copied.set(true);
            set_timeout(move || copied.set(false), std::time::Duration::from_secs(2));
        }
    };
    view! {
        <button type="button" class="button ghost small" on:click=on_click aria-live="polite">
            {move || if copied.get() { "Copied" } else { "Copy" }}
        </button>
    }
}

#[component]
pub fn LinksPage() -> impl IntoView {
    let session = use_session();
    let refresh = RwSignal::new(0u32);
    view! {
        <div class="stack wide">
            <section class="panel">
                <h1>"Shorten a link"</h1>
                <ShortenBox on_created=move || refresh.update(|n| *n += 1) />
            </section>
            <Show
                when=move || session.user.get().is_some()
                fallback=move || view! {
                    <p class="panel muted" data-testid="links-signed-out">
                        <a href="/signin?next=/links" rel="external">"Sign in"</a>
                        " to choose your own alias, protect links with a password, tag them, and see who clicks."
                    </p>
                }
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
    let pending = RwSignal::new(false);
    let created = RwSignal::new(None::<LinkView>);
    let errors = FormErrors::new(&["url", "alias", "tags"]);
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
        pending.set(true);
        let signed_in = session.user.get_untracked().is_some();
        let request = CreateLinkRequest {
            url: u,
            alias: Some(a).filter(|a| signed_in && !a.is_empty()),
            tags: Some(split_tags(&t)).filter(|t| signed_in && !t.is_empty()),
            ..Default::default()
        };
        spawn_local(async move {
            match api::create(&request).await {
                Ok(link) => {
                    created.set(Some(link));
                    url.set(String::new());
                    alias.set(String::new());
                    tags.set(String::new());
                    submitted.set(false);
                    on_created();
                }
                Err(err) => errors.show(err),
            }
            pending.set(false);
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
            <button type="submit" class="button primary" disabled=move || pending.get()>
                {move || if pending.get() { "Shortening…" } else { "Shorten" }}
            </button>
        </form>
        {move || created.get().map(|link| view! {
            <div class="notice result" role="status" data-testid="shortened">
                <p>"Your short link:"</p>
                <p class="key-row">
                    <a class="short-url" href=link.short_url.clone()>{link.short_url.clone()}</a>
                    {copy_button(link.short_url.clone())}
                </p>
                <p class="muted small">"→ " {link.url.clone()}</p>
                <img class="qr" src=api::qr_url(&link.code) alt=format!("QR code for {}", link.short_url) width="160" height="160" />
            </div>
        })}
    }
}

#[component]
fn MyLinks(refresh: RwSignal<u32>) -> impl IntoView {
    let search = RwSignal::new(String::new());
    let tag = RwSignal::new(String::new());
    let links = RwSignal::new(Vec::<LinkView>::new());
    let next_cursor = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let editing = RwSignal::new(None::<LinkView>);
    let qr_for = RwSignal::new(None::<String>);

    let load = move |append: bool| {
        let (q, t) = (search.get_untracked(), tag.get_untracked());
        let cursor = if append { next_cursor.get_untracked() } else { None };
        spawn_local(async move {
            match api::list(&q, &t, cursor.as_deref()).await {
                Ok(page) => {
                    if append {
                        links.update(|l| l.extend(page.links));
                    } else {
                        links.set(page.links);
                    }
                    next_cursor.set(page.next_cursor);
                    error.set(None);
                }
                Err(err) => error.set(Some(err.message)),
            }
        });
    };
    Effect::new(move |_| {
        refresh.track();
        search.track();
        tag.track();
        load(false);
    });
    let remove = move |code: String| {
        spawn_local(async move {
            match api::delete(&code).await {
                Ok(()) => links.update(|l| l.retain(|x| x.code != code)),
                Err(err) => error.set(Some(err.message)),
            }
        })
    };

    view! {
        <section class="panel">
            <div class="list-head">
                <h2>"Your links"</h2>
                <label class="search">
                    <span class="visually-hidden">"Search your links"</span>
                    <input type="search" placeholder="Search URL or code" prop:value=move || search.get()
                        on:input=move |ev| search.set(event_target_value(&ev)) />
                </label>
            </div>
            <Show when=move || !tag.get().is_empty()>
                <p class="muted">"Tagged " <strong>{move || tag.get()}</strong> " · "
                    <button type="button" class="link-button" on:click=move |_| tag.set(String::new())>"show all"</button>
                </p>
            </Show>
            <Show when=move || error.get().is_some()>
                <p class="form-error" role="alert">{move || error.get()}</p>
            </Show>
            <Show when=move || !links.get().is_empty() fallback=|| view! { <p class="muted">"No links yet."</p> }>
                <ul class="link-list">
                    <For each=move || links.get() key=|l| (l.code.clone(), l.updated_at) let:link>
                        {
                            let code = link.code.clone();
                            let (code_qr, code_del, code_stats, code_shown) = (code.clone(), code.clone(), code.clone(), code.clone());
                            let qr_src = api::qr_url(&code);
                            let qr_alt = format!("QR code for {}", link.short_url);
                            let for_edit = link.clone();
                            view! {
                                <li data-code=code>
                                    <div class="link-main">
                                        <a class="short-url" href=link.short_url.clone()>{link.short_url.clone()}</a>
                                        {copy_button(link.short_url.clone())}
                                    </div>
                                    <p class="destination" title=link.url.clone()>{link.url.clone()}</p>
                                    <p class="link-meta">
                                        <span>{format!("{} clicks", link.clicks)}</span>
                                        {link.password_protected.then(|| view! { <span class="badge">"password"</span> })}
                                        {link.expires_at.map(|t| view! { <span class="badge">{format!("expires {}", &t.to_rfc3339()[..10])}</span> })}
                                        {link.tags.iter().map(|t| {
                                            let name = t.clone();
                                            view! { <button type="button" class="tag" on:click=move |_| tag.set(name.clone())>{t.clone()}</button> }
                                        }).collect_view()}
                                    </p>
                                    <p class="link-actions">
                                        <A href=format!("/links/{code_stats}") attr:class="button ghost small">"Stats"</A>
                                        <button type="button" class="button ghost small" on:click=move |_| {
                                            qr_for.update(|q| *q = if q.as_deref() == Some(&code_qr) { None } else { Some(code_qr.clone()) })
                                        }>"QR"</button>
                                        <button type="button" class="button ghost small" on:click=move |_| editing.set(Some(for_edit.clone()))>"Edit"</button>
                                        <button type="button" class="button danger small" on:click=move |_| remove(code_del.clone())>"Delete"</button>
                                    </p>
                                    <Show when=move || qr_for.get().as_deref() == Some(code_shown.as_str())>
                                        <img class="qr" src=qr_src.clone() alt=qr_alt.clone() width="160" height="160" />
                                    </Show>
                                </li>
                            }
                        }
                    </For>
                </ul>
            </Show>
            <Show when=move || next_cursor.get().is_some()>
                <button type="button" class="button ghost" on:click=move |_| load(true)>"Show more"</button>
            </Show>
        </section>
        {move || editing.get().map(|link| {
            let on_close = move |updated: Option<LinkView>| {
                if let Some(updated) = updated {
                    links.update(|l| {
                        if let Some(x) = l.iter_mut().find(|x| x.code == updated.code) {
                            *x = updated.clone();
                        }
                    });
                }
                editing.set(None);
            };
            view! { <EditDialog link on_close /> }
        })}
    }
}
