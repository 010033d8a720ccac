// Sit-and-go tournaments end to end against `wrangler dev`: entries leave the wallet when players
// register and come back if they unregister before the start; the table starts when its last seat
// is taken, nobody joins or leaves once it runs, players are placed as they bust, the top places
// are paid at once into their wallets, and the table finishes with one winner. Every chip is
// accounted for (play chips, and rupees against Pay's ledger), and every hand replays through
// PokerKit.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { d1, expectError, request, rows, signUp } from "../support/api.mjs";
import { assertBooksBalance, depositAndPay, wallet } from "../support/poker-books.mjs";
import { PokerSocket, closeAllPokerSockets } from "../support/poker-socket.mjs";

after(closeAllPokerSockets);

const SNG = { game: "nlhe", small_blind: 10, big_blind: 20, seats: 4, sit_and_go: { entry: 1000, starting_chips: 1500, level_minutes: 1 } };

const makeTable = (host, body) => request("POST", "/api/poker/tables", { jar: host.jar, body });
const table = async (person, id) => (await request("GET", `/api/poker/tables/${id}`, { jar: person.jar })).json;
const register = (person, id, seat, buyIn) =>
  request("POST", `/api/poker/tables/${id}/seats`, { jar: person.jar, body: { seat, buy_in: buyIn } });
const unregister = (person, id) => request("DELETE", `/api/poker/tables/${id}/seats/me`, { jar: person.jar });

/**
 * Bots that play loose: all in now and then, raises, calls, and a fold to a bet of a third of
 * their stack more often than not, so that a tournament lasts a few hands to a few dozen.
 * Returns the refusals they were sent.
 */
function playAggressively(sockets) {
  const errors = [];
  for (const socket of sockets) {
    const acted = new Set();
    socket.onFrame((frame) => {
      if (frame.type === "error") errors.push(frame);
      if (frame.type !== "state" || frame.you == null || frame.to_act !== frame.you || !frame.legal) return;
      const turn = `${frame.hand}:${frame.clock?.started_ms}`;
      if (acted.has(turn)) return;
      acted.add(turn);
      const { legal } = frame;
      const stack = frame.seats.find((s) => s.seat === frame.you)?.stack ?? 0;
      const roll = Math.random();
      let move;
      if (legal.raise && roll < 0.1) move = { action: legal.raise.kind, amount: legal.raise.max };
      else if (legal.raise && roll < 0.3) move = { action: legal.raise.kind, amount: legal.raise.min };
      else if (legal.bring_in != null) move = { action: "bring_in" };
      else if (legal.call != null && legal.call > stack / 3 && roll < 0.65) move = { action: "fold" };
      else if (legal.call != null) move = { action: "call" };
      else if (legal.check) move = { action: "check" };
      else move = { action: "fold" };
      socket.send({ type: "act", hand: frame.hand, ...move });
    });
  }
  return errors;
}

async function untilFinished(person, id, seconds = 120) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const t = await table(person, id);
    if (t.sit_and_go.stage === "finished") return t;
    assert.ok(Date.now() < deadline, `finished within ${seconds} s: ${JSON.stringify(t.sit_and_go)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Every stored hand of the tables through PokerKit. */
function pokerKitReplays(tableIds, jar) {
  const dir = mkdtempSync(join(tmpdir(), "dozen-sng-e2e-"));
  return (async () => {
    try {
      const ids = tableIds.map((t) => `'${t}'`).join(",");
      const hands = rows(d1(`SELECT id FROM poker_hands WHERE table_id IN (${ids})`));
      for (const hand of hands) {
        const phh = await request("GET", `/api/poker/hands/${hand.id}?format=phh`, { jar });
        assert.equal(phh.status, 200, phh.text);
        writeFileSync(join(dir, `${hand.id}.phh`), phh.text);
      }
      const check = spawnSync(".dozen/venv/bin/python", ["scripts/pokerkit_check.py", dir], { encoding: "utf8" });
      console.log(`# ${check.stdout.trim().split("\n").pop()}`);
      assert.equal(check.status, 0, `PokerKit replays every sit-and-go hand:\n${check.stdout}\n${check.stderr}`);
      return hands.length;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  })();
}

test("bad sit-and-gos are refused with the field named", async () => {
  const ann = await signUp();
  const bad = async (sitAndGo, field, extra = {}) =>
    expectError(assert, await makeTable(ann, { ...SNG, sit_and_go: { ...SNG.sit_and_go, ...sitAndGo }, ...extra }), 422, "validation_failed", field);
  await bad({ entry: 0 }, "sit_and_go.entry");
  await bad({ entry: 100_001 }, "sit_and_go.entry");
  await bad({ entry: 99 }, "sit_and_go.entry", { chips: "inr" });
  await bad({ starting_chips: 199 }, "sit_and_go.starting_chips");
  await bad({ starting_chips: 20_001 }, "sit_and_go.starting_chips");
  await bad({ level_minutes: 0 }, "sit_and_go.level_minutes");
  await bad({ level_minutes: 61 }, "sit_and_go.level_minutes");
  await bad({}, "min_buy_in", { min_buy_in: 1000, max_buy_in: 2000 });
  expectError(assert, await makeTable(ann, { ...SNG, sit_and_go: { ...SNG.sit_and_go, rebuys: 2 } }), 422, "validation_failed");
  expectError(assert, await makeTable(ann, { ...SNG, sit_and_go: { entry: 1000 } }), 422, "validation_failed");
  expectError(assert, await request("GET", "/api/poker/tables?format=mtt", { jar: ann.jar }), 422, "validation_failed", "format");
});

test("a sit-and-go takes entries, gives them back before the start, starts when full and pays the top places", async () => {
  const [ann, bob, cat, dan, eve] = await Promise.all([signUp(), signUp(), signUp(), signUp(), signUp()]);
  const made = await makeTable(ann, { ...SNG, name: "Four-handed turbo" });
  assert.equal(made.status, 201, made.text);
  const id = made.json.id;
  assert.deepEqual(
    { ...made.json.sit_and_go },
    { entry: 1000, starting_chips: 1500, level_minutes: 1, stage: "registering", prize_pool: 4000, prizes: [2600, 1400], started_at: null, results: [] },
  );
  assert.deepEqual([made.json.min_buy_in, made.json.max_buy_in], [1000, 1000], "the buy-in is the entry");
  // The lobby lists it among sit-and-gos, not among cash tables.
  const listed = async (format) =>
    (await request("GET", `/api/poker/tables?format=${format}`, { jar: bob.jar })).json.items.some((t) => t.id === id);
  assert.deepEqual([await listed("sng"), await listed("cash")], [true, false]);

  const before = {};
  for (const p of [ann, bob, cat, dan, eve]) before[p.user.id] = (await wallet(p)).play_chips;
  expectError(assert, await register(ann, id, 1, 1500), 422, "validation_failed", "buy_in");

  // Registering pays the entry; unregistering before the start gives it back.
  const sat = await register(ann, id, 1, 1000);
  assert.equal(sat.status, 201, sat.text);
  assert.deepEqual(sat.json.seat, { seat: 1, username: ann.user.username, chips: 1500 }, "tournament chips at the seat");
  assert.equal(sat.json.play_chips, before[ann.user.id] - 1000);
  assert.equal((await wallet(ann)).at_tables, 1000, "the entry counts as at a table");
  assert.equal((await unregister(ann, id)).status, 200);
  assert.equal((await wallet(ann)).play_chips, before[ann.user.id], "the entry came back");
  assert.equal((await register(ann, id, 1, 1000)).status, 201);

  // Two players after the last-but-one seat: one gets it.
  const race = await Promise.all([register(bob, id, 2, 1000), register(eve, id, 2, 1000)]);
  assert.deepEqual(race.map((r) => r.status).sort(), [201, 409], race.map((r) => r.text).join(" | "));
  const [second, loser] = race[0].status === 201 ? [bob, eve] : [eve, bob];
  assert.equal((await wallet(loser)).play_chips, before[loser.user.id], "the loser of the race paid nothing");
  assert.equal((await register(cat, id, 3, 1000)).status, 201);
  assert.equal((await table(ann, id)).sit_and_go.stage, "registering");

  const players = [ann, second, cat, dan];
  const sockets = await Promise.all(players.map((p) => PokerSocket.open(id, { jar: p.jar })));
  const spectator = await PokerSocket.open(id, { jar: loser.jar });
  const errors = playAggressively(sockets);
  // The last seat starts it.
  assert.equal((await register(dan, id, 4, 1000)).status, 201);
  const running = await table(ann, id);
  assert.ok(["running", "finished"].includes(running.sit_and_go.stage), running.sit_and_go.stage);
  assert.ok(running.sit_and_go.started_at);
  const first = await spectator.nextOf("state", 10_000, (f) => f.hand != null);
  assert.equal(first.tournament.level, 1);
  assert.deepEqual([first.stakes.small_blind, first.stakes.big_blind], [10, 20]);
  assert.equal(first.chips, "play");
  expectError(assert, await register(loser, id, 4, 1000), 409, "conflict");
  // Nobody gets up once it runs (Ann may have busted already: then she has no seat).
  const left = await unregister(ann, id);
  const annOut = async () => (await table(ann, id)).sit_and_go.results.some((r) => r.username === ann.user.username);
  assert.ok(left.status === 409 || (left.status === 404 && (await annOut())), left.text);

  const done = await untilFinished(ann, id);
  const results = done.sit_and_go.results;
  assert.equal(results.length, 4, JSON.stringify(results));
  assert.equal(results[0].place, 1);
  assert.equal(results[0].prize, 2600);
  assert.equal(results.reduce((sum, r) => sum + r.prize, 0), 4000, "the pool is paid out in full");
  assert.deepEqual(errors.filter((e) => e.code !== "stale_hand" && e.code !== "not_your_turn"), [], "no action refused");
  // Each player's wallet: the entry out, the prize in; nobody is left at the table.
  for (const p of players) {
    const placed = results.find((r) => r.username === p.user.username);
    assert.ok(placed, `${p.user.username} placed`);
    const w = await wallet(p);
    assert.equal(w.play_chips, before[p.user.id] - 1000 + placed.prize, `${p.user.username}: ${placed.place} place`);
    assert.equal(w.at_tables, 0);
  }
  assert.equal(rows(d1(`SELECT COUNT(*) AS n FROM poker_seats WHERE table_id = '${id}'`))[0].n, 0);
  assert.equal(rows(d1(`SELECT COUNT(*) AS n FROM poker_entries WHERE table_id = '${id}' AND place IS NULL`))[0].n, 0);
  assert.equal(await listed("sng"), false, "a finished sit-and-go leaves the lobby");
  const last = await spectator.nextOf("state", 5_000, (f) => f.tournament?.stage === "finished").catch(() => spectator.state);
  assert.equal(last.tournament.stage, "finished");
  assert.equal(last.tournament.results.length, 4);
  // Tournament chips are not chips won: nobody's statistics count them.
  const stats = await request("GET", `/api/poker/players/${results[0].username}/stats`, { jar: eve.jar });
  assert.equal(stats.status, 200, stats.text);
  assert.ok(stats.json.hands > 0);
  assert.equal(stats.json.net_chips, 0);
  const hands = await pokerKitReplays([id], ann.jar);
  const levels = rows(d1(`SELECT DISTINCT json_extract(ended, '$.stakes.big_blind') AS bb FROM poker_hands WHERE table_id = '${id}'`));
  console.log(`# a four-handed sit-and-go: ${hands} hands, big blinds ${levels.map((l) => l.bb).join(", ")}`);
});

test("a rupee sit-and-go pays its winner from the losers' entries, and Pay's ledger balances throughout", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  await depositAndPay(ann, 100_000);
  await depositAndPay(bob, 100_000);
  assertBooksBalance("after two deposits");
  const made = await makeTable(ann, {
    game: "plo",
    chips: "inr",
    small_blind: 10,
    big_blind: 20,
    seats: 2,
    sit_and_go: { entry: 50_000, starting_chips: 1000 },
  });
  assert.equal(made.status, 201, made.text);
  const id = made.json.id;
  assert.deepEqual(made.json.sit_and_go.prizes, [100_000], "heads-up: winner takes all");
  assert.equal(made.json.stakes, "10/20", "stakes in tournament chips");
  const sockets = await Promise.all([ann, bob].map((p) => PokerSocket.open(id, { jar: p.jar })));
  playAggressively(sockets);
  const short = await signUp();
  expectError(assert, await register(short, id, 1, 50_000), 409, "conflict");
  assert.equal((await register(ann, id, 1, 50_000)).status, 201);
  assert.equal((await wallet(ann)).inr_paise, 97_640 - 50_000);
  assert.equal((await wallet(ann)).inr_at_tables, 50_000);
  assertBooksBalance("one entry in the pool");
  assert.equal((await register(bob, id, 2, 50_000)).status, 201);
  const state = await sockets[0].nextOf("state", 10_000, (f) => f.hand != null);
  assert.equal(state.chips, "play", "the table's chips are tournament chips");
  assert.equal(state.tournament.money, "inr");
  const done = await untilFinished(ann, id);
  const [winner, runnerUp] = done.sit_and_go.results;
  assert.deepEqual([winner.place, winner.prize, runnerUp.place, runnerUp.prize], [1, 100_000, 2, 0]);
  const byName = { [ann.user.username]: ann, [bob.user.username]: bob };
  assert.equal((await wallet(byName[winner.username])).inr_paise, 97_640 + 50_000);
  assert.equal((await wallet(byName[runnerUp.username])).inr_paise, 97_640 - 50_000);
  assertBooksBalance("after the sit-and-go");
  await pokerKitReplays([id], ann.jar);
});
