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
});

test("two people starting their direct conversation at the same moment get the same one", async () => {
  const pairs = await Promise.all(Array.from({ length: 6 }, async () => [await signUp(), await signUp()]));
  const started = await Promise.all(
    pairs.map(([ann, bob]) =>
      Promise.all([
        start(ann.jar, { kind: "direct", members: [bob.user.username] }),
        start(bob.jar, { kind: "direct", members: [ann.user.username] }),
      ]),
    ),
  );
  for (const [a, b] of started) {
    assert.deepEqual([a.status, b.status].sort(), [200, 201], `${a.text} ${b.text}`);
    assert.equal(a.json.id, b.json.id);
    assert.equal(a.json.members.length, 2);
  }
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

test("blocks and 'contacts only': nobody adds someone who will not have it, and the answer never says which", async () => {
  const [ann, bob, cat, dee] = await Promise.all([signUp(), signUp(), signUp(), signUp()]);
  await request("POST", `/api/chat/contacts/${ann.user.username}/block`, { jar: cat.jar });
  await request("PATCH", "/api/chat/settings", { jar: dee.jar, body: { group_adds: "contacts" } });
  const refusedByBlock = await start(ann.jar, { kind: "group", title: "t", members: [bob.user.username, cat.user.username] });
  const refusedBySetting = await start(ann.jar, { kind: "group", title: "t", members: [bob.user.username, dee.user.username] });
  expectError(assert, refusedByBlock, 403, "forbidden", "members");
  expectError(assert, refusedBySetting, 403, "forbidden", "members");
  assert.equal(
    refusedByBlock.json.error.message.replace(cat.user.username, "X"),
    refusedBySetting.json.error.message.replace(dee.user.username, "X"),
    "a block reads exactly like a privacy setting",
  );
  const g = await group(ann, [bob]);
  const add = (who, id, usernames) => request("POST", `/api/chat/conversations/${id}/members`, { jar: who.jar, body: { usernames } });
  expectError(assert, await add(ann, g.id, [cat.user.username]), 403, "forbidden", "usernames");
  // Contacts may add someone who lets only contacts add them.
  await request("POST", "/api/chat/contacts", { jar: ann.jar, body: { username: dee.user.username } });
  await request("POST", `/api/chat/contacts/${ann.user.username}/accept`, { jar: dee.jar });
  assert.equal((await add(ann, g.id, [dee.user.username])).status, 200);
  // The blocker cannot add the blocked either, until they unblock.
  const theirs = await group(cat, [bob]);
  expectError(assert, await add(cat, theirs.id, [ann.user.username]), 403, "forbidden", "usernames");
  // A direct conversation with someone you blocked: unblock first. With someone who blocked
  // you: it opens as any other, but it does not appear in their list.
  expectError(assert, await start(cat.jar, { kind: "direct", members: [ann.user.username] }), 409, "conflict");
  const opened = await start(ann.jar, { kind: "direct", members: [cat.user.username] });
  assert.equal(opened.status, 201);
  const catsList = (await request("GET", "/api/chat/conversations", { jar: cat.jar })).json.items.map((c) => c.id);
  assert.ok(!catsList.includes(opened.json.id));
});

test("adding: names repeated count once; more than a group can hold is refused before anything", async () => {
  const [ann, bob, dan, eve] = await Promise.all([signUp(), signUp(), signUp(), signUp()]);
  const g = await group(ann, [bob]);
  const add = (usernames) => request("POST", `/api/chat/conversations/${g.id}/members`, { jar: ann.jar, body: { usernames } });
  const grown = await add([dan.user.username, eve.user.username, dan.user.username.toUpperCase()]);
  assert.equal(grown.status, 200, grown.text);
  assert.equal(grown.json.members.length, 4);
  expectError(assert, await add(Array.from({ length: 257 }, (_, i) => `user${i}`)), 422, "validation_failed", "usernames");
  expectError(assert, await add(["nobody_has_this_one"]), 404, "not_found", "usernames");
});
