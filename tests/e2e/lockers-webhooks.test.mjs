// Lockers' webhooks against `wrangler dev`: a shop registers an endpoint (a server in this test),
// and every event of the parcels it sends or receives — deposit, pickup, its customer's return —
// reaches it in order, signed with its secret (checked here with node's own HMAC), never with a
// code; an endpoint that fails is retried with backoff and misses nothing; one person never sees
// or removes another's endpoint. Delivery runs on the Cron Trigger, which the suites' server
// exposes as POST /api/scheduled.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import http from "node:http";
import { after, before, test } from "node:test";
import { expectError, request, signUp } from "../support/api.mjs";
import { staff } from "../support/lockers.mjs";

const received = [];
let failing = false;
let endpoint;
let receiver;
before(async () => {
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      if (failing) {
        res.writeHead(500).end();
        return;
      }
      received.push({ body, signature: req.headers["dozen-signature"], id: req.headers["dozen-event-id"] });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${receiver.address().port}/lockers-hook`;
});
after(() => receiver?.close());

const post = (who, path, body) => request("POST", path, { jar: who?.jar, body });
const cron = async (later = 0) => assert.equal((await request("POST", `/api/scheduled?time=${Date.now() + later}`)).status, 200);
const SECRET = "shop-webhook-secret";

function verified({ body, signature }) {
  const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature ?? "") ?? [];
  assert.ok(t, `a signature header: ${signature}`);
  assert.ok(Math.abs(Date.now() / 1000 - Number(t)) < 600, "signed now");
  assert.equal(createHmac("sha256", SECRET).update(`${t}.${body}`).digest("hex"), v1, "signed with the secret");
  return JSON.parse(body);
}

test("a shop hears every event of its parcels, signed and in order; a failing endpoint misses nothing", async () => {
  const [admin, courier, shop, buyer, eve] = await Promise.all([staff("locker_admin"), staff("locker_courier"), signUp(), signUp(), signUp()]);
  const made = await post(admin, "/api/lockers/locations", {
    // In Ahmedabad: away from the other suites' cities.
    name: "Ahmedabad One", address: "Vastrapur, Ahmedabad", lat: 23.0395, lng: 72.5310, timezone: "Asia/Kolkata", banks: [{ name: "AH", small: 3 }],
  });
  assert.equal(made.status, 201, made.text);
  const location = made.json;

  expectError(assert, await post(shop, "/api/lockers/webhooks", { url: "http://shop.example/hook", secret: SECRET }), 422, "validation_failed", "url");
  expectError(assert, await post(shop, "/api/lockers/webhooks", { url: endpoint, secret: "" }), 422, "validation_failed", "secret");
  expectError(assert, await post(null, "/api/lockers/webhooks", { url: endpoint, secret: SECRET }), 401, "unauthenticated");
  const hook = await post(shop, "/api/lockers/webhooks", { url: endpoint, secret: SECRET });
  assert.equal(hook.status, 201, hook.text);
  assert.equal(hook.json.url, endpoint);
  assert.equal(hook.json.secret, undefined, "the secret is never shown again");
  // Another person neither sees nor removes it.
  assert.deepEqual((await request("GET", "/api/lockers/webhooks", { jar: eve.jar })).json, []);
  expectError(assert, await request("DELETE", `/api/lockers/webhooks/${hook.json.id}`, { jar: eve.jar }), 404, "not_found");

  // A parcel's life: sent, deposited, picked up, sent back, dropped off, carried back.
  const parcel = await post(shop, "/api/lockers/packages", { recipient: buyer.user.username, location_id: location.id, length_mm: 200, width_mm: 150, height_mm: 50, weight_g: 400, reference: "Order 7" });
  const id = parcel.json.id;
  assert.equal((await post(courier, `/api/lockers/packages/${id}/deposit`)).status, 201);
  assert.equal((await post(buyer, `/api/lockers/packages/${id}/pickup`)).status, 200);
  const ret = await post(buyer, "/api/lockers/returns", { package_id: id, location_id: location.id });
  assert.equal(ret.status, 201, ret.text);
  // Eve's parcels are none of the shop's business.
  await post(eve, "/api/lockers/packages", { recipient: buyer.user.username, location_id: location.id, length_mm: 100, width_mm: 100, height_mm: 50, weight_g: 100 });

  await cron();
  const first = received.map(verified);
  assert.deepEqual(first.map((e) => [e.type, e.package.id]), [
    ["package.created", id],
    ["package.in_locker", id],
    ["package.picked_up", id],
    ["package.created", ret.json.id],
    ["package.reserved", ret.json.id],
  ]);
  assert.ok(first.every((e, i) => i === 0 || Number(e.id.slice(4)) > Number(first[i - 1].id.slice(4))), "in order");
  assert.deepEqual(received.map((r) => r.id), first.map((e) => e.id), "the event id in a header too");
  assert.equal(first[0].package.reference, "Order 7");
  assert.equal(first[3].package.return_of, id);
  assert.equal(first[3].actor, buyer.user.username);
  assert.ok(!received.some((r) => r.body.includes(ret.json.code)), "never a code");
  assert.ok(!JSON.stringify(first).includes('"code"'));
  // Nothing is sent twice.
  await cron();
  assert.equal(received.length, 5);

  // The endpoint fails: the drop-off waits, with the reason and a time to try again.
  failing = true;
  assert.equal((await post(null, `/api/lockers/banks/${ret.json.bank_id}/pickup`, { code: ret.json.code })).status, 200);
  assert.equal((await post(courier, `/api/lockers/packages/${ret.json.id}/collect`)).status, 200);
  await cron();
  const [state] = (await request("GET", "/api/lockers/webhooks", { jar: shop.jar })).json;
  assert.equal(state.failures, 1);
  assert.equal(state.last_error, "HTTP 500");
  assert.ok(Date.parse(state.next_attempt_at) > Date.now(), state.next_attempt_at);
  // Done with everything before the drop-off (Eve's parcel's event included: not the shop's).
  const seq = (id) => Number(id.slice(4));
  assert.ok(seq(state.delivered_through) > seq(first.at(-1).id), state.delivered_through);
  // Back up: the next attempt (a minute on) sends what it missed, in order.
  failing = false;
  await cron();
  assert.equal(received.length, 5, "not before its time");
  await cron(2 * 60_000);
  assert.deepEqual(received.slice(5).map(verified).map((e) => e.type), ["package.dropped_off", "package.returned"]);
  const [healthy] = (await request("GET", "/api/lockers/webhooks", { jar: shop.jar })).json;
  assert.deepEqual([healthy.failures, healthy.last_error, healthy.next_attempt_at], [0, null, null]);

  // Removed, it hears nothing more; at most five at a time.
  assert.equal((await request("DELETE", `/api/lockers/webhooks/${hook.json.id}`, { jar: shop.jar })).status, 204);
  await post(shop, "/api/lockers/packages", { recipient: buyer.user.username, location_id: location.id, length_mm: 100, width_mm: 100, height_mm: 50, weight_g: 100 });
  await cron();
  assert.equal(received.length, 7);
  for (let i = 0; i < 5; i++) assert.equal((await post(shop, "/api/lockers/webhooks", { url: `${endpoint}/${i}`, secret: SECRET })).status, 201);
  expectError(assert, await post(shop, "/api/lockers/webhooks", { url: endpoint, secret: SECRET }), 409, "conflict");
});
