//! The customer's side of paying, shared by the hosted checkout (an order) and a subscription's
//! authorization page: contact details, the method tabs and each method's inputs, checked as the
//! worker checks them (the same `shared` rules); one `Idempotency-Key` per attempt; the bank's
//! OTP step and a failure with a retry. Card numbers and CVVs live only in this page's memory:
//! never logged, never stored.

use crate::{
    api::{self, Target},
    form::{
        card_errors, digits_of, digits_upto, format_card_number, network_of, wallet_name, CardErrors,
        CardText, Entry, PayField,
    },
};
use app_ui::{
    api::{unanswered, Attempt},
    components::{focus_id, on_answer, ErrorBanner, FormError, FormErrors},
};
use leptos::prelude::*;
use shared::{
    pay::{
        attempt::card_calendar_month,
        methods::{
            validate_contact, validate_email, validate_vpa, CardNetwork, PaymentMethod, MAX_OTP_ATTEMPTS,
        },
        wire::{BankOption, CheckoutCard, CheckoutPayRequest, CheckoutResult, CheckoutStatus},
    },
    ApiError, ErrorCode,
};

/// What a payment form pays and how it is worded.
#[derive(Debug, Clone, PartialEq)]
pub struct Payee {
    pub target: Target,
    /// The methods offered, in tab order (a subscription takes cards and UPI only).
    pub methods: &'static [PaymentMethod],
    pub banks: Vec<BankOption>,
    pub wallets: Vec<String>,
    /// The submit button: `Pay ₹500.00`.
    pub action: String,
    /// The OTP step's button: `Verify and pay ₹500.00`.
    pub verify: String,
}

/// The test instruments, as the test-mode banner lists them.
pub const TEST_INSTRUMENTS: [(&str, &str); 6] = [
    ("4111 1111 1111 1111", "succeeds"),
    ("4000 0000 0000 0002", "declined"),
    ("4000 0000 0000 9995", "insufficient funds"),
    ("4000 0000 0000 3220", "asks for OTP 123456"),
    ("success@razorpay", "UPI, succeeds"),
    ("failure@razorpay", "UPI, declined"),
];

/// The test-mode banner: no real money, and the instruments to try.
#[component]
pub fn TestMode(
    instruments: &'static [(&'static str, &'static str)],
    #[prop(into)] hidden: Signal<bool>,
) -> impl IntoView {
    view! {
        <div class="test-mode" role="note" aria-label="Test mode" hidden=move || hidden.get()>
            <p><span class="badge test-badge">"Test mode"</span>" No real money moves. Any future expiry and any CVV work."</p>
            <dl class="test-cards">
                {instruments.iter().map(|(instrument, outcome)| view! {
                    <dt><code>{*instrument}</code></dt><dd>{*outcome}</dd>
                }).collect_view()}
            </dl>
        </div>
    }
}

/// A customer page's skeleton while it loads.
pub fn waiting(what: &'static str) -> ViewFn {
    ViewFn::from(
        move || view! { <section class="panel checkout-status" aria-busy="true"><p class="muted">{what}</p></section> },
    )
}

/// A customer page that could not load: `missing` (its heading and what to do) when there is
/// nothing at its address, else `failed` with the reason and Retry.
pub fn load_failed(
    missing: (&'static str, &'static str),
    failed: &'static str,
) -> Callback<(ApiError, Callback<()>), AnyView> {
    Callback::new(move |(err, retry): (ApiError, Callback<()>)| {
        if err.code == ErrorCode::NotFound {
            view! { <section class="panel checkout-status"><h1>{missing.0}</h1><p>{missing.1}</p></section> }
                .into_any()
        } else {
            view! { <section class="panel checkout-status"><h1>{failed}</h1><ErrorBanner message=err.message retry /></section> }
                .into_any()
        }
    })
}

/// Server error field names (Razorpay's) → the input that shows them.
const INPUTS: [(&str, &str); 10] = [
    ("email", "pay-email"),
    ("contact", "pay-contact"),
    ("card[number]", "card-number"),
    ("card[expiry_month]", "card-exp-month"),
    ("card[expiry_year]", "card-exp-year"),
    ("card[cvv]", "card-cvv"),
    ("card[name]", "card-name"),
    ("vpa", "upi-vpa"),
    ("bank", "nb-bank"),
    ("wallet", "wallet-choice"),
];

fn input_of(field: &str) -> Option<&'static str> {
    INPUTS.iter().find(|(name, _)| *name == field).map(|(_, id)| *id)
}

fn method_label(method: PaymentMethod) -> &'static str {
    match method {
        PaymentMethod::Card => "Card",
        PaymentMethod::Upi => "UPI",
        PaymentMethod::Netbanking => "Net banking",
        PaymentMethod::Wallet => "Wallet",
    }
}

/// Where the customer is in paying.
#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    Form,
    /// The bank wants an OTP for this payment.
    Otp(String),
    Done(CheckoutResult),
    Failed(CheckoutResult),
    /// The order is paid, or the subscription authorized (before we came, or by an earlier
    /// answer that got lost).
    AlreadyPaid,
}

impl Stage {
    /// The heading that takes focus when this stage appears (the form's focus is chosen by
    /// whoever returns to it).
    pub fn heading(&self) -> Option<&'static str> {
        match self {
            Stage::Form => None,
            Stage::Otp(_) => Some("otp-heading"),
            Stage::Done(_) | Stage::Failed(_) | Stage::AlreadyPaid => Some("result-heading"),
        }
    }
}

/// Focus follows the customer to each new stage's heading (not on first load).
pub fn focus_follows(stage: RwSignal<Stage>) {
    Effect::watch(
        move || stage.with(Stage::heading),
        |id, _, _| {
            if let Some(id) = id {
                focus_id(*id);
            }
        },
        false,
    );
}

/// Everything the customer has typed, kept across stages (a failed payment returns to it).
#[derive(Clone, Copy)]
pub struct PayState {
    method: RwSignal<PaymentMethod>,
    email: Entry,
    contact: Entry,
    number: Entry,
    name: Entry,
    month: Entry,
    year: Entry,
    cvv: Entry,
    vpa: Entry,
    bank: Entry,
    wallet: Entry,
    errors: FormErrors,
    /// The network failed: say so, with a retry that resends the same attempt.
    unreachable: RwSignal<Option<String>>,
    /// The attempt in flight or unanswered, with its key: resent as is, it keeps its key, so the
    /// worker answers it once however often it arrives.
    attempt: Attempt<CheckoutPayRequest>,
}

impl Default for PayState {
    fn default() -> Self {
        Self::new()
    }
}

impl PayState {
    pub fn new() -> Self {
        let errors = FormErrors::new(&INPUTS.map(|(name, _)| name));
        let entry = |name| Entry::new(errors.field(name));
        Self {
            method: RwSignal::new(PaymentMethod::Card),
            email: entry("email"),
            contact: entry("contact"),
            number: entry("card[number]"),
            name: entry("card[name]"),
            month: entry("card[expiry_month]"),
            year: entry("card[expiry_year]"),
            cvv: entry("card[cvv]"),
            vpa: entry("vpa"),
            bank: entry("bank"),
            wallet: entry("wallet"),
            errors,
            unreachable: RwSignal::new(None),
            attempt: Attempt::new(),
        }
    }

    fn card_text(&self) -> CardText {
        CardText {
            number: self.number.value.get(),
            name: self.name.value.get(),
            month: self.month.value.get(),
            year: self.year.value.get(),
            cvv: self.cvv.value.get(),
        }
    }

    /// The card's sensitive parts are forgotten as soon as the bank has answered.
    fn forget_card_secrets(&self, number_too: bool) {
        self.cvv.value.set(String::new());
        self.cvv.shown.set(false);
        if number_too {
            self.number.value.set(String::new());
            self.number.shown.set(false);
        }
    }
}

fn rule_message<T>(result: Result<T, shared::pay::RazorpayError>) -> Option<String> {
    result.err().map(|e| e.description)
}

/// Contact details, the method tabs, the chosen method's inputs and the submit button.
#[component]
pub fn PayForm(state: PayState, payee: StoredValue<Payee>, stage: RwSignal<Stage>) -> impl IntoView {
    let today = card_calendar_month(js_sys::Date::now() as i64);
    let card = Memo::new(move |_| card_errors(&state.card_text(), today));
    let email_check = Signal::derive(move || rule_message(validate_email(&state.email.value.get())));
    let contact_check = Signal::derive(move || rule_message(validate_contact(&state.contact.value.get())));

    let pay = Action::new_unsync(move |request: &CheckoutPayRequest| {
        // The same request again (a retry after a lost answer) keeps its key; anything else is
        // a new attempt with a new key.
        let (request, key) = (request.clone(), state.attempt.key(request));
        let target = payee.with_value(|p| p.target.clone());
        async move { attempt(&target, &request, &key).await }
    });
    let pending = pay.pending();
    let busy = move || pending.get();
    Effect::watch(
        move || pay.version().get(),
        move |_, _, _| {
            if let Some(outcome) = pay.value().get_untracked() {
                answered(outcome, state, stage);
            }
        },
        false,
    );
    let submit = move || {
        if pending.get_untracked() {
            return; // a second click while the first is on its way does nothing
        }
        state.errors.clear();
        state.unreachable.set(None);
        if let Some(request) = checked_request(&state, card.get_untracked()) {
            pay.dispatch(request);
        }
    };

    view! {
        <form class="pay-form" novalidate aria-labelledby="pay-heading"
            on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <h2 id="pay-heading" class="pay-heading">"Payment details"</h2>
            <FormError errors=state.errors />
            <Show when=move || state.unreachable.get().is_some()>
                <div data-testid="network-error">
                    <ErrorBanner message=Signal::derive(move || state.unreachable.get().unwrap_or_default())
                        retry=Callback::new(move |_| submit()) />
                </div>
            </Show>
            <fieldset class="group">
                <legend>"Contact details"</legend>
                <div class="field-row">
                    <PayField id="pay-email" label="Email" entry=state.email check=email_check input_type="email"
                        autocomplete="email" placeholder="you@example.com" />
                    <PayField id="pay-contact" label="Phone" entry=state.contact check=contact_check input_type="tel"
                        autocomplete="tel" inputmode="tel" placeholder="+91 98765 43210" />
                </div>
            </fieldset>
            <MethodTabs method=state.method methods=payee.with_value(|p| p.methods) />
            <div id="method-panel" class="method-panel" role="tabpanel"
                aria-labelledby=move || format!("tab-{}", state.method.get())>
                {move || match state.method.get() {
                    PaymentMethod::Card => view! { <CardFields state card /> }.into_any(),
                    PaymentMethod::Upi => view! { <UpiFields state /> }.into_any(),
                    PaymentMethod::Netbanking => view! { <BankFields state payee /> }.into_any(),
                    PaymentMethod::Wallet => view! { <WalletFields state payee /> }.into_any(),
                }}
            </div>
            <button type="submit" class="button primary wide pay-button" data-testid="pay-button"
                disabled=busy aria-busy=move || busy().to_string()>
                <Show when=busy fallback=move || payee.with_value(|p| p.action.clone())>
                    <span class="spinner" aria-hidden="true"></span>"Processing…"
                </Show>
            </button>
            <p class="secure-note small muted">
                <svg viewBox="0 0 24 24" width="15" height="15" aria-hidden="true"><path fill="currentColor" d="M12 2a5 5 0 0 0-5 5v3H6a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-8a2 2 0 0 0-2-2h-1V7a5 5 0 0 0-5-5zm-3 8V7a3 3 0 0 1 6 0v3H9z"/></svg>
                " Secured by Dozen Pay. Card details go to the bank once and are never stored."
            </p>
        </form>
    }
}

/// Checks every input of the chosen method (showing all their errors) and builds the request;
/// `None`, with focus on the first input to fix, when something is wrong.
fn checked_request(state: &PayState, card: CardErrors) -> Option<CheckoutPayRequest> {
    let method = state.method.get_untracked();
    let mut first_invalid: Option<&'static str> = None;
    let mut flag = |entry: &Entry, error: &Option<String>, id: &'static str| {
        entry.shown.set(true);
        if error.is_some() && first_invalid.is_none() {
            first_invalid = Some(id);
        }
    };
    let email = state.email.value.get_untracked();
    let contact = state.contact.value.get_untracked();
    flag(&state.email, &rule_message(validate_email(&email)), "pay-email");
    flag(&state.contact, &rule_message(validate_contact(&contact)), "pay-contact");
    let mut request = CheckoutPayRequest {
        method: method.as_str().to_owned(),
        email: email.trim().to_owned(),
        contact: contact.trim().to_owned(),
        ..Default::default()
    };
    match method {
        PaymentMethod::Card => {
            flag(&state.number, &card.number, "card-number");
            flag(&state.month, &card.month, "card-exp-month");
            flag(&state.year, &card.year, "card-exp-year");
            flag(&state.cvv, &card.cvv, "card-cvv");
            flag(&state.name, &card.name, "card-name");
            request.card = Some(CheckoutCard {
                number: digits_of(&state.number.value.get_untracked()),
                name: state.name.value.get_untracked().trim().to_owned(),
                expiry_month: state.month.value.get_untracked(),
                expiry_year: state.year.value.get_untracked(),
                cvv: state.cvv.value.get_untracked(),
            });
        }
        PaymentMethod::Upi => {
            let vpa = state.vpa.value.get_untracked();
            flag(&state.vpa, &rule_message(validate_vpa(&vpa)), "upi-vpa");
            request.vpa = Some(vpa.trim().to_owned());
        }
        PaymentMethod::Netbanking => {
            let bank = state.bank.value.get_untracked();
            flag(&state.bank, &bank_check(&bank), "nb-bank");
            request.bank = Some(bank);
        }
        PaymentMethod::Wallet => {
            let wallet = state.wallet.value.get_untracked();
            flag(&state.wallet, &wallet_check(&wallet), "wallet-choice");
            request.wallet = Some(wallet);
        }
    }
    match first_invalid {
        Some(id) => {
            focus_id(id);
            None
        }
        None => Some(request),
    }
}

fn bank_check(bank: &str) -> Option<String> {
    bank.is_empty().then(|| "Choose your bank.".to_owned())
}

fn wallet_check(wallet: &str) -> Option<String> {
    wallet.is_empty().then(|| "Choose a wallet.".to_owned())
}

/// The bank answered: paid, asking for an OTP, or declined.
fn arrive(result: CheckoutResult, state: PayState, stage: RwSignal<Stage>) {
    match result.status {
        CheckoutStatus::Paid | CheckoutStatus::Authorized => {
            state.forget_card_secrets(true);
            stage.set(Stage::Done(result));
        }
        CheckoutStatus::OtpRequired => {
            state.forget_card_secrets(false);
            stage.set(Stage::Otp(result.razorpay_payment_id));
        }
        CheckoutStatus::Failed => {
            state.forget_card_secrets(false);
            stage.set(Stage::Failed(result));
        }
    }
}

/// What a payment attempt came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The bank answered: paid, asking for an OTP, or declined.
    Answered(CheckoutResult),
    /// Refused because the order is paid (the subscription authorized) already.
    Settled,
    Refused(ApiError),
}

/// One attempt; a conflict asks whether the target was paid meanwhile (or by an earlier
/// attempt whose answer got lost), or the same attempt is still running.
async fn attempt(target: &Target, request: &CheckoutPayRequest, key: &str) -> Outcome {
    match api::attempt(target, request, key).await {
        Ok(result) => Outcome::Answered(result),
        Err(err) if err.code == ErrorCode::Conflict && api::settled(target).await == Ok(true) => {
            Outcome::Settled
        }
        Err(err) => Outcome::Refused(err),
    }
}

fn answered(outcome: Outcome, state: PayState, stage: RwSignal<Stage>) {
    match outcome {
        Outcome::Answered(result) => {
            state.attempt.answered();
            arrive(result, state, stage);
        }
        Outcome::Settled => {
            state.attempt.answered();
            state.forget_card_secrets(true);
            stage.set(Stage::AlreadyPaid);
        }
        // Not answered: the same attempt may be sent again with its key.
        Outcome::Refused(err) if unanswered(&err) => state.unreachable.set(Some(err.message)),
        // The same attempt still running: the key is kept, so paying again with the same
        // inputs gets the running attempt's answer.
        Outcome::Refused(err) if err.code == ErrorCode::Conflict => state.errors.form.set(Some(err.message)),
        // Answered (and remembered under its key): the next attempt needs a new one.
        Outcome::Refused(err) => {
            state.attempt.answered();
            if let Some(id) = err.field.as_deref().and_then(input_of) {
                if let Some(method) = method_of_input(id) {
                    state.method.set(method);
                }
                focus_id(id);
            }
            state.errors.show(err);
        }
    }
}

fn method_of_input(id: &str) -> Option<PaymentMethod> {
    match id.split('-').next()? {
        "card" => Some(PaymentMethod::Card),
        "upi" => Some(PaymentMethod::Upi),
        "nb" => Some(PaymentMethod::Netbanking),
        "wallet" => Some(PaymentMethod::Wallet),
        _ => None,
    }
}

/// The methods as an ARIA tablist: arrows, Home and End move between them.
#[component]
fn MethodTabs(method: RwSignal<PaymentMethod>, methods: &'static [PaymentMethod]) -> impl IntoView {
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let all = methods;
        let at = all.iter().position(|m| *m == method.get_untracked()).unwrap_or(0);
        let next = match ev.key().as_str() {
            "ArrowRight" | "ArrowDown" => (at + 1) % all.len(),
            "ArrowLeft" | "ArrowUp" => (at + all.len() - 1) % all.len(),
            "Home" => 0,
            "End" => all.len() - 1,
            _ => return,
        };
        ev.prevent_default();
        method.set(all[next]);
        focus_id(tab_id(all[next]));
    };
    view! {
        <div class=format!("method-tabs n{}", methods.len()) role="tablist" aria-label="Payment method" on:keydown=on_keydown>
            {methods.iter().copied().map(|m| {
                let selected = move || method.get() == m;
                view! {
                    <button type="button" role="tab" id=tab_id(m) class="method-tab"
                        aria-selected=move || selected().to_string() aria-controls="method-panel"
                        tabindex=move || if selected() { "0" } else { "-1" }
                        on:click=move |_| method.set(m)>
                        {method_icon(m)}
                        <span>{method_label(m)}</span>
                    </button>
                }
            }).collect_view()}
        </div>
    }
}

fn tab_id(method: PaymentMethod) -> &'static str {
    match method {
        PaymentMethod::Card => "tab-card",
        PaymentMethod::Upi => "tab-upi",
        PaymentMethod::Netbanking => "tab-netbanking",
        PaymentMethod::Wallet => "tab-wallet",
    }
}

fn method_icon(method: PaymentMethod) -> impl IntoView {
    let path = match method {
        PaymentMethod::Card => "M3 6a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V6zm2 2v2h14V8H5zm0 5v5h14v-5H5zm2 2h4v1.5H7V15z",
        PaymentMethod::Upi => "M13 2 4 14h6l-1 8 9-12h-6l1-8z",
        PaymentMethod::Netbanking => "M12 2 2 7v2h20V7L12 2zM4 11v7h3v-7H4zm6.5 0v7h3v-7h-3zM17 11v7h3v-7h-3zM2 20v2h20v-2H2z",
        PaymentMethod::Wallet => "M4 5a2 2 0 0 0-2 2v10a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2v-2h-5a3 3 0 0 1 0-6h5V7a2 2 0 0 0-2-2H4zm13 6a1 1 0 1 0 0 2h5v-2h-5z",
    };
    view! { <svg class="method-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path fill="currentColor" d=path /></svg> }
}

#[component]
fn CardFields(state: PayState, card: Memo<CardErrors>) -> impl IntoView {
    let network = Memo::new(move |_| network_of(&state.number.value.get()));
    let cvv_len = move || network.get().cvv_length();
    let format_number = Callback::new(|text: String| format_card_number(&text));
    let format_cvv =
        Callback::new(move |text: String| digits_upto(&text, network.get_untracked().cvv_length()));
    let cvv_hint = Signal::derive(move || {
        if cvv_len() == 4 {
            "4 digits on the front of the card".to_owned()
        } else {
            "3 digits on the back of the card".to_owned()
        }
    });
    view! {
        <PayField id="card-number" label="Card number" entry=state.number
            check=Signal::derive(move || card.with(|c| c.number.clone()))
            autocomplete="cc-number" inputmode="numeric" placeholder="1234 1234 1234 1234"
            format=format_number class="card-number">
            <span class="card-network" data-testid="card-network" aria-live="polite"
                class:known=move || network.get() != CardNetwork::Unknown>
                {move || match network.get() {
                    CardNetwork::Unknown => String::new(),
                    known => known.name().to_owned(),
                }}
            </span>
        </PayField>
        <div class="card-row">
            <Expiry state card />
            <PayField id="card-cvv" label="CVV" entry=state.cvv
                check=Signal::derive(move || card.with(|c| c.cvv.clone()))
                input_type="password" autocomplete="cc-csc" inputmode="numeric"
                placeholder="•••" format=format_cvv hint=cvv_hint class="cvv" />
        </div>
        <PayField id="card-name" label="Name on card" entry=state.name
            check=Signal::derive(move || card.with(|c| c.name.clone()))
            autocomplete="cc-name" placeholder="As printed on the card" />
    }
}

/// Expiry as one box, `MM / YY`, with one error line under both (two narrow columns of
/// errors would not fit a phone).
#[component]
fn Expiry(state: PayState, card: Memo<CardErrors>) -> impl IntoView {
    let (month, year) = (state.month, state.year);
    let month_error = move || {
        if month.shown.get() { card.with(|c| c.month.clone()) } else { None }.or_else(|| month.server.get())
    };
    let year_error = move || {
        if year.shown.get() { card.with(|c| c.year.clone()) } else { None }.or_else(|| year.server.get())
    };
    let error = move || month_error().or_else(year_error);
    let described = move || if error().is_some() { "card-exp-error" } else { "" };
    let on_month = move |ev: leptos::ev::Event| {
        let mut text = digits_upto(&event_target_value(&ev), 2);
        // A first digit above 1 can only be a month of its own: 4 → 04.
        if text.len() == 1 && text.as_str() > "1" {
            text = format!("0{text}");
        }
        let complete = text.len() == 2 && month.value.with_untracked(|v| v.len() < 2);
        month.value.set(text);
        month.server.set(None);
        if complete {
            focus_id("card-exp-year");
        }
    };
    let on_year = move |ev: leptos::ev::Event| {
        let text = digits_upto(&event_target_value(&ev), 2);
        let complete = text.len() == 2 && year.value.with_untracked(|v| v.len() < 2);
        year.value.set(text);
        year.server.set(None);
        if complete {
            focus_id("card-cvv");
        }
    };
    let blur = |entry: Entry| {
        move |_| {
            if entry.value.try_with_untracked(|v| !v.is_empty()) == Some(true) {
                entry.shown.try_set(true);
            }
        }
    };
    view! {
        <div class="field expiry" class:invalid=move || error().is_some()>
            <span class="label" id="card-exp-label">"Expiry"</span>
            <div class="expiry-box" role="group" aria-labelledby="card-exp-label">
                <input id="card-exp-month" name="card-exp-month" aria-label="Expiry month (MM)"
                    autocomplete="cc-exp-month" inputmode="numeric" placeholder="MM" maxlength="2"
                    prop:value=move || month.value.get()
                    aria-invalid=move || month_error().is_some().to_string() aria-describedby=described
                    on:input=on_month on:blur=blur(month) />
                <span class="expiry-slash" aria-hidden="true">"/"</span>
                <input id="card-exp-year" name="card-exp-year" aria-label="Expiry year (YY)"
                    autocomplete="cc-exp-year" inputmode="numeric" placeholder="YY" maxlength="2"
                    prop:value=move || year.value.get()
                    aria-invalid=move || year_error().is_some().to_string() aria-describedby=described
                    on:input=on_year on:blur=blur(year) />
            </div>
            <p class="error" id="card-exp-error" role="alert" aria-live="polite">{error}</p>
        </div>
    }
}

#[component]
fn UpiFields(state: PayState) -> impl IntoView {
    let check = Signal::derive(move || rule_message(validate_vpa(&state.vpa.value.get())));
    view! {
        <PayField id="upi-vpa" label="UPI ID" entry=state.vpa check autocomplete="off" placeholder="name@bank"
            hint="success@razorpay / failure@razorpay work in test mode." />
        <p class="muted small">"You will approve the payment in your UPI app."</p>
    }
}

#[component]
fn BankFields(state: PayState, payee: StoredValue<Payee>) -> impl IntoView {
    let Entry { value, shown, server } = state.bank;
    let error = move || if shown.get() { bank_check(&value.get()) } else { None }.or_else(|| server.get());
    view! {
        <div class="field" class:invalid=move || error().is_some()>
            <label for="nb-bank">"Bank"</label>
            <select id="nb-bank" name="bank" prop:value=move || value.get()
                aria-invalid=move || error().is_some().to_string()
                aria-describedby=move || if error().is_some() { "nb-bank-error" } else { "" }
                on:change=move |ev| { value.set(event_target_value(&ev)); shown.set(true); server.set(None); }>
                <option value="">"Choose your bank"</option>
                {payee.with_value(|o| o.banks.iter().map(|bank| view! {
                    <option value=bank.code.clone()>{bank.name.clone()}</option>
                }).collect_view())}
            </select>
            <p class="error" id="nb-bank-error" role="alert" aria-live="polite">{error}</p>
        </div>
        <p class="muted small">"You will sign in to your bank to approve the payment."</p>
    }
}

#[component]
fn WalletFields(state: PayState, payee: StoredValue<Payee>) -> impl IntoView {
    let Entry { value, shown, server } = state.wallet;
    let error = move || if shown.get() { wallet_check(&value.get()) } else { None }.or_else(|| server.get());
    view! {
        <fieldset id="wallet-choice" class="group wallets" tabindex="-1"
            aria-describedby=move || if error().is_some() { "wallet-error" } else { "" }>
            <legend>"Choose a wallet"</legend>
            <div class="choice-grid">
                {payee.with_value(|o| o.wallets.iter().map(|id| {
                    let id = id.clone();
                    let (for_checked, for_change) = (id.clone(), id.clone());
                    view! {
                        <label class="choice">
                            <input type="radio" name="wallet" value=id.clone()
                                prop:checked=move || value.with(|v| *v == for_checked)
                                on:change=move |_| { value.set(for_change.clone()); shown.set(true); server.set(None); } />
                            <span>{wallet_name(&id).to_owned()}</span>
                        </label>
                    }
                }).collect_view())}
            </div>
            <p class="error" id="wallet-error" role="alert" aria-live="polite">{error}</p>
        </fieldset>
    }
}

/// The bank's OTP page: six digits, three tries.
#[component]
pub fn OtpStep(
    payment_id: String,
    state: PayState,
    payee: StoredValue<Payee>,
    stage: RwSignal<Stage>,
) -> impl IntoView {
    let server = RwSignal::new(None::<String>);
    let entry = Entry::new(server);
    let tries_left = RwSignal::new(MAX_OTP_ATTEMPTS);
    let unreachable = RwSignal::new(None::<String>);
    let attempt = Attempt::<String>::new();
    let payment_id = StoredValue::new(payment_id);
    let check = Signal::derive(move || {
        (entry.value.with(String::len) != 6).then(|| "Enter the 6-digit OTP.".to_owned())
    });
    let six_digits = Callback::new(|text: String| digits_upto(&text, 6));
    let verify = Action::new_unsync(move |otp: &String| {
        let (otp, key, id) = (otp.clone(), attempt.key(otp), payment_id.get_value());
        async move { api::otp(&id, &otp, &key).await }
    });
    let pending = verify.pending();
    on_answer(
        verify,
        move |result| {
            attempt.answered();
            arrive(result, state, stage);
        },
        move |err| {
            if unanswered(&err) {
                return unreachable.set(Some(err.message));
            }
            attempt.answered();
            if err.field.as_deref() == Some("otp") {
                tries_left.update(|n| *n = n.saturating_sub(1));
                entry.value.set(String::new());
                entry.shown.set(false);
            }
            server.set(Some(err.message));
            focus_id("otp");
        },
    );
    let submit = move || {
        if pending.get_untracked() {
            return;
        }
        entry.shown.set(true);
        unreachable.set(None);
        if check.get_untracked().is_some() {
            focus_id("otp");
            return;
        }
        verify.dispatch(entry.value.get_untracked());
    };
    let busy = move || pending.get();
    let phone = state.contact.value.get_untracked();
    view! {
        <form class="otp-step" novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <h2 id="otp-heading" tabindex="-1">"Enter the OTP"</h2>
            <p>"Your bank sent a one-time password to " <strong>{phone}</strong> ". In test mode it is " <code>"123456"</code> "."</p>
            <Show when=move || unreachable.get().is_some()>
                <ErrorBanner message=Signal::derive(move || unreachable.get().unwrap_or_default())
                    retry=Callback::new(move |_| submit()) />
            </Show>
            <PayField id="otp" label="One-time password" entry check autocomplete="one-time-code" inputmode="numeric"
                placeholder="••••••" format=six_digits class="otp"
                hint=Signal::derive(move || match tries_left.get() {
                    1 => "1 try left.".to_owned(),
                    n => format!("{n} tries left."),
                }) />
            <button type="submit" class="button primary wide pay-button" disabled=busy aria-busy=move || busy().to_string()>
                <Show when=busy fallback=move || payee.with_value(|p| p.verify.clone())>
                    <span class="spinner" aria-hidden="true"></span>"Verifying…"
                </Show>
            </button>
            <p class="center">
                <button type="button" class="link-button" on:click=move |_| {
                    stage.set(Stage::Form);
                    focus_id(tab_id(state.method.get_untracked()));
                }>"Use another payment method"</button>
            </p>
        </form>
    }
}

/// A declined payment: why, and a way back to the form with the inputs kept (but the CVV).
#[component]
pub fn Failure(result: CheckoutResult, state: PayState, stage: RwSignal<Stage>) -> impl IntoView {
    let description = result
        .error_description
        .clone()
        .unwrap_or_else(|| "The payment could not be completed. Try again or use another method.".into());
    let try_again = move |_| {
        stage.set(Stage::Form);
        let method = state.method.get_untracked();
        focus_id(if method == PaymentMethod::Card { "card-cvv" } else { tab_id(method) });
    };
    view! {
        <div class="checkout-result" data-testid="payment-failed">
            <div class="result-mark bad" aria-hidden="true">"!"</div>
            <h2 id="result-heading" tabindex="-1">"Payment failed"</h2>
            <p class="failure-reason" role="alert" data-testid="failure-reason">{description}</p>
            {(!result.razorpay_payment_id.is_empty()).then(|| view! {
                <p class="muted small">"Reference: " <code>{result.razorpay_payment_id.clone()}</code></p>
            })}
            <button type="button" class="button primary wide" on:click=try_again>"Try again"</button>
            <p class="muted small center">"No money was taken. You can use the same card or another method."</p>
        </div>
    }
}
