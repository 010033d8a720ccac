// Links' clicks queue, end to end against a real `wrangler dev` and its local Queues: the
// redirect hands each click to the `dozen-clicks` queue (gathered with the clicks of concurrent
// redirects), and the worker's own consumer writes a delivery to D1 in one batch. These tests
// read the consumer's log lines (wrangler's log, in the run's state folder) to see batches and
// retries, and make D1 refuse clicks for a while with a trigger, to see that nothing is lost or
// doubled when writes fail.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { clientIp, d1, request, rows, signUp } from "../support/api.mjs";

const LOG = join(process.env.DOZEN_STATE_DIR, "wrangler.log");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** What wrangler's log says from now on: call `since()` to read what was added since. */
function logMark() {
  const start = statSync(LOG).size;
  return { since: () => readFileSync(LOG, "utf8").slice(start) };
}

/** How many clicks each send to the queue carried, from the redirects' log lines. */
function sends(log) {
  return [...log.matchAll(/clicks: sent (\d+) to the queue/g)].map((m) => Number(m[1]));
}

/** The sizes of the batches the consumer wrote, from its log lines. */
function batchesWritten(log) {
  return [...log.matchAll(/clicks queue: wrote (\d+) of (\d+) clicks in one batch/g)].map((m) => Number(m[2]));
}

async function newLink(jar) {
  const res = await request("POST", "/api/links", {
    jar,
    body: { url: `https://dest-${randomBytes(5).toString("hex")}.example/q`, alias: `q-${randomBytes(5).toString("hex")}` },
  });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

function click(code, { referrer } = {}) {
  const headers = { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/124.0 Safari/537.36", "cf-connecting-ip": clientIp() };
  if (referrer) headers.referer = referrer;
  return request("GET", `/${code}`, { headers });
}

async function stats(jar, code) {
  const res = await request("GET", `/api/links/${code}/stats`, { jar });
  assert.equal(res.status, 200, res.text);
  return res.json;
}

/** Polls until `done(stats)` or `ms` pass; returns the last stats read. */
async function waitForStats(jar, code, done, ms = 8000) {
  const deadline = Date.now() + ms;
  let s = await stats(jar, code);
  while (!done(s) && Date.now() < deadline) {
    await sleep(150);
    s = await stats(jar, code);
  }
  return s;
}

/** Polls wrangler's log (from `mark`) until `pattern` shows, for at most `ms`. */
async function waitForLog(mark, pattern, ms = 8000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (pattern.test(mark.since())) return true;
    await sleep(100);
  }
  return false;
}

const REFUSE = "dozen_test_refuse_clicks";

/** Makes D1 refuse new clicks (all, or only those with this referrer host) until `allow()`. */
function refuseClicks(referrerHost) {
  const when = referrerHost ? ` WHEN NEW.referrer_host = '${referrerHost}'` : "";
  d1(`CREATE TRIGGER ${REFUSE} BEFORE INSERT ON links_clicks${when} BEGIN SELECT RAISE(ABORT, 'refused by a test'); END;`);
  return { allow: () => d1(`DROP TRIGGER IF EXISTS ${REFUSE}`) };
}

test("40 concurrent clicks reach D1 in batches, not one write each, and every one is counted once", async () => {
  const { jar } = await signUp();
  const link = await newLink(jar);
  const mark = logMark();
  const hops = await Promise.all(Array.from({ length: 40 }, () => click(link.code)));
  for (const hop of hops) assert.equal(hop.status, 302);
  const s = await waitForStats(jar, link.code, (x) => x.clicks >= 40);
  await sleep(1500);
  assert.equal((await stats(jar, link.code)).clicks, 40);
  assert.equal(s.clicks, 40);
  // Gathered in the isolate: fewer sends than clicks...
  const sent = sends(mark.since());
  assert.equal(sent.reduce((a, b) => a + b, 0), 40, `sends ${sent}`);
  assert.ok(sent.length < 40 && Math.max(...sent) > 1, `clicks sent together: ${sent}`);
  // ...and written by the consumer in batches.
  const batches = batchesWritten(mark.since());
  assert.equal(batches.reduce((a, b) => a + b, 0), 40, `batches ${batches}`);
  assert.ok(batches.length < 40 && Math.max(...batches) > 1, `written in batches: ${batches}`);
  assert.doesNotMatch(mark.since(), /writing (it|them|clicks) directly/, "the queue took every click");
});

test("clicks D1 refuses are retried until they are written: none lost, none doubled", async () => {
  const { jar } = await signUp();
  const link = await newLink(jar);
  const mark = logMark();
  const refusal = refuseClicks();
  try {
    for (let i = 0; i < 5; i++) assert.equal((await click(link.code)).status, 302, "the redirect never waits on the click");
    assert.ok(await waitForLog(mark, /clicks queue: \d+ clicks retried/), `a retry was logged:\n${mark.since()}`);
    assert.equal((await stats(jar, link.code)).clicks, 0, "nothing written while D1 refuses");
  } finally {
    refusal.allow();
  }
  const s = await waitForStats(jar, link.code, (x) => x.clicks >= 5);
  await sleep(1500);
  assert.equal(s.clicks, 5);
  assert.equal((await stats(jar, link.code)).clicks, 5, "and no more after the redeliveries settle");
});

test("one click D1 refuses does not hold back the others of its batch", async () => {
  const { jar } = await signUp();
  const link = await newLink(jar);
  const mark = logMark();
  const refusal = refuseClicks("refused.example");
  try {
    const hops = await Promise.all([
      click(link.code, { referrer: "https://refused.example/post" }),
      ...Array.from({ length: 4 }, () => click(link.code, { referrer: "https://fine.example/" })),
    ]);
    for (const hop of hops) assert.equal(hop.status, 302);
    const s = await waitForStats(jar, link.code, (x) => x.clicks >= 4);
    assert.equal(s.clicks, 4, "the four others are written");
    assert.deepEqual(s.referrers, [{ key: "fine.example", clicks: 4 }]);
    assert.ok(await waitForLog(mark, /clicks queue: 1 clicks retried/), `the refused one is retried:\n${mark.since()}`);
  } finally {
    refusal.allow();
  }
  const s = await waitForStats(jar, link.code, (x) => x.clicks >= 5);
  await sleep(1500);
  assert.equal((await stats(jar, link.code)).clicks, 5);
  assert.deepEqual(
    s.referrers.sort((a, b) => a.key.localeCompare(b.key)),
    [
      { key: "fine.example", clicks: 4 },
      { key: "refused.example", clicks: 1 },
    ],
  );
});

test("a click still in the queue when its link is deleted is dropped, not retried forever", async () => {
  const { jar } = await signUp();
  const link = await newLink(jar);
  const linkId = rows(d1(`SELECT id FROM links WHERE code = '${link.code}'`))[0].id;
  const mark = logMark();
  assert.equal((await click(link.code)).status, 302);
  assert.equal((await request("DELETE", `/api/links/${link.code}`, { jar })).status, 204);
  assert.ok(await waitForLog(mark, /clicks queue: wrote 0 of 1 clicks in one batch/), `consumed, nothing written:\n${mark.since()}`);
  await sleep(1500);
  assert.doesNotMatch(mark.since(), /clicks retried|not recorded/);
  assert.equal(rows(d1(`SELECT COUNT(*) AS n FROM links_clicks WHERE link_id = '${linkId}'`))[0].n, 0);
});

test("a click id is stored once: the consumer's insert, delivered twice, writes one row", async () => {
  const { jar } = await signUp();
  const link = await newLink(jar);
  assert.equal((await click(link.code)).status, 302);
  await waitForStats(jar, link.code, (x) => x.clicks >= 1);
  const [stored] = rows(d1(`SELECT c.* FROM links_clicks c JOIN links l ON l.id = c.link_id WHERE l.code = '${link.code}'`));
  assert.match(stored.click_id, /^[0-9A-Z]{26}$/, "the redirect gave the click its id");
  // The statement of worker/src/links/store/clicks.rs, as a redelivery of this click runs it.
  const insert = (clickId) =>
    `INSERT OR IGNORE INTO links_clicks (link_id, clicked_at, referrer_host, country, device, browser, os, visitor, is_bot, click_id) ` +
    `SELECT '${stored.link_id}', ${stored.clicked_at}, '', 'unknown', 'desktop', 'Chrome', 'Linux', 'v', 0, '${clickId}' ` +
    `WHERE EXISTS (SELECT 1 FROM links WHERE id = '${stored.link_id}')`;
  d1(insert(stored.click_id));
  d1(insert(stored.click_id));
  assert.equal((await stats(jar, link.code)).clicks, 1, "the same click twice more: still one");
  d1(insert("01KZZZZZZZZZZZZZZZZZZZZZZZ"));
  assert.equal((await stats(jar, link.code)).clicks, 2, "while a click with a new id is written");
});
