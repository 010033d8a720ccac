// The platform end to end against a real `wrangler dev`: the API's 404/405 shapes, security
// headers, the SPA shell and its CSP, what the root does with SPA routes and short-code-like
// paths, the PWA's static files, and the OpenAPI document against the route table.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { BASE, expectError, request } from "../support/api.mjs";

const HTML = { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };
const JSON_ACCEPT = { accept: "application/json" };

/** Every path the products register, with the methods it accepts (worker/src/products.rs). */
const ROUTES = {
  "/api/health": ["get"],
  "/api/openapi.json": ["get"],
  "/api/auth/register": ["post"],
  "/api/auth/login": ["post"],
  "/api/auth/logout": ["post"],
  "/api/auth/me": ["get", "patch"],
  "/api/auth/keys": ["get", "post"],
  "/api/auth/keys/{id}": ["delete"],
  "/api/ping": ["get"],
  "/api/links": ["get", "post"],
  "/api/links/{code}": ["get", "patch", "delete"],
  "/api/links/{code}/stats": ["get"],
  "/api/links/{code}/qr": ["get"],
  "/shorten": ["post"],
  "/api/domains": ["get", "post"],
  "/api/domains/{hostname}": ["delete"],
  "/api/chat/contacts": ["get", "post"],
  "/api/chat/contacts/{username}": ["delete"],
  "/api/chat/contacts/{username}/accept": ["post"],
  "/api/chat/contacts/{username}/decline": ["post"],
  "/api/chat/contacts/{username}/block": ["post"],
  "/api/chat/contacts/{username}/unblock": ["post"],
  "/api/chat/settings": ["get", "patch"],
  "/api/chat/conversations": ["get", "post"],
  "/api/chat/conversations/{id}": ["get", "patch"],
  "/api/chat/conversations/{id}/members": ["post"],
  "/api/chat/conversations/{id}/messages": ["get", "post"],
  "/api/chat/conversations/{id}/messages/{seq}": ["patch", "delete"],
  "/api/chat/conversations/{id}/messages/{seq}/reaction": ["put", "delete"],
  "/api/chat/conversations/{id}/messages/{seq}/versions": ["get"],
  "/api/chat/socket": ["get"],
  "/api/chat/conversations/{id}/receipts": ["get"],
  "/api/chat/conversations/{id}/media": ["post"],
  "/api/chat/media/{id}": ["get"],
  "/api/chat/media/{id}/thumbnail": ["get"],
  "/api/chat/devices/{device}": ["put", "delete"],
  "/api/chat/users/{username}/keys": ["get"],
  "/api/chat/conversations/{id}/to-device": ["post"],
  "/api/chat/devices/{device}/inbox": ["get"],
  "/api/chat/devices/{device}/inbox/ack": ["post"],
  "/api/chat/search": ["get"],
  "/api/chat/push/key": ["get"],
  "/api/poker/tables": ["get", "post"],
  "/api/poker/tables/{id}": ["get"],
  "/api/poker/tables/{id}/seats": ["post"],
  "/api/poker/tables/{id}/seats/me": ["delete"],
  "/api/poker/tables/{id}/socket": ["get"],
  "/api/poker/hands/{id}": ["get"],
  "/api/poker/players/{username}/stats": ["get"],
  "/api/poker/wallet": ["get"],
  "/api/poker/wallet/deposits": ["post"],
  "/api/poker/wallet/withdrawals": ["post"],
  "/api/poker/admin/signals": ["get"],
  "/api/lockers/locations": ["get", "post"],
  "/api/lockers/locations/{id}": ["get"],
  "/api/lockers/locations/{id}/admin": ["get"],
  "/api/lockers/locations/{id}/pickup": ["post"],
  "/api/lockers/returns": ["post"],
  "/api/lockers/packages/{id}/extension": ["post"],
  "/api/lockers/packages/{id}/transit": ["post"],
  "/api/lockers/webhooks": ["get", "post"],
  "/api/lockers/webhooks/{id}": ["delete"],
  "/api/cricket/matches": ["get", "post"],
  "/api/cricket/matches/import": ["post"],
  "/api/cricket/matches/{id}": ["get"],
  "/api/cricket/matches/{id}/cricsheet": ["get"],
  "/api/cricket/matches/{id}/scorecard": ["get"],
  "/api/cricket/matches/{id}/commentary": ["get"],
  "/api/cricket/matches/{id}/partnerships": ["get"],
  "/api/cricket/matches/{id}/charts": ["get"],
  "/api/cricket/matches/{id}/scorers": ["post"],
  "/api/cricket/matches/{id}/deliveries": ["post"],
  "/api/cricket/matches/{id}/events": ["post"],
  "/api/cricket/matches/{id}/undo": ["post"],
  "/api/cricket/matches/{id}/socket": ["get"],
  "/api/cricket/players/{id}/stats": ["get"],
  "/api/cricket/matches/{id}/chat": ["get", "post"],
  "/api/cricket/matches/{id}/chat/{message_id}": ["delete"],
  "/api/cricket/matches/{id}/mutes": ["post"],
  "/api/cricket/matches/{id}/polls": ["get", "post"],
  "/api/cricket/matches/{id}/polls/{poll_id}/votes": ["post"],
  "/api/cricket/matches/{id}/polls/{poll_id}/close": ["post"],
  "/api/cricket/matches/{id}/stream": ["get", "post"],
  "/api/cricket/matches/{id}/stream/{file}": ["get", "put"],
  "/api/cricket/matches/{id}/watch": ["post"],
  "/api/cricket/follows": ["delete", "get", "post"],
  "/api/cricket/home": ["get"],
  "/api/lockers/packages": ["get", "post"],
  "/api/lockers/packages/{id}": ["get", "delete"],
  "/api/lockers/packages/{id}/qr": ["get"],
  "/api/lockers/packages/{id}/deposit": ["post"],
  "/api/lockers/packages/{id}/pickup": ["post"],
  "/api/lockers/packages/{id}/collect": ["post"],
  "/api/lockers/banks/{id}/pickup": ["post"],
  "/api/lockers/banks/{id}/doors/{door}": ["put"],
  "/api/chat/push/subscriptions": ["get", "post", "delete"],
  "/api/chat/conversations/{id}/members/{username}": ["delete"],
  "/api/chat/conversations/{id}/admins/{username}": ["post"],
  "/api/pay/keys": ["get", "post"],
  "/api/pay/keys/{key_id}": ["delete"],
  "/api/pay/checkout/{order_id}": ["get"],
  "/api/pay/checkout/{order_id}/pay": ["post"],
  "/api/pay/checkout/payments/{payment_id}/otp": ["post"],
  "/api/pay/webhooks": ["get", "post"],
  "/api/pay/webhooks/{id}": ["delete"],
  "/api/pay/webhooks/{id}/deliveries": ["get"],
  "/api/pay/links/{id}": ["get"],
  "/api/pay/links/{id}/orders": ["post"],
  "/api/pay/subscriptions/{id}": ["get"],
  "/api/pay/subscriptions/{id}/authorize": ["post"],
  "/api/pay/payments": ["get"],
  "/api/pay/payments/{id}/refund": ["post"],
  "/api/pay/payment-links": ["get"],
  "/api/pay/subscriptions": ["get"],
  "/api/pay/summary": ["get"],
  "/api/pay/reconciliation": ["get"],
  "/api/pay/settlements": ["get"],
  "/api/pay/routing": ["get", "put", "delete"],
  "/api/pay/reviews": ["get"],
  "/api/pay/reviews/{payment_id}/approve": ["post"],
  "/api/pay/reviews/{payment_id}/reject": ["post"],
  // Pay's Razorpay-compatible API (Razorpay's error shape).
  "/v1/orders": ["get", "post"],
  "/v1/orders/{id}": ["get"],
  "/v1/orders/{id}/payments": ["get"],
  "/v1/payments/create/json": ["post"],
  "/v1/payments/{id}/otp/submit": ["post"],
  "/v1/payments/{id}/otp/resend": ["post"],
  "/v1/payments/{id}": ["get"],
  "/v1/payments": ["get"],
  "/v1/payments/{id}/capture": ["post"],
  "/v1/payments/{id}/refund": ["post"],
  "/v1/refunds": ["get", "post"],
  "/v1/refunds/{id}": ["get"],
  "/v1/payments/{id}/refunds": ["get"],
  "/v1/payments/{id}/refunds/{refund_id}": ["get"],
  "/v1/payment_links": ["get", "post"],
  "/v1/payment_links/{id}": ["get", "patch"],
  "/v1/payment_links/{id}/cancel": ["post"],
  "/v1/customers": ["get", "post"],
  "/v1/customers/{id}": ["get", "put"],
  "/v1/plans": ["get", "post"],
  "/v1/plans/{id}": ["get"],
  "/v1/subscriptions": ["get", "post"],
  "/v1/subscriptions/{id}": ["get"],
  "/v1/subscriptions/{id}/cancel": ["post"],
  "/v1/subscriptions/{id}/pause": ["post"],
  "/v1/subscriptions/{id}/resume": ["post"],
  "/v1/settlements": ["get"],
  "/v1/settlements/{id}": ["get"],
  "/v1/settlements/recon/combined": ["get"],
  "/v1/methods": ["get"],
  "/api/news/stories": ["get", "post"],
  "/api/news/items/{id}": ["delete", "get", "patch"],
  "/api/news/items/{id}/live": ["get"],
  "/api/news/items/{id}/favorite": ["delete", "put"],
  "/api/news/live": ["get"],
  "/api/news/moderation": ["get", "post"],
  "/api/news/comments": ["post"],
  "/api/news/items/{id}/vote": ["delete", "post"],
  "/api/news/items/{id}/flag": ["post"],
  "/api/news/items/{id}/vouch": ["post"],
  "/api/news/users/{username}": ["get", "patch"],
  "/api/news/users/{username}/stories": ["get"],
  "/api/news/users/{username}/comments": ["get"],
  "/api/news/users/{username}/favorites": ["get"],
  "/api/news/users/{username}/upvoted": ["get"],
  "/v0/item/{id}": ["get"],
  "/v0/user/{id}": ["get"],
  "/v0/topstories.json": ["get"],
  "/v0/newstories.json": ["get"],
  "/v0/beststories.json": ["get"],
  "/v0/askstories.json": ["get"],
  "/v0/showstories.json": ["get"],
  "/v0/jobstories.json": ["get"],
  "/v0/maxitem.json": ["get"],
  "/v0/updates.json": ["get"],
};
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

async function get(path, headers = {}) {
  const res = await fetch(BASE + path, { headers, redirect: "manual" });
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, body, text: body.toString("utf8") };
}

/** The directives of a CSP: Map(name → [sources]). */
function csp(headers) {
  const value = headers.get("content-security-policy");
  assert.ok(value, "a Content-Security-Policy");
  return new Map(
    value
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name.toLowerCase(), sources]),
  );
}

/** nosniff, a referrer policy, no framing: on every response the worker makes. */
function assertBaseSecurityHeaders(headers, what) {
  assert.equal(headers.get("x-content-type-options"), "nosniff", `${what}: nosniff`);
  assert.equal(headers.get("x-frame-options"), "DENY", `${what}: X-Frame-Options`);
  assert.match(
    headers.get("referrer-policy") ?? "",
    /^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)$/,
    `${what}: Referrer-Policy`,
  );
}

function assertApiSecurityHeaders(headers, what) {
  assertBaseSecurityHeaders(headers, what);
  const policy = csp(headers);
  assert.deepEqual(policy.get("frame-ancestors"), ["'none'"], `${what}: frame-ancestors 'none'`);
  assert.deepEqual(policy.get("default-src"), ["'none'"], `${what}: JSON loads nothing`);
  assert.equal(headers.get("cache-control"), "no-store", `${what}: not cached`);
}

/** The bodies of inline scripts (no `src`) of an HTML page. */
function inlineScripts(html) {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)]
    .filter(([, attrs]) => !/\ssrc=/.test(attrs))
    .map(([, , body]) => body);
}

// --- /api: 404, 405, HEAD ---

test("an unknown /api path is 404 not_found in the JSON error shape", async () => {
  for (const path of ["/api", "/api/", "/api/nope", "/api/auth", "/api/auth/nope", "/api/auth/keys/a/b", "/api/links/a/b", "/api/links/a/stats/x"]) {
    for (const method of ["GET", "POST"]) {
      const res = await request(method, path);
      const err = expectError(assert, res, 404, "not_found");
      assert.equal(err.field, undefined);
      assertApiSecurityHeaders(res.headers, `${method} ${path}`);
    }
  }
});

test("a known path with the wrong method is 405 method_not_allowed", async () => {
  const cases = [
    ["PUT", "/api/health", ["GET"]],
    ["POST", "/api/health", ["GET"]],
    ["DELETE", "/api/openapi.json", ["GET"]],
    ["GET", "/api/auth/login", ["POST"]],
    ["GET", "/api/auth/register", ["POST"]],
    ["DELETE", "/api/auth/me", ["GET", "PATCH"]],
    ["PUT", "/api/auth/keys", ["GET", "POST"]],
    ["GET", "/api/auth/keys/01JDZ8W9Q3M5X6Y7Z8A9B0C1D2", ["DELETE"]],
  ];
  for (const [method, path, allowed] of cases) {
    const res = await request(method, path);
    const err = expectError(assert, res, 405, "method_not_allowed");
    for (const m of allowed) assert.match(err.message, new RegExp(`\\b${m}\\b`), `the message names ${m}`);
    assertApiSecurityHeaders(res.headers, `${method} ${path}`);
  }
});

test("a 405 carries an Allow header naming the accepted methods (RFC 9110 §15.5.6)", async () => {
  // HEAD is served wherever GET is, so it is listed with it.
  for (const [method, path, allowed] of [
    ["PUT", "/api/health", ["GET", "HEAD"]],
    ["DELETE", "/api/auth/me", ["GET", "HEAD", "PATCH"]],
    ["PUT", "/api/auth/keys", ["GET", "HEAD", "POST"]],
    ["GET", "/api/auth/login", ["POST"]],
  ]) {
    const res = await request(method, path);
    assert.equal(res.status, 405);
    const allow = (res.headers.get("allow") ?? "").split(",").map((m) => m.trim().toUpperCase()).filter(Boolean);
    assert.deepEqual(allow.sort(), [...allowed].sort(), `${method} ${path}: Allow header lists ${allowed}`);
  }
});

test("HEAD works where GET does, without a body", async () => {
  const health = await fetch(`${BASE}/api/health`, { method: "HEAD" });
  assert.equal(health.status, 200);
  assert.match(health.headers.get("content-type") ?? "", /^application\/json/);
  assert.equal(await health.text(), "");
  assertApiSecurityHeaders(health.headers, "HEAD /api/health");

  const doc = await fetch(`${BASE}/api/openapi.json`, { method: "HEAD" });
  assert.equal(doc.status, 200);
  assert.equal(await doc.text(), "");

  const me = await fetch(`${BASE}/api/auth/me`, { method: "HEAD" });
  assert.equal(me.status, 401);
  assert.equal(await me.text(), "");

  const login = await fetch(`${BASE}/api/auth/login`, { method: "HEAD" });
  assert.equal(login.status, 405, "HEAD is GET, which sign-in does not take");
});

// --- security headers ---

test("API responses carry the security headers, whatever their status", async () => {
  const responses = [
    ["GET /api/health", await request("GET", "/api/health")],
    ["GET /api/openapi.json", await request("GET", "/api/openapi.json")],
    ["GET /api/auth/me (401)", await request("GET", "/api/auth/me")],
    ["POST /api/auth/login (415)", await request("POST", "/api/auth/login", { body: "x", headers: { "content-type": "text/plain" } })],
    ["POST /api/auth/login (422)", await request("POST", "/api/auth/login", { body: {} })],
  ];
  for (const [what, res] of responses) {
    assert.ok(res.status < 500, `${what}: ${res.status}`);
    assertApiSecurityHeaders(res.headers, what);
  }
});

// --- the SPA shell ---

test("the shell's CSP allows wasm and exactly its inline loader by hash, never unsafe-inline", async () => {
  const res = await get("/", HTML);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
  assertBaseSecurityHeaders(res.headers, "the shell");
  assert.equal(res.headers.get("cache-control"), "no-cache", "revalidated so a deploy is seen at once");

  const policy = csp(res.headers);
  const scripts = inlineScripts(res.text);
  assert.ok(scripts.length >= 1, "Trunk's inline module loader is there");
  const hashes = scripts.map((s) => `'sha256-${createHash("sha256").update(s).digest("base64")}'`);
  assert.deepEqual(
    [...policy.get("script-src")].sort(),
    ["'self'", "'wasm-unsafe-eval'", ...hashes].sort(),
    "script-src: our origin, wasm compilation, and the hash of each inline script",
  );
  const header = res.headers.get("content-security-policy");
  assert.ok(!header.includes("'unsafe-inline'"), header);
  assert.ok(!header.includes("'unsafe-eval'"), header);
  assert.deepEqual(policy.get("frame-ancestors"), ["'none'"]);
  assert.deepEqual(policy.get("object-src"), ["'none'"]);
  assert.deepEqual(policy.get("base-uri"), ["'none'"]);
  assert.deepEqual(policy.get("default-src"), ["'self'"]);
  assert.deepEqual(policy.get("connect-src"), ["'self'"]);
  assert.ok(policy.get("manifest-src")?.includes("'self'") ?? policy.get("default-src").includes("'self'"));
  assert.ok(policy.get("worker-src")?.includes("'self'") ?? policy.get("default-src").includes("'self'"));

  // The page is the built index.html that loads the app and names the manifest.
  assert.match(res.text, /<link rel="manifest" href="\/manifest\.webmanifest"/);
  assert.match(res.text, /_bg\.wasm/);
});

test("every bundle's assets are served with matching integrity and long caching", async () => {
  // One page of each bundle (app/bundles.json): the shell, the account, Links, Pay's dashboard and checkout.
  for (const page of ["/", "/account", "/links", "/pay", "/pay/checkout/order_x"]) {
    const html = await get(page, HTML);
    const refs = [...html.text.matchAll(/<link\b[^>]*\bhref="(\/assets\/[^"]+)"[^>]*\bintegrity="([^"]+)"/g)];
    assert.ok(refs.length >= 2, `${page}: the stylesheet and the app are referenced with SRI`);
    const types = { ".js": /javascript/, ".wasm": /^application\/wasm/, ".css": /^text\/css/ };
    for (const [, path, integrity] of refs) {
      const res = await get(path);
      assert.equal(res.status, 200, path);
      const ext = path.slice(path.lastIndexOf("."));
      assert.match(res.headers.get("content-type") ?? "", types[ext], `${path} content type`);
      assert.match(res.headers.get("cache-control") ?? "", /immutable/, `${path} is cached for good`);
      assertBaseSecurityHeaders(res.headers, path);
      const [algorithm, digest] = integrity.split(/-(.*)/s);
      assert.equal(createHash(algorithm).update(res.body).digest("base64"), digest, `${path} matches its integrity`);
    }
  }
});

test("SPA routes are answered with their bundle's page", async () => {
  // Each bundle's page, with a CSP naming that page's own inline loader.
  const bundles = {
    shell: ["/signin", "/", "/signup", "/offline", "/music", "/index.html"],
    account: ["/account", "/account?tab=keys"],
    links: ["/links", "/links/", "/links/abc/stats"],
    pay: ["/pay", "/pay?tab=keys", "/pay/checkout"],
    "pay-checkout": ["/pay/checkout/order_1", "/pay/link/plink_1", "/pay/subscription/sub_1"],
    poker: ["/poker", "/poker/tables/t_1"],
  };
  const pages = new Set();
  for (const [bundle, paths] of Object.entries(bundles)) {
    const first = await get(paths[0], HTML);
    first.text = withEmptyFrame(first.text);
    assert.match(first.text, new RegExp(`/assets/${bundle}/`), `${paths[0]} is the ${bundle} bundle's page`);
    pages.add(first.text);
    const policy = first.headers.get("content-security-policy");
    for (const path of paths) {
      for (const headers of [HTML, {}]) {
        const res = await get(path, headers);
        assert.equal(res.status, 200, `${path} (${headers.accept ?? "no Accept"})`);
        assert.match(res.headers.get("content-type") ?? "", /^text\/html/, path);
        // `/` and the main pages carry their first paint in the frame (shared::home, shared::page_head).
        assert.equal(withEmptyFrame(res.text), first.text, `${path} is the ${bundle} bundle's page`);
        assert.equal(res.headers.get("content-security-policy"), policy, path);
        assertBaseSecurityHeaders(res.headers, path);
      }
    }
  }
  assert.equal(pages.size, 6, "six bundles, six pages");
});

const EMPTY_FRAME = '<main class="page-loading" aria-busy="true"></main>';
const withEmptyFrame = (html) => html.replace(/<main class="page-loading">.*<\/main>/s, EMPTY_FRAME);

test("a product's main page has its head in the first response; its other pages an empty frame", async () => {
  const heads = { "/links": "Links", "/links/": "Links", "/pay": "Pay", "/pay?tab=keys": "Pay", "/account": "Your account" };
  for (const [path, title] of Object.entries(heads)) {
    const res = await get(path, HTML);
    const main = res.text.match(/<main class="page-loading">(.*)<\/main>/s)?.[1] ?? "";
    assert.match(main, new RegExp(`^<header class="page-head [a-z]+"><div class="page-title"><h1>${title}</h1>`), path);
    assert.match(main, /<p class="lede">[^<]{20,}<\/p><\/header>$/, path);
    assert.doesNotMatch(main, /<script|on[a-z]+=/i);
  }
  for (const path of ["/links/abc/stats", "/pay/checkout/order_1", "/signin"]) {
    assert.ok((await get(path, HTML)).text.includes(EMPTY_FRAME), path);
  }
});

test("/ is readable before any wasm runs: the hero and the twelve products are in the first response", async () => {
  const res = await get("/", HTML);
  assert.equal(res.status, 200);
  const main = res.text.match(/<main class="page-loading">(.*)<\/main>/s)?.[1] ?? "";
  assert.match(main, /<h1>Twelve products\. One account\.<\/h1>/);
  assert.equal(main.match(/<li class="product-card/g)?.length, 12);
  assert.match(main, /<a href="\/links" rel="external" class="product-link">/);
  assert.match(main, /<p class="hero-actions"><\/p>/, "the session's buttons have their slot");
  assert.ok(!res.text.includes(EMPTY_FRAME));
  // The content is plain HTML: the page's CSP (scripts by hash only) is unchanged by it.
  assert.doesNotMatch(main, /<script|on[a-z]+=/i);
});

test("every SPA route the service worker knows is a shell route of the worker", async () => {
  const sw = await get("/sw.js");
  const line = sw.text.split("\n").find((l) => l.trim().startsWith("const SPA_ROUTES"));
  assert.ok(line, "sw.js declares SPA_ROUTES");
  const routes = JSON.parse(line.slice(line.indexOf("["), line.lastIndexOf("]") + 1));
  for (const slug of ["links", "account", "signin", "signup", "offline"]) assert.ok(routes.includes(slug), slug);
  assert.equal(routes.length, 16, "twelve products and four shell pages");
  for (const slug of routes) {
    const res = await get(`/${slug}`, HTML);
    assert.equal(res.status, 200, `/${slug}`);
    assert.match(res.headers.get("content-type") ?? "", /^text\/html/, `/${slug}`);
  }
});

// --- short-code-like root paths ---

test("a short-code-like path is 404: JSON for programs, a page for browsers", async () => {
  for (const headers of [JSON_ACCEPT, {}, { accept: "*/*" }]) {
    const res = await request("GET", "/abc1234", { headers });
    const err = expectError(assert, res, 404, "not_found");
    assert.match(err.message, /abc1234/);
    assertBaseSecurityHeaders(res.headers, `/abc1234 (${headers.accept ?? "no Accept"})`);
  }

  const page = await get("/abc1234", HTML);
  assert.equal(page.status, 404);
  assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
  assert.match(page.text, /^<!doctype html>/i);
  assert.match(page.text, /<code>\/abc1234<\/code>/);
  assert.match(page.text, /<a href="\/">/);
  assert.doesNotMatch(page.text, /<script/i);
  assertBaseSecurityHeaders(page.headers, "the 404 page");
  const policy = csp(page.headers);
  assert.deepEqual(policy.get("frame-ancestors"), ["'none'"]);
  assert.deepEqual(policy.get("default-src"), ["'none'"]);
  assert.equal(policy.get("script-src"), undefined, "the 404 page runs no script");

  // Near misses of SPA routes are not SPA routes.
  for (const path of ["/linksx", "/Links2", "/x/y"]) {
    expectError(assert, await request("GET", path, { headers: JSON_ACCEPT }), 404, "not_found");
  }
});

test("the JSON 404 at the root carries the same headers as any API error (CSP, no-store)", async () => {
  const res = await request("GET", "/abc1234", { headers: JSON_ACCEPT });
  assert.equal(res.status, 404);
  assertApiSecurityHeaders(res.headers, "JSON 404 at /abc1234");
});

// --- the PWA's static files ---

test("the manifest is served with its type and names icons that exist at their sizes", async () => {
  const res = await get("/manifest.webmanifest");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^application\/manifest\+json/);
  assertBaseSecurityHeaders(res.headers, "the manifest");
  const manifest = JSON.parse(res.text);
  assert.equal(typeof manifest.name, "string");
  assert.equal(typeof manifest.short_name, "string");
  assert.equal(manifest.start_url, "/");
  assert.equal(manifest.display, "standalone");
  assert.match(manifest.theme_color, /^#[0-9a-f]{3,8}$/i);
  const sizes = manifest.icons.map((i) => `${i.sizes}${i.purpose?.includes("maskable") ? " maskable" : ""}`);
  for (const wanted of ["192x192", "512x512", "512x512 maskable"]) assert.ok(sizes.includes(wanted), `${wanted} icon`);

  for (const icon of manifest.icons) {
    const png = await get(icon.src);
    assert.equal(png.status, 200, icon.src);
    assert.equal(png.headers.get("content-type"), icon.type ?? "image/png", icon.src);
    assert.deepEqual([...png.body.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${icon.src} is a PNG`);
    const [w, h] = [png.body.readUInt32BE(16), png.body.readUInt32BE(20)];
    assert.equal(`${w}x${h}`, icon.sizes, `${icon.src} is ${icon.sizes}`);
  }
});

test("the service worker is served fresh, built, and everything it precaches exists", async () => {
  const res = await get("/sw.js");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /javascript/);
  assert.equal(res.headers.get("cache-control"), "no-cache", "updates are picked up at once");
  assertBaseSecurityHeaders(res.headers, "sw.js");
  assert.doesNotMatch(res.text, /__DOZEN_[A-Z_]+__/, "the build filled in its placeholders");
  // The shell is precached; every bundle's files are listed, so each can be saved once used.
  const constant = (name) => {
    const line = res.text.split("\n").find((l) => l.trim().startsWith(`const ${name} =`));
    assert.ok(line, `sw.js declares ${name}`);
    return JSON.parse(line.slice(line.indexOf("=") + 1).trim().replace(/;$/, ""));
  };
  const files = constant("BUNDLE_FILES");
  const bundles = JSON.parse(readFileSync(new URL("../../app/bundles.json", import.meta.url), "utf8")).bundles;
  assert.deepEqual(Object.keys(files).sort(), Object.keys(bundles).sort(), "every bundle of app/bundles.json");
  for (const [bundle, paths] of Object.entries(files)) {
    assert.ok(paths.includes(`/assets/${bundle}/`), `${bundle}: its page is listed`);
    assert.ok(paths.some((p) => p.endsWith(".wasm")), `${bundle}: its wasm is listed`);
    for (const path of paths) assert.ok(path.startsWith(`/assets/${bundle}/`), `${path} is the ${bundle} bundle's`);
  }
  for (const path of [...constant("ALWAYS"), ...Object.values(files).flat()]) {
    const asset = await get(path);
    assert.equal(asset.status, 200, `listed ${path}`);
  }
  assert.deepEqual(constant("BUNDLE_ROUTES")[0], ["/pay/checkout/", "pay-checkout"]);

  const robots = await get("/robots.txt");
  assert.equal(robots.status, 200);
  assert.match(robots.text, /Disallow: \/api\//);
});

// --- OpenAPI ---

test("/api/openapi.json is OpenAPI 3.1 and lists exactly the route table", async () => {
  const res = await request("GET", "/api/openapi.json");
  assert.equal(res.status, 200, res.text);
  assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
  assertApiSecurityHeaders(res.headers, "openapi.json");
  const doc = res.json;
  assert.match(doc.openapi, /^3\.1\.\d+$/);
  const health = await request("GET", "/api/health");
  assert.equal(doc.info.version, health.json.version, "the document names the build");
  assert.equal(typeof doc.info.title, "string");

  const listed = Object.fromEntries(
    Object.entries(doc.paths).map(([path, item]) => [path, Object.keys(item).filter((k) => METHODS.includes(k.toUpperCase())).sort()]),
  );
  assert.deepEqual(listed, Object.fromEntries(Object.entries(ROUTES).map(([p, m]) => [p, [...m].sort()])));

  for (const [path, methods] of Object.entries(ROUTES)) {
    for (const method of methods) {
      const op = doc.paths[path][method];
      assert.ok(Object.keys(op.responses ?? {}).length > 0, `${method} ${path} documents its responses`);
    }
  }
  for (const [path, method] of [
    ["/api/auth/register", "post"],
    ["/api/auth/login", "post"],
    ["/api/auth/me", "patch"],
    ["/api/auth/keys", "post"],
  ]) {
    assert.ok(doc.paths[path][method].requestBody?.content?.["application/json"], `${method} ${path} has a JSON body`);
  }
  const idParam = doc.paths["/api/auth/keys/{id}"].delete.parameters ?? [];
  assert.ok(idParam.some((p) => p.name === "id" && p.in === "path"), "the key ID is a path parameter");
  for (const schema of ["ErrorEnvelope", "UserView", "RegisterRequest", "LoginRequest", "CreatedApiKey", "ApiKeyList"]) {
    assert.ok(doc.components?.schemas?.[schema], `schema ${schema}`);
  }
  const schemes = doc.components?.securitySchemes ?? {};
  assert.ok(Object.values(schemes).some((s) => s.type === "http" && s.scheme === "bearer"), "Bearer API keys");
  assert.ok(Object.values(schemes).some((s) => s.type === "apiKey" && s.in === "cookie"), "the session cookie");
});

test("the route table answers exactly what the document lists", async () => {
  for (const [template, methods] of Object.entries(ROUTES)) {
    const path = template.replace("{id}", "01JDZ8W9Q3M5X6Y7Z8A9B0C1D2").replace("{code}", "Ab3dE9z").replace("{hostname}", "go.example.test");
    for (const method of METHODS) {
      // No body and no credentials: the handler refuses, but the route must exist (or not).
      const res = await request(method, path);
      assert.ok(res.status < 500, `${method} ${path}: ${res.status} ${res.text}`);
      if (methods.includes(method.toLowerCase())) {
        assert.notEqual(res.status, 405, `${method} ${path} is routed`);
        assert.ok(!(res.status === 404 && /No API endpoint/.test(res.text)), `${method} ${path} is routed`);
      } else if (path.startsWith("/v1/")) {
        assert.equal(res.status, 405, `${method} ${path}: ${res.text}`);
        assert.equal(res.json?.error?.code, "BAD_REQUEST_ERROR", `${method} ${path} answers in Razorpay's shape`);
      } else {
        expectError(assert, res, 405, "method_not_allowed");
      }
    }
  }
});
