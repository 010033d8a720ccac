// The lived-in demo `make dev` opens onto: every product's seeder, run through the local-only
// `POST /api/demo`, once per state folder. Signs in as the README's demo account and checks that
// each product shows real-looking data, read through the same APIs the pages use.
import assert from "node:assert/strict";
import { test } from "node:test";
import { join } from "node:path";
import { BASE, d1, expectError, login, request, rows, sessionToken } from "../support/api.mjs";
import { DESKTOP, launch, PHONE, SCREENSHOTS, watchForErrors } from "../support/browser.mjs";

const DAY_MS = 86_400_000;
let first;

test("POST /api/demo seeds every product once; a second call seeds nothing", async (t) => {
  const started = Date.now();
  first = await request("POST", "/api/demo");
  t.diagnostic(`seeded in ${Date.now() - started} ms: ${JSON.stringify(first.json?.seeded)}`);
  assert.equal(first.status, 200, first.text);
  assert.equal(first.json.seeded.auth, 1);
  assert.ok(first.json.seeded.links >= 1_500, first.text);
  assert.equal(typeof first.json.seeded.pay, "number", first.text);
  assert.ok(first.json.seeded.pay >= 2_000, first.text);
  assert.ok(first.json.seeded.chat >= 20, first.text);
  assert.ok(first.json.seeded.lockers >= 14, first.text);
  assert.equal(first.json.seeded.news, 28, "ten stories and their eighteen comments");
  const again = await request("POST", "/api/demo");
  assert.equal(again.status, 200, again.text);
  assert.deepEqual(again.json.seeded, {});
  assert.deepEqual([...again.json.already].sort(), Object.keys(first.json.seeded).sort());
});

test("the demo account's lockers: two parcels waiting with codes, one picked up, one on its way, one sent", async () => {
  // Right after seeding: the suites' server gives parcels a 30 s window.
  assert.ok(first, "seeded by the first test");
  const { jar } = await login("demo", "dozen-demo-2026");
  const mine = (await request("GET", "/api/lockers/packages", { jar })).json;
  const waiting = mine.filter((p) => p.status === "in_locker");
  assert.deepEqual(waiting.map((p) => p.reference).sort(), ["Books from Asha", "Headphones"], JSON.stringify(mine));
  assert.ok(waiting.every((p) => /^\d{6}$/.test(p.code) && p.door > 0));
  assert.ok(mine.some((p) => p.status === "picked_up" && p.reference === "Spices"));
  assert.ok(mine.some((p) => p.status === "created" && p.reference === "Camera lens"));
  const sent = (await request("GET", "/api/lockers/packages?role=sender", { jar })).json;
  assert.ok(sent.some((p) => p.reference === "Board game" && p.recipient === "ben"));
  const near = (await request("GET", "/api/lockers/locations?near=12.97,77.60")).json.map((l) => l.name);
  for (const name of ["MG Road Metro", "Indiranagar 100 ft Road", "Koramangala 5th Block", "Whitefield ITPL"]) {
    assert.ok(near.includes(name), name);
  }
});

test("News: real pages on the front page in rank order, threads with replies, karma that follows the points", async () => {
  assert.ok(first, "seeded by the first test");
  const front = (await request("GET", "/api/news/stories")).json.stories;
  assert.ok(front.length >= 10, JSON.stringify(front));
  const trusting = front.find((s) => s.title === "Reflections on Trusting Trust (1984)");
  assert.ok(trusting && trusting.by === "asha" && trusting.site === "cs.cmu.edu" && trusting.comments === 4, JSON.stringify(trusting));
  assert.ok(front.indexOf(trusting) < front.findIndex((s) => s.title === "The Twelve-Factor App"), "fresher and better voted ranks higher");
  const thread = (await request("GET", `/api/news/items/${trusting.id}`)).json.comments;
  assert.deepEqual(thread.map((c) => c.depth).sort(), [0, 0, 1, 2]);
  const ask = (await request("GET", "/api/news/stories?list=ask")).json.stories;
  assert.ok(ask.some((s) => s.title.startsWith("Ask HN: How do you keep")));
  const demo = (await request("GET", "/api/news/users/demo")).json;
  assert.ok(demo.karma > 100 && demo.stories === 3, JSON.stringify(demo));
});

test("GET /api/demo is refused: seeding is a write", async () => {
  const res = await request("GET", "/api/demo");
  expectError(assert, res, 405, "method_not_allowed");
  assert.equal(res.headers.get("allow"), "POST");
});

test("the demo account signs in with the README's password and owns six tagged links", async () => {
  assert.ok(first, "seeded by the first test");
  const { status, jar } = await login("demo", "dozen-demo-2026");
  assert.equal(status, 200);
  const list = await request("GET", "/api/links?limit=50", { jar });
  assert.equal(list.status, 200, list.text);
  // Pay's payment links and subscriptions have short links of their own, tagged "pay".
  const campaign = list.json.links.filter((l) => !l.tags.includes("pay"));
  const codes = campaign.map((l) => l.code).sort();
  assert.deepEqual(codes, ["docs", "hiring", "launch-post", "newsletter", "spring-sale", "webinar-dec"]);
  assert.ok(campaign.every((l) => l.clicks > 0), "every link has clicks");
  assert.ok(campaign.some((l) => l.tags.includes("campaign")));
  const total = campaign.reduce((n, l) => n + l.clicks, 0);
  assert.equal(total, 1_500);
  const pay = list.json.links.filter((l) => l.tags.includes("pay"));
  assert.ok(pay.length >= 10 && pay.every((l) => /\/pay\/(link|subscription)\//.test(l.url)), list.text);
});

test("a demo link's month of clicks has shape: days, referrers, devices, countries, bots", async () => {
  const { jar } = await login("demo", "dozen-demo-2026");
  const to = new Date().toISOString();
  const from = new Date(Date.now() - 30 * DAY_MS).toISOString();
  const res = await request("GET", `/api/links/launch-post/stats?from=${from}&to=${to}`, { jar });
  assert.equal(res.status, 200, res.text);
  const s = res.json;
  assert.ok(s.clicks > 200, `${s.clicks} clicks`);
  assert.ok(s.bot_clicks > 0, "crawlers are counted apart");
  assert.ok(s.unique_visitors > 50 && s.unique_visitors <= s.clicks);
  assert.ok(s.by_day.filter((d) => d.clicks > 0).length >= 15, "clicks on most days since it was made");
  const keys = (list) => list.map((b) => b.key);
  assert.ok(s.referrers.length >= 6, JSON.stringify(s.referrers));
  assert.ok(keys(s.referrers).includes("news.ycombinator.com"));
  assert.ok(keys(s.devices).includes("mobile") && keys(s.devices).includes("desktop"));
  assert.ok(keys(s.countries).includes("IN") && keys(s.countries).includes("US"));
  assert.ok(s.browsers.length >= 4 && s.operating_systems.length >= 4);
});

test("a demo short link redirects like any other", async () => {
  const res = await request("GET", "/spring-sale");
  assert.equal(res.status, 302);
  assert.match(res.headers.get("location"), /^https:\/\/shop\.example\.com\/collections\/spring\?/);
});

// --- Pay: the demo merchant's month, read through the dashboard's own API ---------------------

const DEMO_USER_ID = "01M8MZ2A000000000000000DEM";
const SECONDS_30_DAYS = 30 * 86_400;

async function demoJar() {
  assert.ok(first, "seeded by the first test");
  const { status, jar } = await login("demo", "dozen-demo-2026");
  assert.equal(status, 200);
  return jar;
}

async function get(path, jar) {
  const res = await request("GET", path, { jar });
  assert.equal(res.status, 200, `${path}: ${res.text}`);
  return res.json;
}

/** Every payment of the dashboard's list, page by page (newest first). */
async function allPayments(jar) {
  const all = [];
  for (let skip = 0; ; skip += 100) {
    const page = await get(`/api/pay/payments?count=100&skip=${skip}`, jar);
    all.push(...page.items);
    if (page.items.length < 100) return all;
  }
}

test("Pay: a month of payments in every state, by every method", async () => {
  const jar = await demoJar();
  const payments = await allPayments(jar);
  assert.ok(payments.length >= 100, `${payments.length} payments`);
  const now = Date.now() / 1000;
  assert.ok(payments.every((p) => p.created_at <= now && p.created_at > now - SECONDS_30_DAYS - 3600));
  const days = new Set(payments.map((p) => new Date(p.created_at * 1000).toISOString().slice(0, 10)));
  assert.ok(days.size >= 20, `${days.size} days`);
  const statuses = new Set(payments.map((p) => p.status));
  for (const status of ["captured", "refunded", "failed", "authorized"]) assert.ok(statuses.has(status), status);
  assert.deepEqual(new Set(payments.map((p) => p.method)), new Set(["card", "upi", "netbanking", "wallet"]));
  const currencies = new Set(payments.map((p) => p.currency));
  assert.ok(currencies.has("INR") && currencies.size >= 3, [...currencies].join());
  // Refunds in full and in part; authorizations nobody captured, released.
  assert.ok(payments.some((p) => p.status === "refunded" && p.captured && p.refund_status === "full"));
  assert.ok(payments.some((p) => p.status === "captured" && p.refund_status === "partial"));
  assert.ok(payments.some((p) => p.status === "refunded" && !p.captured));
  const reasons = new Set(payments.filter((p) => p.status === "failed").map((p) => p.error_reason));
  assert.ok(reasons.size >= 3, [...reasons].join());
  assert.ok(payments.every((p) => /@example\.(com|net|org)$/.test(p.email)), "customers at example domains");
  assert.ok(payments.every((p) => p.status !== "captured" || (p.fee > 0 && p.fee < p.amount)));
  // The same rows the other filters of the dashboard read.
  const failed = await get("/api/pay/payments?status=failed&count=100", jar);
  assert.equal(failed.items.length, payments.filter((p) => p.status === "failed").length);
});

test("Pay: the velocity rules held payments, reviewed three ways", async () => {
  const jar = await demoJar();
  const expected = { pending: "authorized", approved: "captured", rejected: "refunded" };
  for (const [status, paymentStatus] of Object.entries(expected)) {
    const { items } = await get(`/api/pay/reviews?status=${status}`, jar);
    assert.ok(items.length >= 1, `${status} reviews`);
    assert.equal(items[0].status, status);
    assert.equal(items[0].flags[0].rule, "card_fingerprint");
    assert.equal(items[0].payment.status, paymentStatus);
  }
});

test("Pay: payment links of every status, whose short links lead to their pages", async () => {
  const jar = await demoJar();
  const { payment_links: links } = await get("/api/pay/payment-links", jar);
  const statuses = new Set(links.map((l) => l.status));
  for (const status of ["created", "partially_paid", "paid", "cancelled", "expired"]) assert.ok(statuses.has(status), status);
  for (const link of links.filter((l) => l.status === "paid")) {
    assert.equal(link.payments.reduce((n, p) => n + p.amount, 0), link.amount, link.id);
    assert.equal(link.amount_paid, link.amount);
  }
  const open = links.find((l) => l.status === "created");
  assert.ok(open.expire_by > Date.now() / 1000, "open links have not expired");
  const short = await request("GET", new URL(open.short_url).pathname);
  assert.equal(short.status, 302);
  assert.match(short.headers.get("location"), new RegExp(`/pay/link/${open.id}$`));
});

test("Pay: subscriptions charged every cycle; cancelled, halted, pending, in trial", async () => {
  const jar = await demoJar();
  const { items } = await get("/api/pay/subscriptions?count=100", jar);
  const statuses = new Set(items.map((s) => s.status));
  for (const status of ["active", "cancelled", "halted", "pending", "authenticated", "created"]) {
    assert.ok(statuses.has(status), status);
  }
  assert.ok(items.some((s) => s.status === "active" && s.paid_count >= 4), "a weekly box charged four times");
  const charges = (await allPayments(jar)).filter((p) => /— cycle \d+$/.test(p.description ?? ""));
  assert.ok(charges.some((p) => p.status === "captured") && charges.some((p) => p.status === "failed"));
});

test("Pay: webhook deliveries, delivered, retried and given up, none left for the sweep", async () => {
  const jar = await demoJar();
  const { items: hooks } = await get("/api/pay/webhooks", jar);
  assert.equal(hooks.length, 1);
  assert.equal(hooks[0].url, "https://hooks.example.com/dozen");
  const { items } = await get(`/api/pay/webhooks/${hooks[0].id}/deliveries`, jar);
  assert.equal(items.length, 50, "the newest 50");
  assert.ok(items.some((d) => d.status === "delivered" && d.attempts.length === 1));
  assert.ok(items.some((d) => d.status === "delivered" && d.attempts.length > 1), "failed, then retried");
  const failed = items.find((d) => d.status === "failed");
  assert.ok(failed, "one given up");
  assert.ok(failed.attempts.length >= 10 && failed.attempts.every((a) => a.status_code === 400));
  assert.ok(items.every((d) => d.next_attempt_at === null));
  const pending = rows(
    d1(`SELECT COUNT(*) AS n FROM pay_deliveries WHERE merchant_id = '${DEMO_USER_ID}' AND status = 'pending'`),
  );
  assert.equal(pending[0].n, 0, "the retry sweep has nothing of the demo's to send");
});

test("Pay: settlements pay captured less fees and refunds, as the reconciliation report says", async () => {
  const jar = await demoJar();
  const { items: settlements } = await get("/api/pay/settlements?count=100", jar);
  assert.ok(settlements.length >= 20, `${settlements.length} settlements`);
  // Every capture and refund of the month, in the months it spans.
  const recon = [];
  const months = new Set([0, 31].map((d) => new Date(Date.now() - d * 86_400_000).toISOString().slice(0, 7)));
  for (const month of months) {
    const [year, m] = month.split("-");
    recon.push(...(await get(`/api/pay/reconciliation?year=${year}&month=${m}&format=json`, jar)).items);
  }
  const net = (rows) => rows.reduce((n, r) => n + r.credit - r.fee - r.debit, 0);
  for (const s of settlements) {
    const paid = recon.filter((r) => r.settlement_id === s.id);
    assert.ok(paid.length > 0, s.id);
    assert.equal(net(paid), s.amount, `${s.id} pays what its rows add up to`);
    assert.ok(paid.every((r) => r.currency === s.currency && r.settled));
  }
  const summary = await get("/api/pay/summary?days=30", jar);
  assert.equal(summary.settled, settlements.reduce((n, s) => n + s.amount, 0));
  assert.equal(summary.balance + summary.settled, net(recon), "balance and payouts add up to the month");
  assert.ok(summary.by_method.length === 4 && summary.daily.length >= 20);
  const books = rows(d1(`SELECT SUM(amount) AS total FROM pay_ledger WHERE merchant_id = '${DEMO_USER_ID}'`));
  assert.equal(books[0].total, 0, "the demo's books balance");
});

test("Pay: the demo's dashboard opens lived-in (screenshots in .dozen/screenshots)", async () => {
  const jar = await demoJar();
  const browser = await launch();
  try {
    for (const [name, device] of [["desktop", DESKTOP], ["phone", PHONE]]) {
      const ctx = await browser.newContext(device);
      await ctx.addCookies([{ name: "dozen_session", value: sessionToken(jar), url: BASE }]);
      const page = await ctx.newPage();
      const errors = watchForErrors(page);
      await page.goto(BASE + "/pay");
      await page.getByTestId("period-figures").waitFor();
      assert.equal(await page.getByTestId("get-started").count(), 0, "not the empty state");
      assert.notEqual(await page.getByTestId("balance").textContent(), "₹0.00");
      assert.ok(Number(await page.getByTestId("captured-count").textContent()) >= 100);
      assert.equal(await page.locator('[data-testid="by-method"] tbody tr').count(), 4);
      await page.screenshot({ path: join(SCREENSHOTS, `demo-pay-${name}.png`), fullPage: true });
      await page.goto(BASE + "/pay?tab=payments");
      await page.getByTestId("payments").waitFor();
      assert.ok((await page.locator('[data-testid="payments"] tbody tr').count()) >= 10);
      await page.screenshot({ path: join(SCREENSHOTS, `demo-pay-payments-${name}.png`), fullPage: name === "desktop" });
      assert.deepEqual(errors, []);
      await ctx.close();
    }
  } finally {
    await browser.close();
  }
});

test("Chat: three friends, a chat and a group with replies and reactions, the newest unread", async () => {
  const { jar } = await login("demo", "dozen-demo-2026");
  const contacts = await request("GET", "/api/chat/contacts", { jar });
  assert.deepEqual(contacts.json.items.map((c) => [c.username, c.status]), [["asha", "contact"], ["ben", "contact"], ["chen", "contact"]]);
  const list = await request("GET", "/api/chat/conversations", { jar });
  assert.equal(list.status, 200, list.text);
  const [group, direct] = [list.json.items.find((c) => c.kind === "group"), list.json.items.find((c) => c.kind === "direct")];
  assert.deepEqual([group.title, group.members.length, group.last_seq, group.unread], ["Weekend trek", 4, 11, 2]);
  assert.equal(group.last_message.body, "Yes, and an extra pair of socks 🧦");
  assert.equal(list.json.items[0].id, group.id, "the group spoke last");
  assert.deepEqual([direct.title, direct.last_seq, direct.unread], ["Asha Rao", 7, 0]);
  const page = await request("GET", `/api/chat/conversations/${group.id}/messages`, { jar });
  const messages = page.json.items;
  assert.deepEqual(messages.map((m) => m.seq), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  assert.deepEqual(messages[3].reply_to, 3);
  assert.deepEqual(messages[0].reactions, [{ emoji: "👍", users: ["ben", "chen"] }]);
  assert.ok(Date.parse(messages[0].sent_at) < Date.parse(messages[10].sent_at));
  const receipts = await request("GET", `/api/chat/conversations/${direct.id}/receipts`, { jar });
  assert.ok(receipts.json.items.every((r) => r.read_seq === 7), receipts.text);
  const found = await request("GET", "/api/chat/search?q=tarpaulin", { jar });
  assert.deepEqual(found.json.items.map((h) => [h.conversation, h.seq]), [[group.id, 7]]);

  // The page opens lived-in: the group first with its two unread, then the group itself.
  const browser = await launch();
  try {
    const ctx = await browser.newContext(DESKTOP);
    await ctx.addCookies([{ name: "dozen_session", value: sessionToken(jar), url: BASE }]);
    const page = await ctx.newPage();
    const errors = watchForErrors(page);
    await page.goto(BASE + "/chat");
    const item = page.locator(`.conversation[data-id="${group.id}"]`);
    await item.getByTestId("unread").getByText("2").waitFor();
    await item.click();
    await page.locator(".msg").getByText("Yes, and an extra pair of socks 🧦").waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, "demo-chat-desktop.png") });
    assert.deepEqual(errors, []);
    await ctx.close();
  } finally {
    await browser.close();
  }
});

test("a page on another site cannot make the developer's browser seed or run the jobs", async () => {
  for (const path of ["/api/demo", "/api/scheduled"]) {
    const res = await request("POST", path, { headers: { "Sec-Fetch-Site": "cross-site", Origin: "https://evil.example" } });
    expectError(assert, res, 403, "cross_site_request");
  }
});
