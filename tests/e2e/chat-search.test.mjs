// Chat search (D1 FTS5), end to end against `wrangler dev`: every word must appear (a word's
// start counts), case and accents do not matter, newest first; a person finds only what they
// may read (their conversations, after they joined); edits are found by their new words and
// deleted messages not at all; FTS syntax in a query is taken as plain words.
import assert from "node:assert/strict";
import { test } from "node:test";
import { expectError, request, signUp } from "../support/api.mjs";

const search = (jar, q, extra = "") => request("GET", `/api/chat/search?q=${encodeURIComponent(q)}${extra}`, { jar });
const found = (res) => res.json.items.map((h) => h.body);

async function conversationWith(admin, members, kind = "group") {
  const body =
    kind === "direct"
      ? { kind, members: [members[0].user.username] }
      : { kind, title: "Search", members: members.map((m) => m.user.username) };
  const res = await request("POST", "/api/chat/conversations", { jar: admin.jar, body });
  assert.ok([200, 201].includes(res.status), res.text);
  return res.json.id;
}

let n = 0;
async function say(who, id, body) {
  const res = await request("POST", `/api/chat/conversations/${id}/messages`, { jar: who.jar, body: { client_id: `s${n++}`, body } });
  assert.equal(res.status, 201, res.text);
  return res.json.seq;
}

test("every word must appear, any case or accent, a word's start counts, newest first", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const id = await conversationWith(ann, [bob], "direct");
  await say(ann, id, "Dinner at the Café tomorrow?");
  await say(bob, id, "Tomorrow works. Dinner at 8");
  await say(ann, id, "Lunch instead?");
  const both = await search(bob.jar, "dinner TOMORROW");
  assert.equal(both.status, 200, both.text);
  assert.deepEqual(found(both), ["Tomorrow works. Dinner at 8", "Dinner at the Café tomorrow?"]);
  assert.deepEqual(found(await search(ann.jar, "cafe")), ["Dinner at the Café tomorrow?"]);
  assert.deepEqual(found(await search(ann.jar, "tomor")), ["Tomorrow works. Dinner at 8", "Dinner at the Café tomorrow?"]);
  assert.deepEqual(found(await search(ann.jar, "dinner lunch")), []);
  const hit = (await search(ann.jar, "lunch")).json.items[0];
  assert.deepEqual([hit.conversation, hit.seq, hit.sender], [id, 3, ann.user.username]);
  assert.equal((await search(ann.jar, "at", "&limit=1")).json.items.length, 1);
});

test("nobody finds what they may not read; edits and deletions are followed", async () => {
  const [ann, bob, eve, cat] = await Promise.all([signUp(), signUp(), signUp(), signUp()]);
  const word = `zebra${Date.now().toString(36)}`;
  const id = await conversationWith(ann, [bob]);
  await say(ann, id, `the ${word} plan`);
  assert.deepEqual(found(await search(eve.jar, word)), [], "eve is not in it");
  // Cat joins later: she finds only what was said after.
  await request("POST", `/api/chat/conversations/${id}/members`, { jar: ann.jar, body: { usernames: [cat.user.username] } });
  const later = await say(bob, id, `${word} again`);
  assert.deepEqual(found(await search(cat.jar, word)), [`${word} again`]);
  assert.equal(found(await search(bob.jar, word)).length, 2);
  // An edit is found by its new words; a deletion is found no more.
  await request("PATCH", `/api/chat/conversations/${id}/messages/${later}`, { jar: bob.jar, body: { body: "giraffe instead" } });
  assert.deepEqual(found(await search(bob.jar, word)), [`the ${word} plan`]);
  assert.deepEqual(found(await search(bob.jar, "giraffe")).filter((b) => b === "giraffe instead").length, 1);
  await request("DELETE", `/api/chat/conversations/${id}/messages/1`, { jar: ann.jar });
  assert.deepEqual(found(await search(ann.jar, word)), []);
  // Someone who leaves finds nothing of it any more.
  await request("DELETE", `/api/chat/conversations/${id}/members/${cat.user.username}`, { jar: cat.jar });
  assert.deepEqual(found(await search(cat.jar, "giraffe")), []);
});

test("FTS syntax is taken as words; bad queries are refused", async () => {
  const ann = await signUp();
  for (const q of ['" OR 1', "body:secret", "a NEAR b", "x* -y", "(a) AND ^b"]) {
    const res = await search(ann.jar, q);
    assert.equal(res.status, 200, `${q}: ${res.text}`);
  }
  expectError(assert, await search(ann.jar, ""), 422, "validation_failed", "q");
  expectError(assert, await search(ann.jar, "?!*"), 422, "validation_failed", "q");
  expectError(assert, await search(ann.jar, "x".repeat(201)), 422, "validation_failed", "q");
  expectError(assert, await search(ann.jar, "ok", "&limit=0"), 422, "validation_failed", "limit");
  expectError(assert, await request("GET", "/api/chat/search?q=x"), 401, "unauthenticated");
});
