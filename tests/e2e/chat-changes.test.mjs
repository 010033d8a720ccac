// Chat's edits, deletions for everyone and reactions, end to end against `wrangler dev`: only
// the sender edits or deletes (the 15-minute window is `shared::chat::message::may_change`,
// tested there); the earlier versions are the sender's alone; one reaction per person; every
// member's devices hear each change as a `changed` frame with the same seq.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { expectError, request, signUp } from "../support/api.mjs";
import { ChatSocket, closeAllSockets } from "../support/chat-socket.mjs";

after(closeAllSockets);

const path = (id, seq, rest = "") => `/api/chat/conversations/${id}/messages/${seq}${rest}`;

async function groupWithMessage(admin, members, body = "see you at 6") {
  const g = await request("POST", "/api/chat/conversations", {
    jar: admin.jar,
    body: { kind: "group", title: "Plans", members: members.map((m) => m.user.username) },
  });
  assert.equal(g.status, 201, g.text);
  const sent = await request("POST", `/api/chat/conversations/${g.json.id}/messages`, {
    jar: admin.jar,
    body: { client_id: "first", body },
  });
  assert.equal(sent.status, 201, sent.text);
  return g.json.id;
}

test("the sender edits a message: everyone sees it edited, the sender alone sees what it was", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const id = await groupWithMessage(ann, [bob]);
  const bobs = await ChatSocket.open({ jar: bob.jar });
  const edited = await request("PATCH", path(id, 1), { jar: ann.jar, body: { body: "see you at 7" } });
  assert.equal(edited.status, 200, edited.text);
  assert.deepEqual([edited.json.seq, edited.json.body, edited.json.edited], [1, "see you at 7", true]);
  const changed = await bobs.nextOf("changed", id);
  assert.deepEqual(changed, { type: "changed", ...edited.json });
  await request("PATCH", path(id, 1), { jar: ann.jar, body: { body: "see you at 8" } });
  const versions = await request("GET", path(id, 1, "/versions"), { jar: ann.jar });
  assert.deepEqual(versions.json.items.map((v) => v.body), ["see you at 6", "see you at 7"]);
  expectError(assert, await request("GET", path(id, 1, "/versions"), { jar: bob.jar }), 403, "forbidden");
  const page = await request("GET", `/api/chat/conversations/${id}/messages`, { jar: bob.jar });
  assert.deepEqual(page.json.items.map((m) => [m.seq, m.body, m.edited]), [[1, "see you at 8", true]]);
  // Only its sender; a valid body; a real message.
  expectError(assert, await request("PATCH", path(id, 1), { jar: bob.jar, body: { body: "mine now" } }), 403, "forbidden");
  expectError(assert, await request("PATCH", path(id, 1), { jar: ann.jar, body: { body: "  " } }), 422, "validation_failed", "body");
  expectError(assert, await request("PATCH", path(id, 2), { jar: ann.jar, body: { body: "x" } }), 404, "not_found");
  expectError(assert, await request("PATCH", path(id, "one"), { jar: ann.jar, body: { body: "x" } }), 404, "not_found");
  bobs.close();
});

test("a message is edited at most 10 times (each keeps the words it replaced): the next is a 409, the message as it was", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const id = await groupWithMessage(ann, [bob]);
  const long = "🙂".repeat(3990); // 16 KB of UTF-8 each time
  for (let n = 1; n <= 10; n++) {
    const edited = await request("PATCH", path(id, 1), { jar: ann.jar, body: { body: `${n} ${long}` } });
    assert.equal(edited.status, 200, `edit ${n}: ${edited.text}`);
  }
  const refused = await request("PATCH", path(id, 1), { jar: ann.jar, body: { body: "eleven" } });
  expectError(assert, refused, 409, "conflict");
  assert.match(refused.json.error.message, /at most 10 times/);
  const versions = await request("GET", path(id, 1, "/versions"), { jar: ann.jar });
  assert.equal(versions.json.items.length, 10);
  const page = await request("GET", `/api/chat/conversations/${id}/messages`, { jar: bob.jar });
  assert.equal(page.status, 200);
  assert.ok(page.json.items[0].body.startsWith("10 "), "the tenth edit stands");
  assert.ok(page.text.length < 40_000, `a page carries no earlier versions (${page.text.length} bytes)`);
});

test("deleted for everyone: the seq stays, empty, and nothing more can be done to it", async () => {
  const [ann, bob, eve] = await Promise.all([signUp(), signUp(), signUp()]);
  const id = await groupWithMessage(ann, [bob], "oops, wrong chat");
  await request("PATCH", path(id, 1), { jar: ann.jar, body: { body: "oops, still wrong" } });
  expectError(assert, await request("DELETE", path(id, 1), { jar: bob.jar }), 403, "forbidden");
  expectError(assert, await request("DELETE", path(id, 1), { jar: eve.jar }), 404, "not_found");
  const deleted = await request("DELETE", path(id, 1), { jar: ann.jar });
  assert.equal(deleted.status, 200, deleted.text);
  assert.deepEqual([deleted.json.seq, deleted.json.body, deleted.json.deleted], [1, "", true]);
  const page = await request("GET", `/api/chat/conversations/${id}/messages`, { jar: bob.jar });
  assert.deepEqual(page.json.items.map((m) => [m.seq, m.body, m.deleted]), [[1, "", true]]);
  const versions = await request("GET", path(id, 1, "/versions"), { jar: ann.jar });
  assert.deepEqual(versions.json.items, [], "its earlier versions went with it");
  expectError(assert, await request("DELETE", path(id, 1), { jar: ann.jar }), 409, "conflict");
  expectError(assert, await request("PATCH", path(id, 1), { jar: ann.jar, body: { body: "back" } }), 409, "conflict");
  expectError(assert, await request("PUT", path(id, 1, "/reaction"), { jar: bob.jar, body: { emoji: "👍" } }), 409, "conflict");
  // The next message still takes the next seq.
  const next = await request("POST", `/api/chat/conversations/${id}/messages`, { jar: bob.jar, body: { client_id: "b", body: "ok" } });
  assert.equal(next.json.seq, 2);
});

test("reactions: one per person, replaced or taken back, seen by every member", async () => {
  const [ann, bob, cat] = await Promise.all([signUp(), signUp(), signUp()]);
  const id = await groupWithMessage(ann, [bob, cat]);
  const anns = await ChatSocket.open({ jar: ann.jar });
  const react = (who, emoji) => request("PUT", path(id, 1, "/reaction"), { jar: who.jar, body: { emoji } });
  assert.equal((await react(bob, "👍")).status, 200);
  assert.equal((await react(cat, "👍")).status, 200);
  const replaced = await react(bob, "😂");
  assert.deepEqual(replaced.json.reactions, [
    { emoji: "👍", users: [cat.user.username] },
    { emoji: "😂", users: [bob.user.username] },
  ]);
  const back = await request("DELETE", path(id, 1, "/reaction"), { jar: cat.jar });
  assert.deepEqual(back.json.reactions, [{ emoji: "😂", users: [bob.user.username] }]);
  const last = await anns.next((f) => f.type === "changed" && f.reactions.length === 1 && f.reactions[0].emoji === "😂");
  assert.equal(last.seq, 1);
  for (const bad of ["", "ok", "+1", "👍👍👍👍👍👍👍👍👍👍👍"]) {
    expectError(assert, await react(bob, bad), 422, "validation_failed", "emoji");
  }
  expectError(assert, await request("PUT", path(id, 1, "/reaction"), { jar: bob.jar, body: { emoji: "👍", extra: 1 } }), 422, "validation_failed");
  anns.close();
});
