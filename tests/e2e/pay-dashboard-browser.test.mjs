// Pay's merchant dashboard and the customer's payment link and subscription pages, in Chromium:
// a merchant signs up, creates a key pair (the secret shown once), sees a payment made with it,
// refunds part of it in the dialog, registers a webhook and sees its delivery, reads the
// overview's figures; a payment link is paid in two parts through /pay/link/:id and the hosted
// checkout; subscriptions are authorized through /pay/subscription/:id (with an OTP, and a
// trial after a decline); settlements and the reconciliation report after T+2 days.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import http from "node:http";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { BASE, request, sessionToken, signUp } from "../support/api.mjs";
import { DESKTOP, launch, PHONE, SCREENSHOTS, signUpInPage, watchForErrors } from "../support/browser.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** A screenshot into .dozen/screenshots/pay-dashboard-*.png, from the top when full-page. */
async function shot(page, name, fullPage = true) {
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SCREENSHOTS, `pay-dashboard-${name}.png`), fullPage });
}

const basic = (id, secret) => ({ authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}` });

/** A browser context with its own client address (the checkout's rate limit is per address). */
async function context(device = PHONE, extra = {}) {
  const ip = `10.88.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
  const ctx = await browser.newContext({ ...device, ...extra, extraHTTPHeaders: { "CF-Connecting-IP": ip } });
  const page = await ctx.newPage();
  const errors = watchForErrors(page);
  // Refusals the pages show (422 amount, 409 closed) are still logged as failed resources.
  const unexpected = () => errors.filter((e) => !/the server responded with a status of (404|409|422)/.test(e));
  return { ctx, page, unexpected };
}

/** A merchant made through the API (named, with a key pair), and a browser signed in as them. */
async function apiMerchant(name = "Acme Books") {
  const { jar } = await signUp();
  assert.equal((await request("PATCH", "/api/auth/me", { body: { display_name: name }, jar })).status, 200);
  const key = await request("POST", "/api/pay/keys", { body: {}, jar });
  assert.equal(key.status, 201, key.text);
  return { jar, auth: basic(key.json.key_id, key.json.key_secret) };
}

async function signIn(ctx, jar) {
  await ctx.addCookies([{ name: "dozen_session", value: sessionToken(jar), url: BASE }]);
}

async function s2s(auth, amount, instrument) {
  const order = await request("POST", "/v1/orders", { headers: auth, body: { amount, currency: "INR", receipt: `r-${amount}` } });
  assert.equal(order.status, 200, order.text);
  return request("POST", "/v1/payments/create/json", {
    headers: auth,
    body: { amount, currency: "INR", order_id: order.json.id, email: "asha@example.com", contact: "9000090000", ...instrument },
  });
}

const CARD = (number) => ({ method: "card", card: { number, name: "Asha Rao", expiry_month: 12, expiry_year: 2030, cvv: "123" } });

async function contact(page) {
  await page.getByLabel("Email", { exact: true }).fill("asha@example.com");
  await page.getByLabel("Phone", { exact: true }).fill("+91 98765 43210");
}

async function card(page, number) {
  await page.getByLabel("Card number").fill(number);
  await page.getByLabel("Expiry month (MM)").fill("12");
  await page.getByLabel("Expiry year (YY)").fill("30");
  await page.getByLabel("CVV").fill("123");
}

async function expectFocus(page, id) {
  await page
    .waitForFunction((id) => document.activeElement?.id === id, id, { timeout: 3000 })
    .catch(async () => assert.fail(`focus on #${id}, not #${await page.evaluate(() => document.activeElement?.id)}`));
}

const text = async (locator) => (await locator.textContent()).trim();

test("signed out, /pay says what Pay is and how to sign in", async () => {
  const { ctx, page, unexpected } = await context();
  await page.goto(BASE + "/pay");
  await page.getByTestId("pay-signed-out").waitFor();
  assert.equal(await page.getByRole("link", { name: "Sign in" }).last().getAttribute("href"), "/signin?next=/pay");
  await shot(page, "signed-out-phone");
  assert.deepEqual(unexpected(), []);
  await ctx.close();
});

test("a merchant: key pair shown once, a payment refunded in part, a webhook delivered, the overview", async () => {
  const receiver = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      receiver.push(JSON.parse(body).event);
      res.writeHead(200).end("ok");
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const { ctx, page, unexpected } = await context();
  try {
    await signUpInPage(page, "pay");
    await page.goto(BASE + "/pay");
    await page.getByTestId("get-started").waitFor();
    assert.equal(await page.getByRole("tab", { name: "Overview" }).getAttribute("aria-selected"), "true");
    await shot(page, "overview-empty-phone-light");

    // 1. A key pair, from the empty state's button: the secret once, with copy buttons.
    await page.getByTestId("get-started").getByRole("button", { name: "Create a key" }).click();
    await page.waitForURL(/\/pay\?tab=keys$/);
    assert.equal(await page.getByRole("tab", { name: "API keys" }).getAttribute("aria-selected"), "true");
    await page.getByTestId("create-key").click();
    await page.getByTestId("new-key").waitFor();
    const keyId = await text(page.getByTestId("new-key-id"));
    const secret = await text(page.getByTestId("new-key-secret"));
    assert.match(keyId, /^rzp_test_[0-9A-Za-z]{14}$/);
    assert.match(secret, /^[0-9A-Za-z]{24}$/);
    await page.getByText("Copy the secret now. It will not be shown again.").waitFor();
    await page.getByRole("button", { name: "Copy key secret" }).waitFor();
    await expectFocus(page, "new-key-heading");
    await shot(page, "keys-new-phone-light");
    await page.getByRole("button", { name: "I have saved it" }).click();
    await page.reload();
    await page.getByTestId("keys").getByText(keyId).waitFor();
    assert.ok(!(await page.content()).includes(secret), "the secret is never shown again");
    const auth = basic(keyId, secret);

    // 2. Payments made with it: card (captured), UPI declined, UPI captured.
    const paid = await s2s(auth, 50000, CARD("4111111111111111"));
    assert.equal(paid.status, 200, paid.text);
    const paymentId = paid.json.razorpay_payment_id;
    assert.equal((await s2s(auth, 15000, { method: "upi", vpa: "failure@razorpay" })).status, 400);
    assert.equal((await s2s(auth, 30000, { method: "upi", vpa: "success@razorpay" })).status, 200);

    // The tabs work from the keyboard, and each is a link of its own.
    await page.getByRole("tab", { name: "API keys" }).focus();
    await page.keyboard.press("Home");
    await expectFocus(page, "pay-tab-overview");
    await page.keyboard.press("ArrowRight");
    await expectFocus(page, "pay-tab-payments");
    await page.waitForURL(/\/pay\?tab=payments$/);
    const table = page.getByTestId("payments");
    const row = table.locator(`tr[data-payment="${paymentId}"]`);
    await row.waitFor();
    assert.equal(await table.locator("tbody tr").count(), 3);
    assert.match(await text(row), /₹500\.00/);
    assert.match(await text(row), /Visa •••• 1111/);
    assert.equal(await row.locator(".status").first().getAttribute("data-status"), "captured");
    await page.getByLabel("Status").selectOption("failed");
    await table.locator("tbody tr").first().getByText("UPI failure@razorpay").waitFor();
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=payments] tbody tr").length === 1);
    await page.getByLabel("Status").selectOption("");
    await page.getByLabel("Method").selectOption("card");
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=payments] tbody tr").length === 1);
    await page.getByLabel("Method").selectOption("");
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=payments] tbody tr").length === 3);
    await shot(page, "payments-phone-light");

    // 3. Refund part of it: the dialog starts at the remainder and checks the amount first.
    const refundButton = row.getByRole("button", { name: `Refund ${paymentId}` });
    await refundButton.click();
    const dialog = page.getByTestId("refund-dialog");
    await dialog.waitFor();
    const amount = page.getByLabel("Amount to refund");
    assert.equal(await amount.inputValue(), "500.00");
    await expectFocus(page, "refund-amount");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    await expectFocus(page, `refund-${paymentId}`);
    await refundButton.click();
    await amount.fill("600");
    await amount.blur();
    await page.locator("#refund-amount-error").getByText(/greater than the amount not yet refunded/).waitFor();
    assert.equal(await amount.getAttribute("aria-invalid"), "true");
    await amount.fill("200");
    assert.equal(await text(page.getByTestId("refund-submit")), "Refund ₹200.00");
    await shot(page, "refund-dialog-phone-light", false);
    await page.getByTestId("refund-submit").click();
    await page.getByTestId("refund-notice").getByText(/Refunded ₹200\.00 of pay_/).waitFor();
    await row.getByTestId("refunded").getByText("₹200.00 refunded").waitFor();
    await row.getByText("partly refunded").waitFor();
    const fetched = await request("GET", `/v1/payments/${paymentId}`, { headers: auth });
    assert.equal(fetched.json.amount_refunded, 20000);
    // What is left is still refundable: the dialog now starts at ₹300.00.
    await row.getByRole("button", { name: `Refund ${paymentId}` }).click();
    assert.equal(await page.getByLabel("Amount to refund").inputValue(), "300.00");
    await page.getByRole("button", { name: "Cancel" }).click();

    // 4. A webhook to a local receiver, then an event it receives.
    await page.getByRole("tab", { name: "Webhooks" }).click();
    await page.waitForURL(/tab=webhooks/);
    await page.getByRole("button", { name: "Add webhook" }).click();
    await page.locator("#webhook-url-error").getByText(/https:\/\//).waitFor();
    const url = `http://127.0.0.1:${server.address().port}/hook`;
    await page.getByLabel("URL").fill(url);
    await page.getByRole("button", { name: "Clear" }).click();
    await page.getByLabel("payment.captured").check();
    await page.getByRole("button", { name: "Generate" }).click();
    assert.match(await page.getByLabel("Secret").inputValue(), /^[0-9a-f]{32}$/);
    await shot(page, "webhook-form-phone-light");
    await page.getByRole("button", { name: "Add webhook" }).click();
    await page.getByTestId("webhook-registered").waitFor();
    const hook = page.getByTestId("webhooks").locator("li").first();
    await hook.getByText(url).waitFor();
    assert.equal((await s2s(auth, 12300, CARD("4111111111111111"))).status, 200);
    for (let i = 0; i < 50 && !receiver.includes("payment.captured"); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(receiver.includes("payment.captured"), "the receiver got the event");
    await hook.getByRole("button", { name: "Deliveries" }).click();
    const delivery = hook.getByTestId("deliveries").locator("li").first();
    await delivery.waitFor();
    assert.match(await text(delivery), /payment\.captured/);
    await delivery.locator(".status", { hasText: "delivered" }).waitFor();
    await delivery.locator(".code.ok", { hasText: "200" }).waitFor();
    await shot(page, "webhooks-phone-light");

    // 5. The overview's figures match the summary.
    const summary = await page.evaluate(() => fetch("/api/pay/summary?days=30").then((r) => r.json()));
    await page.getByRole("tab", { name: "Overview" }).click();
    await page.getByTestId("figures").waitFor();
    const rupees = (paise) => `₹${(paise / 100).toLocaleString("en-IN", { minimumFractionDigits: 2 })}`;
    assert.equal(await text(page.getByTestId("balance")), rupees(summary.balance));
    assert.equal(await text(page.getByTestId("fees")), rupees(summary.fees));
    assert.equal(await text(page.getByTestId("volume")), "₹923.00");
    assert.equal(await text(page.getByTestId("success-rate")), "75%");
    await page.getByTestId("volume-chart").waitFor();
    const card = page.getByTestId("by-method").locator('tr[data-key="card"]');
    assert.match(await text(card), /100%/);
    await page.getByRole("button", { name: "7 days" }).click();
    assert.equal(await page.getByRole("button", { name: "7 days" }).getAttribute("aria-pressed"), "true");
    await page.getByTestId("figures").waitFor();
    await shot(page, "overview-phone-light");
    assert.deepEqual(unexpected(), []);

    // The same dashboard on a desktop, light and dark.
    for (const scheme of ["light", "dark"]) {
      const wide = await browser.newContext({ ...DESKTOP, colorScheme: scheme });
      await wide.addCookies(await ctx.cookies());
      const desk = await wide.newPage();
      const errors = watchForErrors(desk);
      await desk.goto(BASE + "/pay");
      await desk.getByTestId("volume-chart").waitFor();
      await shot(desk, `overview-desktop-${scheme}`);
      await desk.goto(BASE + "/pay?tab=payments");
      await desk.getByTestId("payments").waitFor();
      await shot(desk, `payments-desktop-${scheme}`);
      if (scheme === "dark") {
        await desk.getByTestId("payments").getByRole("button", { name: `Refund ${paymentId}` }).click();
        await desk.getByTestId("refund-dialog").waitFor();
        await shot(desk, "refund-dialog-desktop-dark", false);
        await desk.keyboard.press("Escape");
        await desk.goto(BASE + "/pay?tab=webhooks");
        await desk.getByTestId("webhooks").locator("li").first().getByRole("button", { name: "Deliveries" }).click();
        await desk.getByTestId("deliveries").waitFor();
        await shot(desk, "webhooks-desktop-dark");
        await desk.goto(BASE + "/pay?tab=keys");
        await desk.getByTestId("keys").waitFor();
        await shot(desk, "keys-desktop-dark");
      }
      assert.deepEqual(errors, []);
      await wide.close();
    }
    // Dark on the phone too.
    const dark = await browser.newContext({ ...PHONE, colorScheme: "dark" });
    await dark.addCookies(await ctx.cookies());
    const darkPage = await dark.newPage();
    await darkPage.goto(BASE + "/pay");
    await darkPage.getByTestId("volume-chart").waitFor();
    await shot(darkPage, "overview-phone-dark");
    await darkPage.goto(BASE + "/pay?tab=payments");
    await darkPage.getByTestId("payments").waitFor();
    await shot(darkPage, "payments-phone-dark");
    await dark.close();

    // 6. Revoke the key, after confirming: /v1 refuses it from then on.
    await page.goto(BASE + "/pay?tab=keys");
    await page.getByRole("button", { name: `Revoke ${keyId}` }).click();
    await page.getByRole("heading", { name: "Revoke this key?" }).waitFor();
    await shot(page, "revoke-dialog-phone-light", false);
    await page.getByTestId("confirm").click();
    await page.getByTestId("keys").locator(`li[data-key="${keyId}"] .status`, { hasText: "revoked" }).waitFor();
    assert.equal((await request("GET", "/v1/orders", { headers: auth })).status, 401);
    assert.deepEqual(unexpected(), []);
  } finally {
    server.close();
    await ctx.close();
  }
});

test("a payment link paid in two parts through /pay/link/:id and the checkout", async () => {
  const { jar, auth } = await apiMerchant("Acme Books");
  const created = await request("POST", "/v1/payment_links", {
    headers: auth,
    body: { amount: 100000, currency: "INR", accept_partial: true, first_min_partial_amount: 40000, description: "Two instalments" },
  });
  assert.equal(created.status, 200, created.text);
  const link = created.json;
  const { ctx, page, unexpected } = await context();
  await page.goto(`${BASE}/pay/link/${link.id}`);
  await page.getByTestId("amount-due").waitFor();
  assert.equal(await text(page.getByTestId("amount-due")), "₹1,000.00");
  assert.equal(await text(page.getByTestId("merchant")), "Acme Books");
  assert.equal(await text(page.getByTestId("description")), "Two instalments");
  const amount = page.getByLabel("Amount to pay now");
  assert.equal(await amount.inputValue(), "1000.00");
  await amount.fill("300");
  await page.getByTestId("link-pay").click();
  await page.locator("#link-amount-error").getByText("The first payment must be at least ₹400.00.").waitFor();
  await expectFocus(page, "link-amount");
  await shot(page, "link-partial-phone-light");
  await amount.fill("400");
  assert.equal(await text(page.getByTestId("link-pay")), "Pay ₹400.00");
  await page.getByTestId("link-pay").click();

  // The first part on the hosted checkout, then back to the link.
  await page.waitForURL(/\/pay\/checkout\/order_/);
  await page.getByTestId("amount").getByText("₹400.00").waitFor();
  await contact(page);
  await page.getByRole("tab", { name: "UPI" }).click();
  await page.getByLabel("UPI ID").fill("success@razorpay");
  await page.getByTestId("pay-button").click();
  await page.getByTestId("payment-success").waitFor();
  await page.getByTestId("return-link").click();
  await page.waitForURL(new RegExp(`/pay/link/${link.id}\\?razorpay_payment_id=pay_`));
  await page.getByTestId("payment-received").waitFor();
  assert.equal(await text(page.getByTestId("amount-due")), "₹600.00");
  assert.equal(await text(page.getByTestId("amount-paid")), "₹400.00 paid of ₹1,000.00");
  assert.equal(await page.getByLabel("Amount to pay now").inputValue(), "600.00");
  await shot(page, "link-second-part-phone-light");

  // The rest by card.
  await page.getByTestId("link-pay").click();
  await page.waitForURL(/\/pay\/checkout\/order_/);
  await page.getByTestId("amount").getByText("₹600.00").waitFor();
  await contact(page);
  await card(page, "4111 1111 1111 1111");
  await page.getByTestId("pay-button").click();
  await page.getByTestId("payment-success").waitFor();
  await page.getByTestId("return-link").click();
  await page.getByTestId("link-closed").waitFor();
  assert.equal(await text(page.getByRole("heading", { level: 2 })), "Paid in full");
  assert.equal(await page.getByTestId("link-pay").count(), 0);
  await shot(page, "link-paid-phone-light");
  const done = await request("GET", `/v1/payment_links/${link.id}`, { headers: auth });
  assert.equal(done.json.status, "paid");
  assert.deepEqual(done.json.payments.map((p) => p.amount).sort(), [40000, 60000]);
  assert.deepEqual(unexpected(), []);
  await ctx.close();

  // Dark, and on a desktop: a fresh link, and the merchant's list of links.
  const fresh = await request("POST", "/v1/payment_links", { headers: auth, body: { amount: 250000, description: "Annual maintenance" } });
  assert.equal(fresh.status, 200, fresh.text);
  const dark = await context(PHONE, { colorScheme: "dark" });
  await dark.page.goto(`${BASE}/pay/link/${fresh.json.id}`);
  await dark.page.getByTestId("link-pay").getByText("Pay ₹2,500.00").waitFor();
  assert.equal(await dark.page.getByLabel("Amount to pay now").count(), 0, "no amount to choose without partial payments");
  await shot(dark.page, "link-phone-dark");
  await dark.ctx.close();
  const desk = await context(DESKTOP);
  await signIn(desk.ctx, jar);
  await desk.page.goto(`${BASE}/pay?tab=links`);
  const item = desk.page.getByTestId("payment-links").locator(`li[data-link="${link.id}"]`);
  await item.waitFor();
  assert.equal(await item.locator(".status").getAttribute("data-status"), "paid");
  assert.equal(await text(item.getByTestId("link-paid")), "₹1,000.00 paid");
  await item.getByRole("button", { name: `Copy the short URL of ${link.id}` }).waitFor();
  await shot(desk.page, "links-desktop-light");
  await desk.page.goto(`${BASE}/pay/link/${fresh.json.id}`);
  await desk.page.getByTestId("link-pay").waitFor();
  await shot(desk.page, "link-desktop-light");
  assert.deepEqual(desk.unexpected(), []);
  await desk.ctx.close();
});

test("subscriptions authorized on /pay/subscription/:id: an OTP card, and a trial after a decline", async () => {
  const { jar, auth } = await apiMerchant("Chai Club");
  const plan = await request("POST", "/v1/plans", {
    headers: auth,
    body: { period: "weekly", interval: 1, item: { name: "Weekly tea", amount: 69900, currency: "INR", description: "A box of tea every week" } },
  });
  assert.equal(plan.status, 200, plan.text);
  const sub = await request("POST", "/v1/subscriptions", { headers: auth, body: { plan_id: plan.json.id, total_count: 6 } });
  assert.equal(sub.status, 200, sub.text);

  const { ctx, page, unexpected } = await context();
  await page.goto(`${BASE}/pay/subscription/${sub.json.id}`);
  await page.getByTestId("plan-line").waitFor();
  assert.equal(await text(page.getByTestId("amount")), "₹699.00 every week");
  assert.equal(await text(page.getByTestId("plan-line")), "6 payments, ₹4,194.00 in all");
  assert.match(await page.title(), /₹699\.00 every week, 6 payments/);
  assert.equal(await text(page.getByTestId("plan-name")), "Weekly tea");
  assert.equal(await page.getByRole("tab").count(), 2, "card and UPI");
  assert.equal(await text(page.getByTestId("pay-button")), "Pay ₹699.00 and subscribe");
  await shot(page, "subscription-phone-light");
  await contact(page);
  await card(page, "4000 0000 0000 3220");
  await page.getByTestId("pay-button").click();
  await page.getByRole("heading", { name: "Enter the OTP" }).waitFor();
  await page.getByLabel("One-time password").fill("123456");
  await page.getByRole("button", { name: "Verify and pay ₹699.00" }).click();
  await page.getByTestId("subscription-success").waitFor();
  assert.equal(await text(page.getByTestId("subscription-status")), "Paid");
  await expectFocus(page, "result-heading");
  await shot(page, "subscription-paid-phone-light");
  const active = await request("GET", `/v1/subscriptions/${sub.json.id}`, { headers: auth });
  assert.deepEqual([active.json.status, active.json.paid_count], ["active", 1]);
  await page.reload();
  await page.getByTestId("subscription-state").getByText("This subscription is active").waitFor();
  assert.deepEqual(unexpected(), []);
  await ctx.close();

  // A trial: nothing charged now; a declined card first, then one that works.
  const startAt = Math.floor(Date.now() / 1000) + 3 * 86400;
  const trial = await request("POST", "/v1/subscriptions", { headers: auth, body: { plan_id: plan.json.id, total_count: 12, start_at: startAt } });
  assert.equal(trial.status, 200, trial.text);
  const dark = await context(PHONE, { colorScheme: "dark" });
  await dark.page.goto(`${BASE}/pay/subscription/${trial.json.id}`);
  await dark.page.getByTestId("trial-start").waitFor();
  assert.match(await text(dark.page.getByTestId("charge-note")), /^Nothing is charged today/);
  await shot(dark.page, "subscription-trial-phone-dark");
  await contact(dark.page);
  await card(dark.page, "4000 0000 0000 0002");
  await dark.page.getByTestId("pay-button").click();
  await dark.page.getByTestId("payment-failed").waitFor();
  await shot(dark.page, "subscription-declined-phone-dark");
  await dark.page.getByRole("button", { name: "Try again" }).click();
  // The form is back when the CVV (the one input not kept) has the focus; typing before then
  // failed now and then (no success shown), apparently racing the form's return.
  await expectFocus(dark.page, "card-cvv");
  await card(dark.page, "4111 1111 1111 1111");
  await dark.page.getByTestId("pay-button").click();
  await dark.page.getByTestId("subscription-success").waitFor();
  assert.equal(await text(dark.page.getByTestId("subscription-status")), "Authorized");
  const authenticated = await request("GET", `/v1/subscriptions/${trial.json.id}`, { headers: auth });
  assert.deepEqual([authenticated.json.status, authenticated.json.paid_count], ["authenticated", 0]);
  assert.deepEqual(dark.unexpected(), []);
  await dark.ctx.close();

  // The merchant's list: both, with their next charge; the desktop authorization page.
  const waiting = await request("POST", "/v1/subscriptions", { headers: auth, body: { plan_id: plan.json.id, total_count: 3 } });
  const desk = await context(DESKTOP);
  await signIn(desk.ctx, jar);
  await desk.page.goto(`${BASE}/pay?tab=subscriptions`);
  const list = desk.page.getByTestId("subscriptions");
  await list.waitFor();
  const first = list.locator(`li[data-subscription="${sub.json.id}"]`);
  assert.equal(await text(first.getByTestId("sub-paid")), "1 of 6 paid");
  await first.getByTestId("next-charge").waitFor();
  await list.locator(`li[data-subscription="${trial.json.id}"] .status`, { hasText: "authenticated" }).waitFor();
  await shot(desk.page, "subscriptions-desktop-light");
  await desk.page.goto(`${BASE}/pay/subscription/${waiting.json.id}`);
  await desk.page.getByTestId("pay-button").waitFor();
  await shot(desk.page, "subscription-desktop-light");
  assert.deepEqual(desk.unexpected(), []);
  await desk.ctx.close();
});

test("settlements after T+2 days, and the reconciliation report on screen and as CSV", async () => {
  const { jar, auth } = await apiMerchant("Acme Books");
  assert.equal((await s2s(auth, 100000, CARD("4111111111111111"))).status, 200);
  assert.equal((await request("POST", `/api/pay/sweep?time=${Date.now() + 3 * 86_400_000}`)).status, 200);
  const { ctx, page, unexpected } = await context(DESKTOP);
  await signIn(ctx, jar);
  await page.goto(`${BASE}/pay?tab=settlements`);
  const settlements = page.getByTestId("settlements");
  await settlements.waitFor();
  assert.equal(await settlements.locator("tbody tr").count(), 1);
  assert.match(await text(settlements.locator("tbody tr")), /₹976\.40/, "₹1,000 less 2% and GST on it");
  await page.getByRole("button", { name: "Show report" }).click();
  const rows = page.getByTestId("recon-rows");
  await rows.waitFor();
  assert.equal(await rows.locator("tbody tr").count(), 1);
  const today = new Date().toISOString().slice(0, 10);
  const [y, m, d] = today.split("-");
  assert.equal(await page.getByTestId("recon-csv").getAttribute("href"), `/api/pay/reconciliation?year=${y}&month=${m}&day=${d}&format=csv`);
  const csv = await page.evaluate((href) => fetch(href).then((r) => r.text()), await page.getByTestId("recon-csv").getAttribute("href"));
  assert.match(csv, /^entity_id,type,credit/);
  await page.getByLabel("Month").check();
  await page.getByRole("button", { name: "Show report" }).click();
  await page.getByTestId("recon-totals").waitFor();
  await shot(page, "settlements-desktop-light");
  assert.deepEqual(unexpected(), []);
  await ctx.close();
  const phone = await context(PHONE, { colorScheme: "dark" });
  await signIn(phone.ctx, jar);
  await phone.page.goto(`${BASE}/pay?tab=settlements`);
  await phone.page.getByTestId("settlements").waitFor();
  await phone.page.getByRole("button", { name: "Show report" }).click();
  await phone.page.getByTestId("recon-rows").waitFor();
  await shot(phone.page, "settlements-phone-dark");
  await phone.ctx.close();
});
