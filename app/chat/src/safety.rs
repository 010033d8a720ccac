//! The safety-number view of an encrypted chat: the sixty digits this person and another see
//! alike when their browsers use each other's real keys (read aloud, or one scans the other's
//! code). A number that changes means a device was added or replaced, perhaps not by them.

use crate::e2ee::use_secrets;
use leptos::prelude::*;
use shared::chat::e2ee::safety::grouped;

#[component]
pub fn SafetyNumber(username: String, display_name: String) -> impl IntoView {
    let secrets = use_secrets();
    let number = LocalResource::new(move || {
        let username = username.clone();
        async move { secrets.safety_number(&username).await }
    });
    view! {
        <div class="safety" data-testid="safety-number">
            <Suspense fallback=|| view! { <p class="muted small">"Reading both of your keys…"</p> }>
                {move || number.get().map(|answer| match answer {
                    Ok((number, qr)) => {
                        view! {
                            <p class="small">"Compare these numbers with "{display_name.clone()}
                                " (in person, or scan theirs). If they match, no one is in the middle."</p>
                            <p class="safety-digits" data-digits=number.clone()>{grouped(&number).join(" ")}</p>
                            <span class="safety-qr" inner_html=qr role="img" aria-label="The safety number as a QR code"></span>
                        }.into_any()
                    }
                    Err(why) => view! { <p class="form-error small" role="alert">{why}</p> }.into_any(),
                })}
            </Suspense>
        </div>
    }
}
