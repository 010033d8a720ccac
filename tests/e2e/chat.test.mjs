// Chat's contacts and privacy settings, end to end against a real `wrangler dev`: asking,
// answering, removing and blocking (a block never shown to the one blocked), bad input, people
// acting on the same pair at the same moment, and each person's settings their own.
import assert from "node:assert/strict";
import { test } from "node:test";
import { expectError, request, signUp } from "../support/api.mjs";

const contacts = (jar) => request("GET", "/api/chat/contacts", { jar });
const ask = (jar, username) => request("POST", "/api/chat/contacts", { jar, body: { username } });
const answer = (jar, username, action) => request("POST", `/api/chat/contacts/${username}/${action}`, { jar });
const remove = (jar, username) => request("DELETE", `/api/chat/contacts/${username}`, { jar });

/** What `jar`'s person sees of `username` in their list ("none" when not listed). */
async function statusOf(jar, username) {
  const res = await contacts(jar);
  assert.equal(res.status, 200, res.text);
  return res.json.items.find((c) => c.username === username)?.status ?? "none";
}

test("ask, then accept: both list each other as contacts", async () => {
  const ann = await signUp();
  const bob = await signUp();
  const asked = await ask(ann.jar, bob.user.username);
  assert.equal(asked.status, 200, asked.text);
  assert.deepEqual(asked.json, { username: bob.user.username, display_name: bob.user.display_name, status: "outgoing" });
  assert.equal(await statusOf(bob.jar, ann.user.username), "incoming");
  const again = await ask(ann.jar, bob.user.username);
  assert.equal(again.json.status, "outgoing", "asking twice changes nothing");
  expectError(assert, await answer(ann.jar, bob.user.username, "accept"), 404, "not_found");
  const accepted = await answer(bob.jar, ann.user.username, "accept");
  assert.equal(accepted.json.status, "contact");
  assert.equal(await statusOf(ann.jar, bob.user.username), "contact");
  expectError(assert, await ask(ann.jar, bob.user.username), 409, "conflict");
});

test("the list: contacts, then requests to answer, then requests sent, then blocked", async () => {
  const me = await signUp();
  const [friend, asker, asked, blocked] = await Promise.all([signUp(), signUp(), signUp(), signUp()]);
  await ask(me.jar, friend.user.username);
  await answer(friend.jar, me.user.username, "accept");
  await ask(asker.jar, me.user.username);
  await ask(me.jar, asked.user.username);
  await answer(me.jar, blocked.user.username, "block");
  const list = await contacts(me.jar);
  assert.deepEqual(
    list.json.items.map((c) => [c.username, c.status]),
    [
      [friend.user.username, "contact"],
      [asker.user.username, "incoming"],
      [asked.user.username, "outgoing"],
      [blocked.user.username, "blocked"],
    ],
  );
});

test("decline leaves nothing; remove ends a contact or withdraws a request, never answers one", async () => {
  const ann = await signUp();
  const bob = await signUp();
  await ask(ann.jar, bob.user.username);
  expectError(assert, await remove(bob.jar, ann.user.username), 404, "not_found");
  assert.equal((await answer(bob.jar, ann.user.username, "decline")).json.status, "none");
  assert.equal(await statusOf(ann.jar, bob.user.username), "none");
  await ask(ann.jar, bob.user.username);
  assert.equal((await remove(ann.jar, bob.user.username)).status, 204, "withdrawn");
  assert.equal(await statusOf(bob.jar, ann.user.username), "none");
  await ask(ann.jar, bob.user.username);
  await answer(bob.jar, ann.user.username, "accept");
  assert.equal((await remove(bob.jar, ann.user.username)).status, 204);
  assert.equal(await statusOf(ann.jar, bob.user.username), "none");
  expectError(assert, await remove(bob.jar, ann.user.username), 404, "not_found");
});

test("a block ends the contact and is never shown to the one blocked", async () => {
  const ann = await signUp();
  const bob = await signUp();
  await ask(ann.jar, bob.user.username);
  await answer(bob.jar, ann.user.username, "accept");
  assert.equal((await answer(bob.jar, ann.user.username, "block")).json.status, "blocked");
  assert.equal(await statusOf(ann.jar, bob.user.username), "none", "Ann sees no contact and no block");
  // Ann asks again: as far as she can tell it is pending; Bob sees only his block.
  assert.equal((await ask(ann.jar, bob.user.username)).json.status, "outgoing");
  assert.equal(await statusOf(bob.jar, ann.user.username), "blocked");
  expectError(assert, await answer(bob.jar, ann.user.username, "accept"), 404, "not_found");
  expectError(assert, await ask(bob.jar, ann.user.username), 409, "conflict");
  assert.equal((await answer(bob.jar, ann.user.username, "unblock")).json.status, "incoming", "her standing request shows again");
  expectError(assert, await answer(bob.jar, ann.user.username, "unblock"), 404, "not_found");
});

test("bad input: unknown people, yourself, bad bodies, no session", async () => {
  const ann = await signUp();
  expectError(assert, await ask(ann.jar, "nobody_has_this_name"), 404, "not_found");
  expectError(assert, await ask(ann.jar, "Not A Username!"), 404, "not_found");
  expectError(assert, await ask(ann.jar, ann.user.username.toUpperCase()), 422, "validation_failed", "username");
  expectError(assert, await request("POST", "/api/chat/contacts", { jar: ann.jar, body: "{not json" }), 400, "malformed_json");
  expectError(assert, await request("POST", "/api/chat/contacts", { jar: ann.jar, body: {} }), 422, "validation_failed");
  expectError(assert, await request("POST", "/api/chat/contacts", { jar: ann.jar, body: { username: "x", extra: 1 } }), 422, "validation_failed");
  expectError(assert, await request("GET", "/api/chat/contacts"), 401, "unauthenticated");
  expectError(assert, await request("POST", "/api/chat/contacts/someone/accept"), 401, "unauthenticated");
  expectError(assert, await request("PUT", "/api/chat/contacts", { jar: ann.jar, body: {} }), 405, "method_not_allowed");
});

test("two people asking each other at the same moment become contacts, every time", async () => {
  const pairs = await Promise.all(Array.from({ length: 8 }, async () => [await signUp(), await signUp()]));
  await Promise.all(
    pairs.map(([ann, bob]) => Promise.all([ask(ann.jar, bob.user.username), ask(bob.jar, ann.user.username)])),
  );
  for (const [ann, bob] of pairs) {
    assert.equal(await statusOf(ann.jar, bob.user.username), "contact");
    assert.equal(await statusOf(bob.jar, ann.user.username), "contact");
  }
});

test("a block racing a request: the blocker always ends up blocking, and no change is lost", async () => {
  const pairs = await Promise.all(Array.from({ length: 8 }, async () => [await signUp(), await signUp()]));
  await Promise.all(
    pairs.map(([ann, bob]) => Promise.all([ask(ann.jar, bob.user.username), answer(bob.jar, ann.user.username, "block")])),
  );
  for (const [ann, bob] of pairs) {
    assert.equal(await statusOf(bob.jar, ann.user.username), "blocked");
    // Whichever went first, Ann's view is one a serial order gives: her request stands
    // ("outgoing", the request came after the block) or the block erased it ("none").
    assert.ok(["outgoing", "none"].includes(await statusOf(ann.jar, bob.user.username)));
  }
});

test("settings: private by choice, each person's own", async () => {
  const ann = await signUp();
  const bob = await signUp();
  const initial = await request("GET", "/api/chat/settings", { jar: ann.jar });
  assert.deepEqual(initial.json, { shows_last_seen: true, sends_read_receipts: true, group_adds: "everyone" });
  const changed = await request("PATCH", "/api/chat/settings", { jar: ann.jar, body: { sends_read_receipts: false } });
  assert.deepEqual(changed.json, { shows_last_seen: true, sends_read_receipts: false, group_adds: "everyone" });
  const again = await request("PATCH", "/api/chat/settings", { jar: ann.jar, body: { shows_last_seen: false, group_adds: "contacts" } });
  assert.deepEqual(again.json, { shows_last_seen: false, sends_read_receipts: false, group_adds: "contacts" });
  // Two changes at the same moment both stay.
  await Promise.all([
    request("PATCH", "/api/chat/settings", { jar: bob.jar, body: { shows_last_seen: false } }),
    request("PATCH", "/api/chat/settings", { jar: bob.jar, body: { sends_read_receipts: false } }),
  ]);
  assert.deepEqual((await request("GET", "/api/chat/settings", { jar: bob.jar })).json, { shows_last_seen: false, sends_read_receipts: false, group_adds: "everyone" });
  expectError(assert, await request("PATCH", "/api/chat/settings", { jar: ann.jar, body: { shows_last_seen: "no" } }), 422, "validation_failed");
  expectError(assert, await request("PATCH", "/api/chat/settings", { jar: ann.jar, body: { typo: true } }), 422, "validation_failed");
  expectError(assert, await request("PATCH", "/api/chat/settings", { jar: ann.jar, body: { group_adds: "friends" } }), 422, "validation_failed");
  expectError(assert, await request("PATCH", "/api/chat/settings", { body: {} }), 401, "unauthenticated");
});
