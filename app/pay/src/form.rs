//! The checkout's building blocks: money as people read it, card numbers in groups, the
//! `shared` card rules split per input, the merchant's callback URL, and a labelled input that
//! checks itself after the first blur.

use leptos::{prelude::*, wasm_bindgen::JsCast};
use serde_json::Value;
use shared::pay::{
    methods::{validate_card, CardInput, CardNetwork},
    money::currency,
    wire::CheckoutResult,
};
use web_sys::HtmlInputElement;

// ---------------------------------------------------------------------------------------------
// Cards

pub fn digits_of(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// The network of what has been typed so far (`Unknown` until a prefix decides).
pub fn network_of(text: &str) -> CardNetwork {
    CardNetwork::detect(&digits_of(text))
}

/// A card number as typed, in the groups printed on the card: `4111 1111 1111 1111`, and
/// American Express `3782 822463 10005`. At most 19 digits (15 for American Express).
pub fn format_card_number(text: &str) -> String {
    let digits: String = digits_of(text).chars().take(19).collect();
    let amex = CardNetwork::detect(&digits) == CardNetwork::AmericanExpress;
    let (max, breaks): (usize, &[usize]) = if amex { (15, &[4, 10]) } else { (19, &[4, 8, 12, 16]) };
    let mut out = String::with_capacity(digits.len() + 4);
    for (i, c) in digits.chars().take(max).enumerate() {
        if breaks.contains(&i) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Digits only, at most `max` of them (expiry, CVV, OTP).
pub fn digits_upto(text: &str, max: usize) -> String {
    text.chars().filter(char::is_ascii_digit).take(max).collect()
}

/// The card inputs as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardText {
    pub number: String,
    pub name: String,
    pub month: String,
    pub year: String,
    pub cvv: String,
}

/// What is wrong with each card input, in the words the worker would use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardErrors {
    pub number: Option<String>,
    pub name: Option<String>,
    pub month: Option<String>,
    pub year: Option<String>,
    pub cvv: Option<String>,
}

impl CardErrors {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// Typed text as the JSON the worker receives; an empty input is an absent one (so the rule
/// says "is required" rather than "is invalid").
fn typed(text: &str) -> Value {
    if text.trim().is_empty() {
        Value::Null
    } else {
        Value::String(text.to_owned())
    }
}

/// Each card input checked by `shared::pay::methods::validate_card` (the worker's own rule) on
/// its own: the other inputs are replaced by good ones, so every input gets its own message,
/// whatever the order in which the rule looks at them. `today` is the card calendar month
/// (`shared::pay::attempt::card_calendar_month`).
pub fn card_errors(card: &CardText, today: (i32, u8)) -> CardErrors {
    let (year, month) = today;
    let good_year = Value::String(format!("{:02}", (year + 1) % 100));
    let good_month = Value::String("12".into());
    let network = network_of(&card.number);
    // A valid number of the typed number's CVV length, for checking the other inputs.
    let sample = if network == CardNetwork::AmericanExpress { "378282246310005" } else { "4111111111111111" };
    let good_cvv = Value::String("1".repeat(network.cvv_length()));
    let base = CardInput {
        number: Value::String(sample.into()),
        name: Value::Null,
        expiry_month: good_month.clone(),
        expiry_year: good_year.clone(),
        cvv: good_cvv,
    };
    let error_on = |input: CardInput, field: &str| {
        validate_card(&input, year, month)
            .err()
            .filter(|e| e.field.as_deref() == Some(field))
            .map(|e| e.description)
    };
    let year_error = error_on(
        CardInput { expiry_month: good_month, expiry_year: typed(&card.year), ..base.clone() },
        "card[expiry_year]",
    );
    CardErrors {
        number: error_on(
            CardInput { number: typed(&digits_of(&card.number)), ..base.clone() },
            "card[number]",
        ),
        month: error_on(
            CardInput {
                expiry_month: typed(&card.month),
                expiry_year: if year_error.is_none() { typed(&card.year) } else { good_year },
                ..base.clone()
            },
            "card[expiry_month]",
        ),
        year: year_error,
        cvv: error_on(CardInput { cvv: typed(&card.cvv), ..base.clone() }, "card[cvv]"),
        name: error_on(CardInput { name: typed(&card.name), ..base }, "card[name]"),
    }
}

// ---------------------------------------------------------------------------------------------
// The merchant's callback

/// Where to send the customer after paying, as Razorpay's checkout does with `callback_url`:
/// the merchant's URL with `razorpay_payment_id`, `razorpay_order_id` and `razorpay_signature`
/// appended to its query (a payment link's or subscription's fields for their payments). Only absolute `http`/`https` URLs; anything else (`javascript:`, a
/// relative path, spaces or quotes) is ignored.
pub fn callback_target(callback_url: &str, result: &CheckoutResult) -> Option<String> {
    let url = callback_url.trim();
    let lower = url.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"))?;
    let host_ok = rest.chars().next().is_some_and(|c| c.is_ascii_alphanumeric() || c == '[');
    let clean = url.chars().all(|c| c.is_ascii_graphic() && !matches!(c, '"' | '<' | '>' | '\\' | '`'));
    if !host_ok || !clean || url.len() > 2048 {
        return None;
    }
    let signature = result.razorpay_signature.as_deref()?;
    let (base, fragment) = match url.split_once('#') {
        Some((base, fragment)) => (base, Some(fragment)),
        None => (url, None),
    };
    // A payment link's payment goes back with the link's fields instead of the order's, and a
    // subscription's with its id, as Razorpay's do (the signature is then theirs).
    let pairs: Vec<(&str, &str)> = match (&result.razorpay_payment_link_id, &result.razorpay_subscription_id)
    {
        (Some(link_id), _) => vec![
            ("razorpay_payment_id", &result.razorpay_payment_id),
            ("razorpay_payment_link_id", link_id),
            (
                "razorpay_payment_link_reference_id",
                result.razorpay_payment_link_reference_id.as_deref().unwrap_or_default(),
            ),
            (
                "razorpay_payment_link_status",
                result.razorpay_payment_link_status.as_deref().unwrap_or_default(),
            ),
            ("razorpay_signature", signature),
        ],
        (None, Some(subscription_id)) => vec![
            ("razorpay_payment_id", &result.razorpay_payment_id),
            ("razorpay_subscription_id", subscription_id),
            ("razorpay_signature", signature),
        ],
        (None, None) => vec![
            ("razorpay_payment_id", &result.razorpay_payment_id),
            ("razorpay_order_id", &result.razorpay_order_id),
            ("razorpay_signature", signature),
        ],
    };
    let params = app_ui::nav::query(&pairs);
    let joiner = match base.find('?') {
        None => "?",
        Some(_) if base.ends_with('?') || base.ends_with('&') => "",
        Some(_) => "&",
    };
    let mut target = format!("{base}{joiner}{params}");
    if let Some(fragment) = fragment {
        target.push('#');
        target.push_str(fragment);
    }
    Some(target)
}

/// A wallet id as its brand writes it.
pub fn wallet_name(id: &str) -> &str {
    match id {
        "airtelmoney" => "Airtel Money",
        "amazonpay" => "Amazon Pay",
        "freecharge" => "Freecharge",
        "jiomoney" => "JioMoney",
        "mobikwik" => "MobiKwik",
        "olamoney" => "Ola Money",
        "payzapp" => "PayZapp",
        "phonepe" => "PhonePe",
        "paypal" => "PayPal",
        other => other,
    }
}

// ---------------------------------------------------------------------------------------------
// The input

/// One input's state: what is typed, whether its rule may speak yet (after the first blur, or
/// on submit), and the error the server sent for it (kept until the value changes).
#[derive(Clone, Copy)]
pub struct Entry {
    pub value: RwSignal<String>,
    pub shown: RwSignal<bool>,
    pub server: RwSignal<Option<String>>,
}

impl Entry {
    pub fn new(server: RwSignal<Option<String>>) -> Self {
        Self { value: RwSignal::new(String::new()), shown: RwSignal::new(false), server }
    }
}

/// Reformats an input in place (digits grouped, letters dropped), keeping the caret after the
/// same digit it followed, so editing the middle of a card number does not jump to the end.
fn reformat(input: &HtmlInputElement, format: &Callback<String, String>) -> String {
    let raw = input.value();
    let formatted = format.run(raw.clone());
    if formatted != raw {
        let caret = input.selection_start().ok().flatten().map(|c| c as usize);
        input.set_value(&formatted);
        if let Some(caret) = caret {
            let digits_before = raw.chars().take(caret).filter(char::is_ascii_digit).count();
            let mut position = 0;
            let mut seen = 0;
            for (i, c) in formatted.chars().enumerate() {
                if seen == digits_before {
                    break;
                }
                if c.is_ascii_digit() {
                    seen += 1;
                }
                position = i + 1;
            }
            let _ = input.set_selection_range(position as u32, position as u32);
        }
    }
    formatted
}

/// A labelled input whose `check` (a `shared` rule) speaks once the customer has left the field
/// with something in it, then live while they type; everything speaks after a submit.
#[component]
pub fn PayField(
    /// The input's id and name.
    id: &'static str,
    label: &'static str,
    entry: Entry,
    /// The rule's verdict on the current value.
    #[prop(into)]
    check: Signal<Option<String>>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] placeholder: Option<&'static str>,
    #[prop(optional, into)] hint: MaybeProp<String>,
    /// Rewrites what is typed (digits grouped, letters dropped), caret kept in place.
    #[prop(optional)]
    format: Option<Callback<String, String>>,
    #[prop(optional)] class: &'static str,
    /// Shown inside the box before what is typed (`₹` before an amount).
    #[prop(optional, into)]
    prefix: Option<String>,
    /// Shown beside the label, at the end of its line (the card network).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let Entry { value, shown, server } = entry;
    let error = move || if shown.get() { check.get() } else { None }.or_else(|| server.get());
    let boxed = prefix.is_some();
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.with(Option::is_some) {
                ids.push(hint_id.clone());
            }
            if error().is_some() {
                ids.push(error_id.clone());
            }
            ids.join(" ")
        }
    };
    let on_input = move |ev: leptos::ev::Event| {
        let text = match (&format, ev.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok())) {
            (Some(format), Some(input)) => reformat(&input, format),
            _ => event_target_value(&ev),
        };
        value.set(text);
        server.set(None);
    };
    view! {
        <div class=format!("field {class}") class:invalid=move || error().is_some()>
            <div class="label-row">
                <label for=id>{label}</label>
                {children.map(|children| children())}
            </div>
            <div class="input-box" class:money-input=boxed>
                {prefix.map(|p| view! { <span class="money-symbol" aria-hidden="true">{p}</span> })}
                <input
                    id=id
                    name=id
                    type=input_type
                    autocomplete=autocomplete
                    inputmode=inputmode
                    placeholder=placeholder
                    spellcheck="false"
                    prop:value=move || value.get()
                    aria-invalid=move || if error().is_some() { "true" } else { "false" }
                    aria-describedby=described_by
                    on:input=on_input
                    on:blur=move |_| {
                        // `try_`: removing a focused input (a dialog closing) blurs it after
                        // its signals are gone.
                        if value.try_with_untracked(|v| !v.is_empty()) == Some(true) {
                            shown.try_set(true);
                        }
                    }
                />
            </div>
            {move || hint.get().map(|text| view! { <p class="hint" id=hint_id.clone()>{text}</p> })}
            <p class="error" id=error_id role="alert" aria-live="polite">{error}</p>
        </div>
    }
}

// ---------------------------------------------------------------------------------------------
// Amounts typed by people

/// An amount as a person types it (`400`, `1,000.50`, `₹ 250`) in minor units of `code`;
/// `None` when it is not a plain non-negative number with at most the currency's decimals.
pub fn parse_money(text: &str, code: &str) -> Option<i64> {
    let exponent = currency(code).map_or(2, |c| c.exponent) as usize;
    let cleaned: String =
        text.trim().trim_start_matches('₹').chars().filter(|c| !matches!(c, ',' | ' ')).collect();
    let (whole, part) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && part.is_empty()) || !digits(whole) || !digits(part) || part.len() > exponent {
        return None;
    }
    let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let part: i64 = if part.is_empty() { 0 } else { format!("{part:0<exponent$}").parse().ok()? };
    whole.checked_mul(10_i64.pow(exponent as u32))?.checked_add(part)
}

/// Minor units as an input's text, without grouping or symbol: `50000` → `500.00`.
pub fn money_input(amount: i64, code: &str) -> String {
    let exponent = currency(code).map_or(2, |c| c.exponent);
    let unit = 10_i64.pow(exponent);
    if exponent == 0 {
        return amount.to_string();
    }
    format!("{}.{:0width$}", amount / unit, amount % unit, width = exponent as usize)
}
