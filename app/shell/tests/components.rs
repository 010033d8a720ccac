//! App components in a real browser (headless Chromium via wasm-bindgen-test): what renders,
//! and the inline validation a person sees while typing.

use app_shell::{
    auth::signup::{PASSWORD_RULE, USERNAME_RULE},
    product_card::ProductGrid,
};
use app_ui::{components::field::Field, testing::*};
use leptos::{prelude::*, wasm_bindgen::JsCast};
use leptos_router::components::Router;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn home_grid_lists_all_twelve_products_with_their_routes_and_status() {
    let root = container();
    mount_to(root.clone(), || view! { <Router><ProductGrid /></Router> }).forget();
    settle().await;
    let cards = root.query_selector_all(".product-card").unwrap();
    assert_eq!(cards.length(), 12);
    let links = root.query_selector_all(".product-card a").unwrap();
    let hrefs: Vec<String> = (0..links.length())
        .map(|i| links.item(i).unwrap().unchecked_into::<Element>().get_attribute("href").unwrap())
        .collect();
    assert_eq!(hrefs.first().map(String::as_str), Some("/links"));
    assert!(hrefs.contains(&"/lockers".to_owned()));
    let text = root.text_content().unwrap();
    let unbuilt = shared::catalog::PRODUCTS
        .iter()
        .filter(|p| p.status == shared::catalog::ProductStatus::NotBuiltYet)
        .count();
    assert!(unbuilt < 12, "Links is built");
    assert_eq!(text.matches("Not built yet").count(), unbuilt, "every unbuilt product says so plainly");
    assert_eq!(root.query_selector_all(".badge.live").unwrap().length() as usize, 12 - unbuilt);
    assert!(text.contains("Like Hacker News"));
}

#[wasm_bindgen_test]
async fn username_field_shows_the_shared_rule_while_typing() {
    let root = container();
    let value = RwSignal::new(String::new());
    mount_to(
        root.clone(),
        move || view! { <Field name="username" label="Username" value rule=USERNAME_RULE /> },
    )
    .forget();
    settle().await;
    let input: HtmlInputElement = query(&root, "input#username").unchecked_into();
    let error = query(&root, "#username-error");
    assert_eq!(error.text_content().unwrap(), "", "no error before typing");
    assert_eq!(query(&root, "label").get_attribute("for").as_deref(), Some("username"));

    type_into(&input, "ab");
    settle().await;
    assert_eq!(error.text_content().unwrap(), "Username must be at least 3 characters.");
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(value.get_untracked(), "ab");

    type_into(&input, "9lives");
    settle().await;
    assert_eq!(error.text_content().unwrap(), "Username must start with a letter.");

    type_into(&input, "ada_lovelace");
    settle().await;
    assert_eq!(error.text_content().unwrap(), "");
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("false"));
}

#[wasm_bindgen_test]
async fn server_error_shows_until_the_person_edits_the_field() {
    let root = container();
    let value = RwSignal::new("correct horse".to_owned());
    let server_error = RwSignal::new(Some("This username is taken.".to_owned()));
    mount_to(root.clone(), move || {
        view! { <Field name="pw" label="Password" value server_error rule=PASSWORD_RULE input_type="password" /> }
    })
    .forget();
    settle().await;
    let error = query(&root, "#pw-error");
    assert_eq!(error.text_content().unwrap(), "This username is taken.");
    let input: HtmlInputElement = query(&root, "input#pw").unchecked_into();
    assert_eq!(input.type_(), "password");
    type_into(&input, "correct horse battery");
    settle().await;
    assert_eq!(error.text_content().unwrap(), "");
    assert_eq!(server_error.get_untracked(), None);
}

#[wasm_bindgen_test]
async fn submitting_shows_errors_of_untouched_fields() {
    let root = container();
    let value = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    mount_to(
        root.clone(),
        move || view! { <Field name="u2" label="Username" value rule=USERNAME_RULE submitted /> },
    )
    .forget();
    settle().await;
    let error = query(&root, "#u2-error");
    assert_eq!(error.text_content().unwrap(), "");
    submitted.set(true);
    settle().await;
    assert_eq!(error.text_content().unwrap(), "Choose a username.");
}

// ---------------------------------------------------------------------------------------------
// Pay: the hosted checkout's form, mounted with an order and no server.
