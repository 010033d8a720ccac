// An end-to-end encrypted chat in the browser: two people's browsers make and publish their
// keys, one starts an encrypted chat, and the words go both ways sealed — shown to them, never
// to the server (what it stored has no plaintext on disk). The words stay readable after a
// reload (each message key is used once; the browser keeps what it opened), are found by the
// page's own search, and both people see the same safety number.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { join } from "node:path";
import { BASE, request, sessionToken, signUp, stateHolds } from "../support/api.mjs";
import { DESKTOP, launch, SCREENSHOTS, watchForErrors } from "../support/browser.mjs";
import { b64, toBody } from "../support/e2ee.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function pageOf(person) {
  const context = await browser.newContext(DESKTOP);
  await context.addCookies([{ name: "dozen_session", value: sessionToken(person.jar), url: BASE }]);
  const page = await context.newPage();
  const errors = watchForErrors(page);
  // What the vault warns of (why it did not load, a share it refused), shown when a test fails.
  const warnings = [];
  page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
  return { context, page, errors, warnings };
}

const onDisk = (needle) => stateHolds(needle);

async function devicesOf(person, viewer) {
  const answer = await request("GET", `/api/chat/users/${person.user.username}/keys`, { jar: viewer.jar });
  assert.equal(answer.status, 200, answer.text);
  return answer.json.items;
}

async function until(what, check, ms = 15_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

const composer = (page) => page.getByLabel("Message", { exact: true });
const word = () => Math.random().toString(36).slice(2, 8).replace(/[0-9]/g, "q");

/** Everything the person's chat store in this browser holds, as text. */
function storedWords(page, person) {
  return page.evaluate(async (name) => {
    const db = await new Promise((resolve, reject) => {
      const opened = indexedDB.open(name);
      opened.onsuccess = () => resolve(opened.result);
      opened.onerror = () => reject(opened.error);
    });
    const texts = [];
    for (const store of db.objectStoreNames) {
      const all = db.transaction(store).objectStore(store).getAll();
      texts.push(JSON.stringify(await new Promise((resolve) => (all.onsuccess = () => resolve(all.result)))));
    }
    db.close();
    return texts.join("\n");
  }, `dozen-chat-${person.user.username}`);
}

test("an encrypted chat round-trips between two browsers, stays readable, searchable and verifiable", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const asked = await request("POST", "/api/chat/contacts", { jar: ann.jar, body: { username: bob.user.username } });
  assert.equal(asked.status, 200, asked.text);
  assert.equal((await request("POST", `/api/chat/contacts/${ann.user.username}/accept`, { jar: bob.jar })).status, 200);
  const secret = `owl${word()}`;
  const first = `The ${secret} flies at midnight`;
  const lantern = `lantern${word()}`;
  const answer = `Bring the ${lantern} 🏮`;
  const a = await pageOf(ann);
  const b = await pageOf(bob);
  try {
    // Opening the chat page makes this browser a device: keys made here, public halves published.
    await Promise.all([a.page.goto(BASE + "/chat"), b.page.goto(BASE + "/chat")]);
    await until(
      "both devices published",
      async () => (await devicesOf(ann, bob)).length === 1 && (await devicesOf(bob, ann)).length === 1,
    ).catch((err) => assert.fail(`${err.message}; pages said: ${[...a.warnings, ...b.warnings].join(" | ")}`));

    await a.page.locator("#new-chat").click();
    await a.page.locator("#chat-with").fill(bob.user.username);
    await a.page.locator("#chat-encrypted").check();
    await a.page.getByRole("button", { name: "Start chat" }).click();
    await a.page.waitForURL(/\/chat\/[^/?]+$/);
    const id = new URL(a.page.url()).pathname.split("/").pop();
    await a.page.getByText("No messages yet").waitFor();

    // A share Bob's browser cannot open (sealed with keys that are not his) waits in its inbox
    // ahead of the real one: it is refused for good and does not hold up the next.
    const [annDevice] = await devicesOf(ann, bob);
    const [bobDevice] = await devicesOf(bob, ann);
    const ephemeral = await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]);
    const junk = toBody({
      device: annDevice.device,
      counter: 0,
      nonce: b64(crypto.getRandomValues(new Uint8Array(12))),
      handshake: { identity: annDevice.identity_key, ephemeral: b64(new Uint8Array(await crypto.subtle.exportKey("raw", ephemeral.publicKey))), pre_key: bobDevice.pre_key_id },
      ciphertext: b64(crypto.getRandomValues(new Uint8Array(64))),
    });
    const queued = await request("POST", `/api/chat/conversations/${id}/to-device`, {
      jar: ann.jar,
      body: { from_device: annDevice.device, messages: [{ username: bob.user.username, device: bobDevice.device, body: junk }] },
    });
    assert.equal(queued.status, 201, queued.text);

    await composer(a.page).fill(first);
    await composer(a.page).press("Enter");
    await a.page.locator(".msg.mine").last().getByText(first).waitFor();
    await a.page.locator('.msg.mine[data-seq="1"]').getByText(first).waitFor();

    // Bob's browser opens it with the key Ann's browser handed his device.
    const item = b.page.locator(`.conversation[data-id="${id}"]`);
    await item.waitFor();
    await item.click();
    await b.page.locator(".msg.theirs").getByText(first).waitFor();
    assert.ok(b.warnings.some((w) => w.startsWith("a key share was refused")), "the junk share was refused");
    await a.page.locator('.msg.mine[data-seq="1"] [data-tick="read"]').waitFor();
    await composer(b.page).fill(answer);
    await composer(b.page).press("Enter");
    await a.page.locator(".msg.theirs").getByText(answer).waitFor();
    await b.page.screenshot({ path: join(SCREENSHOTS, "chat-e2ee-bob.png") });

    // The server holds envelopes only, and nothing it wrote to disk has the words.
    const log = await request("GET", `/api/chat/conversations/${id}/messages`, { jar: ann.jar });
    assert.equal(log.status, 200, log.text);
    assert.equal(log.json.items.length, 2);
    for (const message of log.json.items) assert.match(message.body, /^e2ee:v1:/);
    assert.ok(!onDisk(secret), "the plaintext is nowhere on the server's disk");
    assert.ok(!onDisk(lantern), "nor the answer");

    // A reload: the message keys are spent, yet both messages show (kept in this browser).
    await b.page.reload();
    await b.page.locator(".msg.theirs").getByText(first).waitFor();
    await b.page.locator(".msg.mine").getByText(answer).waitFor();

    // Search: the server cannot, the browser can.
    const server = await request("GET", `/api/chat/search?q=${secret}`, { jar: ann.jar });
    assert.equal(server.json.items.length, 0, "the server's index has no encrypted words");
    await b.page.getByPlaceholder("Search messages").fill(secret.slice(0, 5));
    const hit = b.page.getByTestId("search-hits").locator(".conversation").first();
    await hit.getByText(first).waitFor();
    await hit.click();
    await b.page.waitForURL(/\?at=1$/);

    assert.ok((await storedWords(a.page, ann)).includes(secret), "the sender's browser keeps its words to search");
    // Deleted for everyone: gone from the page and from what the browser finds.
    assert.equal((await request("DELETE", `/api/chat/conversations/${id}/messages/1`, { jar: ann.jar })).status, 200);
    await b.page.locator('.msg.theirs[data-seq="1"]').getByText("This message was deleted.").waitFor();
    await until("the deleted words forgotten by the browser", async () => {
      await b.page.getByPlaceholder("Search messages").fill("");
      await b.page.getByPlaceholder("Search messages").fill(secret.slice(0, 5));
      await b.page.locator(".chat-none, [data-testid=search-hits]").first().waitFor();
      return (await b.page.locator(".chat-none").count()) === 1;
    });
    await b.page.getByPlaceholder("Search messages").fill("");
    // Nor does the sender's browser keep them anywhere (its copy of what it sent included).
    await until("the deleted words gone from the sender's IndexedDB", async () => !(await storedWords(a.page, ann)).includes(secret));

    // Safety numbers: sixty digits, the same on both sides, with a QR code.
    const numberOf = async (page) => {
      await page.locator("#room-info").click();
      await page.getByRole("button", { name: "Safety number" }).click();
      const digits = page.locator(".safety-digits");
      await digits.waitFor();
      await page.locator(".safety-qr svg").waitFor();
      return digits.getAttribute("data-digits");
    };
    const [seenByAnn, seenByBob] = [await numberOf(a.page), await numberOf(b.page)];
    assert.match(seenByAnn, /^\d{60}$/);
    assert.equal(seenByAnn, seenByBob, "both people see the same number");
    await a.page.screenshot({ path: join(SCREENSHOTS, "chat-e2ee-safety.png") });

    assert.deepEqual(a.errors, []);
    assert.deepEqual(b.errors, []);
  } catch (err) {
    // What each page showed when it failed, and what it said.
    await a.page.screenshot({ path: join(SCREENSHOTS, "chat-e2ee-failed-ann.png") }).catch(() => {});
    await b.page.screenshot({ path: join(SCREENSHOTS, "chat-e2ee-failed-bob.png") }).catch(() => {});
    err.message += `\npages said: ${[...a.errors, ...a.warnings, ...b.errors, ...b.warnings].join(" | ")}`;
    throw err;
  } finally {
    await a.context.close();
    await b.context.close();
  }
});
