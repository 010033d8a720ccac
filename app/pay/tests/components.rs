//! Pay's components in a real browser (headless Chromium via wasm-bindgen-test): the hosted
//! checkout, the customer's link and subscription pages, and the dashboard's pieces.

use app_ui::testing::*;
use leptos::{prelude::*, wasm_bindgen::JsCast};
use leptos_router::components::Router;
use wasm_bindgen_test::*;
use web_sys::{Event, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

mod checkout {
    use super::*;
    use app_pay::{
        checkout::Checkout,
        form::{callback_target, card_errors, format_card_number, CardText},
    };
    use app_ui::format::money as format_money;
    use shared::pay::{
        methods::{validate_card, CardInput},
        wire::{BankOption, CheckoutResult, CheckoutStatus, CheckoutView},
    };

    fn order() -> CheckoutView {
        CheckoutView {
            order_id: "order_TEST0000000001".into(),
            amount: 50000,
            currency: "INR".into(),
            status: "created".into(),
            receipt: Some("r1".into()),
            merchant_name: "Acme Books".into(),
            banks: vec![BankOption { code: "HDFC".into(), name: "HDFC Bank".into() }],
            wallets: vec!["phonepe".into(), "amazonpay".into()],
        }
    }

    /// Mounts one checkout in place of the previous test's.
    fn mount_checkout(order: CheckoutView) -> HtmlElement {
        let root = only_container("data-pay-test");
        mount_to(root.clone(), move || view! { <Checkout order callback=None /> }).forget();
        root
    }

    fn blur(input: &HtmlInputElement) {
        input.dispatch_event(&Event::new("blur").unwrap()).unwrap();
    }

    /// Waits for focus changes, which happen on the next animation frame.
    async fn frame() {
        wait_ms(60).await;
    }

    fn active_id() -> String {
        web_sys::window().unwrap().document().unwrap().active_element().map(|e| e.id()).unwrap_or_default()
    }

    #[wasm_bindgen_test]
    fn money_is_written_as_people_read_it() {
        assert_eq!(format_money(50000, "INR"), "₹500.00");
        assert_eq!(format_money(50_000_000, "INR"), "₹5,00,000.00");
        assert_eq!(format_money(1_234_567_801, "INR"), "₹1,23,45,678.01");
        assert_eq!(format_money(100, "INR"), "₹1.00");
        assert_eq!(format_money(123_450, "USD"), "USD 1,234.50");
        assert_eq!(format_money(99, "EUR"), "EUR 0.99");
    }

    #[wasm_bindgen_test]
    fn card_numbers_are_grouped_as_printed() {
        assert_eq!(format_card_number("4111111111111111"), "4111 1111 1111 1111");
        assert_eq!(format_card_number("4111-1111 11"), "4111 1111 11");
        assert_eq!(format_card_number("378282246310005"), "3782 822463 10005");
        assert_eq!(format_card_number("37828224631000599"), "3782 822463 10005", "Amex stops at 15");
        assert_eq!(format_card_number(&"4".repeat(25)).replace(' ', "").len(), 19);
    }

    #[wasm_bindgen_test]
    fn card_errors_are_the_workers_own_messages_each_under_its_input() {
        let today = (2026, 11);
        let mut card = CardText {
            number: "4111 1111 1111 1112".into(),
            name: String::new(),
            month: "13".into(),
            year: "25".into(),
            cvv: "12".into(),
        };
        let errors = card_errors(&card, today);
        assert_eq!(errors.number.as_deref(), Some("The card number is invalid."));
        assert_eq!(errors.month.as_deref(), Some("The card expiry month is invalid."));
        assert_eq!(errors.year.as_deref(), Some("The card has expired."));
        assert_eq!(errors.cvv.as_deref(), Some("The CVV is invalid."));
        assert_eq!(errors.name, None, "the name is optional");
        // The same message as the rule gives the whole card.
        let whole = CardInput {
            number: serde_json::Value::String("4111 1111 1111 1112".into()),
            expiry_month: serde_json::Value::String("12".into()),
            expiry_year: serde_json::Value::String("30".into()),
            cvv: serde_json::Value::String("123".into()),
            ..Default::default()
        };
        assert_eq!(validate_card(&whole, 2026, 11).unwrap_err().description, "The card number is invalid.");

        card = CardText {
            number: "378282246310005".into(),
            month: "10".into(),
            year: "26".into(),
            cvv: "123".into(),
            ..card
        };
        let errors = card_errors(&card, today);
        assert_eq!(errors.number, None);
        assert_eq!(errors.month.as_deref(), Some("The card has expired."), "this year, last month");
        assert_eq!(errors.year, None);
        assert_eq!(errors.cvv.as_deref(), Some("The CVV is invalid."), "American Express has 4 digits");
        card.cvv = "1234".into();
        card.month = "11".into();
        assert!(card_errors(&card, today).is_empty(), "good through the end of its month");
        assert_eq!(
            card_errors(&CardText::default(), today).number.as_deref(),
            Some("The card number is required.")
        );
    }

    #[wasm_bindgen_test]
    fn the_callback_gets_razorpays_three_parameters_and_only_http_urls_count() {
        // From JSON, as the worker sends it (fields it leaves out are absent).
        let result: CheckoutResult = serde_json::from_value(serde_json::json!({
            "status": "paid", "razorpay_payment_id": "pay_1", "razorpay_order_id": "order_1",
            "razorpay_signature": "ab12",
        }))
        .unwrap();
        assert_eq!(result.status, CheckoutStatus::Paid);
        let params = "razorpay_payment_id=pay_1&razorpay_order_id=order_1&razorpay_signature=ab12";
        assert_eq!(
            callback_target("https://shop.example/done", &result).unwrap(),
            format!("https://shop.example/done?{params}")
        );
        assert_eq!(
            callback_target("http://shop.example/done?ref=a#top", &result).unwrap(),
            format!("http://shop.example/done?ref=a&{params}#top")
        );
        for bad in [
            "javascript:alert(1)",
            "/relative",
            "ftp://shop.example",
            "https://",
            "https://a b",
            "data:text/html,x",
        ] {
            assert_eq!(callback_target(bad, &result), None, "{bad}");
        }
        let link = CheckoutResult {
            razorpay_payment_link_id: Some("plink_1".into()),
            razorpay_payment_link_reference_id: Some("ref #7".into()),
            razorpay_payment_link_status: Some("paid".into()),
            ..result.clone()
        };
        assert_eq!(
            callback_target("https://shop.example/done?", &link).unwrap(),
            "https://shop.example/done?razorpay_payment_id=pay_1&razorpay_payment_link_id=plink_1\
             &razorpay_payment_link_reference_id=ref%20%237&razorpay_payment_link_status=paid&razorpay_signature=ab12",
            "a payment link's fields, encoded"
        );
        let subscription =
            CheckoutResult { razorpay_subscription_id: Some("sub_1".into()), ..result.clone() };
        assert_eq!(
            callback_target("https://shop.example/sub", &subscription).unwrap(),
            "https://shop.example/sub?razorpay_payment_id=pay_1&razorpay_subscription_id=sub_1&razorpay_signature=ab12"
        );
        let unsigned = CheckoutResult { razorpay_signature: None, ..result };
        assert_eq!(callback_target("https://shop.example/done", &unsigned), None);
    }

    #[wasm_bindgen_test]
    async fn the_header_shows_merchant_amount_and_receipt_and_the_button_the_amount() {
        let root = mount_checkout(CheckoutView { amount: 50_000_000, ..order() });
        settle().await;
        assert_eq!(text(&root, "[data-testid=merchant]"), "Acme Books");
        assert_eq!(text(&root, "[data-testid=amount]"), "₹5,00,000.00");
        assert_eq!(text(&root, "[data-testid=receipt]"), "r1");
        assert_eq!(text(&root, "[data-testid=pay-button]"), "Pay ₹5,00,000.00");
        assert!(root.text_content().unwrap().contains("4000 0000 0000 3220"), "the test cards are listed");
        let tabs = root.query_selector_all("[role=tab]").unwrap();
        assert_eq!(tabs.length(), 4);
        assert_eq!(query(&root, "#tab-card").get_attribute("aria-selected").as_deref(), Some("true"));
    }

    #[wasm_bindgen_test]
    async fn a_paid_order_shows_no_form() {
        let root = mount_checkout(CheckoutView { status: "paid".into(), ..order() });
        settle().await;
        assert!(root.query_selector("[data-testid=already-paid]").unwrap().is_some());
        assert!(root.query_selector("form").unwrap().is_none());
        assert_eq!(text(&root, ".amount-label"), "Amount paid");
    }

    #[wasm_bindgen_test]
    async fn the_card_network_shows_live_and_the_number_is_grouped() {
        let root = mount_checkout(order());
        settle().await;
        let number: HtmlInputElement = query(&root, "#card-number").unchecked_into();
        assert_eq!(number.get_attribute("autocomplete").as_deref(), Some("cc-number"));
        assert_eq!(number.get_attribute("inputmode").as_deref(), Some("numeric"));
        assert_eq!(text(&root, "[data-testid=card-network]"), "");
        type_into(&number, "4");
        settle().await;
        assert_eq!(text(&root, "[data-testid=card-network]"), "Visa");
        type_into(&number, "55554444");
        settle().await;
        assert_eq!(number.value(), "5555 4444");
        assert_eq!(text(&root, "[data-testid=card-network]"), "MasterCard");
        type_into(&number, "3782822463");
        settle().await;
        assert_eq!(text(&root, "[data-testid=card-network]"), "American Express");
        assert!(root.text_content().unwrap().contains("4 digits on the front of the card"));
        let cvv: HtmlInputElement = query(&root, "#card-cvv").unchecked_into();
        assert_eq!(cvv.type_(), "password");
        assert_eq!(cvv.get_attribute("autocomplete").as_deref(), Some("cc-csc"));
    }

    #[wasm_bindgen_test]
    async fn card_errors_appear_after_the_first_blur_then_while_typing() {
        let root = mount_checkout(order());
        settle().await;
        let number: HtmlInputElement = query(&root, "#card-number").unchecked_into();
        type_into(&number, "4111111111111112");
        settle().await;
        assert_eq!(text(&root, "#card-number-error"), "", "quiet while the first attempt is typed");
        blur(&number);
        settle().await;
        assert_eq!(text(&root, "#card-number-error"), "The card number is invalid.");
        assert_eq!(number.get_attribute("aria-invalid").as_deref(), Some("true"));
        assert!(number.get_attribute("aria-describedby").unwrap().contains("card-number-error"));
        type_into(&number, "4111111111111111");
        settle().await;
        assert_eq!(text(&root, "#card-number-error"), "", "fixed as it is typed");
        assert_eq!(number.get_attribute("aria-invalid").as_deref(), Some("false"));

        let month: HtmlInputElement = query(&root, "#card-exp-month").unchecked_into();
        type_into(&month, "4");
        settle().await;
        assert_eq!(month.value(), "04", "a month above 1 cannot take a second digit");
        type_into(&month, "13");
        blur(&month);
        settle().await;
        assert_eq!(text(&root, "#card-exp-error"), "The card expiry month is invalid.");
    }

    #[wasm_bindgen_test]
    async fn upi_addresses_are_checked_with_the_shared_rule() {
        let root = mount_checkout(order());
        settle().await;
        query(&root, "#tab-upi").unchecked_into::<HtmlElement>().click();
        settle().await;
        assert_eq!(query(&root, "#tab-upi").get_attribute("aria-selected").as_deref(), Some("true"));
        assert!(root
            .text_content()
            .unwrap()
            .contains("success@razorpay / failure@razorpay work in test mode."));
        let vpa: HtmlInputElement = query(&root, "#upi-vpa").unchecked_into();
        type_into(&vpa, "gaurav@ok@hdfc");
        blur(&vpa);
        settle().await;
        assert_eq!(
            text(&root, "#upi-vpa-error"),
            "Invalid VPA. Please enter a valid Virtual Payment Address."
        );
        type_into(&vpa, "success@razorpay");
        settle().await;
        assert_eq!(text(&root, "#upi-vpa-error"), "");
    }

    #[wasm_bindgen_test]
    async fn pay_on_an_empty_form_shows_every_error_and_focuses_the_first() {
        let root = mount_checkout(order());
        settle().await;
        let email: HtmlInputElement = query(&root, "#pay-email").unchecked_into();
        type_into(&email, "asha@example.com");
        query(&root, "[data-testid=pay-button]").unchecked_into::<HtmlElement>().click();
        settle().await;
        frame().await;
        assert_eq!(text(&root, "#pay-email-error"), "");
        assert_eq!(text(&root, "#pay-contact-error"), "The contact field is required.");
        assert_eq!(text(&root, "#card-number-error"), "The card number is required.");
        assert_eq!(text(&root, "#card-exp-error"), "The card expiry month is required.");
        assert_eq!(text(&root, "#card-cvv-error"), "The CVV is required.");
        assert_eq!(active_id(), "pay-contact");
        let button = query(&root, "[data-testid=pay-button]");
        assert_eq!(button.get_attribute("aria-busy").as_deref(), Some("false"), "nothing was sent");
    }

    #[wasm_bindgen_test]
    async fn the_method_tabs_follow_the_arrow_keys() {
        let root = mount_checkout(order());
        settle().await;
        let card_tab: HtmlElement = query(&root, "#tab-card").unchecked_into();
        card_tab.focus().unwrap();
        // A real KeyboardEvent, made by the page (the test has no web-sys feature for its init).
        let key = |name: &str| {
            let event: Event =
                js_sys::eval(&format!("new KeyboardEvent('keydown', {{ key: '{name}', bubbles: true }})"))
                    .unwrap()
                    .unchecked_into();
            web_sys::window()
                .unwrap()
                .document()
                .unwrap()
                .active_element()
                .unwrap()
                .dispatch_event(&event)
                .unwrap();
        };
        key("ArrowLeft");
        settle().await;
        frame().await;
        assert_eq!(query(&root, "#tab-wallet").get_attribute("aria-selected").as_deref(), Some("true"));
        assert_eq!(active_id(), "tab-wallet");
        assert_eq!(query(&root, "#tab-wallet").get_attribute("tabindex").as_deref(), Some("0"));
        assert_eq!(query(&root, "#tab-card").get_attribute("tabindex").as_deref(), Some("-1"));
        assert!(root.text_content().unwrap().contains("PhonePe"));
        key("Home");
        settle().await;
        assert_eq!(query(&root, "#tab-card").get_attribute("aria-selected").as_deref(), Some("true"));
    }
}

// ---------------------------------------------------------------------------------------------
// Pay: the merchant's dashboard and the customer's payment link and subscription pages.

mod dashboard {
    use super::*;
    use app_pay::{
        api::recon_query,
        dashboard::{
            chart::fill_days,
            overview::{method_name, processor_name, success_rate},
            payments::{check_refund, instrument, refundable},
            settlements::valid_period,
            webhooks::event_groups,
            Tab,
        },
        form::{money_input, parse_money},
        link::{check_link_amount, return_url, PaymentLinkPay},
        subscription::{cadence, plan_line, Authorize},
    };
    use app_ui::format::short_day;
    use serde_json::json;
    use shared::{
        pay::{
            entity::Payment,
            wire::{DailyVolume, PaymentLinkView, SubscriptionView},
        },
        time::Timestamp,
    };

    /// A payment as the worker sends it: ₹500.00 by Visa, ₹100.00 refunded.
    fn payment(status: &str, refunded: i64) -> Payment {
        serde_json::from_value(json!({
            "id": "pay_TEST0000000001", "entity": "payment", "amount": 50000, "currency": "INR",
            "status": status, "order_id": "order_1", "invoice_id": null, "international": false,
            "method": "card", "amount_refunded": refunded, "refund_status": null, "captured": true,
            "description": null, "card_id": "card_1",
            "card": {"id": "card_1", "entity": "card", "name": "A", "last4": "1111", "network": "Visa",
                     "type": "credit", "issuer": null, "international": false, "emi": false},
            "bank": null, "wallet": null, "vpa": null, "email": "a@example.com", "contact": "+919000090000",
            "customer_id": null, "notes": {}, "fee": 1180, "tax": 180, "error_code": null,
            "error_description": null, "error_source": null, "error_step": null, "error_reason": null,
            "acquirer_data": {}, "created_at": 1_764_000_000
        }))
        .unwrap()
    }

    fn link(partial: bool, paid: i64, status: &str) -> PaymentLinkView {
        PaymentLinkView {
            id: "plink_TEST00000001".into(),
            amount: 100_000,
            amount_paid: paid,
            amount_due: 100_000 - paid,
            currency: "INR".into(),
            status: status.into(),
            description: Some("Two instalments".into()),
            merchant_name: "Acme Books".into(),
            accept_partial: partial,
            first_min_partial_amount: if partial && paid == 0 { Some(40_000) } else { None },
            expire_by: Timestamp(js_sys::Date::now() as i64 + 86_400_000),
            callback_url: None,
        }
    }

    fn subscription(start_at: Option<i64>, status: &str) -> SubscriptionView {
        SubscriptionView {
            id: "sub_TEST0000000001".into(),
            status: status.into(),
            merchant_name: "Chai Club".into(),
            plan_name: "Weekly tea".into(),
            plan_description: Some("A box of tea every week".into()),
            amount: 69_900,
            currency: "INR".into(),
            period: "weekly".into(),
            interval: 1,
            total_count: 6,
            paid_count: 0,
            start_at: start_at.map(Timestamp),
            expire_by: Timestamp(js_sys::Date::now() as i64 + 86_400_000),
        }
    }

    /// Mounts a page in place of the previous test's.
    fn mount_pay(view: impl Fn() -> AnyView + 'static) -> HtmlElement {
        let root = only_container("data-pay-test");
        mount_to(root.clone(), view).forget();
        root
    }

    #[wasm_bindgen_test]
    fn tabs_are_deep_linked_by_their_query_value() {
        assert_eq!(Tab::from_query(None), Tab::Overview);
        assert_eq!(Tab::from_query(Some("payments")), Tab::Payments);
        assert_eq!(Tab::from_query(Some(" Keys ")), Tab::Keys, "case and spaces aside");
        assert_eq!(Tab::from_query(Some("refunds")), Tab::Overview, "an unknown tab is the overview");
        assert_eq!(Tab::from_query(Some("")), Tab::Overview);
        for tab in Tab::ALL {
            assert_eq!(Tab::from_query(Some(&tab.to_string())), tab, "{tab:?} round-trips");
        }
        let slugs: std::collections::BTreeSet<_> = Tab::ALL.iter().map(|t| t.slug()).collect();
        assert_eq!(slugs.len(), 7);
    }

    #[wasm_bindgen_test]
    fn typed_money_is_read_in_paise() {
        assert_eq!(parse_money("400", "INR"), Some(40_000));
        assert_eq!(parse_money("₹ 1,000.5", "INR"), Some(100_050));
        assert_eq!(parse_money(".75", "INR"), Some(75));
        assert_eq!(parse_money("12.345", "INR"), None, "at most two decimals");
        for bad in ["", "-5", "1e3", "abc", "4.0.0", "."] {
            assert_eq!(parse_money(bad, "INR"), None, "{bad}");
        }
        assert_eq!(money_input(40_000, "INR"), "400.00");
        assert_eq!(money_input(5, "INR"), "0.05");
        assert_eq!(short_day("2026-11-29"), "29 Nov");
    }

    #[wasm_bindgen_test]
    fn refunds_are_checked_with_the_workers_rule() {
        let p = payment("captured", 10_000);
        assert_eq!(refundable(&p), Some(40_000));
        assert_eq!(check_refund("400", &p), Ok(40_000), "the whole remainder");
        assert_eq!(check_refund("150.50", &p), Ok(15_050));
        assert_eq!(
            check_refund("400.01", &p).unwrap_err(),
            "The refund amount provided is greater than the amount not yet refunded (INR 400.00)"
        );
        assert_eq!(check_refund("0.50", &p).unwrap_err(), "The refund amount must be atleast INR 1.00");
        assert_eq!(check_refund(" ", &p).unwrap_err(), "Enter the amount to refund.");
        assert_eq!(check_refund("ten", &p).unwrap_err(), "Enter an amount such as 250 or 250.50.");
        assert_eq!(refundable(&payment("refunded", 50_000)), None);
        assert_eq!(refundable(&payment("authorized", 0)), None, "only captured payments");
        assert_eq!(instrument(&p), "Visa •••• 1111");
    }

    #[wasm_bindgen_test]
    fn overview_figures_read_well() {
        assert_eq!(success_rate(2, 3), "66.7%");
        assert_eq!(success_rate(1, 1), "100%");
        assert_eq!(success_rate(0, 4), "0%");
        assert_eq!(success_rate(0, 0), "–");
        assert_eq!(method_name("netbanking"), "Net banking");
        assert_eq!(method_name("simbank"), "Simbank");
        assert_eq!(processor_name("hdfc"), "HDFC");
        // 2026-11-29 12:00 UTC: seven days end today, empty days included.
        let now = 1_795_953_600_000;
        assert_eq!(Timestamp(now).to_rfc3339()[..10], *"2026-11-29");
        let daily = vec![
            DailyVolume { day: "2026-11-27".into(), count: 2, volume: 90_000 },
            DailyVolume { day: "2026-11-10".into(), count: 1, volume: 100 },
        ];
        let days = fill_days(&daily, 7, now);
        assert_eq!(days.len(), 7);
        assert_eq!(days[0].day, "2026-11-23");
        assert_eq!(days[6].day, "2026-11-29");
        assert_eq!((days[4].count, days[4].volume), (2, 90_000));
        assert_eq!(days.iter().map(|d| d.volume).sum::<i64>(), 90_000, "older days are not in the period");
    }

    #[wasm_bindgen_test]
    fn reconciliation_periods_and_webhook_events() {
        assert_eq!(recon_query("2026-11-29"), "year=2026&month=11&day=29");
        assert_eq!(recon_query("2026-11"), "year=2026&month=11");
        assert!(valid_period("2026-11-29", false));
        assert!(valid_period("2026-11", true));
        assert!(!valid_period("2026-11", false));
        assert!(!valid_period("", true));
        let groups = event_groups();
        assert_eq!(groups[0].0, "payment");
        assert_eq!(
            groups.iter().map(|(_, e)| e.len()).sum::<usize>(),
            shared::pay::webhook::EVENTS.len(),
            "every event once"
        );
    }

    #[wasm_bindgen_test]
    fn subscriptions_say_what_they_charge_and_how_often() {
        assert_eq!(cadence("weekly", 1), "every week");
        assert_eq!(cadence("monthly", 3), "every 3 months");
        assert_eq!(plan_line(&subscription(None, "created")), "₹699.00 every week, 6 payments");
    }

    #[wasm_bindgen_test]
    fn link_amounts_follow_the_links_rules() {
        let now = js_sys::Date::now() as i64;
        let first = link(true, 0, "created");
        assert_eq!(check_link_amount("400", &first, now), Ok(40_000));
        assert_eq!(check_link_amount("1000", &first, now), Ok(100_000));
        assert_eq!(
            check_link_amount("300", &first, now).unwrap_err(),
            "The first payment must be at least ₹400.00."
        );
        assert_eq!(
            check_link_amount("1000.01", &first, now).unwrap_err(),
            "The amount is more than what is due on this payment link."
        );
        assert_eq!(check_link_amount("", &first, now).unwrap_err(), "Enter the amount to pay now.");
        let second = link(true, 40_000, "partially_paid");
        assert_eq!(check_link_amount("100", &second, now), Ok(10_000), "no first minimum any more");
        let whole = link(false, 0, "created");
        assert_eq!(check_link_amount("", &whole, now), Ok(100_000), "the whole amount, nothing typed");
        assert_eq!(
            check_link_amount("", &link(false, 0, "cancelled"), now).unwrap_err(),
            "This payment link is cancelled"
        );
        assert_eq!(
            return_url(&whole, "https://dozen.example"),
            "https://dozen.example/pay/link/plink_TEST00000001"
        );
    }

    #[wasm_bindgen_test]
    async fn a_partial_link_asks_how_much_and_checks_it() {
        let reload = RwSignal::new(0u32);
        let root = mount_pay(move || {
            view! { <Router><PaymentLinkPay link=link(true, 0, "created") reload /></Router> }.into_any()
        });
        settle().await;
        assert_eq!(text(&root, "[data-testid=amount-due]"), "₹1,000.00");
        assert_eq!(text(&root, "[data-testid=merchant]"), "Acme Books");
        let input: HtmlInputElement = query(&root, "#link-amount").unchecked_into();
        assert_eq!(input.value(), "1000.00", "the whole due to start with");
        assert_eq!(text(&root, "[data-testid=link-pay]"), "Pay ₹1,000.00");
        assert!(text(&root, "#link-amount-hint").contains("at least ₹400.00 now"));
        type_into(&input, "300");
        input.dispatch_event(&Event::new("blur").unwrap()).unwrap();
        settle().await;
        assert_eq!(text(&root, "#link-amount-error"), "The first payment must be at least ₹400.00.");
        assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
        type_into(&input, "400");
        settle().await;
        assert_eq!(text(&root, "#link-amount-error"), "");
        assert_eq!(text(&root, "[data-testid=link-pay]"), "Pay ₹400.00");
    }

    #[wasm_bindgen_test]
    async fn a_paid_link_says_so_and_takes_nothing() {
        let reload = RwSignal::new(0u32);
        let root = mount_pay(move || {
            view! { <Router><PaymentLinkPay link=link(true, 100_000, "paid") reload /></Router> }.into_any()
        });
        settle().await;
        assert_eq!(text(&root, "[data-testid=link-closed] h2"), "Paid in full");
        assert!(root.query_selector("[data-testid=link-pay]").unwrap().is_none());
        assert_eq!(text(&root, "[data-testid=amount-paid]"), "₹1,000.00 paid of ₹1,000.00");
    }

    #[wasm_bindgen_test]
    async fn a_subscription_offers_card_and_upi_and_names_its_trial() {
        let start = js_sys::Date::now() as i64 + 3 * 86_400_000;
        let root = mount_pay(move || {
            view! { <Authorize subscription=subscription(Some(start), "created") /> }.into_any()
        });
        settle().await;
        assert_eq!(text(&root, "[data-testid=amount]"), "₹699.00 every week");
        assert_eq!(text(&root, "[data-testid=plan-line]"), "6 payments, ₹4,194.00 in all");
        let title = web_sys::window().unwrap().document().unwrap().title();
        assert!(title.contains("₹699.00 every week, 6 payments"), "{title}");
        assert_eq!(root.query_selector_all("[role=tab]").unwrap().length(), 2, "card and UPI only");
        assert!(root.query_selector("#tab-upi").unwrap().is_some());
        assert!(root.query_selector("#tab-netbanking").unwrap().is_none());
        assert!(text(&root, "[data-testid=charge-note]").starts_with("Nothing is charged today"));
        assert_eq!(text(&root, "[data-testid=pay-button]"), "Authorize subscription");
        assert!(root.query_selector("[data-testid=trial-start]").unwrap().is_some());

        let root =
            mount_pay(move || view! { <Authorize subscription=subscription(None, "created") /> }.into_any());
        settle().await;
        assert_eq!(text(&root, "[data-testid=pay-button]"), "Pay ₹699.00 and subscribe");

        let root =
            mount_pay(move || view! { <Authorize subscription=subscription(None, "active") /> }.into_any());
        settle().await;
        assert_eq!(text(&root, "[data-testid=subscription-state] h2"), "This subscription is active");
        assert!(root.query_selector("[data-testid=pay-button]").unwrap().is_none());
    }
}
