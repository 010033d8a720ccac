// News in the browser: a newcomer signs up and submits a story from the page; it is on the
// newest list; its thread takes a comment (markup stays text) and another reader's reply, marked
// new since that reader's last visit, folded and unfolded; that reader's upvote moves the points
// on the list and the story up the front page. A link submitted again lands on the story already
// there and says so; the submit form says what is wrong (the title's rule, the new-account pace);
// someone signed out is offered to sign in where they would vote or comment.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { BASE, request, sessionToken, signUp } from "../support/api.mjs";
import { DESKTOP, launch, PHONE, SCREENSHOTS, signUpInPage, watchForErrors } from "../support/browser.mjs";

const unique = () => randomBytes(5).toString("hex");

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function pageOf(person, device = PHONE) {
  const context = await browser.newContext(device);
  if (person) await context.addCookies([{ name: "dozen_session", value: sessionToken(person.jar), url: BASE }]);
  const page = await context.newPage();
  return { context, page, errors: watchForErrors(page) };
}

/** A story's row on the list the page shows. */
const row = (page, id) => page.locator(`[data-testid="story"][data-id="${id}"]`);

/** The rank number a list gives a story ("3." is 3). */
async function rankOf(page, id) {
  return Number((await row(page, id).locator(".rank").textContent()).replace(".", ""));
}

test("submit a story, find it on new, comment and reply, and an upvote moves it up the front page", async () => {
  const bob = await signUp();
  const ann = await pageOf(null);
  const b = await pageOf(bob);
  try {
    // Ann signs up through the form and submits a link.
    const annName = await signUpInPage(ann.page, "news");
    const title = `A tiny database in ${unique()} lines`;
    const url = `https://example.com/db/${unique()}`;
    await ann.page.goto(BASE + "/news/submit");
    await ann.page.getByLabel("Title").fill(title);
    await ann.page.getByLabel("URL").fill(url);
    await ann.page.screenshot({ path: join(SCREENSHOTS, "news-submit-phone.png"), fullPage: true });
    await ann.page.getByTestId("submit").click();
    await ann.page.waitForURL(/\/news\/item\/\d+$/);
    const id = Number(ann.page.url().split("/").pop());
    const head = ann.page.getByTestId("item");
    await head.getByText(title).waitFor();
    await head.getByText("(example.com)").waitFor();
    await head.getByTestId("points").getByText("1 point", { exact: true }).waitFor();
    // Her own story has no arrow to vote with.
    assert.equal(await head.locator(".vote").count(), 0);

    // Bob submits another, newer story, and reads Ann's thread once (his last visit).
    const other = await request("POST", "/api/news/stories", { jar: bob.jar, body: { title: `Notes on ${unique()}`, url: `https://example.org/${unique()}` } });
    assert.equal(other.status, 201, other.text);
    const otherId = other.json.story.id;
    assert.equal((await request("GET", `/api/news/items/${id}`, { jar: bob.jar })).status, 200);

    // On the newest list, both, Bob's first.
    await ann.page.getByRole("navigation", { name: "News" }).getByRole("link", { name: "new", exact: true }).click();
    await ann.page.waitForURL(BASE + "/news/new");
    const mine = row(ann.page, id);
    await mine.getByText(title).waitFor();
    await mine.getByText(`by ${annName}`).waitFor();
    await mine.getByText("just now").waitFor();
    assert.ok((await rankOf(ann.page, otherId)) < (await rankOf(ann.page, id)), "newest first");

    // Ann opens her story's thread from the list and comments; what she typed stays text.
    await mine.getByTestId("comments").click();
    await ann.page.waitForURL(`${BASE}/news/item/${id}`);
    await ann.page.getByTestId("comment-text").fill("First, *really* good: https://example.com/source\n\n<script>window.pwned = 1</script>");
    await ann.page.getByTestId("comment-send").click();
    const first = ann.page.getByTestId("comment").first();
    await first.locator("i").getByText("really").waitFor();
    await first.getByRole("link", { name: "https://example.com/source" }).waitFor();
    await first.getByText("<script>window.pwned = 1</script>").waitFor();
    assert.equal(await ann.page.evaluate(() => window.pwned), undefined, "the script never ran");
    await first.getByText("1 point").waitFor();
    await head.getByTestId("comments").getByText("1 comment").waitFor();
    const commentId = Number(await first.getAttribute("data-id"));

    // Bob, on a phone: Ann's comment came after his last visit; he replies to it.
    await b.page.goto(`${BASE}/news/item/${id}`);
    const annsComment = b.page.locator(`[data-testid="comment"][data-id="${commentId}"]`);
    await annsComment.getByTestId("new").waitFor();
    await annsComment.getByTestId("reply").click();
    await annsComment.getByTestId("reply-text").fill("Agreed. Which engine is it built on?");
    await annsComment.getByTestId("reply-send").click();
    const reply = b.page.getByTestId("comment").nth(1);
    await reply.getByText("Agreed. Which engine is it built on?").waitFor();
    assert.equal(await reply.evaluate((el) => el.style.getPropertyValue("--depth")), "1", "indented under the comment");
    await annsComment.getByTestId("reply-text").waitFor({ state: "detached" });
    await b.page.screenshot({ path: join(SCREENSHOTS, "news-item-phone.png"), fullPage: true });

    // Folding the comment hides its reply; [+2] says how much is folded.
    await annsComment.getByTestId("toggle").click();
    await annsComment.getByTestId("toggle").getByText("[+2]").waitFor();
    await reply.waitFor({ state: "hidden" });
    await annsComment.getByTestId("toggle").click();
    await reply.waitFor({ state: "visible" });

    // The reply's permalink is its own page, in context.
    const replyId = Number(await reply.getAttribute("data-id"));
    await reply.getByTestId("permalink").click();
    await b.page.waitForURL(`${BASE}/news/item/${replyId}`);
    await b.page.getByTestId("context").getByText(title).waitFor();
    assert.equal(await b.page.getByTestId("comment").count(), 1);

    // Before any vote, the newer story ranks above Ann's on the front page (both one point).
    await b.page.goto(BASE + "/news");
    await row(b.page, id).waitFor();
    assert.ok((await rankOf(b.page, otherId)) < (await rankOf(b.page, id)), "the newer first while both have one point");

    // Bob upvotes Ann's story on the list: its points change at once; he can take it back.
    await b.page.goto(BASE + "/news/new");
    const listed = row(b.page, id);
    await listed.getByRole("button", { name: "upvote" }).click();
    await listed.getByTestId("points").getByText("2 points").waitFor();
    assert.equal(await listed.getByRole("button", { name: "upvote" }).getAttribute("aria-pressed"), "true");
    await listed.getByTestId("unvote").click();
    await listed.getByTestId("points").getByText("1 point", { exact: true }).waitFor();
    await listed.getByRole("button", { name: "upvote" }).click();
    await listed.getByTestId("points").getByText("2 points").waitFor();

    // The front page, read again: Ann's story now ranks above the newer one.
    await b.page.goto(BASE + "/news");
    await row(b.page, id).getByTestId("points").getByText("2 points").waitFor();
    assert.ok((await rankOf(b.page, id)) < (await rankOf(b.page, otherId)), "the voted story moved up");
    await b.page.screenshot({ path: join(SCREENSHOTS, "news-front-phone.png"), fullPage: true });

    // Why: the rank, term by term.
    await b.page.goto(`${BASE}/news/item/${id}`);
    await b.page.getByTestId("why").locator("summary").click();
    await b.page.getByTestId("why").getByText("(2 − 1)^0.8 = 1.00").waitFor();

    // Ann's profile: her karma from Bob's vote.
    await ann.page.goto(`${BASE}/news/user/${annName}`);
    const karma = (await request("GET", `/api/news/users/${annName}`)).json.karma;
    await ann.page.getByTestId("karma").getByText(String(karma), { exact: true }).waitFor();
    assert.ok(karma >= 1);
    assert.deepEqual([...ann.errors, ...b.errors], []);
  } finally {
    await ann.context.close();
    await b.context.close();
  }
});

test("a link submitted again lands on the story already there, which says so", async () => {
  const [ann, cat] = await Promise.all([signUp(), signUp()]);
  const url = `https://example.net/${unique()}`;
  const made = await request("POST", "/api/news/stories", { jar: ann.jar, body: { title: "The original", url } });
  assert.equal(made.status, 201, made.text);
  const { context, page, errors } = await pageOf(cat, DESKTOP);
  try {
    await page.goto(BASE + "/news/submit");
    await page.getByLabel("Title").fill("The same link again");
    await page.getByLabel("URL").fill(url.replace("https://", "http://www.") + "?utm_source=feed");
    await page.screenshot({ path: join(SCREENSHOTS, "news-submit-desktop.png"), fullPage: true });
    await page.getByTestId("submit").click();
    await page.waitForURL(`${BASE}/news/item/${made.json.story.id}`);
    await page.getByTestId("news-note").getByText(/submitted already/).waitFor();
    await page.getByTestId("item").getByText("The original").waitFor();
    await page.getByTestId("item").getByTestId("points").getByText("2 points").waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("the submit form says what to fix; the new-account pace is told; signed out, votes and comments ask to sign in", async () => {
  const dan = await signUp();
  for (const n of [1, 2]) {
    const made = await request("POST", "/api/news/stories", { jar: dan.jar, body: { title: `Dan's story ${n}`, url: `https://example.com/${unique()}` } });
    assert.equal(made.status, 201, made.text);
  }
  const ask = await request("POST", "/api/news/stories", {
    jar: (await signUp()).jar,
    body: { title: "Ask HN: <b>bold</b> or not?", text: "<img src=x onerror=\"window.pwned=1\">\n\n  code stays code" },
  });
  assert.equal(ask.status, 201, ask.text);
  const { context, page, errors } = await pageOf(dan, DESKTOP);
  try {
    await page.goto(BASE + "/news/submit");
    await page.getByLabel("Title").fill("THIS IS THE GREATEST THING EVER MADE");
    await page.getByText("Please don't shout").waitFor();
    await page.getByLabel("Title").fill("A calm title");
    await page.getByLabel("URL").fill("javascript:alert(1)");
    await page.getByTestId("submit").click();
    await page.getByText("Only http:// and https:// links can be submitted.").waitFor();
    // An Ask needs its text.
    await page.getByLabel("URL").fill("");
    await page.getByTestId("submit").click();
    await page.getByText("Write something first.").waitFor();
    // The third story of a new account's hour is refused by the worker, with when to try again.
    await page.getByLabel("URL").fill(`https://example.com/${unique()}`);
    await page.getByTestId("submit").click();
    await page.getByText(/You're posting too fast: 2 stories an hour/).waitFor();
    assert.match(page.url(), /\/news\/submit$/);
    await page.screenshot({ path: join(SCREENSHOTS, "news-submit-refused-desktop.png"), fullPage: true });
    assert.deepEqual(errors.filter((e) => !/status of 429/.test(e)), []);
  } finally {
    await context.close();
  }

  // Signed out: the Ask reads, its markup as text; arrows and the comment box lead to sign in.
  const anon = await pageOf(null, DESKTOP);
  try {
    await anon.page.goto(`${BASE}/news/item/${ask.json.story.id}`);
    await anon.page.getByTestId("item").getByText("Ask HN: <b>bold</b> or not?").waitFor();
    await anon.page.getByTestId("item-text").getByText('<img src=x onerror="window.pwned=1">').waitFor();
    await anon.page.getByTestId("item-text").locator("pre code").getByText("code stays code").waitFor();
    assert.equal(await anon.page.locator("img[src=x]").count(), 0);
    assert.equal(await anon.page.evaluate(() => window.pwned), undefined);
    const signIn = anon.page.getByRole("link", { name: "Sign in" }).last();
    assert.equal(await signIn.getAttribute("href"), `/signin?next=${encodeURIComponent(`/news/item/${ask.json.story.id}`)}`);
    await anon.page.goto(BASE + "/news/ask");
    const arrow = row(anon.page, ask.json.story.id).getByRole("link", { name: "upvote (sign in first)" });
    assert.equal(await arrow.getAttribute("href"), `/signin?next=${encodeURIComponent("/news/ask")}`);
    await anon.page.goto(BASE + "/news");
    await anon.page.getByRole("heading", { name: "News" }).waitFor();
    await row(anon.page, ask.json.story.id).waitFor();
    await anon.page.screenshot({ path: join(SCREENSHOTS, "news-front-desktop.png"), fullPage: true });
    assert.deepEqual(anon.errors, []);
  } finally {
    await anon.context.close();
  }
});

test("pages move live: a new comment, points, edits and a removal arrive without a reload; authors edit and delete their own", async () => {
  const [ann, bob, carol] = await Promise.all([signUp(), signUp(), signUp()]);
  const title = `Live threads in ${unique()}`;
  const made = await request("POST", "/api/news/stories", { jar: ann.jar, body: { title, url: `https://example.com/live/${unique()}` } });
  assert.equal(made.status, 201, made.text);
  const id = made.json.story.id;
  const a = await pageOf(ann, DESKTOP);
  const reader = await pageOf(null);
  try {
    await a.page.goto(`${BASE}/news/item/${id}`);
    await reader.page.goto(`${BASE}/news/new`);
    const live = (page) => page.locator('[data-testid="live"][data-live="true"]').waitFor({ state: "attached" });
    await Promise.all([live(a.page), live(reader.page)]);
    const head = a.page.getByTestId("item");
    const listed = row(reader.page, id);

    // Bob comments and votes elsewhere: Ann's open page gets the comment, marked new, and the
    // count and points; the reader's list gets them too.
    const said = await request("POST", "/api/news/comments", { jar: bob.jar, body: { parent: id, text: "Arrived while you were reading" } });
    assert.equal(said.status, 201, said.text);
    const bobs = a.page.locator(`[data-testid="comment"][data-id="${said.json.id}"]`);
    await bobs.getByText("Arrived while you were reading").waitFor();
    await bobs.getByTestId("new").waitFor();
    await head.getByTestId("comments").getByText("1 comment").waitFor();
    await listed.getByTestId("comments").getByText("1 comment").waitFor();
    assert.equal((await request("POST", `/api/news/items/${id}/vote`, { jar: bob.jar, body: { direction: "up" } })).status, 200);
    await head.getByTestId("points").getByText("2 points").waitFor();
    await listed.getByTestId("points").getByText("2 points").waitFor();
    // Ann upvotes Bob's comment and starts a reply; his edit arrives and keeps both.
    await bobs.getByRole("button", { name: "upvote" }).click();
    await bobs.getByTestId("unvote").waitFor();
    await bobs.getByTestId("reply").click();
    await bobs.getByTestId("reply-text").fill("Half a thought");
    assert.equal((await request("PATCH", `/api/news/items/${said.json.id}`, { jar: bob.jar, body: { text: "Edited after a second look" } })).status, 200);
    await bobs.getByText("Edited after a second look").waitFor();
    assert.equal(await bobs.getByTestId("reply-text").inputValue(), "Half a thought", "the draft survives the edit");
    assert.equal(await bobs.getByRole("button", { name: "upvote" }).getAttribute("aria-pressed"), "true");
    await bobs.getByRole("button", { name: "cancel" }).click();

    // Ann retitles her story on the page; the reader's list shows the new title.
    await head.getByTestId("edit").click();
    await a.page.getByTestId("edit-title").fill(`${title}, revisited`);
    await a.page.getByTestId("edit-save").click();
    await head.getByTestId("story-title").getByText(`${title}, revisited`).waitFor();
    await listed.getByTestId("story-title").getByText(`${title}, revisited`).waitFor();

    // She saves it to her favorites, and the API lists it there.
    await head.getByTestId("favorite").click();
    await head.getByTestId("favorite").getByText("un-favorite").waitFor();
    const favorites = await request("GET", `/api/news/users/${ann.user.username}/favorites`);
    assert.ok(favorites.json.stories.some((s) => s.id === id));

    // Her own comment: written, edited and deleted on the page.
    await a.page.getByTestId("comment-text").fill("A first draft");
    await a.page.getByTestId("comment-send").click();
    const drafted = a.page.getByTestId("comment").filter({ hasText: "A first draft" });
    await drafted.getByText("1 point").waitFor();
    const own = a.page.locator(`[data-testid="comment"][data-id="${await drafted.getAttribute("data-id")}"]`);
    assert.equal(await own.getByTestId("new").count(), 0, "one's own comment is not news to oneself");
    await own.getByTestId("edit").click();
    await own.getByTestId("edit-text").fill("A second draft");
    await own.getByTestId("edit-save").click();
    await own.getByText("A second draft").waitFor();
    await head.getByTestId("comments").getByText("2 comments").waitFor();
    await a.page.screenshot({ path: join(SCREENSHOTS, "news-live-desktop.png"), fullPage: true });
    await own.getByTestId("delete").click();
    await own.getByTestId("delete-yes").click();
    await own.waitFor({ state: "detached" });
    await head.getByTestId("comments").getByText("1 comment").waitFor();

    // Bob deletes his: it leaves Ann's page.
    assert.equal((await request("DELETE", `/api/news/items/${said.json.id}`, { jar: bob.jar })).status, 204);
    await bobs.waitFor({ state: "detached" });

    // A story submitted meanwhile waits above the newest list until the reader asks for it.
    const newer = await request("POST", "/api/news/stories", { jar: carol.jar, body: { title: `Fresh ${unique()}`, url: `https://example.org/${unique()}` } });
    assert.equal(newer.status, 201, newer.text);
    await reader.page.getByTestId("arrivals").getByText("1 new story").click();
    await row(reader.page, newer.json.story.id).waitFor();
    assert.equal(await rankOf(reader.page, newer.json.story.id), 1);
    await reader.page.screenshot({ path: join(SCREENSHOTS, "news-new-live-phone.png"), fullPage: true });
    assert.deepEqual([...a.errors, ...reader.errors], []);
  } finally {
    await a.context.close();
    await reader.context.close();
  }
});
