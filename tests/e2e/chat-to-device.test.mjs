// The to-device inbox of encrypted chats against `wrangler dev`: a device queues envelopes
// sealed pairwise for other devices (sender keys handed over, as tests/support/e2ee.mjs seals
// them), outside the conversation's log; each device reads exactly its own inbox, pages through
// it, acknowledges what it holds, and loses it when the device is forgotten. A send is checked
// whole before anything is kept: one bad envelope queues none.
import assert from "node:assert/strict";
import { test } from "node:test";
import { expectError, request, signUp } from "../support/api.mjs";
import { acceptSession, device, fromBody, open, publish, seal, startSession } from "../support/e2ee.mjs";

const start = (jar, body) => request("POST", "/api/chat/conversations", { jar, body });
const toDevice = (jar, id, body) => request("POST", `/api/chat/conversations/${id}/to-device`, { jar, body });
const inbox = (jar, deviceId, query = "") => request("GET", `/api/chat/devices/${deviceId}/inbox${query}`, { jar });
const ack = (jar, deviceId, upTo) => request("POST", `/api/chat/devices/${deviceId}/inbox/ack`, { jar, body: { up_to: upTo } });

/** A person with published devices, named by id: { person, devices: { id: device } }. */
async function withDevices(ids) {
  const person = await signUp();
  const devices = {};
  for (const id of ids) {
    devices[id] = await device(person, id);
    assert.equal((await publish(devices[id])).status, 200);
  }
  return { ...person, devices };
}

/** Their published keys of one device, as another person reads them. */
async function keysOf(jar, person, deviceId) {
  const listed = await request("GET", `/api/chat/users/${person.user.username}/keys`, { jar });
  return listed.json.items.find((d) => d.device === deviceId);
}

/** The ids of what waits in a device's inbox (all of it: every page). */
async function waiting(jar, deviceId) {
  const res = await inbox(jar, deviceId, "?limit=500");
  assert.equal(res.status, 200, res.text);
  return res.json.items.map((item) => item.id);
}

/** A sender key as a client hands it over (the server never reads it). */
const senderKey = (n) => JSON.stringify({ generation: 1, next: n, chain_key: `k${n}`.padEnd(43, "x") });

test("envelopes queued for devices are read by exactly those devices, paged, and acknowledged", async () => {
  const [ann, bob, carol] = await Promise.all([withDevices(["a1", "a2"]), withDevices(["b1", "b2"]), withDevices(["c1"])]);
  const group = await start(ann.jar, { kind: "group", title: "Trek", members: [bob.user.username], encrypted: true });
  assert.equal(group.status, 201, group.text);
  const id = group.json.id;
  const me = ann.user.username;

  // Ann's phone (a1) starts a session with each device and seals her sender key for it.
  const sessions = {
    b1: await startSession(ann.devices.a1, await keysOf(ann.jar, bob, "b1")),
    b2: await startSession(ann.devices.a1, await keysOf(ann.jar, bob, "b2")),
    a2: await startSession(ann.devices.a1, await keysOf(ann.jar, ann, "a2")),
  };
  const sealed = async (to, text) => seal(sessions[to], "a1", id, me, text);
  const messages = [
    { username: bob.user.username, device: "b1", body: await sealed("b1", senderKey(0)) },
    { username: bob.user.username, device: "b1", body: await sealed("b1", senderKey(1)) },
    { username: bob.user.username.toUpperCase(), device: "b1", body: await sealed("b1", senderKey(2)) },
    { username: bob.user.username, device: "b2", body: await sealed("b2", senderKey(3)) },
    { username: me, device: "a2", body: await sealed("a2", senderKey(4)) },
  ];
  const sent = await toDevice(ann.jar, id, { from_device: "a1", messages });
  assert.equal(sent.status, 201, sent.text);
  assert.deepEqual(sent.json, { queued: 5 });

  // Each device reads exactly its own, oldest first, as sent.
  const b1 = await inbox(bob.jar, "b1");
  assert.equal(b1.status, 200, b1.text);
  assert.equal(b1.json.items.length, 3);
  const [first, second, third] = b1.json.items;
  assert.ok(first.id < second.id && second.id < third.id, "ascending ids");
  for (const [i, item] of b1.json.items.entries()) {
    assert.deepEqual(Object.keys(item).sort(), ["body", "conversation", "id", "sender", "sender_device", "sent_at"]);
    assert.deepEqual([item.conversation, item.sender, item.sender_device, item.body], [id, me, "a1", messages[i].body]);
    assert.ok(!Number.isNaN(Date.parse(item.sent_at)) && item.sent_at.includes("T"), item.sent_at);
  }
  // Bob's laptop opens them with its private keys.
  const bobSession = await acceptSession(bob.devices.b1, fromBody(first.body).handshake);
  assert.equal(await open(bobSession, id, me, first.body), senderKey(0));
  assert.equal(await open(bobSession, id, me, second.body), senderKey(1));
  assert.deepEqual((await inbox(bob.jar, "b2")).json.items.map((i) => i.body), [messages[3].body]);
  assert.deepEqual((await inbox(ann.jar, "a2")).json.items.map((i) => i.body), [messages[4].body]);
  assert.deepEqual((await inbox(ann.jar, "a1")).json.items, [], "nothing for the sending device");
  // Nothing of it is a message: the log stays empty and nothing is unread.
  assert.deepEqual((await request("GET", `/api/chat/conversations/${id}/messages`, { jar: bob.jar })).json.items, []);
  const listed = (await request("GET", "/api/chat/conversations", { jar: bob.jar })).json.items.find((c) => c.id === id);
  assert.deepEqual([listed.last_seq, listed.unread], [0, 0]);

  // Paging: `limit` from the oldest, `after` the last id held.
  assert.deepEqual((await inbox(bob.jar, "b1", "?limit=2")).json.items.map((i) => i.id), [first.id, second.id]);
  assert.deepEqual((await inbox(bob.jar, "b1", `?after=${second.id}&limit=2`)).json.items.map((i) => i.id), [third.id]);
  assert.deepEqual((await inbox(bob.jar, "b1", `?after=${third.id}`)).json.items, []);
  for (const [query, field] of [["?limit=0", "limit"], ["?limit=501", "limit"], ["?limit=x", "limit"], ["?after=-1", "after"], ["?after=1.5", "after"]]) {
    expectError(assert, await inbox(bob.jar, "b1", query), 422, "validation_failed", field);
  }

  // Acknowledging forgets up to that id, for that device only: re-reading is safe until then.
  const ackd = await ack(bob.jar, "b1", second.id);
  assert.equal(ackd.status, 204, ackd.text);
  assert.deepEqual(await waiting(bob.jar, "b1"), [third.id]);
  const b2Id = (await waiting(bob.jar, "b2"))[0];
  assert.ok(b2Id > third.id);
  assert.equal((await ack(bob.jar, "b1", b2Id)).status, 204, "past another device's id");
  assert.deepEqual(await waiting(bob.jar, "b1"), []);
  assert.deepEqual(await waiting(bob.jar, "b2"), [b2Id], "another device's inbox is its own");
  assert.equal((await waiting(ann.jar, "a2")).length, 1);
  for (const body of [{ up_to: -1 }, { up_to: "5" }, {}, { up_to: 1, also: true }]) {
    expectError(assert, await request("POST", "/api/chat/devices/b1/inbox/ack", { jar: bob.jar, body }), 422, "validation_failed");
  }

  // Authorization: a device is its owner's. Bob names Ann's devices: no such device of his.
  expectError(assert, await inbox(bob.jar, "a2"), 404, "not_found");
  expectError(assert, await ack(bob.jar, "a2", 1_000_000), 404, "not_found");
  assert.equal((await waiting(ann.jar, "a2")).length, 1, "Bob's ack touched nothing of Ann's");
  expectError(assert, await inbox(bob.jar, "a%2F1"), 404, "not_found");
  expectError(assert, await inbox(undefined, "b1"), 401, "unauthenticated");
  expectError(assert, await toDevice(undefined, id, { from_device: "a1", messages }), 401, "unauthenticated");

  // Someone outside the conversation, or a conversation that is not there: 404 as elsewhere.
  const fromCarol = { from_device: "c1", messages: [{ username: bob.user.username, device: "b1", body: messages[0].body }] };
  expectError(assert, await toDevice(carol.jar, id, fromCarol), 404, "not_found");
  expectError(assert, await toDevice(ann.jar, "no-such-conversation", { from_device: "a1", messages }), 404, "not_found");
  // A conversation that is not encrypted has no keys to hand over.
  const plain = await start(ann.jar, { kind: "group", title: "Plain", members: [bob.user.username] });
  expectError(assert, await toDevice(ann.jar, plain.json.id, { from_device: "a1", messages }), 409, "conflict");
  assert.deepEqual(await waiting(bob.jar, "b1"), []);
});

test("one bad envelope queues none, and each fault names its field", async () => {
  const [ann, bob, carol] = await Promise.all([withDevices(["a1", "a2"]), withDevices(["b1"]), withDevices(["c1"])]);
  const group = await start(ann.jar, { kind: "group", title: "Trek", members: [bob.user.username], encrypted: true });
  const id = group.json.id;
  const session = await startSession(ann.devices.a1, await keysOf(ann.jar, bob, "b1"));
  const good = { username: bob.user.username, device: "b1", body: await seal(session, "a1", id, ann.user.username, senderKey(0)) };
  const fromA2 = await seal(await startSession(ann.devices.a2, await keysOf(ann.jar, bob, "b1")), "a2", id, ann.user.username, "x");
  const cases = [
    ["messages", { from_device: "a1", messages: [] }],
    ["messages", { from_device: "a1", messages: Array(1001).fill(good) }],
    ["from_device", { from_device: "a9", messages: [good] }],
    ["from_device", { from_device: "b1", messages: [good] }],
    ["from_device", { from_device: "a/1", messages: [good] }],
    ["messages[1].body", { from_device: "a1", messages: [good, { ...good, body: "sender key in the clear" }] }],
    ["messages[1].body", { from_device: "a1", messages: [good, { ...good, body: fromA2 }] }],
    ["messages[1].body", { from_device: "a1", messages: [good, { ...good, body: good.body + "A".repeat(48_000) }] }],
    ["messages[1].username", { from_device: "a1", messages: [good, { ...good, username: carol.user.username }] }],
    ["messages[1].username", { from_device: "a1", messages: [good, { ...good, username: "nobody_called_this" }] }],
    ["messages[1].device", { from_device: "a1", messages: [good, { ...good, device: "b9" }] }],
    ["messages[1].device", { from_device: "a1", messages: [good, { ...good, username: ann.user.username, device: "c1" }] }],
    ["messages[0].device", { from_device: "a1", messages: [{ ...good, device: "" }] }],
  ];
  for (const [field, body] of cases) {
    expectError(assert, await toDevice(ann.jar, id, body), 422, "validation_failed", field);
  }
  expectError(assert, await toDevice(ann.jar, id, { from_device: "a1", messages: [{ ...good, extra: 1 }] }), 422, "validation_failed");
  assert.deepEqual(await waiting(bob.jar, "b1"), [], "nothing was queued by any of them");

  // The largest send: a thousand envelopes (more than one statement's worth), kept in order.
  const many = [];
  for (let n = 0; n < 1000; n++) {
    many.push({ ...good, body: await seal(session, "a1", id, ann.user.username, senderKey(n).padEnd(700, "x")) });
  }
  const sent = await toDevice(ann.jar, id, { from_device: "a1", messages: many });
  assert.equal(sent.status, 201, sent.text);
  assert.deepEqual(sent.json, { queued: 1000 });
  const page1 = (await inbox(bob.jar, "b1", "?limit=500")).json.items;
  const page2 = (await inbox(bob.jar, "b1", `?after=${page1.at(-1).id}&limit=500`)).json.items;
  assert.deepEqual([...page1, ...page2].map((i) => i.body), many.map((m) => m.body));
  assert.deepEqual((await inbox(bob.jar, "b1")).json.items.length, 100, "a page holds 100 by default");
  assert.equal((await ack(bob.jar, "b1", page2.at(-1).id)).status, 204);
  assert.deepEqual(await waiting(bob.jar, "b1"), []);
});

test("blocks stop envelopes as they stop messages; leaving or forgetting a device empties what waits", async () => {
  const [ann, bob, carol] = await Promise.all([withDevices(["a1"]), withDevices(["b1", "b2"]), withDevices(["c1"])]);
  const me = ann.user.username;

  // A direct encrypted conversation, then Carol blocks Ann: neither hands the other anything.
  const direct = (await start(ann.jar, { kind: "direct", members: [carol.user.username], encrypted: true })).json.id;
  const toCarol = await seal(await startSession(ann.devices.a1, await keysOf(ann.jar, carol, "c1")), "a1", direct, me, senderKey(0));
  const toAnn = await seal(await startSession(carol.devices.c1, await keysOf(carol.jar, ann, "a1")), "c1", direct, carol.user.username, senderKey(0));
  assert.equal((await request("POST", `/api/chat/contacts/${me}/block`, { jar: carol.jar })).status, 200);
  const annSends = { from_device: "a1", messages: [{ username: carol.user.username, device: "c1", body: toCarol }] };
  expectError(assert, await toDevice(ann.jar, direct, annSends), 403, "forbidden");
  const carolSends = { from_device: "c1", messages: [{ username: me, device: "a1", body: toAnn }] };
  expectError(assert, await toDevice(carol.jar, direct, carolSends), 409, "conflict");
  assert.deepEqual([await waiting(carol.jar, "c1"), await waiting(ann.jar, "a1")], [[], []]);

  // In a group, what waits for a member who has left is no longer theirs to read.
  const group = (await start(ann.jar, { kind: "group", title: "Trek", members: [bob.user.username], encrypted: true })).json.id;
  const forBob = async (deviceId) => ({
    username: bob.user.username,
    device: deviceId,
    body: await seal(await startSession(ann.devices.a1, await keysOf(ann.jar, bob, deviceId)), "a1", group, me, senderKey(1)),
  });
  const sent = await toDevice(ann.jar, group, { from_device: "a1", messages: [await forBob("b1"), await forBob("b2")] });
  assert.equal(sent.status, 201, sent.text);
  assert.equal((await waiting(bob.jar, "b1")).length, 1);
  assert.equal((await waiting(bob.jar, "b2")).length, 1);

  // Forgetting a device forgets its inbox; published again, it starts empty.
  assert.equal((await request("DELETE", "/api/chat/devices/b2", { jar: bob.jar })).status, 204);
  expectError(assert, await inbox(bob.jar, "b2"), 404, "not_found");
  const toForgotten = { from_device: "a1", messages: [await forBob("b1"), { ...(await forBob("b1")), device: "b2" }] };
  expectError(assert, await toDevice(ann.jar, group, toForgotten), 422, "validation_failed", "messages[1].device");
  assert.equal((await publish(bob.devices.b2)).status, 200);
  assert.deepEqual(await waiting(bob.jar, "b2"), []);
  assert.equal((await waiting(bob.jar, "b1")).length, 1, "the other device keeps its own");

  assert.equal((await request("DELETE", `/api/chat/conversations/${group}/members/${bob.user.username}`, { jar: bob.jar })).status, 204);
  assert.deepEqual(await waiting(bob.jar, "b1"), []);
  const afterLeaving = { from_device: "b1", messages: [{ username: me, device: "a1", body: toAnn }] };
  expectError(assert, await toDevice(bob.jar, group, afterLeaving), 404, "not_found");
});

test("one person cannot flood a device: 1,000 envelopes may wait for it from them, then 429 until it reads", async () => {
  const [ann, bob] = await Promise.all([withDevices(["a1"]), withDevices(["b1", "b2"])]);
  const chat = await start(ann.jar, { kind: "direct", members: [bob.user.username], encrypted: true });
  assert.ok([200, 201].includes(chat.status), chat.text);
  const id = chat.json.id;
  const session = await startSession(ann.devices.a1, await keysOf(ann.jar, bob, "b1"));
  const envelope = { username: bob.user.username, device: "b1", body: await seal(session, "a1", id, ann.user.username, senderKey(0)) };
  const batch = (n) => ({ from_device: "a1", messages: Array.from({ length: n }, () => envelope) });
  assert.deepEqual((await toDevice(ann.jar, id, batch(999))).json, { queued: 999 });
  assert.deepEqual((await toDevice(ann.jar, id, batch(1))).json, { queued: 1 });
  const refused = await toDevice(ann.jar, id, batch(1));
  expectError(assert, refused, 429, "rate_limited");
  // The limit is each device's: Bob's other device still takes what is sealed for it.
  const toB2 = await startSession(ann.devices.a1, await keysOf(ann.jar, bob, "b2"));
  const forB2 = { username: bob.user.username, device: "b2", body: await seal(toB2, "a1", id, ann.user.username, senderKey(1)) };
  assert.deepEqual((await toDevice(ann.jar, id, { from_device: "a1", messages: [forB2, forB2] })).json, { queued: 2 });
  const first = await waiting(bob.jar, "b1");
  const rest = (await inbox(bob.jar, "b1", `?after=${first.at(-1)}&limit=500`)).json.items.map((i) => i.id);
  const beyond = (await inbox(bob.jar, "b1", `?after=${rest.at(-1)}&limit=500`)).json.items;
  assert.equal(first.length + rest.length + beyond.length, 1000, "nothing more was kept");
  // Once the device has read them, there is room again.
  assert.equal((await ack(bob.jar, "b1", rest.at(-1))).status, 204);
  assert.deepEqual((await toDevice(ann.jar, id, batch(1))).json, { queued: 1 });
});
