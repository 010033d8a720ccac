// Cricket scored live against `wrangler dev`: a scorer makes a match and records balls while
// three viewers follow it over the match's socket (one Durable Object per match); a viewer who
// joins late gets the state at once; an undo reaches everyone; someone who is not a scorer cannot
// score until invited; impossible balls are refused with the reason and change nothing; the
// finished match scores, exports and counts in careers like an imported one.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { expectError, request, signUp } from "../support/api.mjs";
import { ball, post, viewer, xi } from "../support/cricket.mjs";
import { closeAllFrameSockets } from "../support/frame-socket.mjs";

after(() => closeAllFrameSockets());

/** The first state frame after event `seq`. */
const stateAt = (socket, seq) => socket.next((f) => f.type === "state" && f.seq === seq, 5000, `state ${seq}`);

const people = {};
let match;

test("a scorer makes a match; bad ones are refused field by field", async () => {
  const [scorer, helper, stranger] = await Promise.all([signUp(), signUp(), signUp()]);
  Object.assign(people, { scorer, helper, stranger });
  const good = {
    teams: ["Mumbai Mavericks", "Delhi Dynamos"],
    players: { "Mumbai Mavericks": xi("MM"), "Delhi Dynamos": xi("DD") },
    match_type: "T20",
    overs: 2,
    start_date: "2026-12-05",
    venue: "Wankhede Stadium, Mumbai",
    toss_winner: "Delhi Dynamos",
    toss_decision: "field",
  };
  expectError(assert, await post(null, "/api/cricket/matches", good), 401, "unauthenticated");
  const bad = async (change, field) =>
    expectError(assert, await post(scorer, "/api/cricket/matches", { ...good, ...change }), 422, "validation_failed", field);
  await bad({ teams: ["A", "A"] }, "teams");
  await bad({ match_type: "Gully" }, "match_type");
  await bad({ overs: undefined }, "overs");
  await bad({ match_type: "Test" }, "overs");
  await bad({ players: { "Mumbai Mavericks": xi("MM"), "Delhi Dynamos": ["DD 1"] } }, "players");
  await bad({ players: { "Mumbai Mavericks": xi("MM"), "Delhi Dynamos": xi("MM") } }, "players");
  await bad({ start_date: "tomorrow" }, "start_date");
  await bad({ toss_winner: "Chennai" }, "toss_winner");
  const made = await post(scorer, "/api/cricket/matches", good);
  assert.equal(made.status, 201, made.text);
  match = made.json;
  assert.equal(match.status, "upcoming");
  assert.equal(match.toss, "Delhi Dynamos won the toss and chose to field");
  const upcoming = await request("GET", "/api/cricket/matches?status=upcoming");
  assert.ok(upcoming.json.matches.some((m) => m.id === match.id));
});

test("three viewers follow the scorer ball by ball; a late joiner catches up; an undo reaches all", async () => {
  const { scorer } = people;
  const id = match.id;
  const viewers = await Promise.all([viewer(id), viewer(id), viewer(id)]);
  for (const v of viewers) {
    const first = await stateAt(v, 0);
    assert.equal(first.status, "upcoming");
  }
  const started = await post(scorer, `/api/cricket/matches/${id}/events`, { type: "start_innings", team: "Mumbai Mavericks" });
  assert.equal(started.status, 200, started.text);
  const balls = [
    ball("MM 1", "MM 2", "DD 11", 4, { note: "driven through the covers" }),
    ball("MM 1", "MM 2", "DD 11", 1),
    ball("MM 2", "MM 1", "DD 11", 0, { extras: { wides: 1 } }),
    ball("MM 2", "MM 1", "DD 11", 6),
    ball("MM 2", "MM 1", "DD 11", 0, { wickets: [{ player_out: "MM 2", kind: "caught", fielders: [{ name: "DD 4" }] }] }),
  ];
  for (const [i, b] of balls.entries()) {
    const res = await post(scorer, `/api/cricket/matches/${id}/deliveries`, b);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.seq, i + 2);
    for (const v of viewers) {
      const state = await stateAt(v, i + 2);
      assert.equal(state.status, "live");
    }
  }
  const state = viewers[0].frames.at(-1);
  assert.deepEqual(state.scores.map((s) => [s.runs, s.wickets]), [[12, 1]]);
  assert.equal(state.this_over.balls.join(" "), "4 1 wd 6 W");
  assert.ok(state.lines.some((l) => l.text === "DD 11 to MM 1, FOUR, driven through the covers"), JSON.stringify(state.lines));
  assert.ok(state.lines.some((l) => /OUT! MM 2 c DD 4 b DD 11/.test(l.text)));
  assert.equal(state.bowler.name, "DD 11");

  // A viewer who joins now gets the state at once.
  const late = await viewer(id);
  const caught = await stateAt(late, 6);
  assert.deepEqual(caught.scores, state.scores);
  assert.equal(caught.this_over.balls.length, 5);

  // Undo takes the wicket back, for everyone.
  const undone = await post(scorer, `/api/cricket/matches/${id}/undo`);
  assert.equal(undone.status, 200, undone.text);
  for (const v of [...viewers, late]) {
    const back = await v.next((f) => f.type === "state" && f.seq === 5 && f.scores[0]?.wickets === 0, 5000, "the undo");
    assert.equal(back.scores[0].runs, 12);
  }
  const card = (await request("GET", `/api/cricket/matches/${id}/scorecard`)).json;
  assert.equal(card.innings[0].wickets, 0);
  const commentary = (await request("GET", `/api/cricket/matches/${id}/commentary`)).json.lines;
  assert.equal(commentary[0].text, "DD 11 to MM 1, FOUR, driven through the covers");
});

test("only scorers score; impossible balls are refused with the reason and change nothing", async () => {
  const { scorer, helper, stranger } = people;
  const id = match.id;
  const b = ball("MM 2", "MM 1", "DD 11", 1);
  expectError(assert, await post(null, `/api/cricket/matches/${id}/deliveries`, b), 401, "unauthenticated");
  expectError(assert, await post(stranger, `/api/cricket/matches/${id}/deliveries`, b), 403, "forbidden");
  expectError(assert, await post(stranger, `/api/cricket/matches/${id}/undo`), 403, "forbidden");
  expectError(assert, await post(helper, `/api/cricket/matches/${id}/scorers`, { username: stranger.user.username }), 403, "forbidden");
  expectError(assert, await post(scorer, `/api/cricket/matches/${id}/scorers`, { username: "nobody-at-all" }), 422, "validation_failed", "username");
  const invited = await post(scorer, `/api/cricket/matches/${id}/scorers`, { username: helper.user.username });
  assert.equal(invited.status, 200, invited.text);
  assert.deepEqual(invited.json, [scorer.user.username, helper.user.username]);

  const before = (await request("GET", `/api/cricket/matches/${id}/scorecard`)).json;
  const refuse = async (body, status, code, pattern) => {
    const err = expectError(assert, await post(helper, `/api/cricket/matches/${id}/deliveries`, body), status, code);
    assert.match(err.message, pattern);
  };
  // The rest of DD 11's over is bowled by the invited scorer, then DD 11 may not bowl again.
  const over = [ball("MM 2", "MM 1", "DD 11", 1), ball("MM 1", "MM 2", "DD 11", 0), ball("MM 1", "MM 2", "DD 11", 0)];
  for (const x of over) assert.equal((await post(helper, `/api/cricket/matches/${id}/deliveries`, x)).status, 200);
  await refuse(ball("MM 1", "MM 2", "DD 11", 0), 422, "validation_failed", /bowled the last over/);
  await refuse(ball("MM 3", "MM 2", "DD 10", 0), 422, "validation_failed", /MM 1 is at the crease/);
  await refuse(ball("MM 1", "MM 2", "Nobody", 0), 422, "validation_failed", /not in Delhi Dynamos's side/);
  await refuse({ ...ball("MM 1", "MM 2", "DD 10", 2), runs: { batter: 2, extras: 0, total: 3 } }, 422, "validation_failed", /batter 2 \+ extras 0 make 2/);
  await refuse(ball("MM 1", "MM 2", "DD 10", 0, { extras: { noballs: 1 }, wickets: [{ player_out: "MM 1", kind: "bowled" }] }), 422, "validation_failed", /off a no-ball/);
  const stillThere = (await request("GET", `/api/cricket/matches/${id}/scorecard`)).json;
  assert.equal(stillThere.innings[0].legal_balls, before.innings[0].legal_balls + 3, "only the three good balls were added");
  expectError(assert, await post(helper, `/api/cricket/matches/${id}/events`, { type: "start_innings", team: "Delhi Dynamos" }), 409, "conflict");
  expectError(assert, await post(helper, `/api/cricket/matches/${id}/events`, { type: "declare" }), 409, "conflict");
  expectError(assert, await post(helper, `/api/cricket/matches/${id}/events`, { type: "lunch" }), 422, "validation_failed");
});

test("the finished match has its result, exports as Cricsheet and counts in careers", async () => {
  const { scorer } = people;
  const id = match.id;
  // Six balls of DD 10 end MM's two overs at 14/0; DD need 15 and get them off three balls.
  for (let i = 0; i < 6; i++) {
    const res = await post(scorer, `/api/cricket/matches/${id}/deliveries`, ball("MM 1", "MM 2", "DD 10", i === 5 ? 1 : 0));
    assert.equal(res.status, 200, res.text);
  }
  expectError(assert, await post(scorer, `/api/cricket/matches/${id}/deliveries`, ball("MM 1", "MM 2", "DD 9", 0)), 409, "conflict");
  const chase = await post(scorer, `/api/cricket/matches/${id}/events`, { type: "start_innings", team: "Delhi Dynamos" });
  assert.equal(chase.status, 200, chase.text);
  for (const runs of [6, 6, 3]) {
    const res = await post(scorer, `/api/cricket/matches/${id}/deliveries`, ball("DD 1", "DD 2", "MM 11", runs));
    assert.equal(res.status, 200, res.text);
  }
  const target = (await request("GET", `/api/cricket/matches/${id}/scorecard`)).json.innings[1];
  assert.equal(target.target, 15);
  assert.equal(target.runs, 15);
  const finished = await post(scorer, `/api/cricket/matches/${id}/events`, { type: "finish" });
  assert.equal(finished.status, 200, finished.text);
  assert.equal(finished.json.status, "completed");
  assert.equal(finished.json.result, "Delhi Dynamos won by 10 wickets");
  const header = (await request("GET", `/api/cricket/matches/${id}`)).json;
  assert.equal(header.status, "completed");
  assert.equal(header.result, "Delhi Dynamos won by 10 wickets");
  const exported = await request("GET", `/api/cricket/matches/${id}/cricsheet`);
  assert.deepEqual(exported.json.info.outcome, { winner: "Delhi Dynamos", by: { wickets: 10 } });
  assert.equal(exported.json.innings.length, 2);
  const stats = await request("GET", `/api/cricket/players/${header.player_ids["DD 1"]}/stats`);
  assert.equal(stats.status, 200, stats.text);
  assert.equal(stats.json.careers[0].runs, 15);
  // Undoing the finish takes the result (and the careers' line) back.
  assert.equal((await post(scorer, `/api/cricket/matches/${id}/undo`)).status, 200);
  expectError(assert, await request("GET", `/api/cricket/players/${header.player_ids["DD 1"]}/stats`), 404, "not_found");
  assert.equal((await post(scorer, `/api/cricket/matches/${id}/events`, { type: "finish" })).status, 200);
});

test("two scorers at once: a change made against a log that moved is refused, never applied twice", async () => {
  const { scorer, helper } = people;
  const made = await post(scorer, "/api/cricket/matches", {
    teams: ["Kochi Kites", "Surat Suns"], players: { "Kochi Kites": xi("KK"), "Surat Suns": xi("SS") },
    match_type: "T20", overs: 20, start_date: "2026-12-06",
  });
  assert.equal(made.status, 201, made.text);
  const id = made.json.id;
  assert.equal((await post(scorer, `/api/cricket/matches/${id}/scorers`, { username: helper.user.username })).status, 200);
  assert.equal((await post(scorer, `/api/cricket/matches/${id}/events?expected_seq=0`, { type: "start_innings", team: "Kochi Kites" })).status, 200);
  // Both saw one event and record the same ball: one lands, the other is told the log moved.
  const same = ball("KK 1", "KK 2", "SS 11", 4);
  const answers = await Promise.all([
    post(scorer, `/api/cricket/matches/${id}/deliveries?expected_seq=1`, same),
    post(helper, `/api/cricket/matches/${id}/deliveries?expected_seq=1`, same),
  ]);
  assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409], answers.map((a) => a.text).join(" / "));
  expectError(assert, answers.find((a) => a.status === 409), 409, "conflict");
  // Both press undo having seen two events: one undo happens.
  const undos = await Promise.all([
    post(scorer, `/api/cricket/matches/${id}/undo?expected_seq=2`),
    post(helper, `/api/cricket/matches/${id}/undo?expected_seq=2`),
  ]);
  assert.deepEqual(undos.map((a) => a.status).sort(), [200, 409]);
  const card = (await request("GET", `/api/cricket/matches/${id}/scorecard`)).json;
  assert.equal(card.innings[0].legal_balls, 0);
  expectError(assert, await post(scorer, `/api/cricket/matches/${id}/undo?expected_seq=two`), 422, "validation_failed", "expected_seq");
  // An event of more than 4 KB (a padded review) is refused whole.
  const padded = { ...ball("KK 1", "KK 2", "SS 11", 0), review: { by: "Surat Suns", note: "x".repeat(5000) } };
  expectError(assert, await post(scorer, `/api/cricket/matches/${id}/deliveries`, padded), 413, "payload_too_large");
});
