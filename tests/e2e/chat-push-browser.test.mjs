// Notifications from the /chat page in a real browser: the switch asks for permission, takes a
// push subscription with the server's VAPID key and hands it over; a message while the page is
// closed reaches the push service encrypted for that subscription; the service worker shows it.
// Headless Chromium has no push service of its own, so the page's PushManager hands out a
// subscription on this test's receiver (tests/support/push.mjs) with keys made here: everything
// else — the page, the vault bundle, the worker, the service worker — is the real one.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { BASE, request, sessionToken, signUp } from "../support/api.mjs";
import { join } from "node:path";
import { DESKTOP, launch, SCREENSHOTS, watchForErrors } from "../support/browser.mjs";
import { browser as pushKeys, open, Receiver } from "../support/push.mjs";

let chromium;
const receiver = new Receiver();
before(async () => {
  chromium = await launch();
  await receiver.start();
});
after(async () => {
  await chromium?.close();
  await receiver.stop();
});

/** The page's PushManager, standing in for the browser's push service (a subscription lasts
 * across page loads, as a real one does). */
function pushServiceStandIn({ endpoint, keys }) {
  const subscription = {
    endpoint,
    toJSON: () => ({ endpoint, expirationTime: null, keys }),
    unsubscribe: async () => (localStorage.removeItem("standInSubscribed"), true),
  };
  PushManager.prototype.getSubscription = async () => (localStorage.getItem("standInSubscribed") ? subscription : null);
  PushManager.prototype.subscribe = async (options) => {
    // The server's VAPID public key, as a subscription takes it.
    localStorage.setItem("standInServerKey", btoa(String.fromCharCode(...new Uint8Array(options.applicationServerKey))));
    localStorage.setItem("standInSubscribed", "1");
    return subscription;
  };
}

test("the page turns notifications on; a message while it is closed is pushed, and the service worker shows it", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const keys = pushKeys();
  const endpoint = receiver.endpoint();
  const context = await chromium.newContext(DESKTOP);
  await context.grantPermissions(["notifications"], { origin: BASE });
  await context.addCookies([{ name: "dozen_session", value: sessionToken(ann.jar), url: BASE }]);
  await context.addInitScript(`(${pushServiceStandIn})(${JSON.stringify({ endpoint, keys: keys.keys })});`);
  const page = await context.newPage();
  const errors = watchForErrors(page);
  try {
    await page.goto(BASE + "/chat");
    const toggle = page.locator("#notifications");
    await toggle.getByText("Turn on notifications").waitFor();
    await toggle.click();
    await toggle.getByText("Notifications on").waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, "chat-notifications-on.png") });
    const serverKey = (await request("GET", "/api/chat/push/key")).json.public_key;
    const subscribedWith = await page.evaluate(() => localStorage.getItem("standInServerKey"));
    assert.equal(Buffer.from(subscribedWith, "base64").toString("base64url"), serverKey, "subscribed with the VAPID key");

    // Ann's page closes (no socket); Bob writes; the push service gets it, for her keys only.
    await page.goto(BASE + "/");
    const started = await request("POST", "/api/chat/conversations", { jar: bob.jar, body: { kind: "direct", members: [ann.user.username] } });
    assert.ok([200, 201].includes(started.status), started.text);
    const sent = await request("POST", `/api/chat/conversations/${started.json.id}/messages`, {
      jar: bob.jar,
      body: { client_id: "n-1", body: "Are you coming tonight?" },
    });
    assert.equal(sent.status, 201, sent.text);
    const [push] = await receiver.pushes(endpoint);
    const payload = open(push, keys);
    assert.equal(payload.title, bob.user.username);
    assert.equal(payload.body, "Are you coming tonight?");
    assert.equal(payload.url, `/chat/${started.json.id}`);

    // The service worker shows it (the payload delivered to it as the push service would).
    const cdp = await context.newCDPSession(page);
    const registered = new Promise((resolve) =>
      cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations }) => {
        const mine = registrations.find((r) => r.scopeURL === BASE + "/" && !r.isDeleted);
        if (mine) resolve(mine.registrationId);
      }),
    );
    await cdp.send("ServiceWorker.enable");
    const registrationId = await registered;
    await cdp.send("ServiceWorker.deliverPushMessage", { origin: BASE, registrationId, data: JSON.stringify(payload) });
    const shown = async () =>
      page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => [n.title, n.body, n.tag]));
    const deadline = Date.now() + 10_000;
    while ((await shown()).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(await shown(), [[bob.user.username, "Are you coming tonight?", started.json.id]]);

    // Off again: the server forgets the subscription, and the next message pushes nothing.
    await page.goto(BASE + "/chat");
    await toggle.getByText("Notifications on").waitFor();
    await toggle.click();
    await toggle.getByText("Turn on notifications").waitFor();
    await page.goto(BASE + "/");
    const again = await request("POST", `/api/chat/conversations/${started.json.id}/messages`, {
      jar: bob.jar,
      body: { client_id: "n-2", body: "Hello?" },
    });
    assert.equal(again.status, 201, again.text);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(receiver.at(endpoint).length, 1, "no push after turning notifications off");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
