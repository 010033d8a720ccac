// Chat's messages over REST, end to end against a real `wrangler dev`: each conversation's log
// in its Durable Object numbers messages 1, 2, 3 … with no gaps even when many send at once; a
// client id sent again is the first message; pages read back and forth; newcomers read what
// comes after they joined; non-members and blocked people cannot post or read.
import assert from "node:assert/strict";
import { test } from "node:test";
import { d1, expectError, request, signUp } from "../support/api.mjs";

const start = (jar, body) => request("POST", "/api/chat/conversations", { jar, body });
const send = (jar, id, body) => request("POST", `/api/chat/conversations/${id}/messages`, { jar, body });
const read = (jar, id, query = "") => request("GET", `/api/chat/conversations/${id}/messages${query}`, { jar });
const conversation = (jar, id) => request("GET", `/api/chat/conversations/${id}`, { jar });
let counter = 0;
const clientId = () => `t-${Date.now().toString(36)}-${counter++}`;

async function direct(a, b) {
  const res = await start(a.jar, { kind: "direct", members: [b.user.username] });
  assert.ok([200, 201].includes(res.status), res.text);
  return res.json.id;
}

async function group(admin, members) {
  const res = await start(admin.jar, { kind: "group", title: "Trek", members: members.map((m) => m.user.username) });
  assert.equal(res.status, 201, res.text);
  return res.json.id;
}

test("a message gets the next seq, reads back as sent, and counts as unread for the others", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const id = await direct(ann, bob);
  const first = await send(ann.jar, id, { client_id: clientId(), body: "  Hello, Bob 👋\nsee you at 6 " });
  assert.equal(first.status, 201, first.text);
  assert.equal(first.json.seq, 1);
  assert.equal(first.json.sender, ann.user.username);
  assert.equal(first.json.body, "  Hello, Bob 👋\nsee you at 6 ", "kept as written");
  assert.equal(first.json.conversation, id);
  assert.equal(first.json.edited, false);
  assert.ok(!Number.isNaN(Date.parse(first.json.sent_at)));
  const reply = await send(bob.jar, id, { client_id: clientId(), body: "On my way", reply_to: 1 });
  assert.equal(reply.status, 201, reply.text);
  assert.deepEqual([reply.json.seq, reply.json.reply_to], [2, 1]);
  const page = await read(bob.jar, id);
  assert.equal(page.status, 200, page.text);
  assert.deepEqual(page.json.items.map((m) => [m.seq, m.sender, m.body]), [
    [1, ann.user.username, "  Hello, Bob 👋\nsee you at 6 "],
    [2, bob.user.username, "On my way"],
  ]);
  assert.deepEqual([page.json.has_more, page.json.last_seq], [false, 2]);
  assert.deepEqual(page.json.items[0], first.json, "a page holds what the send answered");
  const annView = (await conversation(ann.jar, id)).json;
  assert.deepEqual([annView.last_seq, annView.unread], [2, 1], "bob's reply is unread for ann; her own message is not");
  const bobView = (await conversation(bob.jar, id)).json;
  assert.deepEqual([bobView.last_seq, bobView.unread], [2, 0]);
  const list = await request("GET", "/api/chat/conversations", { jar: ann.jar });
  assert.equal(list.json.items[0].id, id, "the busiest conversation comes first");
  const last = { seq: 2, sender: bob.user.username, body: "On my way", sent_at: reply.json.sent_at };
  assert.deepEqual(list.json.items[0].last_message, last, "the list shows the newest message");
  assert.deepEqual(annView.last_message, last);
});

test("the same client id is one message, even sent twice at the same moment", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const id = await direct(ann, bob);
  const cid = clientId();
  const [a, b] = await Promise.all([
    send(ann.jar, id, { client_id: cid, body: "double tap" }),
    send(ann.jar, id, { client_id: cid, body: "double tap" }),
  ]);
  assert.deepEqual([a.status, b.status].sort(), [200, 201], `${a.text} ${b.text}`);
  assert.equal(a.json.seq, b.json.seq);
  const retry = await send(ann.jar, id, { client_id: cid, body: "a retry with other words" });
  assert.equal(retry.status, 200);
  assert.deepEqual(retry.json, a.status === 201 ? a.json : b.json, "the first message, unchanged");
  // Another sender's client id is their own.
  const bobs = await send(bob.jar, id, { client_id: cid, body: "same id, other person" });
  assert.equal(bobs.status, 201, bobs.text);
  assert.equal(bobs.json.seq, 2);
  const page = await read(ann.jar, id);
  assert.deepEqual(page.json.items.map((m) => m.seq), [1, 2]);
});

test("many members sending at once get seqs 1..N with no gap and no repeat", async () => {
  const people = await Promise.all(Array.from({ length: 5 }, () => signUp()));
  const [admin, ...rest] = people;
  const id = await group(admin, rest);
  const sends = people.flatMap((p, i) =>
    Array.from({ length: 8 }, (_, k) => send(p.jar, id, { client_id: `p${i}-m${k}`, body: `from ${i}: ${k}` })),
  );
  const results = await Promise.all(sends);
  for (const r of results) assert.equal(r.status, 201, r.text);
  const seqs = results.map((r) => r.json.seq).sort((x, y) => x - y);
  assert.deepEqual(seqs, Array.from({ length: 40 }, (_, i) => i + 1));
  // Each sender's own messages keep the order the room took them in, and the log reads back whole.
  const all = await read(admin.jar, id, "?after_seq=0&limit=200");
  assert.equal(all.json.items.length, 40);
  assert.deepEqual(all.json.items.map((m) => m.seq), seqs);
  const byBody = Object.fromEntries(results.map((r) => [r.json.body, r.json.seq]));
  for (const m of all.json.items) assert.equal(byBody[m.body], m.seq);
  // Sending marks everything up to one's own message as read.
  const view = (await conversation(rest[0].jar, id)).json;
  const lastOwn = Math.max(...results.filter((r) => r.json.sender === rest[0].user.username).map((r) => r.json.seq));
  assert.deepEqual([view.last_seq, view.unread], [40, 40 - lastOwn]);
});

test("pages read back (newest first) and forward (after a seq), oldest first within a page", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const id = await direct(ann, bob);
  for (let i = 1; i <= 7; i++) {
    assert.equal((await send(ann.jar, id, { client_id: `page-${i}`, body: `m${i}` })).status, 201);
  }
  const seqs = (res) => res.json.items.map((m) => m.seq);
  const newest = await read(bob.jar, id, "?limit=3");
  assert.deepEqual([seqs(newest), newest.json.has_more], [[5, 6, 7], true]);
  const older = await read(bob.jar, id, "?limit=3&before_seq=5");
  assert.deepEqual([seqs(older), older.json.has_more], [[2, 3, 4], true]);
  const oldest = await read(bob.jar, id, "?limit=3&before_seq=2");
  assert.deepEqual([seqs(oldest), oldest.json.has_more], [[1], false]);
  const forward = await read(bob.jar, id, "?after_seq=2&limit=3");
  assert.deepEqual([seqs(forward), forward.json.has_more], [[3, 4, 5], true]);
  const between = await read(bob.jar, id, "?after_seq=2&before_seq=5");
  assert.deepEqual([seqs(between), between.json.has_more], [[3, 4], false]);
  const caughtUp = await read(bob.jar, id, "?after_seq=7");
  assert.deepEqual([seqs(caughtUp), caughtUp.json.has_more, caughtUp.json.last_seq], [[], false, 7]);
  for (const [query, field] of [
    ["?after_seq=-1", "after_seq"],
    ["?before_seq=abc", "before_seq"],
    ["?after_seq=5&before_seq=5", "before_seq"],
    ["?limit=0", "limit"],
    ["?limit=201", "limit"],
  ]) {
    expectError(assert, await read(bob.jar, id, query), 422, "validation_failed", field);
  }
});

test("a newcomer to a group reads what is said after they joined", async () => {
  const [ann, bob, cat] = await Promise.all([signUp(), signUp(), signUp()]);
  const id = await group(ann, [bob]);
  await send(ann.jar, id, { client_id: "before-1", body: "before cat" });
  await send(bob.jar, id, { client_id: "before-2", body: "still before cat" });
  const added = await request("POST", `/api/chat/conversations/${id}/members`, { jar: ann.jar, body: { usernames: [cat.user.username] } });
  assert.equal(added.status, 200, added.text);
  await send(ann.jar, id, { client_id: "after-1", body: "welcome cat" });
  const catPage = await read(cat.jar, id, "?after_seq=0");
  assert.deepEqual(catPage.json.items.map((m) => [m.seq, m.body]), [[3, "welcome cat"]]);
  assert.equal((await read(cat.jar, id)).json.items.length, 1);
  assert.equal((await read(cat.jar, id, "?before_seq=3")).json.items.length, 0);
  const catView = (await conversation(cat.jar, id)).json;
  assert.deepEqual([catView.last_seq, catView.unread], [3, 1]);
  expectError(assert, await send(cat.jar, id, { client_id: "r", body: "re: before", reply_to: 1 }), 422, "validation_failed", "reply_to");
  assert.equal((await send(cat.jar, id, { client_id: "r2", body: "thanks", reply_to: 3 })).status, 201);
});

test("a newcomer's history starts after the room's last message, even one D1's list has not recorded", async () => {
  const [ann, bob, dan] = await Promise.all([signUp(), signUp(), signUp()]);
  const id = await group(ann, [bob]);
  assert.equal((await send(ann.jar, id, { client_id: "b-1", body: "one" })).status, 201);
  assert.equal((await send(ann.jar, id, { client_id: "b-2", body: "two, not for Dan" })).status, 201);
  // As if recording the second message in D1 had failed (the room has it all the same).
  d1(`UPDATE chat_conversations SET last_seq = 1 WHERE id = '${id}'`);
  const added = await request("POST", `/api/chat/conversations/${id}/members`, { jar: ann.jar, body: { usernames: [dan.user.username] } });
  assert.equal(added.status, 200, added.text);
  assert.deepEqual((await read(dan.jar, id, "?after_seq=0")).json.items, []);
  assert.deepEqual((await read(dan.jar, id)).json.items, []);
});

test("bad messages are refused whole and leave no trace", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const id = await direct(ann, bob);
  const bad = [
    [{ client_id: clientId(), body: "   " }, "body"],
    [{ client_id: clientId(), body: "x".repeat(4001) }, "body"],
    [{ client_id: clientId(), body: "bell\u0007" }, "body"],
    [{ client_id: "", body: "hi" }, "client_id"],
    [{ client_id: "has space", body: "hi" }, "client_id"],
    [{ client_id: "x".repeat(65), body: "hi" }, "client_id"],
    [{ client_id: clientId(), body: "hi", reply_to: 1 }, "reply_to"],
    [{ client_id: clientId(), body: "hi", reply_to: -1 }, undefined],
    [{ client_id: clientId(), body: "hi", extra: true }, undefined],
    [{ body: "hi" }, undefined],
  ];
  for (const [body, field] of bad) {
    expectError(assert, await send(ann.jar, id, body), 422, "validation_failed", field);
  }
  assert.ok((await send(ann.jar, id, { client_id: clientId(), body: "ü".repeat(4000) })).status === 201);
  const page = await read(ann.jar, id);
  assert.deepEqual(page.json.items.map((m) => m.seq), [1], "nothing half-written, no seq spent");
  expectError(assert, await request("POST", `/api/chat/conversations/${id}/messages`, { jar: ann.jar, body: "not json", headers: { "Content-Type": "text/plain" } }), 415, "unsupported_media_type");
  expectError(assert, await send(undefined, id, { client_id: clientId(), body: "hi" }), 401, "unauthenticated");
});

test("whoever is not a member can neither read nor post, and cannot tell the conversation exists", async () => {
  const [ann, bob, eve] = await Promise.all([signUp(), signUp(), signUp()]);
  const id = await direct(ann, bob);
  await send(ann.jar, id, { client_id: clientId(), body: "private" });
  expectError(assert, await read(eve.jar, id), 404, "not_found");
  expectError(assert, await send(eve.jar, id, { client_id: clientId(), body: "let me in" }), 404, "not_found");
  expectError(assert, await read(eve.jar, "01JNOSUCHCONVERSATION0000"), 404, "not_found");
  // Someone who left a group reads and posts no more.
  const g = await group(ann, [bob]);
  await send(bob.jar, g, { client_id: clientId(), body: "bye" });
  assert.equal((await request("DELETE", `/api/chat/conversations/${g}/members/${bob.user.username}`, { jar: bob.jar })).status, 204);
  expectError(assert, await read(bob.jar, g), 404, "not_found");
  expectError(assert, await send(bob.jar, g, { client_id: clientId(), body: "back?" }), 404, "not_found");
  assert.equal((await read(ann.jar, g)).json.items.length, 1);
});

test("a blocked person cannot message; the one who blocks is told to unblock first", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const id = await direct(ann, bob);
  assert.equal((await send(bob.jar, id, { client_id: clientId(), body: "hi ann" })).status, 201);
  assert.equal((await request("POST", `/api/chat/contacts/${bob.user.username}/block`, { jar: ann.jar })).status, 200);
  expectError(assert, await send(bob.jar, id, { client_id: clientId(), body: "why?" }), 403, "forbidden");
  expectError(assert, await send(ann.jar, id, { client_id: clientId(), body: "bye" }), 409, "conflict");
  assert.deepEqual((await read(ann.jar, id)).json.items.map((m) => m.body), ["hi ann"], "nothing from bob got through");
  assert.equal((await request("POST", `/api/chat/contacts/${bob.user.username}/unblock`, { jar: ann.jar })).status, 200);
  assert.equal((await send(bob.jar, id, { client_id: clientId(), body: "thanks" })).status, 201);
  // A conversation begun while blocked has only its starter in it: sending there is refused too.
  const [cat, dan] = await Promise.all([signUp(), signUp()]);
  assert.equal((await request("POST", `/api/chat/contacts/${dan.user.username}/block`, { jar: cat.jar })).status, 200);
  const lonely = await direct(dan, cat);
  expectError(assert, await send(dan.jar, lonely, { client_id: clientId(), body: "hello?" }), 403, "forbidden");
  // In a group, a block does not silence anyone.
  const g = await group(bob, [ann]);
  assert.equal((await request("POST", `/api/chat/contacts/${bob.user.username}/block`, { jar: ann.jar })).status, 200);
  assert.equal((await send(bob.jar, g, { client_id: clientId(), body: "group talk" })).status, 201);
});

test("a sticker from the set is a message of its own; an unknown one, or one with words, is refused", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const id = await direct(ann, bob);
  const sent = await send(ann.jar, id, { client_id: clientId(), body: "", sticker: "thanks" });
  assert.equal(sent.status, 201, sent.text);
  assert.deepEqual([sent.json.sticker, sent.json.body], ["thanks", ""]);
  for (const [body, field] of [
    [{ client_id: clientId(), body: "", sticker: "unicorn" }, "sticker"],
    [{ client_id: clientId(), body: "and words", sticker: "thanks" }, "sticker"],
    [{ client_id: clientId(), body: "", sticker: 7 }, "sticker"],
  ]) {
    expectError(assert, await send(ann.jar, id, body), 422, "validation_failed", field);
  }
  const page = await read(bob.jar, id);
  assert.deepEqual(page.json.items.map((m) => [m.seq, m.sticker]), [[1, "thanks"]]);
  const list = await request("GET", "/api/chat/conversations", { jar: bob.jar });
  assert.equal(list.json.items[0].last_message.body, "🙏 Thanks!", "listed by its caption");
  const found = await request("GET", "/api/chat/search?q=thanks", { jar: bob.jar });
  assert.deepEqual(found.json.items.map((h) => h.seq), [1]);
  // A sticker has no words to edit.
  const edit = await request("PATCH", `/api/chat/conversations/${id}/messages/1`, { jar: ann.jar, body: { body: "hi" } });
  expectError(assert, edit, 409, "conflict");
  // Deleted for everyone, it is a sticker no more.
  const gone = await request("DELETE", `/api/chat/conversations/${id}/messages/1`, { jar: ann.jar });
  assert.equal(gone.status, 200, gone.text);
  assert.equal(gone.json.sticker, undefined);
});
