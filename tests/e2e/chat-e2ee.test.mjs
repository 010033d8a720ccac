// End-to-end encrypted chats against `wrangler dev`, with clients that do what a browser does
// (WebCrypto, tests/support/e2ee.mjs): devices publish their public keys; a session starts from
// another person's published keys; the server takes envelopes only in an encrypted
// conversation, relays and stores them, and never holds the words: a scan of everything
// wrangler keeps on disk (D1, each room's SQLite, R2) finds the plain conversation's words and
// not the encrypted one's.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE, expectError, request, signUp, stateHolds } from "../support/api.mjs";
import { acceptSession, b64, device, fromBody, open, publish, seal, startSession } from "../support/e2ee.mjs";


/** Whether any file wrangler keeps (D1, Durable Objects, R2, KV) holds `text`. */
const onDisk = (text) => stateHolds(text);

const start = (jar, body) => request("POST", "/api/chat/conversations", { jar, body });
const send = (jar, id, body) => request("POST", `/api/chat/conversations/${id}/messages`, { jar, body });

test("devices publish their public keys; identities never change, pre-keys only move forward", async () => {
  const ann = await signUp();
  const phone = await device(ann, "ann-phone");
  const first = await publish(phone);
  assert.equal(first.status, 200, first.text);
  assert.equal(first.json.identity_key, phone.published.identity_key);
  assert.equal(first.json.username, ann.user.username);
  assert.equal((await publish(phone)).status, 200, "the same keys again");
  // A newer pre-key replaces the old one; an older one, or another identity, is refused.
  const rotated = { ...phone.published, pre_key_id: 2 };
  assert.equal((await publish(phone, rotated)).status, 200);
  expectError(assert, await publish(phone, phone.published), 409, "conflict");
  const other = await device(ann, "ann-phone");
  expectError(assert, await publish(phone, { ...other.published, pre_key_id: 3 }), 409, "conflict");
  for (const [field, body] of [
    ["identity_key", { ...rotated, identity_key: b64(new Uint8Array(33).fill(2)) }],
    ["pre_key", { ...rotated, pre_key: "not base64!" }],
    // The right shape, but no point of the curve: every WebCrypto import of it would fail.
    ["pre_key", { ...rotated, pre_key: b64(Uint8Array.from([4, ...new Array(64).fill(7)])) }],
    ["pre_key_signature", { ...rotated, pre_key_signature: b64(new Uint8Array(70)) }],
  ]) {
    expectError(assert, await publish(phone, body), 422, "validation_failed", field);
  }
  expectError(assert, await request("PUT", "/api/chat/devices/a%2Fb", { jar: ann.jar, body: rotated }), 422, "validation_failed", "device");
  expectError(assert, await request("PUT", `/api/chat/devices/x`, { body: rotated }), 401, "unauthenticated");
  // Others read them; a device can be forgotten (by its owner only).
  const bob = await signUp();
  const listed = await request("GET", `/api/chat/users/${ann.user.username}/keys`, { jar: bob.jar });
  assert.equal(listed.status, 200, listed.text);
  assert.deepEqual(listed.json.items.map((d) => [d.device, d.pre_key_id]), [["ann-phone", 2]]);
  expectError(assert, await request("GET", "/api/chat/users/nobody-here/keys", { jar: bob.jar }), 404, "not_found");
  expectError(assert, await request("DELETE", "/api/chat/devices/ann-phone", { jar: bob.jar }), 404, "not_found");
  assert.equal((await request("DELETE", "/api/chat/devices/ann-phone", { jar: ann.jar })).status, 204);
  assert.deepEqual((await request("GET", `/api/chat/users/${ann.user.username}/keys`, { jar: bob.jar })).json.items, []);
});

test("an encrypted conversation: sealed in one client, opened in the other, plain text refused, nothing readable kept", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const [annPhone, bobLaptop] = [await device(ann, "ann-phone"), await device(bob, "bob-laptop")];
  assert.equal((await publish(annPhone)).status, 200);
  assert.equal((await publish(bobLaptop)).status, 200);

  const plain = await start(ann.jar, { kind: "direct", members: [bob.user.username] });
  const sealed = await start(ann.jar, { kind: "direct", members: [bob.user.username], encrypted: true });
  assert.equal(sealed.status, 201, sealed.text);
  assert.notEqual(sealed.json.id, plain.json.id, "a pair has a plain and an encrypted conversation");
  assert.deepEqual([plain.json.encrypted, sealed.json.encrypted], [false, true]);
  const again = await start(bob.jar, { kind: "direct", members: [ann.user.username], encrypted: true });
  assert.deepEqual([again.status, again.json.id], [200, sealed.json.id]);
  const id = sealed.json.id;

  // Ann starts a session from Bob's published keys and seals her words.
  const bobKeys = (await request("GET", `/api/chat/users/${bob.user.username}/keys`, { jar: ann.jar })).json.items[0];
  const annSession = await startSession(annPhone, bobKeys);
  const secret = `The vault code is ${Math.random().toString(36).slice(2)}`;
  const body = await seal(annSession, "ann-phone", id, ann.user.username, secret);
  const sent = await send(ann.jar, id, { client_id: "s1", body });
  assert.equal(sent.status, 201, sent.text);
  // Bob reads the envelope back and opens it with his private keys.
  const page = await request("GET", `/api/chat/conversations/${id}/messages`, { jar: bob.jar });
  const envelope = page.json.items[0].body;
  const bobSession = await acceptSession(bobLaptop, fromBody(envelope).handshake);
  assert.equal(await open(bobSession, id, ann.user.username, envelope), secret);
  // And answers; Ann opens it.
  const answer = await seal(bobSession, "bob-laptop", id, bob.user.username, "Got it, thanks");
  assert.equal((await send(bob.jar, id, { client_id: "b1", body: answer })).status, 201);
  const back = (await request("GET", `/api/chat/conversations/${id}/messages`, { jar: ann.jar })).json.items[1].body;
  assert.equal(await open(annSession, id, bob.user.username, back), "Got it, thanks");

  // Plain words are refused in an encrypted conversation, as a message and as an edit.
  expectError(assert, await send(ann.jar, id, { client_id: "p1", body: "oops, plain" }), 422, "validation_failed", "body");
  expectError(assert, await request("PATCH", `/api/chat/conversations/${id}/messages/1`, { jar: ann.jar, body: { body: "plain edit" } }), 422, "validation_failed", "body");
  // Files are not sealed yet, so none is taken here (rather than kept readable).
  const upload = new FormData();
  upload.append("file", new Blob([Buffer.from("%PDF-1.4 secret")], { type: "application/pdf" }), "plan.pdf");
  const encoded = new Response(upload);
  const refused = await fetch(`${BASE}/api/chat/conversations/${id}/media`, {
    method: "POST",
    headers: { cookie: ann.jar.cookie, "content-type": encoded.headers.get("content-type") },
    body: Buffer.from(await encoded.arrayBuffer()),
  });
  assert.equal(refused.status, 409);
  expectError(assert, await send(ann.jar, id, { client_id: "m1", body, media: "m-anything" }), 422, "validation_failed", "media");
  expectError(assert, await send(ann.jar, id, { client_id: "m2", body, sticker: "thanks" }), 422, "validation_failed", "sticker");
  // The server has nothing to search or to preview.
  const word = secret.split(" ").pop();
  assert.deepEqual((await request("GET", `/api/chat/search?q=${word}`, { jar: bob.jar })).json.items, []);
  const listed = (await request("GET", "/api/chat/conversations", { jar: bob.jar })).json.items.find((c) => c.id === id);
  assert.equal(listed.last_message, null);
  assert.equal(listed.encrypted, true);

  // What wrangler keeps on disk: the plain conversation's words are there (so the scan can see
  // them), the encrypted conversation's are not, in D1, any room's SQLite, or anywhere else.
  const control = `plain words ${Math.random().toString(36).slice(2)}`;
  assert.equal((await send(ann.jar, plain.json.id, { client_id: "c1", body: control })).status, 201);
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(onDisk(control), "the scan finds what is stored in the clear");
  assert.ok(!onDisk(secret), "no plaintext of the encrypted conversation anywhere on disk");
  assert.ok(!onDisk("Got it, thanks"));
});

test("a person publishes at most twenty devices, and each pre-key id means one pre-key", async () => {
  const ann = await signUp();
  const devices = [];
  for (let i = 0; i < 25; i++) devices.push(await device(ann, `d-${i}`));
  // Twenty-five new devices at the same moment: twenty get a place, the others a 409.
  const answers = await Promise.all(devices.map((d) => publish(d)));
  assert.deepEqual(answers.map((a) => a.status).sort(), [...Array(20).fill(200), ...Array(5).fill(409)]);
  const listed = await request("GET", `/api/chat/users/${ann.user.username}/keys`, { jar: ann.jar });
  assert.equal(listed.json.items.length, 20);
  for (const [i, a] of answers.entries()) if (a.status === 409) assert.match(a.json.error.message, /at most 20 devices/, devices[i].id);
  devices.splice(0, devices.length, ...devices.filter((_, i) => answers[i].status === 200));
  expectError(assert, await publish(await device(ann, "d-25")), 409, "conflict");
  assert.equal((await publish(devices[0], { ...devices[0].published, pre_key_id: 2 })).status, 200, "a known device still rotates");
  const other = await device(ann, "x");
  expectError(assert, await publish(devices[0], { ...devices[0].published, pre_key_id: 2, pre_key: other.published.pre_key }), 409, "conflict");
  assert.equal((await request("DELETE", `/api/chat/devices/${devices[19].id}`, { jar: ann.jar })).status, 204);
  assert.equal((await publish(await device(ann, "d-25"))).status, 200, "room again once one is forgotten");
  expectError(assert, await request("DELETE", "/api/chat/devices/%C3%AA%3D", { jar: ann.jar }), 404, "not_found");
});
