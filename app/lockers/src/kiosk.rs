//! `/lockers/kiosk/:bank`: the screen on a bank, as a person standing at it sees it. Six digits
//! on a keypad (or typed, or the QR from the app held to the camera where the browser reads QR
//! codes), then the door that opens — to pick a parcel up or to drop a return off — or why none
//! does: a wrong code, an expired one, a closed location, or too many wrong codes at this bank.

use crate::api;
use app_ui::components::on_answer;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::{
    lockers::{
        code::{read_qr, CODE_DIGITS},
        package::{Opened, Purpose},
    },
    ApiError, ErrorCode,
};

/// What the screen says after a code.
#[derive(Clone)]
enum Answer {
    Open(u16, Purpose),
    Refused(String),
}

#[component]
pub fn KioskPage() -> impl IntoView {
    let bank = use_params_map().read_untracked().get("bank").unwrap_or_default();
    let code = RwSignal::new(String::new());
    let answer = RwSignal::new(None::<Answer>);
    let pickup = Action::new_unsync({
        let bank = bank.clone();
        move |code: &String| {
            let (bank, code) = (bank.clone(), code.clone());
            async move { api::pickup(&bank, &code).await }
        }
    });
    on_answer(
        pickup,
        move |opened: Opened| {
            code.set(String::new());
            answer.set(Some(Answer::Open(opened.door, opened.purpose)));
        },
        move |err: ApiError| {
            code.set(String::new());
            let message = match err.code {
                ErrorCode::NotFound => "That code opens nothing here. Check it and try again.".to_owned(),
                ErrorCode::RateLimited => {
                    "Too many wrong codes at this locker: it takes codes again later. Open it from the app instead."
                        .to_owned()
                }
                _ => err.message,
            };
            answer.set(Some(Answer::Refused(message)));
        },
    );
    let press = move |digit: char| {
        answer.set(None);
        code.update(|c| {
            if c.len() < CODE_DIGITS {
                c.push(digit);
            }
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = code.get_untracked();
        if typed.len() == CODE_DIGITS {
            pickup.dispatch(typed);
        }
    };
    let camera = NodeRef::<leptos::html::Div>::new();
    let scanning = RwSignal::new(false);
    let scan = move |_| {
        let Some(holder) = camera.get_untracked() else { return };
        answer.set(None);
        scanning.set(true);
        let bank = bank.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let read = crate::scan::read_qr(&holder).await;
            scanning.set(false);
            match read {
                Ok(Some(text)) => match read_qr(&text) {
                    Some((for_bank, code)) if for_bank == bank => {
                        pickup.dispatch(code.to_owned());
                    }
                    Some(_) => {
                        answer.set(Some(Answer::Refused("That code is for another locker.".to_owned())))
                    }
                    None => {
                        answer.set(Some(Answer::Refused("That QR code is not a locker code.".to_owned())))
                    }
                },
                Ok(None) => answer
                    .set(Some(Answer::Refused("No QR code was seen: type the code instead.".to_owned()))),
                Err(_) => answer.set(Some(Answer::Refused(
                    "The camera could not be used: type the code instead.".to_owned(),
                ))),
            }
        });
    };
    view! {
        <div class="stack kiosk">
            <h1>"Pick up or drop off"</h1>
            <p class="muted">"Type the six-digit code from your message or the app."</p>
            <form class="stack" on:submit=submit>
                <label for="kiosk-code" class="visually-hidden">"Code"</label>
                <input id="kiosk-code" class="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6"
                    prop:value=move || code.get()
                    on:input=move |ev| {
                        answer.set(None);
                        code.set(event_target_value(&ev).chars().filter(char::is_ascii_digit).take(CODE_DIGITS).collect());
                    } />
                <div class="keypad" role="group" aria-label="Keypad">
                    {['1', '2', '3', '4', '5', '6', '7', '8', '9'].into_iter().map(|d| view! {
                        <button type="button" class="button" on:click=move |_| press(d)>{d.to_string()}</button>
                    }).collect_view()}
                    <button type="button" class="button ghost" aria-label="Delete the last digit"
                        on:click=move |_| code.update(|c| { c.pop(); })>"⌫"</button>
                    <button type="button" class="button" on:click=move |_| press('0')>"0"</button>
                    <button type="submit" class="button primary"
                        disabled=move || code.with(|c| c.len() != CODE_DIGITS) || pickup.pending().get()>"Open"</button>
                </div>
            </form>
            {crate::scan::available().then(|| view! {
                <button type="button" class="button" data-testid="kiosk-scan" disabled=move || scanning.get() on:click=scan>
                    {move || if scanning.get() { "Hold the QR code up to the camera…" } else { "Scan the QR code" }}
                </button>
            })}
            <div node_ref=camera aria-live="polite"></div>
            {move || answer.get().map(|a| match a {
                Answer::Open(door, purpose) => view! {
                    <p class="opened" role="status" data-testid="kiosk-open">{match purpose {
                        Purpose::DropOff => format!("Door {door} is open: put your return in and close the door."),
                        _ => format!("Door {door} is open: take your parcel and close the door."),
                    }}</p>
                }.into_any(),
                Answer::Refused(message) => view! {
                    <p class="form-error" role="alert" data-testid="kiosk-refused">{message}</p>
                }.into_any(),
            })}
        </div>
    }
}
