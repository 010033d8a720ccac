// Chat's conversations, end to end against a real `wrangler dev`: one direct conversation per
// pair, groups run by their admins (rename, add, remove, make admin, leave; the last admin
// leaving hands over), blocks, and everything hidden from whoever is not a member.
import assert from "node:assert/strict";
import { test } from "node:test";
import { expectError, request, signUp } from "../support/api.mjs";

const start = (jar, body) => request("POST", "/api/chat/conversations", { jar, body });
const view = (jar, id) => request("GET", `/api/chat/conversations/${id}`, { jar });
const roles = (conversation) => Object.fromEntries(conversation.members.map((m) => [m.username, m.role]));

async function group(admin, members, title = "Weekend plans") {
  const res = await start(admin.jar, { kind: "group", title, members: members.map((m) => m.user.username) });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

test("a direct conversation is one per pair, whoever starts it", async () => {
  const ann = await signUp();
  const bob = await signUp();
  const first = await start(ann.jar, { kind: "direct", members: [bob.user.username] });
  assert.equal(first.status, 201, first.text);
  assert.equal(first.json.kind, "direct");
  assert.equal(first.json.title, bob.user.display_name, "titled by the other person");
  assert.deepEqual(first.json.members.map((m) => m.username).sort(), [ann.user.username, bob.user.username].sort());
  assert.deepEqual([first.json.last_seq, first.json.unread], [0, 0]);
  const again = await start(ann.jar, { kind: "direct", members: [bob.user.username.toUpperCase()] });
  assert.equal(again.status, 200);
  const theirs = await start(bob.jar, { kind: "direct", members: [ann.user.username] });
  assert.equal(theirs.status, 200);
  assert.equal(theirs.json.id, first.json.id);
  assert.equal(theirs.json.title, ann.user.display_name);
  const [a, b] = await Promise.all([
    start(ann.jar, { kind: "direct", members: [bob.user.username] }),
    start(bob.jar, { kind: "direct", members: [ann.user.username] }),
  ]);
  assert.equal(a.json.id, first.json.id, "even when both start it at once");
  assert.equal(b.json.id, first.json.id);
});

test("bad conversations: nobody, two people, yourself, unknown people, bad titles", async () => {
  const ann = await signUp();
  const bob = await signUp();
  expectError(assert, await start(ann.jar, { kind: "direct", members: [] }), 422, "validation_failed", "members");
  expectError(assert, await start(ann.jar, { kind: "direct", members: [bob.user.username, "x"] }), 422, "validation_failed", "members");
  expectError(assert, await start(ann.jar, { kind: "direct", members: [ann.user.username] }), 422, "validation_failed", "members");
  expectError(assert, await start(ann.jar, { kind: "direct", members: ["nobody_has_this_one"] }), 404, "not_found");
  expectError(assert, await start(ann.jar, { kind: "group", title: "  ", members: [bob.user.username] }), 422, "validation_failed", "title");
  expectError(assert, await start(ann.jar, { kind: "group", title: "x".repeat(81), members: [] }), 422, "validation_failed", "title");
  expectError(assert, await start(ann.jar, { kind: "party", members: [] }), 422, "validation_failed");
  expectError(assert, await start(ann.jar, { kind: "group", title: "t", members: [], extra: 1 }), 422, "validation_failed");
  expectError(assert, await start(undefined, { kind: "direct", members: [bob.user.username] }), 401, "unauthenticated");
});

test("a group: its creator is admin; members once each; renamed and grown by admins only", async () => {
  const [ann, bob, cat, dan] = await Promise.all([signUp(), signUp(), signUp(), signUp()]);
  const g = await group(ann, [bob, cat, bob]);
  assert.deepEqual(roles(g), { [ann.user.username]: "admin", [bob.user.username]: "member", [cat.user.username]: "member" });
  expectError(assert, await request("PATCH", `/api/chat/conversations/${g.id}`, { jar: bob.jar, body: { title: "Mine" } }), 403, "forbidden");
  const renamed = await request("PATCH", `/api/chat/conversations/${g.id}`, { jar: ann.jar, body: { title: " Goa trip " } });
  assert.equal(renamed.json.title, "Goa trip");
  const add = (who, usernames) => request("POST", `/api/chat/conversations/${g.id}/members`, { jar: who.jar, body: { usernames } });
  expectError(assert, await add(bob, [dan.user.username]), 403, "forbidden");
  const grown = await add(ann, [dan.user.username, bob.user.username]);
  assert.equal(grown.status, 200, grown.text);
  assert.equal(grown.json.members.length, 4, "bob was in already");
  const made = await request("POST", `/api/chat/conversations/${g.id}/admins/${bob.user.username}`, { jar: ann.jar });
  assert.equal(roles(made.json)[bob.user.username], "admin");
  const list = await request("GET", "/api/chat/conversations", { jar: dan.jar });
  assert.deepEqual(list.json.items.map((c) => c.id), [g.id]);
});

test("nobody outside a conversation sees or changes it: 404, as if it did not exist", async () => {
  const [ann, bob, eve] = await Promise.all([signUp(), signUp(), signUp()]);
  const g = await group(ann, [bob]);
  const direct = (await start(ann.jar, { kind: "direct", members: [bob.user.username] })).json;
  for (const id of [g.id, direct.id, "01KZZZZZZZZZZZZZZZZZZZZZZZ", "not-an-id"]) {
    expectError(assert, await view(eve.jar, id), 404, "not_found");
    expectError(assert, await request("PATCH", `/api/chat/conversations/${id}`, { jar: eve.jar, body: { title: "x" } }), 404, "not_found");
    expectError(assert, await request("POST", `/api/chat/conversations/${id}/members`, { jar: eve.jar, body: { usernames: [eve.user.username] } }), 404, "not_found");
    expectError(assert, await request("DELETE", `/api/chat/conversations/${id}/members/${bob.user.username}`, { jar: eve.jar }), 404, "not_found");
  }
  assert.deepEqual((await request("GET", "/api/chat/conversations", { jar: eve.jar })).json.items, []);
  // A direct conversation is always its two people.
  expectError(assert, await request("POST", `/api/chat/conversations/${direct.id}/members`, { jar: ann.jar, body: { usernames: [eve.user.username] } }), 409, "conflict");
});

test("members leave, admins remove, and the last admin leaving hands over to the earliest member", async () => {
  const [ann, bob, cat] = await Promise.all([signUp(), signUp(), signUp()]);
  const g = await group(ann, [bob, cat]);
  const dan = await signUp();
  await request("POST", `/api/chat/conversations/${g.id}/members`, { jar: ann.jar, body: { usernames: [dan.user.username] } });
  const leave = (who, username = who.user.username) =>
    request("DELETE", `/api/chat/conversations/${g.id}/members/${username}`, { jar: who.jar });
  expectError(assert, await leave(bob, cat.user.username), 403, "forbidden");
  assert.equal((await leave(ann, cat.user.username)).status, 204, "an admin removes");
  expectError(assert, await view(cat.jar, g.id), 404, "not_found");
  assert.equal((await leave(ann)).status, 204, "the only admin leaves");
  const after = (await view(bob.jar, g.id)).json;
  assert.deepEqual(roles(after), { [bob.user.username]: "admin", [dan.user.username]: "member" }, "bob joined before dan");
  expectError(assert, await leave(bob, ann.user.username), 404, "not_found");
});

test("two admins leaving at the same moment still leave an admin behind", async () => {
  for (let round = 0; round < 3; round++) {
    const [ann, bob, cat] = await Promise.all([signUp(), signUp(), signUp()]);
    const g = await group(ann, [bob, cat]);
    await request("POST", `/api/chat/conversations/${g.id}/admins/${bob.user.username}`, { jar: ann.jar });
    const [a, b] = await Promise.all([
      request("DELETE", `/api/chat/conversations/${g.id}/members/${ann.user.username}`, { jar: ann.jar }),
      request("DELETE", `/api/chat/conversations/${g.id}/members/${bob.user.username}`, { jar: bob.jar }),
    ]);
    assert.deepEqual([a.status, b.status], [204, 204]);
    assert.deepEqual(roles((await view(cat.jar, g.id)).json), { [cat.user.username]: "admin" });
  }
});

test("blocks: nobody adds someone who blocked them, and the answer does not say why", async () => {
  const [ann, bob, cat] = await Promise.all([signUp(), signUp(), signUp()]);
  await request("POST", `/api/chat/contacts/${ann.user.username}/block`, { jar: cat.jar });
  const refused = await start(ann.jar, { kind: "group", title: "t", members: [bob.user.username, cat.user.username] });
  expectError(assert, refused, 403, "forbidden", "members");
  const g = await group(ann, [bob]);
  expectError(assert, await request("POST", `/api/chat/conversations/${g.id}/members`, { jar: ann.jar, body: { usernames: [cat.user.username] } }), 403, "forbidden", "members");
  // The blocker cannot add the blocked either, until they unblock.
  const theirs = await group(cat, [bob]);
  expectError(assert, await request("POST", `/api/chat/conversations/${theirs.id}/members`, { jar: cat.jar, body: { usernames: [ann.user.username] } }), 403, "forbidden", "members");
  // A direct conversation with someone you blocked: unblock first. With someone who blocked
  // you: it opens as any other (their block is not announced).
  expectError(assert, await start(cat.jar, { kind: "direct", members: [ann.user.username] }), 409, "conflict");
  assert.equal((await start(ann.jar, { kind: "direct", members: [cat.user.username] })).status, 201);
});
