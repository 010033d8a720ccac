// News end to end against `wrangler dev`: submitting (rules, duplicates), the lists, threads,
// votes under concurrent clicks, karma gates, flags → dead → vouch, the new-account pace, text
// that stays inert, and HN's read API at /v0 with HN's shapes and `null` answers.
import assert from "node:assert/strict";
import { test } from "node:test";
import { d1, expectError, request, rows, signUp } from "../support/api.mjs";
import { comment, get, post, setKarma, story, submit, unique } from "../support/news.mjs";

test("a link is submitted, listed and read; the same URL again goes to it and counts as an upvote", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const path = unique();
  const made = await post(ann, "/api/news/stories", { title: "  Rust   is fast ", url: `https://www.github.com/dozen/${path}?utm_source=x` });
  assert.equal(made.status, 201, made.text);
  const s = made.json.story;
  assert.equal(made.json.duplicate, false);
  assert.equal(s.title, "Rust is fast");
  assert.equal(s.kind, "link");
  assert.equal(s.site, "github.com/dozen");
  assert.equal(s.points, 1);
  assert.equal(s.by, ann.user.username);
  assert.equal(s.editable, true);

  const newest = await get(null, "/api/news/stories?list=new");
  assert.equal(newest.status, 200, newest.text);
  assert.equal(newest.json.stories[0].id, s.id);
  const front = await get(null, "/api/news/stories");
  assert.ok(front.json.stories.some((x) => x.id === s.id), "on the front page");

  const again = await post(bob, "/api/news/stories", { title: "Same thing", url: `http://github.com/dozen/${path}/#top` });
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.duplicate, true);
  assert.equal(again.json.story.id, s.id);
  assert.equal(again.json.story.points, 2, "the duplicate upvoted it");
  assert.equal(again.json.story.voted, "up");

  const page = await get(bob, `/api/news/items/${s.id}`);
  assert.equal(page.status, 200, page.text);
  assert.equal(page.json.story.points, 2);
  assert.ok(page.json.rank.age_term > 0 && Array.isArray(page.json.rank.penalties));
});

test("bad submissions are refused with the field named; writing needs an account", async () => {
  const ann = await signUp();
  expectError(assert, await post(null, "/api/news/stories", { title: "x", url: "https://e.example/" }), 401, "unauthenticated");
  expectError(assert, await post(ann, "/api/news/stories", { title: "   ", url: "https://e.example/" }), 422, "validation_failed", "title");
  expectError(assert, await post(ann, "/api/news/stories", { title: "THIS IS THE GREATEST THING EVER", url: "https://e.example/" }), 422, "validation_failed", "title");
  expectError(assert, await post(ann, "/api/news/stories", { title: "x".repeat(81), url: "https://e.example/" }), 422, "validation_failed", "title");
  expectError(assert, await post(ann, "/api/news/stories", { title: "Script", url: "javascript:alert(1)" }), 422, "validation_failed", "url");
  expectError(assert, await post(ann, "/api/news/stories", { title: "Ask HN: nothing?" }), 422, "validation_failed", "text");
  const extra = await post(ann, "/api/news/stories", { title: "x", url: "https://e.example/", votes: 1000 });
  assert.ok([400, 422].includes(extra.status), extra.text);
  expectError(assert, await get(null, "/api/news/stories?list=hot"), 422, "validation_failed", "list");
  expectError(assert, await get(null, "/api/news/stories?page=0"), 422, "validation_failed", "page");
  expectError(assert, await get(null, "/api/news/items/abc"), 404, "not_found");
  expectError(assert, await get(null, "/api/news/items/99999999"), 404, "not_found");
  expectError(assert, await post(ann, "/api/news/comments", { parent: 99999999, text: "hi" }), 404, "not_found", "parent");
});

test("an Ask is a text post; titles, texts and profiles with markup stay text", async () => {
  const ann = await signUp();
  const ask = (await submit(ann, { title: "Ask HN: <script>alert(1)</script> how?", text: "<img src=x onerror=alert(1)>\n\nsecond" })).story;
  assert.equal(ask.kind, "ask");
  assert.equal(ask.url, null);
  assert.equal(ask.title, "Ask HN: <script>alert(1)</script> how?", "stored as typed, shown as text");
  const item = await get(null, `/v0/item/${ask.id}.json`);
  assert.equal(item.json.text, "&lt;img src=x onerror=alert(1)&gt;<p>second");
  const asks = await get(null, "/api/news/stories?list=ask");
  assert.ok(asks.json.stories.some((x) => x.id === ask.id));
});

test("one vote per person per item, however many clicks at once; never on one's own", async () => {
  const [ann, bob, ...others] = await Promise.all(Array.from({ length: 6 }, () => signUp()));
  const s = await story(ann);
  const clicks = await Promise.all(Array.from({ length: 10 }, () => post(bob, `/api/news/items/${s.id}/vote`, { direction: "up" })));
  for (const click of clicks) assert.equal(click.status, 200, click.text);
  const many = await Promise.all(others.map((o) => post(o, `/api/news/items/${s.id}/vote`, { direction: "up" })));
  for (const vote of many) assert.equal(vote.status, 200, vote.text);
  const read = await get(null, `/api/news/items/${s.id}`);
  assert.equal(read.json.story.points, 1 + 1 + others.length, "the author's point, Bob's once, and four more");
  assert.equal(rows(d1(`SELECT COUNT(*) AS n FROM news_votes WHERE item_id = ${s.id}`))[0].n, 5);
  assert.equal(rows(d1(`SELECT karma FROM news_people WHERE user_id = '${ann.user.id}'`))[0].karma, 5, "karma follows");

  // Each vote says until when it may be taken back: an hour after it was cast.
  const bobsVote = Number(rows(d1(`SELECT voted_at FROM news_votes WHERE item_id = ${s.id} AND user_id = '${bob.user.id}'`))[0].voted_at);
  assert.equal(Date.parse(clicks[0].json.unvote_until), bobsVote + 3_600_000);
  const asBob = (await get(bob, `/api/news/items/${s.id}`)).json.story;
  assert.deepEqual([asBob.voted, Date.parse(asBob.unvote_until)], ["up", bobsVote + 3_600_000]);
  assert.equal(read.json.story.unvote_until, null, "nobody's vote for someone signed out");

  expectError(assert, await post(ann, `/api/news/items/${s.id}/vote`, { direction: "up" }), 403, "forbidden");
  expectError(assert, await post(bob, `/api/news/items/${s.id}/vote`, { direction: "down" }), 409, "conflict");
  expectError(assert, await post(bob, `/api/news/items/${s.id}/vote`, { direction: "sideways" }), 422, "validation_failed", "direction");

  // Unvote within the hour; not after.
  const back = await request("DELETE", `/api/news/items/${s.id}/vote`, { jar: bob.jar });
  assert.equal(back.status, 200, back.text);
  assert.equal(back.json.points, 5);
  assert.equal(back.json.voted, null);
  assert.equal(back.json.unvote_until, null);
  d1(`UPDATE news_votes SET voted_at = voted_at - 3700000 WHERE item_id = ${s.id} AND user_id = '${others[0].user.id}'`);
  expectError(assert, await request("DELETE", `/api/news/items/${s.id}/vote`, { jar: others[0].jar }), 409, "conflict");
});

test("comments thread under their parents; voting one down takes 500 karma", async () => {
  const [ann, bob, cat] = await Promise.all([signUp(), signUp(), signUp()]);
  const s = await story(ann);
  const top = await comment(bob, s.id, "top level");
  const reply = await comment(cat, top.id, "a reply");
  const deeper = await comment(ann, reply.id, "deeper");
  const second = await comment(cat, s.id, "second top");
  assert.equal(top.depth, 0);
  const page = await get(null, `/api/news/items/${s.id}`);
  assert.deepEqual(
    page.json.comments.map((c) => [c.id, c.depth]),
    [[top.id, 0], [reply.id, 1], [deeper.id, 2], [second.id, 0]],
  );
  assert.equal(page.json.story.comments, 4);
  assert.equal(page.json.comments[0].points, null, "a comment's points are its author's to see");
  const own = await get(bob, `/api/news/items/${s.id}`);
  assert.equal(own.json.comments[0].points, 1);

  expectError(assert, await post(ann, `/api/news/items/${top.id}/vote`, { direction: "down" }), 403, "forbidden");
  setKarma(ann, 500);
  const down = await post(ann, `/api/news/items/${top.id}/vote`, { direction: "down" });
  assert.equal(down.status, 200, down.text);
  assert.equal(down.json.voted, "down");
  assert.equal(down.json.points, null, "a comment's points stay its author's, even to a voter");
  assert.equal(rows(d1(`SELECT points FROM news_items WHERE id = ${top.id}`))[0].points, 0);
  expectError(assert, await post(ann, `/api/news/items/${s.id}/vote`, { direction: "down" }), 403, "forbidden");
});

test("flags kill an item (hidden from others, not from its author, shown marked to showdead); a vouch revives it", async () => {
  const author = await signUp();
  const flaggers = await Promise.all(Array.from({ length: 5 }, () => signUp()));
  const voucher = await signUp();
  const s = await story(author);
  const under = await comment(flaggers[0], s.id);
  expectError(assert, await post(flaggers[0], `/api/news/items/${s.id}/flag`, { reason: "spam" }), 403, "forbidden");
  for (const f of [...flaggers, voucher]) setKarma(f, 31);
  expectError(assert, await post(flaggers[0], `/api/news/items/${s.id}/flag`, { reason: "troll" }), 422, "validation_failed", "reason");
  const flagged = await Promise.all(flaggers.map((f) => post(f, `/api/news/items/${s.id}/flag`, { reason: "spam" })));
  for (const f of flagged) assert.equal(f.status, 200, f.text);
  assert.equal(rows(d1(`SELECT flags, dead FROM news_items WHERE id = ${s.id}`))[0].flags, 5);
  expectError(assert, await get(null, `/api/news/items/${s.id}`), 404, "not_found");
  const mine = await get(author, `/api/news/items/${s.id}`);
  assert.equal(mine.status, 200, mine.text);
  assert.equal(mine.json.story.dead, true);
  assert.ok(!(await get(null, "/api/news/stories?list=new")).json.stories.some((x) => x.id === s.id));
  assert.deepEqual((await get(null, `/v0/item/${s.id}.json`)).json, { id: s.id, dead: true, type: "story", time: Math.floor(Date.parse(s.created_at) / 1000) });

  // HN's showdead: the voucher finds the dead story (and its thread) only once they turn it on.
  expectError(assert, await get(voucher, `/api/news/items/${s.id}`), 404, "not_found");
  const me = `/api/news/users/${voucher.user.username}`;
  expectError(assert, await request("PATCH", me, { jar: voucher.jar, body: {} }), 422, "validation_failed", "about");
  expectError(assert, await request("PATCH", me, { jar: voucher.jar, body: { showdead: "yes" } }), 422, "validation_failed");
  const on = await request("PATCH", me, { jar: voucher.jar, body: { showdead: true } });
  assert.equal(on.status, 200, on.text);
  assert.equal(on.json.showdead, true);
  assert.equal((await get(null, me)).json.showdead, false, "a setting of one's own, not shown to others");
  const shown = await get(voucher, `/api/news/items/${s.id}`);
  assert.equal(shown.status, 200, shown.text);
  assert.equal(shown.json.story.dead, true);
  assert.deepEqual(shown.json.comments.map((c) => c.id), [under.id]);
  expectError(assert, await get(null, `/api/news/items/${s.id}`), 404, "not_found");

  const vouched = await post(voucher, `/api/news/items/${s.id}/vouch`, {});
  assert.equal(vouched.status, 200, vouched.text);
  assert.equal(vouched.json.dead, false);
  assert.equal((await get(null, `/api/news/items/${s.id}`)).status, 200);
  expectError(assert, await post(voucher, `/api/news/items/${s.id}/vouch`, {}), 409, "conflict");
});

test("a new account posts two stories an hour; the third waits", async () => {
  const ann = await signUp();
  await story(ann);
  await story(ann);
  const third = await post(ann, "/api/news/stories", { title: "One more", url: `https://example.com/${unique()}` });
  expectError(assert, third, 429, "rate_limited");
  assert.ok(Number(third.headers.get("retry-after")) > 0);
});

test("HN's read API: items, kids in order, users, lists, maxitem, updates, null for what is not there", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const s = await story(ann, { title: "Show HN: A tiny database" });
  const first = await comment(bob, s.id, "first *really* https://example.com/x");
  const reply = await comment(ann, first.id, "reply");
  const item = await get(null, `/v0/item/${s.id}.json`);
  assert.equal(item.status, 200);
  assert.equal(item.headers.get("access-control-allow-origin"), "*");
  assert.deepEqual(Object.keys(item.json).sort(), ["by", "descendants", "id", "kids", "score", "time", "title", "type", "url"]);
  assert.equal(item.json.type, "story");
  assert.equal(item.json.by, ann.user.username);
  assert.deepEqual(item.json.kids, [first.id]);
  assert.equal(item.json.descendants, 2);
  const c = (await get(null, `/v0/item/${first.id}.json`)).json;
  assert.equal(c.type, "comment");
  assert.equal(c.parent, s.id);
  assert.deepEqual(c.kids, [reply.id]);
  assert.equal(c.text, 'first <i>really</i> <a href="https://example.com/x" rel="nofollow">https://example.com/x</a>');
  assert.equal(c.score, undefined, "HN does not give comments a score");

  const user = (await get(null, `/v0/user/${ann.user.username}.json`)).json;
  assert.equal(user.id, ann.user.username);
  assert.deepEqual(user.submitted.slice(0, 2), [reply.id, s.id]);
  assert.equal(typeof user.created, "number");

  for (const list of ["topstories", "newstories", "beststories", "askstories", "showstories"]) {
    const ids = await get(null, `/v0/${list}.json`);
    assert.equal(ids.status, 200, list);
    assert.ok(Array.isArray(ids.json) && ids.json.length <= 500, list);
  }
  assert.ok((await get(null, "/v0/showstories.json")).json.includes(s.id));
  assert.ok((await get(null, "/v0/newstories.json")).json.includes(s.id));
  assert.ok((await get(null, "/v0/maxitem.json")).json >= reply.id);
  const updates = (await get(null, "/v0/updates.json")).json;
  assert.ok(Array.isArray(updates.items) && Array.isArray(updates.profiles));

  for (const missing of ["/v0/item/99999999.json", "/v0/item/abc.json", "/v0/user/nobody-at-all-here.json"]) {
    const res = await get(null, missing);
    assert.equal(res.status, 200, missing);
    assert.equal(res.text, "null", missing);
  }
});

test("review: a dead story is no duplicate, and a dead thread takes no replies or votes", async () => {
  const [ann, bob, cat] = await Promise.all([signUp(), signUp(), signUp()]);
  const url = `https://example.com/${unique()}`;
  const first = await story(ann, { url });
  const top = await comment(bob, first.id, "in the thread");
  d1(`UPDATE news_items SET dead = 1 WHERE id = ${first.id}`);
  const again = await post(cat, "/api/news/stories", { title: "Submitted again", url });
  assert.equal(again.status, 201, `a dead story does not take the URL: ${again.text}`);
  assert.notEqual(again.json.story.id, first.id);
  assert.equal(again.json.story.title, "Submitted again", "nothing of the dead story is shown");
  expectError(assert, await post(cat, "/api/news/comments", { parent: top.id, text: "late" }), 409, "conflict");
  expectError(assert, await post(cat, `/api/news/items/${top.id}/vote`, { direction: "up" }), 409, "conflict");
});

test("review: a shadow-banned author is not told; strangers never see it", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  d1(`INSERT INTO news_people (user_id, shadow_banned) VALUES ('${ann.user.id}', 1)`);
  const made = await submit(ann, { title: "Buy cheap things", url: `https://spam.example/${unique()}` });
  assert.equal(made.story.dead, false, "the author is not told");
  assert.equal((await get(ann, `/api/news/items/${made.story.id}`)).json.story.dead, false);
  expectError(assert, await get(bob, `/api/news/items/${made.story.id}`), 404, "not_found");
});

test("review: twenty submissions at once from a new account make two stories", async () => {
  const ann = await signUp();
  const tries = await Promise.all(
    Array.from({ length: 20 }, (_, i) => post(ann, "/api/news/stories", { title: `Burst ${i}`, url: `https://example.com/${unique()}` })),
  );
  assert.equal(tries.filter((t) => t.status === 201).length, 2, tries.map((t) => t.status).join(","));
  for (const t of tries.filter((t) => t.status !== 201)) expectError(assert, t, 429, "rate_limited");
  assert.equal(rows(d1(`SELECT COUNT(*) AS n FROM news_items WHERE author_id = '${ann.user.id}'`))[0].n, 2);
});

test("review: two vouches at once count once", async () => {
  const [ann, v1, v2] = await Promise.all([signUp(), signUp(), signUp()]);
  setKarma(v1, 40);
  setKarma(v2, 40);
  const s = await story(ann);
  d1(`UPDATE news_items SET flags = 5, dead = 1 WHERE id = ${s.id}`);
  const both = await Promise.all([v1, v2].map((v) => post(v, `/api/news/items/${s.id}/vouch`, {})));
  assert.ok(both.some((r) => r.status === 200), both.map((r) => r.text).join(" | "));
  assert.equal(rows(d1(`SELECT vouches, dead FROM news_items WHERE id = ${s.id}`))[0].vouches, 1);
});
