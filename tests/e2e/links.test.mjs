// Links, the URL shortener, end to end against a real `wrangler dev`: creating links (anonymous
// and signed in), the URL and alias rules, the redirect at `/{code}` (status, Location, query
// strings, expiry, passwords, HEAD), owner-only reads and edits, the seed's `POST /shorten`,
// click statistics (exact under concurrency, bots apart, unique visitors, referrers, days in a
// time zone) and the owner's list (cursor pages, search, tags). Every test makes its own users,
// links (unique URLs) and client addresses, so the tests do not depend on each other or on
// their order.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import http from "node:http";
import { test } from "node:test";
import { BASE, Jar, clientIp, d1, expectError, request, rows, signUp } from "../support/api.mjs";

const CODE = /^[0-9A-Za-z]{7}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const DAY_MS = 86_400_000;
const VIEW_KEYS = [
  "clicks",
  "code",
  "created_at",
  "domain",
  "expires_at",
  "password_protected",
  "redirect_type",
  "short_url",
  "tags",
  "updated_at",
  "url",
].sort();
const STATS_KEYS = [
  "browsers",
  "bot_clicks",
  "by_day",
  "clicks",
  "code",
  "countries",
  "devices",
  "from",
  "operating_systems",
  "referrers",
  "tz",
  "to",
  "unique_visitors",
].sort();

// User agents of people (and of bots, which must be counted apart).
const UA = {
  chromeWindows:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
  safariIphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  firefoxMac: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:127.0) Gecko/20100101 Firefox/127.0",
};
const BOT_UAS = ["Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", "facebookexternalhit/1.1", "curl/8.0"];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A destination no other test uses (so "same URL again" never finds another test's link). */
function uniqueUrl(path = "page") {
  return `https://dest-${randomBytes(5).toString("hex")}.example/${path}`;
}

/** An alias no other test uses: letters, digits and a dash (never the generated 7-char shape). */
function uniqueAlias(prefix = "al") {
  return `${prefix}-${randomBytes(5).toString("hex")}`;
}

/**
 * POST /api/links. Anonymous creations are limited per address, so each comes from a fresh
 * address unless the test names one (signed-in callers are limited per account or key).
 */
function create(body, { jar, headers = {} } = {}) {
  return request("POST", "/api/links", { body, jar, headers: { "cf-connecting-ip": clientIp(), ...headers } });
}

/**
 * Like `request`, on a connection of its own that is closed afterwards. For bursts of hundreds
 * of parallel requests: fetch's keep-alive pool would reuse idle sockets the dev server may be
 * closing at that moment ("other side closed"), which says nothing about the worker.
 */
function requestOnNewConnection(method, path, { body, headers = {} } = {}) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const h = { connection: "close", ...headers };
  if (payload !== undefined) {
    h["content-type"] = "application/json";
    h["content-length"] = Buffer.byteLength(payload);
  }
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, BASE), { method, headers: h, agent: false }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode, headers: new Headers(res.headers), json, text });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(payload);
  });
}

/** The seed's POST /shorten, from a fresh address. */
function shorten(body, headers = {}) {
  return request("POST", "/shorten", { body, headers: { "cf-connecting-ip": clientIp(), ...headers } });
}

/** Creates a link and insists on 201; returns the LinkView. */
async function created(body, opts) {
  const res = await create(body, opts);
  assert.equal(res.status, 201, `create ${JSON.stringify(body)}: ${res.status} ${res.text}`);
  return res.json;
}

/** Follows a short link one hop: GET (or `method`) `/{code}{suffix}`, redirects not followed. */
function visit(code, { method = "GET", suffix = "", headers = {} } = {}) {
  return request(method, `/${code}${suffix}`, { headers });
}

/** A browser-like visit from a fresh address (so every visit is its own visitor). */
function humanVisit(code, { ip = clientIp(), ua = UA.chromeWindows, headers = {}, suffix = "" } = {}) {
  return visit(code, { suffix, headers: { "user-agent": ua, "cf-connecting-ip": ip, ...headers } });
}

function stats(jar, code, params = {}) {
  const qs = new URLSearchParams(params).toString();
  return request("GET", `/api/links/${code}/stats${qs ? `?${qs}` : ""}`, { jar });
}

/**
 * Clicks reach D1 through the clicks queue, about a second after the redirect answered: polls
 * the stats until `done` holds (at most 5 s), then waits a little more and reads them once
 * again, so a click too many would show as well as one too few.
 */
async function settledStats(jar, code, done, params = {}) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const res = await stats(jar, code, params);
    assert.equal(res.status, 200, res.text);
    if (done(res.json) || Date.now() > deadline) break;
    await sleep(100);
  }
  await sleep(400);
  const res = await stats(jar, code, params);
  assert.equal(res.status, 200, res.text);
  return res.json;
}

/**
 * All clicks of a run come from one country: the request's Cloudflare country, which locally is
 * wrangler's placeholder ("US" when it cannot fetch the real `cf` object) or "unknown" when absent.
 */
function assertOneCountry(countries, clicks) {
  assert.equal(countries.length, 1, JSON.stringify(countries));
  assert.match(countries[0].key, /^([A-Z]{2}|unknown)$/);
  assert.equal(countries[0].clicks, clicks);
}

/** A LinkView: exactly these fields, with these values. */
function assertView(view, expected = {}) {
  assert.deepEqual(Object.keys(view).sort(), VIEW_KEYS, JSON.stringify(view));
  assert.equal(typeof view.code, "string");
  assert.equal(view.short_url, `${BASE}/${view.code}`);
  assert.match(view.created_at, RFC3339);
  assert.match(view.updated_at, RFC3339);
  assert.ok(Date.parse(view.updated_at) >= Date.parse(view.created_at));
  assert.ok(Math.abs(Date.parse(view.created_at) - Date.now()) < 10 * 60_000, `created_at ${view.created_at} is about now`);
  assert.ok(Array.isArray(view.tags));
  assert.equal(typeof view.clicks, "number");
  const defaults = {
    domain: null,
    redirect_type: 302,
    expires_at: null,
    password_protected: false,
    tags: [],
    clicks: 0,
  };
  for (const [key, value] of Object.entries({ ...defaults, ...expected })) {
    assert.deepEqual(view[key], value, `${key} of ${JSON.stringify(view)}`);
  }
}

/** A redirect response: `status`, `Location`, no body. */
function assertRedirect(res, status, location) {
  assert.equal(res.status, status, `expected ${status} to ${location}, got ${res.status}: ${res.text}`);
  assert.equal(res.headers.get("location"), location);
  assert.equal(res.text, "");
}

/** A worker-rendered HTML page with `status`; returns its text. */
function assertPage(res, status) {
  assert.equal(res.status, status, `expected an HTML ${status}, got ${res.status}: ${res.text.slice(0, 300)}`);
  assert.match(res.headers.get("content-type") ?? "", /^text\/html\b/);
  assert.match(res.text, /^<!doctype html>/i);
  assert.equal(res.headers.get("location"), null);
  return res.text;
}

const HTML = { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };
const FORM = { "content-type": "application/x-www-form-urlencoded" };

async function createKey(jar) {
  const res = await request("POST", "/api/auth/keys", { body: { label: "links e2e" }, jar });
  assert.equal(res.status, 201, res.text);
  return res.json.key;
}

// --- create → redirect → stats ---

test("create → redirect (302 + Location) → the click shows in stats and on the link", async () => {
  const { jar } = await signUp();
  const url = uniqueUrl("landing?utm_source=e2e");
  const res = await create({ url }, { jar });
  assert.equal(res.status, 201, res.text);
  assert.match(res.headers.get("content-type") ?? "", /^application\/json\b/);
  const link = res.json;
  assertView(link, { url });
  assert.match(link.code, CODE, "a generated code is 7 characters of [0-9A-Za-z]");

  const hop = await humanVisit(link.code);
  assertRedirect(hop, 302, url);
  // Codes are case-sensitive: the same letters in another case are another (unknown) code.
  const swapped = [...link.code].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join("");
  if (swapped !== link.code) expectError(assert, await visit(swapped), 404, "not_found");

  const s = await settledStats(jar, link.code, (x) => x.clicks >= 1);
  assert.deepEqual(Object.keys(s).sort(), STATS_KEYS);
  assert.equal(s.code, link.code);
  assert.equal(s.clicks, 1);
  assert.equal(s.unique_visitors, 1);
  assert.equal(s.bot_clicks, 0);
  assertOneCountry(s.countries, 1);

  const got = await request("GET", `/api/links/${link.code}`, { jar });
  assert.equal(got.status, 200, got.text);
  assertView(got.json, { url, clicks: 1, code: link.code, created_at: link.created_at });
});

test("an unknown code is 404: JSON for programs, an HTML page for browsers", async () => {
  const code = `nope-${randomBytes(4).toString("hex")}`;
  expectError(assert, await visit(code), 404, "not_found");
  expectError(assert, await visit(code, { headers: { accept: "application/json" } }), 404, "not_found");
  const page = assertPage(await visit(code, { headers: HTML }), 404);
  assert.ok(page.includes(code), "the page names the address");
  // A generated-shape code that was never issued.
  expectError(assert, await visit("zzzzzzz"), 404, "not_found");
});

// --- anonymous vs signed in ---

test("anonymous callers may shorten plain links, with a redirect type or an expiry", async () => {
  const url = uniqueUrl();
  const link = await created({ url });
  assertView(link, { url });
  assert.match(link.code, CODE);
  assertRedirect(await visit(link.code), 302, url);

  const permanent = await created({ url: uniqueUrl(), redirect_type: 301 });
  assertView(permanent, { redirect_type: 301 });
  assertRedirect(await visit(permanent.code), 301, permanent.url);

  const expires = new Date(Date.now() + DAY_MS).toISOString();
  const expiring = await created({ url: uniqueUrl(), expires_at: expires });
  assertView(expiring, { expires_at: expires });
  assertRedirect(await visit(expiring.code), 302, expiring.url);
});

test("alias, password and domain need an account: 401 unauthenticated naming the field", async () => {
  for (const [field, extra] of [
    ["alias", { alias: uniqueAlias() }],
    ["password", { password: "open sesame" }],
    ["domain", { domain: "short.example" }],
  ]) {
    const res = await create({ url: uniqueUrl(), ...extra });
    const err = expectError(assert, res, 401, "unauthenticated", field);
    assert.ok(err.message.length > 10, err.message);
  }
  // Nothing was stored for the refused attempts.
  const again = await create({ url: uniqueUrl(), alias: "anon-attempt-x" });
  expectError(assert, again, 401, "unauthenticated", "alias");
  expectError(assert, await visit("anon-attempt-x"), 404, "not_found");
});

test("a stale session cookie is treated as anonymous; a bad API key is 401", async () => {
  const stale = await create({ url: uniqueUrl() }, { headers: { cookie: "dozen_session=not-a-real-session-token" } });
  assert.equal(stale.status, 201, stale.text);
  const badKey = await create({ url: uniqueUrl() }, { headers: { authorization: `Bearer dzk_${"A".repeat(43)}` } });
  expectError(assert, badKey, 401, "unauthenticated");
});

test("signed-in users (cookie or API key) get alias, password, expiry, tags and 301", async () => {
  const { jar } = await signUp();
  const alias = uniqueAlias("mine");
  const expires = new Date(Date.now() + 3 * DAY_MS).toISOString();
  const link = await created(
    { url: uniqueUrl(), alias, password: "open sesame", expires_at: expires, tags: ["Launch"], redirect_type: 301 },
    { jar },
  );
  assertView(link, {
    code: alias,
    redirect_type: 301,
    expires_at: expires,
    password_protected: true,
    tags: ["launch"],
  });

  const key = await createKey(jar);
  assert.ok(key, "the API key is returned once");
  const viaKey = await created({ url: uniqueUrl(), alias: uniqueAlias("key") }, { headers: { authorization: `Bearer ${key}` } });
  assertView(viaKey);
  const listed = await request("GET", "/api/links?limit=100", { jar });
  assert.equal(listed.status, 200, listed.text);
  const codes = listed.json.links.map((l) => l.code);
  assert.ok(codes.includes(viaKey.code) && codes.includes(alias), "links made with the key belong to the key's owner");
});

test("a custom domain nobody registered is 422 naming domain", async () => {
  const { jar } = await signUp();
  expectError(assert, await create({ url: uniqueUrl(), domain: "short.example" }, { jar }), 422, "validation_failed", "domain");
});

test("the same URL again by the same caller is 200 with the existing link; force_new makes another", async () => {
  const alice = await signUp();
  const bob = await signUp();
  const url = uniqueUrl();
  const first = await created({ url }, { jar: alice.jar });
  const again = await create({ url }, { jar: alice.jar });
  assert.equal(again.status, 200, again.text);
  assert.deepEqual(again.json, first, "the very same link");

  // "The same URL" is the same after normalisation: the host's case and surrounding spaces do not matter.
  const shouted = url.replace(/^https:\/\/([^/]+)/, (_, h) => `HTTPS://${h.toUpperCase()}`);
  const normalised = await create({ url: `  ${shouted} ` }, { jar: alice.jar });
  assert.equal(normalised.status, 200, normalised.text);
  assert.equal(normalised.json.code, first.code);

  const forced = await create({ url, force_new: true }, { jar: alice.jar });
  assert.equal(forced.status, 201, forced.text);
  assert.notEqual(forced.json.code, first.code);
  assertView(forced.json, { url });

  const bobs = await create({ url }, { jar: bob.jar });
  assert.equal(bobs.status, 201, "another user's link is not reused");
  assert.notEqual(bobs.json.code, first.code);
  assert.notEqual(bobs.json.code, forced.json.code);

  // A link with an alias, a password or an expiry is never the one handed back.
  const aliased = await created({ url, alias: uniqueAlias() }, { jar: alice.jar });
  const expiring = await created({ url, expires_at: new Date(Date.now() + DAY_MS).toISOString() }, { jar: alice.jar });
  assert.notEqual(aliased.code, expiring.code);
  const plainAgain = await create({ url }, { jar: alice.jar });
  assert.equal(plainAgain.status, 200, plainAgain.text);
  assert.ok([first.code, forced.json.code].includes(plainAgain.json.code), `a plain link comes back, not ${plainAgain.json.code}`);

  const anon = await create({ url });
  assert.equal(anon.status, 201, "an anonymous caller never gets a signed-in user's link");
  const anonAgain = await create({ url });
  assert.equal(anonAgain.status, 200, anonAgain.text);
  assert.equal(anonAgain.json.code, anon.json.code);
});

test("200 parallel anonymous creations with force_new give 200 distinct 7-character codes", async () => {
  const url = uniqueUrl("burst");
  const results = await Promise.all(
    Array.from({ length: 200 }, () =>
      requestOnNewConnection("POST", "/api/links", { body: { url, force_new: true }, headers: { "cf-connecting-ip": clientIp() } }),
    ),
  );
  const statuses = results.map((r) => r.status);
  assert.deepEqual(statuses.filter((s) => s !== 201), [], `all 201: ${results.find((r) => r.status !== 201)?.text}`);
  const codes = results.map((r) => r.json.code);
  for (const code of codes) assert.match(code, CODE);
  assert.equal(new Set(codes).size, 200, "no two creations got the same code");
  const stored = rows(d1(`SELECT COUNT(DISTINCT code) AS n FROM links WHERE url = '${url}'`))[0].n;
  assert.equal(stored, 200);
  // Each one redirects.
  for (const code of codes.slice(0, 10)) assertRedirect(await visit(code), 302, url);
});

// --- URL rules ---

test("each URL rule refuses with 422 naming url, each with its own message", async () => {
  const { jar } = await signUp();
  const host = new URL(BASE).host;
  const cases = {
    empty: [""],
    missing: [undefined],
    too_long: [`https://e.example/${"a".repeat(2049 - "https://e.example/".length)}`],
    not_absolute: ["example.com/path", "/relative/path", "just some words"],
    scheme: ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "ftp://files.example/f.zip", "mailto:a@b.example"],
    no_host: ["http://", "https://"],
    own_host: [`${BASE}/abcdefg`, `http://${host}/x`, "http://127.0.0.1/loop", "https://127.0.0.1:8443/loop"],
    userinfo: ["https://user:pass@e.example/", "https://user@e.example/"],
  };
  const messages = {};
  for (const [rule, urls] of Object.entries(cases)) {
    for (const url of urls) {
      const body = url === undefined ? {} : { url };
      const res = await create(body, { jar });
      const err = expectError(assert, res, 422, "validation_failed", "url");
      messages[rule] ??= new Set();
      messages[rule].add(err.message);
    }
  }
  // Empty and missing are the same rule; every other rule explains itself differently.
  const distinct = ["empty", "too_long", "not_absolute", "scheme", "no_host", "own_host", "userinfo"].map(
    (rule) => [...messages[rule]][0],
  );
  assert.equal(new Set(distinct).size, distinct.length, `one message per rule: ${JSON.stringify(distinct, null, 1)}`);
  // The message of a refused scheme or an own-host link says why, not just "invalid".
  assert.match([...messages.scheme][0], /http/i);
  assert.match([...messages.too_long][0], /2,?048/);

  // Exactly 2,048 characters is allowed; anonymous callers get the same rules.
  const max = `https://e.example/${"b".repeat(2048 - "https://e.example/".length)}`;
  assert.equal(max.length, 2048);
  const ok = await created({ url: max }, { jar });
  assert.equal(ok.url, max);
  assertRedirect(await visit(ok.code), 302, max);
  expectError(assert, await create({ url: "javascript:alert(1)" }), 422, "validation_failed", "url");
  expectError(assert, await shorten({ url: `${BASE}/x` }), 422, "validation_failed", "url");
});

test("bad field types are 422 naming the field, never a 500", async () => {
  const { jar } = await signUp();
  for (const [body, field] of [
    [{ url: uniqueUrl(), redirect_type: 307 }, "redirect_type"],
    [{ url: uniqueUrl(), redirect_type: "301" }, "redirect_type"],
    [{ url: uniqueUrl(), expires_at: "tomorrow" }, "expires_at"],
    [{ url: uniqueUrl(), expires_at: new Date(Date.now() - 60_000).toISOString() }, "expires_at"],
    [{ url: uniqueUrl(), tags: "launch" }, "tags"],
    [{ url: uniqueUrl(), tags: [""] }, "tags"],
    [{ url: uniqueUrl(), tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }, "tags"],
    [{ url: uniqueUrl(), tags: ["x".repeat(33)] }, "tags"],
    [{ url: uniqueUrl(), password: "abc" }, "password"],
    [{ url: 42 }, "url"],
  ]) {
    expectError(assert, await create(body, { jar }), 422, "validation_failed", field);
  }
  expectError(assert, await create("not json", { jar }), 400, "malformed_json");
  expectError(assert, await create([1, 2], { jar }), 422, "validation_failed");
  const wrongType = await request("POST", "/api/links", { body: "url=x", jar, headers: FORM });
  expectError(assert, wrongType, 415, "unsupported_media_type");
  const huge = await create({ url: uniqueUrl(), tags: ["x".repeat(70_000)] }, { jar });
  expectError(assert, huge, 413, "payload_too_large");
});

test("tags are trimmed, lower-cased and de-duplicated", async () => {
  const { jar } = await signUp();
  const link = await created({ url: uniqueUrl(), tags: [" Launch ", "launch", "Q4"] }, { jar });
  assert.deepEqual(link.tags, ["launch", "q4"]);
});

// --- aliases ---

test("reserved aliases are 422 naming alias, whatever their case", async () => {
  const { jar } = await signUp();
  const reserved = ["links", "account", "api", "admin", "assets", "icons", "shorten", "signin", "signup", "offline", "health", "static", "stays", "poker"];
  for (const alias of [...reserved, "API", "Links", "Admin", "SHORTEN", "Poker"]) {
    const res = await create({ url: uniqueUrl(), alias }, { jar });
    const err = expectError(assert, res, 422, "validation_failed", "alias");
    assert.match(err.message, /reserved/i, `${alias}: ${err.message}`);
  }
  // Root files are refused too (their dot is not an alias character).
  for (const alias of ["sw.js", "robots.txt", "index.html", "favicon.ico"]) {
    expectError(assert, await create({ url: uniqueUrl(), alias }, { jar }), 422, "validation_failed", "alias");
  }
});

test("alias shape: 3–64 of [A-Za-z0-9_-], not the generated 7-letter shape", async () => {
  const { jar } = await signUp();
  for (const alias of ["ab", "x".repeat(65), "has space", "dot.ted", "sl/ash", "ünï-code", "", "abcDEF1", "1234567"]) {
    expectError(assert, await create({ url: uniqueUrl(), alias }, { jar }), 422, "validation_failed", "alias");
  }
  const generatedShape = await create({ url: uniqueUrl(), alias: "Launch7" }, { jar });
  const err = expectError(assert, generatedShape, 422, "validation_failed", "alias");
  assert.match(err.message, /generated|seven|7/i, "says why a 7-letter alias is refused");

  const tag = randomBytes(3).toString("hex");
  for (const alias of [`a_${tag}`, `${"y".repeat(58)}${tag}`, `lau-ch7`, `Up-${tag}`]) {
    const link = await created({ url: uniqueUrl(), alias }, { jar });
    assert.equal(link.code, alias);
    assertRedirect(await visit(alias), 302, link.url);
  }
});

test("aliases are case-sensitive: Sale-X and sale-x are two links", async () => {
  const { jar } = await signUp();
  const base = `Sale-${randomBytes(3).toString("hex")}`;
  const upper = await created({ url: uniqueUrl("upper"), alias: base }, { jar });
  const lower = await created({ url: uniqueUrl("lower"), alias: base.toLowerCase() }, { jar });
  assertRedirect(await visit(base), 302, upper.url);
  assertRedirect(await visit(base.toLowerCase()), 302, lower.url);
});

test("a taken alias is 409 alias_taken naming alias, for its owner and for anyone else", async () => {
  const alice = await signUp();
  const bob = await signUp();
  const alias = uniqueAlias("taken");
  const first = await created({ url: uniqueUrl(), alias }, { jar: alice.jar });
  expectError(assert, await create({ url: uniqueUrl(), alias }, { jar: bob.jar }), 409, "alias_taken", "alias");
  expectError(assert, await create({ url: first.url, alias }, { jar: alice.jar }), 409, "alias_taken", "alias");
  assertRedirect(await visit(alias), 302, first.url);
});

test("50 users racing for one alias: exactly one 201, 49 × 409, and the winner's link redirects", async () => {
  const users = [];
  for (let i = 0; i < 50; i += 10) {
    users.push(...(await Promise.all(Array.from({ length: 10 }, () => signUp()))));
  }
  const alias = uniqueAlias("race");
  const urls = users.map((_, i) => uniqueUrl(`u${i}`));
  const results = await Promise.all(users.map((u, i) => create({ url: urls[i], alias }, { jar: u.jar })));
  const won = results.filter((r) => r.status === 201);
  const lost = results.filter((r) => r.status === 409);
  assert.equal(won.length, 1, `one winner: ${results.map((r) => r.status).join(",")}`);
  const odd = results.filter((r) => r.status !== 201 && r.status !== 409).map((r) => `${r.status} ${r.text}`);
  assert.deepEqual(odd, [], "only 201 and 409");
  assert.equal(lost.length, 49);
  for (const res of lost) expectError(assert, res, 409, "alias_taken", "alias");
  const winnerUrl = won[0].json.url;
  assertRedirect(await visit(alias), 302, winnerUrl);
  assert.equal(rows(d1(`SELECT COUNT(*) AS n FROM links WHERE code = '${alias}'`))[0].n, 1);
});

test("one user racing 50 requests for one alias: exactly one 201", async () => {
  const { jar } = await signUp();
  const alias = uniqueAlias("self");
  const results = await Promise.all(Array.from({ length: 50 }, (_, i) => create({ url: uniqueUrl(`s${i}`), alias }, { jar })));
  const statuses = results.map((r) => r.status);
  const odd = results.filter((r) => r.status !== 201 && r.status !== 409).map((r) => `${r.status} ${r.text}`);
  assert.deepEqual(odd, [], `only 201 and 409: ${statuses.join(",")}`);
  assert.equal(statuses.filter((s) => s === 201).length, 1, statuses.join(","));
  assert.equal(statuses.filter((s) => s === 409).length, 49, statuses.join(","));
  const list = await request("GET", `/api/links?q=${alias}`, { jar });
  assert.equal(list.json.links.length, 1);
});

// --- the redirect ---

test("301 and 302 as asked, with Location exactly the stored URL", async () => {
  const { jar } = await signUp();
  const temp = await created({ url: uniqueUrl("t"), alias: uniqueAlias() }, { jar });
  const perm = await created({ url: uniqueUrl("p"), alias: uniqueAlias(), redirect_type: 301 }, { jar });
  const t = await visit(temp.code);
  assertRedirect(t, 302, temp.url);
  assert.match(t.headers.get("cache-control") ?? "", /no-cache|no-store|private/, "a 302 is not cached for long");
  const p = await visit(perm.code);
  assertRedirect(p, 301, perm.url);
  // Unicode and spaces: Location must be a valid header value, i.e. the percent-encoded URL.
  const odd = await created({ url: "https://e.example/a path/ünï?q=a b", force_new: true }, { jar });
  assert.match(odd.url, /^[\x21-\x7e]+$/, `stored as a valid, percent-encoded URL: ${odd.url}`);
  const hop = await visit(odd.code);
  assert.equal(hop.status, 302);
  assert.equal(hop.headers.get("location"), odd.url);
});

test("the short link's query string is appended to the destination's", async () => {
  const { jar } = await signUp();
  const withQuery = await created({ url: "https://e.example/p?a=b", alias: uniqueAlias("q1") }, { jar });
  const without = await created({ url: "https://e.example/p", alias: uniqueAlias("q2") }, { jar });
  const withFragment = await created({ url: "https://e.example/p#section", alias: uniqueAlias("q3") }, { jar });
  assertRedirect(await visit(withQuery.code, { suffix: "?x=1" }), 302, "https://e.example/p?a=b&x=1");
  assertRedirect(await visit(withQuery.code), 302, "https://e.example/p?a=b");
  assertRedirect(await visit(without.code, { suffix: "?x=1&y=2" }), 302, "https://e.example/p?x=1&y=2");
  assertRedirect(await visit(without.code, { suffix: "?utm_source=mail%20out" }), 302, "https://e.example/p?utm_source=mail%20out");
  assertRedirect(await visit(withFragment.code, { suffix: "?x=1" }), 302, "https://e.example/p?x=1#section");
});

test("HEAD redirects like GET but records no click", async () => {
  const { jar } = await signUp();
  const link = await created({ url: uniqueUrl(), alias: uniqueAlias("head") }, { jar });
  for (let i = 0; i < 3; i++) {
    const head = await fetch(`${BASE}/${link.code}`, { method: "HEAD", redirect: "manual", headers: { "user-agent": UA.chromeWindows } });
    assert.equal(head.status, 302);
    assert.equal(head.headers.get("location"), link.url);
    assert.equal(await head.text(), "");
  }
  // One GET afterwards: once it is counted, the HEADs would have been too.
  assertRedirect(await humanVisit(link.code), 302, link.url);
  const s = await settledStats(jar, link.code, (x) => x.clicks >= 1);
  assert.equal(s.clicks, 1, "HEADs are not clicks");
  assert.equal(s.bot_clicks, 0);
  const unknown = await fetch(`${BASE}/nope-${randomBytes(4).toString("hex")}`, { method: "HEAD", redirect: "manual" });
  assert.equal(unknown.status, 404);
});

// --- expiry ---

test("a link past its expiry is 410: JSON gone, or a page that says it expired", async () => {
  const { jar } = await signUp();
  const expiresAt = new Date(Date.now() + 3500);
  const link = await created({ url: uniqueUrl(), expires_at: expiresAt.toISOString() }, { jar });
  assert.equal(Date.parse(link.expires_at), expiresAt.getTime());
  // Before: redirects (and the cache now holds the link).
  assertRedirect(await visit(link.code), 302, link.url);
  await sleep(Math.max(0, expiresAt.getTime() - Date.now()) + 500);
  expectError(assert, await visit(link.code), 410, "gone");
  const page = assertPage(await visit(link.code, { headers: HTML }), 410);
  assert.match(page, /expired/i);
  // The owner still sees it, and can revive it by clearing the expiry.
  const revived = await request("PATCH", `/api/links/${link.code}`, { body: { expires_at: null }, jar });
  assert.equal(revived.status, 200, revived.text);
  assert.equal(revived.json.expires_at, null);
  assertRedirect(await visit(link.code), 302, link.url);
});

test("an expiry set in the past in storage (never cached) is 410 too; anonymous links may expire", async () => {
  const link = await created({ url: uniqueUrl(), expires_at: new Date(Date.now() + DAY_MS).toISOString() });
  d1(`UPDATE links SET expires_at = ${Date.now() - 1000} WHERE code = '${link.code}' AND domain = ''`);
  expectError(assert, await visit(link.code), 410, "gone");
  // A HEAD of an expired link is 410 as well.
  const head = await fetch(`${BASE}/${link.code}`, { method: "HEAD", redirect: "manual" });
  assert.equal(head.status, 410);

  // Expiry wins over a password: no form for a link that leads nowhere.
  const { jar } = await signUp();
  const locked = await created(
    { url: uniqueUrl(), alias: uniqueAlias("xp"), password: "secret!", expires_at: new Date(Date.now() + DAY_MS).toISOString() },
    { jar },
  );
  d1(`UPDATE links SET expires_at = ${Date.now() - 1000} WHERE code = '${locked.code}' AND domain = ''`);
  assert.match(assertPage(await visit(locked.code, { headers: HTML }), 410), /expired/i);
  const unlock = await request("POST", `/${locked.code}`, { body: "password=secret!", headers: { ...FORM, "cf-connecting-ip": clientIp() } });
  assert.equal(unlock.status, 410, "the right password does not revive an expired link");
  assert.equal(unlock.headers.get("location"), null);
});

// --- passwords ---

test("password flow: form (200), wrong (401 page), right (302), and the password never leaks", async () => {
  const { jar } = await signUp();
  const password = "open sesame";
  const link = await created({ url: uniqueUrl(), alias: uniqueAlias("pw"), password }, { jar });
  assertView(link, { password_protected: true });
  assert.ok(!JSON.stringify(link).includes(password));

  const ip = clientIp();
  const form = await visit(link.code, { headers: { ...HTML, "cf-connecting-ip": ip } });
  const html = assertPage(form, 200);
  assert.match(html, /<form[^>]*method="post"/i);
  assert.match(html, /name="password"/);
  assert.ok(!html.includes(link.url), "the destination is not revealed before the password");
  // Programs get the form too (no Location without the password), and so does HEAD.
  const plain = await visit(link.code, { headers: { "cf-connecting-ip": ip } });
  assert.equal(plain.status, 200);
  assert.equal(plain.headers.get("location"), null);
  const head = await fetch(`${BASE}/${link.code}`, { method: "HEAD", redirect: "manual" });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get("location"), null);

  const post = (pw, headers = {}) =>
    request("POST", `/${link.code}`, { body: new URLSearchParams({ password: pw }).toString(), headers: { ...FORM, "cf-connecting-ip": ip, ...headers } });
  const wrong = await post("open sesam");
  const wrongHtml = assertPage(wrong, 401);
  assert.match(wrongHtml, /<form/i, "the form again, to try once more");
  assert.ok(!wrongHtml.includes(link.url));
  assertRedirect(await post(password, { "user-agent": UA.firefoxMac }), 302, link.url);
  // An empty or missing password is a wrong one, not a 500.
  assertPage(await request("POST", `/${link.code}`, { body: "", headers: { ...FORM, "cf-connecting-ip": ip } }), 401);

  const row = rows(d1(`SELECT password_hash FROM links WHERE code = '${link.code}'`))[0];
  assert.ok(row.password_hash && !row.password_hash.includes(password), "stored as a salted hash");

  // Viewing the form and failing are not clicks; the one unlock is.
  const s = await settledStats(jar, link.code, (x) => x.clicks >= 1);
  assert.equal(s.clicks, 1);
});

test("password guesses are throttled per client: the 6th attempt is 429 (even the right one)", async () => {
  const { jar } = await signUp();
  const password = "right password";
  const link = await created({ url: uniqueUrl(), alias: uniqueAlias("thr"), password }, { jar });
  const ip = clientIp();
  const post = (pw, from = ip) =>
    request("POST", `/${link.code}`, { body: new URLSearchParams({ password: pw }).toString(), headers: { ...FORM, "cf-connecting-ip": from } });
  for (let i = 0; i < 5; i++) assertPage(await post(`wrong ${i}`), 401);
  const sixth = await post("wrong 5");
  assertPage(sixth, 429);
  assert.match(sixth.headers.get("retry-after") ?? "", /^\d+$/, `429 says when to retry: Retry-After ${sixth.headers.get("retry-after")}`);
  assertPage(await post(password), 429);
  // Another client is not punished for this one's guesses.
  assertRedirect(await post(password, clientIp()), 302, link.url);
});

test("a protected link keeps the short link's query string through its password form", async () => {
  const { jar } = await signUp();
  const link = await created({ url: "https://e.example/p?a=b", alias: uniqueAlias("pq"), password: "letmein" }, { jar });
  const ip = clientIp();
  const form = assertPage(await visit(link.code, { suffix: "?x=1&y=2", headers: { ...HTML, "cf-connecting-ip": ip } }), 200);
  const action = form.match(/<form[^>]*action="([^"]*)"/i)?.[1];
  assert.ok(action, "the form has an action");
  // Submit as a browser would: to the form's action, resolved against the page's address.
  const target = new URL(action.replaceAll("&amp;", "&"), `${BASE}/${link.code}?x=1&y=2`);
  assert.equal(target.origin, BASE);
  const res = await request("POST", target.pathname + target.search, {
    body: "password=letmein",
    headers: { ...FORM, "cf-connecting-ip": ip },
  });
  assertRedirect(res, 302, "https://e.example/p?a=b&x=1&y=2");
});

test("PATCH sets and clears a password; the redirect follows at once", async () => {
  const { jar } = await signUp();
  const link = await created({ url: uniqueUrl(), alias: uniqueAlias("pp") }, { jar });
  assertRedirect(await visit(link.code), 302, link.url); // cached unprotected
  const set = await request("PATCH", `/api/links/${link.code}`, { body: { password: "now secret" }, jar });
  assert.equal(set.status, 200, set.text);
  assert.equal(set.json.password_protected, true);
  assertPage(await visit(link.code, { headers: HTML }), 200);
  const cleared = await request("PATCH", `/api/links/${link.code}`, { body: { password: null }, jar });
  assert.equal(cleared.json.password_protected, false);
  assertRedirect(await visit(link.code), 302, link.url);
  expectError(assert, await request("PATCH", `/api/links/${link.code}`, { body: { password: "abc" }, jar }), 422, "validation_failed", "password");
});

// --- owners ---

test("only the owner reads, edits or deletes a link; others get 404 and the link keeps working", async () => {
  const owner = await signUp();
  const other = await signUp();
  const link = await created({ url: uniqueUrl(), alias: uniqueAlias("own"), tags: ["keep"] }, { jar: owner.jar });
  const path = `/api/links/${link.code}`;

  expectError(assert, await request("GET", path, { jar: other.jar }), 404, "not_found");
  expectError(assert, await request("GET", `${path}/stats`, { jar: other.jar }), 404, "not_found");
  expectError(assert, await request("PATCH", path, { body: { url: uniqueUrl("hijack") }, jar: other.jar }), 404, "not_found");
  expectError(assert, await request("DELETE", path, { jar: other.jar }), 404, "not_found");
  for (const [method, body] of [["GET"], ["PATCH", { url: uniqueUrl() }], ["DELETE"]]) {
    expectError(assert, await request(method, path, { body }), 401, "unauthenticated");
  }
  expectError(assert, await request("GET", `${path}/stats`), 401, "unauthenticated");

  assertRedirect(await visit(link.code), 302, link.url);
  const mine = await request("GET", path, { jar: owner.jar });
  assert.equal(mine.status, 200);
  assert.equal(mine.json.url, link.url);
  assert.equal(mine.json.updated_at, link.updated_at);

  // Links made anonymously belong to no one.
  const anon = await created({ url: uniqueUrl() });
  expectError(assert, await request("GET", `/api/links/${anon.code}`, { jar: owner.jar }), 404, "not_found");
  expectError(assert, await request("DELETE", `/api/links/${anon.code}`, { jar: owner.jar }), 404, "not_found");
  expectError(assert, await request("GET", `/api/links/${anon.code}/stats`, { jar: owner.jar }), 404, "not_found");
  assertRedirect(await visit(anon.code), 302, anon.url);
});

test("PATCH changes the destination, redirect type and tags at once (the cache is purged)", async () => {
  const { jar } = await signUp();
  const link = await created({ url: uniqueUrl("old"), alias: uniqueAlias("ed") }, { jar });
  assertRedirect(await visit(link.code), 302, link.url); // now cached
  await sleep(5);
  const newUrl = uniqueUrl("new");
  const res = await request("PATCH", `/api/links/${link.code}`, { body: { url: newUrl, redirect_type: 301, tags: ["A", "b"] }, jar });
  assert.equal(res.status, 200, res.text);
  assertView(res.json, { code: link.code, url: newUrl, redirect_type: 301, tags: ["a", "b"], created_at: link.created_at, clicks: res.json.clicks });
  assert.ok(Date.parse(res.json.updated_at) > Date.parse(link.updated_at), "updated_at moves");
  assertRedirect(await visit(link.code), 301, newUrl);

  // Absent fields stay; an empty body changes nothing but is fine.
  const noop = await request("PATCH", `/api/links/${link.code}`, { body: {}, jar });
  assert.equal(noop.status, 200, noop.text);
  assert.equal(noop.json.url, newUrl);
  assert.deepEqual(noop.json.tags, ["a", "b"]);

  // The URL rules apply to edits; a refused edit changes nothing.
  for (const url of ["javascript:alert(1)", `${BASE}/loop`, ""]) {
    expectError(assert, await request("PATCH", `/api/links/${link.code}`, { body: { url }, jar }), 422, "validation_failed", "url");
  }
  expectError(assert, await request("PATCH", `/api/links/${link.code}`, { body: { expires_at: new Date(Date.now() - 1000).toISOString() }, jar }), 422, "validation_failed", "expires_at");
  expectError(assert, await request("PATCH", `/api/links/${link.code}`, { body: { redirect_type: 307 }, jar }), 422, "validation_failed", "redirect_type");
  expectError(assert, await request("PATCH", `/api/links/${link.code}`, { body: { tags: ["ok", ""] }, jar }), 422, "validation_failed", "tags");
  assertRedirect(await visit(link.code), 301, newUrl);
});

test("redirects are answered from the KV cache; an edit purges it", async () => {
  const { jar } = await signUp();
  const link = await created({ url: uniqueUrl("cached"), alias: uniqueAlias("kv") }, { jar });
  assertRedirect(await visit(link.code), 302, link.url); // fills the cache
  const behindTheBack = uniqueUrl("sql");
  d1(`UPDATE links SET url = '${behindTheBack}' WHERE code = '${link.code}' AND domain = ''`);
  assertRedirect(await visit(link.code), 302, link.url); // still the cached destination
  // Any edit through the API purges the cache, so the stored row is read again.
  const patched = await request("PATCH", `/api/links/${link.code}`, { body: { tags: ["x"] }, jar });
  assert.equal(patched.status, 200, patched.text);
  assert.equal(patched.json.url, behindTheBack);
  assertRedirect(await visit(link.code), 302, behindTheBack);
});

test("the Links endpoints are in the OpenAPI document", async () => {
  const doc = await request("GET", "/api/openapi.json");
  assert.equal(doc.status, 200);
  const paths = doc.json.paths;
  assert.deepEqual(Object.keys(paths["/api/links"]).sort(), ["get", "post"]);
  assert.deepEqual(Object.keys(paths["/api/links/{code}"]).sort(), ["delete", "get", "patch"]);
  assert.deepEqual(Object.keys(paths["/api/links/{code}/stats"]), ["get"]);
  assert.deepEqual(Object.keys(paths["/shorten"]), ["post"]);
  assert.deepEqual(Object.keys(paths["/api/links/{code}/qr"]), ["get"]);
});

test("DELETE is 204, then the code is 404 at once (redirect and API)", async () => {
  const { jar } = await signUp();
  const link = await created({ url: uniqueUrl(), alias: uniqueAlias("del") }, { jar });
  assertRedirect(await humanVisit(link.code), 302, link.url); // cached, and a click to cascade
  await settledStats(jar, link.code, (x) => x.clicks >= 1);
  const [{ id }] = rows(d1(`SELECT id FROM links WHERE code = '${link.code}' AND domain = ''`));
  const del = await request("DELETE", `/api/links/${link.code}`, { jar });
  assert.equal(del.status, 204);
  assert.equal(del.text, "");
  expectError(assert, await visit(link.code), 404, "not_found");
  expectError(assert, await request("GET", `/api/links/${link.code}`, { jar }), 404, "not_found");
  expectError(assert, await request("DELETE", `/api/links/${link.code}`, { jar }), 404, "not_found");
  const list = await request("GET", "/api/links", { jar });
  assert.deepEqual(list.json.links, []);
  const left = rows(d1(`SELECT (SELECT COUNT(*) FROM links WHERE id = '${id}') AS links, (SELECT COUNT(*) FROM links_clicks WHERE link_id = '${id}') AS clicks`))[0];
  assert.deepEqual(left, { links: 0, clicks: 0 }, "the link and its clicks are gone");
  // The alias is free again, and the new link starts from no clicks.
  const again = await created({ url: uniqueUrl(), alias: link.code }, { jar });
  const s = await stats(jar, link.code);
  assert.equal(s.json.clicks, 0, "the old link's clicks are not the new one's");
  assertRedirect(await visit(link.code), 302, again.url);
});

test("/api/links/{code} answers 405 with Allow for other methods", async () => {
  const { jar } = await signUp();
  const res = await request("PUT", "/api/links/abc", { body: {}, jar });
  expectError(assert, res, 405, "method_not_allowed");
  const allow = (res.headers.get("allow") ?? "").split(",").map((m) => m.trim()).sort();
  assert.deepEqual(allow, ["DELETE", "GET", "HEAD", "PATCH"]);
  expectError(assert, await request("POST", "/api/links/abc/stats", { body: {}, jar }), 405, "method_not_allowed");
});

test("a cross-site POST /api/links with a cookie is refused", async () => {
  const { jar } = await signUp();
  const res = await create({ url: uniqueUrl() }, { jar, headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" } });
  expectError(assert, res, 403, "cross_site_request");
});

// --- the seed's POST /shorten ---

test("POST /shorten takes {url} or {long_url} and answers {short_url}", async () => {
  const url = uniqueUrl("seed");
  const first = await shorten({ url });
  assert.equal(first.status, 201, first.text);
  assert.deepEqual(Object.keys(first.json), ["short_url"]);
  const code = first.json.short_url.slice(`${BASE}/`.length);
  assert.equal(first.json.short_url, `${BASE}/${code}`);
  assert.match(code, CODE);
  assertRedirect(await visit(code), 302, url);

  const again = await shorten({ long_url: url });
  assert.equal(again.status, 200, "already shortened: the same short URL");
  assert.deepEqual(again.json, first.json);

  const other = uniqueUrl("seed2");
  const viaLong = await shorten({ long_url: other });
  assert.equal(viaLong.status, 201, viaLong.text);
  assertRedirect(await visit(viaLong.json.short_url.slice(`${BASE}/`.length)), 302, other);

  expectError(assert, await shorten({}), 422, "validation_failed", "url");
  expectError(assert, await shorten({ long_url: "ftp://x.example/" }), 422, "validation_failed", "url");
  const get = await request("GET", "/shorten");
  expectError(assert, get, 405, "method_not_allowed");
  assert.equal(get.headers.get("allow"), "POST");
});

// --- rate limits ---

/** The RateLimit-* headers of a response, as numbers (Policy as text). */
function limits(res) {
  const h = (name) => res.headers.get(name);
  return {
    limit: Number(h("ratelimit-limit")),
    remaining: Number(h("ratelimit-remaining")),
    reset: Number(h("ratelimit-reset")),
    policy: h("ratelimit-policy"),
  };
}

test("anonymous shortening is limited per address: RateLimit headers count down, then 429 with Retry-After", async () => {
  let ip = clientIp();
  let first = await create({ url: uniqueUrl("rl0") }, { headers: { "cf-connecting-ip": ip } });
  assert.equal(first.status, 201, first.text);
  let l = limits(first);
  if (l.reset < 15) {
    // The window is about to roll over; start in the next one so the count is not reset midway.
    await sleep((l.reset + 1) * 1000);
    ip = clientIp();
    first = await create({ url: uniqueUrl("rl0") }, { headers: { "cf-connecting-ip": ip } });
    l = limits(first);
  }
  assert.ok(Number.isInteger(l.limit) && l.limit >= 1 && l.limit <= 100, `a small anonymous limit: ${l.limit}`);
  assert.equal(l.remaining, l.limit - 1);
  assert.ok(Number.isInteger(l.reset) && l.reset >= 1, `RateLimit-Reset in seconds: ${l.reset}`);
  assert.match(l.policy ?? "", new RegExp(`^${l.limit};w=\\d+$`));
  const window = Number(l.policy.split("w=")[1]);
  assert.ok(l.reset <= window);

  for (let i = 1; i < l.limit; i++) {
    const res = await create({ url: uniqueUrl(`rl${i}`) }, { headers: { "cf-connecting-ip": ip } });
    assert.equal(res.status, 201, `creation ${i + 1} of ${l.limit}: ${res.text}`);
    assert.equal(limits(res).remaining, l.limit - 1 - i);
  }
  const over = await create({ url: uniqueUrl("rl-over") }, { headers: { "cf-connecting-ip": ip } });
  const err = expectError(assert, over, 429, "rate_limited");
  assert.match(err.message, /\d/, "says how many and when");
  const retryAfter = Number(over.headers.get("retry-after"));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= window, `Retry-After ${over.headers.get("retry-after")}`);
  assert.equal(limits(over).remaining, 0);
  assert.equal(limits(over).limit, l.limit);
  // The seed's form counts against the same address.
  expectError(assert, await shorten({ url: uniqueUrl() }, { "cf-connecting-ip": ip }), 429, "rate_limited");

  // Another address, and a signed-in user at this address, are not limited by it.
  const elsewhere = await create({ url: uniqueUrl() }, { headers: { "cf-connecting-ip": clientIp() } });
  assert.equal(elsewhere.status, 201, elsewhere.text);
  const { jar } = await signUp();
  const signedIn = await create({ url: uniqueUrl() }, { jar, headers: { "cf-connecting-ip": ip } });
  assert.equal(signedIn.status, 201, signedIn.text);
  assert.ok(limits(signedIn).limit > l.limit, "accounts get a larger allowance than anonymous callers");
  const key = await createKey(jar);
  const viaKey = await create({ url: uniqueUrl() }, { headers: { authorization: `Bearer ${key}`, "cf-connecting-ip": ip } });
  assert.equal(viaKey.status, 201, viaKey.text);
  assert.equal(limits(viaKey).remaining, limits(viaKey).limit - 1, "an API key has its own count");
});

// --- QR codes ---

test("every link has a QR code as SVG at /api/links/{code}/qr, for anyone holding the code", async () => {
  const { jar } = await signUp();
  const link = await created({ url: uniqueUrl(), alias: uniqueAlias("qr") }, { jar });
  const other = await created({ url: uniqueUrl(), alias: uniqueAlias("qr") }, { jar });
  const qr = async (code, qs = "") => {
    const res = await request("GET", `/api/links/${code}/qr${qs}`);
    return res;
  };
  const res = await qr(link.code);
  assert.equal(res.status, 200, res.text);
  assert.match(res.headers.get("content-type") ?? "", /^image\/svg\+xml\b/);
  assert.match(res.text, /^(<\?xml[^>]*>\s*)?<svg\b[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(res.text, /<\/svg>\s*$/);
  assert.ok(!/<script\b/i.test(res.text), "no script in the SVG");
  assert.equal((await qr(link.code)).text, res.text, "the same link, the same image");
  assert.notEqual((await qr(other.code)).text, res.text, "another link, another image");
  for (const size of ["64", "2048"]) assert.equal((await qr(link.code, `?size=${size}`)).status, 200, size);
  for (const size of ["63", "2049", "big", "-1"]) {
    expectError(assert, await qr(link.code, `?size=${size}`), 422, "validation_failed", "size");
  }
  expectError(assert, await qr(`nope-${randomBytes(4).toString("hex")}`), 404, "not_found");
  const deleted = await request("DELETE", `/api/links/${other.code}`, { jar });
  assert.equal(deleted.status, 204);
  expectError(assert, await qr(other.code), 404, "not_found");
});

// --- statistics ---

test("40 parallel clicks are counted exactly: clicks = 40 once settled", async () => {
  const { jar } = await signUp();
  const link = await created({ url: uniqueUrl(), alias: uniqueAlias("c40") }, { jar });
  const hops = await Promise.all(Array.from({ length: 40 }, () => humanVisit(link.code)));
  for (const hop of hops) assertRedirect(hop, 302, link.url);
  const s = await settledStats(jar, link.code, (x) => x.clicks >= 40);
  assert.equal(s.clicks, 40);
  assert.equal(s.unique_visitors, 40, "40 addresses");
  assert.equal(s.bot_clicks, 0);
  const today = s.by_day.at(-1);
  assert.equal(today.clicks, 40);
  assert.equal(s.by_day.reduce((n, d) => n + d.clicks, 0), 40);
  const view = await request("GET", `/api/links/${link.code}`, { jar });
  assert.equal(view.json.clicks, 40);
});

test("bots and link-preview fetchers are counted apart from people", async () => {
  const { jar } = await signUp();
  const link = await created({ url: uniqueUrl(), alias: uniqueAlias("bot") }, { jar });
  for (const ua of BOT_UAS) {
    assertRedirect(await visit(link.code, { headers: { "user-agent": ua, "cf-connecting-ip": clientIp() } }), 302, link.url);
  }
  assertRedirect(await humanVisit(link.code, { ua: UA.safariIphone }), 302, link.url);
  const s = await settledStats(jar, link.code, (x) => x.clicks + x.bot_clicks >= 4);
  assert.equal(s.bot_clicks, BOT_UAS.length);
  assert.equal(s.clicks, 1);
  assert.equal(s.unique_visitors, 1, "bots are not visitors");
  assert.equal(s.by_day.reduce((n, d) => n + d.clicks, 0), 1, "days count people");
  const breakdownTotal = (list) => list.reduce((n, r) => n + r.clicks, 0);
  for (const key of ["referrers", "countries", "devices", "browsers", "operating_systems"]) {
    assert.equal(breakdownTotal(s[key]), 1, `${key} counts people only: ${JSON.stringify(s[key])}`);
  }
  // The link's own total includes bots (documented on LinkView.clicks).
  const view = await request("GET", `/api/links/${link.code}`, { jar });
  assert.equal(view.json.clicks, s.clicks + s.bot_clicks);
});

test("unique visitors: the same address and browser twice is one; another address is two", async () => {
  const { jar } = await signUp();
  const link = await created({ url: uniqueUrl(), alias: uniqueAlias("uv") }, { jar });
  const ip = clientIp();
  await humanVisit(link.code, { ip });
  await humanVisit(link.code, { ip });
  let s = await settledStats(jar, link.code, (x) => x.clicks >= 2);
  assert.equal(s.clicks, 2);
  assert.equal(s.unique_visitors, 1);
  await humanVisit(link.code, { ip: clientIp() });
  s = await settledStats(jar, link.code, (x) => x.clicks >= 3);
  assert.equal(s.clicks, 3);
  assert.equal(s.unique_visitors, 2);
  const today = s.by_day.at(-1);
  assert.deepEqual([today.clicks, today.unique_visitors], [3, 2]);
  // Another browser from the first address is another visitor.
  await humanVisit(link.code, { ip, ua: UA.firefoxMac });
  s = await settledStats(jar, link.code, (x) => x.clicks >= 4);
  assert.equal(s.unique_visitors, 3);
  // No raw address is stored anywhere in the click rows.
  const stored = JSON.stringify(rows(d1(`SELECT c.* FROM links_clicks c JOIN links l ON l.id = c.link_id WHERE l.code = '${link.code}'`)));
  assert.ok(!stored.includes(ip), "no IP in the clicks");
});

test("referrers are broken down by host (www. dropped), devices, browsers and OS by User-Agent", async () => {
  const { jar } = await signUp();
  const link = await created({ url: uniqueUrl(), alias: uniqueAlias("ref") }, { jar });
  const visits = [
    { headers: { referer: "https://news.ycombinator.com/item?id=1" }, ua: UA.chromeWindows },
    { headers: { referer: "https://news.ycombinator.com/news" }, ua: UA.chromeWindows },
    { headers: { referer: "https://news.ycombinator.com/" }, ua: UA.safariIphone },
    { headers: { referer: "https://www.google.com/search?q=dozen" }, ua: UA.firefoxMac },
    { headers: {}, ua: UA.safariIphone },
  ];
  for (const v of visits) assertRedirect(await humanVisit(link.code, v), 302, link.url);
  const s = await settledStats(jar, link.code, (x) => x.clicks >= visits.length);
  assert.equal(s.clicks, 5);
  const refs = s.referrers;
  assert.deepEqual(refs[0], { key: "news.ycombinator.com", clicks: 3 });
  assert.deepEqual(refs.find((r) => r.key === "google.com"), { key: "google.com", clicks: 1 });
  const direct = refs.filter((r) => r.key !== "news.ycombinator.com" && r.key !== "google.com");
  assert.equal(direct.length, 1, JSON.stringify(refs));
  assert.equal(direct[0].clicks, 1);
  assert.ok(["", "direct", "(direct)"].includes(direct[0].key), `direct visits: ${JSON.stringify(direct[0])}`);
  assert.equal(refs.length, 3);

  // Ties are listed by key, so the order is fixed too.
  assert.deepEqual(s.devices, [{ key: "desktop", clicks: 3 }, { key: "mobile", clicks: 2 }]);
  assert.deepEqual(s.browsers, [{ key: "Chrome", clicks: 2 }, { key: "Safari", clicks: 2 }, { key: "Firefox", clicks: 1 }]);
  assert.deepEqual(s.operating_systems, [{ key: "Windows", clicks: 2 }, { key: "iOS", clicks: 2 }, { key: "macOS", clicks: 1 }]);
  assertOneCountry(s.countries, 5);
  // Breakdowns are sorted by clicks, most first.
  for (const key of ["referrers", "devices", "browsers", "operating_systems"]) {
    const counts = s[key].map((r) => r.clicks);
    assert.deepEqual(counts, [...counts].sort((a, b) => b - a), key);
  }
});

/** `YYYY-MM-DD` of an instant in a zone `offsetMin` minutes east of UTC. */
function localDate(ms, offsetMin) {
  return new Date(ms + offsetMin * 60_000).toISOString().slice(0, 10);
}

test("stats count days in the asked zone: every day of the window listed, zeros included", async () => {
  const { jar } = await signUp();
  const link = await created({ url: uniqueUrl(), alias: uniqueAlias("tz") }, { jar });
  await humanVisit(link.code);
  await settledStats(jar, link.code, (x) => x.clicks >= 1);
  // The instant the worker recorded (not the test's clock), so the expected day is exact.
  const [{ clicked_at: clickedAt }] = rows(
    d1(`SELECT c.clicked_at FROM links_clicks c JOIN links l ON l.id = c.link_id WHERE l.code = '${link.code}'`),
  );

  const todayUtc = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  const from = new Date(todayUtc - 3 * DAY_MS).toISOString();
  const to = new Date(todayUtc + DAY_MS).toISOString();
  for (const [tz, label, offsetMin] of [
    ["UTC", "+00:00", 0],
    ["+05:30", "+05:30", 330],
    ["-08:00", "-08:00", -480],
    ["+14:00", "+14:00", 840],
  ]) {
    const res = await stats(jar, link.code, { from, to, tz });
    assert.equal(res.status, 200, `${tz}: ${res.text}`);
    const s = res.json;
    assert.deepEqual(Object.keys(s).sort(), STATS_KEYS);
    assert.equal(s.tz, label);
    assert.equal(Date.parse(s.from), Date.parse(from));
    assert.equal(Date.parse(s.to), Date.parse(to));
    assert.match(s.from, RFC3339);
    // Every local day the window touches, oldest first, no gaps.
    const days = [];
    for (let d = localDate(Date.parse(from), offsetMin); d <= localDate(Date.parse(to) - 1, offsetMin); ) {
      days.push(d);
      d = new Date(Date.parse(`${d}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
    }
    assert.deepEqual(s.by_day.map((d) => d.date), days, `${tz}: days`);
    for (const day of s.by_day) assert.deepEqual(Object.keys(day).sort(), ["clicks", "date", "unique_visitors"]);
    const clickDay = localDate(clickedAt, offsetMin);
    assert.deepEqual(
      s.by_day.map((d) => [d.date, d.clicks, d.unique_visitors]),
      days.map((d) => (d === clickDay ? [d, 1, 1] : [d, 0, 0])),
      `${tz}: the click falls on ${clickDay}`,
    );
    assert.equal(s.clicks, 1);
  }

  // A window without the click counts nothing and still lists its days.
  const past = await stats(jar, link.code, { from: "2026-01-01T00:00:00Z", to: "2026-01-08T00:00:00Z" });
  assert.equal(past.status, 200, past.text);
  assert.equal(past.json.clicks, 0);
  assert.equal(past.json.unique_visitors, 0);
  assert.deepEqual(past.json.by_day.map((d) => d.date), ["01", "02", "03", "04", "05", "06", "07"].map((d) => `2026-01-${d}`));
  assert.deepEqual(past.json.referrers, []);

  // Defaults: the last 30 days to now, in UTC.
  const def = await stats(jar, link.code);
  assert.equal(def.json.tz, "+00:00");
  assert.ok(Math.abs(Date.parse(def.json.to) - Date.now()) < 60_000);
  assert.equal(Date.parse(def.json.to) - Date.parse(def.json.from), 30 * DAY_MS);
  assert.ok(def.json.by_day.length === 30 || def.json.by_day.length === 31, `${def.json.by_day.length} days`);
});

test("bad stats windows and zones are 422 naming the parameter", async () => {
  const { jar } = await signUp();
  const link = await created({ url: uniqueUrl(), alias: uniqueAlias("bw") }, { jar });
  for (const tz of ["Europe/Berlin", "America/Los_Angeles", "+15:00", "+05:60", "5:30", "IST"]) {
    expectError(assert, await stats(jar, link.code, { tz }), 422, "validation_failed", "tz");
  }
  expectError(assert, await stats(jar, link.code, { from: "2026-02-02T00:00:00Z", to: "2026-02-01T00:00:00Z" }), 422, "validation_failed", "from");
  expectError(assert, await stats(jar, link.code, { from: "2026-02-01T00:00:00Z", to: "2026-02-01T00:00:00Z" }), 422, "validation_failed", "from");
  expectError(assert, await stats(jar, link.code, { from: "2024-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z" }), 422, "validation_failed", "from");
  expectError(assert, await stats(jar, link.code, { from: "yesterday" }), 422, "validation_failed", "from");
  expectError(assert, await stats(jar, link.code, { to: "2026-13-01T00:00:00Z" }), 422, "validation_failed", "to");
  // 366 days exactly is allowed.
  const year = await stats(jar, link.code, { from: "2025-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z" });
  assert.equal(year.status, 200, year.text);
  assert.equal(year.json.by_day.length, 366);
});

// --- the owner's list ---

test("list pages with the cursor cover every link exactly once, newest first", async () => {
  const { jar } = await signUp();
  const made = [];
  for (let i = 0; i < 23; i++) made.push(await created({ url: uniqueUrl(`n${i}`) }, { jar }));
  const expected = made.map((l) => l.code).reverse();

  const seen = [];
  let cursor;
  let pages = 0;
  do {
    const qs = new URLSearchParams({ limit: "5", ...(cursor ? { cursor } : {}) });
    const res = await request("GET", `/api/links?${qs}`, { jar });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.json).sort(), ["links", "next_cursor"]);
    assert.ok(res.json.links.length <= 5);
    for (const l of res.json.links) assertView(l);
    seen.push(...res.json.links.map((l) => l.code));
    cursor = res.json.next_cursor;
    pages++;
    assert.ok(pages <= 10, "the cursor ends");
  } while (cursor);
  assert.equal(pages, 5, "5 + 5 + 5 + 5 + 3");
  assert.deepEqual(seen, expected, "every link once, newest first");

  const all = await request("GET", "/api/links?limit=100", { jar });
  assert.deepEqual(all.json.links.map((l) => l.code), expected);
  assert.equal(all.json.next_cursor, null);
  const exact = await request("GET", "/api/links?limit=23", { jar });
  assert.equal(exact.json.links.length, 23);
  assert.equal(exact.json.next_cursor, null, "no empty last page");
  const def = await request("GET", "/api/links", { jar });
  assert.equal(def.json.links.length, 20, "20 by default");
  assert.ok(def.json.next_cursor);

  // Another user's list is their own.
  const other = await signUp();
  const theirs = await request("GET", "/api/links", { jar: other.jar });
  assert.deepEqual(theirs.json, { links: [], next_cursor: null });
  expectError(assert, await request("GET", "/api/links"), 401, "unauthenticated");
});

test("bad limit or cursor is 422 naming it", async () => {
  const { jar } = await signUp();
  for (const limit of ["0", "101", "-1", "ten", "1.5"]) {
    expectError(assert, await request("GET", `/api/links?limit=${limit}`, { jar }), 422, "validation_failed", "limit");
  }
  for (const cursor of ["garbage", "'; DROP TABLE links; --", "0".repeat(25), "U".repeat(26)]) {
    expectError(assert, await request("GET", `/api/links?cursor=${encodeURIComponent(cursor)}`, { jar }), 422, "validation_failed", "cursor");
  }
});

test("search by URL or code and filter by tag", async () => {
  const { jar } = await signUp();
  const word = `needle${randomBytes(3).toString("hex")}`;
  const a = await created({ url: `https://shop.example/${word}/a`, tags: ["Sale", "q4"] }, { jar });
  const b = await created({ url: `https://blog.example/post?ref=${word}`, tags: ["blog"] }, { jar });
  const c = await created({ url: uniqueUrl(), alias: `code-${word}`, tags: ["sale"] }, { jar });
  const d = await created({ url: uniqueUrl("100%_off") }, { jar });

  const codes = async (qs) => {
    const res = await request("GET", `/api/links?${new URLSearchParams(qs)}`, { jar });
    assert.equal(res.status, 200, res.text);
    return res.json.links.map((l) => l.code);
  };
  assert.deepEqual(await codes({ q: word }), [c.code, b.code, a.code]);
  assert.deepEqual(await codes({ q: "shop.example" }), [a.code]);
  assert.deepEqual(await codes({ q: word.toUpperCase() }), [c.code, b.code, a.code], "search ignores case");
  assert.deepEqual(await codes({ q: c.code }), [c.code], "by code");
  assert.deepEqual(await codes({ q: a.code }), [a.code], "by generated code");
  assert.deepEqual(await codes({ tag: "sale" }), [c.code, a.code]);
  assert.deepEqual(await codes({ tag: "Sale" }), [c.code, a.code], "tags are matched lower-cased");
  assert.deepEqual(await codes({ tag: "blog" }), [b.code]);
  assert.deepEqual(await codes({ tag: "nothing" }), []);
  assert.deepEqual(await codes({ q: word, tag: "sale" }), [c.code, a.code]);
  // LIKE's wildcards are searched for literally.
  assert.deepEqual(await codes({ q: "100%_off" }), [d.code]);
  assert.deepEqual(await codes({ q: "%" }), [d.code]);
  assert.deepEqual(await codes({ q: "_" }), [d.code]);
  // Paging within a search.
  const first = await request("GET", `/api/links?${new URLSearchParams({ q: word, limit: "2" })}`, { jar });
  assert.deepEqual(first.json.links.map((l) => l.code), [c.code, b.code]);
  const second = await request("GET", `/api/links?${new URLSearchParams({ q: word, limit: "2", cursor: first.json.next_cursor })}`, { jar });
  assert.deepEqual(second.json.links.map((l) => l.code), [a.code]);
  assert.equal(second.json.next_cursor, null);
});

// --- not built yet: runs and reports (as TODO), but does not fail the suite ---

test("a retried creation with the same Idempotency-Key returns the first link", async () => {
  const { jar } = await signUp();
  const key = randomBytes(16).toString("hex");
  const body = { url: uniqueUrl(), force_new: true };
  const first = await create(body, { jar, headers: { "idempotency-key": key } });
  assert.equal(first.status, 201, first.text);
  const retry = await create(body, { jar, headers: { "idempotency-key": key } });
  assert.ok([200, 201].includes(retry.status), retry.text);
  assert.equal(retry.json.code, first.json.code, "no second link for a retry");
});
