// Pay's hosted checkout in the browser: a merchant's order paid by card (with a double click),
// a declined card then UPI, a card that asks for an OTP, inline validation before any request,
// the merchant's callback with a signature that verifies, and an order that is paid already.
import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { join } from "node:path";
import { BASE, request, signUp } from "../support/api.mjs";
import { DESKTOP, launch, PHONE, SCREENSHOTS, watchForErrors } from "../support/browser.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** A screenshot; full-page ones from the top, so the sticky header is where a person sees it. */
async function shot(page, name, fullPage = true) {
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
}

/** A merchant (named, with a key pair) and one order of theirs. */
async function merchantWithOrder(order = {}) {
  const { jar } = await signUp();
  const named = await request("PATCH", "/api/auth/me", { body: { display_name: "Acme Books" }, jar });
  assert.equal(named.status, 200, named.text);
  const key = await request("POST", "/api/pay/keys", { body: {}, jar });
  assert.equal(key.status, 201, key.text);
  const auth = { authorization: `Basic ${Buffer.from(`${key.json.key_id}:${key.json.key_secret}`).toString("base64")}` };
  const created = await request("POST", "/v1/orders", {
    body: { amount: 50000, currency: "INR", receipt: "r1", ...order },
    headers: auth,
  });
  assert.equal(created.status, 200, created.text);
  return { auth, secret: key.json.key_secret, order: created.json };
}

async function payments(auth, orderId) {
  const res = await request("GET", `/v1/orders/${orderId}/payments`, { headers: auth });
  assert.equal(res.status, 200, res.text);
  return res.json.items;
}

/** A browser context as one customer: its own address, so the checkout's rate limit is theirs. */
async function customer(device = PHONE, extra = {}) {
  const ip = `10.77.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
  const context = await browser.newContext({ ...device, ...extra, extraHTTPHeaders: { "CF-Connecting-IP": ip } });
  const page = await context.newPage();
  const errors = watchForErrors(page);
  // The checkout's own refusals (422 wrong OTP, 409 paid) are answers the page shows; the
  // browser still logs them as failed resources.
  const unexpected = () => errors.filter((e) => !/the server responded with a status of (404|409|422)/.test(e));
  const posts = [];
  page.on("request", (r) => {
    if (r.method() === "POST" && r.url().includes("/api/pay/checkout/")) posts.push(r);
  });
  return { context, page, unexpected, posts };
}

async function open(page, orderId, query = "") {
  await page.goto(`${BASE}/pay/checkout/${orderId}${query}`);
  await page.getByTestId("amount").waitFor();
}

async function contact(page) {
  await page.getByLabel("Email", { exact: true }).fill("asha@example.com");
  await page.getByLabel("Phone", { exact: true }).fill("+91 98765 43210");
}

async function card(page, number, cvv = "123") {
  await page.getByLabel("Card number").fill(number);
  await page.getByLabel("Expiry month (MM)").fill("12");
  await page.getByLabel("Expiry year (YY)").fill("30");
  await page.getByLabel("CVV").fill(cvv);
  await page.getByLabel("Name on card").fill("Asha Rao");
}

/** Waits (focus moves once the DOM has caught up) until the element with this id has focus. */
async function expectFocus(page, id) {
  await page
    .waitForFunction((id) => document.activeElement?.id === id, id, { timeout: 3000 })
    .catch(async () => assert.fail(`focus on #${id}, not #${await page.evaluate(() => document.activeElement?.id)}`));
}

test("card 4111…: pays once however often Pay is clicked, and the order is paid", async () => {
  const { auth, order } = await merchantWithOrder();
  const { context, page, unexpected, posts } = await customer();
  // Hold the answer a moment, so the pending state can be seen and clicked again.
  await page.route("**/api/pay/checkout/*/pay", async (route) => {
    await new Promise((r) => setTimeout(r, 600));
    await route.continue();
  });
  await open(page, order.id);
  assert.equal((await page.getByTestId("amount").textContent()).trim(), "₹500.00");
  assert.equal((await page.getByTestId("merchant").textContent()).trim(), "Acme Books");
  assert.equal((await page.getByTestId("receipt").textContent()).trim(), "r1");
  await page.getByText("4000 0000 0000 3220").waitFor();
  assert.equal(await page.getByRole("tab", { name: "Card" }).getAttribute("aria-selected"), "true");
  await shot(page, "pay-checkout-phone-light");

  await contact(page);
  await card(page, "4111111111111111");
  assert.equal(await page.getByLabel("Card number").inputValue(), "4111 1111 1111 1111");
  assert.equal((await page.getByTestId("card-network").textContent()).trim(), "Visa");
  assert.equal(await page.getByLabel("CVV").getAttribute("type"), "password");
  assert.equal(await page.getByLabel("Card number").getAttribute("autocomplete"), "cc-number");
  const pay = page.getByTestId("pay-button");
  assert.equal((await pay.textContent()).trim(), "Pay ₹500.00");

  await pay.dblclick();
  await page.getByText("Processing…").waitFor();
  assert.equal(await pay.getAttribute("aria-busy"), "true");
  assert.ok(await pay.isDisabled());
  await shot(page, "pay-checkout-processing", false);
  await pay.click({ force: true, timeout: 1000 }).catch(() => {});
  await page.getByLabel("Name on card").press("Enter");

  await page.getByTestId("payment-success").waitFor();
  assert.equal((await page.getByTestId("payment-status").textContent()).trim(), "Paid");
  await expectFocus(page, "result-heading");
  const paymentId = (await page.getByTestId("payment-id").textContent()).trim();
  assert.match(paymentId, /^pay_/);
  await shot(page, "pay-checkout-paid-phone");

  assert.equal(posts.length, 1, "one request however often Pay was clicked");
  const key = posts[0].headers()["idempotency-key"];
  assert.match(key ?? "", /^[0-9a-f-]{36}$/, "a UUID idempotency key");
  const sent = posts[0].postDataJSON();
  assert.equal(sent.card.number, "4111111111111111");
  const paid = await request("GET", `/v1/orders/${order.id}`, { headers: auth });
  assert.equal(paid.json.status, "paid");
  const items = await payments(auth, order.id);
  assert.equal(items.length, 1, "exactly one payment");
  assert.equal(items[0].id, paymentId);
  assert.equal(items[0].status, "captured");

  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  assert.ok(!stored.includes("4111"), "the card number is stored nowhere");
  assert.deepEqual(unexpected(), []);
  await context.close();
});

test("a declined card, then UPI on the same page", async () => {
  const { auth, order } = await merchantWithOrder();
  const { context, page, unexpected } = await customer();
  await open(page, order.id);
  await contact(page);
  await card(page, "4000 0000 0000 0002");
  await page.getByTestId("pay-button").click();
  await page.getByTestId("payment-failed").waitFor();
  assert.match(await page.getByTestId("failure-reason").textContent(), /declined by your bank/);
  await expectFocus(page, "result-heading");
  await shot(page, "pay-checkout-declined-phone");

  await page.getByRole("button", { name: "Try again" }).click();
  assert.equal(await page.getByLabel("Card number").inputValue(), "4000 0000 0000 0002", "inputs are kept");
  assert.equal(await page.getByLabel("Name on card").inputValue(), "Asha Rao");
  assert.equal(await page.getByLabel("CVV").inputValue(), "", "but not the CVV");
  await expectFocus(page, "card-cvv");

  // The tabs work from the keyboard.
  await page.getByRole("tab", { name: "Card" }).focus();
  await page.keyboard.press("ArrowRight");
  assert.equal(await page.getByRole("tab", { name: "UPI" }).getAttribute("aria-selected"), "true");
  await expectFocus(page, "tab-upi");
  await page.getByText("success@razorpay / failure@razorpay work in test mode.").waitFor();
  await page.getByLabel("UPI ID").fill("success@razorpay");
  await page.getByTestId("pay-button").click();
  await page.getByTestId("payment-success").waitFor();
  assert.equal((await page.getByTestId("payment-status").textContent()).trim(), "Paid");

  const items = await payments(auth, order.id);
  assert.deepEqual(items.map((p) => [p.method, p.status]).sort(), [["card", "failed"], ["upi", "captured"]]);
  assert.equal((await request("GET", `/v1/orders/${order.id}`, { headers: auth })).json.status, "paid");
  assert.deepEqual(unexpected(), []);
  await context.close();
});

test("a card that asks for an OTP: a wrong one is refused, 123456 pays", async () => {
  const { auth, order } = await merchantWithOrder();
  const { context, page, unexpected } = await customer();
  await open(page, order.id);
  await contact(page);
  await card(page, "4000000000003220");
  await page.getByTestId("pay-button").click();
  await page.getByRole("heading", { name: "Enter the OTP" }).waitFor();
  await expectFocus(page, "otp-heading");
  const otp = page.getByLabel("One-time password");
  assert.equal(await otp.getAttribute("autocomplete"), "one-time-code");
  assert.equal(await otp.getAttribute("inputmode"), "numeric");
  await page.getByText("3 tries left.").waitFor();
  await shot(page, "pay-checkout-otp-phone");

  await otp.fill("12");
  await page.getByRole("button", { name: /Verify and pay/ }).click();
  await page.locator("#otp-error").getByText("Enter the 6-digit OTP.").waitFor();

  await otp.fill("111111");
  await page.getByRole("button", { name: /Verify and pay/ }).click();
  await page.getByText("2 tries left.").waitFor();
  const error = (await page.locator("#otp-error").textContent()).trim();
  assert.ok(error.length > 0 && error !== "Enter the 6-digit OTP.", `the server's refusal is shown: ${error}`);
  assert.equal(await otp.getAttribute("aria-invalid"), "true");

  await otp.fill("123456");
  await page.getByRole("button", { name: /Verify and pay/ }).click();
  await page.getByTestId("payment-success").waitFor();
  assert.equal((await page.getByTestId("payment-status").textContent()).trim(), "Paid");
  assert.equal((await request("GET", `/v1/orders/${order.id}`, { headers: auth })).json.status, "paid");
  assert.deepEqual(unexpected(), []);
  await context.close();
});

test("inline validation: the shared rules speak before any request is sent", async () => {
  const { order } = await merchantWithOrder();
  const { context, page, unexpected, posts } = await customer();
  await open(page, order.id);

  // Pay on an empty form: every error shows, focus goes to the first.
  await page.getByTestId("pay-button").click();
  await page.locator("#pay-email-error").getByText("The email field is required.").waitFor();
  await expectFocus(page, "pay-email");
  await page.locator("#card-number-error").getByText("The card number is required.").waitFor();

  await page.getByLabel("Email").fill("asha@");
  await page.getByLabel("Phone", { exact: true }).focus();
  await page.locator("#pay-email-error").getByText("The email must be a valid email address.").waitFor();
  await page.getByLabel("Email").fill("asha@example.com");
  assert.equal((await page.locator("#pay-email-error").textContent()).trim(), "");

  const number = page.getByLabel("Card number");
  await number.fill("");
  await number.pressSequentially("4111111111111112");
  assert.equal(await number.inputValue(), "4111 1111 1111 1112");
  assert.equal((await page.getByTestId("card-network").textContent()).trim(), "Visa");
  await page.getByLabel("Name on card").focus();
  await page.locator("#card-number-error").getByText("The card number is invalid.").waitFor();
  assert.equal(await number.getAttribute("aria-invalid"), "true");
  assert.match(await number.getAttribute("aria-describedby"), /card-number-error/);

  // American Express: its own grouping, network and a 4-digit CVV.
  await number.fill("378282246310005");
  assert.equal(await number.inputValue(), "3782 822463 10005");
  assert.equal((await page.getByTestId("card-network").textContent()).trim(), "American Express");
  await page.getByText("4 digits on the front of the card").waitFor();
  assert.equal((await page.locator("#card-number-error").textContent()).trim(), "");

  await page.getByLabel("Expiry month (MM)").fill("13");
  await page.getByLabel("CVV").focus();
  await page.locator("#card-exp-error").getByText("The card expiry month is invalid.").waitFor();
  await page.getByLabel("Expiry month (MM)").fill("01");
  await page.getByLabel("Expiry year (YY)").fill("20");
  await page.getByLabel("CVV").focus();
  await page.locator("#card-exp-error").getByText("The card has expired.").waitFor();

  await page.getByRole("tab", { name: "UPI" }).click();
  await page.getByLabel("UPI ID").fill("not-a-vpa");
  await page.getByLabel("Phone", { exact: true }).focus();
  await page.locator("#upi-vpa-error").getByText("Invalid VPA. Please enter a valid Virtual Payment Address.").waitFor();
  await shot(page, "pay-checkout-validation-phone");

  await page.getByRole("tab", { name: "Net banking" }).click();
  await page.getByTestId("pay-button").click();
  await page.locator("#nb-bank-error").getByText("Choose your bank.").waitFor();
  await page.getByRole("tab", { name: "Wallet" }).click();
  await page.getByTestId("pay-button").click();
  await page.locator("#wallet-error").getByText("Choose a wallet.").waitFor();
  assert.equal(posts.length, 0, "nothing was sent");
  assert.deepEqual(unexpected(), []);
  await context.close();
});

test("callback_url: back to the merchant with Razorpay's three parameters, signed", async () => {
  const { secret, order } = await merchantWithOrder();
  const { context, page, unexpected } = await customer(DESKTOP);
  await page.route("https://merchant.example/**", (route) =>
    route.fulfill({ status: 200, contentType: "text/html", body: "<h1>Thanks from the merchant</h1>" }),
  );
  const callback = "https://merchant.example/done?ref=abc";
  await open(page, order.id, `?callback_url=${encodeURIComponent(callback)}`);
  await shot(page, "pay-checkout-desktop-light");
  await contact(page);
  await page.getByRole("tab", { name: "Wallet" }).click();
  await page.getByLabel("PhonePe").check();
  await page.getByTestId("pay-button").click();
  await page.getByTestId("payment-success").waitFor();
  const link = page.getByTestId("return-link");
  assert.match(await link.getAttribute("href"), /^https:\/\/merchant\.example\/done\?ref=abc&razorpay_payment_id=pay_/);
  await shot(page, "pay-checkout-paid-desktop");

  await page.waitForURL(/^https:\/\/merchant\.example\/done/, { timeout: 10_000 });
  const url = new URL(page.url());
  assert.equal(url.searchParams.get("ref"), "abc", "the merchant's own parameters are kept");
  const paymentId = url.searchParams.get("razorpay_payment_id");
  assert.equal(url.searchParams.get("razorpay_order_id"), order.id);
  const expected = createHmac("sha256", secret).update(`${order.id}|${paymentId}`).digest("hex");
  assert.equal(url.searchParams.get("razorpay_signature"), expected, "the signature verifies with the key secret");
  assert.deepEqual(unexpected(), []);
  await context.close();
});

test("a paid order says so; callbacks that are not http(s) are ignored; a manual-capture order is Authorized", async () => {
  const { auth, order } = await merchantWithOrder({ payment_capture: 0 });
  const dark = await customer(PHONE, { colorScheme: "dark" });
  const page = dark.page;
  await open(page, order.id, `?callback_url=${encodeURIComponent("javascript:alert(1)")}`);
  await shot(page, "pay-checkout-phone-dark");
  await contact(page);
  await page.getByRole("tab", { name: "Net banking" }).click();
  await page.getByLabel("Bank", { exact: true }).selectOption("HDFC");
  await page.getByTestId("pay-button").click();
  await page.getByTestId("payment-success").waitFor();
  assert.equal((await page.getByTestId("payment-status").textContent()).trim(), "Authorized");
  assert.equal(await page.getByTestId("return-link").count(), 0, "no return link to a javascript: URL");
  await shot(page, "pay-checkout-authorized-phone-dark");
  const items = await payments(auth, order.id);
  assert.deepEqual(items.map((p) => [p.method, p.status]), [["netbanking", "authorized"]]);
  assert.deepEqual(dark.unexpected(), []);
  await dark.context.close();

  // Paid through the API, then opened.
  const paid = await merchantWithOrder();
  const s2s = await request("POST", "/v1/payments/create/json", {
    headers: paid.auth,
    body: {
      amount: 50000, currency: "INR", order_id: paid.order.id, email: "a@example.com", contact: "9000090000",
      method: "card", card: { number: "4111111111111111", name: "A", expiry_month: 12, expiry_year: 2030, cvv: "123" },
    },
  });
  assert.equal(s2s.status, 200, s2s.text);
  const desktop = await customer(DESKTOP, { colorScheme: "dark" });
  await open(desktop.page, paid.order.id);
  await desktop.page.getByTestId("already-paid").waitFor();
  await desktop.page.getByRole("heading", { name: "This order is paid" }).waitFor();
  assert.equal(await desktop.page.getByTestId("pay-button").count(), 0, "no form for a paid order");
  await shot(desktop.page, "pay-checkout-already-paid-desktop-dark");

  // The form in dark on a desktop, and an unknown order.
  const fresh = await merchantWithOrder({ amount: 50000000, receipt: "big-one" });
  await open(desktop.page, fresh.order.id);
  assert.equal((await desktop.page.getByTestId("amount").textContent()).trim(), "₹5,00,000.00");
  await shot(desktop.page, "pay-checkout-desktop-dark");
  await desktop.page.goto(`${BASE}/pay/checkout/order_000000000000000000`);
  await desktop.page.getByRole("heading", { name: "Order not found" }).waitFor();
  assert.deepEqual(desktop.unexpected(), []);
  await desktop.context.close();
});

test("a lost answer: Retry resends the same attempt with its key, and it is charged once", async () => {
  const { auth, order } = await merchantWithOrder();
  const { context, page, unexpected, posts } = await customer();
  // The first attempt reaches the worker and is charged, but its answer never arrives.
  let dropped = false;
  await page.route("**/api/pay/checkout/*/pay", async (route) => {
    if (dropped) return route.continue();
    dropped = true;
    await route.fetch();
    await route.abort("connectionreset");
  });
  await open(page, order.id);
  await contact(page);
  await card(page, "4111 1111 1111 1111");
  await page.getByTestId("pay-button").click();
  const banner = page.getByTestId("network-error");
  await banner.getByText("Could not reach Pay. Check your connection and try again.").waitFor();
  assert.equal((await payments(auth, order.id)).length, 1, "the worker did charge it");

  await banner.getByRole("button", { name: "Retry" }).click();
  await page.getByTestId("payment-success").waitFor();
  assert.equal((await page.getByTestId("payment-status").textContent()).trim(), "Paid");
  assert.equal(posts.length, 2);
  const [first, second] = posts.map((r) => r.headers()["idempotency-key"]);
  assert.equal(second, first, "the retry carries the first attempt's key");
  const items = await payments(auth, order.id);
  assert.equal(items.length, 1, "charged once");
  assert.equal((await page.getByTestId("payment-id").textContent()).trim(), items[0].id);
  assert.deepEqual(unexpected().filter((e) => !/ERR_CONNECTION_RESET|ERR_FAILED/.test(e)), []);
  await context.close();
});
