// Custom short domains: register, resolve codes by the Host header in the domain's own
// namespace (the same alias on two domains), ownership, and removal.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import { test } from "node:test";
import { BASE, expectError, request, signUp } from "../support/api.mjs";

const hostname = () => `go-${randomBytes(4).toString("hex")}.example.test`;

/**
 * GET a root path as if sent to `host`: wrangler passes the Host header through, and the worker
 * sees it as the URL's host. (fetch() may not set Host, so this uses node:http.)
 */
function visitAs(host, path, headers = {}) {
  const { hostname, port } = new URL(BASE);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, method: "GET", headers: { host, accept: "application/json", ...headers } }, (res) => {
      let text = "";
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode, location: res.headers.location ?? null, text }));
    });
    req.on("error", reject);
    req.end();
  });
}

test("register, list and refuse bad or taken domains", async () => {
  const { jar } = await signUp();
  const host = hostname();
  const created = await request("POST", "/api/domains", { body: { hostname: ` ${host.toUpperCase()}. ` }, jar });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.json.hostname, host);
  const list = await request("GET", "/api/domains", { jar });
  assert.deepEqual(list.json.domains.map((d) => d.hostname), [host]);

  expectError(assert, await request("POST", "/api/domains", { body: { hostname: host }, jar }), 409, "conflict", "hostname");
  const other = await signUp();
  expectError(assert, await request("POST", "/api/domains", { body: { hostname: host }, jar: other.jar }), 409, "conflict");
  for (const bad of ["", "localhost", "https://x.example", "192.0.2.1", "127.0.0.1"]) {
    expectError(assert, await request("POST", "/api/domains", { body: { hostname: bad }, jar }), 422, "validation_failed", "hostname");
  }
  expectError(assert, await request("POST", "/api/domains", { body: { hostname: hostname() } }), 401, "unauthenticated");
});

test("a code resolves in its domain's namespace; the same alias can live on two domains", async () => {
  const { jar } = await signUp();
  const host = hostname();
  assert.equal((await request("POST", "/api/domains", { body: { hostname: host }, jar })).status, 201);
  const alias = `promo-${randomBytes(3).toString("hex")}`;
  const onDomain = await request("POST", "/api/links", { body: { url: "https://shop.example/custom", alias, domain: host }, jar });
  assert.equal(onDomain.status, 201, onDomain.text);
  assert.equal(onDomain.json.domain, host);
  assert.equal(onDomain.json.short_url, `https://${host}/${alias}`);
  const onMain = await request("POST", "/api/links", { body: { url: "https://shop.example/main", alias }, jar });
  assert.equal(onMain.status, 201, "the same alias on the main host is another link");

  const custom = await visitAs(host, `/${alias}`);
  assert.equal(custom.status, 302);
  assert.equal(custom.location, "https://shop.example/custom");
  const main = await visitAs(new URL(BASE).host, `/${alias}`);
  assert.equal(main.location, "https://shop.example/main");

  // The custom domain serves only its links: no app there, and main-host codes do not leak over.
  const mainOnly = await request("POST", "/api/links", { body: { url: "https://only.example/", alias: `${alias}-m` }, jar });
  assert.equal(mainOnly.status, 201);
  assert.equal((await visitAs(host, `/${alias}-m`)).status, 404);
  assert.equal((await visitAs(host, "/links", { accept: "text/html" })).status, 404);

  // Owner reads, stats and QR name the domain.
  const got = await request("GET", `/api/links/${alias}?domain=${host}`, { jar });
  assert.equal(got.status, 200);
  assert.equal(got.json.url, "https://shop.example/custom");
  const qr = await fetch(`${BASE}/api/links/${alias}/qr?domain=${host}`);
  assert.equal(qr.status, 200);
  assert.match(qr.headers.get("content-type"), /image\/svg\+xml/);
  assert.equal((await fetch(`${BASE}/api/links/${alias}/qr?domain=nobody.example.test`)).status, 404);
});

test("only the owner may put links on a domain or remove it; removal waits for its links", async () => {
  const owner = await signUp();
  const intruder = await signUp();
  const host = hostname();
  assert.equal((await request("POST", "/api/domains", { body: { hostname: host }, jar: owner.jar })).status, 201);
  expectError(
    assert,
    await request("POST", "/api/links", { body: { url: "https://evil.example/", alias: "grab-it", domain: host }, jar: intruder.jar }),
    422,
    "validation_failed",
    "domain",
  );
  expectError(assert, await request("DELETE", `/api/domains/${host}`, { jar: intruder.jar }), 404, "not_found");
  const link = await request("POST", "/api/links", { body: { url: "https://a.example/", alias: "keep-it", domain: host }, jar: owner.jar });
  assert.equal(link.status, 201);
  expectError(assert, await request("DELETE", `/api/domains/${host}`, { jar: owner.jar }), 409, "conflict");
  assert.equal((await request("DELETE", `/api/links/keep-it?domain=${host}`, { jar: owner.jar })).status, 204);
  assert.equal((await request("DELETE", `/api/domains/${host}`, { jar: owner.jar })).status, 204);
  assert.deepEqual((await request("GET", "/api/domains", { jar: owner.jar })).json.domains, []);
});
