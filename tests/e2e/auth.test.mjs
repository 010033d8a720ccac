// Accounts end to end against a real `wrangler dev`: sign-up, sign-in, sessions, the account,
// API keys, the sign-in throttle and the cross-site guard. Every test makes its own users
// (unique names) and, where failed sign-ins are counted, its own client address, so the tests
// do not depend on each other or on their order.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import {
  BASE,
  Jar,
  clientIp,
  d1,
  expectError,
  login,
  request,
  rows,
  sessionToken,
  sha256Hex,
  signUp,
  uniqueName,
} from "../support/api.mjs";

const PASSWORD = "correct horse battery";
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const API_KEY = /^dzk_[A-Za-z0-9_-]{43}$/;

function register(body, { jar, headers } = {}) {
  return request("POST", "/api/auth/register", { body, jar, headers });
}

function registration(overrides = {}) {
  const username = overrides.username ?? uniqueName();
  return { username, email: `${username}@example.com`, password: PASSWORD, ...overrides };
}

/** The milliseconds a ULID was made at (its first 10 Crockford base32 characters). */
function ulidMillis(id) {
  const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  return [...id.slice(0, 10)].reduce((ms, c) => ms * 32 + alphabet.indexOf(c), 0);
}

/** A UserView: exactly these fields, a ULID made when the account was. */
function assertUser(user, { username, email, display_name = username }) {
  assert.deepEqual(Object.keys(user).sort(), ["created_at", "display_name", "email", "id", "username"]);
  assert.match(user.id, ULID);
  assert.equal(user.username, username);
  assert.equal(user.email, email);
  assert.equal(user.display_name, display_name);
  assert.match(user.created_at, RFC3339);
  const created = Date.parse(user.created_at);
  assert.equal(ulidMillis(user.id), created, "the ID is time-sortable from the creation time");
  assert.ok(Math.abs(created - Date.now()) < 10 * 60_000, `created_at ${user.created_at} is about now`);
}

/** The parsed Set-Cookie lines of a response: [{ name, value, attrs: Map(lower-case name → value) }]. */
function setCookies(res) {
  return res.headers.getSetCookie().map((line) => {
    const [pair, ...rest] = line.split(";");
    const eq = pair.indexOf("=");
    const attrs = new Map(
      rest.map((a) => {
        const [k, ...v] = a.trim().split("=");
        return [k.toLowerCase(), v.join("=")];
      }),
    );
    return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attrs };
  });
}

function assertSessionCookie(res) {
  const cookies = setCookies(res);
  assert.equal(cookies.length, 1, `one Set-Cookie: ${res.headers.getSetCookie()}`);
  const [c] = cookies;
  assert.equal(c.name, "dozen_session");
  assert.match(c.value, /^[A-Za-z0-9_-]{43}$/, "256 random bits, base64url");
  assert.equal(c.attrs.get("path"), "/");
  assert.ok(c.attrs.has("httponly"), "HttpOnly");
  assert.equal(c.attrs.get("samesite")?.toLowerCase(), "lax");
  const maxAge = Number(c.attrs.get("max-age"));
  assert.ok(Number.isInteger(maxAge) && maxAge > 0, `a positive Max-Age: ${c.attrs.get("max-age")}`);
  assert.ok(!c.attrs.has("secure"), "no Secure on plain-HTTP 127.0.0.1 (browsers would drop it)");
  assert.ok(!c.attrs.has("domain"), "host-only");
  return c;
}

async function createKey(jar, label = "CI deploys") {
  const res = await request("POST", "/api/auth/keys", { body: { label }, jar });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

const bearer = (key) => ({ authorization: `Bearer ${key}` });

// --- sign-up, sign-in, sign-out ---

test("register → me → logout → me is 401; login by username or email → me", async () => {
  const username = uniqueName("flow");
  const email = `${username}@example.com`;
  const jar = new Jar();
  const reg = await register({ username, email, password: PASSWORD }, { jar });
  assert.equal(reg.status, 201, reg.text);
  assertUser(reg.json, { username, email });
  assertSessionCookie(reg);

  const me = await request("GET", "/api/auth/me", { jar });
  assert.equal(me.status, 200, me.text);
  assert.deepEqual(me.json, reg.json);

  const oldToken = sessionToken(jar);
  const out = await request("POST", "/api/auth/logout", { jar });
  assert.equal(out.status, 204);
  assert.equal(out.text, "");
  const [cleared] = setCookies(out);
  assert.equal(cleared.name, "dozen_session");
  assert.equal(cleared.value, "");
  assert.equal(cleared.attrs.get("max-age"), "0");
  assert.equal(cleared.attrs.get("path"), "/");
  assert.equal(sessionToken(jar), undefined, "the jar dropped the cookie");
  expectError(assert, await request("GET", "/api/auth/me", { jar }), 401, "unauthenticated");

  // The old token was deleted on the server, not just forgotten by the client.
  const replay = await request("GET", "/api/auth/me", { headers: { cookie: `dozen_session=${oldToken}` } });
  expectError(assert, replay, 401, "unauthenticated");

  for (const body of [
    { login: username, password: PASSWORD },
    { username: username.toUpperCase(), password: PASSWORD },
    { email: email.toUpperCase(), password: PASSWORD },
    { login: `  ${email}  `, password: PASSWORD },
  ]) {
    const again = new Jar();
    const res = await request("POST", "/api/auth/login", { body, jar: again });
    assert.equal(res.status, 200, `${JSON.stringify(body)}: ${res.text}`);
    assert.deepEqual(res.json, reg.json);
    assertSessionCookie(res);
    const me2 = await request("GET", "/api/auth/me", { jar: again });
    assert.equal(me2.status, 200);
    assert.equal(me2.json.id, reg.json.id);
  }
});

test("logout without a session is still 204 and clears the cookie", async () => {
  const res = await request("POST", "/api/auth/logout");
  assert.equal(res.status, 204);
  assert.equal(setCookies(res)[0]?.attrs.get("max-age"), "0");
});

test("me without a session, or with an unknown token, is 401", async () => {
  expectError(assert, await request("GET", "/api/auth/me"), 401, "unauthenticated");
  const forged = randomBytes(32).toString("base64url");
  const res = await request("GET", "/api/auth/me", { headers: { cookie: `dozen_session=${forged}` } });
  expectError(assert, res, 401, "unauthenticated");
});

test("usernames and emails are normalised to lower case", async () => {
  const name = uniqueName("Mixed");
  const res = await register({ username: `  ${name} `, email: ` ${name.toUpperCase()}@Example.COM `, password: PASSWORD });
  assert.equal(res.status, 201, res.text);
  assertUser(res.json, { username: name.toLowerCase(), email: `${name.toLowerCase()}@example.com` });
});

test("timestamps are RFC 3339 in UTC with exactly three fractional digits", async () => {
  const { jar, user } = await signUp();
  // A whole second: the case that loses its fraction if the formatter trims zeros.
  const ms = Math.floor(Date.now() / 1000) * 1000 - 86_400_000;
  d1(`UPDATE auth_users SET created_at = ${ms} WHERE id = '${user.id}'`);
  const me = await request("GET", "/api/auth/me", { jar });
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.created_at, new Date(ms).toISOString());
});

// --- conflicts ---

test("a taken username is 409 username_taken, case-insensitively", async () => {
  const name = uniqueName("dup");
  assert.equal((await register(registration({ username: name }))).status, 201);
  const again = await register(registration({ username: name, email: `other.${name}@example.com` }));
  expectError(assert, again, 409, "username_taken", "username");

  const mixed = `Ada${randomBytes(5).toString("hex")}`;
  const first = await register(registration({ username: mixed, email: `first.${mixed}@example.com` }));
  assert.equal(first.status, 201, first.text);
  assert.equal(first.json.username, mixed.toLowerCase());
  const lower = await register(registration({ username: mixed.toLowerCase(), email: `second.${mixed}@example.com` }));
  expectError(assert, lower, 409, "username_taken", "username");
  assert.equal(lower.headers.getSetCookie().length, 0, "no session for a refused sign-up");
});

test("a taken email is 409 email_taken, case-insensitively", async () => {
  const a = registration();
  assert.equal((await register(a)).status, 201);
  const b = registration({ email: a.email.toUpperCase() });
  expectError(assert, await register(b), 409, "email_taken", "email");
  // b's username was not created by the refused attempt.
  assert.equal((await register(registration({ username: b.username }))).status, 201);
});

test("parallel sign-ups with one username: exactly one 201, the rest 409", async () => {
  const name = uniqueName("race");
  const results = await Promise.all(
    [1, 2, 3].map((i) => register(registration({ username: name, email: `${name}.${i}@example.com` }))),
  );
  const statuses = results.map((r) => r.status).sort();
  assert.deepEqual(statuses, [201, 409, 409], results.map((r) => r.text).join("\n"));
  for (const r of results.filter((r) => r.status === 409)) expectError(assert, r, 409, "username_taken", "username");
  const winner = results.find((r) => r.status === 201);
  const signedIn = await login(name, PASSWORD, { ip: clientIp() });
  assert.equal(signedIn.status, 200, signedIn.text);
  assert.equal(signedIn.json.email, winner.json.email, "the account is the winner's");
});

test("parallel sign-ups with one email: exactly one 201, the other 409", async () => {
  const email = `${uniqueName("racemail")}@example.com`;
  const results = await Promise.all([1, 2].map(() => register(registration({ email }))));
  assert.deepEqual(results.map((r) => r.status).sort(), [201, 409], results.map((r) => r.text).join("\n"));
  expectError(assert, results.find((r) => r.status === 409), 409, "email_taken", "email");
});

// --- bad input: 400 / 413 / 415 / 422 with the field named, never 5xx ---

test("malformed JSON is 400 malformed_json", async () => {
  for (const path of ["/api/auth/register", "/api/auth/login"]) {
    for (const body of ["{", "", "not json", '{"username": "ada",}', "{'username': 'ada'}", '{"a":1}x']) {
      const res = await request("POST", path, { body, headers: { "content-type": "application/json" } });
      expectError(assert, res, 400, "malformed_json");
    }
  }
});

test("a body that is JSON but not an object is 422", async () => {
  for (const body of ["[1,2]", '"ada"', "null", "42"]) {
    const res = await request("POST", "/api/auth/register", { body });
    expectError(assert, res, 422, "validation_failed");
  }
});

test("a content type other than application/json is 415", async () => {
  const json = JSON.stringify(registration());
  for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx"]) {
    const res = await request("POST", "/api/auth/register", { body: json, headers: { "content-type": type } });
    expectError(assert, res, 415, "unsupported_media_type");
  }
  // No Content-Type at all (a byte body gets none from fetch).
  const raw = await fetch(`${BASE}/api/auth/login`, { method: "POST", body: new TextEncoder().encode(json) });
  assert.equal(raw.headers.get("content-type")?.startsWith("application/json"), true);
  assert.equal(raw.status, 415);
  assert.equal((await raw.json()).error.code, "unsupported_media_type");
  // Parameters and case in the media type are fine.
  const ok = await request("POST", "/api/auth/register", {
    body: JSON.stringify(registration()),
    headers: { "content-type": "Application/JSON; charset=utf-8" },
  });
  assert.equal(ok.status, 201, ok.text);
});

test("missing or empty fields are 422 naming the field", async () => {
  const name = uniqueName();
  const cases = [
    ["/api/auth/register", {}, "username"],
    ["/api/auth/register", { email: `${name}@example.com`, password: PASSWORD }, "username"],
    ["/api/auth/register", { username: name, password: PASSWORD }, "email"],
    ["/api/auth/register", { username: name, email: `${name}@example.com` }, "password"],
    ["/api/auth/register", { username: "", email: `${name}@example.com`, password: PASSWORD }, "username"],
    ["/api/auth/register", { username: name, email: " ", password: PASSWORD }, "email"],
    ["/api/auth/register", { username: name, email: `${name}@example.com`, password: "" }, "password"],
    ["/api/auth/login", {}, "login"],
    ["/api/auth/login", { password: PASSWORD }, "login"],
    ["/api/auth/login", { login: name }, "password"],
    ["/api/auth/login", { login: "   ", password: PASSWORD }, "login"],
  ];
  for (const [path, body, field] of cases) {
    const res = await request("POST", path, { body });
    expectError(assert, res, 422, "validation_failed", field);
  }
});

test("fields breaking a rule are 422 naming the field", async () => {
  const name = uniqueName();
  const email = `${name}@example.com`;
  const cases = [
    [{ username: "ab", email, password: PASSWORD }, "username"],
    [{ username: "9lives", email, password: PASSWORD }, "username"],
    [{ username: "al-ice", email, password: PASSWORD }, "username"],
    [{ username: "Admin", email, password: PASSWORD }, "username"],
    [{ username: name, email: "ada", password: PASSWORD }, "email"],
    [{ username: name, email: "ada@localhost", password: PASSWORD }, "email"],
    [{ username: name, email: "Ada <ada@example.com>", password: PASSWORD }, "email"],
    [{ username: name, email, password: "1234567" }, "password"],
    [{ username: name, email, password: "          " }, "password"],
    [{ username: name, email, password: name.toUpperCase() }, "password"],
  ];
  for (const [body, field] of cases) {
    const res = await register(body);
    expectError(assert, res, 422, "validation_failed", field);
  }
});

test("overlong fields are 422 naming the field; the longest allowed values are accepted", async () => {
  const name = uniqueName();
  const email = `${name}@example.com`;
  const longEmail = `${"a".repeat(243)}@example.com`; // 255 characters
  assert.equal(longEmail.length, 255);
  const cases = [
    [{ username: `a${"b".repeat(32)}`, email, password: PASSWORD }, "username"],
    [{ username: name, email: longEmail, password: PASSWORD }, "email"],
    [{ username: name, email, password: "x".repeat(257) }, "password"],
  ];
  for (const [body, field] of cases) {
    const res = await register(body);
    expectError(assert, res, 422, "validation_failed", field);
    assert.match(res.json.error.message, /at most/);
  }
  for (const [body, field] of [
    [{ login: "a".repeat(255), password: PASSWORD }, "login"],
    [{ login: name, password: "x".repeat(257) }, "password"],
  ]) {
    expectError(assert, await request("POST", "/api/auth/login", { body }), 422, "validation_failed", field);
  }

  // The bounds are inclusive: 32-character username, 254-character email, 256-character password.
  const longest = `z${randomBytes(16).toString("hex").slice(0, 31)}`;
  assert.equal(longest.length, 32);
  // Local part at most 64 and domain labels at most 63 (RFC 5321), 254 in all.
  const email254 = `${longest}@${"d".repeat(63)}.${"e".repeat(63)}.${"f".repeat(63)}.${"g".repeat(17)}.example.com`;
  assert.equal(email254.length, 254);
  const password256 = "é".repeat(256); // 256 characters, 512 bytes
  const jar = new Jar();
  const ok = await register({ username: longest, email: email254, password: password256 }, { jar });
  assert.equal(ok.status, 201, ok.text);
  assertUser(ok.json, { username: longest, email: email254 });
  const back = await login(longest, password256, { ip: clientIp() });
  assert.equal(back.status, 200, back.text);
});

test("a body over 64 KiB is 413, with or without a declared length", async () => {
  const big = JSON.stringify({ ...registration(), padding: "x".repeat(70_000) });
  const declared = await request("POST", "/api/auth/register", { body: big });
  expectError(assert, declared, 413, "payload_too_large");

  const bytes = new TextEncoder().encode(big);
  const stream = new ReadableStream({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 8192) controller.enqueue(bytes.slice(i, i + 8192));
      controller.close();
    },
  });
  const chunked = await fetch(`${BASE}/api/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: stream,
    duplex: "half",
  });
  assert.equal(chunked.status, 413);
  assert.equal((await chunked.json()).error.code, "payload_too_large");

  // Exactly 64 KiB is still read (and then judged on its fields).
  const skeleton = JSON.stringify({ username: "9", padding: "" });
  const exact = JSON.stringify({ username: "9", padding: "x".repeat(65_536 - skeleton.length) });
  assert.equal(Buffer.byteLength(exact), 65_536);
  expectError(assert, await request("POST", "/api/auth/register", { body: exact }), 422, "validation_failed", "username");
});

test("a field of the wrong type is 422 naming the field", async () => {
  const name = uniqueName();
  const email = `${name}@example.com`;
  const cases = [
    ["/api/auth/register", { username: 5, email, password: PASSWORD }, "username"],
    ["/api/auth/register", { username: name, email: ["x"], password: PASSWORD }, "email"],
    ["/api/auth/register", { username: name, email, password: { value: PASSWORD } }, "password"],
    ["/api/auth/register", { username: null, email, password: PASSWORD }, "username"],
    ["/api/auth/login", { login: true, password: PASSWORD }, "login"],
    ["/api/auth/login", { login: name, password: 12345678 }, "password"],
  ];
  for (const [path, body, field] of cases) {
    const res = await request("POST", path, { body });
    expectError(assert, res, 422, "validation_failed", field);
  }
});

// --- wrong credentials and the throttle ---

test("wrong password and unknown user are both 401 with the same message and no cookie", async () => {
  const { user } = await signUp();
  const ip = clientIp();
  const wrong = await login(user.username, "not the password", { ip });
  const wrongErr = expectError(assert, wrong, 401, "invalid_credentials");
  const unknown = await login(uniqueName("nobody"), PASSWORD, { ip });
  const unknownErr = expectError(assert, unknown, 401, "invalid_credentials");
  const unknownMail = await login(`${uniqueName("nobody")}@example.com`, PASSWORD, { ip });
  const unknownMailErr = expectError(assert, unknownMail, 401, "invalid_credentials");
  assert.equal(wrongErr.message, unknownErr.message, "never says which part was wrong");
  assert.equal(wrongErr.message, unknownMailErr.message);
  for (const err of [wrongErr, unknownErr]) assert.equal(err.field, undefined, "no field is blamed");
  for (const res of [wrong, unknown, unknownMail]) assert.equal(res.headers.getSetCookie().length, 0);
});

test("the 6th failed sign-in for one account is 429 with Retry-After; even the right password waits", async () => {
  const { user, password } = await signUp();
  const ip = clientIp();
  for (let i = 1; i <= 5; i++) {
    expectError(assert, await login(user.username, `wrong guess ${i}`, { ip }), 401, "invalid_credentials");
  }
  const sixth = await login(user.username, "wrong guess 6", { ip });
  expectError(assert, sixth, 429, "rate_limited");
  const retryAfter = sixth.headers.get("retry-after");
  assert.match(retryAfter ?? "", /^\d+$/, `Retry-After in seconds: ${retryAfter}`);
  assert.ok(Number(retryAfter) >= 1 && Number(retryAfter) <= 30, `first wait is at most 30 s: ${retryAfter}`);
  assert.match(sixth.json.error.message, new RegExp(`${retryAfter} seconds`));

  const right = await login(user.username, password, { ip });
  expectError(assert, right, 429, "rate_limited");
  assert.match(right.headers.get("retry-after") ?? "", /^\d+$/);
  assert.equal(right.headers.getSetCookie().length, 0, "no session while throttled");
  expectError(assert, await login(user.username.toUpperCase(), password, { ip }), 429, "rate_limited");

  // The throttle is per (client, account): another client, and another account, are not slowed.
  const elsewhere = await login(user.username, password, { ip: clientIp() });
  assert.equal(elsewhere.status, 200, elsewhere.text);
  const other = await signUp();
  const otherAccount = await login(other.user.username, other.password, { ip });
  assert.equal(otherAccount.status, 200, otherAccount.text);
});

test("the throttle counts the account, whether it is named by username or by email", async () => {
  const { user, password } = await signUp();
  const ip = clientIp();
  for (let i = 0; i < 5; i++) expectError(assert, await login(user.username, "wrong guess", { ip }), 401);
  // The same account named by its email must not buy five more guesses.
  expectError(assert, await login(user.email, "wrong guess", { ip }), 429, "rate_limited");
  expectError(assert, await login(user.email, password, { ip }), 429, "rate_limited");
});

test("a successful sign-in clears the account's failures", async () => {
  const { user, password } = await signUp();
  const ip = clientIp();
  for (let i = 0; i < 4; i++) expectError(assert, await login(user.username, "wrong guess", { ip }), 401);
  assert.equal((await login(user.username, password, { ip })).status, 200);
  for (let i = 0; i < 5; i++) {
    expectError(assert, await login(user.username, "wrong again", { ip }), 401, "invalid_credentials");
  }
  expectError(assert, await login(user.username, "wrong again", { ip }), 429, "rate_limited");
});

// --- sessions ---

test("sessions are stored only as hashes, passwords as self-describing PBKDF2", async () => {
  const { jar, user } = await signUp();
  const token = sessionToken(jar);
  const result = d1(
    `SELECT token_hash, expires_at, created_at FROM auth_sessions WHERE user_id = '${user.id}'; ` +
      `SELECT password_hash FROM auth_users WHERE id = '${user.id}'`,
  );
  const sessions = rows(result, 0);
  assert.equal(sessions.length, 1);
  assert.equal(sessions[0].token_hash, sha256Hex(token));
  assert.ok(!JSON.stringify(result).includes(token), "the token itself is nowhere");
  const ttlDays = (sessions[0].expires_at - sessions[0].created_at) / 86_400_000;
  assert.ok(ttlDays >= 1 && ttlDays <= 90, `a bounded session lifetime: ${ttlDays} days`);
  const [{ password_hash }] = rows(result, 1);
  assert.match(password_hash, /^pbkdf2-sha256\$100000\$[^$]+\$[^$]+$/);
  assert.ok(!password_hash.includes(PASSWORD));
});

test("an expired session is 401 and its row is deleted; other sessions live on", async () => {
  const { jar, user, password } = await signUp();
  const other = await login(user.username, password, { ip: clientIp() });
  assert.equal(other.status, 200);
  const hash = sha256Hex(sessionToken(jar));
  d1(`UPDATE auth_sessions SET expires_at = ${Date.now() - 1000} WHERE token_hash = '${hash}'`);

  const me = await request("GET", "/api/auth/me", { jar });
  expectError(assert, me, 401, "unauthenticated");
  const left = rows(d1(`SELECT token_hash FROM auth_sessions WHERE user_id = '${user.id}'`));
  assert.deepEqual(
    left.map((r) => r.token_hash),
    [sha256Hex(sessionToken(other.jar))],
    "the expired row is gone, the other session's remains",
  );
  assert.equal((await request("GET", "/api/auth/me", { jar: other.jar })).status, 200);
});

// --- the account ---

test("PATCH me changes the display name and the email", async () => {
  const { jar, user, password } = await signUp();
  const renamed = await request("PATCH", "/api/auth/me", { body: { display_name: "  Ada Lovelace  " }, jar });
  assert.equal(renamed.status, 200, renamed.text);
  assertUser(renamed.json, { username: user.username, email: user.email, display_name: "Ada Lovelace" });
  assert.equal(renamed.json.id, user.id);
  assert.equal(renamed.json.created_at, user.created_at);

  const newEmail = `${uniqueName("new")}@Example.com`;
  const moved = await request("PATCH", "/api/auth/me", { body: { email: newEmail }, jar });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.json.email, newEmail.toLowerCase());
  assert.equal(moved.json.display_name, "Ada Lovelace", "fields not sent stay as they were");
  const me = await request("GET", "/api/auth/me", { jar });
  assert.deepEqual(me.json, moved.json);

  const ip = clientIp();
  assert.equal((await login(newEmail, password, { ip })).status, 200, "signs in with the new email");
  expectError(assert, await login(user.email, password, { ip }), 401, "invalid_credentials");
  // Sending the current email again is no change, not a conflict with oneself.
  const same = await request("PATCH", "/api/auth/me", { body: { email: newEmail.toUpperCase() }, jar });
  assert.equal(same.status, 200, same.text);
  assert.equal(same.json.email, newEmail.toLowerCase());
  // And the freed address can be taken by someone else.
  const taker = await register(registration({ email: user.email }));
  assert.equal(taker.status, 201, taker.text);
});

test("PATCH me: an email of another account is 409; bad fields are 422", async () => {
  const a = await signUp();
  const b = await signUp();
  const res = await request("PATCH", "/api/auth/me", { body: { email: b.user.email.toUpperCase() }, jar: a.jar });
  expectError(assert, res, 409, "email_taken", "email");
  assert.equal((await request("GET", "/api/auth/me", { jar: a.jar })).json.email, a.user.email, "unchanged");

  for (const [body, field] of [
    [{ display_name: "x".repeat(65) }, "display_name"],
    [{ display_name: "   " }, "display_name"],
    [{ display_name: "bell\u0007" }, "display_name"],
    [{ display_name: 42 }, "display_name"],
    [{ email: "not an email" }, "email"],
    [{ new_password: "short", current_password: a.password }, "new_password"],
  ]) {
    expectError(assert, await request("PATCH", "/api/auth/me", { body, jar: a.jar }), 422, "validation_failed", field);
  }
  expectError(assert, await request("PATCH", "/api/auth/me", { body: {}, jar: a.jar }), 422, "validation_failed");
  expectError(assert, await request("PATCH", "/api/auth/me", { body: "{", jar: a.jar }), 400, "malformed_json");
  expectError(assert, await request("PATCH", "/api/auth/me", { body: { display_name: "x" } }), 401, "unauthenticated");
});

test("a password change needs the current password and ends the other sessions", async () => {
  const { jar, user, password } = await signUp();
  const ip = clientIp();
  const other = await login(user.username, password, { ip });
  assert.equal(other.status, 200);
  const newPassword = "a brand new passphrase";

  const missing = await request("PATCH", "/api/auth/me", { body: { new_password: newPassword }, jar });
  expectError(assert, missing, 422, "validation_failed", "current_password");
  const wrong = await request("PATCH", "/api/auth/me", {
    body: { new_password: newPassword, current_password: "not my password" },
    jar,
  });
  expectError(assert, wrong, 422, "validation_failed", "current_password");
  assert.equal((await request("GET", "/api/auth/me", { jar: other.jar })).status, 200, "refusals end nothing");
  assert.equal((await login(user.username, password, { ip })).status, 200, "the old password still works");

  const changed = await request("PATCH", "/api/auth/me", {
    body: { new_password: newPassword, current_password: password },
    jar,
  });
  assert.equal(changed.status, 200, changed.text);
  assertUser(changed.json, { username: user.username, email: user.email });

  assert.equal((await request("GET", "/api/auth/me", { jar })).status, 200, "this session stays");
  expectError(assert, await request("GET", "/api/auth/me", { jar: other.jar }), 401, "unauthenticated");
  expectError(assert, await login(user.username, password, { ip }), 401, "invalid_credentials");
  const fresh = await login(user.username, newPassword, { ip });
  assert.equal(fresh.status, 200, fresh.text);
});

test("wrong current passwords on a password change are throttled like sign-ins", async () => {
  const { jar, password } = await signUp();
  const ip = clientIp();
  const attempt = (current) =>
    request("PATCH", "/api/auth/me", {
      body: { new_password: "a brand new passphrase", current_password: current },
      jar,
      headers: { "CF-Connecting-IP": ip },
    });
  for (let i = 0; i < 5; i++) expectError(assert, await attempt(`guess number ${i}`), 422, "validation_failed", "current_password");
  const throttled = await attempt("guess number 6");
  expectError(assert, throttled, 429, "rate_limited");
  assert.ok(Number(throttled.headers.get("retry-after")) > 0, "Retry-After says how long");
  expectError(assert, await attempt(password), 429, "rate_limited");
});

// --- API keys ---

test("API key: create → use as Bearer → listed without the secret → revoke → 401", async () => {
  const { jar, user } = await signUp();
  const created = await request("POST", "/api/auth/keys", { body: { label: "  CI deploys " }, jar });
  assert.equal(created.status, 201, created.text);
  const k = created.json;
  assert.deepEqual(Object.keys(k).sort(), ["created_at", "id", "key", "label", "last_used_at", "prefix"]);
  assert.match(k.id, ULID);
  assert.equal(k.label, "CI deploys");
  assert.match(k.key, API_KEY);
  assert.equal(k.prefix, k.key.slice(0, 12));
  assert.match(k.created_at, RFC3339);
  assert.equal(k.last_used_at, null);

  // The key alone (no cookie) is the user.
  const me = await request("GET", "/api/auth/me", { headers: bearer(k.key) });
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.id, user.id);
  assert.equal(me.json.username, user.username);
  const lower = await request("GET", "/api/auth/me", { headers: { authorization: `bearer ${k.key}` } });
  assert.equal(lower.status, 200, "the scheme is case-insensitive");

  const list = await request("GET", "/api/auth/keys", { jar });
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(Object.keys(list.json), ["keys"]);
  assert.equal(list.json.keys.length, 1);
  const [listed] = list.json.keys;
  assert.deepEqual(Object.keys(listed).sort(), ["created_at", "id", "label", "last_used_at", "prefix"]);
  assert.deepEqual(
    { id: listed.id, label: listed.label, prefix: listed.prefix, created_at: listed.created_at },
    { id: k.id, label: k.label, prefix: k.prefix, created_at: k.created_at },
  );
  assert.match(listed.last_used_at ?? "", RFC3339, "using the key recorded when");
  assert.ok(!list.text.includes(k.key), "the key is never listed");
  assert.ok(!list.text.includes(sha256Hex(k.key)), "nor its hash");
  const viaKey = await request("GET", "/api/auth/keys", { headers: bearer(k.key) });
  assert.deepEqual(viaKey.json, list.json, "a key can list the keys too");

  const stored = rows(d1(`SELECT key_hash FROM auth_api_keys WHERE id = '${k.id}'`));
  assert.deepEqual(stored, [{ key_hash: sha256Hex(k.key) }], "stored as its SHA-256 only");

  const revoked = await request("DELETE", `/api/auth/keys/${k.id}`, { jar });
  assert.equal(revoked.status, 204, revoked.text);
  assert.equal(revoked.text, "");
  expectError(assert, await request("GET", "/api/auth/me", { headers: bearer(k.key) }), 401, "unauthenticated");
  assert.deepEqual((await request("GET", "/api/auth/keys", { jar })).json, { keys: [] });
  expectError(assert, await request("DELETE", `/api/auth/keys/${k.id}`, { jar }), 404, "not_found");
});

test("keys are listed newest first, and each works on its own", async () => {
  const { jar } = await signUp();
  const first = await createKey(jar, "first");
  const second = await createKey(jar, "second");
  const list = await request("GET", "/api/auth/keys", { jar });
  assert.deepEqual(list.json.keys.map((key) => key.label), ["second", "first"]);
  assert.notEqual(first.key, second.key);
  assert.equal((await request("DELETE", `/api/auth/keys/${second.id}`, { jar })).status, 204);
  assert.equal((await request("GET", "/api/auth/me", { headers: bearer(first.key) })).status, 200);
  expectError(assert, await request("GET", "/api/auth/me", { headers: bearer(second.key) }), 401);
});

test("one user cannot revoke another's key (404), and the key keeps working", async () => {
  const alice = await signUp();
  const bob = await signUp();
  const key = await createKey(alice.jar, "alice's");
  expectError(assert, await request("DELETE", `/api/auth/keys/${key.id}`, { jar: bob.jar }), 404, "not_found");
  const bobKey = await createKey(bob.jar, "bob's");
  expectError(assert, await request("DELETE", `/api/auth/keys/${key.id}`, { headers: bearer(bobKey.key) }), 404, "not_found");
  assert.equal((await request("GET", "/api/auth/me", { headers: bearer(key.key) })).json?.id, alice.user.id);
  assert.deepEqual((await request("GET", "/api/auth/keys", { jar: alice.jar })).json.keys.map((k) => k.id), [key.id]);
  assert.deepEqual(
    (await request("GET", "/api/auth/keys", { jar: bob.jar })).json.keys.map((k) => k.id),
    [bobKey.id],
    "each sees only their own keys",
  );
  // Unknown and malformed IDs are 404 too.
  for (const id of ["01JDZ8W9Q3M5X6Y7Z8A9B0C1D2", "not-an-id", "%20"]) {
    expectError(assert, await request("DELETE", `/api/auth/keys/${id}`, { jar: alice.jar }), 404, "not_found");
  }
  expectError(assert, await request("DELETE", `/api/auth/keys/${key.id}`), 401, "unauthenticated");
});

test("key creation: label rules, and 401 without credentials", async () => {
  const { jar } = await signUp();
  for (const [body, field] of [
    [{}, "label"],
    [{ label: "   " }, "label"],
    [{ label: "x".repeat(65) }, "label"],
    [{ label: 7 }, "label"],
  ]) {
    expectError(assert, await request("POST", "/api/auth/keys", { body, jar }), 422, "validation_failed", field);
  }
  expectError(assert, await request("POST", "/api/auth/keys", { body: { label: "x" } }), 401, "unauthenticated");
  expectError(assert, await request("GET", "/api/auth/keys"), 401, "unauthenticated");
});

test("a bad, revoked or malformed Authorization is 401 even with a valid session cookie", async () => {
  const { jar } = await signUp();
  const revoked = await createKey(jar, "soon gone");
  assert.equal((await request("DELETE", `/api/auth/keys/${revoked.id}`, { jar })).status, 204);
  const unknownKey = `dzk_${randomBytes(32).toString("base64url")}`;
  const headers = [
    `Bearer ${unknownKey}`,
    `Bearer ${revoked.key}`,
    "Basic YWRhOmNvcnJlY3QgaG9yc2U=",
    "Bearer",
    "Bearer dzk_short",
    `Token ${unknownKey}`,
    `Bearer ${sessionToken(jar)}`,
    `Bearer ${unknownKey.replace("dzk_", "xyz_")}`,
  ];
  for (const authorization of headers) {
    const res = await request("GET", "/api/auth/me", { headers: { authorization }, jar });
    expectError(assert, res, 401, "unauthenticated");
  }
  assert.equal((await request("GET", "/api/auth/me", { jar })).status, 200, "the cookie alone still works");
});

// --- cross-site requests ---

test("cookie-authenticated mutations from another site are 403; same-origin ones work", async () => {
  const { jar, user } = await signUp();
  const patch = (headers, display_name = "Changed") =>
    request("PATCH", "/api/auth/me", { body: { display_name }, jar, headers });
  const foreign = [
    { origin: "https://evil.example" },
    { origin: "null" },
    { origin: BASE.replace("127.0.0.1", "localhost") },
    { "sec-fetch-site": "cross-site" },
    { "sec-fetch-site": "same-site" },
    { origin: BASE, "sec-fetch-site": "cross-site" },
    { origin: "https://evil.example", "sec-fetch-site": "same-origin" },
  ];
  for (const headers of foreign) {
    expectError(assert, await patch(headers), 403, "cross_site_request");
  }
  assert.equal((await request("GET", "/api/auth/me", { jar })).json.display_name, user.display_name, "nothing changed");

  for (const [headers, name] of [
    [{ "sec-fetch-site": "same-origin" }, "Same origin"],
    [{ origin: BASE }, "Own origin"],
    [{ origin: BASE, "sec-fetch-site": "same-origin" }, "Both"],
    [{ "sec-fetch-site": "none" }, "Typed"],
  ]) {
    const res = await patch(headers, name);
    assert.equal(res.status, 200, `${JSON.stringify(headers)}: ${res.text}`);
    assert.equal(res.json.display_name, name);
  }

  const evil = { origin: "https://evil.example", "sec-fetch-site": "cross-site" };
  expectError(assert, await request("POST", "/api/auth/keys", { body: { label: "x" }, jar, headers: evil }), 403, "cross_site_request");
  expectError(assert, await request("POST", "/api/auth/logout", { jar, headers: evil }), 403, "cross_site_request");
  assert.equal((await request("GET", "/api/auth/me", { jar })).status, 200, "the forged logout ended nothing");
  const key = await createKey(jar);
  expectError(assert, await request("DELETE", `/api/auth/keys/${key.id}`, { jar, headers: evil }), 403, "cross_site_request");
  assert.equal((await request("GET", "/api/auth/me", { headers: bearer(key.key) })).status, 200, "the key survived");
  // Reading is not a mutation.
  assert.equal((await request("GET", "/api/auth/me", { jar, headers: evil })).status, 200);
  // Programs with an API key are not a browser's victims.
  const programmatic = await request("PATCH", "/api/auth/me", {
    body: { display_name: "By key" },
    headers: { ...bearer(key.key), ...evil },
  });
  assert.equal(programmatic.status, 200, programmatic.text);
  // Sign-up and sign-in cannot be forged from another site either.
  expectError(assert, await register(registration(), { headers: evil }), 403, "cross_site_request");
  expectError(assert, await login(user.username, PASSWORD, { headers: evil }), 403, "cross_site_request");
});
