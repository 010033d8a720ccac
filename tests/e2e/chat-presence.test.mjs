// Chat presence from heartbeats, end to end over real WebSockets against `wrangler dev` (which
// the suites start with pings every second instead of 45 s): contacts see each other come
// online and go offline with their last seen; a device that stops answering pings is closed and
// counted gone; nobody else sees any of it, and "last seen" stays hidden for who hides it.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { request, signUp } from "../support/api.mjs";
import { ChatSocket, closeAllSockets } from "../support/chat-socket.mjs";

after(closeAllSockets);

async function contacts(a, b) {
  const asked = await request("POST", "/api/chat/contacts", { jar: a.jar, body: { username: b.user.username } });
  assert.equal(asked.status, 200, asked.text);
  const accepted = await request("POST", `/api/chat/contacts/${a.user.username}/accept`, { jar: b.jar });
  assert.equal(accepted.status, 200, accepted.text);
}

const presenceOf = (socket, user, status, ms) =>
  socket.next((f) => f.type === "presence" && f.user === user && (!status || f.status === status), ms, `${user} ${status}`);

test("contacts see each other online, then offline with a last seen; strangers see nothing", async () => {
  const [ann, bob, eve] = await Promise.all([signUp(), signUp(), signUp()]);
  await contacts(ann, bob);
  const anns = await ChatSocket.open({ jar: ann.jar });
  const eves = await ChatSocket.open({ jar: eve.jar });
  // Bob was never here: ann's device is told he is offline, without a last seen.
  const never = await presenceOf(anns, bob.user.username);
  assert.deepEqual([never.status, never.last_seen], ["offline", null]);
  const bobs = await ChatSocket.open({ jar: bob.jar });
  try {
    assert.equal((await presenceOf(anns, bob.user.username, "online")).last_seen, null);
    // Bob's device is told ann is online.
    assert.equal((await presenceOf(bobs, ann.user.username)).status, "online");
    const closedAt = Date.now();
    bobs.close();
    const offline = await presenceOf(anns, bob.user.username, "offline");
    assert.ok(offline.last_seen, "a last seen");
    assert.ok(Math.abs(Date.parse(offline.last_seen) - closedAt) < 10_000, offline.last_seen);
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(!eves.frames.some((f) => f.type === "presence"), "eve is nobody's contact");
  } finally {
    anns.close();
    eves.close();
    bobs.close();
  }
});

test("one device going keeps its person online while another stays", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  await contacts(ann, bob);
  const phone = await ChatSocket.open({ jar: bob.jar });
  const laptop = await ChatSocket.open({ jar: bob.jar });
  const anns = await ChatSocket.open({ jar: ann.jar });
  try {
    assert.equal((await presenceOf(anns, bob.user.username)).status, "online");
    phone.close();
    await new Promise((r) => setTimeout(r, 1500));
    assert.ok(!anns.frames.some((f) => f.type === "presence" && f.status !== "online"), JSON.stringify(anns.frames));
    laptop.close();
    await presenceOf(anns, bob.user.username, "offline");
  } finally {
    for (const s of [phone, laptop, anns]) s.close();
  }
});

test("sockets are pinged; one that stops answering is closed and its person goes offline", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  await contacts(ann, bob);
  const anns = await ChatSocket.open({ jar: ann.jar });
  await presenceOf(anns, bob.user.username, "offline"); // what ann's device is told on connecting
  const silent = await ChatSocket.open({ jar: bob.jar, answersPings: false });
  try {
    await presenceOf(anns, bob.user.username, "online");
    await presenceOf(anns, bob.user.username, "offline", 8000);
    // The hub sent its close frame (under wrangler dev the TCP connection of a socket closed from
    // the hub's alarm lingers in CLOSING, so the close event itself is not awaited here).
    assert.ok(silent.ws.readyState >= 2, `readyState ${silent.ws.readyState}`);
    assert.ok(silent.pings >= 2, `pinged ${silent.pings} times first`);
    const pingsThen = silent.pings;
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(silent.pings, pingsThen, "no pings after it was given up");
    // Ann answered every ping: she is still connected.
    assert.ok(anns.pings >= 2);
    assert.equal(anns.closed, null);
  } finally {
    anns.close();
    silent.close();
  }
});

test("last seen is shown only with its person's leave, and a block hides presence both ways", async () => {
  const [ann, bob, cat] = await Promise.all([signUp(), signUp(), signUp()]);
  await contacts(ann, bob);
  await contacts(ann, cat);
  await request("PATCH", "/api/chat/settings", { jar: bob.jar, body: { shows_last_seen: false } });
  const anns = await ChatSocket.open({ jar: ann.jar });
  let cats;
  try {
    const bobs = await ChatSocket.open({ jar: bob.jar });
    await presenceOf(anns, bob.user.username, "online");
    bobs.close();
    const offline = await presenceOf(anns, bob.user.username, "offline");
    assert.equal(offline.last_seen, null, "bob hides his last seen");
    // Cat blocks ann: neither sees the other any more.
    await request("POST", `/api/chat/contacts/${ann.user.username}/block`, { jar: cat.jar });
    const seenBefore = anns.frames.length;
    cats = await ChatSocket.open({ jar: cat.jar });
    await new Promise((r) => setTimeout(r, 800));
    const annSawCat = anns.frames.slice(seenBefore).some((f) => f.type === "presence" && f.user === cat.user.username);
    assert.ok(!annSawCat, "ann is not told cat came online");
    assert.ok(!cats.frames.some((f) => f.type === "presence" && f.user === ann.user.username), "cat is not told of ann");
  } finally {
    anns.close();
    cats?.close();
  }
});
