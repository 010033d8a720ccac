// Cricket around the ball against `wrangler dev`: a live match's chat (anyone reads, people
// signed in write, messages cleaned to one line and bounded, five in fifteen seconds, authors and
// moderators take them down, moderators mute), its polls (moderators open at most three, one vote
// a person even when fired at once, results reaching every viewer's socket), following teams and
// players, matches watched, and the home built from both, each person's own. An imported match
// has no chat and no polls; the live state's revision only rises, even when an undo and a new
// ball leave `seq` where it was.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { after, test } from "node:test";
import { d1, expectError, signUp } from "../support/api.mjs";
import { ball, del, get, post, sleep, viewer, xi } from "../support/cricket.mjs";
import { closeAllFrameSockets } from "../support/frame-socket.mjs";

after(() => closeAllFrameSockets());

// Team (and so player) names of this run only: the suites share one server.
const TAG = randomBytes(3).toString("hex");
const team = (name) => `${name} ${TAG}`;

/** A live match of `a` v `b` made by `who` (T20, two overs); its header. */
async function makeMatch(who, [a, b], start_date = "2026-12-05") {
  const res = await post(who, "/api/cricket/matches", {
    teams: [a, b],
    players: { [a]: xi(a), [b]: xi(b) },
    match_type: "T20",
    overs: 2,
    start_date,
  });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

/** Starts `m`'s first innings and bowls one dot ball: the match is live. */
async function goLive(who, m) {
  const [a, b] = m.teams;
  const started = await post(who, `/api/cricket/matches/${m.id}/events`, { type: "start_innings", team: a });
  assert.equal(started.status, 200, started.text);
  const first = await post(who, `/api/cricket/matches/${m.id}/deliveries`, ball(`${a} 1`, `${a} 2`, `${b} 11`));
  assert.equal(first.status, 200, first.text);
  return first.json;
}

/** Imports a real Cricsheet file; one this server has already (another suite's) is found instead. */
async function importFile(who, file) {
  const raw = readFileSync(new URL(`../../shared/tests/data/cricsheet/${file}`, import.meta.url), "utf8");
  const res = await post(who, "/api/cricket/matches/import", raw);
  if (res.status === 409) return /it is match (\w+)/.exec(res.json.error.message)[1];
  assert.equal(res.status, 201, res.text);
  return res.json.id;
}

/** A ULID (Crockford base32) for unix ms `ms`, as the worker makes message ids. */
function ulid(ms) {
  const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  let time = "";
  for (let t = ms, i = 0; i < 10; i++, t = Math.floor(t / 32)) time = ALPHABET[t % 32] + time;
  return time + Array.from(randomBytes(16), (b) => ALPHABET[b % 32]).join("");
}

const people = {};
let match; // the live match the chat and polls are about
let imported;

test("setup: scorers, fans, a live match and an imported one", async () => {
  const [scorer, helper, a, b, c, d, e, f] = await Promise.all(Array.from({ length: 8 }, () => signUp()));
  Object.assign(people, { scorer, helper, a, b, c, d, e, f });
  match = await makeMatch(scorer, [team("Mavericks"), team("Dynamos")]);
  const invited = await post(scorer, `/api/cricket/matches/${match.id}/scorers`, { username: helper.user.username });
  assert.equal(invited.status, 200, invited.text);
  assert.deepEqual(invited.json, [scorer.user.username, helper.user.username], "the scorers now, the creator first");
  imported = await importFile(scorer, "1082591.json");
});

test("chat: anyone reads, people signed in write, one clean line of up to 280; two viewers see each message", async () => {
  const { scorer, helper, a } = people;
  const path = `/api/cricket/matches/${match.id}/chat`;
  const empty = await get(null, path);
  assert.equal(empty.status, 200, empty.text);
  assert.deepEqual(empty.json, { messages: [], next_before: null });

  const viewers = await Promise.all([viewer(match.id), viewer(match.id)]);
  for (const v of viewers) await v.next((f) => f.type === "state", 5000, "the state on joining");

  expectError(assert, await post(null, path, { body: "hello" }), 401, "unauthenticated");
  expectError(assert, await post(a, path, { body: " \n\t " }), 422, "validation_failed", "body");
  expectError(assert, await post(a, path, { body: "x".repeat(281) }), 422, "validation_failed", "body");
  expectError(assert, await post(a, path, {}), 422, "validation_failed");

  const sent = await post(a, path, { body: "  What a\nshot!\t\u0007  Great   stuff  " });
  assert.equal(sent.status, 201, sent.text);
  const message = sent.json;
  assert.deepEqual(Object.keys(message).sort(), ["body", "id", "moderator", "sent_at", "username"]);
  assert.equal(message.body, "What a shot! Great stuff");
  assert.equal(message.username, a.user.username);
  assert.equal(message.moderator, false);
  assert.ok(Math.abs(message.sent_at - Date.now()) < 60_000, "sent_at is unix ms");
  for (const v of viewers) {
    const frame = await v.next((f) => f.type === "chat" && f.id === message.id, 5000, "the chat frame");
    assert.deepEqual(frame, { type: "chat", ...message });
  }

  // 280 characters (not bytes) is the most.
  const bats = await post(a, path, { body: "🏏".repeat(280) });
  assert.equal(bats.status, 201, bats.text);
  // The match's creator and its invited scorer are moderators.
  const fromScorer = await post(scorer, path, { body: "Welcome, everyone" });
  assert.equal(fromScorer.status, 201, fromScorer.text);
  assert.equal(fromScorer.json.moderator, true);
  const fromHelper = await post(helper, path, { body: "Drinks break soon" });
  assert.equal(fromHelper.status, 201, fromHelper.text);
  assert.equal(fromHelper.json.moderator, true);
  for (const v of viewers) {
    const frame = await v.next((f) => f.type === "chat" && f.id === fromHelper.json.id, 5000, "the helper's frame");
    assert.equal(frame.moderator, true);
  }

  const page = await get(null, path);
  assert.equal(page.status, 200, page.text);
  assert.deepEqual(
    page.json.messages.map((m) => [m.id, m.body, m.moderator]),
    [message, bats.json, fromScorer.json, fromHelper.json].map((m) => [m.id, m.body, m.moderator]),
    "oldest first",
  );
  assert.equal(page.json.next_before, null);
  expectError(assert, await get(null, `/api/cricket/matches/nosuchmatch/chat`), 404, "not_found");
  for (const v of viewers) v.close();
});

test("chat pages: the newest fifty, oldest first, then the page before", async () => {
  const { scorer, a } = people;
  const paged = await makeMatch(scorer, [team("Pagers"), team("Scrollers")]);
  // Fifty-five older messages, written straight to D1 (the rate limit would take minutes).
  const start = Date.now() - 3_600_000;
  const seeded = Array.from({ length: 55 }, (_, i) => ({ id: ulid(start + i * 1000), body: `old ${i}`, at: start + i * 1000 }));
  d1(
    "INSERT INTO cricket_chat (id, match_id, user_id, body, sent_at) VALUES " +
      seeded
        .map((m) => `('${m.id}', '${paged.id}', (SELECT id FROM auth_users WHERE username = '${a.user.username}'), '${m.body}', ${m.at})`)
        .join(", "),
  );
  const newest = await post(a, `/api/cricket/matches/${paged.id}/chat`, { body: "new" });
  assert.equal(newest.status, 201, newest.text);
  const first = await get(null, `/api/cricket/matches/${paged.id}/chat`);
  assert.equal(first.status, 200, first.text);
  assert.equal(first.json.messages.length, 50);
  assert.deepEqual(
    first.json.messages.map((m) => m.body),
    [...seeded.slice(6).map((m) => m.body), "new"],
  );
  assert.equal(first.json.next_before, seeded[6].id);
  const before = await get(null, `/api/cricket/matches/${paged.id}/chat?before=${first.json.next_before}`);
  assert.equal(before.status, 200, before.text);
  assert.deepEqual(before.json.messages.map((m) => m.body), seeded.slice(0, 6).map((m) => m.body));
  assert.equal(before.json.next_before, null);
  people.paged = paged;
});

test("chat: five messages in fifteen seconds, the sixth is 429 with Retry-After (even when sent at once)", async () => {
  const { a } = people;
  const chatty = await signUp();
  // The window is fixed (fifteen seconds of the clock): start well inside one.
  const into = Date.now() % 15_000;
  if (into > 9_000) await sleep(15_000 - into + 200);
  const path = `/api/cricket/matches/${match.id}/chat`;
  const burst = await Promise.all(Array.from({ length: 6 }, (_, i) => post(chatty, path, { body: `message ${i}` })));
  assert.deepEqual(burst.map((r) => r.status).sort(), [201, 201, 201, 201, 201, 429], burst.map((r) => r.text).join(" / "));
  const limited = burst.find((r) => r.status === 429);
  expectError(assert, limited, 429, "rate_limited");
  const retry = Number(limited.headers.get("retry-after"));
  assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 15, `Retry-After ${limited.headers.get("retry-after")}`);
  expectError(assert, await post(chatty, path, { body: "one more" }), 429, "rate_limited");
  // The limit is per person and per match.
  assert.equal((await post(a, path, { body: "still here" })).status, 201);
  assert.equal((await post(chatty, `/api/cricket/matches/${people.paged.id}/chat`, { body: "elsewhere" })).status, 201);
  const kept = (await get(null, path)).json.messages.filter((m) => m.username === chatty.user.username);
  assert.equal(kept.length, 5, "only the five accepted were kept");
});

test("chat: authors and moderators take messages down, everyone's socket hears it; others cannot", async () => {
  const { helper, a, b } = people;
  const path = `/api/cricket/matches/${match.id}/chat`;
  const watching = await viewer(match.id);
  const mine = (await post(b, path, { body: "I may regret this" })).json;
  const theirs = (await post(a, path, { body: "Umpire needs glasses" })).json;

  expectError(assert, await del(null, `${path}/${mine.id}`), 401, "unauthenticated");
  expectError(assert, await del(a, `${path}/${mine.id}`), 403, "forbidden");
  assert.equal((await del(b, `${path}/${mine.id}`)).status, 204);
  assert.deepEqual(await watching.next((f) => f.type === "chat_removed", 5000, "chat_removed"), { type: "chat_removed", id: mine.id });
  expectError(assert, await del(b, `${path}/${mine.id}`), 404, "not_found");

  // A moderator (the invited scorer) takes down someone else's message.
  assert.equal((await del(helper, `${path}/${theirs.id}`)).status, 204);
  assert.deepEqual(await watching.next((f) => f.type === "chat_removed", 5000, "chat_removed"), { type: "chat_removed", id: theirs.id });
  expectError(assert, await del(a, `${path}/${theirs.id}`), 404, "not_found");
  expectError(assert, await del(helper, `${path}/01ZZZZZZZZZZZZZZZZZZZZZZZZ`), 404, "not_found");

  const ids = (await get(null, path)).json.messages.map((m) => m.id);
  assert.ok(!ids.includes(mine.id) && !ids.includes(theirs.id), "removed messages are gone from the chat");

  // A message belongs to its match, and a moderator moderates only their own matches: the helper
  // scores this match, not the paged one.
  const elsewhere = (await post(a, `/api/cricket/matches/${people.paged.id}/chat`, { body: "Other ground" })).json;
  expectError(assert, await del(a, `${path}/${elsewhere.id}`), 404, "not_found");
  expectError(assert, await del(helper, `/api/cricket/matches/${people.paged.id}/chat/${elsewhere.id}`), 403, "forbidden");
  assert.ok((await get(null, `/api/cricket/matches/${people.paged.id}/chat`)).json.messages.some((m) => m.id === elsewhere.id));
  watching.close();
});

test("mutes: moderators mute for 1 to 1,440 minutes; the muted get 403 with Retry-After; scorers cannot be muted", async () => {
  const { scorer, helper, a, b } = people;
  const path = `/api/cricket/matches/${match.id}/mutes`;
  const target = b.user.username;
  expectError(assert, await post(null, path, { username: target, minutes: 10 }), 401, "unauthenticated");
  expectError(assert, await post(a, path, { username: target, minutes: 10 }), 403, "forbidden");
  expectError(assert, await post(scorer, path, { username: target, minutes: 0 }), 422, "validation_failed", "minutes");
  expectError(assert, await post(scorer, path, { username: target, minutes: 1441 }), 422, "validation_failed", "minutes");
  expectError(assert, await post(scorer, path, { username: "no-such-person-here", minutes: 10 }), 422, "validation_failed", "username");
  expectError(assert, await post(scorer, path, { username: helper.user.username, minutes: 10 }), 422, "validation_failed", "username");
  expectError(assert, await post(helper, path, { username: scorer.user.username, minutes: 10 }), 422, "validation_failed", "username");

  const mute = await post(helper, path, { username: target, minutes: 10 });
  assert.equal(mute.status, 200, mute.text);
  assert.equal(mute.json.username, target);
  assert.ok(Math.abs(mute.json.until - (Date.now() + 600_000)) < 30_000, "muted for ten minutes from now");
  const muted = await post(b, `/api/cricket/matches/${match.id}/chat`, { body: "Let me speak" });
  expectError(assert, muted, 403, "forbidden");
  const retry = Number(muted.headers.get("retry-after"));
  assert.ok(retry > 590 && retry <= 600, `Retry-After ${muted.headers.get("retry-after")}`);
  // A longer mute replaces the shorter.
  assert.equal((await post(scorer, path, { username: target, minutes: 1440 })).status, 200);
  const longer = await post(b, `/api/cricket/matches/${match.id}/chat`, { body: "Please" });
  expectError(assert, longer, 403, "forbidden");
  assert.ok(Number(longer.headers.get("retry-after")) > 86_000);
  // Only in this match; and a muted fan still reads.
  assert.equal((await post(b, `/api/cricket/matches/${people.paged.id}/chat`, { body: "Over here then" })).status, 201);
  assert.equal((await get(b, `/api/cricket/matches/${match.id}/chat`)).status, 200);
});

test("an imported match has no chat and no polls (409); unknown ones are 404", async () => {
  const { scorer, a } = people;
  const base = `/api/cricket/matches/${imported}`;
  expectError(assert, await get(null, `${base}/chat`), 409, "conflict");
  expectError(assert, await post(a, `${base}/chat`, { body: "hi" }), 409, "conflict");
  expectError(assert, await del(scorer, `${base}/chat/01ZZZZZZZZZZZZZZZZZZZZZZZZ`), 409, "conflict");
  expectError(assert, await post(scorer, `${base}/mutes`, { username: a.user.username, minutes: 5 }), 409, "conflict");
  expectError(assert, await get(null, `${base}/polls`), 409, "conflict");
  expectError(assert, await post(scorer, `${base}/polls`, { kind: "winner" }), 409, "conflict");
  expectError(assert, await post(a, `${base}/polls/01ZZZZZZZZZZZZZZZZZZZZZZZZ/votes`, { option: 0 }), 409, "conflict");
  expectError(assert, await get(null, `/api/cricket/matches/nosuchmatch/polls`), 404, "not_found");
  // The literal path wins over a match called "import".
  const wrong = await get(null, "/api/cricket/matches/import");
  expectError(assert, wrong, 405, "method_not_allowed");
  assert.match(wrong.headers.get("allow") ?? "", /POST/);
});

const polls = {};

test("polls: moderators open who-wins, next-wicket and their own; at most three open; viewers see each", async () => {
  const { scorer, helper, a } = people;
  const path = `/api/cricket/matches/${match.id}/polls`;
  const watching = await viewer(match.id);
  const listed = await get(null, path);
  assert.equal(listed.status, 200, listed.text);
  assert.deepEqual(listed.json, []);

  expectError(assert, await post(null, path, { kind: "winner" }), 401, "unauthenticated");
  expectError(assert, await post(a, path, { kind: "winner" }), 403, "forbidden");
  expectError(assert, await post(scorer, path, { kind: "toss" }), 422, "validation_failed", "kind");
  const custom = (question, options) => post(scorer, path, { kind: "custom", question, options });
  expectError(assert, await custom("", ["a", "b"]), 422, "validation_failed", "question");
  expectError(assert, await custom("q".repeat(141), ["a", "b"]), 422, "validation_failed", "question");
  expectError(assert, await custom("Best shot?", ["Drive"]), 422, "validation_failed", "options");
  expectError(assert, await custom("Best shot?", ["Drive", " drive "]), 422, "validation_failed", "options");
  expectError(assert, await custom("Best shot?", ["a", "b", "c", "d", "e", "f", "g"]), 422, "validation_failed", "options");
  expectError(assert, await custom("Best shot?", ["a", " "]), 422, "validation_failed", "options");

  const winner = await post(scorer, path, { kind: "winner" });
  assert.equal(winner.status, 201, winner.text);
  assert.deepEqual(
    { ...winner.json, id: undefined },
    { id: undefined, question: "Who wins the match?", options: [...match.teams, "Tie"], votes: [0, 0, 0], total: 0, closed: false },
  );
  const wicket = await post(helper, path, { kind: "next_wicket" });
  assert.equal(wicket.status, 201, wicket.text);
  assert.deepEqual(wicket.json.options, ["Caught", "Bowled", "LBW", "Run out", "Another way"]);
  assert.deepEqual(wicket.json.votes, [0, 0, 0, 0, 0]);
  const shot = await custom("  Best   shot  so far? ", ["Cover drive", "  Pull ", "Sweep"]);
  assert.equal(shot.status, 201, shot.text);
  assert.equal(shot.json.question, "Best shot so far?");
  assert.deepEqual(shot.json.options, ["Cover drive", "Pull", "Sweep"]);
  Object.assign(polls, { winner: winner.json, wicket: wicket.json, shot: shot.json });

  for (const p of [winner.json, wicket.json, shot.json]) {
    const frame = await watching.next((f) => f.type === "poll" && f.id === p.id, 5000, `the poll frame of ${p.question}`);
    assert.deepEqual(frame, { type: "poll", ...p });
  }
  expectError(assert, await post(scorer, path, { kind: "winner" }), 409, "conflict");
  const all = (await get(null, path)).json;
  assert.deepEqual(all.map((p) => p.id), [shot.json.id, wicket.json.id, winner.json.id], "newest first");
  watching.close();
});

test("polls: a Test's winner poll offers a draw; five opened at once make exactly three; a poll belongs to its match", async () => {
  const { scorer, helper, a } = people;
  const made = await post(scorer, "/api/cricket/matches", {
    teams: [team("Lords"), team("Ovals")],
    players: { [team("Lords")]: xi(team("Lords")), [team("Ovals")]: xi(team("Ovals")) },
    match_type: "Test",
    start_date: "2026-12-10",
  });
  assert.equal(made.status, 201, made.text);
  const path = `/api/cricket/matches/${made.json.id}/polls`;
  // The helper scores the first match, not this one.
  expectError(assert, await post(helper, path, { kind: "winner" }), 403, "forbidden");
  const opened = await Promise.all(Array.from({ length: 5 }, () => post(scorer, path, { kind: "winner" })));
  assert.deepEqual(opened.map((r) => r.status).sort(), [201, 201, 201, 409, 409], opened.map((r) => r.text).join(" / "));
  const drawn = opened.find((r) => r.status === 201).json;
  assert.deepEqual(drawn.options, [team("Lords"), team("Ovals"), "Draw"]);
  assert.equal((await get(null, path)).json.length, 3);
  // A poll of one match is unknown in another.
  const wrongMatch = `/api/cricket/matches/${match.id}/polls/${drawn.id}`;
  expectError(assert, await post(a, `${wrongMatch}/votes`, { option: 0 }), 404, "not_found");
  expectError(assert, await post(scorer, `${wrongMatch}/close`), 404, "not_found");
});

test("votes: one a person, never changed; refused when out of range; the socket hears totals but never whose", async () => {
  const { scorer, helper, a, b, c, d, e, f } = people;
  const watching = await viewer(match.id);
  const votes = (poll) => `/api/cricket/matches/${match.id}/polls/${poll.id}/votes`;
  expectError(assert, await post(null, votes(polls.winner), { option: 0 }), 401, "unauthenticated");
  expectError(assert, await post(a, votes(polls.winner), { option: 3 }), 422, "validation_failed", "option");
  expectError(assert, await post(a, votes(polls.winner), { option: -1 }), 422, "validation_failed", "option");
  expectError(assert, await post(a, `/api/cricket/matches/${match.id}/polls/01ZZZZZZZZZZZZZZZZZZZZZZZZ/votes`, { option: 0 }), 404, "not_found");

  const voted = await post(a, votes(polls.winner), { option: 1 });
  assert.equal(voted.status, 201, voted.text);
  assert.deepEqual([voted.json.votes, voted.json.total, voted.json.my_vote], [[0, 1, 0], 1, 1]);
  const frame = await watching.next((f) => f.type === "poll" && f.id === polls.winner.id && f.total === 1, 5000, "the vote's frame");
  assert.deepEqual(frame.votes, [0, 1, 0]);
  assert.ok(!("my_vote" in frame), "the socket never says whose vote");
  expectError(assert, await post(a, votes(polls.winner), { option: 0 }), 409, "conflict");
  expectError(assert, await post(a, votes(polls.winner), { option: 1 }), 409, "conflict");

  const mineOf = (list) => list.find((p) => p.id === polls.winner.id);
  assert.equal(mineOf((await get(a, `/api/cricket/matches/${match.id}/polls`)).json).my_vote, 1);
  assert.ok(!("my_vote" in mineOf((await get(b, `/api/cricket/matches/${match.id}/polls`)).json)));
  assert.ok(!("my_vote" in mineOf((await get(null, `/api/cricket/matches/${match.id}/polls`)).json)));

  // One person voting five times at once: one vote counts.
  const race = await Promise.all(Array.from({ length: 5 }, (_, i) => post(c, votes(polls.wicket), { option: i })));
  assert.deepEqual(race.map((r) => r.status).sort(), [201, 409, 409, 409, 409], race.map((r) => r.text).join(" / "));
  for (const r of race.filter((r) => r.status === 409)) expectError(assert, r, 409, "conflict");
  const wicketNow = (await get(c, `/api/cricket/matches/${match.id}/polls`)).json.find((p) => p.id === polls.wicket.id);
  assert.equal(wicketNow.total, 1);
  assert.equal(wicketNow.my_vote, race.findIndex((r) => r.status === 201));

  // Seven people voting at once: every vote counts, exactly.
  const choices = [[b, 0], [c, 0], [d, 2], [e, 1], [f, 0], [scorer, 1], [helper, 0]];
  const answers = await Promise.all(choices.map(([who, option]) => post(who, votes(polls.winner), { option })));
  assert.deepEqual(answers.map((r) => r.status), choices.map(() => 201), answers.map((r) => r.text).join(" / "));
  answers.forEach((r, i) => assert.equal(r.json.my_vote, choices[i][1]));
  const tallied = mineOf((await get(null, `/api/cricket/matches/${match.id}/polls`)).json);
  assert.deepEqual([tallied.votes, tallied.total], [[4, 3, 1], 8]);
  const last = await watching.next((f) => f.type === "poll" && f.id === polls.winner.id && f.total === 8, 5000, "the frame with all eight");
  assert.deepEqual(last.votes, [4, 3, 1]);
  watching.close();
});

test("closing: moderators close a poll, it keeps its results and takes no votes; then a fourth can open", async () => {
  const { scorer, helper, a } = people;
  const watching = await viewer(match.id);
  const close = (who, poll) => post(who, `/api/cricket/matches/${match.id}/polls/${poll.id}/close`);
  expectError(assert, await close(null, polls.winner), 401, "unauthenticated");
  expectError(assert, await close(a, polls.winner), 403, "forbidden");
  expectError(assert, await close(scorer, { id: "01ZZZZZZZZZZZZZZZZZZZZZZZZ" }), 404, "not_found");
  const closed = await close(helper, polls.winner);
  assert.equal(closed.status, 200, closed.text);
  assert.equal(closed.json.closed, true);
  assert.deepEqual([closed.json.votes, closed.json.total], [[4, 3, 1], 8]);
  const frame = await watching.next((f) => f.type === "poll" && f.id === polls.winner.id && f.closed, 5000, "the closed poll");
  assert.equal(frame.total, 8);
  expectError(assert, await close(scorer, polls.winner), 409, "conflict");
  const late = await signUp();
  expectError(assert, await post(late, `/api/cricket/matches/${match.id}/polls/${polls.winner.id}/votes`, { option: 0 }), 409, "conflict");

  const fourth = await post(scorer, `/api/cricket/matches/${match.id}/polls`, { kind: "custom", question: "Rain today?", options: ["Yes", "No"] });
  assert.equal(fourth.status, 201, fourth.text);
  expectError(assert, await post(scorer, `/api/cricket/matches/${match.id}/polls`, { kind: "winner" }), 409, "conflict");
  const all = (await get(null, `/api/cricket/matches/${match.id}/polls`)).json;
  assert.equal(all.length, 4);
  assert.equal(all[0].id, fourth.json.id);
  assert.deepEqual(all.filter((p) => p.closed).map((p) => p.id), [polls.winner.id]);
  watching.close();
});

test("the live state's revision only rises: a ball, an undo and a ball leave seq where it was, revision up by three", async () => {
  const { scorer } = people;
  const m = await makeMatch(scorer, [team("Risers"), team("Fallers")]);
  const watching = await viewer(m.id);
  const joined = await watching.next((f) => f.type === "state", 5000, "the state on joining");
  assert.deepEqual([joined.seq, joined.revision], [0, 0]);
  const before = await goLive(scorer, m);
  const [a, b] = m.teams;
  const first = await post(scorer, `/api/cricket/matches/${m.id}/deliveries`, ball(`${a} 1`, `${a} 2`, `${b} 11`, 1));
  assert.equal(first.status, 200, first.text);
  const undone = await post(scorer, `/api/cricket/matches/${m.id}/undo`);
  assert.equal(undone.status, 200, undone.text);
  const again = await post(scorer, `/api/cricket/matches/${m.id}/deliveries`, ball(`${a} 1`, `${a} 2`, `${b} 11`, 2));
  assert.equal(again.status, 200, again.text);
  assert.equal(first.json.seq, before.seq + 1);
  assert.equal(undone.json.seq, before.seq);
  assert.equal(again.json.seq, first.json.seq);
  assert.deepEqual([first.json.revision, undone.json.revision, again.json.revision], [1, 2, 3].map((n) => before.revision + n));
  const last = await watching.next((f) => f.type === "state" && f.revision === before.revision + 3, 5000, "the last state");
  assert.equal(last.seq, again.json.seq);
  assert.equal(last.scores[0].runs, 2);
  const revisions = watching.frames.filter((f) => f.type === "state").map((f) => f.revision);
  assert.deepEqual(revisions, [...revisions].sort((x, y) => x - y), "revisions seen only rise");
  watching.close();
});

test("follows: teams by name and players by id, each once; unknown ones 404; unfollowing", async () => {
  const { a } = people;
  const header = (await get(null, `/api/cricket/matches/${match.id}`)).json;
  const playerName = `${match.teams[0]} 3`;
  const playerId = header.player_ids[playerName];
  assert.ok(playerId, JSON.stringify(header.player_ids));

  expectError(assert, await post(null, "/api/cricket/follows", { kind: "team", target: match.teams[0] }), 401, "unauthenticated");
  expectError(assert, await get(null, "/api/cricket/follows"), 401, "unauthenticated");
  const fan = await signUp();
  const followed = await post(fan, "/api/cricket/follows", { kind: "team", target: match.teams[0] });
  assert.equal(followed.status, 201, followed.text);
  assert.deepEqual(followed.json, { kind: "team", target: match.teams[0], name: match.teams[0] });
  const again = await post(fan, "/api/cricket/follows", { kind: "team", target: match.teams[0] });
  assert.equal(again.status, 200, again.text);
  assert.deepEqual(again.json, followed.json);
  expectError(assert, await post(fan, "/api/cricket/follows", { kind: "team", target: `Nobody XI ${TAG}` }), 404, "not_found");
  expectError(assert, await post(fan, "/api/cricket/follows", { kind: "club", target: match.teams[0] }), 422, "validation_failed", "kind");
  expectError(assert, await post(fan, "/api/cricket/follows", { kind: "team", target: "   " }), 422, "validation_failed", "target");
  // A team of an imported match counts too (followed, then unfollowed below).
  const fromFile = await post(fan, "/api/cricket/follows", { kind: "team", target: " Sunrisers Hyderabad " });
  assert.equal(fromFile.status, 201, fromFile.text);
  assert.deepEqual(fromFile.json, { kind: "team", target: "Sunrisers Hyderabad", name: "Sunrisers Hyderabad" });
  assert.equal((await del(fan, "/api/cricket/follows?kind=team&target=Sunrisers%20Hyderabad")).status, 204);
  expectError(assert, await post(fan, "/api/cricket/follows", { kind: "player", target: "dz000000000000" }), 404, "not_found");
  const player = await post(fan, "/api/cricket/follows", { kind: "player", target: playerId });
  assert.equal(player.status, 201, player.text);
  assert.deepEqual(player.json, { kind: "player", target: playerId, name: playerName });

  const list = await get(fan, "/api/cricket/follows");
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(list.json, [followed.json, player.json]);
  // Someone else's list is their own.
  assert.deepEqual((await get(a, "/api/cricket/follows")).json, []);

  const unfollow = (who, kind, target) =>
    del(who, `/api/cricket/follows?kind=${kind}&target=${encodeURIComponent(target)}`);
  expectError(assert, await unfollow(null, "team", match.teams[0]), 401, "unauthenticated");
  expectError(assert, await unfollow(a, "team", match.teams[0]), 404, "not_found");
  expectError(assert, await unfollow(fan, "club", match.teams[0]), 422, "validation_failed", "kind");
  assert.equal((await unfollow(fan, "team", match.teams[0])).status, 204);
  expectError(assert, await unfollow(fan, "team", match.teams[0]), 404, "not_found");
  assert.deepEqual((await get(fan, "/api/cricket/follows")).json, [player.json]);
});

test("home: followed teams' and players' matches live first, then upcoming, then results; picks from what was watched; each person's own", async () => {
  const { scorer } = people;
  const [ann, ben, newcomer] = await Promise.all([signUp(), signUp(), signUp()]);
  const T = team("Titans");
  const R = team("Rovers");
  // Ann follows T (three matches: one finished, one to come, one being played) and a player of R.
  const done = await makeMatch(scorer, [T, team("Opp A")], "2026-11-01");
  const later = await makeMatch(scorer, [team("Opp B"), T], "2026-11-20");
  const now = await makeMatch(scorer, [T, team("Opp C")], "2026-11-10");
  const theirs = await makeMatch(scorer, [R, team("Opp D")], "2026-11-15");
  await goLive(scorer, done);
  const finished = await post(scorer, `/api/cricket/matches/${done.id}/events`, { type: "finish", outcome: { result: "no result" } });
  assert.equal(finished.status, 200, finished.text);
  await goLive(scorer, now);
  const playerName = `${R} 7`;
  const playerId = (await get(null, `/api/cricket/matches/${theirs.id}`)).json.player_ids[playerName];
  assert.equal((await post(ann, "/api/cricket/follows", { kind: "team", target: T })).status, 201);
  assert.equal((await post(ann, "/api/cricket/follows", { kind: "player", target: playerId })).status, 201);

  // Ben follows Q and watched X v Y.
  const X = team("Xenon");
  const Q = team("Quasar");
  const watched = await makeMatch(scorer, [X, team("Yonder")], "2026-11-05");
  const alike = await makeMatch(scorer, [team("Zephyr"), X], "2026-11-06");
  const followedToo = await makeMatch(scorer, [X, Q], "2026-11-07");
  assert.equal((await post(ben, "/api/cricket/follows", { kind: "team", target: Q })).status, 201);

  expectError(assert, await post(null, `/api/cricket/matches/${watched.id}/watch`), 401, "unauthenticated");
  expectError(assert, await post(ben, `/api/cricket/matches/nosuchmatch/watch`), 404, "not_found");
  assert.equal((await post(ben, `/api/cricket/matches/${watched.id}/watch`)).status, 204);
  assert.equal((await post(ben, `/api/cricket/matches/${watched.id}/watch`)).status, 204, "watching again is fine");
  // Ann watched it too (her follows still come first in her home).
  assert.equal((await post(ann, `/api/cricket/matches/${watched.id}/watch`)).status, 204);

  const annHome = await get(ann, "/api/cricket/home");
  assert.equal(annHome.status, 200, annHome.text);
  assert.deepEqual(annHome.json.follows.map((f) => [f.kind, f.target, f.name]), [["team", T, T], ["player", playerId, playerName]]);
  assert.deepEqual(
    annHome.json.following.map((p) => [p.match.id, p.match.status, p.reason]),
    [
      [now.id, "live", `You follow ${T}`],
      [later.id, "upcoming", `You follow ${T}`],
      [theirs.id, "upcoming", `You follow ${playerName}`],
      [done.id, "completed", `You follow ${T}`],
    ],
  );
  const annIds = [done, later, now, theirs].map((m) => m.id);

  const benHome = (await get(ben, "/api/cricket/home")).json;
  assert.deepEqual(benHome.follows, [{ kind: "team", target: Q, name: Q }]);
  assert.deepEqual(benHome.following.map((p) => [p.match.id, p.reason]), [[followedToo.id, `You follow ${Q}`]]);
  assert.deepEqual(benHome.recommended.map((p) => [p.match.id, p.reason]), [[alike.id, `Because you watched ${X}`]]);
  // Nobody else's follows reach Ben's home, and his never reach Ann's.
  const benIds = [...benHome.following, ...benHome.recommended].map((p) => p.match.id);
  assert.ok(annIds.every((id) => !benIds.includes(id)), "Ann's follows are not in Ben's home");
  assert.ok(!annHome.json.following.some((p) => p.match.id === followedToo.id));

  // Without a session (or having watched nothing): what other fans watched.
  for (const who of [null, newcomer]) {
    const home = await get(who, "/api/cricket/home");
    assert.equal(home.status, 200, home.text);
    assert.deepEqual(home.json.follows, []);
    assert.deepEqual(home.json.following, []);
    const popular = home.json.recommended.find((p) => p.match.id === watched.id);
    assert.ok(popular, JSON.stringify(home.json.recommended.map((p) => p.match.title)));
    assert.equal(popular.reason, "Popular with other fans");
    assert.ok(home.json.recommended.every((p) => p.reason === "Popular with other fans"));
    assert.ok(!home.json.recommended.some((p) => [alike.id, followedToo.id].includes(p.match.id)), "never watched, never popular");
  }
});
