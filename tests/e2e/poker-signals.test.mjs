// Collusion signals (GET /api/poker/admin/signals, shared::poker::signals): for the admins named
// in POKER_ADMINS only (the suites' server names `poker_warden`). Ann and Bob sit at one table
// from one address; Ann dumps chips to Bob hand after hand (she opens big, then folds to any
// raise); Cat plays from elsewhere. The admin sees the shared address, the pair that only ever
// plays together, and the chips flowing one way; Cat appears in none of it. At heads-up tables
// Kim and Lee bet into Dan but check down against each other: soft play, while Dan, who bets
// into both, is in no soft pair.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { join } from "node:path";
import { BASE, clientIp, d1, expectError, request, rows, sessionToken, signUp } from "../support/api.mjs";
import { DESKTOP, launch, SCREENSHOTS, watchForErrors } from "../support/browser.mjs";
import { PokerSocket, closeAllPokerSockets } from "../support/poker-socket.mjs";

after(closeAllPokerSockets);

const HANDS = 24;
const signals = (jar, player) => request("GET", `/api/poker/admin/signals${player ? `?player=${player}` : ""}`, { jar });
/** Who the admin's page is checked for, once the signals are made. */
const seenBy = {};

/** Plays `policy(legal, state)` for the socket's player at each of their turns, until `stop()`. */
function play(socket, policy, stop) {
  const acted = new Set();
  socket.onFrame((frame) => {
    if (frame.type !== "state" || frame.you == null || frame.to_act !== frame.you || !frame.legal) return;
    const turn = `${frame.hand}:${frame.clock?.started_ms}`;
    if (acted.has(turn) || stop()) return;
    acted.add(turn);
    socket.send({ type: "act", hand: frame.hand, ...policy(frame.legal, frame) });
  });
}

test("an admin sees a shared address, a pair always together and chips dumped one way; nobody else sees anything", async () => {
  const [warden, ann, bob, cat] = await Promise.all([signUp({ username: "poker_warden" }), signUp(), signUp(), signUp()]);
  Object.assign(seenBy, { warden, ann, bob, cat });
  expectError(assert, await signals(ann.jar), 403, "forbidden");
  expectError(assert, await request("GET", "/api/poker/admin/signals"), 401, "unauthenticated");

  const made = await request("POST", "/api/poker/tables", {
    jar: cat.jar,
    body: { game: "nlhe", name: "Quiet game", small_blind: 100, big_blind: 200, min_buy_in: 4_000, max_buy_in: 40_000, seats: 3 },
  });
  assert.equal(made.status, 201, made.text);
  const table = made.json;
  const home = { "CF-Connecting-IP": clientIp() };
  const elsewhere = { "CF-Connecting-IP": clientIp() };
  // Cat watches from elsewhere; Ann and Bob sit from the same address.
  const catSocket = await PokerSocket.open(table.id, { jar: cat.jar, headers: elsewhere });
  const [annSocket, bobSocket] = await Promise.all(
    [ann, bob].map((p) => PokerSocket.open(table.id, { jar: p.jar, headers: home })),
  );
  let ended = 0;
  annSocket.onFrame((frame) => {
    if (frame.type === "hand_ended") ended += 1;
  });
  const enough = () => ended >= HANDS;
  // Ann opens to five big blinds from the small blind and folds to anything; Bob raises whenever
  // he can, else calls.
  play(annSocket, (legal, frame) => {
    if (frame.board.length === 0 && legal.call === 100 && legal.raise) return { action: legal.raise.kind, amount: 1_000 };
    if (legal.check) return { action: "check" };
    return { action: "fold" };
  }, enough);
  play(bobSocket, (legal) => {
    if (legal.raise) return { action: legal.raise.kind, amount: legal.raise.min };
    if (legal.call != null) return { action: "call" };
    return { action: "check" };
  }, enough);
  for (const [person, seat] of [
    [ann, 1],
    [bob, 2],
  ]) {
    const sat = await request("POST", `/api/poker/tables/${table.id}/seats`, {
      jar: person.jar,
      headers: home,
      body: { seat, buy_in: 40_000 },
    });
    assert.equal(sat.status, 201, sat.text);
  }
  const deadline = Date.now() + 60_000;
  while (ended < HANDS) {
    assert.ok(Date.now() < deadline, `${ended} hands in a minute`);
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const person of [ann, bob]) await request("DELETE", `/api/poker/tables/${table.id}/seats/me`, { jar: person.jar });

  const seen = await signals(warden.jar, ann.user.username);
  assert.equal(seen.status, 200, seen.text);
  const pair = [ann.user.username, bob.user.username].sort();
  const shared = seen.json.shared_connections.find((c) => c.table_id === table.id);
  assert.ok(shared, JSON.stringify(seen.json.shared_connections));
  assert.deepEqual(shared.players, pair);
  assert.equal(shared.shared, "address and browser");
  const together = seen.json.frequent_pairs.find((p) => [...p.players].sort().join() === pair.join());
  assert.ok(together, JSON.stringify(seen.json.frequent_pairs));
  assert.ok(together.hands_together >= HANDS - 1, `${together.hands_together} hands together`);
  assert.equal(together.share, 1);
  const flow = seen.json.chip_flows.find((f) => f.from === ann.user.username && f.to === bob.user.username);
  assert.ok(flow, JSON.stringify(seen.json.chip_flows));
  assert.equal(flow.chips, "play");
  assert.ok(flow.big_blinds >= 50, `${flow.big_blinds} big blinds`);
  assert.ok(!seen.json.chip_flows.some((f) => f.from === bob.user.username && f.to === ann.user.username), "netted one way");
  // Cat, who watched from elsewhere and never played, is in none of it.
  const cats = await signals(warden.jar, cat.user.username);
  assert.deepEqual(cats.json, { shared_connections: [], frequent_pairs: [], chip_flows: [], soft_play: [] });
  for (const s of [annSocket, bobSocket, catSocket]) s.close();
});

test("two players who bet into a third but check down against each other are listed for soft play", async () => {
  const [kim, lee, dan] = await Promise.all([signUp(), signUp(), signUp()]);
  Object.assign(seenBy, { kim, lee });
  // Three heads-up tables, so that every round after the flop is a duel: Kim and Lee at one,
  // each of them against Dan at the others. Everyone limps and never folds; after the flop Kim
  // and Lee never bet against each other and bet half the time against Dan, as Dan does.
  const meetings = [
    [kim, lee, true],
    [kim, dan, false],
    [lee, dan, false],
  ];
  const ids = [kim, lee, dan].map((p) => `'${p.user.id}'`).join(",");
  const duelRounds = () =>
    rows(d1(`SELECT user_id, opponent_id, SUM(rounds) AS rounds FROM poker_duels
             WHERE user_id IN (${ids}) AND opponent_id IN (${ids}) GROUP BY user_id, opponent_id`));
  let done = false;
  const stop = () => done;
  const sockets = [];
  const tables = [];
  for (const [one, other, soft] of meetings) {
    const made = await request("POST", "/api/poker/tables", {
      jar: dan.jar,
      body: { game: "nlhe", small_blind: 1, big_blind: 2, min_buy_in: 2_000, max_buy_in: 2_000, seats: 2 },
    });
    assert.equal(made.status, 201, made.text);
    tables.push(made.json);
    for (const [i, person] of [one, other].entries()) {
      const socket = await PokerSocket.open(made.json.id, { jar: person.jar });
      sockets.push(socket);
      play(socket, (legal, state) => {
        if (state.board.length > 0 && !soft && legal.raise && Math.random() < 0.5) return { action: legal.raise.kind, amount: legal.raise.min };
        if (legal.check) return { action: "check" };
        return { action: "call" };
      }, stop);
      const sat = await request("POST", `/api/poker/tables/${made.json.id}/seats`, { jar: person.jar, body: { seat: i + 1, buy_in: 2_000 } });
      assert.equal(sat.status, 201, sat.text);
    }
  }
  // Until every pair met heads-up often enough, both ways.
  const deadline = Date.now() + 90_000;
  for (;;) {
    const met = duelRounds();
    if (met.length === 6 && met.every((r) => r.rounds >= 12)) break;
    assert.ok(Date.now() < deadline, `heads-up rounds so far: ${JSON.stringify(met)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  done = true;
  for (const t of tables) {
    for (const person of [kim, lee, dan]) await request("DELETE", `/api/poker/tables/${t.id}/seats/me`, { jar: person.jar });
  }
  for (const s of sockets) s.close();

  const seen = await signals(seenBy.warden.jar, dan.user.username);
  assert.equal(seen.status, 200, seen.text);
  assert.deepEqual(seen.json.soft_play, [], "Dan bets into both: in no soft pair");
  const soft = (await signals(seenBy.warden.jar, kim.user.username)).json.soft_play;
  assert.equal(soft.length, 1, JSON.stringify(soft));
  assert.deepEqual([...soft[0].players].sort(), [kim.user.username, lee.user.username].sort());
  assert.ok(soft[0].rounds_together >= 12);
  assert.deepEqual(soft[0].bet_rates_together, [0, 0], "they never bet into each other");
  assert.ok(soft[0].bet_rates_against_others.every((r) => r > 0), JSON.stringify(soft[0]));
});

test("the admin's page shows the signals; anyone else is told they are not theirs", async () => {
  const { warden, ann, bob, cat, kim } = seenBy;

  const browser = await launch();
  try {
    for (const [person, admin] of [
      [warden, true],
      [cat, false],
    ]) {
      const context = await browser.newContext(DESKTOP);
      await context.addCookies([{ name: "dozen_session", value: sessionToken(person.jar), url: BASE }]);
      const page = await context.newPage();
      const errors = watchForErrors(page);
      await page.goto(BASE + `/poker/admin?player=${ann.user.username}`);
      if (admin) {
        for (const id of ["shared-connections", "frequent-pairs", "chip-flows"]) {
          await page.getByTestId(id).getByText(bob.user.username).first().waitFor();
        }
        await page.screenshot({ path: join(SCREENSHOTS, "poker-admin-signals.png"), fullPage: true });
        await page.goto(BASE + `/poker/admin?player=${kim.user.username}`);
        await page.getByTestId("soft-play").getByText(kim.user.username).waitFor();
        await page.screenshot({ path: join(SCREENSHOTS, "poker-admin-soft-play.png"), fullPage: true });
        assert.deepEqual(errors, []);
      } else {
        await page.getByTestId("signals-error").getByText("for the tables' admins").waitFor();
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
});
