// Pay's /v1 key check without a D1 round trip: a key's secret is checked from its derivation,
// and what a worker isolate read of the key (whose it is, or that it was revoked) is trusted for
// 5 s (shared::pay::keys::KEY_STATE_TTL_MS). These tests hold that bound: a key revoked where
// this isolate cannot see it stops working within it, and stays stopped.
import assert from "node:assert/strict";
import { test } from "node:test";
import { d1, request, signUp } from "../support/api.mjs";

const KEY_STATE_TTL_MS = 5000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function basic(keyId, secret) {
  return { authorization: `Basic ${Buffer.from(`${keyId}:${secret}`).toString("base64")}` };
}

async function merchant() {
  const { jar } = await signUp();
  const res = await request("POST", "/api/pay/keys", { body: {}, jar });
  assert.equal(res.status, 201, res.text);
  return { jar, key: res.json, auth: basic(res.json.key_id, res.json.key_secret) };
}

/** Polls GET /v1/orders until it is refused; when that was (ms since the epoch). */
async function refusedAt(auth, deadline) {
  while (Date.now() < deadline) {
    const res = await request("GET", "/v1/orders", { headers: auth });
    if (res.status === 401) return Date.now();
    assert.equal(res.status, 200, res.text);
    await sleep(100);
  }
  return Infinity;
}

/**
 * Uses a key (the isolate reads and remembers it), changes it in D1 behind the isolate's back
 * with `sql`, and checks that the isolate answers from memory meanwhile and refuses the key
 * within 5 s of remembering it, and from then on.
 */
async function staysTrustedAtMostFiveSeconds(sql) {
  const { key, auth } = await merchant();
  const remembered = Date.now();
  assert.equal((await request("GET", "/v1/orders", { headers: auth })).status, 200, "the key is read and remembered");
  d1(sql(key.key_id));
  // wrangler d1 execute takes a second or two; well inside 5 s, the isolate still trusts its memory.
  if (Date.now() - remembered < KEY_STATE_TTL_MS - 1500) {
    assert.equal((await request("GET", "/v1/orders", { headers: auth })).status, 200, "answered from memory, not D1");
  }
  const refused = await refusedAt(auth, remembered + KEY_STATE_TTL_MS + 3000);
  assert.ok(refused - remembered <= KEY_STATE_TTL_MS + 600, `refused ${refused - remembered} ms after it was remembered`);
  for (let i = 0; i < 10; i++) {
    assert.equal((await request("GET", "/v1/orders", { headers: auth })).status, 401, "and refused from then on");
    await sleep(200);
  }
}

test("a key revoked where this isolate cannot see it stops working within 5 s, and stays refused", async () => {
  // Revoked straight in D1, as another isolate (or location) would: this one is not told.
  await staysTrustedAtMostFiveSeconds((keyId) => `UPDATE pay_keys SET revoked_at = ${Date.now()} WHERE key_id = '${keyId}'`);
});

test("a key deleted from D1 (as deleting its account cascades) stops working within 5 s", async () => {
  await staysTrustedAtMostFiveSeconds((keyId) => `DELETE FROM pay_keys WHERE key_id = '${keyId}'`);
});

test("revoked through the API, a key is refused at once; a wrong secret always, known key or not", async () => {
  const { jar, key, auth } = await merchant();
  assert.equal((await request("GET", "/v1/orders", { headers: auth })).status, 200);
  const wrong = basic(key.key_id, "x".repeat(24));
  const unknown = basic("rzp_test_00000000000000", "x".repeat(24));
  const refusals = [];
  for (const headers of [wrong, unknown]) {
    const res = await request("GET", "/v1/orders", { headers });
    assert.equal(res.status, 401, res.text);
    refusals.push(res.json);
  }
  assert.deepEqual(refusals[0], refusals[1], "an unknown key id is refused exactly as a wrong secret");
  assert.equal((await request("DELETE", `/api/pay/keys/${key.key_id}`, { jar })).status, 204);
  assert.equal((await request("GET", "/v1/orders", { headers: auth })).status, 401, "no wait in the isolate that revoked it");
});
