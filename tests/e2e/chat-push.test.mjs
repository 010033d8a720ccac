// Chat's Web Push end to end against `wrangler dev`, with this process as the push service: a
// node http server on 127.0.0.1 (a random port) takes the pushes the worker sends. Subscribers
// are "browsers" with a P-256 key pair made here and 16 random bytes of auth secret. Each push
// is checked as a push service and a browser would: its headers, its VAPID token (RFC 8292,
// verified with node's crypto against GET /api/chat/push/key), and its body, decrypted with a
// standard implementation of RFC 8291/8188 (the npm package http_ece).
import assert from "node:assert/strict";
import { createPublicKey, randomBytes, verify } from "node:crypto";
import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import { after, before, test } from "node:test";
import { d1, expectError, login, request, rows, signUp } from "../support/api.mjs";
import { ROOT } from "../support/server.mjs";
import { ChatSocket, closeAllSockets } from "../support/chat-socket.mjs";
import { device, publish, seal, startSession } from "../support/e2ee.mjs";
import { browser, open, Receiver } from "../support/push.mjs";

const receiver = new Receiver();
before(() => receiver.start());
after(async () => {
  closeAllSockets();
  await receiver.stop();
});

/** What `PushSubscription.toJSON()` gives. */
const subscription = (b, endpoint) => ({ endpoint, expirationTime: null, keys: b.keys });
const subscribe = (person, body) => request("POST", "/api/chat/push/subscriptions", { jar: person.jar, body });
const unsubscribe = (person, body) => request("DELETE", "/api/chat/push/subscriptions", { jar: person.jar, body });

/** A person subscribed on one new browser whose endpoint is on the receiver: { browser, endpoint }. */
async function subscribed(person, status = 201) {
  const b = browser();
  const endpoint = receiver.endpoint(status);
  const res = await subscribe(person, subscription(b, endpoint));
  assert.equal(res.status, 201, res.text);
  return { browser: b, endpoint };
}

const start = (jar, body) => request("POST", "/api/chat/conversations", { jar, body });
let counter = 0;
const say = (person, id, body) =>
  request("POST", `/api/chat/conversations/${id}/messages`, { jar: person.jar, body: { client_id: `p-${counter++}`, body } });

async function direct(a, b, encrypted = false) {
  const res = await start(a.jar, { kind: "direct", members: [b.user.username], encrypted });
  assert.ok([200, 201].includes(res.status), res.text);
  return res.json.id;
}

async function group(admin, members, title = "Trek") {
  const res = await start(admin.jar, { kind: "group", title, members: members.map((m) => m.user.username) });
  assert.equal(res.status, 201, res.text);
  return res.json.id;
}

async function serverKey() {
  const res = await request("GET", "/api/chat/push/key");
  assert.equal(res.status, 200, res.text);
  return res.json.public_key;
}

/** Checks a push as a push service does: the headers, and the VAPID token against the key. */
function checkPushService(push, publicKey) {
  assert.equal(push.method, "POST");
  assert.equal(push.headers["content-encoding"], "aes128gcm");
  assert.equal(push.headers["content-type"], "application/octet-stream");
  assert.equal(push.headers.urgency, "high");
  assert.match(push.headers.ttl ?? "", /^[1-9]\d*$/, "TTL in seconds");
  const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(push.headers.authorization ?? "");
  assert.ok(match, `Authorization: vapid t=…, k=… (${push.headers.authorization})`);
  const [, token, k] = match;
  assert.equal(k, publicKey, "k is the key browsers subscribed with");
  const [header, claims, signature] = token.split(".");
  assert.deepEqual(JSON.parse(Buffer.from(header, "base64url")), { typ: "JWT", alg: "ES256" });
  const { aud, exp, sub } = JSON.parse(Buffer.from(claims, "base64url"));
  assert.equal(aud, receiver.origin, "aud is the push service's origin");
  const now = Date.now() / 1000;
  assert.ok(exp > now && exp <= now + 24 * 3600, `exp within 24 hours (${exp - now} s)`);
  assert.match(sub, /^(mailto|https):/);
  const point = Buffer.from(publicKey, "base64url");
  const key = createPublicKey({
    key: { kty: "EC", crv: "P-256", x: point.subarray(1, 33).toString("base64url"), y: point.subarray(33).toString("base64url") },
    format: "jwk",
  });
  const signed = verify("sha256", Buffer.from(`${header}.${claims}`), { key, dsaEncoding: "ieee-p1363" }, Buffer.from(signature, "base64url"));
  assert.ok(signed, "the token is signed by the VAPID key");
  // aes128gcm: salt (16), rs, idlen 65, the sender's one-message public key, then one record.
  assert.equal(push.body.readUInt32BE(16), 4096);
  assert.equal(push.body[20], 65);
  assert.equal(push.body[21], 4);
}

test("the server's VAPID public key is a P-256 point anyone may read", async () => {
  const key = await serverKey();
  const bytes = Buffer.from(key, "base64url");
  assert.deepEqual([bytes.length, bytes[0]], [65, 4]);
  assert.equal(await serverKey(), key, "the same key every time");
});

test("a message to someone with no socket is pushed: encrypted for their browser, signed with VAPID", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const id = await direct(ann, bob);
  const publicKey = await serverKey();
  const bobs = await subscribed(bob);
  const anns = await subscribed(ann);
  // The same subscription again (a page that subscribes on each visit) is the same one.
  const again = await subscribe(bob, { ...subscription(bobs.browser, bobs.endpoint), device: "bob-phone" });
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.endpoint, bobs.endpoint);

  const sent = await say(ann, id, "Hello Bob,\n  dinner at 8?");
  assert.equal(sent.status, 201, sent.text);
  const [push] = await receiver.pushes(bobs.endpoint);
  checkPushService(push, publicKey);
  assert.deepEqual(open(push, bobs.browser), {
    conversation: id,
    title: ann.user.username,
    body: "Hello Bob, dinner at 8?",
    seq: 1,
    url: `/chat/${id}`,
  });
  // A retry of the same message is not pushed again; a long one is cut to its start.
  const retry = await request("POST", `/api/chat/conversations/${id}/messages`, {
    jar: ann.jar,
    body: { client_id: sent.json.client_id, body: "Hello Bob,\n  dinner at 8?" },
  });
  assert.equal(retry.status, 200);
  const long = "Long story: ".padEnd(300, "and then ");
  assert.equal((await say(ann, id, long)).status, 201);
  const [, second] = await receiver.pushes(bobs.endpoint, 2);
  const notice = open(second, bobs.browser);
  assert.equal(notice.seq, 2, "the retry made no push");
  assert.ok(notice.body.endsWith("…") && [...notice.body].length <= 101, notice.body);
  assert.ok(long.startsWith(notice.body.slice(0, -1).trimEnd()));
  assert.equal(receiver.at(anns.endpoint).length, 0, "the sender is not notified of their own message");
});

test("a subscription lasts as long as its sign-in: signed out, the browser gets nothing; whoever subscribes it next has it", async () => {
  const [ann, bob, cat] = await Promise.all([signUp(), signUp(), signUp()]);
  const annAndBob = await direct(ann, bob);
  const catAndBob = await direct(cat, bob);
  const shared = await subscribed(ann); // one browser, Ann signed in on it
  const listed = async (person) => {
    const res = await request("GET", "/api/chat/push/subscriptions", { jar: person.jar });
    assert.equal(res.status, 200, res.text);
    return res.json.items;
  };
  assert.deepEqual(await listed(ann), [{ endpoint: shared.endpoint, device: null, active: true }]);
  assert.equal((await say(bob, annAndBob, "one")).status, 201);
  await receiver.pushes(shared.endpoint, 1);

  assert.equal((await request("POST", "/api/auth/logout", { jar: ann.jar })).status, 204);
  assert.equal((await say(bob, annAndBob, "two")).status, 201);
  // Back in (a new session): her browser's subscription is listed, not reached until subscribed again.
  const back = await login(ann.user.username, ann.password);
  assert.equal(back.status, 200, back.text);
  const annAgain = { ...ann, jar: back.jar };
  assert.deepEqual(await listed(annAgain), [{ endpoint: shared.endpoint, device: null, active: false }]);
  // Her next subscription (another browser) clears the one that gets nothing: it takes no place.
  const phone = await subscribed(annAgain);
  assert.deepEqual(await listed(annAgain), [{ endpoint: phone.endpoint, device: null, active: true }]);
  // Cat signs in on that browser and turns notifications on: the same subscription is hers now.
  assert.equal((await subscribe(cat, subscription(shared.browser, shared.endpoint))).status, 201);
  assert.equal((await say(bob, catAndBob, "to Cat")).status, 201);
  const pushes = await receiver.pushes(shared.endpoint, 2);
  assert.equal(open(pushes[1], shared.browser).body, "to Cat", "nothing for Ann once she signed out");
  assert.deepEqual(await listed(annAgain), [{ endpoint: phone.endpoint, device: null, active: true }]);
  assert.deepEqual(await listed(cat), [{ endpoint: shared.endpoint, device: null, active: true }]);
  expectError(assert, await request("GET", "/api/chat/push/subscriptions"), 401, "unauthenticated");
});

test("a person has at most 20 subscriptions, even when 25 browsers subscribe at the same moment", async () => {
  const ann = await signUp();
  const browsers = Array.from({ length: 25 }, () => browser());
  const answers = await Promise.all(browsers.map((b) => subscribe(ann, subscription(b, receiver.endpoint()))));
  assert.deepEqual(answers.map((a) => a.status).sort(), [...Array(20).fill(201), ...Array(5).fill(409)]);
  for (const a of answers.filter((a) => a.status === 409)) assert.match(a.json.error.message, /at most 20/);
  const listed = await request("GET", "/api/chat/push/subscriptions", { jar: ann.jar });
  assert.equal(listed.json.items.length, 20);
});

test("a group's push names the group; an encrypted chat's push never shows the words", async () => {
  const [ann, bob, cat] = await Promise.all([signUp(), signUp(), signUp()]);
  const trek = await group(ann, [bob, cat], "Trek");
  const cats = await subscribed(cat);
  assert.equal((await say(bob, trek, "Boots or sandals?")).status, 201);
  const [push] = await receiver.pushes(cats.endpoint);
  assert.deepEqual(open(push, cats.browser), {
    conversation: trek,
    title: `${bob.user.username} in Trek`,
    body: "Boots or sandals?",
    seq: 1,
    url: `/chat/${trek}`,
  });

  // End-to-end encrypted: the server cannot read the words, and does not pretend to.
  const [annPhone, catPhone] = [await device(ann, "ann-phone"), await device(cat, "cat-phone")];
  assert.equal((await publish(annPhone)).status, 200);
  assert.equal((await publish(catPhone)).status, 200);
  const sealedId = await direct(ann, cat, true);
  const catKeys = (await request("GET", `/api/chat/users/${cat.user.username}/keys`, { jar: ann.jar })).json.items[0];
  const session = await startSession(annPhone, catKeys);
  const secret = "the vault code is 4711";
  const body = await seal(session, "ann-phone", sealedId, ann.user.username, secret);
  assert.equal((await say(ann, sealedId, body)).status, 201);
  const [, sealedPush] = await receiver.pushes(cats.endpoint, 2);
  const notice = open(sealedPush, cats.browser);
  assert.deepEqual(notice, {
    conversation: sealedId,
    title: ann.user.username,
    body: "New encrypted message",
    seq: 1,
    url: `/chat/${sealedId}`,
  });
  assert.ok(!JSON.stringify(notice).includes("vault"));
});

test("a push service answering 404 or 410 has the subscription removed: the next message skips it", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const id = await direct(ann, bob);
  const gone = await subscribed(bob, 410);
  const missing = await subscribed(bob, 404);
  const live = await subscribed(bob);
  assert.equal((await say(ann, id, "one")).status, 201);
  await Promise.all([receiver.pushes(gone.endpoint), receiver.pushes(missing.endpoint), receiver.pushes(live.endpoint)]);
  const left = () =>
    rows(d1(`SELECT endpoint FROM chat_push_subscriptions WHERE user_id = '${bob.user.id}' ORDER BY endpoint`)).map((r) => r.endpoint);
  const deadline = Date.now() + 15_000;
  while (left().length > 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(left(), [live.endpoint]);
  assert.equal((await say(ann, id, "two")).status, 201);
  const [, second] = await receiver.pushes(live.endpoint, 2);
  assert.equal(open(second, live.browser).seq, 2);
  assert.equal(receiver.at(gone.endpoint).length, 1, "nothing more to the 410");
  assert.equal(receiver.at(missing.endpoint).length, 1, "nothing more to the 404");
});

test("a member with a live socket gets no push; once it closes, they do", async () => {
  const [ann, bob, cat] = await Promise.all([signUp(), signUp(), signUp()]);
  const trek = await group(ann, [bob, cat]);
  const [bobs, cats] = [await subscribed(bob), await subscribed(cat)];
  const socket = await ChatSocket.open({ jar: bob.jar });
  assert.equal((await say(ann, trek, "first")).status, 201);
  assert.equal((await say(ann, trek, "second")).status, 201);
  assert.deepEqual((await socket.messages(trek, 2)).map((m) => m.seq), [1, 2], "bob has them live");
  // Cat, with no socket, has both by push; by then bob's would have come too.
  const catPushes = await receiver.pushes(cats.endpoint, 2);
  assert.deepEqual(catPushes.map((p) => open(p, cats.browser).seq).sort(), [1, 2]);
  assert.equal(receiver.at(bobs.endpoint).length, 0, "no push to a person whose socket is live");

  socket.close();
  assert.ok(await socket.closedBy(), "the socket closed");
  assert.equal((await say(ann, trek, "third")).status, 201);
  const [push] = await receiver.pushes(bobs.endpoint);
  assert.equal(open(push, bobs.browser).seq, 3);
  // A message sent over a socket is pushed the same way.
  const catSocket = await ChatSocket.open({ jar: cat.jar });
  catSocket.send({ type: "send", conversation: trek, client_id: "from-a-socket", body: "sent from my socket" });
  assert.equal((await catSocket.nextOf("sent", trek)).seq, 4);
  const [, fromSocket] = await receiver.pushes(bobs.endpoint, 2);
  assert.deepEqual(open(fromSocket, bobs.browser), {
    conversation: trek,
    title: `${cat.user.username} in Trek`,
    body: "sent from my socket",
    seq: 4,
    url: `/chat/${trek}`,
  });
  catSocket.close();
});

test("a blocked person's message pushes nothing to the one who blocked them", async () => {
  const [ann, bob, cat] = await Promise.all([signUp(), signUp(), signUp()]);
  const trek = await group(ann, [bob, cat]);
  const [bobs, cats] = [await subscribed(bob), await subscribed(cat)];
  assert.equal((await request("POST", `/api/chat/contacts/${ann.user.username}/block`, { jar: cat.jar })).status, 200);
  assert.equal((await say(ann, trek, "anyone there?")).status, 201);
  await receiver.pushes(bobs.endpoint);
  assert.equal((await say(bob, trek, "here")).status, 201);
  const [push] = await receiver.pushes(cats.endpoint);
  assert.equal(open(push, cats.browser).seq, 2, "cat hears from bob, never from ann");
  assert.equal(receiver.at(cats.endpoint).length, 1);
});

test("subscriptions are checked: browsers' push services over https (plain http to this machine only), keys of the right sizes", async () => {
  const ann = await signUp();
  const b = browser();
  const good = subscription(b, "https://fcm.googleapis.com/fcm/send/abc");
  assert.equal((await subscribe(ann, good)).status, 201);
  const cases = [
    ["endpoint", { ...good, endpoint: "http://fcm.googleapis.com/fcm/send/abc" }],
    // Only browsers' push services: never an address of the subscriber's choosing.
    ["endpoint", { ...good, endpoint: "https://push.example.com/send/abc" }],
    ["endpoint", { ...good, endpoint: "https://10.0.0.1/send/abc" }],
    ["endpoint", { ...good, endpoint: "http://10.0.0.1/send/abc" }],
    ["endpoint", { ...good, endpoint: "not a url" }],
    ["endpoint", { ...good, endpoint: "https://user:pw@fcm.googleapis.com/x" }],
    ["keys.p256dh", { ...good, keys: { ...b.keys, p256dh: Buffer.alloc(64, 4).toString("base64url") } }],
    ["keys.p256dh", { ...good, keys: { ...b.keys, p256dh: Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 7)]).toString("base64url") } }],
    ["keys.p256dh", { ...good, keys: { ...b.keys, p256dh: "not base64!" } }],
    ["keys.auth", { ...good, keys: { ...b.keys, auth: randomBytes(15).toString("base64url") } }],
    ["keys.auth", { ...good, keys: { ...b.keys, auth: randomBytes(32).toString("base64url") } }],
    ["device", { ...good, device: "a/b" }],
  ];
  for (const [field, body] of cases) expectError(assert, await subscribe(ann, body), 422, "validation_failed", field);
  for (const body of [{ keys: b.keys }, { endpoint: good.endpoint }, { endpoint: good.endpoint, keys: { p256dh: b.keys.p256dh } }, { ...good, keys: "x" }]) {
    expectError(assert, await subscribe(ann, body), 422, "validation_failed");
  }
  expectError(assert, await request("POST", "/api/chat/push/subscriptions", { body: good }), 401, "unauthenticated");
  expectError(assert, await request("DELETE", "/api/chat/push/subscriptions", { body: good }), 401, "unauthenticated");
  expectError(assert, await unsubscribe(ann, { keys: b.keys }), 422, "validation_failed");
});

test("DELETE unsubscribes; nobody else can remove or take another person's subscription", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const b = browser();
  const mine = subscription(b, receiver.endpoint());
  assert.equal((await subscribe(ann, mine)).status, 201);
  expectError(assert, await unsubscribe(bob, { endpoint: mine.endpoint }), 404, "not_found");
  // The endpoint with other keys is not bob's to take.
  expectError(assert, await subscribe(bob, subscription(browser(), mine.endpoint)), 409, "conflict");
  // Still ann's: a message to her reaches it.
  const id = await direct(bob, ann);
  assert.equal((await say(bob, id, "still yours?")).status, 201);
  const [push] = await receiver.pushes(mine.endpoint);
  assert.equal(open(push, b).title, bob.user.username);

  assert.equal((await unsubscribe(ann, mine)).status, 204, "the whole PushSubscription JSON");
  expectError(assert, await unsubscribe(ann, mine), 404, "not_found");
  assert.equal((await say(bob, id, "gone?")).status, 201);
  // Subscribing again makes a new one (it was gone), and an endpoint alone removes it.
  assert.equal((await subscribe(ann, mine)).status, 201);
  assert.equal((await unsubscribe(ann, { endpoint: mine.endpoint })).status, 204);
  assert.equal((await say(bob, id, "and now?")).status, 201);
  const other = await subscribed(ann);
  assert.equal((await say(bob, id, "new browser")).status, 201);
  const [latest] = await receiver.pushes(other.endpoint);
  assert.equal(open(latest, other.browser).seq, 4);
  assert.equal(receiver.at(mine.endpoint).length, 1, "nothing after it was removed");
});

/** public/sw.js run with a stand-in for the service worker's global scope: its listeners. */
function serviceWorker({ windows = [] } = {}) {
  const listeners = {};
  const shown = [];
  const opened = [];
  const self = {
    location: new URL("https://dozen.example/"),
    addEventListener: (type, listener) => (listeners[type] = listener),
    registration: { showNotification: async (title, options) => shown.push({ title, options }) },
    clients: { matchAll: async () => windows, openWindow: async (url) => opened.push(url) },
  };
  runInNewContext(readFileSync(`${ROOT}/public/sw.js`, "utf8"), { self, URL, fetch, caches: {} });
  const fire = async (type, event) => {
    let done;
    listeners[type]({ ...event, waitUntil: (p) => (done = p) });
    await done;
  };
  return { fire, shown, opened };
}

/** A window of the app: where it is, and what was done to it. */
function windowAt(url) {
  const w = { url, focused: 0, navigatedTo: [] };
  w.focus = async () => (w.focused++, w);
  w.navigate = async (to) => (w.navigatedTo.push(to), w);
  return w;
}

test("the service worker shows a push as a notification per chat and opens that chat on click", async () => {
  const notice = { conversation: "01C", title: "ann in Trek", body: "Boots or sandals?", seq: 3, url: "/chat/01C" };
  const sw = serviceWorker();
  await sw.fire("push", { data: { json: () => notice } });
  assert.equal(sw.shown.length, 1);
  assert.equal(sw.shown[0].title, "ann in Trek");
  const { body, tag, data } = sw.shown[0].options;
  assert.deepEqual({ body, tag, url: data.url }, { body: "Boots or sandals?", tag: "01C", url: "/chat/01C" });

  // No window: a new one on the chat.
  const notification = { data: { url: "/chat/01C" }, close() {} };
  await sw.fire("notificationclick", { notification });
  assert.deepEqual(sw.opened, ["https://dozen.example/chat/01C"]);
  // A window on that chat already: brought forward, left where it is.
  const there = windowAt("https://dozen.example/chat/01C");
  await serviceWorker({ windows: [windowAt("https://dozen.example/links"), there] }).fire("notificationclick", { notification });
  assert.deepEqual([there.focused, there.navigatedTo], [1, []]);
  // A window elsewhere in Dozen (the chat page first): taken to the chat.
  const [links, chat] = [windowAt("https://dozen.example/links"), windowAt("https://dozen.example/chat/02D")];
  const elsewhere = serviceWorker({ windows: [links, chat] });
  await elsewhere.fire("notificationclick", { notification });
  assert.deepEqual([chat.focused, chat.navigatedTo, links.focused, elsewhere.opened], [1, ["https://dozen.example/chat/01C"], 0, []]);
});
