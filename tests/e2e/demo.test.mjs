// The lived-in demo `make dev` opens onto: every product's seeder, run through the local-only
// `POST /api/demo`, once per state folder. Signs in as the README's demo account and checks that
// each product shows real-looking data, read through the same APIs the pages use.
import assert from "node:assert/strict";
import { test } from "node:test";
import { expectError, login, request } from "../support/api.mjs";

const DAY_MS = 86_400_000;
let first;

test("POST /api/demo seeds every product once; a second call seeds nothing", async () => {
  first = await request("POST", "/api/demo");
  assert.equal(first.status, 200, first.text);
  assert.equal(first.json.seeded.auth, 1);
  assert.ok(first.json.seeded.links >= 1_500, first.text);
  const again = await request("POST", "/api/demo");
  assert.equal(again.status, 200, again.text);
  assert.deepEqual(again.json.seeded, {});
  assert.deepEqual([...again.json.already].sort(), Object.keys(first.json.seeded).sort());
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
  const codes = list.json.links.map((l) => l.code).sort();
  assert.deepEqual(codes, ["docs", "hiring", "launch-post", "newsletter", "spring-sale", "webinar-dec"]);
  assert.ok(list.json.links.every((l) => l.clicks > 0), "every link has clicks");
  assert.ok(list.json.links.some((l) => l.tags.includes("campaign")));
  const total = list.json.links.reduce((n, l) => n + l.clicks, 0);
  assert.equal(total, 1_500);
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
