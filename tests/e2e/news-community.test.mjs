// News end to end, the community around the stories: authors' edits and deletions within two
// hours, favorites and profiles' lists (upvoted is the owner's alone), moderators' actions and
// the public log, and live pages: a story's socket gets new comments, scores, edits and
// removals without a reload, the lists' socket new stories.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { d1, expectError, request, rows, sessionToken, signUp } from "../support/api.mjs";
import { upgradeStatus } from "../support/chat-socket.mjs";
import { FrameSocket, closeAllFrameSockets } from "../support/frame-socket.mjs";
import { comment, get, moderator, post, setKarma, story, submit, unique } from "../support/news.mjs";

after(() => closeAllFrameSockets());

const patch = (who, path, body) => request("PATCH", path, { jar: who?.jar, body });
const del = (who, path) => request("DELETE", path, { jar: who?.jar });
const put = (who, path) => request("PUT", path, { jar: who?.jar });
const moderate = (who, body) => post(who, "/api/news/moderation", body);
const follow = (path) => FrameSocket.connect(path, {}, (ws) => new FrameSocket(ws));
/** Moves an item's birth into the past, as if posted `ms` ago. */
const age = (id, ms) => d1(`UPDATE news_items SET created_at = created_at - ${ms} WHERE id = ${id}`);
const HOUR = 3_600_000;

test("authors edit and delete their own items for two hours; a deleted comment with replies stays as [deleted]", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const s = await story(ann);
  const edited = await patch(ann, `/api/news/items/${s.id}`, { title: "A better title", text: "Some context." });
  assert.equal(edited.status, 200, edited.text);
  assert.equal(edited.json.title, "A better title");
  assert.equal(edited.json.text, "Some context.");
  assert.equal((await get(null, `/api/news/items/${s.id}`)).json.story.title, "A better title");

  expectError(assert, await patch(bob, `/api/news/items/${s.id}`, { title: "Mine now" }), 403, "forbidden");
  expectError(assert, await patch(null, `/api/news/items/${s.id}`, { title: "x" }), 401, "unauthenticated");
  expectError(assert, await patch(ann, `/api/news/items/${s.id}`, {}), 422, "validation_failed", "text");
  expectError(assert, await patch(ann, `/api/news/items/${s.id}`, { title: "SHOUTING IS NOT ALLOWED HERE" }), 422, "validation_failed", "title");
  expectError(assert, await patch(ann, `/api/news/items/${s.id}`, { title: "x", url: "https://e.example/" }), 422, "validation_failed");

  const c = await comment(bob, s.id, "First take");
  const reply = await comment(ann, c.id, "An answer");
  expectError(assert, await patch(bob, `/api/news/items/${c.id}`, { title: "No" }), 422, "validation_failed", "title");
  expectError(assert, await patch(bob, `/api/news/items/${c.id}`, { text: "  " }), 422, "validation_failed", "text");
  assert.equal((await patch(bob, `/api/news/items/${c.id}`, { text: "Second take" })).status, 200);
  assert.equal((await get(null, `/api/news/items/${s.id}`)).json.story.comments, 2);

  expectError(assert, await del(ann, `/api/news/items/${c.id}`), 403, "forbidden");
  assert.equal((await del(bob, `/api/news/items/${c.id}`)).status, 204);
  expectError(assert, await del(bob, `/api/news/items/${c.id}`), 404, "not_found");
  const page = await get(null, `/api/news/items/${s.id}`);
  assert.equal(page.json.story.comments, 1, "the count follows the deletion");
  const shown = page.json.comments.find((x) => x.id === c.id);
  assert.equal(shown.placeholder, true, "kept for its reply");
  assert.equal(shown.text, "[deleted]");
  assert.ok(page.json.comments.some((x) => x.id === reply.id && x.text === "An answer"));

  // Two hours on, what was said stands.
  age(reply.id, 2 * HOUR);
  expectError(assert, await patch(ann, `/api/news/items/${reply.id}`, { text: "Rewritten" }), 409, "conflict");
  expectError(assert, await del(ann, `/api/news/items/${reply.id}`), 409, "conflict");

  assert.equal((await del(ann, `/api/news/items/${s.id}`)).status, 204);
  const newest = await get(null, "/api/news/stories?list=new");
  assert.ok(!newest.json.stories.some((x) => x.id === s.id), "a deleted story leaves the lists");
});

test("favorites are public, upvoted is the owner's alone; profiles list stories and comments; about is one's own", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const s = await story(ann);
  const c = await comment(ann, s.id, "On my own story");
  assert.equal((await put(bob, `/api/news/items/${s.id}/favorite`)).status, 204);
  assert.equal((await put(bob, `/api/news/items/${s.id}/favorite`)).status, 204, "again: no change");
  expectError(assert, await put(bob, `/api/news/items/${c.id}/favorite`), 409, "conflict");
  expectError(assert, await put(null, `/api/news/items/${s.id}/favorite`), 401, "unauthenticated");
  expectError(assert, await put(bob, "/api/news/items/99999999/favorite"), 404, "not_found");
  const saved = await get(null, `/api/news/users/${bob.user.username}/favorites`);
  assert.deepEqual(saved.json.stories.map((x) => x.id), [s.id]);
  assert.equal((await get(bob, `/api/news/items/${s.id}`)).json.story.favorite, true);
  assert.equal((await del(bob, `/api/news/items/${s.id}/favorite`)).status, 204);
  assert.deepEqual((await get(null, `/api/news/users/${bob.user.username}/favorites`)).json.stories, []);

  assert.equal((await post(bob, `/api/news/items/${s.id}/vote`, { direction: "up" })).status, 200);
  const upvoted = await get(bob, `/api/news/users/${bob.user.username}/upvoted`);
  assert.equal(upvoted.status, 200, upvoted.text);
  assert.deepEqual(upvoted.json.stories.map((x) => x.id), [s.id]);
  expectError(assert, await get(ann, `/api/news/users/${bob.user.username}/upvoted`), 403, "forbidden");
  expectError(assert, await get(null, `/api/news/users/${bob.user.username}/upvoted`), 401, "unauthenticated");

  const stories = await get(null, `/api/news/users/${ann.user.username}/stories`);
  assert.deepEqual(stories.json.stories.map((x) => x.id), [s.id]);
  assert.equal(stories.json.more, false);
  const comments = await get(null, `/api/news/users/${ann.user.username}/comments`);
  assert.equal(comments.json.comments[0].id, c.id);
  assert.equal(comments.json.comments[0].story_title, s.title);
  expectError(assert, await get(null, `/api/news/users/${ann.user.username}/stories?page=0`), 422, "validation_failed", "page");
  expectError(assert, await get(null, "/api/news/users/nobody_here_at_all/comments"), 404, "not_found");

  const about = "I write <script>alert(1)</script> *Rust*.";
  const mine = await patch(ann, `/api/news/users/${ann.user.username}`, { about });
  assert.equal(mine.status, 200, mine.text);
  assert.equal(mine.json.about, about, "kept as text; the formatter shows it inert");
  const hn = await get(null, `/v0/user/${ann.user.username}.json`);
  assert.ok(!hn.json.about.includes("<script>"), hn.json.about);
  expectError(assert, await patch(bob, `/api/news/users/${ann.user.username}`, { about: "hijacked" }), 403, "forbidden");
  expectError(assert, await patch(ann, `/api/news/users/${ann.user.username}`, { about: "x".repeat(4001) }), 422, "validation_failed", "about");
});

test("moderators kill, revive, retitle, merge, adjust and ban; each with its reason in the public log", async () => {
  const [mod, ann, bob] = await Promise.all([moderator(), signUp(), signUp()]);
  const s = await story(ann);
  expectError(assert, await moderate(bob, { action: "kill", item: s.id, reason: "I dislike it" }), 403, "forbidden");
  expectError(assert, await moderate(null, { action: "kill", item: s.id, reason: "x" }), 401, "unauthenticated");
  expectError(assert, await moderate(mod, { action: "kill", item: s.id, reason: "  " }), 422, "validation_failed", "reason");
  expectError(assert, await moderate(mod, { action: "kill", item: 99999999, reason: "spam" }), 404, "not_found", "item");
  expectError(assert, await moderate(mod, { action: "nuke", item: s.id, reason: "spam" }), 422, "validation_failed");
  expectError(assert, await moderate(mod, { action: "adjust", item: s.id, factor: 2, reason: "x" }), 422, "validation_failed", "factor");
  expectError(assert, await moderate(mod, { action: "ban", username: "nobody_here_at_all", reason: "x" }), 404, "not_found", "username");

  const killed = await moderate(mod, { action: "kill", item: s.id, reason: "Spam ring" });
  assert.equal(killed.status, 201, killed.text);
  assert.equal(killed.json.action, "kill");
  assert.equal(killed.json.moderator, "news_mod");
  expectError(assert, await get(bob, `/api/news/items/${s.id}`), 404, "not_found");
  assert.equal((await get(mod, `/api/news/items/${s.id}`)).json.story.dead, true, "moderators still see it");
  expectError(assert, await moderate(mod, { action: "kill", item: s.id, reason: "again" }), 409, "conflict");
  const revived = await moderate(mod, { action: "revive", item: s.id, reason: "Not spam after all" });
  assert.equal(revived.status, 201, revived.text);
  assert.equal((await get(bob, `/api/news/items/${s.id}`)).status, 200);

  const retitled = await moderate(mod, { action: "edit_title", item: s.id, title: "A plainer title", reason: "Editorialised" });
  assert.equal(retitled.status, 201, retitled.text);
  assert.match(retitled.json.detail, /→ A plainer title$/);
  assert.equal((await get(null, `/api/news/items/${s.id}`)).json.story.title, "A plainer title");

  const adjusted = await moderate(mod, { action: "adjust", item: s.id, factor: 0.5, reason: "Off-topic-ish" });
  assert.equal(adjusted.status, 201, adjusted.text);
  const rank = (await get(null, `/api/news/items/${s.id}`)).json.rank;
  assert.ok(JSON.stringify(rank.penalties).includes("0.5"), JSON.stringify(rank));

  // A duplicate's thread moves to the story it duplicates.
  const dupe = await story(bob);
  const c = await comment(ann, dupe.id, "Said on the duplicate");
  expectError(assert, await moderate(mod, { action: "merge", item: dupe.id, into: dupe.id, reason: "x" }), 422, "validation_failed", "into");
  expectError(assert, await moderate(mod, { action: "merge", item: c.id, into: s.id, reason: "x" }), 409, "conflict");
  const merged = await moderate(mod, { action: "merge", item: dupe.id, into: s.id, reason: "Duplicate" });
  assert.equal(merged.status, 201, merged.text);
  const target = await get(null, `/api/news/items/${s.id}`);
  assert.ok(target.json.comments.some((x) => x.id === c.id && x.depth === 0), JSON.stringify(target.json.comments));
  assert.equal(target.json.story.comments, 1);
  expectError(assert, await get(null, `/api/news/items/${dupe.id}`), 404, "not_found");

  const banned = await moderate(mod, { action: "ban", username: bob.user.username, reason: "Spam" });
  assert.equal(banned.status, 201, banned.text);
  expectError(assert, await post(bob, "/api/news/stories", { title: "Back again", url: `https://e.example/${unique()}` }), 403, "forbidden");
  expectError(assert, await moderate(mod, { action: "ban", username: "news_mod", reason: "x" }), 409, "conflict");
  assert.equal((await moderate(mod, { action: "unban", username: bob.user.username, reason: "Appealed" })).status, 201);
  assert.equal((await post(bob, "/api/news/stories", { title: "Back again", url: `https://e.example/${unique()}` })).status, 201);

  // A shadow ban reaches back, and only moderators read it in the log.
  const before = await story(ann);
  assert.equal((await moderate(mod, { action: "shadow_ban", username: ann.user.username, reason: "Sock puppets" })).status, 201);
  expectError(assert, await get(bob, `/api/news/items/${before.id}`), 404, "not_found");
  assert.equal((await get(ann, `/api/news/items/${before.id}`)).json.story.dead, false, "its author is not told");
  const publicLog = await get(null, "/api/news/moderation");
  assert.equal(publicLog.status, 200, publicLog.text);
  const actions = publicLog.json.entries.filter((e) => e.item === s.id || e.username === bob.user.username).map((e) => e.action);
  for (const action of ["kill", "revive", "edit_title", "adjust", "ban", "unban"]) assert.ok(actions.includes(action), `${action} in ${actions}`);
  assert.ok(publicLog.json.entries.some((e) => e.action === "kill" && e.reason === "Spam ring"));
  assert.ok(!publicLog.json.entries.some((e) => e.action === "shadow_ban"), "shadow bans stay among moderators");
  const modLog = await get(mod, "/api/news/moderation");
  assert.ok(modLog.json.entries.some((e) => e.action === "shadow_ban" && e.username === ann.user.username));
  expectError(assert, await get(null, "/api/news/moderation?page=0"), 422, "validation_failed", "page");
  assert.equal((await moderate(mod, { action: "unban", username: ann.user.username, reason: "Mistaken" })).status, 201);
  assert.equal((await get(bob, `/api/news/items/${before.id}`)).status, 200, "lifting it brings them back");
});

test("a story's live page gets new comments, scores, edits and removals without a reload; the lists get new stories", async () => {
  const [ann, bob, carol] = await Promise.all([signUp(), signUp(), signUp()]);
  const s = await story(ann);
  const plain = await get(null, `/api/news/items/${s.id}/live`);
  expectError(assert, plain, 400, "bad_request");
  expectError(assert, await get(null, "/api/news/items/99999999/live"), 400, "bad_request");

  const page = await follow(`/api/news/items/${s.id}/live`);
  const lists = await follow("/api/news/live");
  const c = await comment(bob, s.id, "Live from the thread");
  const seen = await page.next((f) => f.type === "comment", 5000, "the new comment");
  assert.equal(seen.comment.id, c.id);
  assert.equal(seen.comment.text, "Live from the thread");
  assert.equal(seen.comment.by, bob.user.username);
  assert.equal(seen.comment.points, null, "a comment's points are its author's");
  const counted = await page.next((f) => f.type === "score" && f.id === s.id, 5000, "the new count");
  assert.equal(counted.comments, 1);

  assert.equal((await post(carol, `/api/news/items/${s.id}/vote`, { direction: "up" })).status, 200);
  const scored = await lists.next((f) => f.type === "score" && f.id === s.id && f.points === 2, 5000, "the vote on the lists");
  assert.equal(scored.comments, 1);

  assert.equal((await patch(bob, `/api/news/items/${c.id}`, { text: "Edited live" })).status, 200);
  const edit = await page.next((f) => f.type === "edited" && f.id === c.id, 5000, "the edit");
  assert.equal(edit.text, "Edited live");
  assert.equal((await del(bob, `/api/news/items/${c.id}`)).status, 204);
  await page.next((f) => f.type === "removed" && f.id === c.id, 5000, "the removal");

  const fresh = await story(carol, { title: `Fresh ${unique()}` });
  const arrived = await lists.next((f) => f.type === "story" && f.story.id === fresh.id, 5000, "the new story");
  assert.equal(arrived.story.title, fresh.title);
  assert.equal(arrived.story.voted, null, "sent as a stranger sees it");

  // Nothing dead is ever sent.
  d1(`INSERT INTO news_people (user_id, shadow_banned) VALUES ('${carol.user.id}', 1) ON CONFLICT (user_id) DO UPDATE SET shadow_banned = 1`);
  const hidden = await comment(carol, s.id, "Nobody should see this");
  await comment(bob, s.id, "But this, yes");
  await page.next((f) => f.type === "comment" && f.comment.text === "But this, yes", 5000, "the later comment");
  assert.ok(!page.frames.some((f) => f.type === "comment" && f.comment.id === hidden.id), "the shadow-banned comment was not sent");
  page.close();
  lists.close();
});

test("review: replies racing a merge land in the thread their parent moved to, counted once", async () => {
  const [mod, ann, bob] = await Promise.all([moderator(), signUp(), signUp()]);
  setKarma(bob, 100); // the faster pace, so ten replies fit in the hour
  const [target, dupe] = [await story(ann), await story(ann)];
  const c = await comment(bob, dupe.id, "On the duplicate");
  const replies = Array.from({ length: 10 }, (_, i) => post(bob, "/api/news/comments", { parent: c.id, text: `Reply ${i}` }));
  const merged = moderate(mod, { action: "merge", item: dupe.id, into: target.id, reason: "Duplicate" });
  const answers = await Promise.all(replies);
  assert.equal((await merged).status, 201);
  for (const answer of answers) assert.ok([201, 409].includes(answer.status), `${answer.status} ${answer.text}`);
  const stored = answers.filter((a) => a.status === 201).length;
  const page = await get(null, `/api/news/items/${target.id}`);
  assert.equal(page.json.comments.length, 1 + stored, JSON.stringify(page.json.comments.map((x) => x.id)));
  assert.equal(page.json.story.comments, 1 + stored, "the count is the thread's");
  const [orphans] = rows(d1(`SELECT COUNT(*) AS n FROM news_items WHERE story_id = ${dupe.id}`));
  assert.equal(orphans.n, 0, "nothing was left in the merged story");
});

test("review: shadow bans stay private when lifted; a shadow-banned author's items are not revived one by one", async () => {
  const [mod, ann] = await Promise.all([moderator(), signUp()]);
  const s = await story(ann);
  assert.equal((await moderate(mod, { action: "shadow_ban", username: ann.user.username, reason: "Sock puppets" })).status, 201);
  expectError(assert, await moderate(mod, { action: "revive", item: s.id, reason: "x" }), 409, "conflict");
  const lifted = await moderate(mod, { action: "unban", username: ann.user.username, reason: "Mistaken" });
  assert.equal(lifted.status, 201, lifted.text);
  assert.equal(lifted.json.action, "shadow_unban");
  const publicLog = (await get(null, "/api/news/moderation")).json.entries;
  assert.ok(!publicLog.some((e) => e.username === ann.user.username), JSON.stringify(publicLog.slice(0, 3)));
  expectError(assert, await moderate(mod, { action: "unban", username: ann.user.username, reason: "again" }), 409, "conflict");
});

test("review: titles: a moderator's retitle stands, it moves the story between lists, and dead stories are not retitled", async () => {
  const [mod, ann] = await Promise.all([moderator(), signUp()]);
  const s = await story(ann);
  const shown = await moderate(mod, { action: "edit_title", item: s.id, title: "Show HN: A thing I made", reason: "It is a Show" });
  assert.equal(shown.status, 201, shown.text);
  const show = await get(null, "/api/news/stories?list=show");
  assert.ok(show.json.stories.some((x) => x.id === s.id && x.kind === "show"), "now a Show");
  expectError(assert, await patch(ann, `/api/news/items/${s.id}`, { title: "My own title again" }), 409, "conflict");
  assert.equal((await patch(ann, `/api/news/items/${s.id}`, { text: "The text is still mine." })).status, 200);

  const gone = await story(ann);
  assert.equal((await del(ann, `/api/news/items/${gone.id}`)).status, 204);
  expectError(assert, await moderate(mod, { action: "edit_title", item: gone.id, title: "Renamed", reason: "x" }), 409, "conflict");
  const c = await comment(ann, s.id, "On a story about to die");
  assert.equal((await moderate(mod, { action: "kill", item: s.id, reason: "Spam" })).status, 201);
  const listed = (await get(null, `/api/news/users/${ann.user.username}/comments`)).json.comments.find((x) => x.id === c.id);
  assert.equal(listed.story_title, "[dead]", "a dead story's title is not shown through its comments");
});

test("review: one address holds at most 20 live copies of a page", async () => {
  const ann = await signUp();
  const s = await story(ann);
  const open = [];
  for (let i = 0; i < 20; i++) open.push(await follow(`/api/news/items/${s.id}/live`));
  assert.equal(await upgradeStatus({}, `/api/news/items/${s.id}/live`), 429);
  open.pop().close();
  await new Promise((r) => setTimeout(r, 300));
  const again = await follow(`/api/news/items/${s.id}/live`);
  again.close();
  for (const socket of open) socket.close();
});

test("review: a vote toggled by a script is stopped at 30 changes a minute (429 with Retry-After)", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const s = await story(ann);
  const path = `/api/news/items/${s.id}/vote`;
  let last;
  // 70 tries: a minute's window may turn over once while they run.
  for (let i = 0; i < 70 && !(last?.status === 429); i++) {
    last = i % 2 === 0 ? await post(bob, path, { direction: "up" }) : await del(bob, path);
  }
  expectError(assert, last, 429, "rate_limited");
  assert.ok(Number(last.headers.get("retry-after")) >= 1);
  // The votes that counted left the story as it should be: Bob's vote stands or not, once.
  const points = rows(d1(`SELECT points FROM news_items WHERE id = ${s.id}`))[0].points;
  const votes = rows(d1(`SELECT COUNT(*) AS n FROM news_votes WHERE item_id = ${s.id}`))[0].n;
  assert.equal(Number(points), 1 + Number(votes));
});

test("review: a dead story's live page is followed by its shadow-banned author (told nothing), not by strangers", async () => {
  const [mod, ann] = await Promise.all([moderator(), signUp()]);
  assert.equal((await moderate(mod, { action: "shadow_ban", username: ann.user.username, reason: "Spam ring" })).status, 201);
  const s = await story(ann);
  const path = `/api/news/items/${s.id}/live`;
  assert.equal(await upgradeStatus({ cookie: `dozen_session=${sessionToken(ann.jar)}` }, path), 101);
  assert.equal(await upgradeStatus({}, path), 404);
  assert.equal(await upgradeStatus({ cookie: `dozen_session=${sessionToken(mod.jar)}` }, path), 101);
});
