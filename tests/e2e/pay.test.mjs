// Pay beyond what Razorpay's SDK covers (tests/pay/test_sdk.py does that): the merchant's key
// API under /api/pay, Basic auth with revoked keys, /v1 routing and errors, and the ledger's
// invariants read straight from D1 after real payments.
import assert from "node:assert/strict";
import { test } from "node:test";
import { d1, expectError, request, rows, signUp } from "../support/api.mjs";

function basic(keyId, secret) {
  return { authorization: `Basic ${Buffer.from(`${keyId}:${secret}`).toString("base64")}` };
}

async function merchant() {
  const { jar } = await signUp();
  const res = await request("POST", "/api/pay/keys", { body: {}, jar });
  assert.equal(res.status, 201, res.text);
  return { jar, key: res.json, auth: basic(res.json.key_id, res.json.key_secret) };
}

/** Razorpay's error shape and status. */
function expectRazorpayError(res, status, field) {
  assert.equal(res.status, status, res.text);
  assert.equal(res.json?.error?.code, status >= 500 ? "SERVER_ERROR" : "BAD_REQUEST_ERROR", res.text);
  for (const key of ["description", "source", "step", "reason", "metadata"]) assert.ok(key in res.json.error, key);
  if (field !== undefined) assert.equal(res.json.error.field, field, res.text);
  return res.json.error;
}

async function paidOrder(auth, amount, card = "4111111111111111") {
  const order = await request("POST", "/v1/orders", { body: { amount, currency: "INR" }, headers: auth });
  assert.equal(order.status, 200, order.text);
  const payment = await request("POST", "/v1/payments/create/json", {
    headers: auth,
    body: {
      amount, currency: "INR", order_id: order.json.id, email: "a@example.com", contact: "9000090000",
      method: "card", card: { number: card, name: "A", expiry_month: 12, expiry_year: 2030, cvv: "123" },
    },
  });
  assert.equal(payment.status, 200, payment.text);
  return { order: order.json, paymentId: payment.json.razorpay_payment_id };
}

test("keys: created for a signed-in user, secret shown once, listed without it, revocable", async () => {
  const anonymous = await request("POST", "/api/pay/keys", { body: {} });
  expectError(assert, anonymous, 401, "unauthenticated");
  const { jar, key, auth } = await merchant();
  assert.match(key.key_id, /^rzp_test_[0-9A-Za-z]{14}$/);
  assert.match(key.key_secret, /^[0-9A-Za-z]{24}$/);
  assert.match(key.created_at, /^\d{4}-\d\d-\d\dT/);
  const list = await request("GET", "/api/pay/keys", { jar });
  assert.equal(list.status, 200);
  assert.deepEqual(list.json.items.map((k) => k.key_id), [key.key_id]);
  assert.ok(!list.text.includes(key.key_secret), "the secret is never shown again");
  assert.equal((await request("GET", "/v1/orders", { headers: auth })).status, 200);

  // Another user can neither see nor revoke it.
  const other = await signUp();
  assert.deepEqual((await request("GET", "/api/pay/keys", { jar: other.jar })).json.items, []);
  expectError(assert, await request("DELETE", `/api/pay/keys/${key.key_id}`, { jar: other.jar }), 404, "not_found");

  assert.equal((await request("DELETE", `/api/pay/keys/${key.key_id}`, { jar })).status, 204);
  expectRazorpayError(await request("GET", "/v1/orders", { headers: auth }), 401);
  const after = await request("GET", "/api/pay/keys", { jar });
  assert.ok(after.json.items[0].revoked_at, "revocation is listed");
  expectError(assert, await request("DELETE", `/api/pay/keys/${key.key_id}`, { jar }), 404, "not_found");
});

test("keys: at most 10 active at once", async () => {
  const { jar } = await merchant();
  for (let i = 1; i < 10; i++) assert.equal((await request("POST", "/api/pay/keys", { body: {}, jar })).status, 201);
  expectError(assert, await request("POST", "/api/pay/keys", { body: {}, jar }), 409, "conflict");
});

test("/v1 answers unknown paths, wrong methods and bad bodies in Razorpay's shape", async () => {
  const { auth } = await merchant();
  expectRazorpayError(await request("GET", "/v1/nope", { headers: auth }), 404);
  const wrong = await request("DELETE", "/v1/orders", { headers: auth });
  expectRazorpayError(wrong, 405);
  assert.match(wrong.headers.get("allow") ?? "", /POST/);
  expectRazorpayError(await request("POST", "/v1/orders", { headers: auth, body: "{not json" }), 400);
  expectRazorpayError(
    await request("POST", "/v1/orders", { headers: { ...auth, "content-type": "text/plain" }, body: "amount=5" }),
    415,
  );
  expectRazorpayError(await request("GET", "/v1/payments?count=101", { headers: auth }), 400, "count");
  // The key id alone opens only the public routes, and only for a real key.
  expectRazorpayError(await request("GET", "/v1/methods", { headers: basic("rzp_test_00000000000000", "") }), 401);
  const keyOnly = basic(Buffer.from(auth.authorization.slice(6), "base64").toString().split(":")[0], "");
  expectRazorpayError(await request("GET", "/v1/orders", { headers: keyOnly }), 401);
});

test("/v1/methods lists banks and wallets with the key id alone", async () => {
  const { key } = await merchant();
  const res = await request("GET", "/v1/methods", { headers: basic(key.key_id, "") });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.card, true);
  assert.equal(res.json.netbanking.HDFC, "HDFC Bank");
  assert.equal(res.json.wallet.phonepe, true);
});

test("ledger: every capture and refund is double-entry; each merchant's books sum to zero", async () => {
  const { auth } = await merchant();
  const first = await paidOrder(auth, 50000);
  const second = await paidOrder(auth, 12345);
  for (const amount of [20000, 5000]) {
    const res = await request("POST", `/v1/payments/${first.paymentId}/refund`, { headers: auth, body: { amount } });
    assert.equal(res.status, 200, res.text);
  }
  const result = d1(
    `SELECT p.merchant_id AS m, l.movement, l.source_id, SUM(l.amount) AS total, COUNT(*) AS n FROM pay_ledger l
     JOIN pay_payments p ON p.id = l.source_id OR p.id = (SELECT payment_id FROM pay_refunds r WHERE r.id = l.source_id)
     WHERE p.id IN ('${first.paymentId}', '${second.paymentId}') GROUP BY l.movement, l.source_id ORDER BY l.movement`,
  );
  const movements = rows(result);
  assert.equal(movements.filter((m) => m.movement === "capture").length, 2, JSON.stringify(movements));
  assert.equal(movements.filter((m) => m.movement === "refund").length, 2);
  for (const m of movements) assert.equal(m.total, 0, `${m.movement} ${m.source_id} balances`);
  const merchantId = movements[0].m;
  const balance = rows(
    d1(`SELECT account, SUM(amount) AS total FROM pay_ledger WHERE merchant_id = '${merchantId}' GROUP BY account`),
  );
  const by = Object.fromEntries(balance.map((b) => [b.account, b.total]));
  // 50000 + 12345 captured; fees 1180 + 291; refunds 25000.
  assert.equal(by.customer_funds, 50000 + 12345 - 25000);
  assert.equal(by.merchant_balance, -(50000 - 1180 + 12345 - 291 - 25000));
  assert.equal(by.fee_revenue, -(1000 + 247));
  assert.equal(by.tax_payable, -(180 + 44));
  assert.equal(Object.values(by).reduce((a, b) => a + b, 0), 0);
  const all = rows(d1("SELECT SUM(amount) AS total FROM pay_ledger"));
  assert.equal(all[0].total, 0, "the whole ledger sums to zero");
});

/** Runs Pay's Cron Trigger work as if it fired at `timeMs` (the dev-only trigger route). */
async function cronAt(timeMs) {
  const res = await request("POST", `/api/pay/sweep?time=${timeMs}`);
  assert.equal(res.status, 200, `sweep: ${res.text}`);
}

test("an authorized payment nobody captures is released (refunded in full) after its window", async () => {
  const { auth } = await merchant();
  const order = await request("POST", "/v1/orders", {
    headers: auth,
    body: { amount: 70000, payment: { capture: "manual", capture_options: { manual_expiry_period: 12 } } },
  });
  assert.equal(order.status, 200, order.text);
  const started = Date.now();
  const paid = await request("POST", "/v1/payments/create/json", {
    headers: auth,
    body: {
      amount: 70000, currency: "INR", order_id: order.json.id, email: "a@example.com", contact: "9000090000",
      method: "upi", vpa: "success@razorpay",
    },
  });
  assert.equal(paid.status, 200, paid.text);
  const id = paid.json.razorpay_payment_id;
  const fetch = async () => (await request("GET", `/v1/payments/${id}`, { headers: auth })).json;

  await cronAt(started + 11 * 60_000);
  assert.equal((await fetch()).status, "authorized", "still inside the 12-minute window");

  await cronAt(started + 13 * 60_000);
  const released = await fetch();
  assert.equal(released.status, "refunded");
  assert.equal(released.captured, false);
  assert.equal(released.amount_refunded, 70000);
  assert.equal(released.refund_status, "full");
  const refunds = await request("GET", `/v1/payments/${id}/refunds`, { headers: auth });
  assert.equal(refunds.json.count, 1);
  assert.equal(refunds.json.items[0].status, "processed");
  assert.equal(refunds.json.items[0].amount, 70000);
  expectRazorpayError(
    await request("POST", `/v1/payments/${id}/capture`, { headers: auth, body: { amount: 70000, currency: "INR" } }),
    400,
  );
  // Running it again changes nothing, and nothing was posted to the ledger for money never captured.
  await cronAt(started + 14 * 60_000);
  assert.equal((await request("GET", `/v1/payments/${id}/refunds`, { headers: auth })).json.count, 1);
  assert.equal(rows(d1(`SELECT COUNT(*) AS n FROM pay_ledger WHERE source_id = '${id}'`))[0].n, 0);
});

test("a payment abandoned at the OTP step fails after 15 minutes", async () => {
  const { auth } = await merchant();
  const order = await request("POST", "/v1/orders", { headers: auth, body: { amount: 1000 } });
  const started = Date.now();
  const res = await request("POST", "/v1/payments/create/json", {
    headers: auth,
    body: {
      amount: 1000, currency: "INR", order_id: order.json.id, email: "a@example.com", contact: "9000090000",
      method: "card", card: { number: "4000000000003220", expiry_month: 12, expiry_year: 2030, cvv: "123" },
    },
  });
  assert.equal(res.json.next[0].action, "otp_submit");
  const id = res.json.razorpay_payment_id;
  await cronAt(started + 16 * 60_000);
  const payment = (await request("GET", `/v1/payments/${id}`, { headers: auth })).json;
  assert.equal(payment.status, "failed");
  assert.equal(payment.error_reason, "payment_timed_out");
  const late = await request("POST", `/v1/payments/${id}/otp/submit`, { headers: auth, body: { otp: "123456" } });
  expectRazorpayError(late, 400);
});

// --- the hosted checkout's API (public, by order id) ------------------------------------------

async function checkoutOrder(auth, body = { amount: 50000, receipt: "r-checkout" }) {
  const order = await request("POST", "/v1/orders", { headers: auth, body });
  assert.equal(order.status, 200, order.text);
  return order.json;
}

const CONTACT = { email: "buyer@example.com", contact: "+91 90000 90000" };
const CARD = (number) => ({ method: "card", ...CONTACT, card: { number, name: "Buyer", expiry_month: "12", expiry_year: "30", cvv: "123" } });

test("checkout: shows the order to anyone, pays it by card, and refuses a second payment", async () => {
  const { auth } = await merchant();
  const order = await checkoutOrder(auth);
  expectError(assert, await request("GET", "/api/pay/checkout/order_00000000000000"), 404, "not_found");
  const view = await request("GET", `/api/pay/checkout/${order.id}`);
  assert.equal(view.status, 200, view.text);
  assert.equal(view.json.amount, 50000);
  assert.equal(view.json.status, "created");
  assert.equal(view.json.receipt, "r-checkout");
  assert.ok(view.json.merchant_name.length > 0);
  assert.ok(view.json.banks.some((b) => b.code === "HDFC"));

  const paid = await request("POST", `/api/pay/checkout/${order.id}/pay`, { body: CARD("4111 1111 1111 1111") });
  assert.equal(paid.status, 200, paid.text);
  assert.equal(paid.json.status, "paid");
  assert.equal(paid.json.razorpay_order_id, order.id);
  assert.match(paid.json.razorpay_signature, /^[0-9a-f]{64}$/);
  assert.equal((await request("GET", `/v1/orders/${order.id}`, { headers: auth })).json.status, "paid");
  const again = await request("POST", `/api/pay/checkout/${order.id}/pay`, { body: CARD("4111111111111111") });
  expectError(assert, again, 409, "conflict");
  assert.equal((await request("GET", `/api/pay/checkout/${order.id}`)).json.status, "paid");
});

test("checkout: a decline is an answer the customer can act on; bad input names the field", async () => {
  const { auth } = await merchant();
  const order = await checkoutOrder(auth);
  const declined = await request("POST", `/api/pay/checkout/${order.id}/pay`, { body: CARD("4000000000000002") });
  assert.equal(declined.status, 200, declined.text);
  assert.equal(declined.json.status, "failed");
  assert.equal(declined.json.error_reason, "card_declined");
  assert.match(declined.json.error_description, /declined/);
  for (const [body, field] of [
    [CARD("4111111111111112"), "card[number]"],
    [{ ...CARD("4111111111111111"), card: { ...CARD("4111111111111111").card, cvv: "12" } }, "card[cvv]"],
    [{ method: "upi", ...CONTACT, vpa: "nope" }, "vpa"],
    [{ method: "upi", ...CONTACT, email: "not an email", vpa: "success@razorpay" }, "email"],
    [{ method: "cash", ...CONTACT }, "method"],
  ]) {
    expectError(assert, await request("POST", `/api/pay/checkout/${order.id}/pay`, { body }), 422, "validation_failed", field);
  }
  const upi = await request("POST", `/api/pay/checkout/${order.id}/pay`, { body: { method: "upi", ...CONTACT, vpa: "success@razorpay" } });
  assert.equal(upi.json.status, "paid", upi.text);
  const payments = await request("GET", `/v1/orders/${order.id}/payments`, { headers: auth });
  assert.deepEqual(payments.json.items.map((p) => p.status).sort(), ["captured", "failed"]);
});

test("checkout: the OTP step, and a double click with one Idempotency-Key pays once", async () => {
  const { auth } = await merchant();
  const order = await checkoutOrder(auth, { amount: 20000, payment_capture: 0 });
  const key = { "idempotency-key": `checkout-${Date.now()}` };
  const [first, second] = await Promise.all([
    request("POST", `/api/pay/checkout/${order.id}/pay`, { body: CARD("4000000000003220"), headers: key }),
    request("POST", `/api/pay/checkout/${order.id}/pay`, { body: CARD("4000000000003220"), headers: key }),
  ]);
  const answered = [first, second].filter((r) => r.status === 200);
  assert.ok(answered.length >= 1, `${first.status} ${second.status}`);
  for (const r of [first, second]) assert.ok([200, 409].includes(r.status), r.text);
  const otpStep = answered[0].json;
  assert.equal(otpStep.status, "otp_required");
  const wrong = await request("POST", `/api/pay/checkout/payments/${otpStep.razorpay_payment_id}/otp`, { body: { otp: "000000" } });
  expectError(assert, wrong, 422, "validation_failed", "otp");
  const right = await request("POST", `/api/pay/checkout/payments/${otpStep.razorpay_payment_id}/otp`, { body: { otp: "123456" } });
  assert.equal(right.status, 200, right.text);
  assert.equal(right.json.status, "authorized", "manual capture: the merchant captures later");
  assert.equal(right.json.razorpay_order_id, order.id);
  const payments = await request("GET", `/v1/orders/${order.id}/payments`, { headers: auth });
  assert.equal(payments.json.count, 1, "one payment for two clicks");
});

test("checkout: attempts per client address are limited (card testing)", async () => {
  const { auth } = await merchant();
  const order = await checkoutOrder(auth);
  const ip = { "cf-connecting-ip": `10.99.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` };
  let limited;
  for (let i = 0; i < 31 && !limited; i++) {
    const res = await request("POST", `/api/pay/checkout/${order.id}/pay`, { body: CARD("4000000000000002"), headers: ip });
    if (res.status === 429) limited = res;
  }
  assert.ok(limited, "the 31st attempt in ten minutes is refused");
  assert.ok(Number(limited.headers.get("retry-after")) > 0);
});

// --- webhooks: registration rules (deliveries are in tests/pay/test_sdk.py, via the SDK) ------

test("webhooks: registered by the merchant, validated, private, removable", async () => {
  const { jar } = await merchant();
  const good = { url: "https://example.com/hooks/razorpay", events: ["payment.captured", "refund.processed"], secret: "s3cret" };
  expectError(assert, await request("POST", "/api/pay/webhooks", { body: good }), 401, "unauthenticated");
  for (const [change, field] of [
    [{ url: "http://example.com/hook" }, "url"],
    [{ url: "not a url" }, "url"],
    [{ events: [] }, "events"],
    [{ events: ["payment.everything"] }, "events"],
    [{ secret: "" }, "secret"],
  ]) {
    expectError(assert, await request("POST", "/api/pay/webhooks", { body: { ...good, ...change }, jar }), 422, "validation_failed", field);
  }
  const created = await request("POST", "/api/pay/webhooks", { body: good, jar });
  assert.equal(created.status, 201, created.text);
  assert.match(created.json.id, /^wh_[0-9A-Za-z]{14}$/);
  assert.deepEqual(created.json.events, ["payment.captured", "refund.processed"]);
  assert.ok(!created.text.includes("s3cret"), "the secret is not echoed");
  const listed = await request("GET", "/api/pay/webhooks", { jar });
  assert.deepEqual(listed.json.items.map((w) => w.id), [created.json.id]);

  const other = await signUp();
  assert.deepEqual((await request("GET", "/api/pay/webhooks", { jar: other.jar })).json.items, []);
  expectError(assert, await request("DELETE", `/api/pay/webhooks/${created.json.id}`, { jar: other.jar }), 404, "not_found");
  expectError(assert, await request("GET", `/api/pay/webhooks/${created.json.id}/deliveries`, { jar: other.jar }), 404, "not_found");
  assert.equal((await request("DELETE", `/api/pay/webhooks/${created.json.id}`, { jar })).status, 204);
  assert.deepEqual((await request("GET", "/api/pay/webhooks", { jar })).json.items, []);
});

test("webhooks: a receiver that never answers 2xx is retried with backoff and given up after 24 hours", async () => {
  const http = await import("node:http");
  const hits = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      hits.push({ event: JSON.parse(body).event, id: req.headers["x-razorpay-event-id"] });
      res.writeHead(503).end();
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  try {
    const { jar, auth } = await merchant();
    const url = `http://127.0.0.1:${server.address().port}/hook`;
    const hook = await request("POST", "/api/pay/webhooks", { body: { url, events: ["payment.failed"], secret: "x" }, jar });
    assert.equal(hook.status, 201, hook.text);
    const order = await request("POST", "/v1/orders", { headers: auth, body: { amount: 1000 } });
    const started = Date.now();
    const declined = await request("POST", "/v1/payments/create/json", {
      headers: auth,
      body: { amount: 1000, currency: "INR", order_id: order.json.id, email: "a@example.com", contact: "9000090000", method: "upi", vpa: "failure@razorpay" },
    });
    assert.equal(declined.status, 400);
    for (let i = 0; i < 50 && hits.length < 1; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(hits.length, 1, "the first attempt right away");
    // Run the sweep through the day: retries come 1, 2, 4, … minutes apart (at most 2 hours),
    // and stop at 24 hours.
    for (let minutes = 1; minutes <= 26 * 60; minutes += 30) await cronAt(started + minutes * 60_000);
    const deliveries = await request("GET", `/api/pay/webhooks/${hook.json.id}/deliveries`, { jar });
    const [delivery] = deliveries.json.items;
    assert.equal(delivery.event, "payment.failed");
    assert.equal(delivery.status, "failed", "given up");
    assert.equal(delivery.next_attempt_at, null);
    assert.ok(delivery.attempts.length >= 10 && delivery.attempts.length <= 30, `${delivery.attempts.length} attempts`);
    assert.ok(delivery.attempts.every((a) => a.status_code === 503));
    assert.equal(hits.length, delivery.attempts.length, "every attempt reached the receiver once");
    assert.ok(hits.every((h) => h.id === delivery.event_id));
  } finally {
    server.close();
  }
});

test("payment links expire at expire_by (the Cron Trigger) and then take nothing", async () => {
  const { auth } = await merchant();
  const expireBy = Math.floor(Date.now() / 1000) + 16 * 60;
  const link = await request("POST", "/v1/payment_links", { headers: auth, body: { amount: 2500, expire_by: expireBy } });
  assert.equal(link.status, 200, link.text);
  assert.equal(link.json.expire_by, expireBy);
  const view = await request("GET", `/api/pay/links/${link.json.id}`);
  assert.equal(view.status, 200, view.text);
  assert.equal(view.json.amount_due, 2500);
  await cronAt(expireBy * 1000 - 60_000);
  assert.equal((await request("GET", `/v1/payment_links/${link.json.id}`, { headers: auth })).json.status, "created");
  await cronAt(expireBy * 1000 + 1_000);
  const expired = await request("GET", `/v1/payment_links/${link.json.id}`, { headers: auth });
  assert.equal(expired.json.status, "expired");
  assert.ok(expired.json.expired_at > 0);
  expectError(assert, await request("POST", `/api/pay/links/${link.json.id}/orders`, { body: {} }), 409, "conflict");
  expectError(assert, await request("GET", "/api/pay/links/plink_00000000000000"), 404, "not_found");
  expectRazorpayError(await request("POST", "/v1/payment_links", { headers: auth, body: { amount: 2500, expire_by: 5 } }), 400, "expire_by");
});

// --- the dashboard's API (signed in with a session) --------------------------------------------

test("dashboard: payments filtered by status and method, a refund button, and the summary's figures", async () => {
  const { jar, auth } = await merchant();
  const paid = await paidOrder(auth, 40000);
  const order = await request("POST", "/v1/orders", { headers: auth, body: { amount: 1500 } });
  const declined = await request("POST", "/v1/payments/create/json", {
    headers: auth,
    body: { amount: 1500, currency: "INR", order_id: order.json.id, email: "a@example.com", contact: "9000090000", method: "upi", vpa: "failure@razorpay" },
  });
  assert.equal(declined.status, 400);
  expectError(assert, await request("GET", "/api/pay/payments"), 401, "unauthenticated");
  const all = await request("GET", "/api/pay/payments", { jar });
  assert.equal(all.status, 200, all.text);
  assert.equal(all.json.count, 2);
  const failed = await request("GET", "/api/pay/payments?status=failed", { jar });
  assert.deepEqual(failed.json.items.map((p) => p.method), ["upi"]);
  const cards = await request("GET", "/api/pay/payments?method=card", { jar });
  assert.deepEqual(cards.json.items.map((p) => p.id), [paid.paymentId]);
  expectError(assert, await request("GET", "/api/pay/payments?status=nope", { jar }), 422, "validation_failed", "status");

  const refunded = await request("POST", `/api/pay/payments/${paid.paymentId}/refund`, { jar, body: { amount: 10000 } });
  assert.equal(refunded.status, 200, refunded.text);
  assert.equal(refunded.json.amount, 10000);
  expectError(assert, await request("POST", `/api/pay/payments/${paid.paymentId}/refund`, { jar, body: { amount: 30001 } }), 422, "validation_failed", "amount");
  const other = await signUp();
  expectError(assert, await request("POST", `/api/pay/payments/${paid.paymentId}/refund`, { jar: other.jar, body: {} }), 404, "not_found");
  assert.equal((await request("GET", "/api/pay/payments", { jar: other.jar })).json.count, 0);

  const summary = await request("GET", "/api/pay/summary?days=7", { jar });
  assert.equal(summary.status, 200, summary.text);
  const byMethod = Object.fromEntries(summary.json.by_method.map((m) => [m.key, m]));
  assert.deepEqual([byMethod.card.attempts, byMethod.card.succeeded, byMethod.card.volume], [1, 1, 40000]);
  assert.deepEqual([byMethod.upi.attempts, byMethod.upi.succeeded, byMethod.upi.volume], [1, 0, 0]);
  assert.equal(summary.json.fees, 944);
  assert.equal(summary.json.balance, 40000 - 944 - 10000);
  assert.equal(summary.json.daily.reduce((a, d) => a + d.volume, 0), 40000);
  expectError(assert, await request("GET", "/api/pay/summary?days=0", { jar }), 422, "validation_failed", "days");
});

// --- settlements and reconciliation ---------------------------------------------------------------

test("settlements pay out each balance once, T+2; the reconciliation lists every capture and refund once", async () => {
  const { jar, auth } = await merchant();
  const first = await paidOrder(auth, 50000);
  const second = await paidOrder(auth, 12345);
  const refund = await request("POST", `/v1/payments/${first.paymentId}/refund`, { headers: auth, body: { amount: 5000 } });
  assert.equal(refund.status, 200, refund.text);
  const now = Date.now();
  await cronAt(now + 86_400_000);
  assert.equal((await request("GET", "/v1/settlements", { headers: auth })).json.count, 0, "not before T+2");
  await cronAt(now + 2 * 86_400_000 + 60_000);
  const settlements = await request("GET", "/v1/settlements", { headers: auth });
  assert.equal(settlements.json.count, 1, settlements.text);
  const [settlement] = settlements.json.items;
  assert.match(settlement.id, /^setl_[0-9A-Za-z]{14}$/);
  assert.equal(settlement.amount, 50000 - 1180 + 12345 - 291 - 5000);
  assert.equal(settlement.fees, 1180 + 291);
  assert.equal(settlement.tax, 180 + 44);
  assert.equal((await request("GET", `/v1/settlements/${settlement.id}`, { headers: auth })).json.utr, settlement.utr);
  await cronAt(now + 2 * 86_400_000 + 120_000);
  assert.equal((await request("GET", "/v1/settlements", { headers: auth })).json.count, 1, "nothing is paid twice");
  const summary = await request("GET", "/api/pay/summary", { jar });
  assert.equal(summary.json.balance, 0);
  assert.equal(summary.json.settled, settlement.amount);
  assert.equal(rows(d1("SELECT SUM(amount) AS total FROM pay_ledger"))[0].total, 0, "still balanced");

  const today = new Date(now);
  const q = `year=${today.getUTCFullYear()}&month=${today.getUTCMonth() + 1}&day=${today.getUTCDate()}`;
  const recon = await request("GET", `/v1/settlements/recon/combined?${q}`, { headers: auth });
  assert.equal(recon.status, 200, recon.text);
  const ids = recon.json.items.map((r) => r.entity_id).sort();
  assert.deepEqual(ids, [first.paymentId, second.paymentId, refund.json.id].sort(), "each exactly once");
  const byId = Object.fromEntries(recon.json.items.map((r) => [r.entity_id, r]));
  assert.deepEqual([byId[first.paymentId].credit, byId[first.paymentId].fee, byId[first.paymentId].tax], [50000, 1180, 180]);
  assert.deepEqual([byId[refund.json.id].type, byId[refund.json.id].debit, byId[refund.json.id].payment_id], ["refund", 5000, first.paymentId]);
  assert.ok(recon.json.items.every((r) => r.settled && r.settlement_id === settlement.id && r.settlement_utr === settlement.utr));

  const csv = await request("GET", `/api/pay/reconciliation?${q}&format=csv`, { jar });
  assert.equal(csv.status, 200, csv.text);
  assert.match(csv.headers.get("content-type"), /^text\/csv/);
  assert.match(csv.headers.get("content-disposition"), /attachment; filename="dozen-pay-recon-/);
  const lines = csv.text.trim().split("\r\n");
  assert.equal(lines.length, 4, "a header and three rows");
  assert.ok(lines[0].startsWith("entity_id,type,credit,debit"));
  const json = await request("GET", `/api/pay/reconciliation?${q}`, { jar });
  assert.equal(json.json.count, 3);
  const other = await signUp();
  assert.equal((await request("GET", `/api/pay/reconciliation?${q}`, { jar: other.jar })).json.count, 0);
  expectError(assert, await request("GET", "/api/pay/reconciliation?year=2026&month=2&day=30", { jar }), 422, "validation_failed", "day");
});

// --- smart routing ----------------------------------------------------------------------------------

test("routing: learns to skip a failing processor, falls back meanwhile, and fails at the gateway when none works", async () => {
  const { jar, auth } = await merchant();
  const first = await paidOrder(auth, 1000);
  let view = await request("GET", "/api/pay/routing", { jar });
  assert.equal(view.status, 200, view.text);
  assert.deepEqual(view.json.config.processors.map((p) => p.id), ["axis", "hdfc", "icici"], "the defaults");
  assert.equal(view.json.recent[0].payment_id, first.paymentId);
  assert.ok(["axis", "hdfc", "icici"].includes(view.json.recent[0].decision.processor));

  const config = (flaky, steady) => ({
    exploration: 0,
    processors: [
      { id: "flaky", name: "Flaky", methods: { card: { success_rate: flaky, latency_ms: 100 } } },
      { id: "steady", name: "Steady", methods: { card: { success_rate: steady, latency_ms: 400 } } },
    ],
  });
  expectError(assert, await request("PUT", "/api/pay/routing", { jar, body: { ...config(0, 1), exploration: 2 } }), 422, "validation_failed", "exploration");
  assert.equal((await request("PUT", "/api/pay/routing", { jar, body: config(0, 1) })).status, 204);
  const ids = [];
  for (let i = 0; i < 8; i++) ids.push((await paidOrder(auth, 1000 + i)).paymentId);
  view = await request("GET", "/api/pay/routing", { jar });
  const decisions = Object.fromEntries(view.json.recent.map((r) => [r.payment_id, r.decision]));
  const hops = (id) => decisions[id].hops.map((h) => `${h.processor}:${h.ok}`);
  assert.deepEqual(hops(ids[0]), ["flaky:false", "steady:true"], "the fast one first while unknown, then the fallback");
  for (const id of ids.slice(-3)) assert.deepEqual(hops(id), ["steady:true"], "learned: the failing one is skipped");
  const scores = Object.fromEntries(view.json.scores.card.map((s) => [s.processor, s]));
  assert.ok(scores.steady.score > scores.flaky.score, JSON.stringify(scores));
  assert.ok(scores.flaky.success_rate < 0.8 && scores.steady.success_rate > 0.9, JSON.stringify(scores));
  const summary = await request("GET", "/api/pay/summary", { jar });
  const steady = summary.json.by_processor.find((p) => p.key === "steady");
  assert.equal(steady.succeeded, 8);

  assert.equal((await request("PUT", "/api/pay/routing", { jar, body: config(0, 0) })).status, 204);
  const order = await request("POST", "/v1/orders", { headers: auth, body: { amount: 1000 } });
  const failed = await request("POST", "/v1/payments/create/json", {
    headers: auth,
    body: { amount: 1000, currency: "INR", order_id: order.json.id, email: "a@example.com", contact: "9000090000", method: "card",
      card: { number: "4111111111111111", expiry_month: 12, expiry_year: 2030, cvv: "123" } },
  });
  assert.equal(failed.status, 502, failed.text);
  assert.equal(failed.json.error.code, "GATEWAY_ERROR");
  assert.equal(failed.json.error.reason, "gateway_technical_error");
  const payment = await request("GET", `/v1/payments/${failed.json.error.metadata.payment_id}`, { headers: auth });
  assert.deepEqual([payment.json.status, payment.json.error_code, payment.json.error_source], ["failed", "GATEWAY_ERROR", "gateway"]);
  assert.equal((await request("DELETE", "/api/pay/routing", { jar })).status, 204);
  assert.equal((await request("GET", "/api/pay/routing", { jar })).json.config.processors.length, 3);
});

// --- fraud rules ---------------------------------------------------------------------------------------

test("fraud: a card used too often is held for review; approving captures it, rejecting releases it", async () => {
  const { jar, auth } = await merchant();
  const ids = [];
  for (let i = 0; i < 7; i++) ids.push((await paidOrder(auth, 2000 + i, "4012888888881881")).paymentId);
  const status = async (id) => (await request("GET", `/v1/payments/${id}`, { headers: auth })).json;
  for (const id of ids.slice(0, 5)) assert.equal((await status(id)).status, "captured", "within the limit");
  for (const id of ids.slice(5)) {
    const held = await status(id);
    assert.deepEqual([held.status, held.captured], ["authorized", false], "held, not captured");
  }
  const queue = await request("GET", "/api/pay/reviews", { jar });
  assert.equal(queue.status, 200, queue.text);
  assert.deepEqual(queue.json.items.map((r) => r.payment.id).sort(), ids.slice(5).sort());
  assert.deepEqual(queue.json.items[0].flags[0].rule, "card_fingerprint");
  const capture = await request("POST", `/v1/payments/${ids[5]}/capture`, { headers: auth, body: { amount: 2005, currency: "INR" } });
  expectRazorpayError(capture, 400);
  assert.match(capture.json.error.description, /held for review/);

  const other = await signUp();
  expectError(assert, await request("POST", `/api/pay/reviews/${ids[5]}/approve`, { jar: other.jar }), 404, "not_found");
  const approved = await request("POST", `/api/pay/reviews/${ids[5]}/approve`, { jar });
  assert.equal(approved.status, 200, approved.text);
  assert.equal(approved.json.status, "captured");
  expectError(assert, await request("POST", `/api/pay/reviews/${ids[5]}/reject`, { jar }), 409, "conflict");
  const rejected = await request("POST", `/api/pay/reviews/${ids[6]}/reject`, { jar });
  assert.equal(rejected.status, 200, rejected.text);
  assert.deepEqual([rejected.json.status, rejected.json.amount_refunded, rejected.json.captured], ["refunded", 2006, false]);
  assert.equal((await request("GET", "/api/pay/reviews", { jar })).json.items.length, 0);
  assert.equal((await request("GET", "/api/pay/reviews?status=approved", { jar })).json.items.length, 1);
  assert.equal(rows(d1(`SELECT COUNT(*) AS n FROM pay_ledger WHERE source_id = '${ids[6]}'`))[0].n, 0, "nothing captured, nothing posted");
});

// --- regressions from review ----------------------------------------------------------------------

const CUSTOMER = { email: "r@example.com", contact: "9000090000" };
const cardBody = (orderId, amount, number) => ({
  amount, currency: "INR", order_id: orderId, ...CUSTOMER, method: "card",
  card: { number, expiry_month: 12, expiry_year: 2030, cvv: "123" },
});

test("an OTP entered after another payment paid the order only authorizes (no second capture)", async () => {
  const { auth } = await merchant();
  const order = await request("POST", "/v1/orders", { headers: auth, body: { amount: 3000 } });
  const otp = await request("POST", "/v1/payments/create/json", { headers: auth, body: cardBody(order.json.id, 3000, "4000000000003220") });
  assert.equal(otp.json.next[0].action, "otp_submit");
  const other = await request("POST", "/v1/payments/create/json", { headers: auth, body: cardBody(order.json.id, 3000, "4111111111111111") });
  assert.equal(other.status, 200, other.text);
  const late = await request("POST", `/api/pay/checkout/payments/${otp.json.razorpay_payment_id}/otp`, { body: { otp: "123456" } });
  assert.equal(late.status, 200, late.text);
  assert.equal(late.json.status, "authorized", "not reported as paid");
  const payments = (await request("GET", `/v1/orders/${order.json.id}/payments`, { headers: auth })).json.items;
  assert.deepEqual(payments.map((p) => p.status).sort(), ["authorized", "captured"]);
  assert.equal(rows(d1(`SELECT COUNT(DISTINCT source_id) AS n FROM pay_ledger WHERE source_id IN ('${payments.map((p) => p.id).join("','")}')`))[0].n, 1);
});

test("a subscription authorized twice at once is charged once", async () => {
  const { auth } = await merchant();
  const plan = await request("POST", "/v1/plans", { headers: auth, body: { period: "weekly", interval: 1, item: { name: "W", amount: 5000 } } });
  const sub = await request("POST", "/v1/subscriptions", { headers: auth, body: { plan_id: plan.json.id, total_count: 4 } });
  assert.equal(sub.status, 200, sub.text);
  const pay = (number) =>
    request("POST", `/api/pay/subscriptions/${sub.json.id}/authorize`, {
      body: { method: "card", ...CUSTOMER, card: { number, name: "S", expiry_month: "12", expiry_year: "30", cvv: "123" } },
    });
  const answers = await Promise.all([pay("4111111111111111"), pay("5555555555554444")]);
  const paid = answers.filter((a) => a.status === 200 && a.json.status === "paid");
  assert.equal(paid.length, 1, answers.map((a) => `${a.status} ${a.text}`).join("\n"));
  const captured = (await request("GET", "/v1/payments?count=10", { headers: auth })).json.items.filter((p) => p.status === "captured");
  assert.equal(captured.length, 1, "one charge");
  const after = (await request("GET", `/v1/subscriptions/${sub.json.id}`, { headers: auth })).json;
  assert.deepEqual([after.status, after.paid_count], ["active", 1]);
});

test("an OTP card used too often is held after its OTP, not captured", async () => {
  const { jar, auth } = await merchant();
  const ip = { "cf-connecting-ip": `10.77.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` };
  let last;
  for (let i = 0; i < 6; i++) {
    const order = await request("POST", "/v1/orders", { headers: auth, body: { amount: 1000 + i } });
    const started = await request("POST", "/api/pay/checkout/" + order.json.id + "/pay", {
      body: { method: "card", ...CUSTOMER, card: { number: "4000000000003220", name: "O", expiry_month: "12", expiry_year: "30", cvv: "123" } },
      headers: ip,
    });
    assert.equal(started.json.status, "otp_required", started.text);
    last = await request("POST", `/api/pay/checkout/payments/${started.json.razorpay_payment_id}/otp`, { body: { otp: "123456" }, headers: ip });
  }
  assert.equal(last.json.status, "authorized", last.text);
  const queue = (await request("GET", "/api/pay/reviews", { jar })).json.items;
  assert.equal(queue.length, 1);
  assert.equal(queue[0].payment.id, last.json.razorpay_payment_id);
});

test("far-future timestamps are refused, and the CSV's name takes only the period", async () => {
  const { jar, auth } = await merchant();
  expectRazorpayError(await request("POST", "/v1/payment_links", { headers: auth, body: { amount: 500, expire_by: 10_000_000_000_000 } }), 400, "expire_by");
  const csv = await request("GET", "/api/pay/reconciliation?year=2026&month=11&format=csv&x=%22%0A", { jar });
  assert.equal(csv.status, 200, csv.text);
  assert.match(csv.headers.get("content-disposition"), /filename="dozen-pay-recon-2026-11\.csv"/);
});
