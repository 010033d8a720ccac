// Pay's hot paths share D1 round trips (worker/src/coalesce.rs): concurrent `GET
// /v1/payments/{id}` reads are answered by one query, and concurrent `POST /v1/orders` are
// stored by one batch. These tests hold what that must never change: each answer is the
// caller's own (never another merchant's, never another order's), a read that starts after a
// write sees it, and every order is stored exactly once.
import assert from "node:assert/strict";
import { test } from "node:test";
import { d1, request, rows, signUp } from "../support/api.mjs";

function basic(keyId, secret) {
  return { authorization: `Basic ${Buffer.from(`${keyId}:${secret}`).toString("base64")}` };
}

async function merchant() {
  const { jar } = await signUp();
  const res = await request("POST", "/api/pay/keys", { body: {}, jar });
  assert.equal(res.status, 201, res.text);
  return basic(res.json.key_id, res.json.key_secret);
}

/** A card payment of a new order; `manual` leaves it authorized for the merchant to capture. */
async function payment(auth, amount, { manual = false } = {}) {
  const order = await request("POST", "/v1/orders", {
    headers: auth,
    body: { amount, currency: "INR", ...(manual ? { payment_capture: 0 } : {}) },
  });
  assert.equal(order.status, 200, order.text);
  const paid = await request("POST", "/v1/payments/create/json", {
    headers: auth,
    body: {
      amount, currency: "INR", order_id: order.json.id, email: "a@example.com", contact: "9000090000",
      method: "card", card: { number: "4111111111111111", name: "A", expiry_month: 12, expiry_year: 2030, cvv: "123" },
    },
  });
  assert.equal(paid.status, 200, paid.text);
  return paid.json.razorpay_payment_id;
}

const read = (auth, id) => request("GET", `/v1/payments/${id}`, { headers: auth });

test("concurrent reads by two merchants: each gets its own payment, and another's is one that does not exist", async () => {
  const [alice, bob] = [await merchant(), await merchant()];
  const alices = [await payment(alice, 10100), await payment(alice, 10200), await payment(alice, 10300)];
  const bobs = [await payment(bob, 20100), await payment(bob, 20200)];
  const asks = [];
  for (let round = 0; round < 8; round++) {
    alices.forEach((id, n) => asks.push({ auth: alice, id, amount: 10100 + 100 * n }));
    bobs.forEach((id, n) => asks.push({ auth: bob, id, amount: 20100 + 100 * n }));
    asks.push({ auth: alice, id: bobs[round % 2], amount: null }, { auth: bob, id: alices[round % 3], amount: null });
  }
  const answers = await Promise.all(asks.map(({ auth, id }) => read(auth, id)));
  answers.forEach((res, n) => {
    const { id, amount } = asks[n];
    if (amount === null) {
      assert.equal(res.status, 400, res.text);
      assert.equal(res.json.error.code, "BAD_REQUEST_ERROR");
      assert.match(res.json.error.description, /does not exist/);
    } else {
      assert.equal(res.status, 200, res.text);
      assert.deepEqual([res.json.id, res.json.amount], [id, amount]);
    }
  });
  // Ids that are malformed or unknown answer as before, also among concurrent reads.
  const odd = await Promise.all([read(alice, "pay_nope"), read(alice, "pay_00000000000000"), read(alice, alices[0])]);
  assert.deepEqual(odd.map((res) => res.status), [400, 400, 200]);
});

test("a read that starts after a capture sees it, with reads of it in flight all along", async () => {
  const auth = await merchant();
  const id = await payment(auth, 45600, { manual: true });
  assert.equal((await read(auth, id)).json.status, "authorized");
  const before = Array.from({ length: 20 }, () => read(auth, id));
  const capture = await request("POST", `/v1/payments/${id}/capture`, { headers: auth, body: { amount: 45600, currency: "INR" } });
  assert.equal(capture.status, 200, capture.text);
  const after = await Promise.all(Array.from({ length: 20 }, () => read(auth, id)));
  for (const res of after) assert.deepEqual([res.status, res.json.status, res.json.captured], [200, "captured", true], res.text);
  for (const res of await Promise.all(before)) assert.ok(["authorized", "captured"].includes(res.json.status), res.text);

  const refund = await request("POST", `/v1/payments/${id}/refund`, { headers: auth, body: { amount: 1000 } });
  assert.equal(refund.status, 200, refund.text);
  const refunded = await Promise.all(Array.from({ length: 10 }, () => read(auth, id)));
  for (const res of refunded) assert.equal(res.json.amount_refunded, 1000, res.text);
});

test("concurrent order creations by two merchants are each stored once, with their own fields", async () => {
  const merchants = [await merchant(), await merchant()];
  const wanted = Array.from({ length: 40 }, (_, n) => ({
    auth: merchants[n % 2],
    body: { amount: 5000 + n, currency: "INR", receipt: `receipt-${n}`, notes: { n: String(n) } },
  }));
  const created = await Promise.all(wanted.map(({ auth, body }) => request("POST", "/v1/orders", { headers: auth, body })));
  created.forEach((res, n) => {
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(
      [res.json.amount, res.json.receipt, res.json.notes.n, res.json.status, res.json.amount_due],
      [5000 + n, `receipt-${n}`, String(n), "created", 5000 + n],
    );
  });
  const ids = created.map((res) => res.json.id);
  assert.equal(new Set(ids).size, 40, "forty different orders");
  const stored = rows(d1(`SELECT id, amount, receipt FROM pay_orders WHERE id IN (${ids.map((id) => `'${id}'`).join(",")})`));
  assert.equal(stored.length, 40, "each stored once");
  for (const [m, auth] of merchants.entries()) {
    const listed = await request("GET", "/v1/orders?count=100", { headers: auth });
    assert.equal(listed.status, 200, listed.text);
    const mine = ids.filter((_, n) => n % 2 === m).sort();
    assert.deepEqual(listed.json.items.map((o) => o.id).sort(), mine, "each merchant lists only its own");
  }
  // Bad input is still refused one by one, whatever is stored beside it.
  const mixed = await Promise.all([
    request("POST", "/v1/orders", { headers: merchants[0], body: { amount: 9900, currency: "INR" } }),
    request("POST", "/v1/orders", { headers: merchants[0], body: { amount: 10, currency: "INR" } }),
    request("POST", "/v1/orders", { headers: merchants[0], body: { amount: 9900, currency: "XYZ" } }),
  ]);
  assert.deepEqual(mixed.map((res) => res.status), [200, 400, 400]);
});
