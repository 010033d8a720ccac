// News' profile lists, about and the moderation log in the browser: a person's profile lists
// their submissions, their comments (each "on:" its story), their favorites and, for them alone,
// what they upvoted, which another reader neither sees offered nor can open; the owner edits
// their about (markup stays text, a refusal is told, cancel keeps what was there); the
// moderator kills a story from the moderation page with a reason, the entry tops the log, a
// reader signed out reads it there, and the story has left the lists.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { BASE, request, sessionToken, signUp } from "../support/api.mjs";
import { DESKTOP, launch, PHONE, SCREENSHOTS, watchForErrors } from "../support/browser.mjs";
import { comment, moderator, post, story, unique } from "../support/news.mjs";

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

/** The narrowest phone the pages are drawn for. */
const SMALL_PHONE = { ...PHONE, viewport: { width: 375, height: 812 } };

/** A story's row on the list the page shows. */
const row = (page, id) => page.locator(`[data-testid="story"][data-id="${id}"]`);
/** Console errors other than the refusals a test provokes on purpose. */
const unexpected = (errors, ...statuses) => errors.filter((e) => !statuses.some((s) => e.includes(`status of ${s}`)));

test("a profile lists submissions, comments, favorites and, for its owner alone, upvoted", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const annName = ann.user.username;
  const mine = await story(ann, { title: `Ann's own ${unique()}` });
  const bobs = await story(bob, { title: `Bob's find ${unique()}` });
  const top = await comment(ann, bobs.id, `Ann on Bob's find, *briefly* ${unique()}`);
  const bobsComment = await comment(bob, mine.id, "Bob asks a question");
  const reply = await comment(ann, bobsComment.id, "Ann answers it");
  assert.equal((await request("PUT", `/api/news/items/${bobs.id}/favorite`, { jar: ann.jar })).status, 204);
  assert.equal((await post(ann, `/api/news/items/${bobs.id}/vote`, { direction: "up" })).status, 200);

  const a = await pageOf(ann, SMALL_PHONE);
  try {
    await a.page.goto(`${BASE}/news/user/${annName}`);
    await a.page.getByTestId("profile").getByText(annName).waitFor();
    const tabs = a.page.getByTestId("profile-tabs");
    await tabs.getByTestId("tab-upvoted").waitFor();

    // Submissions: her story, ranked as on a list.
    await tabs.getByText("submissions").click();
    await a.page.waitForURL(`${BASE}/news/user/${annName}/stories`);
    await row(a.page, mine.id).getByText(mine.title).waitFor();
    assert.equal(await tabs.getByTestId("tab-stories").getAttribute("aria-current"), "page");
    assert.equal(await a.page.getByTestId("story").count(), 1);

    // Comments, newest first: each with its permalink, the story it is on, and the parent of a reply.
    await tabs.getByText("comments").click();
    await a.page.waitForURL(`${BASE}/news/user/${annName}/comments`);
    const [firstTab, lastTab] = await Promise.all([tabs.getByTestId("tab-stories").boundingBox(), tabs.getByTestId("tab-upvoted").boundingBox()]);
    assert.equal(firstTab.y, lastTab.y, "the four lists on one line of a 375 px phone, the current one too");
    const comments = a.page.getByTestId("profile-comment");
    await comments.first().waitFor();
    assert.equal(await comments.count(), 2);
    const answer = a.page.locator(`[data-testid="profile-comment"][data-id="${reply.id}"]`);
    await answer.getByText("Ann answers it").waitFor();
    assert.equal(await answer.getByTestId("on-story").textContent(), mine.title);
    assert.equal(await answer.getByTestId("on-story").getAttribute("href"), `/news/item/${mine.id}`);
    assert.equal(await answer.getByRole("link", { name: "parent" }).getAttribute("href"), `/news/item/${bobsComment.id}`);
    const onBobs = a.page.locator(`[data-testid="profile-comment"][data-id="${top.id}"]`);
    await onBobs.getByText(`on: ${bobs.title}`).waitFor();
    await onBobs.locator("i").getByText("briefly").waitFor();
    assert.equal(await onBobs.getByRole("link", { name: "parent" }).count(), 0, "a top-level comment's parent is its story");
    assert.equal(await onBobs.getByTestId("permalink").getAttribute("href"), `/news/item/${top.id}`);
    await a.page.screenshot({ path: join(SCREENSHOTS, "news-profile-comments-phone.png"), fullPage: true });

    // Favorites and upvoted: Bob's story, in each.
    await tabs.getByText("favorites").click();
    await a.page.waitForURL(`${BASE}/news/user/${annName}/favorites`);
    await row(a.page, bobs.id).getByText(bobs.title).waitFor();
    await tabs.getByText("upvoted").click();
    await a.page.waitForURL(`${BASE}/news/user/${annName}/upvoted`);
    await row(a.page, bobs.id).getByRole("button", { name: "upvote" }).and(a.page.locator('[aria-pressed="true"]')).waitFor();
    await a.page.screenshot({ path: join(SCREENSHOTS, "news-profile-upvoted-phone.png"), fullPage: true });
    assert.deepEqual(a.errors, []);
  } finally {
    await a.context.close();
  }

  // Bob reads Ann's favorites (public, as on HN), but is not offered her upvoted, and is refused it.
  const b = await pageOf(bob, DESKTOP);
  try {
    await b.page.goto(`${BASE}/news/user/${annName}/favorites`);
    await row(b.page, bobs.id).waitFor();
    await b.page.getByRole("navigation", { name: "News" }).getByRole("link", { name: "moderation" }).waitFor();
    await b.page.getByTestId("tab-comments").waitFor();
    assert.equal(await b.page.getByTestId("tab-upvoted").count(), 0);
    await b.page.goto(`${BASE}/news/user/${annName}/upvoted`);
    await b.page.getByTestId("list-refused").getByText("What a person upvoted is theirs alone to see.").waitFor();
    assert.equal(await b.page.getByTestId("story").count(), 0);
    assert.deepEqual(unexpected(b.errors, 403), []);
  } finally {
    await b.context.close();
  }

  // Signed out: offered to sign in.
  const anon = await pageOf(null);
  try {
    await anon.page.goto(`${BASE}/news/user/${annName}/upvoted`);
    const refused = anon.page.getByTestId("list-refused");
    await refused.getByRole("link", { name: "Sign in" }).waitFor();
    assert.equal(
      await refused.getByRole("link", { name: "Sign in" }).getAttribute("href"),
      `/signin?next=${encodeURIComponent(`/news/user/${annName}/upvoted`)}`,
    );
    assert.deepEqual(anon.errors, []);
  } finally {
    await anon.context.close();
  }
});

test("the owner edits their about: markup stays text, a refusal is told, cancel keeps it", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const annName = ann.user.username;
  const a = await pageOf(ann);
  try {
    await a.page.goto(`${BASE}/news/user/${annName}`);
    const about = a.page.getByTestId("about");
    await about.getByText("Nothing yet.").waitFor();
    await about.getByTestId("about-edit").click();
    await about.getByTestId("about-text").fill("I build *small* things: https://example.com/me\n\n<script>window.pwned = 1</script>");
    await about.getByTestId("about-save").click();
    await about.getByTestId("about-saved").getByText("Saved.").waitFor();
    await about.locator("i").getByText("small").waitFor();
    await about.getByRole("link", { name: "https://example.com/me" }).waitFor();
    await about.getByText("<script>window.pwned = 1</script>").waitFor();
    assert.equal(await a.page.evaluate(() => window.pwned), undefined, "the script never ran");

    // Too long: the worker says so, the form stays; cancel keeps what was saved.
    await about.getByTestId("about-edit").click();
    assert.match(await about.getByTestId("about-text").inputValue(), /^I build \*small\* things/);
    await about.getByTestId("about-text").fill("x".repeat(4001));
    await about.getByTestId("about-save").click();
    await about.getByTestId("about-error").getByText("Keep it under 4000 characters.").waitFor();
    await a.page.screenshot({ path: join(SCREENSHOTS, "news-profile-about-phone.png"), fullPage: true });
    await about.getByTestId("about-cancel").click();
    await about.locator("i").getByText("small").waitFor();
    assert.equal(await about.getByTestId("about-saved").count(), 0);

    // Read again, it stands.
    await a.page.reload();
    await about.locator("i").getByText("small").waitFor();

    // HN's showdead, hers to turn on: the profile keeps it.
    const showdead = a.page.getByTestId("showdead");
    assert.equal(await showdead.isChecked(), false);
    const saved = a.page.waitForResponse((r) => r.request().method() === "PATCH" && r.url().endsWith(`/api/news/users/${annName}`));
    await showdead.check();
    assert.equal((await saved).status(), 200);
    assert.equal((await request("GET", `/api/news/users/${annName}`, { jar: ann.jar })).json.showdead, true);
    await a.page.reload();
    assert.equal(await a.page.getByTestId("showdead").isChecked(), true);
    assert.deepEqual(unexpected(a.errors, 400, 422), []);
  } finally {
    await a.context.close();
  }

  // Someone else reads it, with nothing to edit.
  const b = await pageOf(bob, DESKTOP);
  try {
    await b.page.goto(`${BASE}/news/user/${annName}`);
    await b.page.getByTestId("about").locator("i").getByText("small").waitFor();
    assert.equal(await b.page.getByTestId("about-edit").count(), 0);
    assert.equal(await b.page.getByTestId("showdead").count(), 0, "a setting of hers, not shown to others");
    assert.deepEqual(b.errors, []);
  } finally {
    await b.context.close();
  }
});

test("the moderator kills a story from the moderation page; the log tells everyone why; the lists drop it", async () => {
  const [mod, ann] = await Promise.all([moderator(), signUp()]);
  const spam = await story(ann, { title: `Cheap watches ${unique()}` });
  const reason = `Spam ring ${unique()}`;

  const m = await pageOf(mod, SMALL_PHONE);
  try {
    await m.page.goto(`${BASE}/news/moderation`);
    const form = m.page.getByTestId("mod-form");
    // The obvious is checked before anything is sent.
    await form.getByTestId("mod-send").click();
    await form.getByText("Every moderator action needs a reason for the public log.").waitFor();
    await form.getByLabel("Item", { exact: true }).fill("abc");
    await form.locator("#item-error").getByText("An item's number").waitFor();

    await form.getByTestId("mod-action").selectOption("kill");
    await form.getByLabel("Item", { exact: true }).fill(String(spam.id));
    await form.getByLabel("Reason (public)").fill(reason);
    await form.getByTestId("mod-send").click();
    await form.getByTestId("mod-done").getByText(`Done: killed item ${spam.id}.`).waitFor();
    const first = m.page.getByTestId("mod-entry").first();
    assert.equal(await first.getAttribute("data-action"), "kill");
    await first.getByTestId("mod-reason").getByText(reason).waitFor();
    assert.equal(await first.getByTestId("mod-target").getAttribute("href"), `/news/item/${spam.id}`);
    await first.getByText("news_mod").waitFor();

    // Again: the worker says it is so already; an item nobody posted is refused under its field.
    await form.getByLabel("Item", { exact: true }).fill(String(spam.id));
    await form.getByLabel("Reason (public)").fill("Once more");
    await form.getByTestId("mod-send").click();
    await form.getByText("It is killed already.").waitFor();
    await form.getByLabel("Item", { exact: true }).fill("999999999");
    await form.getByTestId("mod-send").click();
    await form.locator("#item-error").getByText(/999999999/).waitFor();
    await m.page.screenshot({ path: join(SCREENSHOTS, "news-moderation-phone.png"), fullPage: true });
    assert.deepEqual(unexpected(m.errors, 404, 409), []);
  } finally {
    await m.context.close();
  }

  // Signed out, on a phone: the story is gone from the lists; the lists' foot leads to the log
  // (the bar has no room for it), where the entry tells why; there is no form.
  const anon = await pageOf(null, SMALL_PHONE);
  try {
    await anon.page.goto(`${BASE}/news/new`);
    await anon.page.getByTestId("stories").waitFor();
    assert.equal(await row(anon.page, spam.id).count(), 0);
    assert.equal(await anon.page.getByRole("navigation", { name: "News" }).getByRole("link", { name: "moderation" }).isVisible(), false);
    await anon.page.getByTestId("foot-moderation").click();
    await anon.page.waitForURL(`${BASE}/news/moderation`);
    const entry = anon.page.getByTestId("mod-entry").first();
    await entry.getByTestId("mod-reason").getByText(reason).waitFor();
    assert.equal(await entry.getAttribute("data-action"), "kill");
    assert.equal(await anon.page.getByTestId("mod-form").count(), 0);
    await anon.page.goto(`${BASE}/news/user/${ann.user.username}/stories`);
    await anon.page.getByTestId("no-stories").getByText("No submissions yet.").waitFor();
    assert.deepEqual(anon.errors, []);
  } finally {
    await anon.context.close();
  }
});
