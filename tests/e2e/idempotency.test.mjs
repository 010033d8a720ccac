// Idempotency-Key on mutations (DESIGN.md): a retry with the same key and body gets the first
// answer again; the same key with another body is refused; keys are per caller.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { clientIp, expectError, request, signUp } from "../support/api.mjs";

const url = () => `https://idem-${randomBytes(4).toString("hex")}.example/page`;
const key = () => randomBytes(16).toString("hex");

test("a retried creation with the same key returns the first link, marked as replayed", async () => {
  const { jar } = await signUp();
  const k = key();
  const body = { url: url(), force_new: true };
  const first = await request("POST", "/api/links", { body, jar, headers: { "Idempotency-Key": k } });
  assert.equal(first.status, 201, first.text);
  assert.equal(first.headers.get("idempotent-replayed"), null);
  const retry = await request("POST", "/api/links", { body, jar, headers: { "Idempotency-Key": k } });
  assert.equal(retry.status, 201);
  assert.equal(retry.headers.get("idempotent-replayed"), "true");
  assert.deepEqual(retry.json, first.json);
  const list = await request("GET", "/api/links", { jar });
  assert.equal(list.json.links.length, 1, "one link, not two");

  const fresh = await request("POST", "/api/links", { body, jar, headers: { "Idempotency-Key": key() } });
  assert.equal(fresh.status, 201);
  assert.notEqual(fresh.json.code, first.json.code, "a new key is a new request");
});

test("the same key with another body is 422; a refused first answer is replayed too", async () => {
  const { jar } = await signUp();
  const k = key();
  assert.equal((await request("POST", "/api/links", { body: { url: url() }, jar, headers: { "Idempotency-Key": k } })).status, 201);
  expectError(assert, await request("POST", "/api/links", { body: { url: url() }, jar, headers: { "Idempotency-Key": k } }), 422, "validation_failed");

  const bad = key();
  const refused = await request("POST", "/api/links", { body: { url: "ftp://x.example" }, jar, headers: { "Idempotency-Key": bad } });
  expectError(assert, refused, 422, "validation_failed", "url");
  const again = await request("POST", "/api/links", { body: { url: "ftp://x.example" }, jar, headers: { "Idempotency-Key": bad } });
  expectError(assert, again, 422, "validation_failed", "url");
  assert.equal(again.headers.get("idempotent-replayed"), "true");
});

test("keys are per caller: another user's same key and body make their own link", async () => {
  const a = await signUp();
  const b = await signUp();
  const k = key();
  const body = { url: url() };
  const first = await request("POST", "/api/links", { body, jar: a.jar, headers: { "Idempotency-Key": k } });
  const second = await request("POST", "/api/links", { body, jar: b.jar, headers: { "Idempotency-Key": k } });
  assert.equal(first.status, 201);
  assert.equal(second.status, 201);
  assert.equal(second.headers.get("idempotent-replayed"), null);
  assert.notEqual(second.json.code, first.json.code);
  // Anonymous callers are told apart by address.
  const anon = { url: url() };
  const x = await request("POST", "/shorten", { body: anon, headers: { "Idempotency-Key": k, "CF-Connecting-IP": clientIp() } });
  const y = await request("POST", "/shorten", { body: anon, headers: { "Idempotency-Key": k, "CF-Connecting-IP": clientIp() } });
  assert.equal(x.status, 201);
  assert.equal(y.status, 200, "another address, same URL: the existing anonymous link, not a replay");
  assert.equal(y.headers.get("idempotent-replayed"), null);
});

test("PATCH and DELETE replay too; malformed keys are 400", async () => {
  const { jar } = await signUp();
  const link = (await request("POST", "/api/links", { body: { url: url() }, jar })).json;
  const k = key();
  const del1 = await request("DELETE", `/api/links/${link.code}`, { jar, headers: { "Idempotency-Key": k } });
  assert.equal(del1.status, 204);
  const del2 = await request("DELETE", `/api/links/${link.code}`, { jar, headers: { "Idempotency-Key": k } });
  assert.equal(del2.status, 204, "the retry of a delete that happened is still a success");
  expectError(assert, await request("DELETE", `/api/links/${link.code}`, { jar }), 404, "not_found");
  for (const bad of ["", "a b", "x".repeat(256)]) {
    const res = await request("POST", "/api/links", { body: { url: url() }, jar, headers: { "Idempotency-Key": bad } });
    if (bad === "") continue; // fetch drops empty header values on some platforms
    expectError(assert, res, 400, "bad_request");
  }
});

test("a retried key creation makes no second key and never gets the secret again", async () => {
  const { jar } = await signUp();
  for (const [path, body] of [["/api/auth/keys", { label: "deploy bot" }], ["/api/pay/keys", {}]]) {
    const k = key();
    const first = await request("POST", path, { body, jar, headers: { "Idempotency-Key": k } });
    assert.equal(first.status, 201, first.text);
    const secret = first.json.key ?? first.json.key_secret;
    assert.ok(secret, first.text);
    const retry = await request("POST", path, { body, jar, headers: { "Idempotency-Key": k } });
    expectError(assert, retry, 409, "conflict");
    assert.equal(retry.headers.get("idempotent-replayed"), "true");
    assert.ok(!retry.text.includes(secret), "the secret is shown once");
    const list = await request("GET", path, { jar });
    assert.equal(list.status, 200, list.text);
    const keys = list.json.keys ?? list.json.items;
    assert.equal(keys.filter((k) => !k.revoked_at).length, 1, `${path}: one key, not two: ${list.text}`);
  }
});

test("a 429 is never stored under the key: the retry runs again and keeps Retry-After", async () => {
  const ip = clientIp();
  const anon = () => ({ url: url() });
  for (let i = 0; i < 20; i++) {
    const made = await request("POST", "/api/links", { body: anon(), headers: { "CF-Connecting-IP": ip } });
    assert.equal(made.status, 201, made.text);
  }
  const k = key();
  const body = anon();
  for (let attempt = 0; attempt < 2; attempt++) {
    const limited = await request("POST", "/api/links", { body, headers: { "Idempotency-Key": k, "CF-Connecting-IP": ip } });
    expectError(assert, limited, 429, "rate_limited");
    assert.ok(Number(limited.headers.get("retry-after")) > 0, "Retry-After survives the idempotency layer");
    assert.equal(limited.headers.get("idempotent-replayed"), null, "a 429 is not an answer to replay");
  }
});
