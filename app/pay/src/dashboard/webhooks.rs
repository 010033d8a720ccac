//! Webhooks: register a URL for chosen events with a signing secret (checked with the worker's
//! own rules), list and remove them, and see every delivery of each with its attempts: when,
//! the receiver's status code, how long it took, what went wrong, when the next try is.

use crate::{
    api,
    dashboard::section::SectionHead,
    form::{Entry, PayField},
};
use app_ui::{
    api::Attempt,
    components::{focus_id, on_answer, Confirm, FormError, FormErrors, Load, StatusBadge},
    format, web_url,
};
use leptos::prelude::*;
use shared::pay::{
    webhook::{validate_events, validate_secret, validate_url_with, EVENTS},
    wire::{DeliveryView, RegisterWebhookRequest, WebhookView},
};

/// The events under their entity (`payment`, `refund`, …), in `EVENTS` order.
pub fn event_groups() -> Vec<(&'static str, Vec<&'static str>)> {
    let mut groups: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
    for event in EVENTS {
        let entity = event.split('.').next().unwrap_or(event);
        match groups.iter_mut().find(|(name, _)| *name == entity) {
            Some((_, events)) => events.push(event),
            None => groups.push((entity, vec![event])),
        }
    }
    groups
}

fn group_label(entity: &str) -> &str {
    match entity {
        "payment" => "Payments",
        "order" => "Orders",
        "refund" => "Refunds",
        "payment_link" => "Payment links",
        "subscription" => "Subscriptions",
        "settlement" => "Settlements",
        other => other,
    }
}

/// A random secret for a new webhook (the browser's `crypto.randomUUID`, dashes dropped).
fn generate_secret() -> String {
    app_ui::api::new_key().replace('-', "")
}

#[component]
pub fn Webhooks() -> impl IntoView {
    let hooks = LocalResource::new(api::webhooks);
    let busy = RwSignal::new(false);
    let refresh = Callback::new(move |_| hooks.refetch());
    let removing = RwSignal::new(None::<WebhookView>);
    view! {
        <section class="panel pay-section" aria-labelledby="webhooks-heading">
            <SectionHead id="webhooks-heading" title="Your webhooks" busy refresh />
            <Load loading="Loading webhooks…" retry=refresh pending=busy>
                {move || hooks.get().map(|answer| answer.map(|list| if list.items.is_empty() {
                    view! { <p class="pay-none">"No webhooks yet."</p> }.into_any()
                } else {
                    view! {
                        <ul class="pay-cards" data-testid="webhooks">
                            {list.items.into_iter().map(|hook| view! { <WebhookItem hook removing /> }).collect_view()}
                        </ul>
                    }.into_any()
                }))}
            </Load>
        </section>
        <section class="panel pay-section" aria-labelledby="webhook-form-heading">
            <h2 id="webhook-form-heading">"Add a webhook"</h2>
            <p class="muted small">"Pay POSTs each event you choose to your URL, signed in "<code>"X-Razorpay-Signature"</code>
                " (HMAC-SHA256 of the body with your secret), and retries with backoff for 24 hours until it answers 2xx."</p>
            <RegisterForm on_registered=refresh />
        </section>
        {move || removing.get().map(|hook| view! { <RemoveWebhook hook removing on_removed=refresh /> })}
    }
}

/// "Remove this webhook?", and removing it.
#[component]
fn RemoveWebhook(
    hook: WebhookView,
    removing: RwSignal<Option<WebhookView>>,
    on_removed: Callback<()>,
) -> impl IntoView {
    let on_close = Callback::new(move |removed: bool| {
        if removed {
            on_removed.run(());
            focus_id("webhooks-heading");
        }
        removing.set(None);
    });
    let id = hook.id.clone();
    let action = Action::new_unsync(move |_: &()| {
        let id = id.clone();
        async move { api::remove_webhook(&id).await }
    });
    view! {
        <Confirm heading="Remove this webhook?" confirm="Remove" busy_label="Removing…" action on_close return_to=format!("remove-{}", hook.id)>
            <p>"Nothing more will be sent to "<strong class="url">{hook.url}</strong>". Deliveries under way stop."</p>
        </Confirm>
    }
}

#[component]
fn RegisterForm(on_registered: Callback<()>) -> impl IntoView {
    let errors = FormErrors::new(&["url", "events", "secret"]);
    let url = Entry::new(errors.field("url"));
    let secret = Entry::new(errors.field("secret"));
    let events = RwSignal::new(vec![
        "payment.captured".to_owned(),
        "payment.failed".to_owned(),
        "refund.processed".to_owned(),
    ]);
    let submitted = RwSignal::new(false);
    let done = RwSignal::new(None::<String>);
    let url_check =
        Signal::derive(move || validate_url_with(&url.value.get(), web_url::parse).err().map(|e| e.message));
    let secret_check = Signal::derive(move || validate_secret(&secret.value.get()).err().map(|e| e.message));
    let events_error = Signal::derive(move || {
        submitted
            .get()
            .then(|| validate_events(&events.get()).err().map(|e| e.message))
            .flatten()
            .or_else(|| errors.field("events").get())
    });
    let attempt = Attempt::<RegisterWebhookRequest>::new();
    let register = Action::new_unsync(move |request: &RegisterWebhookRequest| {
        let (request, key) = (request.clone(), attempt.key(request));
        async move { api::register_webhook(&request, &key).await }
    });
    let pending = register.pending();
    on_answer(
        register,
        move |hook| {
            attempt.answered();
            done.set(Some(format!(
                "Registered {}. Keep the secret: deliveries are signed with it.",
                hook.url
            )));
            for entry in [url, secret] {
                entry.value.set(String::new());
                entry.shown.set(false);
            }
            submitted.set(false);
            on_registered.run(());
        },
        move |err| {
            attempt.answered();
            errors.show(err);
        },
    );
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        submitted.set(true);
        url.shown.set(true);
        secret.shown.set(true);
        errors.clear();
        done.set(None);
        let request = RegisterWebhookRequest {
            url: url.value.get_untracked().trim().to_owned(),
            events: events.get_untracked(),
            secret: secret.value.get_untracked(),
        };
        if validate_url_with(&request.url, web_url::parse).is_err() {
            return focus_id("webhook-url");
        }
        if validate_events(&request.events).is_err() {
            return focus_id("webhook-events");
        }
        if validate_secret(&request.secret).is_err() {
            return focus_id("webhook-secret");
        }
        register.dispatch(request);
    };
    view! {
        <form class="webhook-form" novalidate on:submit=on_submit>
            <FormError errors />
            <Show when=move || done.get().is_some()>
                <p class="notice" role="status" data-testid="webhook-registered">{done}</p>
            </Show>
            <PayField id="webhook-url" label="URL" entry=url check=url_check input_type="url" inputmode="url"
                placeholder="https://example.com/hooks/razorpay" hint="https://, or http:// to localhost while you develop." />
            <EventPicker events errors events_error />
            <PayField id="webhook-secret" label="Secret" entry=secret check=secret_check
                hint="Up to 255 characters. Store it with your receiver: it is not shown again.">
                <button type="button" class="button ghost small" on:click=move |_| {
                    secret.value.set(generate_secret());
                    secret.server.set(None);
                }>"Generate"</button>
            </PayField>
            <button type="submit" class="button primary" disabled=pending aria-busy=move || pending.get().to_string()>
                {move || if pending.get() { "Adding…" } else { "Add webhook" }}
            </button>
        </form>
    }
}

/// The events to send, under their entity, with Select all and Clear.
#[component]
fn EventPicker(
    events: RwSignal<Vec<String>>,
    errors: FormErrors,
    events_error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <fieldset class="group pay-events" id="webhook-events" tabindex="-1" class:invalid=move || events_error.get().is_some()
            aria-describedby=move || if events_error.get().is_some() { "webhook-events-error" } else { "" }>
            <legend>"Events"</legend>
            <div class="pay-event-groups">
                {event_groups().into_iter().map(|(entity, names)| view! {
                    <div class="pay-event-group">
                        <p class="pay-event-entity">{group_label(entity)}</p>
                        {names.into_iter().map(|name| view! {
                            <label class="check small">
                                <input type="checkbox" value=name
                                    prop:checked=move || events.with(|e| e.iter().any(|x| x == name))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        events.update(|e| {
                                            e.retain(|x| x != name);
                                            if on { e.push(name.to_owned()); }
                                        });
                                        errors.field("events").set(None);
                                    } />
                                <code>{name}</code>
                            </label>
                        }).collect_view()}
                    </div>
                }).collect_view()}
            </div>
            <p class="pay-event-actions">
                <button type="button" class="link-button" on:click=move |_| events.set(EVENTS.iter().map(|e| (*e).to_owned()).collect())>"Select all"</button>
                " · "
                <button type="button" class="link-button" on:click=move |_| events.set(Vec::new())>"Clear"</button>
                <span class="muted small">{move || format!(" · {} chosen", events.with(Vec::len))}</span>
            </p>
            <p class="error" id="webhook-events-error" role="alert" aria-live="polite">{events_error}</p>
        </fieldset>
    }
}

#[component]
fn WebhookItem(hook: WebhookView, removing: RwSignal<Option<WebhookView>>) -> impl IntoView {
    let open = RwSignal::new(false);
    let panel_id = format!("deliveries-{}", hook.id);
    let remove_id = format!("remove-{}", hook.id);
    let for_remove = hook.clone();
    let id = hook.id.clone();
    view! {
        <li class="pay-card" data-webhook=hook.id.clone()>
            <div class="pay-card-head">
                <strong class="pay-card-title url">{hook.url.clone()}</strong>
                <StatusBadge status=if hook.active { "active" } else { "disabled" } />
            </div>
            <p class="pay-chips">{hook.events.iter().map(|e| view! { <code class="chip">{e.clone()}</code> }).collect_view()}</p>
            <p class="pay-meta muted small"><code>{hook.id.clone()}</code><span>{format!("added {}", format::date_time(hook.created_at.millis()))}</span></p>
            <p class="link-actions">
                <button type="button" class="button ghost small" aria-expanded=move || open.get().to_string() aria-controls=panel_id.clone()
                    on:click=move |_| open.update(|o| *o = !*o)>
                    {move || if open.get() { "Hide deliveries" } else { "Deliveries" }}
                </button>
                <button type="button" class="button danger small" id=remove_id aria-label=format!("Remove the webhook to {}", hook.url)
                    on:click=move |_| removing.set(Some(for_remove.clone()))>"Remove"</button>
            </p>
            <div id=panel_id>
                <Show when=move || open.get()>
                    <Deliveries id=id.clone() />
                </Show>
            </div>
        </li>
    }
}

#[component]
fn Deliveries(id: String) -> impl IntoView {
    let deliveries = LocalResource::new(move || {
        let id = id.clone();
        async move { api::deliveries(&id).await }
    });
    let busy = RwSignal::new(false);
    let refresh = Callback::new(move |_| deliveries.refetch());
    view! {
        <div class="pay-deliveries" aria-busy=move || busy.get().to_string()>
            <div class="pay-section-head">
                <h3 class="pay-sub">"Deliveries"</h3>
                <button type="button" class="button ghost small" on:click=move |_| refresh.run(())
                    disabled=busy>"Refresh"</button>
            </div>
            <Load loading="Loading deliveries…" retry=refresh pending=busy>
                {move || deliveries.get().map(|answer| answer.map(|list| if list.items.is_empty() {
                    view! {
                        <p class="muted small">"Nothing delivered yet: events you subscribed to appear here as they happen."</p>
                    }.into_any()
                } else {
                    view! {
                        <ul class="pay-delivery-list" data-testid="deliveries">
                            {list.items.into_iter().map(|d| view! { <DeliveryItem delivery=d /> }).collect_view()}
                        </ul>
                    }.into_any()
                }))}
            </Load>
        </div>
    }
}

#[component]
fn DeliveryItem(delivery: DeliveryView) -> impl IntoView {
    let when = match (&delivery.delivered_at, &delivery.next_attempt_at) {
        (Some(at), _) => format!("delivered {}", format::date_time(at.millis())),
        (None, Some(next)) if delivery.status == "pending" => {
            format!("next try {}", format::date_time(next.millis()))
        }
        _ => String::new(),
    };
    view! {
        <li class="pay-delivery" data-event=delivery.event.clone()>
            <div class="pay-card-head">
                <code>{delivery.event.clone()}</code>
                <StatusBadge status={&delivery.status} />
            </div>
            <p class="pay-meta muted small">
                <span>{format!("event {}", delivery.event_id)}</span>
                <span>{format::date_time(delivery.created_at.millis())}</span>
                {(!when.is_empty()).then(|| view! { <span>{when}</span> })}
            </p>
            {(!delivery.attempts.is_empty()).then(|| view! {
                <table class="pay-table compact attempts">
                    <caption class="visually-hidden">{format!("Attempts to deliver {}", delivery.event)}</caption>
                    <thead><tr>
                        <th scope="col" class="num">"#"</th>
                        <th scope="col">"When"</th>
                        <th scope="col">"Answer"</th>
                        <th scope="col" class="num">"Time"</th>
                    </tr></thead>
                    <tbody>
                        {delivery.attempts.iter().map(|a| {
                            let ok = a.status_code.is_some_and(|c| (200..300).contains(&c));
                            view! {
                                <tr>
                                    <td class="num">{a.attempt}</td>
                                    <td>{format::date_time(a.at.millis())}</td>
                                    <td>
                                        {a.status_code.map(|c| view! { <span class=if ok { "code ok" } else { "code bad" }>{c}</span> })}
                                        {a.error.clone().map(|e| view! { <span class="sub muted">{e}</span> })}
                                    </td>
                                    <td class="num">{a.duration_ms.map(|d| format!("{d} ms"))}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </li>
    }
}
