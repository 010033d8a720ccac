// Chat in the browser: two people side by side exchange messages in real time and see the
// ticks go from sent to read; typing, replies, reactions, drafts, a group started from the
// dialog, search opening a conversation at its message, and the phone's two screens.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { join } from "node:path";
import { BASE, request, sessionToken, signUp } from "../support/api.mjs";
import { DESKTOP, launch, PHONE, SCREENSHOTS, watchForErrors } from "../support/browser.mjs";
import { png } from "../support/png.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function pageOf(person, device = DESKTOP) {
  const context = await browser.newContext(device);
  await context.addCookies([{ name: "dozen_session", value: sessionToken(person.jar), url: BASE }]);
  const page = await context.newPage();
  return { context, page, errors: watchForErrors(page) };
}

async function befriend(a, b) {
  const asked = await request("POST", "/api/chat/contacts", { jar: a.jar, body: { username: b.user.username } });
  assert.equal(asked.status, 200, asked.text);
  const accepted = await request("POST", `/api/chat/contacts/${a.user.username}/accept`, { jar: b.jar });
  assert.equal(accepted.status, 200, accepted.text);
}


const composer = (page) => page.getByLabel("Message", { exact: true });
const lastMine = (page) => page.locator(".msg.mine").last();

test("two people side by side: messages in real time, ticks from sent to read, typing, reply, reaction, draft", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  await befriend(ann, bob);
  const a = await pageOf(ann);
  const b = await pageOf(bob);
  try {
    // Ann starts the chat from the dialog.
    await a.page.goto(BASE + "/chat");
    await a.page.locator(".chat-none").waitFor();
    await a.page.locator("#new-chat").click();
    await a.page.locator("#chat-with").fill(bob.user.username);
    await a.page.getByRole("button", { name: "Start chat" }).click();
    await a.page.waitForURL(/\/chat\/[^/?]+$/);
    const id = new URL(a.page.url()).pathname.split("/").pop();
    await a.page.getByText("No messages yet").waitFor();
    // Bob is on his list; Ann's first message arrives there live, unread.
    await b.page.goto(BASE + "/chat");
    await b.page.locator(`.conversation[data-id="${id}"]`).waitFor();
    await a.page.locator(".room-head").getByText("online").waitFor(); // Bob's socket is open
    await composer(a.page).fill("Hi Bob! Lunch at 1?");
    await composer(a.page).press("Enter");
    await lastMine(a.page).getByText("Hi Bob! Lunch at 1?").waitFor();
    const item = b.page.locator(`.conversation[data-id="${id}"]`);
    await item.getByTestId("unread").getByText("1").waitFor();
    await item.getByText("Hi Bob! Lunch at 1?").waitFor();
    // Delivered to Bob's device (his list heard it), not read yet.
    await lastMine(a.page).locator('[data-tick="delivered"]').waitFor();

    // Bob opens it: read, and Ann's tick turns.
    await item.click();
    await b.page.locator(".msg.theirs").getByText("Hi Bob! Lunch at 1?").waitFor();
    await lastMine(a.page).locator('[data-tick="read"]').waitFor();
    assert.equal(await item.getByTestId("unread").count(), 0);

    // Bob types: Ann sees it; he answers with a reply to her message.
    await composer(b.page).pressSequentially("Sure");
    await a.page.getByTestId("typing").getByText("is typing…").waitFor();
    await b.page.locator(".msg.theirs").last().hover();
    await b.page.locator(".msg.theirs").last().getByRole("button", { name: "Reply" }).click();
    await b.page.locator(".replying").waitFor();
    await composer(b.page).fill("Sure, see you there 🍕");
    await b.page.getByRole("button", { name: "Send" }).click();
    const reply = a.page.locator(".msg.theirs").last();
    await reply.getByText("Sure, see you there 🍕").waitFor();
    assert.match(await reply.locator(".msg-quote").textContent(), /Lunch at 1\?/);

    // Ann reacts; Bob sees the reaction.
    await reply.hover();
    await reply.getByRole("button", { name: "React" }).click();
    await reply.getByRole("button", { name: "React 👍" }).click();
    await b.page.locator(".msg.mine").last().locator(".reaction").getByText("👍 1").waitFor();

    // A picture with a caption: a thumbnail drawn in Ann's browser, the picture at Bob's.
    await a.page.locator('input[type="file"]').setInputFiles({ name: "lunch-spot.png", mimeType: "image/png", buffer: png(400, 300, [16, 185, 129]) });
    await a.page.getByTestId("attached").getByText("lunch-spot.png").waitFor();
    await composer(a.page).fill("This place");
    await composer(a.page).press("Enter");
    const shown = b.page.locator(".msg.theirs img.msg-image").last();
    await shown.waitFor();
    await b.page.waitForFunction(() => {
      const img = [...document.querySelectorAll(".msg.theirs img.msg-image")].pop();
      return img && img.complete && img.naturalWidth > 0;
    });
    assert.match(await shown.getAttribute("src"), /\/api\/chat\/media\/[^/]+\/thumbnail$/, "the list shows the thumbnail");
    assert.equal(await shown.evaluate((img) => img.naturalWidth), 320, "drawn at 320 px by the sender's browser");
    await b.page.locator(".msg.theirs").last().getByText("This place").waitFor();
    // A file that is not a picture is a download; a disguised one is refused with the reason.
    await b.page.locator('input[type="file"]').setInputFiles({ name: "menu.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n%%EOF\n") });
    await b.page.getByTestId("attached").waitFor();
    await b.page.getByRole("button", { name: "Send" }).click();
    const download = a.page.locator(".msg.theirs a.msg-file").last();
    await download.getByText("menu.pdf").waitFor();
    assert.equal(await download.getAttribute("download"), "menu.pdf");
    await b.page.locator('input[type="file"]').setInputFiles({ name: "cat.jpg", mimeType: "image/jpeg", buffer: Buffer.from("MZ not really a cat") });
    await b.page.getByRole("alert").getByText(/says it is an image/).waitFor();

    // A sticker from the emoji panel.
    await b.page.getByRole("button", { name: "Emoji" }).click();
    await b.page.getByRole("button", { name: "Send the sticker Congrats!" }).click();
    await a.page.locator('.msg.theirs .msg-sticker svg[aria-label="Congrats!"]').waitFor();

    // A draft stays with its conversation across a reload.
    await composer(a.page).fill("half-written thought");
    await a.page.reload();
    await a.page.locator(".msg").first().waitFor();
    assert.equal(await composer(a.page).inputValue(), "half-written thought");

    // Day separator and order as sent.
    assert.equal(await a.page.locator(".messages .day").first().textContent(), "Today");
    assert.deepEqual(await a.page.locator(".msg .msg-body").allTextContents(), ["Hi Bob! Lunch at 1?", "Sure, see you there 🍕", "This place"]);
    // Ann corrects her first message: Bob sees it edited; Ann alone sees what it was.
    const firstMine = a.page.locator(".msg.mine").first();
    await firstMine.hover();
    await firstMine.getByRole("button", { name: "Edit" }).click();
    await a.page.getByTestId("editing").waitFor();
    assert.equal(await composer(a.page).inputValue(), "Hi Bob! Lunch at 1?");
    await composer(a.page).fill("Hi Bob! Lunch at 1:30?");
    await composer(a.page).press("Enter");
    await b.page.locator(".msg.theirs").first().getByText("Hi Bob! Lunch at 1:30?").waitFor();
    await b.page.locator(".msg.theirs").first().getByText("edited").waitFor();
    await a.page.locator(".msg.theirs .msg-quote").first().getByText("Lunch at 1:30?").waitFor();
    assert.equal(await composer(a.page).inputValue(), "half-written thought", "the draft comes back after the edit");
    await firstMine.getByRole("button", { name: "edited" }).click();
    await firstMine.getByTestId("versions").getByText("Hi Bob! Lunch at 1?").waitFor();
    await a.page.screenshot({ path: join(SCREENSHOTS, "chat-desktop-ann.png") });
    await b.page.screenshot({ path: join(SCREENSHOTS, "chat-desktop-bob.png") });
    assert.deepEqual(a.errors, []);
    // The one failure is the disguised upload the server refused, as it should.
    assert.deepEqual(b.errors, ["console: Failed to load resource: the server responded with a status of 415 (Unsupported Media Type)"]);
  } finally {
    await a.context.close();
    await b.context.close();
  }
});

test("on a phone: a group from the dialog, the list and the chat as two screens, search opens a message", async () => {
  const [cat, dan, eve] = await Promise.all([signUp(), signUp(), signUp()]);
  const c = await pageOf(cat, PHONE);
  try {
    await c.page.goto(BASE + "/chat");
    await c.page.locator("#new-chat").click();
    await c.page.getByRole("button", { name: "Group" }).click();
    await c.page.locator("#group-title").fill("Weekend trek");
    await c.page.locator("#chat-with").fill(`${dan.user.username}, ${eve.user.username}`);
    await c.page.getByRole("button", { name: "Create group" }).click();
    await c.page.waitForURL(/\/chat\/[^/?]+$/);
    const id = new URL(c.page.url()).pathname.split("/").pop();
    await c.page.locator("#room-title").getByText("Weekend trek").waitFor();
    assert.equal(await c.page.locator(".chat-list").isVisible(), false, "one screen at a time on a phone");
    await c.page.getByTestId("room-subtitle").getByText("3 members").waitFor();

    // Many messages from the others, one of them findable.
    for (let i = 1; i <= 60; i++) {
      const sender = i % 2 ? dan : eve;
      const body = i === 7 ? "Bring the blue tarpaulin" : `message number ${i}`;
      const res = await request("POST", `/api/chat/conversations/${id}/messages`, { jar: sender.jar, body: { client_id: `m-${i}`, body } });
      assert.equal(res.status, 201, res.text);
    }
    // Exact: between 00:00 and 00:59 a message's whole text reads "message number 600:06".
    await c.page.locator(".msg").getByText("message number 60", { exact: true }).waitFor();
    await c.page.locator(".msg-sender").first().waitFor();
    await c.page.screenshot({ path: join(SCREENSHOTS, "chat-phone-room.png") });

    // Group info: renamed, Dan made admin, Eve removed.
    await c.page.locator("#room-info").click();
    await c.page.locator("#group-rename").fill("Monsoon trek");
    await c.page.getByRole("button", { name: "Rename" }).click();
    await c.page.locator("#room-title").getByText("Monsoon trek").waitFor();
    await c.page.locator(`.member-list li[data-username="${dan.user.username}"]`).getByRole("button", { name: "Make admin" }).click();
    await c.page.locator(`.member-list li[data-username="${dan.user.username}"] .badge`).getByText("admin").waitFor();
    await c.page.locator(`.member-list li[data-username="${eve.user.username}"]`).getByRole("button", { name: "Remove" }).click();
    await c.page.locator(`.member-list li[data-username="${eve.user.username}"]`).waitFor({ state: "detached" });
    await c.page.screenshot({ path: join(SCREENSHOTS, "chat-phone-info.png") });
    await c.page.getByRole("button", { name: "Close" }).click();
    await c.page.getByTestId("room-subtitle").getByText("2 members").waitFor();

    // Back to the list, search, and the hit opens the conversation at that (older) message.
    await c.page.getByRole("link", { name: "Back to chats" }).click();
    await c.page.locator(`.conversation[data-id="${id}"]`).waitFor();
    await c.page.getByPlaceholder("Search messages").fill("tarpaulin");
    const hit = c.page.getByTestId("search-hits").locator(".conversation").first();
    await hit.getByText("Monsoon trek").waitFor();
    await hit.getByText("Bring the blue tarpaulin").waitFor();
    await c.page.screenshot({ path: join(SCREENSHOTS, "chat-phone-search.png") });
    await hit.click();
    const found = c.page.locator('.msg.found[data-seq="7"]');
    await found.waitFor();
    await found.getByText("Bring the blue tarpaulin").waitFor();
    assert.ok(await found.isVisible());
    assert.deepEqual(c.errors, []);
  } finally {
    await c.context.close();
  }
});

test("a message lost on the way is fetched again: the page notices the gap and syncs", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const id = (await request("POST", "/api/chat/conversations", { jar: ann.jar, body: { kind: "direct", members: [bob.user.username] } })).json.id;
  const b = await pageOf(bob);
  try {
    // Bob's socket drops the first delivery of one message, as a failed hand-off would.
    await b.context.addInitScript(() => {
      const property = Object.getOwnPropertyDescriptor(WebSocket.prototype, "onmessage");
      let dropped = false;
      Object.defineProperty(WebSocket.prototype, "onmessage", {
        get() {
          return property.get.call(this);
        },
        set(handler) {
          property.set.call(this, handler && ((event) => {
            const frame = JSON.parse(event.data);
            if (!dropped && frame.type === "message" && frame.body === "lost on the way") {
              dropped = true;
              return;
            }
            handler(event);
          }));
        },
      });
    });
    await b.page.goto(`${BASE}/chat/${id}`);
    await b.page.getByText("No messages yet").waitFor();
    for (const [i, body] of ["first", "lost on the way", "third"].entries()) {
      const res = await request("POST", `/api/chat/conversations/${id}/messages`, { jar: ann.jar, body: { client_id: `g-${i}`, body } });
      assert.equal(res.status, 201, res.text);
    }
    await b.page.locator(".msg").getByText("third").waitFor({ timeout: 8000 });
    assert.deepEqual(await b.page.locator(".msg .msg-body").allTextContents(), ["first", "lost on the way", "third"]);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.context.close();
  }
});

test("a voice note: recorded from the microphone, sent at once, played on the other side as sound; leaving lets the microphone go", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  await befriend(ann, bob);
  const started = await request("POST", "/api/chat/conversations", { jar: ann.jar, body: { kind: "direct", members: [bob.user.username] } });
  assert.ok([200, 201].includes(started.status), started.text);
  const id = started.json.id;
  const page = await request("GET", `/chat/${id}`, { jar: ann.jar });
  assert.match(page.headers.get("permissions-policy") ?? "", /microphone=\(self\)/, "the site may use its microphone");
  const a = await pageOf(ann, PHONE);
  const b = await pageOf(bob);
  try {
    await a.context.grantPermissions(["microphone"]);
    // Every microphone track the page is given, to see that each is let go.
    await a.page.addInitScript(() => {
      window.micTracks = [];
      const asked = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
      navigator.mediaDevices.getUserMedia = async (constraints) => {
        const stream = await asked(constraints);
        window.micTracks.push(...stream.getTracks());
        return stream;
      };
    });
    const live = () => a.page.evaluate(() => window.micTracks.filter((t) => t.readyState === "live").length);
    await a.page.goto(`${BASE}/chat/${id}`);
    await a.page.getByText("No messages yet").waitFor();
    const record = a.page.locator("#record");
    await record.click();
    await a.page.locator("#record.recording").getByText(/■ 0:0[1-9]/).waitFor();
    assert.equal(await live(), 1, "the microphone is on while recording");
    await a.page.screenshot({ path: join(SCREENSHOTS, "chat-voice-note-recording.png") });
    await record.click();
    await a.page.locator(".msg.mine audio.msg-audio").waitFor();
    assert.equal(await live(), 0, "sent: the microphone is off");
    await b.page.goto(`${BASE}/chat/${id}`);
    const note = b.page.locator(".msg.theirs audio.msg-audio");
    await note.waitFor();
    const file = await request("GET", await note.getAttribute("src"), { jar: bob.jar });
    assert.equal(file.status, 200);
    assert.match(file.headers.get("content-type") ?? "", /^audio\/webm/, "a sound, played inline");
    assert.ok(Number(file.headers.get("content-length")) > 1000, "a second of sound, not an empty file");

    // A recording left behind (back to the list) is dropped and the microphone let go.
    await record.click();
    await a.page.locator("#record.recording").getByText(/■ 0:0[1-9]/).waitFor();
    await a.page.locator(".room-back").click();
    await a.page.waitForURL(`${BASE}/chat`);
    await a.page.waitForFunction(() => window.micTracks.every((t) => t.readyState === "ended"));
    const messages = await request("GET", `/api/chat/conversations/${id}/messages`, { jar: ann.jar });
    assert.equal(messages.json.items.length, 1, "only the note that was sent");
    assert.deepEqual([...a.errors, ...b.errors], []);
  } finally {
    await a.context.close();
    await b.context.close();
  }
});
