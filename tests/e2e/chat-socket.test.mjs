// Chat's socket, end to end over real WebSockets against `wrangler dev`: one socket per device
// carrying every conversation; messages and receipts reach every member's devices in order; a
// device cut off mid-stream syncs from its last seq with nothing lost or doubled; a client id
// sent again is one message; non-members and garbage are answered with errors that harm no one.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { expectError, request, signUp } from "../support/api.mjs";
import { ChatSocket, closeAllSockets, upgradeStatus } from "../support/chat-socket.mjs";

after(closeAllSockets);

const start = (jar, body) => request("POST", "/api/chat/conversations", { jar, body });

async function group(admin, members, title = "Trek") {
  const res = await start(admin.jar, { kind: "group", title, members: members.map((m) => m.user.username) });
  assert.equal(res.status, 201, res.text);
  return res.json.id;
}

async function direct(a, b) {
  const res = await start(a.jar, { kind: "direct", members: [b.user.username] });
  assert.ok([200, 201].includes(res.status), res.text);
  return res.json.id;
}

const say = (socket, conversation, client_id, body, extra = {}) =>
  socket.send({ type: "send", conversation, client_id, body, ...extra });

test("three people in a group: every message reaches every device once, in order, and the sender hears its seq", async () => {
  const [ann, bob, cat] = await Promise.all([signUp(), signUp(), signUp()]);
  const id = await group(ann, [bob, cat]);
  const annPhone = await ChatSocket.open({ jar: ann.jar });
  const annLaptop = await ChatSocket.open({ jar: ann.jar });
  const bobs = await ChatSocket.open({ jar: bob.jar });
  const cats = await ChatSocket.open({ jar: cat.jar });
  try {
    for (let i = 1; i <= 5; i++) say(annPhone, id, `s-${i}`, `message ${i}`);
    for (let i = 1; i <= 5; i++) {
      const sent = await annPhone.nextOf("sent", id);
      assert.deepEqual([sent.client_id, sent.seq], [`s-${i}`, i]);
    }
    for (const device of [annPhone, annLaptop, bobs, cats]) {
      const got = await device.messages(id, 5);
      assert.deepEqual(got.map((m) => m.seq), [1, 2, 3, 4, 5]);
      assert.deepEqual(got.map((m) => m.body), [1, 2, 3, 4, 5].map((i) => `message ${i}`));
      assert.ok(got.every((m) => m.sender === ann.user.username && m.conversation === id && m.edited === false));
    }
    // Bob answers with a reply; the message a REST send makes reaches the sockets too.
    say(bobs, id, "b-1", "count me in", { reply_to: 2 });
    const reply = await cats.nextOf("message", id);
    assert.deepEqual([reply.seq, reply.sender, reply.reply_to], [6, bob.user.username, 2]);
    const rest = await request("POST", `/api/chat/conversations/${id}/messages`, {
      jar: cat.jar,
      body: { client_id: "c-1", body: "from the API" },
    });
    assert.equal(rest.status, 201, rest.text);
    for (const device of [annLaptop, bobs]) {
      const next = await device.next((f) => f.type === "message" && f.seq === 7);
      assert.equal(next.body, "from the API");
    }
  } finally {
    for (const s of [annPhone, annLaptop, bobs, cats]) s.close();
  }
});

test("a resent client id is one message: the same seq comes back", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const id = await direct(ann, bob);
  const socket = await ChatSocket.open({ jar: ann.jar });
  try {
    say(socket, id, "tap", "hello");
    say(socket, id, "tap", "hello");
    const first = await socket.nextOf("sent", id);
    const second = await socket.nextOf("sent", id);
    assert.deepEqual([first.seq, second.seq], [1, 1]);
    const page = await request("GET", `/api/chat/conversations/${id}/messages`, { jar: bob.jar });
    assert.deepEqual(page.json.items.map((m) => m.body), ["hello"]);
  } finally {
    socket.close();
  }
});

test("a device cut off mid-stream syncs from its last seq: nothing lost, nothing doubled, in order", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const id = await direct(ann, bob);
  const annSocket = await ChatSocket.open({ jar: ann.jar });
  let bobSocket = await ChatSocket.open({ jar: bob.jar });
  try {
    for (let i = 1; i <= 30; i++) say(annSocket, id, `m-${i}`, `n${i}`);
    // Bob's device holds the first few, then its connection dies while the rest are sent.
    const before = await bobSocket.messages(id, 4);
    bobSocket.ws.close();
    await annSocket.next((f) => f.type === "sent" && f.seq === 30, 10000);
    for (let i = 31; i <= 35; i++) say(annSocket, id, `m-${i}`, `n${i}`);
    await annSocket.next((f) => f.type === "sent" && f.seq === 35, 10000);
    // It reconnects and asks for everything after the last seq it holds. The replay may overlap
    // a live delivery still on its way: the device's inbox (shared::chat::inbox) shows each
    // seq once, in order.
    const held = before.map((m) => m.seq);
    assert.deepEqual(held, [1, 2, 3, 4]);
    bobSocket = await ChatSocket.open({ jar: bob.jar });
    bobSocket.send({ type: "sync", conversation: id, after_seq: 4 });
    const inbox = new Inbox(4);
    const shown = [];
    const arrived = [];
    while (inbox.resumeAfter < 35) {
      const frame = await bobSocket.nextOf("message", id);
      arrived.push(frame.seq);
      assert.equal(frame.body, `n${frame.seq}`);
      shown.push(...inbox.receive(frame.seq));
    }
    assert.deepEqual(shown, Array.from({ length: 31 }, (_, i) => i + 5), "5..35 shown once each, in order");
    for (const seq of new Set(arrived)) {
      assert.ok(arrived.filter((s) => s === seq).length <= 2, `seq ${seq} came at most live and replayed`);
    }
    // Then live again.
    say(annSocket, id, "m-36", "n36");
    const live = await bobSocket.next((f) => f.type === "message" && f.seq === 36);
    assert.equal(live.body, "n36");
  } finally {
    annSocket.close();
    bobSocket.close();
  }
});

/** The client's inbox as `shared::chat::inbox` has it: each seq handed on once, in order. */
class Inbox {
  constructor(last) {
    this.resumeAfter = last;
    this.held = new Set();
  }
  receive(seq) {
    if (seq <= this.resumeAfter || this.held.has(seq)) return [];
    if (seq !== this.resumeAfter + 1) {
      this.held.add(seq);
      return [];
    }
    const out = [seq];
    this.resumeAfter = seq;
    while (this.held.delete(this.resumeAfter + 1)) out.push(++this.resumeAfter);
    return out;
  }
}

test("receipts reach the others as the reader's privacy allows", async () => {
  const [ann, bob, cat] = await Promise.all([signUp(), signUp(), signUp()]);
  const id = await group(ann, [bob, cat]);
  const anns = await ChatSocket.open({ jar: ann.jar });
  const bobs = await ChatSocket.open({ jar: bob.jar });
  const cats = await ChatSocket.open({ jar: cat.jar });
  try {
    say(anns, id, "a1", "one");
    say(anns, id, "a2", "two");
    await bobs.messages(id, 2);
    bobs.send({ type: "delivered", conversation: id, seq: 2 });
    const delivered = await anns.nextOf("receipt", id);
    assert.deepEqual(delivered, { type: "receipt", conversation: id, user: bob.user.username, delivered_seq: 2, read_seq: 0 });
    bobs.send({ type: "read", conversation: id, seq: 99 });
    const read = await anns.next((f) => f.type === "receipt" && f.read_seq > 0);
    assert.deepEqual([read.user, read.delivered_seq, read.read_seq], [bob.user.username, 2, 2], "no mark past the end");
    const bobView = await request("GET", `/api/chat/conversations/${id}`, { jar: bob.jar });
    assert.equal(bobView.json.unread, 0);
    // Cat keeps read receipts private: others see delivery only.
    await request("PATCH", "/api/chat/settings", { jar: cat.jar, body: { sends_read_receipts: false } });
    cats.send({ type: "read", conversation: id, seq: 2 });
    const private_ = await anns.next((f) => f.type === "receipt" && f.user === cat.user.username);
    assert.deepEqual([private_.delivered_seq, private_.read_seq], [2, 0]);
    const catView = await request("GET", `/api/chat/conversations/${id}`, { jar: cat.jar });
    assert.equal(catView.json.unread, 0, "her own count still knows");
    // Once delivery is told, a private read changes nothing the others see: no frame at all.
    cats.send({ type: "read", conversation: id, seq: 2 });
    say(anns, id, "a3", "three");
    await cats.next((f) => f.type === "message" && f.seq === 3);
    cats.send({ type: "delivered", conversation: id, seq: 3 });
    await anns.next((f) => f.type === "receipt" && f.user === cat.user.username && f.delivered_seq === 3);
    const framesBefore = anns.frames.length;
    cats.send({ type: "read", conversation: id, seq: 3 });
    // Cat's own device does learn it (her unread count), which proves the frame was handled.
    await cats.next((f) => f.type === "receipt" && f.user === cat.user.username && f.read_seq === 3);
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(!anns.frames.slice(framesBefore).some((f) => f.type === "receipt" && f.user === cat.user.username));
    // A page opened now reads the same marks the frames told: Cat's reading stays private to
    // everyone but Cat, and a stranger cannot ask.
    const marks = async (who) => {
      const res = await request("GET", `/api/chat/conversations/${id}/receipts`, { jar: who.jar });
      assert.equal(res.status, 200, res.text);
      return Object.fromEntries(res.json.items.map((m) => [m.user, [m.delivered_seq, m.read_seq]]));
    };
    assert.deepEqual(await marks(ann), {
      [ann.user.username]: [3, 3],
      [bob.user.username]: [2, 2],
      [cat.user.username]: [3, 0],
    });
    assert.deepEqual((await marks(cat))[cat.user.username], [3, 3]);
    const stranger = await signUp();
    expectError(assert, await request("GET", `/api/chat/conversations/${id}/receipts`, { jar: stranger.jar }), 404, "not_found");
    // Typing reaches the others, not the typist.
    bobs.send({ type: "typing", conversation: id });
    const typing = await cats.nextOf("typing", id);
    assert.equal(typing.user, bob.user.username);
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(!bobs.frames.some((f) => f.type === "typing"));
  } finally {
    for (const s of [anns, bobs, cats]) s.close();
  }
});

test("a non-member cannot post, sync, mark or type; a blocked person cannot message; the room is unharmed", async () => {
  const [ann, bob, eve] = await Promise.all([signUp(), signUp(), signUp()]);
  const id = await direct(ann, bob);
  const eves = await ChatSocket.open({ jar: eve.jar });
  const bobs = await ChatSocket.open({ jar: bob.jar });
  try {
    say(eves, id, "x1", "let me in");
    const refused = await eves.nextOf("error");
    assert.deepEqual([refused.code, refused.client_id], ["not_found", "x1"]);
    for (const frame of [
      { type: "sync", conversation: id, after_seq: 0 },
      { type: "read", conversation: id, seq: 1 },
      { type: "delivered", conversation: id, seq: 1 },
      { type: "typing", conversation: id },
    ]) {
      eves.send(frame);
      assert.equal((await eves.nextOf("error")).code, "not_found", JSON.stringify(frame));
    }
    // Blocked: refused, with the message for the blocked person.
    await request("POST", `/api/chat/contacts/${bob.user.username}/block`, { jar: ann.jar });
    say(bobs, id, "b1", "hello?");
    const blocked = await bobs.nextOf("error");
    assert.deepEqual([blocked.code, blocked.client_id], ["forbidden", "b1"]);
    // Nor does ann see him typing; and her receipts do not reach him.
    const anns = await ChatSocket.open({ jar: ann.jar });
    bobs.send({ type: "typing", conversation: id });
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(!anns.frames.some((f) => f.type === "typing"), "no typing across a block");
    anns.close();
    await request("POST", `/api/chat/contacts/${bob.user.username}/unblock`, { jar: ann.jar });
    say(bobs, id, "b2", "still here");
    assert.equal((await bobs.nextOf("sent", id)).seq, 1);
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(!eves.frames.some((f) => f.type === "message"), "eve heard nothing");
  } finally {
    eves.close();
    bobs.close();
  }
});

test("malformed frames get an error; garbage closes only its own socket", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const id = await direct(ann, bob);
  const anns = await ChatSocket.open({ jar: ann.jar });
  const bobs = await ChatSocket.open({ jar: bob.jar });
  try {
    const cases = [
      [{ type: "shout", conversation: id }, "unknown_type"],
      [{ conversation: id }, "invalid"],
      [{ type: "send", conversation: id, body: "no client id" }, "invalid"],
      [{ type: "send", conversation: id, client_id: "k", body: "   " }, "invalid"],
      [{ type: "send", conversation: id, client_id: "bad id", body: "hi" }, "invalid"],
      [{ type: "sync", conversation: id, after_seq: -1 }, "invalid"],
      [{ type: "pong", extra: 1 }, "invalid"],
      [{ type: "send", conversation: id, client_id: "k", body: "x".repeat(70000) }, "malformed"],
    ];
    for (const [frame, code] of cases) {
      anns.send(frame);
      assert.equal((await anns.nextOf("error")).code, code, JSON.stringify(frame).slice(0, 80));
    }
    say(anns, id, "ok-1", "still works");
    assert.equal((await anns.nextOf("sent", id)).seq, 1);
    anns.send("this is not json");
    assert.equal((await anns.nextOf("error")).code, "malformed");
    const closed = await anns.closedBy();
    assert.equal(closed?.code, 1008);
    // Bob's socket and the room carry on.
    assert.equal((await bobs.nextOf("message", id)).seq, 1);
    say(bobs, id, "ok-2", "after the garbage");
    assert.equal((await bobs.nextOf("sent", id)).seq, 2);
  } finally {
    anns.close();
    bobs.close();
  }
});

test("a socket closes once its key is revoked or its session ends, and hears nothing after", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const key = await request("POST", "/api/auth/keys", { jar: ann.jar, body: { label: "bot" } });
  const bot = await ChatSocket.open({ headers: { authorization: `Bearer ${key.json.key}` } });
  const browser = await ChatSocket.open({ jar: bob.jar });
  assert.equal((await request("DELETE", `/api/auth/keys/${key.json.id}`, { jar: ann.jar })).status, 204);
  assert.equal((await request("POST", "/api/auth/logout", { jar: bob.jar })).status, 204);
  // The hub checks every socket's credential on its next ping round (every second here).
  const deadline = Date.now() + 6000;
  while ((bot.ws.readyState < 2 || browser.ws.readyState < 2) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(bot.ws.readyState >= 2 && browser.ws.readyState >= 2, `${bot.ws.readyState} ${browser.ws.readyState}`);
  const bob2 = await signUp();
  const other = await direct(bob2, ann);
  await request("POST", `/api/chat/conversations/${other}/messages`, { jar: bob2.jar, body: { client_id: "after", body: "hi" } });
  await new Promise((r) => setTimeout(r, 500));
  assert.ok(!bot.frames.some((f) => f.type === "message"), "the revoked key's socket hears nothing");
});

test("the socket needs a person, an upgrade and Dozen's own origin; an API key opens it too", async () => {
  const ann = await signUp();
  expectError(assert, await request("GET", "/api/chat/socket", { jar: ann.jar }), 400, "bad_request");
  expectError(assert, await request("GET", "/api/chat/socket"), 401, "unauthenticated");
  assert.equal(await upgradeStatus({}), 401);
  assert.equal(await upgradeStatus({ cookie: ann.jar.cookie, Origin: "https://evil.example" }), 403);
  assert.equal(await upgradeStatus({ cookie: ann.jar.cookie }), 101);
  const key = await request("POST", "/api/auth/keys", { jar: ann.jar, body: { label: "bot" } });
  assert.equal(key.status, 201, key.text);
  const bot = await ChatSocket.open({ headers: { authorization: `Bearer ${key.json.key}` } });
  const bob = await signUp();
  const id = await direct(ann, bob);
  say(bot, id, "bot-1", "from a bot");
  assert.equal((await bot.nextOf("sent", id)).seq, 1);
  bot.close();
});
