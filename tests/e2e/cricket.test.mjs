// Cricket end to end against `wrangler dev`: the real Cricsheet files (data from cricsheet.org,
// ODC-BY) imported through the API score to the totals and outcomes they record (checked here by
// a small independent tally of the raw JSON, not by the engine's own code); the export is the
// file again; a malformed file is refused with the path of its first problem and nothing stored;
// a second import of a match is refused; lists, commentary, charts and careers read the same log.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { d1, expectError, request, rows, signUp } from "../support/api.mjs";

const DATA = new URL("../../shared/tests/data/cricsheet/", import.meta.url).pathname;
const FILES = ["1082591.json", "1144530.json", "1216517.json", "1239544.json", "1359519.json", "682911.json"];
const raw = (file) => readFileSync(DATA + file, "utf8");
const people = {};
const imported = {};

const post = (who, path, body, headers) => request("POST", path, { jar: who?.jar, body, headers });
const get = (path) => request("GET", path);

/** Runs, counted wickets and legal balls of each innings, tallied straight from the file. */
function tally(file) {
  return JSON.parse(raw(file)).innings.map((innings) => {
    let runs = 0;
    let wickets = 0;
    let balls = 0;
    for (const over of innings.overs ?? []) {
      for (const d of over.deliveries) {
        runs += d.runs.total;
        const extras = d.extras ?? {};
        if (extras.wides === undefined && extras.noballs === undefined) balls += 1;
        wickets += (d.wickets ?? []).filter((w) => !["retired hurt", "retired not out"].includes(w.kind)).length;
      }
    }
    return { runs, wickets, balls };
  });
}

/** Imports a file; a match this server has already (the demo loads the same files) is found instead. */
async function importFile(who, file) {
  const res = await post(who, "/api/cricket/matches/import", raw(file));
  if (res.status === 409) return /it is match (\w+)/.exec(res.json.error.message)[1];
  assert.equal(res.status, 201, res.text);
  return res.json.id;
}

const countRows = () =>
  rows(d1("SELECT (SELECT COUNT(*) FROM cricket_matches) + (SELECT COUNT(*) FROM cricket_innings) + (SELECT COUNT(*) FROM cricket_player_matches) AS n"))[0].n;

test("the real Cricsheet files import, and their scorecards agree with what they record", async () => {
  people.ann = await signUp();
  expectError(assert, await post(null, "/api/cricket/matches/import", raw(FILES[0])), 401, "unauthenticated");
  for (const file of FILES) {
    imported[file] = await importFile(people.ann, file);
    const card = await get(`/api/cricket/matches/${imported[file]}/scorecard`);
    assert.equal(card.status, 200, card.text);
    const expected = tally(file);
    assert.deepEqual(
      card.json.innings.map((i) => ({ runs: i.runs, wickets: i.wickets, balls: i.legal_balls })),
      expected,
      `${file}: innings totals`,
    );
    const recorded = JSON.parse(raw(file)).info.outcome;
    assert.deepEqual(card.json.outcome, recorded, `${file}: the outcome`);
    for (const innings of card.json.innings) {
      const batted = innings.batting.reduce((sum, b) => sum + b.runs, 0);
      assert.equal(batted + innings.extras.total, innings.runs, `${file} innings ${innings.number}: batters + extras = total`);
    }
  }
  const test = (await get(`/api/cricket/matches/${imported["1239544.json"]}/scorecard`)).json;
  assert.equal(test.result, "India won by 151 runs");
  assert.ok(test.innings[2].declared);
  const final = (await get(`/api/cricket/matches/${imported["1144530.json"]}/scorecard`)).json;
  assert.equal(final.result, "Match tied; England won on boundaries after the super over tied");
  const dl = (await get(`/api/cricket/matches/${imported["682911.json"]}/scorecard`)).json;
  assert.equal(dl.result, "Ireland won by 21 runs (D/L)");
  assert.ok(dl.innings[1].batting.some((b) => b.dismissal === "retired hurt" && !b.out));
  const first = (await get(`/api/cricket/matches/${imported["1082591.json"]}/scorecard`)).json;
  const warner = first.innings[0].batting[0];
  assert.equal(warner.name, "DA Warner");
  assert.match(warner.dismissal, /^c .+ b .+/);
});

test("the export is the file again, and importing it once more is refused as the same match", async () => {
  for (const file of FILES) {
    const res = await get(`/api/cricket/matches/${imported[file]}/cricsheet`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type"), /^application\/json/);
    assert.deepStrictEqual(res.json, JSON.parse(raw(file)), `${file}: exported as downloaded`);
    const again = await post(people.ann, "/api/cricket/matches/import", res.text);
    const error = expectError(assert, again, 409, "conflict");
    assert.ok(error.message.includes(imported[file]), error.message);
  }
});

test("a malformed file is refused with the path of its first problem, and nothing is stored", async () => {
  const before = countRows();
  const broken = (mutate) => {
    const file = JSON.parse(raw("1216517.json"));
    file.info.dates = ["2099-01-01"];
    mutate(file);
    return JSON.stringify(file);
  };
  const refuse = async (body, status, code, field) =>
    expectError(assert, await post(people.ann, "/api/cricket/matches/import", body), status, code, field);
  await refuse(broken((f) => (f.innings[1].overs[4].deliveries[2].runs.total = 99)), 422, "validation_failed", "innings[1].overs[4].deliveries[2].runs.total");
  await refuse(broken((f) => (f.innings[1].overs[4].deliveries[2].runs.total = "four")), 422, "validation_failed", "innings[1].overs[4].deliveries[2].runs.total");
  await refuse(broken((f) => (f.innings[0].overs[0].deliveries[0].wickets = [{ player_out: "Nobody", kind: "bowled" }])), 422, "validation_failed", "innings[0].overs[0].deliveries[0].wickets[0].player_out");
  await refuse(broken((f) => (f.innings[3].team = "Chennai Super Kings")), 422, "validation_failed", "innings[3].team");
  await refuse(broken((f) => delete f.info.teams), 422, "validation_failed");
  await refuse(broken((f) => (f.meta.data_version = "0.9")), 422, "validation_failed", "meta.data_version");
  await refuse('{"meta": ', 400, "malformed_json");
  await refuse("[1, 2]", 422, "validation_failed");
  expectError(assert, await post(people.ann, "/api/cricket/matches/import", raw(FILES[0]), { "content-type": "text/plain" }), 415, "unsupported_media_type");
  const huge = JSON.stringify({ pad: "x".repeat(5 * 1024 * 1024) });
  expectError(assert, await post(people.ann, "/api/cricket/matches/import", huge), 413, "payload_too_large");
  assert.equal(countRows(), before, "nothing was stored");
});

test("lists, commentary, partnerships, charts and careers read the same balls", async () => {
  const completed = await get("/api/cricket/matches?status=completed");
  assert.equal(completed.status, 200);
  const ids = completed.json.matches.map((m) => m.id);
  for (const file of FILES) assert.ok(ids.includes(imported[file]), `${file} is listed`);
  const dates = completed.json.matches.map((m) => m.start_date);
  assert.deepEqual(dates, [...dates].sort().reverse(), "newest first");
  const india = await get(`/api/cricket/matches?team=${encodeURIComponent("India")}`);
  assert.ok(india.json.matches.every((m) => m.teams.includes("India")));
  assert.ok(india.json.matches.some((m) => m.id === imported["1239544.json"]));
  expectError(assert, await get("/api/cricket/matches?status=finished"), 422, "validation_failed", "status");
  expectError(assert, await get("/api/cricket/matches?cursor=nonsense"), 422, "validation_failed", "cursor");
  expectError(assert, await get("/api/cricket/matches/nope/scorecard"), 404, "not_found");

  const id = imported["1082591.json"];
  const header = (await get(`/api/cricket/matches/${id}`)).json;
  assert.equal(header.title, "Sunrisers Hyderabad v Royal Challengers Bangalore");
  assert.equal(header.result, "Sunrisers Hyderabad won by 35 runs");
  assert.deepEqual(header.scores.map((s) => `${s.runs}/${s.wickets} (${s.overs})`), ["207/4 (20)", "172/10 (19.4)"]);
  assert.equal(header.player_ids["DA Warner"], JSON.parse(raw("1082591.json")).info.registry.people["DA Warner"]);

  const commentary = (await get(`/api/cricket/matches/${id}/commentary?innings=1`)).json.lines;
  const balls = JSON.parse(raw("1082591.json")).innings[0].overs.reduce((n, o) => n + o.deliveries.length, 0);
  assert.equal(commentary.filter((l) => ["ball", "wicket", "boundary"].includes(l.kind)).length, balls);
  assert.ok(commentary.every((l) => l.innings === 1));
  assert.match(commentary[0].text, /^\w[\w ]* to DA Warner, /);
  assert.ok(commentary.some((l) => l.kind === "milestone" && /reach 200/.test(l.text)));
  expectError(assert, await get(`/api/cricket/matches/${id}/commentary?innings=one`), 422, "validation_failed", "innings");

  const stands = (await get(`/api/cricket/matches/${id}/partnerships`)).json;
  assert.equal(stands[0].partnerships.reduce((n, p) => n + p.runs, 0), 207);
  const charts = (await get(`/api/cricket/matches/${id}/charts`)).json;
  assert.equal(charts.innings[0].worm.at(-1).runs, 207);
  assert.equal(charts.innings[1].manhattan.reduce((n, o) => n + o.runs, 0), 172);

  // Career figures over every match here: Rohit Sharma played the 2020 IPL tie and the 2021 Test.
  const rohit = JSON.parse(raw("1239544.json")).info.registry.people["RG Sharma"];
  const stats = await get(`/api/cricket/players/${rohit}/stats`);
  assert.equal(stats.status, 200, stats.text);
  assert.equal(stats.json.name, "RG Sharma");
  const byFormat = Object.fromEntries(stats.json.careers.map((c) => [c.format, c]));
  assert.equal(byFormat.Test.matches, 1);
  assert.equal(byFormat.Test.innings, 2);
  const testCard = (await get(`/api/cricket/matches/${imported["1239544.json"]}/scorecard`)).json;
  const testRuns = testCard.innings
    .filter((i) => i.team === "India")
    .flatMap((i) => i.batting.filter((b) => b.name === "RG Sharma"))
    .reduce((n, b) => n + b.runs, 0);
  assert.equal(byFormat.Test.runs, testRuns);
  assert.ok(byFormat.T20.matches >= 1);
  assert.equal(stats.json.recent[0].match_id, imported["1239544.json"], "newest first");
  expectError(assert, await get("/api/cricket/players/nobody/stats"), 404, "not_found");
});
